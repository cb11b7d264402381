# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Anomaly rules over the access log (SPEC §10).

The detection job is incremental: each rule remembers the last log row it
looked at and only reads rows after it (plus the window before them that
sliding counts need). It is idempotent: every hit has a key (rule, user,
customer or period, triggering row) and an alert is opened once per key."""

import logging
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

RULE_TYPES = [
    ("same_customer", "Same customer opened too often"),
    ("many_customers", "Too many distinct customers"),
    ("off_hours", "Access outside working hours"),
    ("archived_user", "Activity of an archived user"),
    ("export_spike", "Export volume spike"),
]
DEFAULT_ACTIONS = "view_clear,reveal,export"


def _bucket_range(bucket, seconds):
    """[start, end) as naive UTC datetimes of tumbling window ``bucket``."""
    start = datetime.fromtimestamp(bucket * seconds, tz=timezone.utc).replace(
        tzinfo=None
    )
    return start, start + timedelta(seconds=seconds)


class PrivacyAuditRule(models.Model):
    _name = "privacy.audit.rule"
    _description = "Access Anomaly Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    rule_type = fields.Selection(RULE_TYPES, required=True)
    threshold = fields.Integer(
        default=10,
        help="The rule fires when the count goes above this number: accesses "
        "to one customer, distinct customers, or exported records.",
    )
    window_minutes = fields.Integer(string="Window (minutes)", default=60)
    actions = fields.Char(
        default=DEFAULT_ACTIONS,
        help="Log actions that count, comma-separated (view_masked, view_clear, "
        "reveal, export, write, ...).",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Assign Alerts To",
        help="Empty: the first legal / compliance user.",
    )
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], default="medium"
    )
    last_log_id = fields.Integer(
        string="Checked Up To", readonly=True, help="Last access log row examined."
    )

    _sql_constraints = [
        (
            "threshold_positive",
            "CHECK(threshold >= 0)",
            "The threshold cannot be negative.",
        ),
        (
            "window_positive",
            "CHECK(window_minutes > 0)",
            "The window must be positive.",
        ),
    ]

    def _action_list(self):
        return [
            a.strip() for a in (self.actions or DEFAULT_ACTIONS).split(",") if a.strip()
        ]

    # ------------------------------------------------------------ detection
    @api.model
    def _cron_detect(self):
        """Seal the log, then run every active rule over the new rows."""
        self.env["privacy.audit.log"].sudo()._seal()
        return self.sudo().search([])._detect()

    def _detect(self):
        cr = self.env.cr
        # these are one-off analytic queries: JIT compilation costs more than
        # it saves (1.35 s of a 1.8 s query on a million rows)
        cr.execute("SET LOCAL jit = off")
        cr.execute("SELECT COALESCE(max(id), 0) FROM privacy_audit_log")
        upto = cr.fetchone()[0]
        opened = self.env["privacy.audit.alert"]
        for rule in self:
            since = rule.last_log_id
            if upto <= since:
                continue
            hits = getattr(rule, f"_hits_{rule.rule_type}")(since, upto)
            opened |= rule._open_alerts(hits)
            rule.sudo().with_context(privacy_rule_checkpoint=True).write(
                {"last_log_id": upto}
            )
        return opened

    def _window(self):
        return f"{max(self.window_minutes, 1)} minutes"

    def _hits_same_customer(self, since, upto):
        """(user, customer) opened more than ``threshold`` times within any
        sliding window: the row at which the count first goes above it."""
        self.env.cr.execute(
            SQL(
                """
                WITH bounds AS (
                    -- OFFSET 0 keeps the planner on the id range (the new
                    -- rows) instead of walking the whole log_time index
                    SELECT min(log_time) - %(window)s::interval AS start
                      FROM (SELECT log_time FROM privacy_audit_log
                             WHERE id > %(since)s AND id <= %(upto)s OFFSET 0) AS n
                ), acc AS (
                    SELECT l.id, l.user_id, l.log_time, e.cid::int AS cid
                      FROM privacy_audit_log l, bounds,
                           jsonb_array_elements_text(l.res_ids) AS e(cid)
                     WHERE l.model = 'res.partner' AND l.action = ANY(%(actions)s)
                       AND l.log_time >= bounds.start AND l.id <= %(upto)s
                ), counted AS (
                    SELECT id, user_id, cid, log_time,
                           count(*) OVER (
                               PARTITION BY user_id, cid ORDER BY log_time
                               RANGE BETWEEN %(window)s::interval PRECEDING AND CURRENT ROW
                           ) AS n
                      FROM acc
                ), crossed AS (
                    SELECT id, user_id, cid, n,
                           lag(n) OVER (PARTITION BY user_id, cid ORDER BY log_time, id)
                               AS prev_n
                      FROM counted
                )
                SELECT user_id, cid, id, n FROM crossed
                 WHERE n > %(threshold)s AND COALESCE(prev_n, 0) <= %(threshold)s
                   AND id > %(since)s
                """,
                window=self._window(),
                since=since,
                upto=upto,
                actions=self._action_list(),
                threshold=self.threshold,
            )
        )
        return [
            {
                "key": f"{self.id}:{uid}:{cid}:{log_id}",
                "user_id": uid,
                "customer_id": cid,
                "trigger_id": log_id,
                "count": n,
                "evidence": SQL(
                    "user_id = %s AND res_ids @> %s::jsonb AND action = ANY(%s) "
                    "AND log_time > (SELECT log_time FROM privacy_audit_log "
                    "WHERE id = %s) - %s::interval AND id <= %s",
                    uid,
                    f"[{cid}]",
                    self._action_list(),
                    log_id,
                    self._window(),
                    log_id,
                ),
            }
            for uid, cid, log_id, n in self.env.cr.fetchall()
        ]

    def _bucket_hits(self, since, upto, distinct_customers):
        """Tumbling windows of ``window_minutes``: per user and window, the
        distinct customers touched (or the records exported) above the
        threshold. Only windows that new rows fall into are recounted."""
        seconds = max(self.window_minutes, 1) * 60
        if distinct_customers:
            source = SQL(
                "privacy_audit_log l CROSS JOIN "
                "jsonb_array_elements_text(l.res_ids) AS e(cid)"
            )
            measure = SQL("count(DISTINCT e.cid)")
        else:
            source = SQL("privacy_audit_log l")
            measure = SQL("sum(l.record_count)")
        self.env.cr.execute(
            SQL(
                """
                WITH touched AS (
                    SELECT DISTINCT user_id,
                           floor(extract(epoch FROM log_time) / %(sec)s)::bigint AS bucket
                      FROM privacy_audit_log
                     WHERE id > %(since)s AND id <= %(upto)s
                       AND action = ANY(%(actions)s)
                )
                SELECT l.user_id, t.bucket, %(measure)s, max(l.id)
                  FROM %(source)s
                  JOIN touched t ON t.user_id = l.user_id
                   AND floor(extract(epoch FROM l.log_time) / %(sec)s)::bigint = t.bucket
                 WHERE l.action = ANY(%(actions)s) AND l.id <= %(upto)s
                   AND l.log_time >= (
                       SELECT to_timestamp(
                                  floor(extract(epoch FROM min(log_time)) / %(sec)s)
                                  * %(sec)s
                              ) AT TIME ZONE 'UTC'
                         FROM (SELECT log_time FROM privacy_audit_log
                                WHERE id > %(since)s AND id <= %(upto)s OFFSET 0) AS n)
                 GROUP BY l.user_id, t.bucket
                HAVING %(measure)s > %(threshold)s
                """,
                sec=seconds,
                since=since,
                upto=upto,
                actions=self._action_list(),
                measure=measure,
                source=source,
                threshold=self.threshold,
            )
        )
        return [
            {
                "key": f"{self.id}:{uid}:{bucket}",
                "user_id": uid,
                "trigger_id": last_id,
                "count": int(value),
                "evidence": SQL(
                    "user_id = %s AND action = ANY(%s) AND id <= %s AND "
                    "log_time >= %s AND log_time < %s",
                    uid,
                    self._action_list(),
                    upto,
                    *_bucket_range(bucket, seconds),
                ),
            }
            for uid, bucket, value, last_id in self.env.cr.fetchall()
        ]

    def _hits_many_customers(self, since, upto):
        return self._bucket_hits(since, upto, distinct_customers=True)

    def _hits_export_spike(self, since, upto):
        return self._bucket_hits(since, upto, distinct_customers=False)

    def _hits_off_hours(self, since, upto):
        """Accesses outside the calendar's attendances (in its time zone):
        one hit per user and local day."""
        calendar = self.calendar_id or self.env.company.resource_calendar_id
        if not calendar:
            return []
        self.env.cr.execute(
            SQL(
                """
                WITH acc AS (
                    SELECT id, user_id,
                           (log_time AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s AS lt
                      FROM privacy_audit_log
                     WHERE id > %(since)s AND id <= %(upto)s
                       AND action = ANY(%(actions)s)
                )
                SELECT user_id, lt::date, min(id), count(*) FROM acc
                 WHERE NOT EXISTS (
                       SELECT 1 FROM resource_calendar_attendance a
                        WHERE a.calendar_id = %(calendar)s
                          AND a.display_type IS NULL
                          AND a.dayofweek::int = extract(isodow FROM acc.lt)::int - 1
                          AND extract(hour FROM acc.lt) + extract(minute FROM acc.lt) / 60.0
                              >= a.hour_from
                          AND extract(hour FROM acc.lt) + extract(minute FROM acc.lt) / 60.0
                              < a.hour_to)
                 GROUP BY user_id, lt::date
                """,
                tz=calendar.tz or "UTC",
                since=since,
                upto=upto,
                actions=self._action_list(),
                calendar=calendar.id,
            )
        )
        return [
            {
                "key": f"{self.id}:{uid}:{day}",
                "user_id": uid,
                "trigger_id": first_id,
                "count": n,
                "evidence": SQL(
                    "user_id = %s AND action = ANY(%s) AND id >= %s AND id <= %s "
                    "AND ((log_time AT TIME ZONE 'UTC') AT TIME ZONE %s)::date = %s",
                    uid,
                    self._action_list(),
                    first_id,
                    upto,
                    calendar.tz or "UTC",
                    day,
                ),
            }
            for uid, day, first_id, n in self.env.cr.fetchall()
        ]

    def _hits_archived_user(self, since, upto):
        """Any logged activity of a user who is archived."""
        self.env.cr.execute(
            """
            SELECT l.user_id, l.log_time::date, min(l.id), count(*)
              FROM privacy_audit_log l JOIN res_users u ON u.id = l.user_id
             WHERE l.id > %s AND l.id <= %s AND NOT u.active
             GROUP BY l.user_id, l.log_time::date
            """,
            [since, upto],
        )
        return [
            {
                "key": f"{self.id}:{uid}:{day}",
                "user_id": uid,
                "trigger_id": first_id,
                "count": n,
                "evidence": SQL(
                    "user_id = %s AND id >= %s AND id <= %s AND log_time::date = %s",
                    uid,
                    first_id,
                    upto,
                    day,
                ),
            }
            for uid, day, first_id, n in self.env.cr.fetchall()
        ]

    def _open_alerts(self, hits):
        Alert = self.env["privacy.audit.alert"].sudo()
        if not hits:
            return Alert
        keys = [h["key"] for h in hits]
        existing = set(
            Alert.with_context(active_test=False)
            .search([("dedup_key", "in", keys)])
            .mapped("dedup_key")
        )
        vals_list = []
        for hit in hits:
            if hit["key"] in existing:
                continue
            existing.add(hit["key"])
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM privacy_audit_log WHERE %s ORDER BY id LIMIT 500",
                    hit["evidence"],
                )
            )
            evidence = [r[0] for r in self.env.cr.fetchall()]
            vals_list.append(
                {
                    "rule_id": self.id,
                    "dedup_key": hit["key"],
                    "user_id": hit["user_id"],
                    "customer_id": hit.get("customer_id"),
                    "hit_count": hit["count"],
                    "log_ids": [(6, 0, evidence)],
                    "assigned_id": self._assignee(hit["user_id"]).id,
                    "severity": self.severity,
                }
            )
        if not vals_list:
            return Alert
        # mails to the compliance team are queued, not sent inside the job
        return Alert.with_context(
            mail_activity_quick_update=True, mail_notify_force_send=False
        ).create(vals_list)

    def _assignee(self, subject_uid):
        if self.responsible_id and self.responsible_id.id != subject_uid:
            return self.responsible_id
        group = self.env.ref("customer_privacy.group_privacy_compliance")
        users = group.sudo().users.filtered(lambda u: u.active and u.id != subject_uid)
        return users.sorted("id")[:1]

    def write(self, vals):
        if "last_log_id" in vals and not self.env.context.get(
            "privacy_rule_checkpoint"
        ):
            vals = {k: v for k, v in vals.items() if k != "last_log_id"}
        return super().write(vals)
