/** @odoo-module **/
// Copyright 2026 Customer Privacy for Odoo
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import {registry} from "@web/core/registry";

const CUSTOMER = "Top Secret Bank of Tests";

function searchContacts(text) {
    return [
        {
            content: "Search the contacts",
            trigger: ".o_searchview_input",
            run: `edit ${text}`,
        },
        {
            content: "Apply the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The search is applied",
            trigger: `.o_searchview_facet:contains(${text})`,
        },
    ];
}

registry.category("web_tour.tours").add("customer_privacy_salesperson_tour", {
    url: "/odoo/contacts",
    steps: () => [
        ...searchContacts(CUSTOMER),
        {
            content: "Open my top-secret customer",
            trigger: `.o_kanban_record:contains(${CUSTOMER})`,
            run: "click",
        },
        {
            content: "The confidentiality badge is shown",
            trigger: ".o_privacy_confidentiality:contains(Top Secret)",
        },
        {
            content: "The sensitivity badge is shown",
            trigger: ".o_privacy_sensitivity",
        },
        {
            content: "Open the Privacy tab",
            trigger: "a.nav-link:contains(Privacy)",
            run: "click",
        },
        {
            content: "The customer code is in the Privacy tab",
            trigger: ".tab-pane.active div[name='privacy_code']:contains(FI-)",
        },
    ],
});

registry.category("web_tour.tours").add("customer_privacy_other_salesperson_tour", {
    url: "/odoo/contacts",
    steps: () => [
        ...searchContacts(CUSTOMER),
        {
            content: "Nothing is found",
            trigger: ".o_kanban_view .o_view_nocontent",
        },
        {
            content: "and no card names the customer",
            trigger: `.o_kanban_renderer:not(:has(.o_kanban_record:contains(${CUSTOMER})))`,
        },
    ],
});
