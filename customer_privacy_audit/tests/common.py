# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import fields
from odoo.addons.customer_privacy.tests.common import PrivacyCommon


class AuditCommon(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["privacy.audit.log"]
        cls.env.cr.execute("SELECT COALESCE(max(id), 0) FROM privacy_audit_log")
        cls.start_id = cls.env.cr.fetchone()[0]

    def flush_log(self):
        """Run the pre-commit hook that writes the buffered accesses, as the
        end of a request does."""
        self.env.cr.flush()

    def new_rows(self):
        return self.Log.sudo().search([("id", ">", self.start_id)], order="id")

    def log_entries(self, entries):
        """Append rows directly: {'user_id', 'action', 'res_ids', 'log_time', ...}."""
        now = fields.Datetime.now()
        rows = []
        for e in entries:
            row = {
                "log_time": now,
                "model": "res.partner",
                "record_count": len(e.get("res_ids", [])),
                "field_names": "phone",
                "reason": None,
                "origin": "test",
                "ip": None,
                "session_hash": None,
                "res_ids": [],
            }
            row.update(e)
            rows.append(row)
        self.Log.sudo()._append(rows)

    @staticmethod
    def minutes(n):
        return timedelta(minutes=n)
