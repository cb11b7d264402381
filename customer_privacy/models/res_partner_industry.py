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

    # Unique prefixes are checked here, not by a unique index: every index
    # of res_partner_industry costs each query of industries its planning
    # (8 µs of a 45 µs search, 1.5 % of an industry list: docs/benchmarks.md).
    # Customer codes stay unique whatever the prefixes: their serial comes
    # from one sequence, and res_partner's unique constraint holds them.
    @api.constrains("privacy_code")
    def _check_privacy_code(self):
        # sudo, archived included: a prefix taken by an industry the user
        # cannot see is still taken
        industries = self.sudo().with_context(active_test=False)
        for industry in self:
            code = industry.privacy_code
            if not code:
                continue
            if not INDUSTRY_CODE_RE.match(code):
                raise ValidationError(
                    self.env._(
                        "The customer code prefix of industry %(industry)s must be "
                        "2 to 4 capital letters (A-Z), not %(code)r.",
                        industry=industry.name,
                        code=code,
                    )
                )
            if industries.search_count(
                [("privacy_code", "=", code), ("id", "!=", industry.id)], limit=1
            ):
                raise ValidationError(
                    self.env._(
                        "Each industry needs its own customer code prefix: "
                        "%(code)s is already used.",
                        code=code,
                    )
                )
