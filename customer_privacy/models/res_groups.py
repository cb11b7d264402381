# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.constrains("users", "implied_ids")
    def _check_privacy_segregation_of_duties(self):
        """Adding users to a group, or making a group imply another, must not
        slip past the data administrator / auditor segregation."""
        self.env["res.users"]._check_privacy_segregation(self.sudo().users)
