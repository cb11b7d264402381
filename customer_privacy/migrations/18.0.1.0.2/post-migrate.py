# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The blind indexes move from two columns of res_partner, each with its
index, to ``privacy_blind_index``: an index of res_partner costs every query
of customers and users its planning (docs/benchmarks.md). The digests are
copied as they are (same index key, same normalisation); then the columns go,
and their indexes with them."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

FIELDS = ("privacy_id_number", "privacy_bank_card")


def migrate(cr, version):
    if not version:
        return
    for fname in FIELDS:
        column = f"{fname}_bidx"
        if not column_exists(cr, "res_partner", column):
            continue
        cr.execute(
            SQL(
                """INSERT INTO privacy_blind_index (partner_id, field, digest)
                   SELECT id, %s, %s FROM res_partner WHERE %s IS NOT NULL
                   ON CONFLICT (partner_id, field) DO NOTHING""",
                fname,
                SQL.identifier(column),
                SQL.identifier(column),
            )
        )
        cr.execute(
            SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(column))
        )
