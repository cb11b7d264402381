# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""查看明文: see a customer's masked fields clear for a few minutes, giving a
reason, after re-entering one's password (SPEC §5)."""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.addons.base.models.res_users import check_identity
from odoo.exceptions import AccessError, ValidationError

MIN_REASON_LENGTH = 10
PARAM_MINUTES = "customer_privacy.reveal_minutes"
DEFAULT_MINUTES = 15


class PrivacyRevealWizard(models.TransientModel):
    _name = "privacy.reveal.wizard"
    _description = "Reveal Protected Fields"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    policy_ids = fields.Many2many(
        "privacy.field.policy",
        string="Fields",
        required=True,
        domain="[('id', 'in', allowed_policy_ids)]",
    )
    allowed_policy_ids = fields.Many2many(
        "privacy.field.policy", compute="_compute_allowed_policy_ids"
    )
    reason = fields.Text(required=True, help="Why you need the clear values.")
    minutes = fields.Integer(compute="_compute_minutes")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner_id = values.get("partner_id")
        if "policy_ids" in fields_list and partner_id and not values.get("policy_ids"):
            values["policy_ids"] = [Command.set(self._masked_policies(partner_id).ids)]
        return values

    @api.model
    def _masked_policies(self, partner_id):
        """The revealable policies whose fields the user sees masked on this
        customer: what the wizard offers to reveal."""
        policies = self._revealable_policies()
        partner = self.env["res.partner"].browse(partner_id)
        masked = partner._privacy_masked_ids(policies.mapped("field_name"))
        return policies.filtered(lambda p: partner_id in masked.get(p.field_name, ()))

    @api.depends("partner_id")
    def _compute_allowed_policy_ids(self):
        for wizard in self:
            wizard.allowed_policy_ids = wizard._revealable_policies()

    def _compute_minutes(self):
        self.minutes = self._reveal_minutes()

    @api.model
    def _reveal_minutes(self):
        # sudo: configuration read on behalf of the revealing user
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_MINUTES)
        try:
            return max(1, int(value or DEFAULT_MINUTES))
        except ValueError:
            return DEFAULT_MINUTES

    def _revealable_policies(self):
        """Medium policies of res.partner whose reveal groups the user has."""
        group_ids = set(self.env.user.groups_id.ids)
        # sudo: policies are configuration; filtered by the user's groups here
        policies = (
            self.env["privacy.field.policy"]
            .sudo()
            .search([("model_name", "=", "res.partner"), ("sensitivity", "!=", "high")])
        )
        return policies.filtered(lambda p: group_ids & set(p.reveal_group_ids.ids))

    @api.constrains("reason")
    def _check_reason(self):
        for wizard in self:
            if len((wizard.reason or "").strip()) < MIN_REASON_LENGTH:
                raise ValidationError(
                    self.env._(
                        "Give a reason of at least %(count)s characters for revealing "
                        "personal data.",
                        count=MIN_REASON_LENGTH,
                    )
                )

    @check_identity
    def action_reveal(self):
        self.ensure_one()
        self._reveal()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _reveal(self):
        """Create the grant and tell the chatter. Called by ``action_reveal``
        once the user's identity has been checked."""
        self.ensure_one()
        partner = self.partner_id.sudo(False)
        partner.check_access("read")
        allowed = self._revealable_policies()
        refused = self.policy_ids.sudo() - allowed
        if refused or not self.policy_ids:
            raise AccessError(
                self.env._(
                    "You may not reveal %(fields)s.",
                    fields=", ".join(refused.mapped("field_id.field_description"))
                    or self.env._("these fields"),
                )
            )
        self._check_reason()
        minutes = self._reveal_minutes()
        policies = self.policy_ids.sudo()
        # sudo: grants are written only here and by approvals, never by users
        grant = (
            self.env["privacy.access.grant"]
            .sudo()
            .create(
                {
                    "user_id": self.env.uid,
                    "partner_ids": [(6, 0, partner.ids)],
                    "field_names": ",".join(policies.mapped("field_name")),
                    "level": "medium",
                    "date_expire": fields.Datetime.now() + timedelta(minutes=minutes),
                    "origin": "reveal",
                    "reason": self.reason.strip(),
                }
            )
        )
        # sudo: a reveal is recorded even by users who may not post on the
        # customer; the note names fields, never values
        partner.sudo().message_post(
            body=self.env._(
                "%(user)s revealed %(fields)s for %(minutes)s minutes. Reason: "
                "%(reason)s",
                user=self.env.user.name,
                fields=", ".join(policies.mapped("field_id.field_description")),
                minutes=minutes,
                reason=self.reason.strip(),
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.env["res.partner"]._privacy_notify_access(
            "reveal", partner, policies.mapped("field_name"), reason=self.reason.strip()
        )
        return grant
