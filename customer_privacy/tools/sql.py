# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""SQL fragments shared by the models."""

from odoo.tools import SQL


def int_array(ids):
    """``ids`` as one ``int4[]`` parameter: psycopg2 adapts a list item by
    item, which costs more than the query for thousands of ids."""
    return SQL("%s::int4[]", "{" + ",".join(map(str, ids)) + "}")
