# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The demo database is a showcase: customers at every level, a user per role
who can log in with the documented password (= login)."""

import re

from odoo.tests import TransactionCase, tagged

DEMO_LOGINS = {
    "privacy_collector": "customer_privacy.group_privacy_collector",
    "privacy_sales": "customer_privacy.group_privacy_user",
    "privacy_sales2": "customer_privacy.group_privacy_user",
    "privacy_head": "customer_privacy.group_privacy_dept_head",
    "privacy_legal": "customer_privacy.group_privacy_compliance",
    "privacy_security": "customer_privacy.group_privacy_security",
    "privacy_exec": "customer_privacy.group_privacy_executive",
    "privacy_dataadmin": "customer_privacy.group_privacy_data_admin",
    "privacy_auditor": "customer_privacy.group_privacy_auditor",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    def _demo_customers(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "customer_privacy"),
                ("model", "=", "res.partner"),
                ("name", "=like", "partner_privacy_demo_%"),
            ]
        )
        return self.env["res.partner"].browse(data.mapped("res_id"))

    def test_demo_customers_cover_every_level(self):
        customers = self._demo_customers()
        self.assertGreaterEqual(len(customers), 30)
        for field in (
            "privacy_sensitivity",
            "privacy_confidentiality",
            "privacy_value_grade",
            "privacy_customer_state",
        ):
            values = set(customers.mapped(field))
            expected = {k for k, _label in customers._fields[field].selection}
            self.assertEqual(values, expected, field)
        chinese = customers.filtered(lambda p: CJK.search(p.name))
        self.assertGreaterEqual(len(chinese), 10)
        self.assertGreaterEqual(len(customers - chinese), 10)
        self.assertTrue(all(customers.mapped("privacy_code")))

    def test_one_demo_user_per_role_logs_in_with_documented_password(self):
        for login, group in DEMO_LOGINS.items():
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                self.assertTrue(user.has_group(group))
                self.assertTrue(user.active)
                # raises AccessDenied on a wrong password
                user.with_user(user)._check_credentials(
                    {"login": login, "password": login, "type": "password"},
                    {"interactive": False},
                )
