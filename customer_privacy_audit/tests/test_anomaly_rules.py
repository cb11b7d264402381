# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Each default rule fires on its pattern and stays silent just below it; the
job is incremental and idempotent; alerts move through their workflow."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import AuditCommon


@tagged("post_install", "-at_install")
class TestAnomalyRules(AuditCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rules = cls.env["privacy.audit.rule"].search([])
        # start every rule after what is already in the log
        cls.rules.with_context(privacy_rule_checkpoint=True).write(
            {"last_log_id": cls.start_id}
        )
        cls.sales = cls.users["sales"]
        cls.customer = cls.confidential
        # a fixed Monday at 10:00 Asia/Shanghai = 02:00 UTC, inside working hours
        cls.calendar = cls.env.ref("resource.resource_calendar_std")
        cls.calendar.tz = "Asia/Shanghai"
        cls.monday_10 = datetime(2026, 11, 16, 2, 0, 0)

    def rule(self, xmlid):
        return self.env.ref(f"customer_privacy_audit.{xmlid}")

    def opens(
        self,
        count,
        start,
        step=timedelta(minutes=3),
        customer=None,
        action="view_clear",
    ):
        cid = (customer or self.customer).id
        self.log_entries(
            [
                {
                    "user_id": self.sales.id,
                    "action": action,
                    "res_ids": [cid],
                    "log_time": start + i * step,
                }
                for i in range(count)
            ]
        )

    def alerts(self, rule):
        return self.env["privacy.audit.alert"].search([("rule_id", "=", rule.id)])

    # ------------------------------------------------------ same customer
    def test_same_customer_ten_times_in_an_hour_is_silent(self):
        rule = self.rule("rule_same_customer")
        self.opens(10, self.monday_10)
        rule._detect()
        self.assertFalse(self.alerts(rule))

    def test_same_customer_eleven_times_in_an_hour_fires_once(self):
        rule = self.rule("rule_same_customer")
        self.opens(12, self.monday_10)
        rule._detect()
        alert = self.alerts(rule)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.sales)
        self.assertEqual(alert.customer_id, self.customer)
        self.assertEqual(alert.hit_count, 11)
        self.assertEqual(len(alert.log_ids), 11)
        self.assertEqual(alert.state, "new")
        # assigned to a legal / compliance user, who gets the activity
        self.assertTrue(
            alert.assigned_id.has_group("customer_privacy.group_privacy_compliance")
        )
        self.assertEqual(alert.activity_ids.user_id, alert.assigned_id)
        team = self.env.ref("customer_privacy.group_privacy_compliance").users
        self.assertTrue(
            alert.message_ids.filtered(lambda m: team.partner_id & m.partner_ids)
        )
        # idempotent: running again over the same rows opens nothing new
        rule.with_context(privacy_rule_checkpoint=True).last_log_id = self.start_id
        rule._detect()
        self.assertEqual(len(self.alerts(rule)), 1)

    def test_same_customer_spread_over_more_than_an_hour_is_silent(self):
        rule = self.rule("rule_same_customer")
        self.opens(11, self.monday_10, step=timedelta(minutes=7))
        rule._detect()
        self.assertFalse(self.alerts(rule))

    def test_masked_views_do_not_count(self):
        rule = self.rule("rule_same_customer")
        self.opens(15, self.monday_10, action="view_masked")
        rule._detect()
        self.assertFalse(self.alerts(rule))

    def test_detection_is_incremental(self):
        rule = self.rule("rule_same_customer")
        self.opens(6, self.monday_10)
        rule._detect()
        self.assertFalse(self.alerts(rule))
        first_checkpoint = rule.last_log_id
        self.assertGreater(first_checkpoint, self.start_id)
        # five more in the same hour: the window reaches back into old rows
        self.opens(5, self.monday_10 + timedelta(minutes=20))
        rule._detect()
        self.assertEqual(len(self.alerts(rule)), 1)
        self.assertGreater(rule.last_log_id, first_checkpoint)

    # ------------------------------------------------------ many customers
    def test_many_customers(self):
        rule = self.rule("rule_many_customers")
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {i}"} for i in range(rule.threshold + 1)]
        )
        base = self.monday_10
        self.log_entries(
            [
                {
                    "user_id": self.sales.id,
                    "action": "view_clear",
                    "res_ids": partners[: rule.threshold].ids,
                    "log_time": base,
                }
            ]
        )
        rule._detect()
        self.assertFalse(self.alerts(rule), "exactly the threshold is silent")
        self.log_entries(
            [
                {
                    "user_id": self.sales.id,
                    "action": "view_clear",
                    "res_ids": partners[-1:].ids,
                    "log_time": base + timedelta(minutes=1),
                }
            ]
        )
        rule._detect()
        self.assertEqual(len(self.alerts(rule)), 1)
        self.assertEqual(self.alerts(rule).hit_count, rule.threshold + 1)

    # ------------------------------------------------------ off hours
    def test_off_hours(self):
        rule = self.rule("rule_off_hours")
        rule.calendar_id = self.calendar
        self.opens(1, self.monday_10)  # 10:00 local: working time
        rule._detect()
        self.assertFalse(self.alerts(rule))
        self.opens(1, self.monday_10 + timedelta(hours=13))  # 23:00 local
        rule._detect()
        alert = self.alerts(rule)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.hit_count, 1)

    # ------------------------------------------------------ archived user
    def test_archived_user_activity(self):
        rule = self.rule("rule_archived_user")
        self.opens(1, self.monday_10, action="view_masked")
        rule._detect()
        self.assertFalse(self.alerts(rule))
        self.sales.active = False
        self.opens(1, self.monday_10 + timedelta(minutes=1), action="view_masked")
        rule._detect()
        self.assertEqual(len(self.alerts(rule)), 1)

    # ------------------------------------------------------ export spike
    def test_export_spike(self):
        rule = self.rule("rule_export_spike")
        self.log_entries(
            [
                {
                    "user_id": self.sales.id,
                    "action": "export",
                    "res_ids": [1],
                    "record_count": rule.threshold,
                    "log_time": self.monday_10,
                }
            ]
        )
        rule._detect()
        self.assertFalse(self.alerts(rule))
        self.log_entries(
            [
                {
                    "user_id": self.sales.id,
                    "action": "export",
                    "res_ids": [2],
                    "record_count": 1,
                    "log_time": self.monday_10 + timedelta(minutes=2),
                }
            ]
        )
        rule._detect()
        self.assertEqual(len(self.alerts(rule)), 1)

    # ------------------------------------------------------ workflow
    def _alert(self):
        rule = self.rule("rule_same_customer")
        self.opens(11, self.monday_10)
        rule._detect()
        return self.alerts(rule)

    def test_alert_workflow_by_compliance(self):
        alert = self._alert().with_user(self.users["compliance"])
        alert.action_investigate()
        self.assertEqual(alert.state, "investigating")
        with self.assertRaisesRegex(UserError, "resolved"):
            alert.action_resolve()
        alert.resolution = "Customer called 11 times about a complaint."
        alert.action_make_incident()
        self.assertTrue(alert.is_incident)
        self.assertIn("PIPL art. 57", alert.notification_draft)
        alert.action_resolve()
        self.assertEqual(alert.state, "resolved")
        with self.assertRaises(UserError):
            alert.action_investigate()

    def test_other_roles_cannot_move_alerts(self):
        alert = self._alert()
        for role in ("auditor", "sales", "data_admin"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                alert.with_user(self.users[role]).action_investigate()
        with self.assertRaises(AccessError):
            alert.with_user(self.users["compliance"]).write({"state": "resolved"})
        self.assertEqual(alert.state, "new")
        with self.assertRaises(AccessError):
            self.env["privacy.audit.alert"].with_user(self.users["compliance"]).create(
                {"rule_id": alert.rule_id.id}
            )

    def test_cron_seals_and_detects(self):
        self.opens(11, self.monday_10)
        self.env["privacy.audit.rule"]._cron_detect()
        self.assertTrue(all(self.new_rows().mapped("row_hash")))
        self.assertTrue(self.alerts(self.rule("rule_same_customer")))
        self.assertLessEqual(self.new_rows()[-1].log_time, fields.Datetime.now())
