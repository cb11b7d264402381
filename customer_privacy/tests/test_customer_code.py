# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import PrivacyCommon

CODE_RE = re.compile(r"^([A-Z]{2,4})-(\d{4})-(\d{5,})$")


@tagged("post_install", "-at_install")
class TestCustomerCode(PrivacyCommon, TransactionCase):
    def _serial(self, partner):
        return int(CODE_RE.match(partner.privacy_code).group(3))

    def test_code_is_industry_year_serial(self):
        year = fields.Date.context_today(self.env["res.partner"]).year
        match = CODE_RE.match(self.top_secret.privacy_code)
        self.assertTrue(match, self.top_secret.privacy_code)
        self.assertEqual(match.group(1), "FI")
        self.assertEqual(int(match.group(2)), year)
        self.assertTrue(self.plain.privacy_code.startswith(f"GEN-{year}-"))

    def test_codes_are_unique_and_increasing(self):
        Partner = self.env["res.partner"].with_user(self.users["collector"])
        partners = Partner.create([{"name": f"Batch {i}"} for i in range(5)])
        serials = [self._serial(p) for p in partners]
        self.assertEqual(serials, sorted(set(serials)))

    def test_user_and_company_partners_get_no_code(self):
        self.assertFalse(self.users["sales"].partner_id.privacy_code)
        company = self.env["res.company"].create({"name": "Own Subsidiary"})
        self.assertFalse(company.partner_id.privacy_code)

    def test_code_cannot_be_changed(self):
        for role in ("collector", "sales", "data_admin"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.plain.with_user(self.users[role]).write({"privacy_code": "XX-1-1"})

    def test_copy_gets_a_new_code(self):
        copy = self.plain.copy()
        self.assertTrue(copy.privacy_code)
        self.assertNotEqual(copy.privacy_code, self.plain.privacy_code)

    @mute_logger("odoo.sql_db")
    def test_duplicate_code_is_refused_by_the_database(self):
        """Only the superuser may bring a code (e.g. an import); a duplicate
        is refused by the unique constraint and nothing is written."""
        before = self.env["res.partner"].search_count([])
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["res.partner"].create(
                {"name": "Forged", "privacy_code": self.plain.privacy_code}
            )
        self.assertEqual(self.env["res.partner"].search_count([]), before)
        constraint = self.env["ir.model.constraint"].search(
            [("name", "=", "res_partner_privacy_code_unique")]
        )
        self.assertIn("already used", constraint.message)

    def test_invalid_industry_prefix_refused(self):
        for bad in ("f", "FINANCE", "F1", "fi"):
            with (
                self.subTest(code=bad),
                self.assertRaisesRegex(ValidationError, "A-Z"),
                self.env.cr.savepoint(),
            ):
                self.finance.write({"privacy_code": bad})
            self.finance.invalidate_recordset()
        self.assertEqual(self.finance.privacy_code, "FI")

    def test_industry_prefix_is_unique(self):
        Industry = self.env["res.partner.industry"]
        with self.assertRaisesRegex(ValidationError, "FI is already used"):
            with self.env.cr.savepoint():
                Industry.create({"name": "Finance Again", "privacy_code": "FI"})
        # taken by an archived industry too, and within one create
        self.finance.active = False
        with self.assertRaisesRegex(ValidationError, "FI is already used"):
            with self.env.cr.savepoint():
                Industry.create({"name": "Finance Again", "privacy_code": "FI"})
        with self.assertRaisesRegex(ValidationError, "ZQ is already used"):
            with self.env.cr.savepoint():
                Industry.create(
                    [
                        {"name": "Twin A", "privacy_code": "ZQ"},
                        {"name": "Twin B", "privacy_code": "ZQ"},
                    ]
                )
        other = Industry.create({"name": "Other Prefix", "privacy_code": "ZQ"})
        self.assertEqual(other.privacy_code, "ZQ")
        # no unique index on industries: each costs every industry query
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner_industry'"
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()], ["res_partner_industry_pkey"]
        )

    def test_industry_prefix_refused_to_other_roles(self):
        # industries are configuration: only their managers edit them
        for role in ("collector", "sales", "compliance", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.finance.with_user(self.users[role]).write({"privacy_code": "ZZ"})
        self.assertEqual(self.finance.privacy_code, "FI")

    @mute_logger("odoo.sql_db")
    def test_concurrent_creations_never_wait_collide_or_reuse(self):
        """Two open transactions both create customers: the second must not
        wait for the first (lock_timeout makes waiting an error), codes differ,
        and a rolled-back code is never handed out again."""
        codes = []
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            for cr in (cr_a, cr_b):
                cr.execute("SET LOCAL lock_timeout = '2s'")
            env_a = self.env(cr=cr_a)
            env_b = self.env(cr=cr_b)
            a = env_a["res.partner"].create({"name": "Concurrent A"})
            b = env_b["res.partner"].create({"name": "Concurrent B"})
            a2 = env_a["res.partner"].create({"name": "Concurrent A2"})
            env_a.flush_all()
            env_b.flush_all()
            codes = [a.privacy_code, b.privacy_code, a2.privacy_code]
            cr_a.rollback()
            cr_b.rollback()
        self.assertEqual(len(set(codes)), 3)
        after = self.env["res.partner"].create({"name": "After rollback"})
        self.assertNotIn(after.privacy_code, codes)
        self.assertGreater(self._serial(after), max(int(c[-5:]) for c in codes))
