# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The same rules over JSON-RPC, as each role's own session would meet them."""

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException, new_test_user
from odoo.tools import mute_logger

from .common import JsonRpcMixin, PrivacyCommon
from .test_classification import TOP_SECRET_VISIBLE


@tagged("post_install", "-at_install")
class TestRpcAccess(PrivacyCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sysadmin = new_test_user(
            cls.env,
            login="cp_sysadmin",
            password="cp_sysadmin",
            groups="base.group_system,customer_privacy.group_privacy_data_admin",
        )

    def assert_read_refused(self, role, partner, fname):
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.as_role(role, "res.partner", "read", [partner.id], [fname])

    @mute_logger("odoo.http")
    def test_top_secret_visibility_per_role_over_jsonrpc(self):
        for role, visible in TOP_SECRET_VISIBLE.items():
            with self.subTest(role=role):
                rows = self.as_role(
                    role,
                    "res.partner",
                    "search_read",
                    [("id", "=", self.top_secret.id)],
                    fields=["name", "privacy_code", "privacy_authorized_user_ids"],
                )
                self.assertEqual(bool(rows), visible)
                if visible:
                    self.assertEqual(
                        rows[0]["privacy_code"], self.top_secret.privacy_code
                    )
                    self.assertEqual(
                        rows[0]["privacy_authorized_user_ids"],
                        self.users["compliance"].ids,
                    )
                else:
                    for fname in ("name", "privacy_authorized_user_ids"):
                        self.assert_read_refused(role, self.top_secret, fname)

    @mute_logger("odoo.http")
    def test_top_secret_reassignment_over_jsonrpc(self):
        secret = self.top_secret
        args = ([("id", "=", secret.id)],)
        self.assertTrue(self.as_role("sales", "res.partner", "search", *args))
        self.assertFalse(self.as_role("sales2", "res.partner", "search", *args))
        # the salesperson cannot hand the customer over; the data admin can
        with self.assertRaises(JsonRpcException):
            self.as_role(
                "sales2",
                "res.partner",
                "write",
                [secret.id],
                {"user_id": self.users["sales2"].id},
            )
        self.as_role(
            "data_admin",
            "res.partner",
            "write",
            [secret.id],
            {"user_id": self.users["sales2"].id},
        )
        self.assertTrue(self.as_role("sales2", "res.partner", "search", *args))
        self.assertFalse(self.as_role("sales", "res.partner", "search", *args))
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.as_role("sales", "res.partner", "read", [secret.id], ["name"])

    @mute_logger("odoo.http")
    def test_invalid_phone_filter_for_data_admins_only_over_jsonrpc(self):
        domain = [("privacy_phone_invalid", "=", True)]
        self.as_role("data_admin", "res.partner", "search", domain)
        for role in ("sales", "compliance", "auditor"):
            with self.subTest(role=role):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.as_role(role, "res.partner", "search", domain)
                self.assert_read_refused(role, self.plain, "privacy_phone_invalid")

    @mute_logger("odoo.http")
    def test_classification_change_refused_over_jsonrpc(self):
        for role in ("collector", "sales", "dept_head", "auditor"):
            with self.subTest(role=role):
                with self.assertRaises(JsonRpcException):
                    self.as_role(
                        role,
                        "res.partner",
                        "write",
                        [self.plain.id],
                        {"privacy_confidentiality": "top_secret"},
                    )
        self.plain.invalidate_recordset()
        self.assertEqual(self.plain.privacy_confidentiality, "secret")
        self.as_role(
            "data_admin",
            "res.partner",
            "write",
            [self.plain.id],
            {"privacy_confidentiality": "confidential"},
        )
        self.plain.invalidate_recordset()
        self.assertEqual(self.plain.privacy_confidentiality, "confidential")

    @mute_logger("odoo.http")
    def test_customer_code_cannot_be_forged_over_jsonrpc(self):
        with self.assertRaisesRegex(JsonRpcException, "cannot be changed"):
            self.as_role(
                "data_admin",
                "res.partner",
                "write",
                [self.plain.id],
                {"privacy_code": self.top_secret.privacy_code},
            )
        new_id = self.as_role(
            "sales", "res.partner", "create", {"name": "RPC", "privacy_code": "FI-1-1"}
        )
        code = self.env["res.partner"].browse(new_id).privacy_code
        self.assertNotEqual(code, "FI-1-1")
        self.assertRegex(code, r"^GEN-\d{4}-\d{5,}$")

    @mute_logger("odoo.http")
    def test_segregation_of_duties_over_jsonrpc(self):
        auditor = self.users["auditor"]
        admin_group = self.env.ref("customer_privacy.group_privacy_data_admin")
        with self.assertRaisesRegex(JsonRpcException, "Segregation of duties"):
            self.rpc(
                self.sysadmin,
                "cp_sysadmin",
                "res.users",
                "write",
                [auditor.id],
                {"groups_id": [(4, admin_group.id)]},
            )
        auditor.invalidate_recordset()
        self.assertNotIn(admin_group, auditor.groups_id)
        # a non-administrator cannot even try
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.as_role(
                "data_admin",
                "res.users",
                "write",
                [self.users["sales"].id],
                {"groups_id": [(4, admin_group.id)]},
            )

    @mute_logger("odoo.http")
    def test_invalid_thresholds_over_jsonrpc(self):
        params = self.env["ir.config_parameter"].sudo()
        before = params.get_param("customer_privacy.value_high_threshold")
        with self.assertRaisesRegex(JsonRpcException, "must be greater"):
            self.rpc(
                self.sysadmin,
                "cp_sysadmin",
                "res.config.settings",
                "create",
                {"privacy_value_high_threshold": 5, "privacy_value_low_threshold": 50},
            )
        self.assertEqual(
            params.get_param("customer_privacy.value_high_threshold"), before
        )
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.as_role(
                "data_admin",
                "res.config.settings",
                "create",
                {"privacy_value_high_threshold": 50, "privacy_value_low_threshold": 5},
            )
