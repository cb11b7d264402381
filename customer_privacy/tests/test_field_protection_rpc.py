# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The field protection table of ``test_field_protection`` over the wire:
JSON-RPC ``/jsonrpc`` execute_kw (external clients, password per call) and
``/web/dataset/call_kw`` (the web client's session), plus the chatter route."""

import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import role_login
from .test_field_protection import (
    CHILD_EMAIL,
    CLEAR,
    COMPANY_STREET,
    COPIES,
    CUSTOMER,
    EXPECTED,
    EXPORT,
    PARTIAL_SEARCH,
    READ,
    REFUSED,
    REFUSED_SEARCH,
    SPEC,
    FieldProtectionCommon,
    value_for,
)


class RpcError(Exception):
    """An error answer: ``name`` is the exception class, ``message`` what the
    user reads."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@tagged("post_install", "-at_install")
class TestFieldProtectionRpc(FieldProtectionCommon, HttpCase):
    # -------------------------------------------------------------- helpers
    def post_json(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise RpcError(data.get("name", ""), data.get("message", ""))
        return body["result"]

    def execute_kw(self, role, model, method, *args, **kwargs):
        """``execute_kw`` over /jsonrpc as ``role``'s user (login, password)."""
        user = self.role_users[role]
        login = user.login
        return self.post_json(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    user.id,
                    login,
                    model,
                    method,
                    list(args),
                    kwargs,
                ],
            },
        )

    def call_kw(self, model, method, *args, **kwargs):
        """``/web/dataset/call_kw`` in the current browser session."""
        return self.post_json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def login(self, role):
        login = self.role_users[role].login
        self.authenticate(login, login)

    def assert_values(self, values, state, fnames=EXPECTED):
        for fname in fnames:
            self.assertEqual(values[fname], value_for(fname, state), fname)

    def assert_refused_search(self, call, *args, **kwargs):
        with self.assertRaises(RpcError) as caught:
            call(*args, **kwargs)
        self.assertIn("UserError", caught.exception.name)
        self.assertIn(REFUSED_SEARCH, caught.exception.message)

    # ------------------------------------------------------------ read paths
    def test_role_users_log_in_with_their_login(self):
        # the helpers above rely on it (tests/common.py: password == login)
        self.assertEqual(self.role_users["sales"].login, role_login("sales"))
        self.assertEqual(self.role_users["granted"].login, role_login("sales2"))

    def test_jsonrpc_read_paths_mask_per_role(self):
        ids = self.customer.ids
        domain = [("id", "=", self.customer.id)]
        for role, state in READ.items():
            with self.subTest(role=role):
                [values] = self.execute_kw(
                    role, "res.partner", "read", ids, list(EXPECTED)
                )
                self.assert_values(values, state)
                [values] = self.execute_kw(
                    role, "res.partner", "search_read", domain, list(EXPECTED)
                )
                self.assert_values(values, state)
                [values] = self.execute_kw(role, "res.partner", "web_read", ids, SPEC)
                self.assert_values(values, state)
                result = self.execute_kw(
                    role, "res.partner", "web_search_read", domain, SPEC
                )
                self.assert_values(result["records"][0], state)

    def test_jsonrpc_onchange_does_not_leak_company_address(self):
        spec = {"name": {}, "parent_id": {}, "type": {}, "street": {}}
        for role in READ:
            with self.subTest(role=role):
                result = self.execute_kw(
                    role,
                    "res.partner",
                    "onchange",
                    [],
                    {"name": "New", "type": "contact", "parent_id": self.company.id},
                    ["parent_id"],
                    spec,
                )
                expected = COMPANY_STREET[0 if role == "data_admin" else 1]
                self.assertEqual(result["value"]["street"], expected)

    @mute_logger("odoo.http")
    def test_jsonrpc_export_masks_or_refuses_per_role(self):
        columns = ["name", *CUSTOMER, "child_ids/email"]
        for role, state in EXPORT.items():
            with self.subTest(role=role):
                call = self.execute_kw
                if state == REFUSED:
                    with self.assertRaisesRegex(
                        RpcError, "AccessError.*may not export"
                    ):
                        call(
                            role,
                            "res.partner",
                            "export_data",
                            self.customer.ids,
                            columns,
                        )
                    continue
                result = call(
                    role, "res.partner", "export_data", self.customer.ids, columns
                )
                row = dict(zip(columns, result["datas"][0], strict=True))
                self.assert_values(row, state, CUSTOMER)
                child_email = CHILD_EMAIL[0] if role == "data_admin" else CHILD_EMAIL[1]
                self.assertEqual(row["child_ids/email"], child_email)

    def test_jsonrpc_group_labels_and_domains_hold_no_clear_value(self):
        domain = [("id", "=", self.customer.id)]
        for role in READ:
            label_state = CLEAR if role == "data_admin" else "masked"
            for method in ("read_group", "web_read_group"):
                with self.subTest(role=role, method=method):
                    result = self.execute_kw(
                        role,
                        "res.partner",
                        method,
                        domain,
                        ["id:count"],
                        ["email"],
                    )
                    groups = result["groups"] if method == "web_read_group" else result
                    self.assertEqual(
                        groups[0]["email"], value_for("email", label_state)
                    )
                    if label_state != CLEAR:
                        self.assertNotIn("zhangsan", json.dumps(result))
                    found = self.execute_kw(
                        role, "res.partner", "search", groups[0]["__domain"]
                    )
                    self.assertEqual(found, self.customer.ids)

    def test_jsonrpc_name_search_does_not_match_an_email_fragment(self):
        for role, state in PARTIAL_SEARCH.items():
            with self.subTest(role=role):
                found = self.execute_kw(
                    role, "res.partner", "name_search", "zhangsan@exa"
                )
                ids = [pid for pid, _name in found]
                if state == CLEAR:
                    self.assertIn(self.customer.id, ids)
                else:
                    self.assertEqual(ids, [])

    def test_jsonrpc_display_name_with_show_email_is_masked(self):
        for role, state in READ.items():
            with self.subTest(role=role):
                [values] = self.execute_kw(
                    role,
                    "res.partner",
                    "read",
                    self.customer.ids,
                    ["display_name"],
                    context={"show_email": True},
                )
                self.assertEqual(
                    values["display_name"],
                    f"Zhang San Test <{value_for('email', state)}>",
                )

    def test_jsonrpc_context_cannot_unmask_a_read(self):
        [values] = self.execute_kw(
            "sales",
            "res.partner",
            "read",
            self.customer.ids,
            ["phone", "email"],
            context={"privacy_onchange_values": {"phone": "138****8000"}},
        )
        self.assertEqual(values["phone"], "138****8000")
        self.assertEqual(values["email"], "z*******@example.com")

    # ---------------------------------------------------------- search oracle
    @mute_logger("odoo.http")
    def test_jsonrpc_partial_search_refused_with_a_clear_message(self):
        for role, state in PARTIAL_SEARCH.items():
            for fname in ("email", "phone", "street", "phone_mobile_search"):
                with self.subTest(role=role, field=fname):
                    domain = [(fname, "ilike", "138")]
                    call = self.execute_kw
                    if state == REFUSED:
                        for method in ("search", "search_count"):
                            self.assert_refused_search(
                                call, role, "res.partner", method, domain
                            )
                    else:
                        call(role, "res.partner", "search", domain)

    def test_jsonrpc_exact_phone_search_compares_numbers(self):
        for term in (
            ("phone", "=", "+86 138 0013 8000"),
            ("phone_mobile_search", "=", "+86 138 0013 8000"),
        ):
            with self.subTest(term=term):
                found = self.execute_kw("sales", "res.partner", "search", [term])
                self.assertIn(self.customer.id, found)

    @mute_logger("odoo.http")
    def test_copy_data_over_rpc_is_closed_and_copy_keeps_real_values(self):
        # copy_data() returns the real values of every copyable field
        with self.assertRaisesRegex(RpcError, "Private methods"):
            self.execute_kw("sales", "res.partner", "copy_data", self.customer.ids)
        # a copy made on the server duplicates the real values
        copy_id = self.execute_kw("sales", "res.partner", "copy", self.customer.ids)
        copy_id = copy_id[0] if isinstance(copy_id, list) else copy_id
        copy = self.env["res.partner"].browse(copy_id)
        self.assertEqual(copy.phone, CUSTOMER["phone"][0])
        [values] = self.execute_kw("sales", "res.partner", "read", [copy_id], ["phone"])
        self.assertEqual(values["phone"], CUSTOMER["phone"][1])

    @mute_logger("odoo.http")
    def test_onchange_parent_id_over_rpc_does_not_return_the_parent_address(self):
        # onchange_parent_id() is public and returns the parent's address as a
        # plain dict, outside any read: it must be refused or masked
        contact = self.env["res.partner"].create(
            {"name": "Employee", "parent_id": self.company.id, "type": "contact"}
        )
        try:
            result = self.execute_kw(
                "sales", "res.partner", "onchange_parent_id", contact.ids
            )
        except RpcError as error:
            self.assertIn("Private methods", error.message)
        else:
            self.assertNotIn(COMPANY_STREET[0], json.dumps(result, ensure_ascii=False))

    # ---------------------------------------------------------- web client
    @mute_logger("odoo.http")
    def test_web_client_session_reads_masked_and_cannot_search_partially(self):
        self.login("sales")
        [values] = self.call_kw(
            "res.partner", "web_read", self.customer.ids, specification=SPEC
        )
        self.assert_values(values, "masked")
        self.assert_refused_search(
            self.call_kw,
            "res.partner",
            "web_search_read",
            [("email", "ilike", "zhang")],
            specification={"email": {}},
        )
        self.login("data_admin")
        [values] = self.call_kw(
            "res.partner", "web_read", self.customer.ids, specification=SPEC
        )
        self.assert_values(values, CLEAR)

    def test_web_save_with_masked_values_keeps_the_real_ones(self):
        self.login("sales")
        [shown] = self.call_kw(
            "res.partner", "web_read", self.customer.ids, specification=SPEC
        )
        # the form saved as displayed, plus one real change
        vals = {fname: shown[fname] for fname in CUSTOMER} | {
            "email": "new@example.com"
        }
        [saved] = self.call_kw(
            "res.partner", "web_save", self.customer.ids, vals, specification=SPEC
        )
        self.assertEqual(saved["phone"], "138****8000")
        self.assertEqual(saved["email"], "n***@example.com")
        self.customer.invalidate_recordset()
        for fname, (clear, _masked) in CUSTOMER.items():
            if fname != "email":
                self.assertEqual(self.customer[fname], clear, fname)
        self.assertEqual(self.customer.email, "new@example.com")

    def test_jsonrpc_write_and_create_never_store_a_mask(self):
        self.execute_kw(
            "sales",
            "res.partner",
            "write",
            self.customer.ids,
            {"phone": "138****8000", "street": "北京市海淀区******"},
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.phone, CUSTOMER["phone"][0])
        self.assertEqual(self.customer.street, CUSTOMER["street"][0])
        new_id = self.execute_kw(
            "sales",
            "res.partner",
            "create",
            {"name": "Copied", "phone": "138****8000", "mobile": "13912345678"},
        )
        new = self.env["res.partner"].browse(new_id)
        self.assertFalse(new.phone)
        self.assertEqual(new.mobile, "13912345678")

    # --------------------------------------------------------------- chatter
    def test_chatter_route_masks_tracked_values_for_sales_not_data_admin(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.customer.with_context(tracking_disable=False).write(
            {"phone": "13900139000"}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        params = {"thread_model": "res.partner", "thread_id": self.customer.id}
        for role, shown in (
            ("sales", ("138****8000", "139****9000")),
            ("data_admin", ("13800138000", "13900139000")),
        ):
            with self.subTest(role=role):
                self.login(role)
                result = self.post_json("/mail/thread/messages", params)
                trackings = [
                    value
                    for message in result["data"]["mail.message"]
                    for value in message.get("trackingValues", [])
                    if value["fieldName"] == "phone"
                ]
                self.assertEqual(len(trackings), 1)
                self.assertEqual(
                    (
                        trackings[0]["oldValue"]["value"],
                        trackings[0]["newValue"]["value"],
                    ),
                    shown,
                )
                if role == "sales":
                    self.assertNotIn("13900139000", json.dumps(result))

    def test_sender_address_of_customer_messages_over_rpc(self):
        message = self.customer.message_post(
            body="Please call me back",
            author_id=self.customer.id,
            email_from=COPIES["email_formatted"][0],
            message_type="email",
        )
        params = {"thread_model": "res.partner", "thread_id": self.customer.id}
        for role, state in READ.items():
            with self.subTest(role=role):
                shown = value_for("email_formatted", state)
                [values] = self.execute_kw(
                    role, "mail.message", "read", message.ids, ["email_from"]
                )
                self.assertEqual(values["email_from"], shown)
                self.login(role)
                result = self.post_json("/mail/thread/messages", params)
                [formatted] = [
                    m for m in result["data"]["mail.message"] if m["id"] == message.id
                ]
                self.assertEqual(formatted["email_from"], shown)
                if state != CLEAR:
                    self.assertNotIn("zhangsan@", json.dumps(result))
                    self.assert_refused_search(
                        self.execute_kw,
                        role,
                        "mail.message",
                        "search_read",
                        [("email_from", "ilike", "zhangsan")],
                        ["id"],
                    )

    def thread_data(self, request_list):
        return self.post_json(
            "/mail/thread/data",
            {
                "thread_model": "res.partner",
                "thread_id": self.customer.id,
                "request_list": request_list,
            },
        )

    def test_chatter_followers_show_masked_addresses(self):
        self.customer.message_subscribe(partner_ids=self.customer.ids)
        self.login("sales")
        result = self.thread_data(["followers"])
        [follower] = result["mail.followers"]
        self.assertEqual(follower["email"], "z*******@example.com")
        [partner] = [p for p in result["res.partner"] if p["id"] == self.customer.id]
        self.assertEqual(partner["email"], "z*******@example.com")
        self.assertNotIn("zhangsan@", json.dumps(result))
        # nor can the followers be read for their e-mail directly
        [row] = self.execute_kw(
            "sales",
            "mail.followers",
            "search_read",
            [("partner_id", "=", self.customer.id)],
            ["email"],
        )
        self.assertEqual(row["email"], "z*******@example.com")
        self.login("data_admin")
        result = self.thread_data(["followers"])
        self.assertEqual(result["mail.followers"][0]["email"], "zhangsan@example.com")

    def test_chatter_suggested_recipients_show_masked_addresses(self):
        self.login("sales")
        result = self.thread_data(["suggestedRecipients"])
        [thread] = result["mail.thread"]
        [suggested] = thread["suggestedRecipients"]
        self.assertEqual(suggested["partner_id"], self.customer.id)
        self.assertNotIn("zhangsan@", json.dumps(result))

    def test_mention_suggestions_still_work_for_sales(self):
        # typing "@Zhang" in the chatter searches names and e-mails: the
        # e-mails must not be searched partially, the names still are
        self.login("sales")
        result = self.call_kw("res.partner", "get_mention_suggestions", "Zhang San")
        ids = [p["id"] for p in result.get("res.partner", [])]
        self.assertIn(self.customer.id, ids)
        self.assertNotIn("zhangsan@", json.dumps(result))
        result = self.call_kw("res.partner", "get_mention_suggestions", "zhangsan@")
        self.assertNotIn(
            self.customer.id, [p["id"] for p in result.get("res.partner", [])]
        )

    def test_vcard_download_holds_masked_values(self):
        self.login("sales")
        response = self.url_open(f"/web/partner/vcard?partner_ids={self.customer.id}")
        self.assertEqual(response.status_code, 200)
        vcard = response.content.decode()
        self.assertIn("Zhang San Test", vcard)
        for clear, _masked in CUSTOMER.values():
            self.assertNotIn(clear, vcard)

    # ------------------------------------------------------- business logic
    def test_message_posted_over_rpc_goes_to_the_real_address(self):
        message_id = self.execute_kw(
            "sales",
            "res.partner",
            "message_post",
            self.customer.ids,
            body="Your order is ready.",
            partner_ids=self.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            context={"mail_notify_force_send": False},
        )
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message_id)])
        )
        recipients = [
            email
            for values in mail._prepare_outgoing_list()
            for email in values["email_to"]
        ]
        self.assertIn('"Zhang San Test" <zhangsan@example.com>', recipients)

    # ------------------------------------------------------------ bad input
    @mute_logger("odoo.http")
    def test_jsonrpc_write_of_a_non_phone_is_refused_and_stores_nothing(self):
        before = (self.customer.phone, self.customer.mobile)
        for role in ("sales", "data_admin"):
            for vals in ({"phone": "call me maybe"}, {"mobile": "12"}):
                with self.subTest(role=role, vals=vals):
                    with self.assertRaises(RpcError) as caught:
                        self.execute_kw(
                            role, "res.partner", "write", self.customer.ids, vals
                        )
                    self.assertIn("ValidationError", caught.exception.name)
                    self.assertIn("is not a phone number", caught.exception.message)
        with self.assertRaises(RpcError):
            self.execute_kw(
                "sales", "res.partner", "create", {"name": "X", "phone": "abc"}
            )
        self.env.invalidate_all()
        self.assertEqual((self.customer.phone, self.customer.mobile), before)
        # a real number is stored, a masked one sent back changes nothing
        self.execute_kw(
            "sales",
            "res.partner",
            "write",
            self.customer.ids,
            {"mobile": "+33 6 12 34 56 78"},
        )
        self.execute_kw(
            "sales", "res.partner", "write", self.customer.ids, {"phone": "138****8000"}
        )
        self.env.invalidate_all()
        self.assertEqual(self.customer.mobile, "+33 6 12 34 56 78")
        self.assertEqual(self.customer.phone, before[0])

    @mute_logger("odoo.http")
    def test_jsonrpc_masked_forms_are_unreadable(self):
        # their hashes with the masks would give the hidden digits back
        self.env.flush_all()
        Form = self.env["privacy.masked.form"]
        rows = Form.search([("partner_id", "=", self.customer.id)])
        self.assertTrue(rows.phone_hash, "the customer's forms exist (to be refused)")
        ids = rows.ids
        for role in ("sales", "compliance", "data_admin"):
            for method, args, kwargs in (
                ("read", [ids, ["phone_masked", "phone_hash"]], {}),
                ("search_read", [[("phone_hash", ">", 0)]], {"fields": ["id"]}),
                ("export_data", [ids, ["phone_hash"]], {}),
                ("write", [ids, {"phone_masked": False}], {}),
                ("create", [{"partner_id": self.customer.id}], {}),
                ("unlink", [ids], {}),
            ):
                with self.subTest(role=role, method=method):
                    with self.assertRaises(RpcError) as caught:
                        self.execute_kw(
                            role, "privacy.masked.form", method, *args, **kwargs
                        )
                    self.assertIn("AccessError", caught.exception.name)
        rows.invalidate_recordset()
        self.assertTrue(rows.exists().phone_hash)

    def test_jsonrpc_policy_change_refused_to_other_roles(self):
        # a format change also has the stored masked forms remade
        policy = self.env.ref("customer_privacy.policy_phone")
        cron = self.env.ref("customer_privacy.cron_refresh_masked_forms")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        for role in ("collector", "sales", "compliance", "executive", "auditor"):
            with self.subTest(role=role):
                with self.assertRaises(RpcError) as caught:
                    self.execute_kw(
                        role,
                        "privacy.field.policy",
                        "write",
                        policy.ids,
                        {"mask_format": "full"},
                    )
                self.assertIn("AccessError", caught.exception.name)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)
        self.execute_kw(
            "data_admin",
            "privacy.field.policy",
            "write",
            policy.ids,
            {"mask_format": "full"},
        )
        policy.invalidate_recordset()
        self.assertEqual(policy.mask_format, "full")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

    def test_jsonrpc_data_admin_adds_a_policy_from_the_ui(self):
        # the form's pickers read models and fields: the data administrator may
        model = self.env.ref("base.model_res_partner")
        field = self.env.ref("base.field_res_partner__city")
        found = self.execute_kw(
            "data_admin",
            "ir.model.fields",
            "name_search",
            "city",
            args=[("model_id", "=", model.id), ("ttype", "in", ("char", "text"))],
        )
        self.assertIn(field.id, [row[0] for row in found])
        vals = {
            "model_id": model.id,
            "field_id": field.id,
            "sensitivity": "medium",
            "mask_format": "generic",
        }
        for role in ("sales", "compliance", "auditor"):
            with self.subTest(role=role):
                with self.assertRaises(RpcError) as caught:
                    self.execute_kw(role, "privacy.field.policy", "create", vals)
                self.assertIn("AccessError", caught.exception.name)
        self.execute_kw("data_admin", "privacy.field.policy", "create", vals)
        # in effect at once: the salesperson reads the city masked
        self.customer.city = "Hangzhou"
        self.env.flush_all()
        read = self.execute_kw(
            "sales", "res.partner", "read", self.customer.ids, ["city"]
        )
        self.assertNotEqual(read[0]["city"], "Hangzhou")
        self.assertIn("*", read[0]["city"])

    def test_jsonrpc_colleague_reads_clear_and_no_role_can_make_a_customer_staff(self):
        colleague = self.users["sales2"].partner_id
        colleague.write({"email": "wang.wu@ourcompany.test"})
        self.env.company.partner_id.email = "info@ourcompany.test"
        ids = [colleague.id, self.customer.id]
        for role in ("collector", "sales", "compliance", "auditor"):
            with self.subTest(role=role):
                rows = self.execute_kw(role, "res.partner", "read", ids, ["email"])
                self.assertEqual(
                    {row["id"]: row["email"] for row in rows},
                    {
                        colleague.id: "wang.wu@ourcompany.test",
                        self.customer.id: CUSTOMER["email"][1],
                    },
                )
                # the company's own e-mail, a copy of its partner's
                company = self.execute_kw(
                    role, "res.company", "read", self.env.company.ids, ["email"]
                )
                self.assertEqual(company[0]["email"], "info@ourcompany.test")
        # a user for the customer would open its values: only user
        # administrators create users or move a user's partner
        for role in ("sales", "dept_head", "compliance", "data_admin", "auditor"):
            with self.subTest(role=role):
                with self.assertRaises(RpcError) as caught:
                    self.execute_kw(
                        role,
                        "res.users",
                        "create",
                        {
                            "name": "Sneaky",
                            "login": f"sneaky_{role}",
                            "partner_id": self.customer.id,
                        },
                    )
                self.assertIn("AccessError", caught.exception.name)
                with self.assertRaises(RpcError) as caught:
                    self.execute_kw(
                        role,
                        "res.users",
                        "write",
                        self.users["sales2"].ids,
                        {"partner_id": self.customer.id},
                    )
                self.assertIn("AccessError", caught.exception.name)
        rows = self.execute_kw("sales", "res.partner", "read", ids, ["email"])
        self.assertEqual(rows[1]["email"], CUSTOMER["email"][1])

    def test_jsonrpc_merge_of_a_customer_into_the_company_is_refused(self):
        kept = self.env.company.partner_id
        kept.write({"email": CUSTOMER["email"][0], "phone": False})
        for role in ("sales", "compliance"):
            with self.subTest(role=role):
                wizard_id = self.execute_kw(
                    role,
                    "base.partner.merge.automatic.wizard",
                    "create",
                    {
                        "partner_ids": [(6, 0, [kept.id, self.customer.id])],
                        "dst_partner_id": kept.id,
                    },
                )
                with self.assertRaises(RpcError) as caught:
                    self.execute_kw(
                        role,
                        "base.partner.merge.automatic.wizard",
                        "action_merge",
                        [wizard_id],
                    )
                self.assertIn("AccessError", caught.exception.name)
        self.assertTrue(self.customer.exists())
        kept.invalidate_recordset(["phone"])
        self.assertFalse(kept.phone)

    def test_jsonrpc_merge_into_a_less_confidential_contact_is_refused(self):
        (self.confidential | self.plain).write({"email": "same@example.com"})
        # "granted" is sales2, the salesperson of the confidential customer
        wizard_id = self.execute_kw(
            "granted",
            "base.partner.merge.automatic.wizard",
            "create",
            {
                "partner_ids": [(6, 0, [self.confidential.id, self.plain.id])],
                "dst_partner_id": self.plain.id,
            },
        )
        with self.assertRaises(RpcError) as caught:
            self.execute_kw(
                "granted",
                "base.partner.merge.automatic.wizard",
                "action_merge",
                [wizard_id],
            )
        self.assertIn("AccessError", caught.exception.name)
        self.assertIn("more confidential", caught.exception.message)
        self.assertTrue(self.confidential.exists())

    def test_jsonrpc_merge_context_only_drops_values(self):
        # the context the merge writes with drops the code, classification
        # and masked forms: sent by a client, it changes nothing
        code = self.customer.privacy_code
        self.execute_kw(
            "sales",
            "res.partner",
            "write",
            self.customer.ids,
            {
                "privacy_code": "XX-2026-99999",
                "privacy_confidentiality": "top_secret",
                "privacy_id_number_masked": "440305********5670",
                "city": "Tianjin",
            },
            context={"privacy_merging": True},
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.privacy_code, code)
        self.assertEqual(self.customer.privacy_confidentiality, "secret")
        self.assertFalse(self.customer.privacy_id_number_masked)
        self.assertEqual(self.customer.city, "Tianjin")
