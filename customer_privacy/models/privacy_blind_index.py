# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Blind indexes of the encrypted customer fields (SPEC §5), kept in a
table of their own.

A blind index is the HMAC-SHA256 of a normalised value under the index key
(``tools/crypto.py``), and finds a customer by the exact value of an
encrypted field. Each btree index of ``res_partner`` costs every query of
customers - and of users, who read their partner - its planning, even the
queries that never search it: with the two blind indexes on ``res_partner``
a read of three users measured 2-3 % slower than vanilla Odoo, with them here
within 1 % (docs/benchmarks.md). Only the exact searches of the encrypted
fields read this table.

One row per customer and encrypted field. No group has any access right on
this model: like a hash beside its mask, a digest is a test of a guessed
value, so only the encryption code reads and writes it, in SQL."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql import int_array


class PrivacyBlindIndex(models.Model):
    _name = "privacy.blind.index"
    _inherit = "privacy.customer.row"
    _description = "Blind Index of an Encrypted Value"
    _log_access = False

    field = fields.Char(required=True, readonly=True)
    digest = fields.Char(required=True, readonly=True, index=True)

    _sql_constraints = [
        (
            "partner_field_unique",
            "unique(partner_id, field)",
            "A customer has one blind index per encrypted field.",
        ),
    ]

    @api.model
    def _store(self, fname, digests):
        """Set the blind index of ``fname`` for each customer id of
        ``digests`` ({id: digest}); a false digest removes it."""
        kept = {pid: d for pid, d in digests.items() if d}
        gone = [pid for pid, d in digests.items() if not d]
        if gone:
            self.env.execute_query(
                SQL(
                    "DELETE FROM privacy_blind_index "
                    "WHERE field = %s AND partner_id = ANY(%s)",
                    fname,
                    int_array(gone),
                )
            )
        if kept:
            self.env.execute_query(
                SQL(
                    """INSERT INTO privacy_blind_index (partner_id, field, digest)
                       SELECT unnest(%s), %s, unnest(%s)
                       ON CONFLICT (partner_id, field)
                       DO UPDATE SET digest = EXCLUDED.digest""",
                    int_array(list(kept)),
                    fname,
                    list(kept.values()),
                )
            )
        self.invalidate_model()

    @api.model
    def _forget(self, partner_ids):
        """Remove every blind index of these customers (crypto-shredding)."""
        self.env.execute_query(
            SQL(
                "DELETE FROM privacy_blind_index WHERE partner_id = ANY(%s)",
                int_array(partner_ids),
            )
        )
        self.invalidate_model()

    @api.model
    def _partner_ids_query(self, fname, digests=None):
        """The query of the ids of the customers whose ``fname`` has one of
        ``digests``; with None, of those that have a value for it."""
        if digests is None:
            return SQL(
                "(SELECT partner_id FROM privacy_blind_index WHERE field = %s)",
                fname,
            )
        return SQL(
            "(SELECT partner_id FROM privacy_blind_index "
            "WHERE field = %s AND digest = ANY(%s))",
            fname,
            list(digests),
        )
