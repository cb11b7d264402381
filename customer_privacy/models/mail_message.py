# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models, tools


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    @tools.ormcache()
    def _privacy_model_policies(self):
        # The sender's address of a message ('"Name" <email>') is its
        # author's e-mail, or that of someone who wrote in without being a
        # contact yet: it is protected as partners' e-mails are, on every
        # read path (read, search, export, grouping) and in the chatter.
        policies = super()._privacy_model_policies()
        email = self.env["privacy.field.policy"]._get_policies("res.partner")
        if "email" in email and "email_from" not in policies:
            return {**policies, "email_from": email["email"]}
        return policies

    @api.model
    def _privacy_partner_field(self):
        # a grant on a customer opens the messages it wrote
        return "author_id"

    def _author_to_store(self, store):
        super()._author_to_store(store)
        # the chatter formats messages in sudo, for the request's user
        messages = self._privacy_as_real_user()
        if messages is None or not messages._privacy_policies():
            return
        masked = messages._privacy_masked_ids(["email_from"]).get("email_from")
        if not masked:
            return
        with messages._privacy_masking_batch():
            for message in self:
                if message.id in masked and message.email_from:
                    value = messages._privacy_mask_value(
                        "email_from", message.email_from
                    )
                    store.add(message, {"email_from": value})
        messages._privacy_notify_access(
            "view_masked", messages.browse(sorted(masked)), ["email_from"]
        )
