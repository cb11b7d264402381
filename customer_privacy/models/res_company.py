# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a company of this database is not a customer.
        companies = super(
            ResCompany, self.with_context(privacy_no_customer_code=True)
        ).create(vals_list)
        return companies.with_env(self.env)

    def cache_invalidation_fields(self):
        # res.partner._privacy_company_partner_ids
        return super().cache_invalidation_fields() | {"partner_id"}
