# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

INDUSTRY_CODE_RE = re.compile(r"^[A-Z]{2,4}$")


class ResPartnerIndustry(models.Model):
    _inherit = "res.partner.industry"

    privacy_code = fields.Char(
        string="Customer Code Prefix",
        help="Two to four capital letters that start the customer codes of this "
        "industry, e.g. FI for FI-2026-00042.",
    )

    _sql_constraints = [
        (
            "privacy_code_unique",
            "unique(privacy_code)",
            "Each industry needs its own customer code prefix.",
        ),
    ]

    @api.constrains("privacy_code")
    def _check_privacy_code(self):
        for industry in self:
            code = industry.privacy_code
            if code and not INDUSTRY_CODE_RE.match(code):
                raise ValidationError(
                    self.env._(
                        "The customer code prefix of industry %(industry)s must be "
                        "2 to 4 capital letters (A-Z), not %(code)r.",
                        industry=industry.name,
                        code=code,
                    )
                )
