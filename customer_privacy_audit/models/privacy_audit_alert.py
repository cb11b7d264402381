# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

COMPLIANCE = "customer_privacy.group_privacy_compliance"
STATES = [
    ("new", "New"),
    ("investigating", "Investigating"),
    ("resolved", "Resolved"),
    ("false_positive", "False Positive"),
]


class PrivacyAuditAlert(models.Model):
    _name = "privacy.audit.alert"
    _description = "Access Anomaly Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    rule_id = fields.Many2one("privacy.audit.rule", required=True, readonly=True)
    rule_type = fields.Selection(related="rule_id.rule_type", store=True)
    dedup_key = fields.Char(readonly=True, index=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="User Concerned", readonly=True, index=True
    )
    customer_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    hit_count = fields.Integer(string="Count", readonly=True)
    log_ids = fields.Many2many(
        "privacy.audit.log",
        "privacy_audit_alert_log_rel",
        "alert_id",
        "log_id",
        string="Evidence",
        readonly=True,
        groups="customer_privacy.group_privacy_auditor,"
        "customer_privacy.group_privacy_data_admin",
    )
    evidence_summary = fields.Text(
        compute="_compute_evidence_summary",
        help="The evidence entries as compliance sees them: when, what, how "
        "many records and which fields - never values.",
    )
    state = fields.Selection(
        STATES, default="new", required=True, readonly=True, tracking=True
    )
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], readonly=True
    )
    assigned_id = fields.Many2one(
        "res.users", string="Assigned To", tracking=True, readonly=True
    )
    resolution = fields.Text(tracking=True)
    is_incident = fields.Boolean(string="Incident", readonly=True, tracking=True)
    notification_draft = fields.Html(
        string="PIPL Art. 57 Notification",
        help="Draft of the notification to the authority and the persons "
        "concerned: what happened, the data and persons concerned, the cause, "
        "the remedies taken and what individuals can do, and how to reach us.",
    )

    _sql_constraints = [
        ("dedup_key_unique", "unique(dedup_key)", "This anomaly already has an alert."),
    ]

    @api.depends("rule_id", "user_id", "customer_id")
    def _compute_name(self):
        for alert in self:
            parts = [alert.rule_id.name or "", alert.user_id.name or ""]
            if alert.customer_id:
                parts.append(alert.customer_id.privacy_code or "")
            alert.name = " – ".join(p for p in parts if p)

    def _compute_evidence_summary(self):
        # sudo: compliance investigates the alert without reading the whole log
        for alert in self:
            lines = [
                f"{log.log_time} {log.user_id.login or '-'} {log.action} "
                f"{log.record_count} {log.field_names or ''}"
                for log in alert.sudo().log_ids
            ]
            alert.evidence_summary = "\n".join(lines)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Alerts are opened by the detection job."))
        alerts = super().create(vals_list)
        for alert in alerts:
            alert._announce()
        return alerts

    def write(self, vals):
        # The state and the evidence move only through the buttons (which
        # write in sudo after their checks); people write their findings.
        if not self.env.su and set(vals) - {"resolution", "notification_draft"}:
            raise AccessError(self.env._("Alerts move only through their buttons."))
        return super().write(vals)

    def _announce(self):
        """Activity for the assignee and an e-mail to the compliance team."""
        if self.assigned_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.assigned_id.id,
                summary=self.env._("Investigate access alert"),
                note=self.name,
            )
        team = self.env.ref(COMPLIANCE).users.filtered("active")
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Access anomaly detected: %(rule)s, user %(user)s, %(count)s "
                "accesses. Evidence: %(rows)s log entries.",
                rule=self.rule_id.name,
                user=self.user_id.name,
                count=self.hit_count,
                rows=len(self.sudo().log_ids),
            ),
            partner_ids=team.partner_id.ids,
            message_type="notification",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------ workflow
    def _check_compliance(self):
        if not (self.env.su or self.env.user.has_group(COMPLIANCE)):
            raise AccessError(
                self.env._("Only legal / compliance handles access alerts.")
            )

    def _move(self, allowed_from, state):
        self._check_compliance()
        for alert in self:
            if alert.state not in allowed_from:
                raise UserError(
                    self.env._(
                        "Alert %(name)s is %(state)s and cannot move to %(new)s.",
                        name=alert.name,
                        state=dict(STATES)[alert.state],
                        new=dict(STATES)[state],
                    )
                )
        # sudo: state is read-only for everyone; these buttons are the only way
        self.sudo().write({"state": state})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_investigate(self):
        self._move({"new"}, "investigating")
        if not self.assigned_id:
            self.sudo().assigned_id = self.env.user

    def action_resolve(self):
        for alert in self:
            if not alert.resolution:
                raise UserError(
                    self.env._("Say how alert %(name)s was resolved.", name=alert.name)
                )
        self._move({"new", "investigating"}, "resolved")

    def action_false_positive(self):
        for alert in self:
            if not alert.resolution:
                raise UserError(
                    self.env._(
                        "Say why alert %(name)s is a false positive.", name=alert.name
                    )
                )
        self._move({"new", "investigating"}, "false_positive")

    def action_make_incident(self):
        self._check_compliance()
        for alert in self:
            alert.sudo().write(
                {"is_incident": True, "notification_draft": alert._pipl57_draft()}
            )

    def _pipl57_draft(self):
        """PIPL art. 57: the kinds of personal information, the cause and
        possible harm, the remedies taken, what individuals can do to reduce
        harm, and the handler's contact."""
        logs = self.sudo().log_ids
        customers = logs.mapped("res_ids")
        count = len({cid for ids in customers for cid in (ids or [])})
        company = self.env.company
        rows = [
            (
                self.env._("What happened"),
                self.env._(
                    "%(rule)s by user %(user)s, detected on %(date)s.",
                    rule=self.rule_id.name,
                    user=self.user_id.name,
                    date=fields.Datetime.to_string(self.create_date),
                ),
            ),
            (
                self.env._("Personal information concerned"),
                self.env._(
                    "Fields: %(fields)s; customers concerned: %(count)s.",
                    fields=", ".join(
                        sorted(
                            {
                                f
                                for f in ",".join(
                                    self.log_ids.mapped("field_names") or []
                                ).split(",")
                                if f
                            }
                        )
                    )
                    or "-",
                    count=count,
                ),
            ),
            (self.env._("Cause and possible harm"), self.env._("(to be completed)")),
            (self.env._("Remedies taken"), self.env._("(to be completed)")),
            (
                self.env._("What individuals can do"),
                self.env._("(to be completed)"),
            ),
            (
                self.env._("Contact"),
                " ".join(filter(None, [company.name, company.email, company.phone])),
            ),
        ]
        body = Markup("").join(
            Markup("<h4>%s</h4><p>%s</p>") % (escape(title), escape(text))
            for title, text in rows
        )
        return (
            Markup("<h3>%s</h3>")
            % self.env._(
                "Personal information security incident notification (PIPL art. 57)"
            )
            + body
        )
