# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Eight sessions reading at once: one row per read, none lost, none merged,
and a chain that verifies."""

import threading
import uuid

from odoo import api
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import new_test_user

THREADS = 8
READS = 200


@tagged("post_install", "-at_install")
class TestConcurrentReads(TransactionCase):
    def test_8_sessions_x_200_reads_give_1600_rows_and_a_valid_chain(self):
        registry = self.registry
        run = uuid.uuid4().hex[:8]  # the fixtures are committed: new names each run
        # committed fixtures: the threads use their own cursors
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            users = [
                new_test_user(
                    env,
                    login=f"cp_conc_{run}_{i}",
                    groups="customer_privacy.group_privacy_user",
                )
                for i in range(THREADS)
            ]
            partner = env["res.partner"].create(
                {"name": "Concurrent Reads", "phone": "+86 138 0013 8000"}
            )
            uids = [u.id for u in users]
            pid = partner.id
            cr.execute("SELECT COALESCE(max(id), 0) FROM privacy_audit_log")
            start = cr.fetchone()[0]
        errors = []

        def session(uid):
            try:
                for _i in range(READS):
                    with registry.cursor() as cr:
                        env = api.Environment(cr, uid, {})
                        env["res.partner"].browse(pid).read(["name", "phone"])
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=session, args=(uid,)) for uid in uids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertFalse(errors)
        with registry.cursor() as cr:
            cr.execute(
                "SELECT user_id, count(*) FROM privacy_audit_log "
                "WHERE id > %s AND user_id = ANY(%s) GROUP BY user_id",
                [start, uids],
            )
            counts = dict(cr.fetchall())
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            result = env["privacy.audit.log"]._verify()
        self.assertEqual(sum(counts.values()), THREADS * READS)
        self.assertEqual(set(counts.values()), {READS})
        self.assertTrue(result.ok, result.message)
