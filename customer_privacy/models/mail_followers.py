# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    def _privacy_open_ids(self):
        # a colleague following a record: its e-mail (a related field of the
        # partner's) reads clear, as on the colleague's partner
        return self.env["res.partner"]._privacy_ids_of_staff(self, "partner_id")
