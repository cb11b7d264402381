# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import DEFAULT_HIGH, DEFAULT_LOW, PARAM_HIGH, PARAM_LOW


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    privacy_value_high_threshold = fields.Float(
        string="High Value Above (CNY / year)",
        config_parameter=PARAM_HIGH,
        default=DEFAULT_HIGH,
        help="Customers spending more than this per year are high value (X).",
    )
    privacy_value_low_threshold = fields.Float(
        string="Low Value Below (CNY / year)",
        config_parameter=PARAM_LOW,
        default=DEFAULT_LOW,
        help="Customers spending less than this per year are low value (Y); "
        "between the two thresholds they are medium value.",
    )

    @api.constrains("privacy_value_high_threshold", "privacy_value_low_threshold")
    def _check_privacy_value_thresholds(self):
        for settings in self:
            high = settings.privacy_value_high_threshold
            low = settings.privacy_value_low_threshold
            if low < 0 or high <= low:
                raise ValidationError(
                    self.env._(
                        "Value grade thresholds: the high-value threshold (%(high)s) "
                        "must be greater than the low-value threshold (%(low)s), "
                        "and neither may be negative.",
                        high=high,
                        low=low,
                    )
                )

    def set_values(self):
        params = self.env["ir.config_parameter"].sudo()
        before = (params.get_param(PARAM_HIGH), params.get_param(PARAM_LOW))
        res = super().set_values()
        if before != (params.get_param(PARAM_HIGH), params.get_param(PARAM_LOW)):
            self.env["res.partner"]._privacy_recompute_value_grades()
        return res
