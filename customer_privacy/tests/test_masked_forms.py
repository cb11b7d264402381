# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stored masked forms (res_partner_masked.py), the cached grant horizon and
the top-secret rule's subquery: the shortcuts taken for speed never show a
clear value, a stale mask, or hide what a grant opens."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase, tagged
from odoo.tools import SQL

from ..hooks import uninstall_hook
from ..models.base import _current_memo
from ..models.privacy_masked_form import STORED_MASK_FIELDS, TRIGGER
from ..tools import masking
from .common import PrivacyCommon

EMAIL = "wang.fang@example.cn"
EXPORT = ["name", "email", "phone", "street"]


@tagged("post_install", "-at_install")
class TestMaskedForms(PrivacyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "王芳",
                "email": EMAIL,
                "phone": "+86 139 1234 5678",
                "street": "北京市海淀区中关村大街27号",
            }
        )
        cls.sales = cls.users["sales"]

    def _stored(self, partner):
        """{field: masked form} stored for ``partner``."""
        self.env.flush_all()
        Form = self.env["privacy.masked.form"]
        row = Form.search([("partner_id", "=", partner.id)])
        row.invalidate_recordset()
        return {
            fname: row[f"{fname}_masked"]
            for fname in STORED_MASK_FIELDS
            if row and row[f"{fname}_masked"]
        }

    def _others(self):
        """Enough customers the salesperson sees for the export to read the
        stored forms (a few records are masked without them)."""
        return (
            self.env["res.partner"]
            .with_user(self.sales)
            .search([], limit=300)
            .sudo()
            .with_user(self.env.user)
        )

    def _export(self, user, partners):
        return (
            partners.with_user(user).with_context(active_test=False).export_data(EXPORT)
        )["datas"]

    def test_forms_are_stored_masked_never_clear(self):
        forms = self._stored(self.customer)
        # the name policy is off by default: no form for the name
        self.assertEqual(set(forms), {"email", "phone", "street"})
        self.assertEqual(forms["email"], masking.mask("email", EMAIL))
        self.assertEqual(forms["phone"], "139****5678")
        self.env.cr.execute(
            "SELECT f::text FROM privacy_masked_form f WHERE partner_id = %s",
            self.customer.ids,
        )
        text = self.env.cr.fetchone()[0]
        for clear in (EMAIL, "1234 5678", "中关村"):
            self.assertNotIn(clear, text)

    def test_every_customer_has_one_row_deleted_with_it(self):
        Form = self.env["privacy.masked.form"]
        partners = self.env["res.partner"].create(
            [{"name": "A", "email": "a@example.com"}, {"name": "B"}]
        )
        self.assertEqual(Form.search_count([("partner_id", "in", partners.ids)]), 2)
        copy = self.customer.copy()
        self.assertEqual(set(self._stored(copy)), {"email", "phone", "street"})
        partners.unlink()
        self.assertFalse(Form.search_count([("partner_id", "in", partners.ids)]))

    def test_customer_without_row_is_masked_at_read_time(self):
        # e.g. a customer inserted in SQL: no row until the next refresh
        partner = self.env["res.partner"].create(
            {"name": "SQL", "email": "sql.only@example.com"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM privacy_masked_form WHERE partner_id = %s", partner.ids
        )
        self.env.invalidate_all()
        self.assertFalse(self._stored(partner))
        rows = {
            row[0]: row for row in self._export(self.sales, partner | self._others())
        }
        self.assertEqual(rows["SQL"][1], masking.mask("email", "sql.only@example.com"))
        self.env["res.partner"]._privacy_refresh_masked_values()
        self.assertEqual(
            self._stored(partner)["email"],
            masking.mask("email", "sql.only@example.com"),
        )

    def test_refresh_rewrites_only_the_forms_that_change(self):
        def location():
            return self._location(self.customer)

        Partner = self.env["res.partner"]
        before = location()
        Partner._privacy_refresh_masked_values()
        self.assertEqual(location(), before, "an unchanged row is not rewritten")
        self.env.ref("customer_privacy.policy_email").mask_format = "full"
        Partner._privacy_refresh_masked_values()
        self.assertNotEqual(location(), before)
        self.assertEqual(
            self._stored(self.customer)["email"], masking.mask("full", EMAIL)
        )

    def test_forms_follow_writes(self):
        self.customer.email = "li.lei@example.org"
        self.assertEqual(
            self._stored(self.customer)["email"],
            masking.mask("email", "li.lei@example.org"),
        )

    def _sql_update(self, partner, column, value):
        """Write ``value`` in SQL, behind the ORM's back (another module's
        migration, a script)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET %s = %s WHERE id = %s",
                SQL.identifier(column),
                value,
                partner.id,
            )
        )
        self.env.invalidate_all()

    def _location(self, partner):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT ctid::text FROM privacy_masked_form WHERE partner_id = %s",
            partner.ids,
        )
        return self.env.cr.fetchone()[0]

    def test_trigger_drops_the_form_of_a_value_changed_in_sql(self):
        self._sql_update(self.customer, "email", "zhao.lei@example.net")
        self.assertEqual(set(self._stored(self.customer)), {"phone", "street"})
        self._sql_update(self.customer, "phone", None)
        self.assertEqual(set(self._stored(self.customer)), {"street"})
        self.env["res.partner"]._privacy_refresh_masked_values()
        self.assertEqual(
            self._stored(self.customer)["email"],
            masking.mask("email", "zhao.lei@example.net"),
        )

    def test_trigger_keeps_forms_of_unchanged_and_unprotected_values(self):
        before = self._location(self.customer)
        self._sql_update(self.customer, "city", "Beijing")
        self._sql_update(self.customer, "email", EMAIL)  # the same value
        self.assertEqual(self._location(self.customer), before, "row not rewritten")
        # a form already made from the new value (the ORM flushed it before
        # the customer) is kept
        self.customer.email = "li.lei@example.org"
        self.env["privacy.masked.form"].flush_model()
        self._sql_update(self.customer, "email", "li.lei@example.org")
        self.assertEqual(
            self._stored(self.customer)["email"],
            masking.mask("email", "li.lei@example.org"),
        )

    def test_uninstall_hook_drops_the_trigger(self):
        def trigger_exists():
            self.env.cr.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s", [TRIGGER]
            )
            return self.env.cr.fetchone()[0] == 1

        self.assertTrue(trigger_exists())
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False) as savepoint:
            uninstall_hook(self.env)
            self.assertFalse(trigger_exists())
            self.env.cr.execute(
                "SELECT count(*) FROM pg_proc WHERE proname = %s", [TRIGGER]
            )
            self.assertEqual(self.env.cr.fetchone()[0], 0)
            # the table goes: customers are still written
            self.env.cr.execute("DROP TABLE privacy_masked_form CASCADE")
            self.env.cr.execute(
                "UPDATE res_partner SET email = 'x@example.com' WHERE id = %s",
                self.customer.ids,
            )
            savepoint.close()  # rolled back
        self.assertTrue(trigger_exists())

    def test_export_uses_forms_only_for_the_value_they_were_made_from(self):
        # a value changed behind the ORM's back: its stored form is dropped
        self._sql_update(self.customer, "email", "zhao.lei@example.net")
        # many records: the export reads the stored forms
        partners = self.customer | self._others()
        rows = {row[0]: row for row in self._export(self.sales, partners)}
        self.assertEqual(rows["王芳"][1], masking.mask("email", "zhao.lei@example.net"))
        self.assertNotEqual(rows["王芳"][1], masking.mask("email", EMAIL))

    def test_lists_and_exports_show_the_stored_forms(self):
        # a stored form marked by hand (its hash kept) shows where it is used
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE privacy_masked_form SET email_masked = 'w****@stored'"
            " WHERE partner_id = %s",
            self.customer.ids,
        )
        self.env.invalidate_all()
        partners = self.customer | self._others()
        rows = {row[0]: row for row in self._export(self.sales, partners)}
        self.assertEqual(rows["王芳"][1], "w****@stored")
        listed = partners.with_user(self.sales).read(["email"])
        self.assertIn("w****@stored", [vals["email"] for vals in listed])
        # a form view's single record is masked at read time
        read = self.customer.with_user(self.sales).read(["email"])[0]
        self.assertEqual(read["email"], masking.mask("email", EMAIL))
        # a user cleared by role sees the value
        admin = partners.with_user(self.users["data_admin"])
        self.assertIn(EMAIL, [vals["email"] for vals in admin.read(["email"])])

    def test_many_records_companies_keep_their_vat_clear(self):
        # the export's own query also tells which customers are companies
        company = self.env["res.partner"].create(
            {"name": "Acme Co", "is_company": True, "vat": "91310000MA1FL8XX5X"}
        )
        self.customer.vat = "110101199003074477"
        partners = self.customer | company | self._others()
        self.assertGreaterEqual(len(partners), 40)
        rows = {
            row[0]: row[1]
            for row in partners.with_user(self.sales).export_data(["name", "vat"])[
                "datas"
            ]
        }
        self.assertEqual(rows["Acme Co"], "91310000MA1FL8XX5X")
        self.assertEqual(rows["王芳"], masking.mask("generic", "110101199003074477"))

    def test_is_company_is_fetched_with_the_fields_it_decides_on(self):
        partners = self._others().with_user(self.sales)
        is_company = partners._fields["is_company"]

        def missing():
            return list(self.env.cache.get_missing_ids(partners, is_company))

        self.env.invalidate_all()
        partners.fetch(["email"])  # protected on companies too
        self.assertEqual(len(missing()), len(partners))
        partners.fetch(["vat"])  # protected on individuals only
        self.assertFalse(missing())
        self.env.invalidate_all()
        partners.sudo().fetch(["vat"])  # business code: nothing masked
        self.assertEqual(len(missing()), len(partners))

    def test_export_follows_is_company_changed_in_the_transaction(self):
        company = self.env["res.partner"].create(
            {"name": "Acme Co", "is_company": True, "vat": "91310000MA1FL8XX5X"}
        )
        self.customer.vat = "110101199003074477"
        partners = self.customer | company | self._others()
        self.env.flush_all()
        self.env.invalidate_all()
        # not flushed: the export sees the values of the transaction
        company.is_company = False
        self.customer.is_company = True
        rows = {
            row[0]: row[1]
            for row in partners.with_user(self.sales).export_data(["name", "vat"])[
                "datas"
            ]
        }
        self.assertEqual(rows["Acme Co"], masking.mask("generic", "91310000MA1FL8XX5X"))
        self.assertEqual(rows["王芳"], "110101199003074477")

    def test_export_sub_lines_are_masked_line_by_line(self):
        parent = self.env["res.partner"].create(
            {
                "name": "Parent Co",
                "email": "boss@parent.example",
                "child_ids": [
                    (0, 0, {"name": "C1", "email": "c1@child.example"}),
                    (0, 0, {"name": "C2", "email": "c2@child.example"}),
                ],
            }
        )
        rows = parent.with_user(self.sales).export_data(
            ["name", "email", "child_ids/email"]
        )["datas"]
        mask = masking.mask
        self.assertEqual(
            rows,
            [
                [
                    "Parent Co",
                    mask("email", "boss@parent.example"),
                    "c***@child.example",
                ],
                ["", "", "c***@child.example"],
            ],
        )
        self.assertNotIn("boss@", repr(rows))
        self.assertNotIn("c1@", repr(rows))

    def test_forms_of_another_format_are_not_used(self):
        policy = self.env.ref("customer_privacy.policy_email")
        policy.mask_format = "full"
        partners = self.customer | self._others()
        rows = {row[0]: row for row in self._export(self.sales, partners)}
        self.assertEqual(rows["王芳"][1], masking.mask("full", EMAIL))
        read = self.customer.with_user(self.sales).read(["email"])[0]
        self.assertEqual(read["email"], masking.mask("full", EMAIL))

    def _refresh_triggers(self):
        cron = self.env.ref("customer_privacy.cron_refresh_masked_forms")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

    def test_policy_changes_of_stored_fields_trigger_the_remaking(self):
        policy = self.env.ref("customer_privacy.policy_email")
        admin = self.users["data_admin"]
        before = self._refresh_triggers()
        policy.with_user(admin).mask_format = "full"
        self.assertEqual(self._refresh_triggers(), before + 1)
        policy.with_user(admin).sensitivity = policy.sensitivity  # not the forms
        self.assertEqual(self._refresh_triggers(), before + 1)
        # a field whose form customers do not store
        city = (
            self.env["privacy.field.policy"]
            .with_user(admin)
            .create(
                {
                    "model_id": self.env.ref("base.model_res_partner").id,
                    "field_id": self.env.ref("base.field_res_partner__city").id,
                    "sensitivity": "medium",
                    "mask_format": "generic",
                }
            )
        )
        city.mask_format = "full"
        city.unlink()
        self.assertEqual(self._refresh_triggers(), before + 1)
        policy.with_user(admin).active = False
        self.assertEqual(self._refresh_triggers(), before + 2)
        # the cron's job makes the forms in the new format
        policy.active = True
        self.env["res.partner"]._privacy_refresh_masked_values()
        self.assertEqual(
            self._stored(self.customer)["email"], masking.mask("full", EMAIL)
        )

    def test_search_read_masks_and_cleared_users_see_clear(self):
        partners = self.env["res.partner"].search([("id", "=", self.customer.id)])
        as_sales = partners.with_user(self.sales).search_read(
            [("id", "=", self.customer.id)], ["email", "phone"]
        )[0]
        self.assertEqual(as_sales["email"], masking.mask("email", EMAIL))
        as_admin = partners.with_user(self.users["data_admin"]).search_read(
            [("id", "=", self.customer.id)], ["email", "phone"]
        )[0]
        self.assertEqual(as_admin["email"], EMAIL)

    def test_collector_still_cannot_export_protected_fields(self):
        collector = self.users["collector"]
        # even allowed to export by Odoo, a collector exports no protected field
        collector.groups_id |= self.env.ref("base.group_allow_export")
        with self.assertRaises(AccessError):
            self._export(collector, self.customer)

    def test_grant_made_after_a_read_opens_at_once(self):
        Partner = self.customer.with_user(self.sales)
        self.assertEqual(
            Partner.read(["email"])[0]["email"], masking.mask("email", EMAIL)
        )
        # the horizon of 'no grant' is cached by that read; a new grant clears it
        self.env["privacy.access.grant"].sudo().create(
            {
                "user_id": self.sales.id,
                "partner_ids": [(6, 0, self.customer.ids)],
                "level": "medium",
                "origin": "reveal",
                "reason": "Customer called about an invoice",
                "date_expire": fields.Datetime.now() + timedelta(minutes=10),
            }
        )
        self.assertEqual(Partner.read(["email"])[0]["email"], EMAIL)
        other = self.customer.with_user(self.users["sales2"])
        self.assertEqual(
            other.read(["email"])[0]["email"], masking.mask("email", EMAIL)
        )

    def test_lookup_memo_goes_with_the_ormcache(self):
        Partner = self.customer.with_user(self.sales)
        masked = masking.mask("email", EMAIL)
        self.assertEqual(Partner.read(["email"])[0]["email"], masked)
        memo = _current_memo(self.registry)
        self.assertIsNotNone(memo, "policies and groups are memoized")
        # a role change clears Odoo's caches: the memo goes with them
        self.sales.groups_id |= self.env.ref(
            "customer_privacy.group_privacy_data_admin"
        )
        del memo
        self.assertIsNone(_current_memo(self.registry))
        self.assertEqual(Partner.read(["email"])[0]["email"], EMAIL)
        # and so does any other clearing (a policy, another worker's signal)
        self.registry.clear_cache()
        self.assertIsNone(_current_memo(self.registry))

    def test_top_secret_rule_subquery(self):
        Partner = self.env["res.partner"]
        secret = self.top_secret
        for role, visible in (
            ("sales", True),  # salesperson
            ("compliance", True),  # authorised user
            ("sales2", False),
            ("executive", False),
            ("data_admin", True),
        ):
            with self.subTest(role=role):
                found = Partner.with_user(self.users[role]).search(
                    [("id", "=", secret.id)]
                )
                self.assertEqual(bool(found), visible)
        hidden = Partner.with_user(self.users["sales2"]).search(
            [("privacy_visible", "=", False), ("id", "=", secret.id)]
        )
        self.assertFalse(hidden, "the rule still applies to a search for hidden ones")
        self.assertIn(
            secret,
            Partner.with_user(self.users["sales2"])
            .sudo()
            .search([("privacy_visible", "=", False)]),
        )
