# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class PrivacyAuditAnchor(models.Model):
    """Where the chain resumes after a retention purge: the position and hash
    of the last entry deleted. Written by the purge only, never changed."""

    _name = "privacy.audit.anchor"
    _description = "Access Log Purge Anchor"
    _order = "chain_seq desc"

    chain_seq = fields.Integer(string="Last Purged Position", readonly=True)
    row_hash = fields.Char(string="Last Purged Hash", readonly=True)
    rows_deleted = fields.Integer(readonly=True)
    cutoff = fields.Datetime(string="Entries Before", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Purge anchors are written by the purge."))
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("Purge anchors cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise AccessError(self.env._("Purge anchors cannot be deleted."))

    @api.model
    def _latest(self):
        return self.search([], limit=1)
