# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What the suite keeps beside a customer, out of ``res_partner``: its data
key, its stored masked forms, the blind indexes of its encrypted values.
Each such row belongs to one customer and goes with it. No group has any
access right on these models: only the suite's own code reaches them, in
superuser mode."""

from odoo import fields, models


class PrivacyCustomerRow(models.AbstractModel):
    _name = "privacy.customer.row"
    _description = "Row Kept Beside a Customer"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
