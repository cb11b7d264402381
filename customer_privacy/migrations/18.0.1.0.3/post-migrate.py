# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Industry code prefixes are checked unique in Python: their unique index
cost each query of industries its planning (docs/benchmarks.md). Odoo then
removes the constraint's record, as for any constraint a module drops."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE res_partner_industry "
        "DROP CONSTRAINT IF EXISTS res_partner_industry_privacy_code_unique"
    )
