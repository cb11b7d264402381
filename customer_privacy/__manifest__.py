# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Customer Privacy",
    "summary": "Classify, protect and govern customer personal data (PIPL, GB/T 35273)",
    "version": "18.0.1.0.0",
    "category": "Customer Privacy",
    "website": "https://github.com/customer-privacy-odoo/customer-privacy",
    "author": "Customer Privacy for Odoo",
    "maintainers": ["customer-privacy-odoo"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    "depends": ["base_setup", "contacts", "mail", "phone_validation", "portal"],
    "external_dependencies": {"python": ["cryptography", "phonenumbers"]},
    "data": [
        "security/privacy_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/privacy_field_policy_data.xml",
        "data/res_partner_industry_data.xml",
        "data/privacy_field_policy_identity_data.xml",
        "data/res_partner_masked_data.xml",
        "views/res_partner_views.xml",
        "views/res_partner_industry_views.xml",
        "views/res_config_settings_views.xml",
        "views/privacy_field_policy_views.xml",
        "views/privacy_access_grant_views.xml",
        "views/res_partner_identity_views.xml",
        "wizards/privacy_reveal_wizard_views.xml",
        "views/menus.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_privacy/static/src/js/tours/*.js",
        ],
    },
}
