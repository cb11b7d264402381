# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _tracking_value_format_model(self, model):
        """Chatter tracking lines show old and new values of protected fields
        (and of their copies) masked to users who do not see them clear. The
        chatter formats them in sudo, so clearance is judged for the user of
        the request."""
        formatted = super()._tracking_value_format_model(model)
        if not model or not formatted:
            return formatted
        Model = self.env[model]._privacy_as_real_user()
        policies = Model is not None and Model._privacy_policies()
        if not policies:
            return formatted
        trackings = {t.id: t for t in self}
        by_record = {}
        for info in formatted:
            if Model._privacy_field_policies(info["fieldName"], policies):
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
