# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields
from odoo.addons.customer_privacy.tests.common import role_login
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import AuditCommon


@tagged("post_install", "-at_install")
class TestInspectionReport(AuditCommon, TransactionCase):
    def _wizard(self, user):
        today = fields.Date.today()
        return (
            self.env["privacy.audit.report.wizard"]
            .with_user(user)
            .create({"date_from": today.replace(day=1), "date_to": today})
        )

    def test_monthly_report_renders_as_pdf(self):
        uid = self.users["sales"].id
        self.log_entries(
            [
                {
                    "user_id": uid,
                    "action": "reveal",
                    "reason": "call back",
                    "res_ids": [1],
                },
                {"user_id": uid, "action": "export", "res_ids": [1, 2, 3]},
            ]
        )
        wizard = self._wizard(self.users["auditor"])
        data = wizard._report_data()
        actions = dict(data["by_action"])
        self.assertGreaterEqual(actions["Reveal"][0], 1)
        self.assertGreaterEqual(actions["Export"][1], 3)
        self.assertTrue(data["chain_head"])
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "customer_privacy_audit.action_report_inspection", wizard.ids
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "customer_privacy_audit.action_report_inspection", wizard.ids
            )[0]
            .decode()
        )
        self.assertIn("call back", html)
        self.assertIn("Inspection Report", html)

    def test_only_auditors_and_data_admins_print(self):
        for role in ("sales", "compliance", "collector"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._wizard(self.users[role]).action_print()
        action = self._wizard(self.users["auditor"]).action_print()
        self.assertEqual(
            action["report_name"], "customer_privacy_audit.report_inspection"
        )


@tagged("post_install", "-at_install")
class TestAuditorTour(AuditCommon, HttpCase):
    def test_auditor_opens_dashboard_and_an_alert(self):
        rule = self.env.ref("customer_privacy_audit.rule_export_spike")
        self.log_entries(
            [
                {
                    "user_id": self.users["sales"].id,
                    "action": "export",
                    "res_ids": [1],
                    "record_count": 5000,
                }
            ]
        )
        rule._detect()
        self.start_tour(
            "/odoo", "customer_privacy_audit_auditor_tour", login=role_login("auditor")
        )
