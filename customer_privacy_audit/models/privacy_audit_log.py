# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The access log (SPEC §10): append-only and tamper-evident.

- Rows are written in the transaction of the access itself, at most one per
  request, action and model (a list of 80 customers is one row with 80 ids),
  by a pre-commit hook fed by ``_privacy_notify_access``. No row holds a
  protected value: field names, never values.
- Nobody writes or deletes through the ORM; a PostgreSQL trigger refuses
  UPDATE, DELETE and TRUNCATE except (a) sealing a row once and (b) the
  retention purge, which must announce itself in its own transaction.
- Sealing links every row into a SHA-256 hash chain (``tools/hashchain.py``)
  in insertion order. It runs apart from user transactions (a cron, and before
  each verification), so no user request waits for a chain lock.
"""

import hashlib
import json
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import SQL

from ..tools.hashchain import GENESIS, RawJSON, entry_hash, verify_chain

_logger = logging.getLogger(__name__)

ACTIONS = [
    ("view_masked", "View (masked)"),
    ("view_clear", "View (clear)"),
    ("reveal", "Reveal"),
    ("export", "Export"),
    ("create", "Create"),
    ("write", "Write"),
    ("delete", "Delete"),
    ("search", "Search by protected field"),
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("destroy", "Destroy"),
    ("consent", "Consent change"),
    ("key_operation", "Key operation"),
]
# Columns covered by the chain, in the order hashed (all but the chain itself).
PAYLOAD = (
    "id",
    "log_time",
    "user_id",
    "action",
    "model",
    "res_ids",
    "record_count",
    "field_names",
    "reason",
    "origin",
    "ip",
    "session_hash",
)
BUFFER = "customer_privacy_audit.buffer"
CHAIN_LOCK = 0x5052_4956  # pg_advisory lock key: "PRIV"
PARAM_RETENTION = "customer_privacy_audit.retention_months"
DEFAULT_RETENTION_MONTHS = 36
MIN_RETENTION_MONTHS = 6


class PrivacyAuditLog(models.Model):
    _name = "privacy.audit.log"
    _description = "Privacy Access Log"
    _order = "id desc"
    _log_access = False
    _rec_name = "action"

    log_time = fields.Datetime(string="Time", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="User", readonly=True, index=True)
    action = fields.Selection(ACTIONS, required=True, readonly=True, index=True)
    model = fields.Char(readonly=True, index=True)
    res_ids = fields.Json(string="Record IDs", readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    field_names = fields.Char(string="Fields", readonly=True)
    reason = fields.Text(readonly=True)
    origin = fields.Char(
        readonly=True,
        help="Why the access was allowed or where it came from: role, grant, "
        "reveal, request, key rotation...",
    )
    ip = fields.Char(string="IP Address", readonly=True)
    session_hash = fields.Char(
        string="Session",
        readonly=True,
        help="SHA-256 prefix of the session id: ties rows of one session "
        "together without storing the session credential.",
    )
    chain_seq = fields.Integer(string="Chain Position", readonly=True, index=True)
    prev_hash = fields.Char(readonly=True)
    row_hash = fields.Char(readonly=True)

    _sql_constraints = [
        ("chain_seq_unique", "unique(chain_seq)", "A chain position is used once."),
    ]

    # --------------------------------------------------------- append-only
    def init(self):
        payload_new = SQL(", ").join(SQL("NEW.%s", SQL.identifier(c)) for c in PAYLOAD)
        payload_old = SQL(", ").join(SQL("OLD.%s", SQL.identifier(c)) for c in PAYLOAD)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION privacy_audit_log_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
                    IF current_setting('customer_privacy.audit_purge', true) = 'on'
                       AND TG_OP = 'DELETE' AND OLD.row_hash IS NOT NULL THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION 'privacy_audit_log is append-only: %% refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF OLD.row_hash IS NULL AND NEW.row_hash IS NOT NULL
                   AND ROW(%s) IS NOT DISTINCT FROM ROW(%s) THEN
                    RETURN NEW;  -- sealing: chain columns set once, payload untouched
                END IF;
                RAISE EXCEPTION 'privacy_audit_log is append-only: UPDATE refused'
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS privacy_audit_log_guard ON privacy_audit_log;
            CREATE TRIGGER privacy_audit_log_guard
                BEFORE UPDATE OR DELETE ON privacy_audit_log
                FOR EACH ROW EXECUTE FUNCTION privacy_audit_log_guard();
            DROP TRIGGER IF EXISTS privacy_audit_log_no_truncate ON privacy_audit_log;
            CREATE TRIGGER privacy_audit_log_no_truncate
                BEFORE TRUNCATE ON privacy_audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION privacy_audit_log_guard();
            CREATE INDEX IF NOT EXISTS privacy_audit_log_res_ids_gin
                ON privacy_audit_log USING gin (res_ids jsonb_path_ops);
            CREATE INDEX IF NOT EXISTS privacy_audit_log_user_time
                ON privacy_audit_log (user_id, log_time);
            CREATE INDEX IF NOT EXISTS privacy_audit_log_unsealed
                ON privacy_audit_log (id) WHERE row_hash IS NULL;
            """,
                payload_new,
                payload_old,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The access log is written by the system only."))

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The access log cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise AccessError(
            self.env._(
                "The access log cannot be deleted; the retention purge removes "
                "entries older than the retention period."
            )
        )

    # ------------------------------------------------------------- append
    @api.model
    def _append(self, entries):
        """Insert log rows (dicts of PAYLOAD columns but id) in one query."""
        if not entries:
            return
        columns = [c for c in PAYLOAD if c != "id"]
        values = [
            SQL(
                "(%s)",
                SQL(", ").join(
                    SQL("%s", json.dumps(e[c]) if c == "res_ids" else e.get(c))
                    for c in columns
                ),
            )
            for e in entries
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO privacy_audit_log (%s) VALUES %s",
                SQL(", ").join(SQL.identifier(c) for c in columns),
                SQL(", ").join(values),
            )
        )

    @api.model
    def _flush_buffer(self):
        buffer = self.env.cr.precommit.data.pop(BUFFER, None)
        if not buffer:
            return
        ip = session = None
        if request:
            ip = request.httprequest.remote_addr
            sid = getattr(request.session, "sid", None)
            if sid:
                session = hashlib.sha256(sid.encode()).hexdigest()[:16]
        now = fields.Datetime.now()
        entries = []
        for (uid, action, model, origin, reason), entry in buffer.items():
            ids = list(entry["ids"])
            entries.append(
                {
                    "log_time": now,
                    "user_id": uid,
                    "action": action,
                    "model": model,
                    "res_ids": ids,
                    "record_count": entry["count"] or len(ids),
                    "field_names": ",".join(sorted(entry["fields"])) or None,
                    "reason": reason,
                    "origin": origin,
                    "ip": ip,
                    "session_hash": session,
                }
            )
        self.sudo()._append(entries)

    # --------------------------------------------------------------- chain
    @api.model
    def _row_entry(self, row):
        """The hashed entry of a row read by ``_chain_rows`` (PAYLOAD order)."""
        return dict(zip(PAYLOAD, row, strict=True))

    @api.model
    def _seal(self, batch_size=5000):
        """Link every unsealed row into the chain, in id order. Returns the
        number of rows sealed. Serialised by an advisory lock; a concurrent
        sealer simply returns 0."""
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK])
        if not cr.fetchone()[0]:
            return 0
        cr.execute(
            "SELECT chain_seq, row_hash FROM privacy_audit_log "
            "WHERE row_hash IS NOT NULL ORDER BY chain_seq DESC LIMIT 1"
        )
        last = cr.fetchone()
        if last:
            seq, prev = last
        else:
            anchor = self.env["privacy.audit.anchor"].sudo()._latest()
            seq, prev = (anchor.chain_seq, anchor.row_hash) if anchor else (0, GENESIS)
        sealed = 0
        last_id = 0
        cols = ", ".join(PAYLOAD)
        while True:
            # keyset paging: each batch starts after the last one, so the
            # partial index on unsealed rows is not rescanned from the start
            cr.execute(
                f"SELECT {cols} FROM privacy_audit_log WHERE row_hash IS NULL "
                "AND id > %s ORDER BY id LIMIT %s",
                [last_id, batch_size],
            )
            rows = cr.fetchall()
            if not rows:
                break
            updates = []
            for row in rows:
                seq += 1
                entry = self._row_entry(row)
                entry["chain_seq"] = seq
                row_hash = entry_hash(prev, entry)
                updates.append((row[0], seq, prev, row_hash))
                prev = row_hash
            cr.execute(
                SQL(
                    """
                    UPDATE privacy_audit_log l
                       SET chain_seq = v.seq, prev_hash = v.prev, row_hash = v.hash
                      FROM (VALUES %s) AS v(id, seq, prev, hash)
                     WHERE l.id = v.id
                    """,
                    SQL(", ").join(SQL("(%s, %s, %s, %s)", *u) for u in updates),
                )
            )
            sealed += len(rows)
            last_id = rows[-1][0]
        if sealed:
            self.invalidate_model(["chain_seq", "prev_hash", "row_hash"])
        return sealed

    @api.model
    def _chain_rows(self, start_seq, batch_size=20000):
        """Stream (seq, prev_hash, row_hash, entry) of sealed rows in chain
        order, by keyset pages so a million rows never sit in memory. The ids
        come as compact JSON text, hashed as they are (no decoding)."""
        cr = self.env.cr
        cols = ", ".join(
            "replace(res_ids::text, ' ', '')" if c == "res_ids" else c for c in PAYLOAD
        )
        after = start_seq - 1
        while True:
            cr.execute(
                f"SELECT chain_seq, prev_hash, row_hash, {cols} "
                "FROM privacy_audit_log WHERE row_hash IS NOT NULL AND chain_seq > %s "
                "ORDER BY chain_seq LIMIT %s",
                [after, batch_size],
            )
            rows = cr.fetchall()
            if not rows:
                return
            raw = PAYLOAD.index("res_ids")
            for row in rows:
                entry = self._row_entry(row[3:])
                if entry["res_ids"] is not None:
                    entry["res_ids"] = RawJSON(row[3 + raw])
                entry["chain_seq"] = row[0]
                yield row[0], row[1], row[2], entry
            after = rows[-1][0]

    @api.model
    def _verify(self):
        """Seal what is pending, then check the whole chain from the last
        purge anchor. Returns a hashchain.VerifyResult."""
        self._seal()
        anchor = self.env["privacy.audit.anchor"].sudo()._latest()
        start_seq = (anchor.chain_seq + 1) if anchor else 1
        start_prev = anchor.row_hash if anchor else GENESIS
        result = verify_chain(
            self._chain_rows(start_seq), start_prev=start_prev, start_seq=start_seq
        )
        return result

    def action_verify_chain(self):
        """Button: verify the chain and show the verdict."""
        self._check_auditor_or_admin()
        result = self._verify()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Access log chain")
                if result.ok
                else self.env._("Access log tampered"),
                "message": self._verdict_message(result),
                "type": "success" if result.ok else "danger",
                "sticky": not result.ok,
            },
        }

    @api.model
    def _verdict_message(self, result):
        if result.ok:
            return self.env._(
                "Intact: %(count)s entries checked.", count=result.checked
            )
        problems = {
            "altered": self.env._("was altered"),
            "missing": self.env._("is missing (deleted)"),
            "inserted": self.env._("was inserted"),
            "broken_link": self.env._("does not link to the entry before it"),
        }
        return self.env._(
            "Entry %(seq)s %(problem)s. %(checked)s entries were intact before it.",
            seq=result.first_bad_seq,
            problem=problems.get(result.problem, result.problem),
            checked=result.checked,
        )

    @api.model
    def _check_auditor_or_admin(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("customer_privacy.group_privacy_auditor")
            or user.has_group("customer_privacy.group_privacy_data_admin")
        ):
            raise AccessError(
                self.env._("Only auditors and data administrators verify the log.")
            )

    # ------------------------------------------------------------- purge
    @api.model
    def _retention_months(self):
        # sudo: configuration read by the purge job
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_RETENTION)
        try:
            months = int(value or DEFAULT_RETENTION_MONTHS)
        except ValueError:
            months = DEFAULT_RETENTION_MONTHS
        return max(months, MIN_RETENTION_MONTHS)

    @api.model
    def _cron_purge(self):
        cutoff = fields.Datetime.now() - relativedelta(months=self._retention_months())
        return self._purge_before(cutoff)

    @api.model
    def _purge_before(self, cutoff, batch_size=10000):
        """Delete the sealed entries older than ``cutoff``, oldest first and
        only as an unbroken prefix of the chain, in batches; each batch leaves
        an anchor (last deleted position and hash) so the chain still
        verifies. Returns the number of rows deleted."""
        if cutoff > fields.Datetime.now() - relativedelta(months=MIN_RETENTION_MONTHS):
            raise UserError(
                self.env._(
                    "The access log is kept at least %(months)s months "
                    "(Cybersecurity Law art. 21).",
                    months=MIN_RETENTION_MONTHS,
                )
            )
        return self._purge_prefix(cutoff, batch_size)

    @api.model
    def _purge_prefix(self, cutoff, batch_size=10000):
        self._seal()
        cr = self.env.cr
        deleted = 0
        while True:
            # the first position that must stay: the first newer entry
            cr.execute(
                "SELECT min(chain_seq) FROM privacy_audit_log "
                "WHERE row_hash IS NOT NULL AND log_time >= %s",
                [cutoff],
            )
            stop = cr.fetchone()[0]
            cr.execute(
                "SELECT chain_seq, row_hash FROM privacy_audit_log "
                "WHERE row_hash IS NOT NULL AND (%s IS NULL OR chain_seq < %s) "
                "ORDER BY chain_seq LIMIT %s",
                [stop, stop, batch_size],
            )
            rows = cr.fetchall()
            if not rows:
                return deleted
            last_seq, last_hash = rows[-1]
            cr.execute("SET LOCAL customer_privacy.audit_purge = 'on'")
            cr.execute(
                "DELETE FROM privacy_audit_log WHERE chain_seq <= %s", [last_seq]
            )
            count = cr.rowcount
            cr.execute("SET LOCAL customer_privacy.audit_purge = 'off'")
            self.env["privacy.audit.anchor"].sudo().create(
                {
                    "chain_seq": last_seq,
                    "row_hash": last_hash,
                    "rows_deleted": count,
                    "cutoff": cutoff,
                }
            )
            deleted += count
            _logger.info(
                "Access log purge: %s entries up to %s removed", count, last_seq
            )
            if len(rows) < batch_size:
                return deleted

    @api.model
    def _cron_seal(self):
        return self._seal()

    # ------------------------------------------------------------ helpers
    def action_open_records(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.model,
            "view_mode": "list,form",
            "domain": [("id", "in", self.res_ids or [])],
            "name": self.env._("Records of log entry %(id)s", id=self.id),
        }
