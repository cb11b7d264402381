# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        # A user's own partner is not a customer: it gets no customer code.
        users = super(
            ResUsers, self.with_context(privacy_no_customer_code=True)
        ).create(vals_list)
        return users.with_env(self.env)

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            # who is staff (res_partner.py) is memoized until the registry
            # cache is cleared. Odoo clears it when a user is created (mail
            # writes its notification group), archived, deleted or changes
            # groups; not when one gets another partner
            self.env.registry.clear_cache()
        return res

    @api.constrains("groups_id")
    def _check_privacy_groups(self):
        self._check_privacy_segregation(self)

    @api.model
    def _check_privacy_segregation(self, users):
        """Segregation of duties (SPEC §3): nobody is both data administrator
        and auditor. ``groups_id`` already holds implied groups in 18.0."""
        admin = self.env.ref(
            "customer_privacy.group_privacy_data_admin", raise_if_not_found=False
        )
        auditor = self.env.ref(
            "customer_privacy.group_privacy_auditor", raise_if_not_found=False
        )
        if not admin or not auditor:
            return
        both = users.filtered(lambda u: admin in u.groups_id and auditor in u.groups_id)
        if both:
            raise ValidationError(
                self.env._(
                    "Segregation of duties: %(users)s cannot be both Data "
                    "Administrator and Auditor in Customer Privacy. Remove one of "
                    "the two roles.",
                    users=", ".join(both.mapped("name")),
                )
            )
