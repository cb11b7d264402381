# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stored masked forms (res_partner_masked.py), the cached grant horizon and
the top-secret rule's subquery: the shortcuts taken for speed never show a
clear value, a stale mask, or hide what a grant opens."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase, tagged

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
        partner.flush_recordset()
        text = partner.sudo().privacy_masked_values
        return {
            fname: form
            for fname in ("name", "email", "phone", "mobile", "street", "zip", "vat")
            if (form := masking.unpack_form(text, fname))
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
        self.assertEqual(forms["email"][1], masking.mask("email", EMAIL))
        self.assertEqual(forms["phone"][1], "139****5678")
        text = self.customer.sudo().privacy_masked_values
        for clear in (EMAIL, "1234 5678", "中关村"):
            self.assertNotIn(clear, text)

    def test_forms_follow_writes(self):
        self.customer.email = "li.lei@example.org"
        self.assertEqual(
            self._stored(self.customer)["email"][1],
            masking.mask("email", "li.lei@example.org"),
        )

    def test_export_uses_forms_only_for_the_value_they_were_made_from(self):
        # a value changed behind the ORM's back: its stored form is stale
        self.customer.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET email = %s WHERE id = %s",
            ["zhao.lei@example.net", self.customer.id],
        )
        self.customer.invalidate_recordset()
        # many records: the export reads the stored forms
        partners = self.customer | self._others()
        rows = {row[0]: row for row in self._export(self.sales, partners)}
        self.assertEqual(rows["王芳"][1], masking.mask("email", "zhao.lei@example.net"))
        self.assertNotEqual(rows["王芳"][1], masking.mask("email", EMAIL))

    def test_forms_of_another_format_are_not_used(self):
        policy = self.env.ref("customer_privacy.policy_email")
        policy.mask_format = "full"
        partners = self.customer | self._others()
        rows = {row[0]: row for row in self._export(self.sales, partners)}
        self.assertEqual(rows["王芳"][1], masking.mask("full", EMAIL))
        read = self.customer.with_user(self.sales).read(["email"])[0]
        self.assertEqual(read["email"], masking.mask("full", EMAIL))

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
