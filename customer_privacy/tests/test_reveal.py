# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""查看明文: a salesperson reveals a customer's masked field with a reason,
for a limited time, on that customer only (SPEC §5)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import role_login
from .test_field_protection import COMPANY_STREET, CUSTOMER, FieldProtectionCommon

REASON = "Customer asked to be called back about order S00042"
PHONE, PHONE_MASKED = CUSTOMER["phone"]


class RevealCommon(FieldProtectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone_policy = cls.env.ref("customer_privacy.policy_phone")
        cls.email_policy = cls.env.ref("customer_privacy.policy_email")

    def wizard(self, role="sales", policies=None, reason=REASON, partner=None):
        return (
            self.env["privacy.reveal.wizard"]
            .with_user(self.users[role])
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "policy_ids": [(6, 0, (policies or self.phone_policy).ids)],
                    "reason": reason,
                }
            )
        )

    def read_as(self, role, partner=None, fnames=("phone", "email", "mobile")):
        partner = (partner or self.customer).with_user(self.users[role])
        return partner.read(list(fnames))[0]


@tagged("post_install", "-at_install")
class TestReveal(RevealCommon, TransactionCase):
    def test_salesperson_reveals_phone_with_a_reason(self):
        self.assertEqual(self.read_as("sales")["phone"], PHONE_MASKED)
        grant = self.wizard()._reveal()
        self.assertEqual(grant.user_id, self.users["sales"])
        self.assertEqual(grant.partner_ids, self.customer)
        self.assertEqual(grant.field_names, "phone")
        self.assertEqual(grant.origin, "reveal")
        self.assertEqual(grant.reason, REASON)
        expires_in = grant.date_expire - fields.Datetime.now()
        self.assertTrue(timedelta(minutes=14) < expires_in <= timedelta(minutes=15))
        values = self.read_as("sales")
        self.assertEqual(values["phone"], PHONE)
        # only the field revealed
        self.assertEqual(values["email"], CUSTOMER["email"][1])
        self.assertEqual(values["mobile"], CUSTOMER["mobile"][1])

    def test_reveal_button_shows_where_a_reveal_is_possible(self):
        def can_reveal(role):
            return self.customer.with_user(self.users[role]).privacy_can_reveal

        # masked and allowed to reveal; cleared by role; not allowed
        self.assertTrue(can_reveal("sales"))
        self.assertFalse(can_reveal("data_admin"))
        self.assertFalse(can_reveal("collector"))
        # once every revealable field is granted, nothing is left to reveal
        self.wizard(
            policies=self.env["privacy.field.policy"].search(
                [("model_name", "=", "res.partner"), ("sensitivity", "!=", "high")]
            )
        )._reveal()
        self.customer.invalidate_recordset(["privacy_can_reveal"])
        self.assertFalse(can_reveal("sales"))

    def test_reveal_of_phone_does_not_open_copies_of_other_fields(self):
        # phone_sanitized holds the first valid of mobile and phone: revealing
        # the phone must not show the mobile through it
        self.wizard()._reveal()
        values = self.read_as("sales", fnames=["phone", "phone_sanitized"])
        self.assertEqual(values["phone"], PHONE)
        self.assertEqual(values["phone_sanitized"], "139****5678")

    def test_reveal_opens_that_customer_only(self):
        other = self.env["res.partner"].create({"name": "Other", "phone": PHONE})
        self.wizard()._reveal()
        self.assertEqual(self.read_as("sales")["phone"], PHONE)
        self.assertEqual(self.read_as("sales", other)["phone"], PHONE_MASKED)
        self.assertEqual(
            self.read_as("sales", self.company, ["street"])["street"],
            COMPANY_STREET[1],
        )

    def test_reveal_opens_for_that_user_only(self):
        self.wizard()._reveal()
        for role in ("collector", "dept_head", "compliance", "auditor"):
            with self.subTest(role=role):
                self.assertEqual(self.read_as(role)["phone"], PHONE_MASKED)
        self.assertEqual(self.read_as("sales")["phone"], PHONE)

    def test_reveal_stops_working_when_it_expires(self):
        self.wizard()._reveal()
        now = fields.Datetime.now()
        with freeze_time(now + timedelta(minutes=14)):
            self.assertEqual(self.read_as("sales")["phone"], PHONE)
        with freeze_time(now + timedelta(minutes=16)):
            self.assertEqual(self.read_as("sales")["phone"], PHONE_MASKED)

    def test_expired_grant_opens_nothing(self):
        self.env["privacy.access.grant"].sudo().create(
            {
                "user_id": self.users["sales"].id,
                "partner_ids": [(6, 0, self.customer.ids)],
                "level": "medium",
                "date_expire": fields.Datetime.now() - timedelta(seconds=1),
                "origin": "request",
                "reason": "Expired approval",
            }
        )
        self.assertEqual(self.read_as("sales")["phone"], PHONE_MASKED)

    def test_reveal_minutes_come_from_the_settings(self):
        self.env["ir.config_parameter"].set_param("customer_privacy.reveal_minutes", 5)
        grant = self.wizard()._reveal()
        expires_in = grant.date_expire - fields.Datetime.now()
        self.assertTrue(timedelta(minutes=4) < expires_in <= timedelta(minutes=5))

    @mute_logger("odoo.sql_db")
    def test_short_reason_is_refused(self):
        for reason in ("too short", "  call me    ", "\n\n   \n   \t\n"):
            with self.subTest(reason=reason):
                with self.assertRaisesRegex(ValidationError, "at least 10"):
                    self.wizard(reason=reason)
        self.assertFalse(
            self.env["privacy.access.grant"].search(
                [("user_id", "=", self.users["sales"].id)]
            )
        )

    def test_high_fields_and_fields_without_reveal_group_are_refused(self):
        Policy = self.env["privacy.field.policy"]
        partner_model = self.env.ref("base.model_res_partner")
        high = Policy.create(
            {
                "model_id": partner_model.id,
                "field_id": self.env.ref("base.field_res_partner__ref").id,
                "sensitivity": "high",
                "mask_format": "generic",
            }
        )
        no_reveal = Policy.create(
            {
                "model_id": partner_model.id,
                "field_id": self.env.ref("base.field_res_partner__city").id,
                "sensitivity": "medium",
                "mask_format": "generic",
            }
        )
        for policies in (high, no_reveal, high | self.phone_policy):
            with self.subTest(fields=policies.mapped("field_name")):
                wizard = self.wizard(policies=policies)
                self.assertNotIn(high, wizard.allowed_policy_ids)
                self.assertNotIn(no_reveal, wizard.allowed_policy_ids)
                with self.assertRaisesRegex(AccessError, "You may not reveal"):
                    wizard._reveal()
        self.assertFalse(
            self.env["privacy.access.grant"].search(
                [("user_id", "=", self.users["sales"].id)]
            )
        )
        self.assertEqual(self.read_as("sales")["phone"], PHONE_MASKED)

    def test_chatter_note_names_fields_and_reason_not_values(self):
        self.wizard(policies=self.phone_policy | self.email_policy)._reveal()
        note = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("body", "ilike", "revealed"),
            ]
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.users["sales"].partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("Phone", note.body)
        self.assertIn("Email", note.body)
        self.assertIn(REASON, note.body)
        for secret in (PHONE, "0013", "8000", "zhangsan"):
            self.assertNotIn(secret, note.body)

    def test_reason_is_escaped_in_the_chatter(self):
        self.wizard(reason="<img src=x onerror=alert(1)> needed for the call")._reveal()
        note = self.env["mail.message"].search(
            [("res_id", "=", self.customer.id), ("body", "ilike", "revealed")]
        )
        self.assertNotIn("<img", note.body)
        self.assertIn("&lt;img", note.body)

    def test_auditor_and_collector_cannot_reveal(self):
        for role in ("auditor", "collector"):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.wizard(role=role)
                self.assertEqual(self.read_as(role)["phone"], PHONE_MASKED)

    def test_reveal_needs_read_access_to_the_customer(self):
        # the top-secret customer of "sales" is invisible to "sales2"
        wizard = self.wizard(role="sales2", partner=self.top_secret)
        with self.assertRaises(AccessError):
            wizard._reveal()

    def test_reveal_action_requires_an_interactive_identity_check(self):
        wizard = self.wizard()
        with self.assertRaisesRegex(UserError, "only be accessed over HTTP"):
            wizard.action_reveal()
        self.assertFalse(
            self.env["privacy.access.grant"].search(
                [("user_id", "=", self.users["sales"].id)]
            )
        )

    def test_wizard_offers_the_masked_fields_the_user_may_reveal(self):
        Wizard = self.env["privacy.reveal.wizard"].with_user(self.users["sales"])
        defaults = Wizard.with_context(default_partner_id=self.customer.id).default_get(
            ["partner_id", "policy_ids"]
        )
        offered = self.env["privacy.field.policy"].browse(defaults["policy_ids"][0][2])
        self.assertEqual(
            set(offered.mapped("field_name")),
            {"email", "phone", "mobile", "street", "street2", "zip", "vat"},
        )
        # once the phone is revealed it is no longer offered
        self.wizard()._reveal()
        defaults = Wizard.with_context(default_partner_id=self.customer.id).default_get(
            ["partner_id", "policy_ids"]
        )
        offered = self.env["privacy.field.policy"].browse(defaults["policy_ids"][0][2])
        self.assertNotIn("phone", offered.mapped("field_name"))
        self.assertIn("email", offered.mapped("field_name"))


@tagged("post_install", "-at_install")
class TestRevealTour(RevealCommon, HttpCase):
    def test_salesperson_reveals_phone_in_the_browser(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "customer_privacy_reveal_tour",
            login=role_login("sales"),
        )
        grant = self.env["privacy.access.grant"].search(
            [("user_id", "=", self.users["sales"].id), ("origin", "=", "reveal")]
        )
        self.assertEqual(grant.partner_ids, self.customer)
        self.assertIn("phone", grant.field_names.split(","))
