# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every access path of the field protection leaves exactly the expected
rows: one per request and action, the ids, the field names, never a value."""

from odoo.addons.customer_privacy.tests.common import role_login
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import AuditCommon

PHONE = "+86 139 1234 5678"
EMAIL = "zhang.secret@example.com"


@tagged("post_install", "-at_install")
class TestAccessLog(AuditCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Logged {i}", "phone": PHONE, "email": EMAIL} for i in range(3)]
        )
        cls.env.cr.flush()
        cls.env.cr.execute("SELECT COALESCE(max(id), 0) FROM privacy_audit_log")
        cls.start_id = cls.env.cr.fetchone()[0]

    def rows(self):
        self.flush_log()
        return self.new_rows()

    def as_sales(self):
        return self.env["res.partner"].with_user(self.users["sales"])

    def assertNoValue(self, rows):
        self.env.cr.execute(
            "SELECT row_to_json(l)::text FROM privacy_audit_log l WHERE id = ANY(%s)",
            [rows.ids],
        )
        dump = " ".join(r[0] for r in self.env.cr.fetchall())
        for secret in (PHONE, EMAIL, "1234 5678", "zhang.secret"):
            self.assertNotIn(secret, dump)

    def test_list_of_customers_is_one_masked_row_with_all_ids(self):
        self.as_sales().web_search_read(
            [("id", "in", self.customers.ids)],
            {"name": {}, "phone": {}, "email": {}},
        )
        rows = self.rows()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.action, "view_masked")
        self.assertEqual(rows.user_id, self.users["sales"])
        self.assertEqual(sorted(rows.res_ids), sorted(self.customers.ids))
        self.assertEqual(rows.record_count, 3)
        self.assertEqual(set(rows.field_names.split(",")), {"email", "phone"})
        self.assertNoValue(rows)

    def test_two_reads_in_one_request_are_one_row(self):
        Partner = self.as_sales()
        Partner.browse(self.customers[0].id).read(["phone"])
        Partner.browse(self.customers[1].id).read(["email"])
        rows = self.rows()
        self.assertEqual(len(rows), 1)
        self.assertEqual(sorted(rows.res_ids), sorted(self.customers[:2].ids))
        self.assertEqual(set(rows.field_names.split(",")), {"email", "phone"})

    def test_unprotected_read_leaves_no_row(self):
        self.as_sales().browse(self.customers.ids).read(["name", "city"])
        rows = self.rows()
        self.assertFalse(rows, rows.read(["action", "field_names", "model"]))

    def test_data_admin_view_is_clear(self):
        self.env["res.partner"].with_user(self.users["data_admin"]).browse(
            self.customers.ids
        ).read(["phone"])
        rows = self.rows()
        self.assertEqual(rows.mapped("action"), ["view_clear"])
        self.assertEqual(rows.origin, "role")

    def test_grant_holder_view_is_clear_with_grant_origin(self):
        self.env["privacy.access.grant"].sudo().create(
            {
                "user_id": self.users["sales"].id,
                "partner_ids": [(6, 0, self.customers[:1].ids)],
                "level": "medium",
                "date_expire": "2099-01-01 00:00:00",
                "origin": "request",
            }
        )
        self.as_sales().browse(self.customers.ids).read(["phone"])
        rows = self.rows()
        by_action = {r.action: r for r in rows}
        self.assertEqual(set(by_action), {"view_clear", "view_masked"})
        self.assertEqual(by_action["view_clear"].res_ids, self.customers[:1].ids)
        self.assertEqual(by_action["view_clear"].origin, "grant")
        self.assertEqual(
            sorted(by_action["view_masked"].res_ids), sorted(self.customers[1:].ids)
        )

    def test_export_row_has_fields_and_count(self):
        self.as_sales().browse(self.customers.ids).export_data(
            ["name", "phone", "email"]
        )
        rows = self.rows()
        export = rows.filtered(lambda r: r.action == "export")
        self.assertEqual(len(export), 1)
        self.assertEqual(export.record_count, 3)
        self.assertEqual(set(export.field_names.split(",")), {"email", "phone"})
        self.assertNoValue(rows)

    def test_write_create_delete_name_fields_never_values(self):
        Partner = self.as_sales()
        new = Partner.create({"name": "Fresh", "phone": "+86 137 0000 1111"})
        new.write({"email": "fresh@example.com", "city": "Beijing"})
        new.unlink()
        rows = self.rows()
        actions = {r.action: r for r in rows}
        self.assertEqual(set(actions), {"create", "write", "delete"})
        self.assertEqual(actions["create"].field_names, "phone")
        self.assertEqual(actions["write"].field_names, "email")
        self.assertEqual(actions["delete"].res_ids, new.ids)
        self.env.cr.execute(
            "SELECT row_to_json(l)::text FROM privacy_audit_log l WHERE id = ANY(%s)",
            [rows.ids],
        )
        dump = " ".join(r[0] for r in self.env.cr.fetchall())
        self.assertNotIn("0000 1111", dump)
        self.assertNotIn("fresh@example.com", dump)

    def test_merge_logs_the_crypto_shredding_of_the_merged_customer(self):
        merged, kept = self.customers[:2]
        merged.sudo().privacy_bank_card = "6222020200112341231"
        self.flush_log()
        self.start_id = self.Log.sudo().search([], order="id desc", limit=1).id
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.users["sales"])
            .create(
                {
                    "partner_ids": [(6, 0, (merged | kept).ids)],
                    "dst_partner_id": kept.id,
                }
            )
        )
        wizard.action_merge()
        rows = self.rows()
        shred = rows.filtered(lambda r: r.action == "key_operation")
        self.assertEqual(len(shred), 1)
        self.assertEqual(shred.res_ids, merged.ids)
        self.assertEqual(shred.user_id, self.users["sales"])
        self.assertEqual(
            set(shred.field_names.split(",")),
            {"privacy_id_number", "privacy_bank_card"},
        )
        self.assertIn("delete", rows.mapped("action"))
        self.assertNoValue(rows)

    def test_search_by_protected_field_is_logged(self):
        self.as_sales().search([("email", "=", EMAIL)])
        rows = self.rows()
        self.assertEqual(rows.mapped("action"), ["search"])
        self.assertEqual(rows.field_names, "email")
        self.assertNoValue(rows)

    def test_reveal_is_logged_with_reason(self):
        policy = self.env.ref("customer_privacy.policy_phone")
        wizard = (
            self.env["privacy.reveal.wizard"]
            .with_user(self.users["sales"])
            .create(
                {
                    "partner_id": self.customers[0].id,
                    "policy_ids": [(6, 0, policy.ids)],
                    "reason": "Customer asked for a call back",
                }
            )
        )
        wizard._reveal()
        rows = self.rows()
        reveal = rows.filtered(lambda r: r.action == "reveal")
        self.assertEqual(len(reveal), 1)
        self.assertEqual(reveal.reason, "Customer asked for a call back")
        self.assertEqual(reveal.res_ids, self.customers[:1].ids)
        self.assertEqual(reveal.field_names, "phone")

    def test_onchange_returning_no_protected_field_leaves_no_row(self):
        partner = self.as_sales().browse(self.customers[0].id)
        partner.onchange({"city": "Hangzhou"}, ["city"], {"city": {}, "phone": {}})
        self.assertFalse(self.rows())

    def test_group_by_protected_field_is_logged_masked(self):
        self.as_sales().read_group(
            [("id", "in", self.customers.ids)], ["email"], ["email"]
        )
        rows = self.rows()
        self.assertEqual(rows.mapped("action"), ["view_masked"])
        self.assertEqual(sorted(rows.res_ids), sorted(self.customers.ids))
        self.assertEqual(rows.field_names, "email")
        self.assertNoValue(rows)

    def test_exact_name_search_by_email_logs_a_search(self):
        self.as_sales().search([("email", "=ilike", EMAIL)])
        rows = self.rows()
        self.assertEqual(rows.mapped("action"), ["search"])
        self.assertEqual(rows.field_names, "email")
        self.assertFalse(rows.res_ids)
        self.assertNoValue(rows)

    def test_rolled_back_access_leaves_no_row(self):
        with self.env.cr.savepoint(flush=False) as sp:
            self.as_sales().browse(self.customers.ids).read(["phone"])
            sp.rollback()
            self.env.cr.precommit.clear()
        self.assertFalse(self.rows())


@tagged("post_install", "-at_install")
class TestAccessLogOverHttp(AuditCommon, HttpCase):
    def test_read_only_request_is_logged_in_its_own_transaction(self):
        """Odoo 18 serves web_search_read on a read-only cursor; the access
        is still logged, in the same request, once."""
        partner = self.env["res.partner"].create(
            {"name": "Http Logged", "phone": PHONE}
        )
        self.authenticate(role_login("sales"), role_login("sales"))
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/web_search_read",
            {
                "model": "res.partner",
                "method": "web_search_read",
                "args": [[("id", "=", partner.id)], {"phone": {}}],
                "kwargs": {},
            },
        )
        self.assertEqual(result["records"][0]["phone"], "139****5678")
        rows = self.new_rows().filtered(lambda r: r.res_ids == partner.ids)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.action, "view_masked")
        self.assertEqual(rows.user_id, self.users["sales"])
        self.assertEqual(rows.ip, "127.0.0.1")
        self.assertTrue(rows.session_hash)
