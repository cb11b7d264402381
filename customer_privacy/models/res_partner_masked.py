# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Masked forms of customers' protected fields, stored with them (SPEC §5).

Masking is pure Python, a few microseconds a value: an export of 10,000
customers would spend more time masking than exporting. So each customer
keeps the masked form of its protected contact fields, made when they are
written: ``field, format, masked value, checksum of the value`` for each
(``masking.pack_forms``).

A stored form is used only when it was made from the very value being shown
(checksum) with the field's current format; anything else - a policy added
or changed since, a value written in SQL - is masked at read time as before.
The column holds masked values and the checksums of the clear ones. A
checksum with its mask (``139****5678``) would give the hidden digits back
by brute force, so no group may read the column: only the masking code
does, in sudo, for a list or an export (a form's few values are masked
sooner than fetched)."""

from odoo import api, fields, models

from ..tools import masking

# the contact fields protected by the default policies
STORED_MASK_FIELDS = (
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "vat",
)
BATCH = 2000
# below this many records, stored forms not already fetched are not fetched
FETCH_MIN = 40


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    privacy_masked_values = fields.Text(
        string="Masked Forms",
        compute="_compute_privacy_masked_values",
        store=True,
        copy=False,
        groups=fields.NO_ACCESS,
    )

    @api.depends(*STORED_MASK_FIELDS)
    def _compute_privacy_masked_values(self):
        # the model's policies whoever writes (superuser included)
        policies = self._privacy_model_policies()
        for partner in self:
            forms = {}
            for fname in STORED_MASK_FIELDS:
                policy = policies.get(fname)
                value = partner[fname]
                if policy and value and isinstance(value, str):
                    forms[fname] = (
                        policy.mask_format,
                        self._privacy_apply_mask(policy.mask_format, value),
                        self._privacy_value_checksum(value),
                    )
            partner.privacy_masked_values = masking.pack_forms(forms) or False

    def _privacy_prefetch_masking(self):
        return [*super()._privacy_prefetch_masking(), "privacy_masked_values"]

    def _privacy_stored_masks(self):
        real = self.browse([rid for rid in self._ids if isinstance(rid, int)])
        if len(real) < FETCH_MIN:
            # a form: its few values are masked sooner than fetched (a list
            # of 40 or more fetches the column: one query, fewer maskings)
            field = self._fields["privacy_masked_values"]
            missing = set(self.env.cache.get_missing_ids(real, field))
            real = real.browse([rid for rid in real._ids if rid not in missing])
        if not real:
            return {}
        # from the cache, else that one column
        texts = (
            real.sudo()
            .with_context(prefetch_fields=False)
            .mapped("privacy_masked_values")
        )
        return {rid: text for rid, text in zip(real._ids, texts, strict=True) if text}

    @api.model
    def _privacy_refresh_masked_values(self):
        """Make the masked forms of every customer again, in batches: on
        installation (the policies are loaded after the column is first
        computed) and on every update (the masking code may have changed)."""
        self.env.cr.execute("SELECT id FROM res_partner ORDER BY id")
        ids = [row[0] for row in self.env.cr.fetchall()]
        field = self._fields["privacy_masked_values"]
        for start in range(0, len(ids), BATCH):
            partners = self.browse(ids[start : start + BATCH])
            self.env.add_to_compute(field, partners)
            partners.flush_recordset(["privacy_masked_values"])
            self.env.invalidate_all()
