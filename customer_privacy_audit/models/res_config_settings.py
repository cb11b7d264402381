# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .privacy_audit_log import (
    DEFAULT_RETENTION_MONTHS,
    MIN_RETENTION_MONTHS,
    PARAM_RETENTION,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    privacy_audit_retention_months = fields.Integer(
        string="Keep Access Log (months)",
        config_parameter=PARAM_RETENTION,
        default=DEFAULT_RETENTION_MONTHS,
        help="Entries older than this are purged; at least 6 months "
        "(Cybersecurity Law art. 21), 36 by default.",
    )

    @api.constrains("privacy_audit_retention_months")
    def _check_privacy_audit_retention(self):
        for settings in self:
            if settings.privacy_audit_retention_months < MIN_RETENTION_MONTHS:
                raise ValidationError(
                    self.env._(
                        "The access log must be kept at least %(months)s months.",
                        months=MIN_RETENTION_MONTHS,
                    )
                )
