# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Installation hooks."""


def uninstall_hook(env):
    """The masked forms' trigger lives on ``res_partner``, which stays: it
    goes before the table it writes to."""
    env["privacy.masked.form"]._drop_trigger()
