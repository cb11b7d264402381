# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import PrivacyCommon

HIGH = "customer_privacy.value_high_threshold"
LOW = "customer_privacy.value_low_threshold"


@tagged("post_install", "-at_install")
class TestValueGrade(PrivacyCommon, TransactionCase):
    def _settings(self, user=None, **vals):
        Settings = self.env["res.config.settings"]
        if user:
            Settings = Settings.with_user(user)
        return Settings.create(vals)

    def _grades(self, *amounts):
        partners = self.env["res.partner"].create(
            [{"name": f"Spend {a}", "privacy_annual_revenue": a} for a in amounts]
        )
        return partners, partners.mapped("privacy_value_grade")

    def test_default_thresholds(self):
        _partners, grades = self._grades(0, 99_999, 100_000, 1_000_000, 1_000_001)
        self.assertEqual(grades, ["low", "low", "medium", "medium", "high"])

    def test_new_thresholds_regrade_existing_customers_but_not_manual(self):
        partners, _grades = self._grades(50_000, 500_000)
        manual = self.env["res.partner"].create(
            {
                "name": "Strategic",
                "privacy_annual_revenue": 10,
                "privacy_value_grade_manual": True,
                "privacy_value_grade": "high",
            }
        )
        self._settings(
            privacy_value_high_threshold=400_000, privacy_value_low_threshold=40_000
        ).execute()
        self.assertEqual(partners.mapped("privacy_value_grade"), ["medium", "high"])
        self.assertEqual(manual.privacy_value_grade, "high")

    def test_invalid_thresholds_refused_and_nothing_written(self):
        params = self.env["ir.config_parameter"].sudo()
        before = (params.get_param(HIGH), params.get_param(LOW))
        for high, low in ((100, 100), (100, 200), (100, -1)):
            with self.subTest(high=high, low=low):
                with (
                    self.assertRaisesRegex(ValidationError, "must be greater"),
                    self.env.cr.savepoint(),
                ):
                    self._settings(
                        privacy_value_high_threshold=high,
                        privacy_value_low_threshold=low,
                    )
        self.assertEqual((params.get_param(HIGH), params.get_param(LOW)), before)

    def test_non_admin_cannot_change_thresholds(self):
        for role in ("sales", "dept_head", "data_admin", "auditor"):
            user = self.users[role]
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._settings(
                    user, privacy_value_high_threshold=10, privacy_value_low_threshold=1
                ).execute()

    def test_negative_spend_refused(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.plain.privacy_annual_revenue = -5
