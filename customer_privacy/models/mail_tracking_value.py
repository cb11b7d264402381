# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _tracking_value_format_model(self, model):
        """Chatter tracking lines show old and new values of protected fields
        masked to users who do not see them clear. The chatter formats them in
        sudo, so clearance is judged for the real user."""
        formatted = super()._tracking_value_format_model(model)
        if not model or not formatted:
            return formatted
        Model = self.env[model].sudo(False)
        policies = Model._privacy_policies()
        if not policies:
            return formatted
        derived = Model._privacy_derived_fields()
        trackings = {t.id: t for t in self}
        by_record = {}
        for info in formatted:
            if derived.get(info["fieldName"], info["fieldName"]) in policies:
                tracking = trackings[info["id"]]
                by_record.setdefault(tracking.mail_message_id.res_id, []).append(info)
        if not by_record:
            return formatted
        records = Model.browse(list(by_record))
        fnames = {info["fieldName"] for infos in by_record.values() for info in infos}
        masked = records._privacy_masked_ids(fnames)
        for res_id, infos in by_record.items():
            for info in infos:
                if res_id in masked.get(info["fieldName"], ()):
                    for side in ("oldValue", "newValue"):
                        info[side]["value"] = Model._privacy_mask_value(
                            info["fieldName"], info[side]["value"]
                        )
        return formatted
