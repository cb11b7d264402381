/** @odoo-module **/
// Copyright 2026 Customer Privacy for Odoo
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
//
// A salesperson opens a customer, sees the phone masked, reveals it with a
// reason and their password, then sees it clear and the reveal in the chatter.
// Started by tests/test_reveal.py on the customer's form, as cp_sales.
import {registry} from "@web/core/registry";

const PHONE_FIELD = ".o_form_view .o_field_widget[name=phone] input";
const REASON = "Customer asked to be called back about order S00042";
const PASSWORD = "cp_sales"; // test users' password is their login

registry.category("web_tour.tours").add("customer_privacy_reveal_tour", {
    steps: () => [
        {
            content: "The customer's phone is masked",
            trigger: `${PHONE_FIELD}:value("138****8000")`,
        },
        {
            content: "Ask to reveal it",
            trigger: ".o_form_view button[name=action_privacy_reveal]",
            run: "click",
        },
        {
            content: "The wizard offers the phone among the masked fields",
            trigger: ".modal .o_field_widget[name=policy_ids] .o_tag",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: `edit ${REASON}`,
        },
        {
            content: "Reveal",
            trigger: ".modal button[name=action_reveal]",
            run: "click",
        },
        {
            content: "Odoo asks for the password again",
            trigger: ".modal div:contains(entering your password)",
        },
        {
            content: "Type the password",
            trigger: ".modal [name=password] input",
            run: `edit ${PASSWORD}`,
        },
        {
            content: "Confirm it",
            trigger: ".modal button:contains(Confirm Password)",
            run: "click",
        },
        {
            content: "The phone is now clear",
            trigger: `body:not(:has(.modal)) ${PHONE_FIELD}:value("13800138000")`,
        },
        {
            content: "The chatter records the reveal and its reason",
            trigger: `.o-mail-Message:contains(revealed):contains(${REASON})`,
        },
        {
            content: "but not the value",
            trigger: ".o-mail-Message:contains(revealed):not(:contains(8000))",
        },
    ],
});
