# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""One data key per customer (SPEC §5 envelope encryption).

The key is stored only wrapped (AES-256-GCM) by a master key that never lives
in the database; the wrapping is bound to the customer, so a wrapped key
copied to another customer does not open. No group has any access right on
this model: only the key service reaches it, in sudo."""

from odoo import fields, models


class PrivacyDataKey(models.Model):
    _name = "privacy.data.key"
    _inherit = "privacy.customer.row"
    _description = "Customer Data Key"
    _order = "id"

    partner_id = fields.Many2one(index=True)
    wrapped_key = fields.Text(
        required=True,
        readonly=True,
        help="The customer's data key encrypted by a master key.",
    )
    key_id = fields.Char(
        string="Master Key ID",
        required=True,
        index=True,
        readonly=True,
        help="Public identifier of the master key that wraps this data key.",
    )

    _sql_constraints = [
        (
            "partner_unique",
            "unique(partner_id)",
            "A customer has one data key.",
        ),
    ]
