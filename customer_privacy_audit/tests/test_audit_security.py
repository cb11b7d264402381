# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Nobody changes the log: not through the ORM, not over RPC, not in SQL."""

import psycopg2

from odoo.addons.customer_privacy.tests.common import JsonRpcMixin
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException, new_test_user
from odoo.tools import mute_logger

from .common import AuditCommon


@tagged("post_install", "-at_install")
class TestAppendOnly(AuditCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        self.log_entries([{"user_id": self.users["sales"].id, "action": "view_clear"}])
        self.row = self.new_rows()[-1]

    def test_orm_write_unlink_create_refused_even_for_superuser(self):
        for Log in (
            self.Log,
            self.Log.sudo(),
            self.Log.with_user(self.users["data_admin"]),
        ):
            row = self.row.with_env(Log.env)
            with self.assertRaises(AccessError):
                row.write({"reason": "edited"})
            with self.assertRaises(AccessError):
                row.unlink()
            with self.assertRaises(AccessError):
                Log.create({"action": "view_clear", "log_time": "2026-01-01 00:00:00"})

    @mute_logger("odoo.sql_db")
    def test_sql_update_delete_truncate_refused_by_trigger(self):
        self.Log._seal()
        for query in (
            "UPDATE privacy_audit_log SET reason = 'x' WHERE id = %s",
            "UPDATE privacy_audit_log SET row_hash = 'x' WHERE id = %s",
            "DELETE FROM privacy_audit_log WHERE id = %s",
        ):
            with (
                self.subTest(query=query),
                self.assertRaisesRegex(psycopg2.Error, "append-only"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query, [self.row.id])
        with (
            self.assertRaisesRegex(psycopg2.Error, "append-only"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("TRUNCATE privacy_audit_log CASCADE")
        self.env.cr.execute(
            "SELECT reason FROM privacy_audit_log WHERE id = %s", [self.row.id]
        )
        self.assertIsNone(self.env.cr.fetchone()[0])

    @mute_logger("odoo.sql_db")
    def test_unsealed_row_payload_cannot_change_while_sealing(self):
        with (
            self.assertRaisesRegex(psycopg2.Error, "append-only"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE privacy_audit_log SET row_hash = 'x', reason = 'y' WHERE id = %s",
                [self.row.id],
            )

    def test_purge_flag_does_not_delete_unsealed_rows(self):
        with (
            self.assertRaises(psycopg2.Error),
            self.env.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self.env.cr.execute("SET LOCAL customer_privacy.audit_purge = 'on'")
            self.env.cr.execute(
                "DELETE FROM privacy_audit_log WHERE id = %s", [self.row.id]
            )

    def test_who_reads_the_log(self):
        for role, allowed in {
            "auditor": True,
            "data_admin": True,
            "sales": False,
            "compliance": False,
            "collector": False,
            "executive": False,
        }.items():
            with self.subTest(role=role):
                Log = self.Log.with_user(self.users[role])
                if allowed:
                    self.assertIn(self.row, Log.search([]))
                else:
                    with self.assertRaises(AccessError):
                        Log.search([])


@tagged("post_install", "-at_install")
class TestAppendOnlyRpc(AuditCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sysadmin = new_test_user(
            cls.env,
            login="cp_audit_sysadmin",
            password="cp_audit_sysadmin",
            groups="base.group_system,customer_privacy.group_privacy_data_admin",
        )

    @mute_logger("odoo.http")
    def test_admin_cannot_write_or_delete_log_over_jsonrpc(self):
        self.log_entries([{"user_id": self.users["sales"].id, "action": "export"}])
        row = self.new_rows()[-1]
        for method, args in (
            ("write", ([row.id], {"reason": "cover-up"})),
            ("unlink", ([row.id],)),
            ("create", ({"action": "view_clear", "log_time": "2026-01-01 00:00:00"},)),
        ):
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self.rpc(
                    self.sysadmin,
                    "cp_audit_sysadmin",
                    "privacy.audit.log",
                    method,
                    *args,
                )
        self.assertFalse(row.reason)
        self.assertTrue(row.exists())

    @mute_logger("odoo.http")
    def test_sales_cannot_read_log_over_jsonrpc(self):
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.as_role("sales", "privacy.audit.log", "search_read", [])
        rows = self.as_role("auditor", "privacy.audit.log", "search_read", [])
        self.assertIsInstance(rows, list)
