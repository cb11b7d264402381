# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_add_suggested_recipient(
        self, result, partner=None, email=None, lang=None, reason=""
    ):
        """Suggested recipients show a partner's e-mail as its reader may see
        it; the message still goes to the partner (by id), so to the real
        address."""
        result = super()._message_add_suggested_recipient(
            result, partner=partner, email=email, lang=lang, reason=reason
        )
        viewer = partner._privacy_as_real_user() if partner else None
        if viewer is None:
            return result
        masked = viewer._privacy_masked_ids(["email"]).get("email", ())
        if partner.id in masked:
            for data in result:
                if data.get("partner_id") == partner.id and data.get("email"):
                    data["email"] = viewer._privacy_mask_value("email", data["email"])
        return result
