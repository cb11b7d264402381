# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class PrivacyAuditReportWizard(models.TransientModel):
    _name = "privacy.audit.report.wizard"
    _description = "Monthly Inspection Report"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.today().replace(day=1)
        - relativedelta(months=1),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.today().replace(day=1) - relativedelta(days=1),
    )

    def action_print(self):
        self.ensure_one()
        self.env["privacy.audit.log"]._check_auditor_or_admin()
        return self.env.ref(
            "customer_privacy_audit.action_report_inspection"
        ).report_action(self)

    def _report_data(self):
        """Aggregates of the period, computed in SQL (one query per table)."""
        self.ensure_one()
        start = fields.Datetime.to_datetime(self.date_from)
        end = fields.Datetime.to_datetime(self.date_to) + relativedelta(days=1)
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT COALESCE(u.login, '-'), COALESCE(c.name, '-'), l.action,
                       count(*), COALESCE(sum(l.record_count), 0)
                  FROM privacy_audit_log l
                  LEFT JOIN res_users u ON u.id = l.user_id
                  LEFT JOIN res_company c ON c.id = u.company_id
                 WHERE l.log_time >= %s AND l.log_time < %s
                 GROUP BY 1, 2, 3 ORDER BY 2, 1, 3
                """,
                start,
                end,
            )
        )
        rows = cr.fetchall()
        actions = dict(self.env["privacy.audit.log"]._fields["action"].selection)
        by_action, by_user = {}, {}
        for login, company, action, count, records in rows:
            label = actions.get(action, action)
            total = by_action.setdefault(label, [0, 0])
            total[0] += count
            total[1] += records
            by_user.setdefault((company, login), {}).setdefault(label, 0)
            by_user[(company, login)][label] += count
        alerts = (
            self.env["privacy.audit.alert"]
            .sudo()
            .search([("create_date", ">=", start), ("create_date", "<", end)])
        )
        states = dict(alerts._fields["state"].selection)
        alert_states = {}
        for alert in alerts:
            label = states[alert.state]
            alert_states[label] = alert_states.get(label, 0) + 1
        reveals = (
            self.env["privacy.audit.log"]
            .sudo()
            .search(
                [
                    ("log_time", ">=", start),
                    ("log_time", "<", end),
                    (
                        "action",
                        "in",
                        ("reveal", "export", "approve", "reject", "destroy"),
                    ),
                ],
                order="log_time",
                limit=200,
            )
        )
        self.env["privacy.audit.log"].sudo()._seal()
        cr.execute(
            "SELECT chain_seq, row_hash FROM privacy_audit_log "
            "WHERE row_hash IS NOT NULL ORDER BY chain_seq DESC LIMIT 1"
        )
        last = cr.fetchone()
        return {
            "by_action": sorted(by_action.items()),
            "by_user": sorted(by_user.items()),
            "alerts": alerts,
            "alert_states": sorted(alert_states.items()),
            "notable": reveals,
            "chain_head": last,
        }


class ReportInspection(models.AbstractModel):
    _name = "report.customer_privacy_audit.report_inspection"
    _description = "Monthly Inspection Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["privacy.audit.report.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "privacy.audit.report.wizard",
            "docs": wizards,
            "data_of": {w.id: w._report_data() for w in wizards},
        }
