# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The hash chain names the first altered, missing or inserted entry, and
survives the retention purge."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import AuditCommon


@tagged("post_install", "-at_install")
class TestChain(AuditCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        uid = self.users["sales"].id
        self.log_entries(
            [
                {"user_id": uid, "action": "view_clear", "res_ids": [i]}
                for i in range(1, 21)
            ]
        )
        self.Log._seal()
        self.rows = self.new_rows()

    def tamper(self, query, params):
        """A raw change by someone who can disable the trigger (the table
        owner): only the chain can tell."""
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE privacy_audit_log DISABLE TRIGGER privacy_audit_log_guard"
        )
        cr.execute(query, params)
        cr.execute(
            "ALTER TABLE privacy_audit_log ENABLE TRIGGER privacy_audit_log_guard"
        )
        self.Log.invalidate_model()

    def test_intact_chain_verifies(self):
        result = self.Log._verify()
        self.assertTrue(result.ok, result.message)
        self.assertGreaterEqual(result.checked, 20)
        self.assertEqual(
            self.rows.mapped("chain_seq"), sorted(self.rows.mapped("chain_seq"))
        )

    def test_altered_entry_is_named(self):
        victim = self.rows[7]
        self.tamper(
            "UPDATE privacy_audit_log SET res_ids = '[999]' WHERE id = %s", [victim.id]
        )
        result = self.Log._verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.problem, "altered")
        self.assertEqual(result.first_bad_seq, victim.chain_seq)
        self.assertIn(str(victim.chain_seq), self.Log._verdict_message(result))

    def test_deleted_entry_is_named(self):
        victim = self.rows[5]
        seq = victim.chain_seq
        self.tamper("DELETE FROM privacy_audit_log WHERE id = %s", [victim.id])
        result = self.Log._verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.problem, "missing")
        self.assertEqual(result.first_bad_seq, seq)

    def test_inserted_entry_is_named(self):
        after = self.rows[10]
        # the unique constraint already refuses a duplicate position; a forger
        # who drops it is still caught by the chain
        self.env.cr.execute(
            "ALTER TABLE privacy_audit_log DROP CONSTRAINT privacy_audit_log_chain_seq_unique"
        )
        self.tamper(
            """
            INSERT INTO privacy_audit_log
                (log_time, user_id, action, model, res_ids, record_count,
                 chain_seq, prev_hash, row_hash)
            SELECT log_time, user_id, 'view_masked', model, res_ids, 1,
                   chain_seq, prev_hash, row_hash
              FROM privacy_audit_log WHERE id = %s
            """,
            [after.id],
        )
        result = self.Log._verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.first_bad_seq, after.chain_seq)

    def test_unsealed_entries_are_sealed_before_verification(self):
        self.log_entries([{"user_id": self.users["sales"].id, "action": "export"}])
        result = self.Log._verify()
        self.assertTrue(result.ok)
        self.assertTrue(self.new_rows()[-1].row_hash)

    def test_purge_keeps_chain_verifiable(self):
        self.env.cr.execute("SELECT count(*) FROM privacy_audit_log")
        total = self.env.cr.fetchone()[0]
        Anchor = self.env["privacy.audit.anchor"]
        anchors_before = Anchor.search_count([])
        # everything is older than a cutoff just ahead of now (the public
        # method refuses cutoffs under six months; the prefix purge is the
        # same code path without that guard)
        cutoff = fields.Datetime.now() + relativedelta(seconds=5)
        deleted = self.Log._purge_prefix(cutoff, batch_size=7)
        self.assertEqual(deleted, total)
        self.assertEqual(Anchor.search_count([]) - anchors_before, -(-total // 7))
        self.env.cr.execute("SELECT count(*) FROM privacy_audit_log")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        uid = self.users["sales"].id
        self.log_entries([{"user_id": uid, "action": "export"} for _i in range(3)])
        result = self.Log._verify()
        self.assertTrue(result.ok, result.message)
        self.assertEqual(result.checked, 3)
        # the chain continues from the anchor: tampering is still caught
        first = self.new_rows()[0]
        self.tamper(
            "UPDATE privacy_audit_log SET reason = 'x' WHERE id = %s", [first.id]
        )
        result = self.Log._verify()
        self.assertEqual(
            (result.problem, result.first_bad_seq), ("altered", first.chain_seq)
        )

    def test_purge_keeps_entries_newer_than_cutoff(self):
        cutoff = fields.Datetime.now() - relativedelta(months=7)
        self.assertEqual(self.Log._purge_before(cutoff), 0)
        self.assertEqual(len(self.new_rows()), 20)

    def test_purge_refuses_less_than_six_months(self):
        with self.assertRaisesRegex(UserError, "6 months"):
            self.Log._purge_before(fields.Datetime.now() - relativedelta(months=5))
