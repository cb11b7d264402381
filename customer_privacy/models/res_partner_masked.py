# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Customers use their stored masked forms (privacy_masked_form.py) when a
list or an export masks many values at once."""

from odoo import api, models

from .privacy_masked_form import STORED_MASK_FIELDS

BATCH = 2000
# below this many records, the values are masked at read time: a form's few
# values are masked sooner than fetched
FETCH_MIN = 40


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # sudo: no group may touch the forms; computed when flushed
        self.env["privacy.masked.form"].sudo().create(
            [{"partner_id": partner.id} for partner in partners]
        )
        return partners

    def _privacy_stored_masks(self, fnames):
        ids = [rid for rid in self._ids if isinstance(rid, int)]
        policies = self._privacy_policies()
        formats = [
            (fname, policies[fname].mask_format)
            for fname in STORED_MASK_FIELDS
            if fname in fnames and fname in policies
        ]
        if len(ids) < FETCH_MIN or not formats:
            return {}
        # the forms of values written in this transaction are made and
        # written with the values
        self.flush_model([fname for fname, _fmt in formats])
        return self.env["privacy.masked.form"]._read_current(ids, formats)

    @api.model
    def _privacy_refresh_masked_values(self):
        """Make every customer's masked forms again, in batches: on
        installation (the policies are loaded after the rows are first
        computed) and on every update (the masking code may have changed).
        Customers created in SQL get their row here."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """INSERT INTO privacy_masked_form (partner_id)
               SELECT p.id FROM res_partner p
                WHERE NOT EXISTS (
                    SELECT 1 FROM privacy_masked_form f WHERE f.partner_id = p.id)"""
        )
        cr.execute("SELECT id FROM privacy_masked_form ORDER BY id")
        ids = [row[0] for row in cr.fetchall()]
        # the trigger may have dropped forms the cache still holds
        self.env.invalidate_all()
        Form = self.env["privacy.masked.form"].sudo()
        for start in range(0, len(ids), BATCH):
            rows = Form.browse(ids[start : start + BATCH])
            # only the rows that change are written: an update rewriting
            # every row would leave the table twice its size
            for row, vals in zip(
                rows, Form._make_forms([row.partner_id for row in rows]), strict=True
            ):
                if any(row[name] != value for name, value in vals.items()):
                    row.write(vals)
            rows.flush_recordset()
            self.env.invalidate_all()
