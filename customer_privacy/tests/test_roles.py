# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestRoles(PrivacyCommon, TransactionCase):
    def test_ladder_approvers_imply_user_imply_collector(self):
        ref = self.env.ref
        collector = ref("customer_privacy.group_privacy_collector")
        user = ref("customer_privacy.group_privacy_user")
        for role in ("dept_head", "compliance", "security", "executive", "data_admin"):
            groups = self.users[role].groups_id
            self.assertIn(user, groups, role)
            self.assertIn(collector, groups, role)
        self.assertIn(ref("base.group_user"), self.users["collector"].groups_id)
        self.assertIn(
            ref("base.group_partner_manager"), self.users["collector"].groups_id
        )
        # the auditor is outside the ladder: it does not get the user role
        self.assertNotIn(user, self.users["auditor"].groups_id)
        self.assertNotIn(collector, self.users["auditor"].groups_id)

    def test_groups_are_in_customer_privacy_category(self):
        category = self.env.ref("customer_privacy.module_category_customer_privacy")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertEqual(len(groups), 8)
        self.assertEqual(category.name, "Customer Privacy")

    @mute_logger("odoo.sql_db")
    def test_sod_auditor_cannot_become_data_admin(self):
        auditor = self.users["auditor"]
        admin_group = self.env.ref("customer_privacy.group_privacy_data_admin")
        with (
            self.assertRaisesRegex(ValidationError, "Segregation of duties"),
            self.env.cr.savepoint(),
        ):
            auditor.write({"groups_id": [(4, admin_group.id)]})
        auditor.invalidate_recordset()
        self.assertNotIn(admin_group, auditor.groups_id)

    def test_sod_checked_when_adding_users_through_the_group(self):
        auditor_group = self.env.ref("customer_privacy.group_privacy_auditor")
        data_admin = self.users["data_admin"]
        with (
            self.assertRaisesRegex(ValidationError, "Data Administrator and Auditor"),
            self.env.cr.savepoint(),
        ):
            auditor_group.write({"users": [(4, data_admin.id)]})
        data_admin.invalidate_recordset()
        self.assertNotIn(auditor_group, data_admin.groups_id)

    def test_sod_checked_through_implied_groups(self):
        # a department head made auditor is fine; making the auditor group imply
        # data administration would hand both roles to every auditor
        auditor_group = self.env.ref("customer_privacy.group_privacy_auditor")
        admin_group = self.env.ref("customer_privacy.group_privacy_data_admin")
        with self.assertRaisesRegex(ValidationError, "Segregation of duties"):
            auditor_group.write({"implied_ids": [(4, admin_group.id)]})

    def test_sod_new_user_with_both_roles_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "Segregation of duties"),
            self.env.cr.savepoint(),
        ):
            self.env["res.users"].create(
                {
                    "name": "Both Roles",
                    "login": "both_roles",
                    "groups_id": [
                        (4, self.env.ref("customer_privacy.group_privacy_auditor").id),
                        (
                            4,
                            self.env.ref(
                                "customer_privacy.group_privacy_data_admin"
                            ).id,
                        ),
                    ],
                }
            )
        self.assertFalse(self.env["res.users"].search([("login", "=", "both_roles")]))

    def test_admin_is_data_administrator(self):
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "customer_privacy.group_privacy_data_admin"
            )
        )
