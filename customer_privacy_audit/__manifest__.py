# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Customer Privacy Audit",
    "summary": "Tamper-evident access log, anomaly alerts and inspection reports "
    "for Customer Privacy",
    "version": "18.0.1.0.0",
    "category": "Customer Privacy",
    "website": "https://github.com/customer-privacy-odoo/customer-privacy",
    "author": "Customer Privacy for Odoo",
    "maintainers": ["customer-privacy-odoo"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["customer_privacy", "resource", "mail"],
    "external_dependencies": {"python": ["cryptography", "phonenumbers"]},
    "data": [
        "security/privacy_audit_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/privacy_audit_rule_data.xml",
        "views/privacy_audit_log_views.xml",
        "views/privacy_audit_alert_views.xml",
        "wizards/privacy_audit_report_wizard_views.xml",
        "views/menus.xml",
        "report/inspection_report.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_privacy_audit/static/src/js/tours/*.js",
        ],
    },
}
