# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Record the access points that ``customer_privacy`` exposes.

Accesses are gathered per transaction in the cursor's pre-commit data and
written by one pre-commit hook: at most one row per request, action, model
and origin, in the same transaction as the access (a rolled-back request
leaves no row, a committed one always does)."""

import psycopg2.errors

from odoo import api, models

from .privacy_audit_log import BUFFER


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _privacy_notify_access(self, action, records, fnames, **info):
        res = super()._privacy_notify_access(action, records, fnames, **info)
        if self.env.cr.readonly:
            # A read-only request (Odoo 18 serves reads on a replica when one
            # is configured) cannot log in its own transaction: ask Odoo to
            # run it again read/write, which it does for this very error.
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "access to protected data is logged in the same transaction"
            )
        data = self.env.cr.precommit.data
        buffer = data.get(BUFFER)
        if buffer is None:
            buffer = data[BUFFER] = {}
            # the hook runs with this environment, i.e. as this request's user
            self.env.cr.precommit.add(self.env["privacy.audit.log"]._flush_buffer)
        model = records._name if records is not None else info.get("model")
        key = (
            self.env.uid,
            action,
            model,
            info.get("origin"),
            info.get("reason"),
        )
        entry = buffer.setdefault(key, {"ids": {}, "fields": set(), "count": 0})
        if records:
            for rid in records._ids:
                rid = getattr(rid, "origin", rid)
                if isinstance(rid, int):
                    entry["ids"][rid] = None
        entry["fields"].update(fnames or ())
        entry["count"] += info.get("count", 0)
        return res
