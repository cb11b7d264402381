/** @odoo-module **/
// Copyright 2026 Customer Privacy for Odoo
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("customer_privacy_audit_auditor_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Customer Privacy app",
            trigger: "[data-menu-xmlid='customer_privacy.menu_privacy_root']",
            run: "click",
        },
        {
            content: "Open the Audit menu",
            trigger: "button[data-menu-xmlid='customer_privacy_audit.menu_privacy_audit']",
            run: "click",
        },
        {
            content: "Open the dashboard",
            trigger: "a[data-menu-xmlid='customer_privacy_audit.menu_privacy_audit_dashboard']",
            run: "click",
        },
        {
            content: "The dashboard shows the accesses graph",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Open the Audit menu again",
            trigger: "button[data-menu-xmlid='customer_privacy_audit.menu_privacy_audit']",
            run: "click",
        },
        {
            content: "Open the alerts",
            trigger: "a[data-menu-xmlid='customer_privacy_audit.menu_privacy_audit_alerts']",
            run: "click",
        },
        {
            content: "Open the export spike alert",
            trigger: ".o_data_row:contains(exported) .o_data_cell",
            run: "click",
        },
        {
            content: "The alert shows its evidence",
            trigger: ".o_form_view div[name='log_ids'] .o_data_row",
        },
        {
            content: "and no workflow button for an auditor",
            trigger: ".o_form_view:not(:has(button[name='action_resolve']))",
        },
    ],
});
