# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..models import res_partner
from ..models.base import _current_memo
from .common import PrivacyCommon

# who finds the top-secret customer of "sales" (authorised: compliance)
TOP_SECRET_VISIBLE = {
    "collector": False,
    "sales": True,
    "sales2": False,
    "dept_head": False,
    "compliance": True,
    "security": False,
    "executive": False,
    "data_admin": True,
    "auditor": False,
}


@tagged("post_install", "-at_install")
class TestTopSecretRule(PrivacyCommon, TransactionCase):
    def test_top_secret_visibility_per_role(self):
        for role, visible in TOP_SECRET_VISIBLE.items():
            with self.subTest(role=role):
                Partner = self.env["res.partner"].with_user(self.users[role])
                found = Partner.search([("name", "=", self.top_secret.name)])
                self.assertEqual(bool(found), visible)
                if not visible:
                    with self.assertRaises(AccessError):
                        Partner.browse(self.top_secret.id).read(["name"])
                # the other customers stay visible to everyone
                self.assertEqual(
                    Partner.search(
                        [("id", "in", (self.confidential | self.plain).ids)]
                    ),
                    self.confidential | self.plain,
                )

    def test_users_own_partners_and_companies_are_never_hidden(self):
        sales2 = self.users["sales2"]
        colleague = self.users["sales"].partner_id
        company = self.env.company.partner_id
        (colleague | company).sudo().write({"privacy_confidentiality": "top_secret"})
        found = (
            self.env["res.partner"]
            .with_user(sales2)
            .search([("id", "in", (colleague | company).ids)])
        )
        self.assertEqual(found, colleague | company)

    def test_name_search_does_not_reveal_top_secret(self):
        results = (
            self.env["res.partner"]
            .with_user(self.users["sales2"])
            .name_search("Top Secret Bank")
        )
        self.assertEqual(results, [])

    def test_creator_keeps_sight_of_a_top_secret_customer(self):
        sales2 = self.users["sales2"]
        partner = (
            self.env["res.partner"]
            .with_user(sales2)
            .create({"name": "New Secret", "privacy_confidentiality": "top_secret"})
        )
        self.assertEqual(partner.user_id, sales2)
        self.assertEqual(partner.read(["name"])[0]["name"], "New Secret")


@tagged("post_install", "-at_install")
class TestTopSecretRuleFollowsChanges(PrivacyCommon, TransactionCase):
    """The rule reads the hidden customers from a memo: every change of who
    may see a restricted customer takes effect at once, in the same
    transaction, written or still pending."""

    def finds(self, role, partner):
        Partner = self.env["res.partner"].with_user(self.users[role])
        return bool(Partner.search([("id", "=", partner.id)]))

    def test_salesperson_change(self):
        secret = self.top_secret
        self.assertFalse(self.finds("sales2", secret))
        secret.user_id = self.users["sales2"]  # pending, not yet written
        self.assertTrue(self.finds("sales2", secret))
        self.assertFalse(self.finds("sales", secret))

    def test_authorised_users_change(self):
        secret = self.top_secret
        self.assertFalse(self.finds("sales2", secret))
        self.assertTrue(self.finds("compliance", secret))
        secret.write(
            {
                "privacy_authorized_user_ids": [
                    Command.link(self.users["sales2"].id),
                    Command.unlink(self.users["compliance"].id),
                ]
            }
        )
        self.assertTrue(self.finds("sales2", secret))
        self.assertFalse(self.finds("compliance", secret))

    def test_classification_change(self):
        self.assertTrue(self.finds("executive", self.plain))
        self.plain.privacy_confidentiality = "top_secret"
        self.assertFalse(self.finds("executive", self.plain))
        self.assertFalse(self.finds("sales", self.plain))
        self.top_secret.privacy_confidentiality = "confidential"
        self.assertTrue(self.finds("executive", self.top_secret))

    def test_becoming_a_users_partner(self):
        self.assertFalse(self.finds("sales2", self.top_secret))
        self.env["res.users"].create(
            {
                "login": "cp_portal_secret",
                "partner_id": self.top_secret.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.assertTrue(self.finds("sales2", self.top_secret))

    def test_pending_change_reaches_a_user_who_saw_everything(self):
        # nothing hidden from the user: the rule's cached domain has no term
        watcher = self.users["sales2"]
        restricted = self.env["res.partner"].search([("privacy_restricted", "=", True)])
        restricted.write({"privacy_authorized_user_ids": [Command.link(watcher.id)]})
        self.env.flush_all()
        self.assertTrue(self.finds("sales2", self.plain))
        self.assertTrue(self.plain.name)  # in the cache: checked in Python
        self.plain.privacy_confidentiality = "top_secret"  # pending
        self.assertFalse(self.finds("sales2", self.plain))
        with self.assertRaises(AccessError):
            self.plain.with_user(watcher).check_access("read")

    def test_rule_checked_in_python_on_cached_records(self):
        secret = self.top_secret
        self.assertTrue(secret.name)  # in the cache: Odoo checks in Python
        for role in ("sales2", "executive", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                secret.with_user(self.users[role]).check_access("read")
        for role in ("sales", "compliance", "data_admin"):
            secret.with_user(self.users[role]).check_access("read")
        secret.user_id = self.users["sales2"]  # pending, not yet written
        secret.with_user(self.users["sales2"]).check_access("read")
        with self.assertRaises(AccessError):
            secret.with_user(self.users["sales"]).check_access("read")

    def test_change_reaches_workers_that_hold_the_memo(self):
        # this worker has not read the hidden customers since the last
        # clearing; another one may have: the change still clears the cache
        # (which Odoo signals to every worker)
        self.assertFalse(self.finds("sales2", self.top_secret))
        memo = _current_memo(self.registry)
        for key in [k for k in memo if k[0] in ("restricted", "hidden")]:
            del memo[key]
        self.top_secret.user_id = self.users["sales2"]
        self.env.flush_all()
        self.assertIsNot(_current_memo(self.registry), memo)

    def test_many_hidden_customers_go_as_one_array(self):
        Partner = self.env["res.partner"].with_user(self.users["sales2"])
        visible = Partner.search([("name", "ilike", "test")])
        self.assertNotIn(self.top_secret, visible)
        with patch.object(res_partner, "HIDDEN_IDS_INLINE", 0):
            sql = Partner._search([("name", "ilike", "test")]).select()
            self.assertIn("unnest", sql.code)
            self.assertEqual(Partner.search([("name", "ilike", "test")]), visible)
            self.assertFalse(
                Partner.search([("id", "=", self.top_secret.id)]),
                "the array form hides the same customers",
            )

    def test_ordinary_changes_keep_the_memo(self):
        self.assertFalse(self.finds("sales2", self.top_secret))
        memo = _current_memo(self.registry)
        self.assertIn(res_partner.RESTRICTED_KEY, memo)
        # new customers, salesperson changes of ordinary ones: no cache clearing
        other = self.env["res.partner"].create(
            {"name": "Ordinary", "user_id": self.users["sales"].id}
        )
        (other | self.plain).write({"user_id": self.users["sales2"].id})
        self.env.flush_all()
        self.assertIs(_current_memo(self.registry), memo)
        self.assertIn(res_partner.RESTRICTED_KEY, memo)

    def test_rule_is_a_list_of_ids_in_sql(self):
        sql = (
            self.env["res.partner"]
            .with_user(self.users["sales2"])
            ._search([("name", "=", "x")])
            .select()
        )
        code = sql.code
        self.assertNotIn("privacy_restricted", code)
        self.assertIn("NOT IN", code)
        id_lists = [p for p in sql.params if isinstance(p, tuple)]
        self.assertTrue(any(self.top_secret.id in ids for ids in id_lists))
        users_sql = (
            self.env["res.users"]
            .with_user(self.users["sales2"])
            ._search([("login", "=", "x")])
            .select()
        )
        self.assertNotIn("privacy_restricted", users_sql.code)

    def test_rule_adds_nothing_when_nothing_is_hidden(self):
        # the top secret customer's salesperson, once the demo data's
        # restricted customers are not: nobody is hidden from them
        self.env["res.partner"].search(
            [("privacy_restricted", "=", True), ("id", "!=", self.top_secret.id)]
        ).privacy_confidentiality = "confidential"
        for model, term in (("res.partner", "name"), ("res.users", "login")):
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.users["sales"])
                code = Model._search([(term, "=", "x")]).select().code
                # neither the list of hidden ids nor an always-true term
                self.assertNotIn("NOT IN", code)
                self.assertNotIn("TRUE", code)
        self.assertTrue(self.finds("sales", self.top_secret))
        self.assertFalse(self.finds("sales2", self.top_secret))


@tagged("post_install", "-at_install")
class TestClassificationChanges(PrivacyCommon, TransactionCase):
    def test_only_data_admin_changes_classification(self):
        changes = {
            "privacy_confidentiality": "top_secret",
            "privacy_sensitivity_declared": "high",
            "privacy_annual_revenue": 5_000_000,
            "privacy_authorized_user_ids": [(4, self.users["sales2"].id)],
        }
        for role in ("collector", "sales", "dept_head", "compliance", "executive"):
            for field, value in changes.items():
                with self.subTest(role=role, field=field):
                    with self.assertRaisesRegex(AccessError, "data administrator"):
                        self.plain.with_user(self.users[role]).write({field: value})
        self.assertEqual(self.plain.privacy_confidentiality, "secret")
        self.assertEqual(self.plain.privacy_sensitivity_declared, "low")
        self.plain.with_user(self.users["data_admin"]).write(changes)
        self.assertEqual(self.plain.privacy_confidentiality, "top_secret")
        self.assertEqual(self.plain.privacy_value_grade, "high")

    def test_auditor_changes_nothing(self):
        with self.assertRaises(AccessError):
            self.plain.with_user(self.users["auditor"]).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.plain.with_user(self.users["auditor"]).write(
                {"privacy_confidentiality": "confidential"}
            )

    def test_sales_still_edits_ordinary_fields(self):
        self.plain.with_user(self.users["sales"]).write({"city": "Hangzhou"})
        self.assertEqual(self.plain.city, "Hangzhou")

    def test_sensitivity_at_least_level_of_filled_fields(self):
        self.assertEqual(self.plain.privacy_sensitivity, "low")
        self.plain.email = "plain@example.com"
        self.assertEqual(self.plain.privacy_sensitivity, "medium")
        self.plain.privacy_sensitivity_declared = "high"
        self.assertEqual(self.plain.privacy_sensitivity, "high")
        self.plain.privacy_sensitivity_declared = "low"
        self.plain.email = False
        self.assertEqual(self.plain.privacy_sensitivity, "low")

    def test_can_classify_flag_follows_role(self):
        self.assertTrue(
            self.plain.with_user(self.users["data_admin"]).privacy_can_classify
        )
        self.assertFalse(self.plain.with_user(self.users["sales"]).privacy_can_classify)

    def test_customer_flag_excludes_users_and_companies(self):
        self.assertTrue(self.plain.privacy_is_customer)
        self.assertFalse(self.users["sales"].partner_id.privacy_is_customer)
        self.assertFalse(self.env.company.partner_id.privacy_is_customer)

    def test_customer_flag_follows_companies(self):
        company = self.env["res.company"].create({"name": "Second Company Test"})
        self.assertFalse(company.partner_id.privacy_is_customer)
        # a company moved to another partner: the old one is a customer again
        old = company.partner_id
        company.partner_id = self.plain
        (old | self.plain).invalidate_recordset(["privacy_is_customer"])
        self.assertTrue(old.privacy_is_customer)
        self.assertFalse(self.plain.privacy_is_customer)


@tagged("post_install", "-at_install")
class TestInvalidPhones(PrivacyCommon, TransactionCase):
    def test_data_admin_finds_phones_stored_before_the_checks(self):
        old = self.env["res.partner"].create({"name": "Old Import Test"})
        # as an import before the suite would have left it
        self.env.cr.execute(
            "UPDATE res_partner SET mobile = %s WHERE id = %s", ["12-34", old.id]
        )
        old.invalidate_recordset(["mobile"])
        admin = self.env["res.partner"].with_user(self.users["data_admin"])
        invalid = admin.search([("privacy_phone_invalid", "=", True)])
        self.assertIn(old, invalid)
        self.assertNotIn(self.confidential, invalid)  # a valid +86 number
        self.assertNotIn(old, admin.search([("privacy_phone_invalid", "!=", True)]))
        self.assertTrue(old.with_user(self.users["data_admin"]).privacy_phone_invalid)
        for role in ("sales", "dept_head", "compliance", "auditor"):
            Partner = self.env["res.partner"].with_user(self.users[role])
            with self.subTest(role=role), self.assertRaises(AccessError):
                Partner.search([("privacy_phone_invalid", "=", True)])


@tagged("post_install", "-at_install")
class TestAuthorisedUsersRead(PrivacyCommon, TransactionCase):
    """Authorised users are read from their relation first: Odoo's
    many2many read (users' rules, sorted by name) runs only for the
    customers that have some."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        archived = cls.users["security"].copy({"login": "archived_authorised"})
        archived.active = False
        cls.confidential.privacy_authorized_user_ids = [
            Command.set([cls.users["sales"].id, archived.id, cls.users["auditor"].id])
        ]

    @property
    def field(self):  # not a class attribute: a field is a descriptor
        return self.env["res.partner"]._fields["privacy_authorized_user_ids"]

    def read_as(self, role, partners, via_odoo):
        partners = partners.with_user(self.users[role])
        partners.invalidate_recordset()
        if via_odoo:  # the field's own read, as Odoo's fetch would call it
            self.field.read(partners)
            return {p.id: p.privacy_authorized_user_ids.ids for p in partners}
        rows = partners.read(["privacy_authorized_user_ids"])
        return {row["id"]: row["privacy_authorized_user_ids"] for row in rows}

    def test_same_values_as_odoo_for_every_role(self):
        ids = (self.top_secret | self.confidential | self.plain).ids
        for role in ("sales", "sales2", "compliance", "data_admin", "auditor"):
            Partner = self.env["res.partner"].with_user(self.users[role])
            partners = Partner.search([("id", "in", ids)])
            with self.subTest(role=role):
                self.assertTrue(partners)
                self.assertEqual(
                    self.read_as(role, partners, via_odoo=False),
                    self.read_as(role, partners, via_odoo=True),
                )
        # in Odoo's order (users by name), archived users left out
        values = self.read_as("data_admin", self.confidential, via_odoo=False)
        self.assertEqual(
            values[self.confidential.id],
            [self.users["auditor"].id, self.users["sales"].id],
        )

    def test_odoo_read_only_for_customers_with_some(self):
        read = type(self.field).read
        with patch.object(type(self.field), "read", autospec=True) as spy:
            spy.side_effect = read
            partners = self.top_secret | self.confidential | self.plain
            values = self.read_as("data_admin", partners, via_odoo=False)
        self.assertEqual(values[self.plain.id], [])
        read_ids = {
            rid
            for call in spy.call_args_list
            if call.args[0] is self.field  # the class serves every many2many
            for rid in call.args[1].ids
        }
        self.assertEqual(read_ids, {self.top_secret.id, self.confidential.id})
        with patch.object(type(self.field), "read", autospec=True) as spy:
            spy.side_effect = read
            self.assertEqual(
                self.read_as("sales2", self.plain, via_odoo=False),
                {self.plain.id: []},
            )
        self.assertFalse([c for c in spy.call_args_list if c.args[0] is self.field])

    def test_refused_to_who_may_not_see_the_customer(self):
        with self.assertRaises(AccessError):
            self.read_as("sales2", self.top_secret, via_odoo=False)


@tagged("post_install", "-at_install")
class TestCustomerTableIndexes(TransactionCase):
    def test_suite_adds_only_the_indexes_its_searches_need(self):
        # each index of res_partner costs every query of customers (planning
        # and a lock per index): a users read measured 3-4 % slower with six
        # suite indexes than without, 2-3 % with three (docs/benchmarks.md).
        # The blind indexes of the encrypted fields have a table of their own.
        self.env.cr.execute(
            """SELECT indexname FROM pg_indexes
                WHERE tablename = 'res_partner' AND indexname LIKE '%%privacy%%'
                ORDER BY indexname"""
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()],
            [
                # customer codes are unique, and found by this index
                "res_partner_privacy_code_unique",
            ],
        )


@tagged("post_install", "-at_install")
class TestMergeKeepsConfidentiality(PrivacyCommon, TransactionCase):
    """A merge fills the kept contact with the others' details, which then
    have its audience: never a wider one than their own classification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo lets users who are not administrators merge same e-mails only
        (cls.top_secret | cls.confidential | cls.plain).write(
            {"email": "same@example.com"}
        )

    def merge(self, role, partners, kept):
        self.env["base.partner.merge.automatic.wizard"].with_user(
            self.users[role]
        ).create(
            {"partner_ids": [Command.set(partners.ids)], "dst_partner_id": kept.id}
        ).action_merge()

    def test_sales_merge_only_into_the_most_confidential(self):
        # the salesperson of the confidential customer, and of the top secret
        for role, src, kept in (
            ("sales2", self.confidential, self.plain),
            ("sales", self.top_secret, self.plain),
            ("compliance", self.top_secret, self.confidential),
        ):
            with self.subTest(role=role, merged=src.name):
                with self.assertRaisesRegex(AccessError, "more confidential"):
                    with self.cr.savepoint():
                        self.merge(role, src | kept, kept)
                self.assertTrue(src.exists())
        self.merge("sales2", self.plain | self.confidential, self.confidential)
        self.assertFalse(self.plain.exists())
        self.assertEqual(self.confidential.privacy_confidentiality, "confidential")

    def test_data_admin_merges_any(self):
        self.merge("data_admin", self.top_secret | self.plain, self.plain)
        self.assertFalse(self.top_secret.exists())
        self.assertEqual(self.plain.privacy_confidentiality, "secret")

    def test_kept_contact_keeps_its_audience(self):
        # both top secret; the merged one names the compliance officer
        kept = self.env["res.partner"].create(
            {
                "name": "Top Secret Kept Test",
                "email": "same@example.com",
                "user_id": self.users["sales2"].id,
                "privacy_confidentiality": "top_secret",
            }
        )
        compliance = self.env["res.partner"].with_user(self.users["compliance"])
        self.assertTrue(compliance.search([("id", "=", self.top_secret.id)]))
        self.assertFalse(compliance.search([("id", "=", kept.id)]))
        self.merge("data_admin", self.top_secret | kept, kept)
        self.assertFalse(kept.privacy_authorized_user_ids)
        self.assertFalse(compliance.search([("id", "=", kept.id)]))
