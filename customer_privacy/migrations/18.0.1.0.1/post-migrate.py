# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Three indexes of res_partner go: Odoo keeps an index whose field no
longer asks for it, and each index of res_partner costs every query of
customers its planning and a lock (docs/benchmarks.md). Customer codes are
found through their unique constraint's index; confidentiality and the
restricted flag are never searched in SQL but in one scan."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    for name in (
        "res_partner__privacy_code_index",
        "res_partner__privacy_confidentiality_index",
        "res_partner__privacy_restricted_index",
    ):
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
