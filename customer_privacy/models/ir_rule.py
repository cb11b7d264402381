# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Rule domains may call ``privacy_top_secret_domain()``: the
        top-secret rule's domain for the current user, no term at all when no
        customer is hidden from them. Odoo caches the evaluated domains per
        user until the registry cache is cleared, which every change of who
        may see a restricted customer does (res_partner.py)."""
        context = super()._eval_context()
        context["privacy_top_secret_domain"] = self.env[
            "res.partner"
        ]._privacy_top_secret_domain
        return context

    @api.model
    def _compute_domain(self, model_name, mode="read"):
        # The cached domain of partners (and of users, who carry their
        # partner's rules) must follow changes still pending in this
        # transaction: once written, they clear the cache.
        env = self.env
        if (
            # nothing pending at all: every read's access checks, at once
            (env.cache.get_dirty_fields() or env.transaction.tocompute)
            and (
                model_name == "res.partner"
                or "res.partner" in self.pool[model_name]._inherits
            )
        ):
            env["res.partner"]._privacy_flush_restrictions()
        return super()._compute_domain(model_name, mode)
