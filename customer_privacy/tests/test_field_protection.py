# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every door through which a protected value leaves the server, for every
role (SPEC §5), over the ORM as each role's user. The same table over
JSON-RPC is in ``test_field_protection_rpc``."""

from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools.safe_eval import safe_eval

from .common import PrivacyCommon

CLEAR, MASKED, REFUSED = "clear", "masked", "refused"

# "granted": a salesperson holding a live grant (approved request) on CUSTOMER
ROLES = (
    "collector",
    "sales",
    "dept_head",
    "compliance",
    "executive",
    "data_admin",
    "auditor",
    "granted",
)
# what each role receives when reading the customer's protected fields
READ = {role: MASKED for role in ROLES} | {"data_admin": CLEAR, "granted": CLEAR}
# exporting medium fields: collectors (录入-提交 only) and auditors are refused
EXPORT = READ | {"collector": REFUSED, "auditor": REFUSED}
# partial search is a matter of role; a grant on one customer does not open it
PARTIAL_SEARCH = {role: REFUSED for role in ROLES} | {"data_admin": CLEAR}
# chatter tracking values follow the read table
CHATTER = READ

# field: (clear value, what a user without clearance sees)
CUSTOMER = {
    "email": ("zhangsan@example.com", "z*******@example.com"),
    "phone": ("13800138000", "138****8000"),
    "mobile": ("+86 139 1234 5678", "139****5678"),
    "street": ("北京市海淀区中关村大街27号", "北京市海淀区******"),
    "street2": ("5号楼1201室", "******"),
    "zip": ("100080", "******"),
    "vat": ("110101199003071234", "1****************4"),
}
# computed copies of protected fields, masked like their source
COPIES = {
    "email_formatted": (
        '"Zhang San Test" <zhangsan@example.com>',
        '"Zhang San Test" <z*******@example.com>',
    ),
    "email_normalized": ("zhangsan@example.com", "z*******@example.com"),
    # the first valid number of mobile, phone
    "phone_sanitized": ("+8613912345678", "139****5678"),
    "contact_address": (
        "China, 100080\n Beijing 北京市海淀区中关村大街27号 5号楼1201室",
        "******, Beijing",
    ),
    "contact_address_inline": (
        "China, 100080, Beijing 北京市海淀区中关村大街27号 5号楼1201室",
        "******, Beijing",
    ),
}
EXPECTED = CUSTOMER | COPIES
SPEC = {fname: {} for fname in EXPECTED}
COMPANY_STREET = ("上海市浦东新区世纪大道100号", "上海市浦东新区******")
CHILD_EMAIL = ("lisi@example.com", "l***@example.com")
# fields a partial search must not touch for users without clearance
PARTIAL_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "vat",
    "phone_sanitized",
    "email_normalized",
    "phone_mobile_search",
)
PARTIAL_TERMS = (
    ("ilike", "zhang"),
    ("like", "138"),
    ("=like", "138%"),
    ("=ilike", "%example%"),
    ("not ilike", "zhang"),
    (">=", "100"),
)
REFUSED_SEARCH = "exact value"


def value_for(fname, state):
    clear, masked = EXPECTED[fname]
    return clear if state == CLEAR else masked


class FieldProtectionCommon(PrivacyCommon):
    """A customer with every default protected field filled, its company and
    a child contact; ``cls.role_users`` adds the salesperson with a grant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        export = cls.env.ref("base.group_allow_export")
        for user in cls.users.values():
            user.groups_id = [(4, export.id)]
        Partner = cls.env["res.partner"]
        china = cls.env.ref("base.cn")
        cls.company = Partner.create(
            {
                "name": "Acme Shanghai Test",
                "is_company": True,
                "street": COMPANY_STREET[0],
                "city": "Shanghai",
                "country_id": china.id,
            }
        )
        cls.customer = Partner.create(
            {
                "name": "Zhang San Test",
                "city": "Beijing",
                "country_id": china.id,
                **{fname: clear for fname, (clear, _masked) in CUSTOMER.items()},
            }
        )
        cls.child = Partner.create(
            {
                "name": "Li Si Test",
                "parent_id": cls.customer.id,
                "type": "other",
                "email": CHILD_EMAIL[0],
            }
        )
        cls.grant = (
            cls.env["privacy.access.grant"]
            .sudo()
            .create(
                {
                    "user_id": cls.users["sales2"].id,
                    "partner_ids": [(6, 0, cls.customer.ids)],
                    "level": "medium",
                    "date_expire": fields.Datetime.now() + timedelta(hours=2),
                    "origin": "request",
                    "reason": "Approved usage request for the test",
                }
            )
        )
        cls.role_users = {
            role: cls.users["sales2" if role == "granted" else role] for role in ROLES
        }


@tagged("post_install", "-at_install")
class TestFieldProtection(FieldProtectionCommon, TransactionCase):
    def partner(self, role, record=None):
        record = record or self.customer
        return record.with_user(self.role_users[role])

    def assert_values(self, values, state, fnames=EXPECTED):
        for fname in fnames:
            self.assertEqual(values[fname], value_for(fname, state), fname)

    # ------------------------------------------------------------ the fixture
    def test_fixture_holds_the_clear_values(self):
        # the expected clear values are what the database holds: the masks
        # below are checked against real data, not against themselves
        self.assert_values(self.customer.read(list(EXPECTED))[0], CLEAR)

    # ------------------------------------------------------------ read paths
    def test_read_masks_protected_fields_and_their_copies_per_role(self):
        for role, state in READ.items():
            with self.subTest(role=role):
                values = self.partner(role).read(list(EXPECTED))[0]
                self.assert_values(values, state)

    def test_search_read_masks_per_role(self):
        for role, state in READ.items():
            with self.subTest(role=role):
                [values] = (
                    self.env["res.partner"]
                    .with_user(self.role_users[role])
                    .search_read([("id", "=", self.customer.id)], list(EXPECTED))
                )
                self.assert_values(values, state)

    def test_web_read_masks_per_role_including_x2many_lines(self):
        spec = SPEC | {
            "child_ids": {"fields": {"email": {}}},
        }
        for role, state in READ.items():
            with self.subTest(role=role):
                [values] = self.partner(role).web_read(spec)
                self.assert_values(values, state)
                child_email = CHILD_EMAIL[0] if role == "data_admin" else CHILD_EMAIL[1]
                self.assertEqual(values["child_ids"][0]["email"], child_email)

    def test_web_search_read_masks_per_role(self):
        for role, state in READ.items():
            with self.subTest(role=role):
                result = (
                    self.env["res.partner"]
                    .with_user(self.role_users[role])
                    .web_search_read([("id", "=", self.customer.id)], SPEC)
                )
                self.assert_values(result["records"][0], state)

    def test_many2one_display_name_with_show_email_is_masked(self):
        # a list of the children shows their parent as "name <email>"
        spec = {
            "parent_id": {
                "fields": {"display_name": {}},
                "context": {"show_email": True},
            }
        }
        for role, state in READ.items():
            with self.subTest(role=role):
                [values] = self.partner(role, self.child).web_read(spec)
                self.assertEqual(
                    values["parent_id"]["display_name"],
                    f"Zhang San Test <{value_for('email', state)}>",
                )

    def test_onchange_on_existing_customer_returns_masked_values(self):
        # a new country reformats the stored phone: it comes back masked
        spec = {"country_id": {}, "phone": {}, "mobile": {}}
        for role, state in READ.items():
            with self.subTest(role=role):
                result = self.partner(role).onchange(
                    {"country_id": self.env.ref("base.cn").id}, ["country_id"], spec
                )
                phone = "+86 138 0013 8000" if state == CLEAR else "138****8000"
                self.assertEqual(result["value"]["phone"], phone)
                self.assertNotIn("13800138000", repr(result))

    def test_onchange_parent_on_existing_customer_masks_copied_address(self):
        spec = {"parent_id": {}, "type": {}, "street": {}}
        for role in READ:
            with self.subTest(role=role):
                result = self.partner(role).onchange(
                    {"parent_id": self.company.id, "type": "contact"},
                    ["parent_id"],
                    spec,
                )
                street = result["value"]["street"]
                if role == "data_admin":
                    self.assertEqual(street, COMPANY_STREET[0])
                else:
                    # the grant covers the customer, not the company
                    self.assertEqual(street, COMPANY_STREET[1])

    def test_onchange_new_contact_does_not_leak_company_address(self):
        spec = {"name": {}, "parent_id": {}, "type": {}, "street": {}, "city": {}}
        for role in ROLES:
            with self.subTest(role=role):
                result = (
                    self.env["res.partner"]
                    .with_user(self.role_users[role])
                    .onchange(
                        {"name": "New Contact", "type": "contact", "parent_id": False},
                        ["parent_id"],
                        spec,
                    )
                )
                self.assertNotIn("street", result["value"])
                result = (
                    self.env["res.partner"]
                    .with_user(self.role_users[role])
                    .onchange(
                        {
                            "name": "New Contact",
                            "type": "contact",
                            "parent_id": self.company.id,
                        },
                        ["parent_id"],
                        spec,
                    )
                )
                expected = COMPANY_STREET[0 if role == "data_admin" else 1]
                self.assertEqual(result["value"]["street"], expected)
                self.assertEqual(result["value"]["city"], "Shanghai")

    def test_onchange_gives_back_the_phone_the_user_typed(self):
        # what a user types is theirs: it comes back reformatted, not masked
        result = (
            self.env["res.partner"]
            .with_user(self.users["sales"])
            .onchange(
                {"name": "New", "country_id": self.env.ref("base.cn").id},
                [],
                {"name": {}, "country_id": {}, "phone": {}},
            )
        )
        self.assertFalse(result["value"]["phone"])
        result = (
            self.env["res.partner"]
            .with_user(self.users["sales"])
            .onchange(
                {
                    "name": "New",
                    "country_id": self.env.ref("base.cn").id,
                    "phone": "13912345678",
                },
                ["phone"],
                {"name": {}, "country_id": {}, "phone": {}},
            )
        )
        self.assertEqual(result["value"]["phone"], "+86 139 1234 5678")

    def test_onchange_context_cannot_unmask_a_read(self):
        # the onchange marks the user's own input; a client cannot fake it
        sales = self.partner("sales").with_context(
            privacy_onchange_values={"phone": "anything", "email": "x"}
        )
        self.assertEqual(sales.read(["phone"])[0]["phone"], "138****8000")

    # ---------------------------------------------------------------- export
    def test_export_data_masks_or_refuses_per_role(self):
        columns = ["name", *CUSTOMER, "email_formatted", "child_ids/email"]
        for role, state in EXPORT.items():
            with self.subTest(role=role):
                partner = self.partner(role)
                if state == REFUSED:
                    with self.assertRaisesRegex(AccessError, "may not export"):
                        partner.export_data(columns)
                    continue
                rows = partner.export_data(columns)["datas"]
                self.assertEqual(len(rows), 1)
                row = dict(zip(columns, rows[0], strict=True))
                self.assertEqual(row["name"], "Zhang San Test")
                self.assert_values(row, state, [*CUSTOMER, "email_formatted"])
                child_email = CHILD_EMAIL[0] if role == "data_admin" else CHILD_EMAIL[1]
                self.assertEqual(row["child_ids/email"], child_email)

    def test_collector_cannot_export_protected_fields_of_related_records(self):
        partner = self.partner("collector", self.child)
        for column in ("parent_id/email", "child_ids/phone"):
            with self.subTest(column=column):
                with self.assertRaisesRegex(AccessError, "may not export"):
                    partner.export_data(["name", column])
        # unprotected columns export as usual
        rows = partner.export_data(["name", "parent_id/name"])["datas"]
        self.assertEqual(rows, [["Li Si Test", "Zhang San Test"]])

    # ----------------------------------------------------------- read_group
    def test_read_group_labels_and_domains_hold_no_clear_value(self):
        domain = [("id", "=", self.customer.id)]
        for role in READ:
            Partner = self.env["res.partner"].with_user(self.role_users[role])
            for fname in ("email", "phone", "street", "vat", *COPIES):
                if not Partner._fields[fname].store:
                    continue
                with self.subTest(role=role, groupby=fname):
                    [group] = Partner.read_group(domain, ["id:count"], [fname])
                    # the grant opens one customer, not the group labels
                    label_state = CLEAR if role == "data_admin" else MASKED
                    self.assertEqual(group[fname], value_for(fname, label_state))
                    if label_state == MASKED:
                        self.assertNotIn(EXPECTED[fname][0], repr(group))
                    # the group's domain still finds its records
                    self.assertEqual(Partner.search(group["__domain"]), self.customer)

    def test_web_read_group_labels_and_domains_hold_no_clear_value(self):
        domain = [("id", "in", (self.customer | self.company).ids)]
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        result = Partner.web_read_group(domain, ["id:count"], ["email", "street"])
        self.assertEqual(
            {group["email"] for group in result["groups"]},
            {False, "z*******@example.com"},
        )
        for group in result["groups"]:
            self.assertNotIn("zhangsan", repr(group))
            if "__domain" in group:
                self.assertTrue(Partner.search(group["__domain"]))
        # the sub-groups (street inside an e-mail group) are masked too
        customer_group = next(g for g in result["groups"] if g["email"])
        sub = Partner.web_read_group(
            customer_group["__domain"], ["id:count"], ["street"]
        )
        self.assertEqual(sub["groups"][0]["street"], CUSTOMER["street"][1])
        self.assertNotIn(CUSTOMER["street"][0], repr(sub))

    def test_read_group_aggregates_of_protected_fields_are_masked(self):
        domain = [("id", "=", self.customer.id)]
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        [group] = Partner.read_group(
            domain,
            ["email:array_agg", "phone_max:max(phone)", "vat:count_distinct"],
            ["country_id"],
        )
        self.assertEqual(group["email"], ["z*******@example.com"])
        self.assertEqual(group["phone_max"], "138****8000")
        self.assertEqual(group["vat"], 1)
        admin = self.env["res.partner"].with_user(self.users["data_admin"])
        [group] = admin.read_group(domain, ["email:array_agg"], ["country_id"])
        self.assertEqual(group["email"], ["zhangsan@example.com"])

    # ------------------------------------------------- name search / display
    def test_name_search_does_not_match_an_email_fragment(self):
        for role, state in PARTIAL_SEARCH.items():
            with self.subTest(role=role):
                Partner = self.env["res.partner"].with_user(self.role_users[role])
                found = [pid for pid, _name in Partner.name_search("zhangsan@exa")]
                if state == CLEAR:
                    self.assertIn(self.customer.id, found)
                else:
                    self.assertEqual(found, [])
                # the name itself is still found
                found = [pid for pid, _name in Partner.name_search("Zhang San Te")]
                self.assertIn(self.customer.id, found)

    def test_display_name_with_show_email_is_masked(self):
        for role, state in READ.items():
            with self.subTest(role=role):
                partner = self.partner(role).with_context(show_email=True)
                self.assertEqual(
                    partner.display_name,
                    f"Zhang San Test <{value_for('email', state)}>",
                )
                [values] = partner.read(["display_name"])
                self.assertEqual(values["display_name"], partner.display_name)

    # --------------------------------------------------------------- chatter
    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_chatter_tracking_values_masked_for_users_without_clearance(self):
        # creating the fixture left "no tracking" marks on its records
        self.flush_tracking()
        self.customer.with_context(tracking_disable=False).write(
            {"email": "zhang.new@example.com", "phone": "13900139000"}
        )
        self.flush_tracking()
        message = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("tracking_value_ids", "!=", False),
            ]
        )
        self.assertEqual(len(message), 1)
        expected = {
            CLEAR: {
                "email": ("zhangsan@example.com", "zhang.new@example.com"),
                "phone": ("13800138000", "13900139000"),
            },
            MASKED: {
                "email": ("z*******@example.com", "z********@example.com"),
                "phone": ("138****8000", "139****9000"),
            },
        }
        for role, state in CHATTER.items():
            with self.subTest(role=role):
                user_message = message.with_user(self.role_users[role])
                data = Store(user_message, for_current_user=True).get_result()
                [formatted] = data["mail.message"]
                tracked = {
                    value["fieldName"]: (
                        value["oldValue"]["value"],
                        value["newValue"]["value"],
                    )
                    for value in formatted["trackingValues"]
                }
                for fname, values in expected[state].items():
                    self.assertEqual(tracked[fname], values, fname)
                if state == MASKED:
                    self.assertNotIn("zhang.new", repr(data))
                    self.assertNotIn("13900139000", repr(data))

    def customer_message(self):
        """A message the customer wrote in, as the mail gateway records it."""
        return (
            self.customer.with_context(tracking_disable=False)
            .message_post(
                body="Please call me back",
                author_id=self.customer.id,
                email_from=COPIES["email_formatted"][0],
                message_type="email",
            )
            .sudo(False)
        )

    def test_sender_address_of_a_customer_message_per_role(self):
        message = self.customer_message()
        clear, masked = COPIES["email_formatted"]
        for role, state in READ.items():
            with self.subTest(role=role):
                user_message = message.with_user(self.role_users[role])
                expected = clear if state == CLEAR else masked
                data = Store(user_message, for_current_user=True).get_result()
                [formatted] = data["mail.message"]
                self.assertEqual(formatted["email_from"], expected)
                [read] = user_message.read(["email_from"])
                self.assertEqual(read["email_from"], expected)
                # Odoo lets only system administrators export messages
                with self.assertRaises(AccessError):
                    user_message.export_data(["email_from"])
                [group] = user_message.read_group(
                    [("id", "=", message.id)], ["id:count"], ["email_from"]
                )
                # the grant opens one customer's messages, not group labels
                label = clear if role == "data_admin" else masked
                self.assertEqual(group["email_from"], label)
                self.assertEqual(user_message.search(group["__domain"]), message)
                if label == masked:
                    self.assertNotIn("zhangsan@", repr(group))
                if state == MASKED:
                    self.assertNotIn("zhangsan@", repr(data))
                    with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
                        user_message.search([("email_from", "ilike", "zhangsan")])
        # mail from the customer is still matched to it by the real address
        self.assertEqual(message.sudo().email_from, clear)

    # ---------------------------------------------------------- search oracle
    def test_partial_search_on_protected_fields_refused_per_role(self):
        for role, state in PARTIAL_SEARCH.items():
            Partner = self.env["res.partner"].with_user(self.role_users[role])
            for fname in PARTIAL_FIELDS:
                for operator, value in PARTIAL_TERMS:
                    with self.subTest(role=role, field=fname, operator=operator):
                        domain = [(fname, operator, value)]
                        if state == REFUSED:
                            with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
                                Partner.search(domain)
                            with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
                                Partner.search_count(domain)
                        else:
                            Partner.search(domain)

    def test_partial_search_through_a_relation_is_refused(self):
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
            Partner.search([("parent_id.email", "ilike", "zhang")])
        with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
            Partner.search([("child_ids.email", "=like", "l%")])

    def test_business_code_in_sudo_still_searches_partially(self):
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        # the salesperson's search leaves the protected names in the memo
        with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
            Partner.search([("email", "ilike", "zhangsan")])
        self.assertIn(
            self.customer, Partner.sudo().search([("email", "ilike", "zhangsan")])
        )
        with self.assertRaisesRegex(UserError, REFUSED_SEARCH):
            Partner.search([("email", "ilike", "zhangsan")])

    def test_exact_search_finds_the_customer(self):
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        terms = [
            ("email", "=", "zhangsan@example.com"),
            ("email", "=ilike", "ZhangSan@Example.com"),
            ("email_normalized", "=", "zhangsan@example.com"),
            ("phone", "=", "+86 138 0013 8000"),
            ("phone", "=", "13800138000"),
            ("phone", "in", ["13800138000"]),
            ("phone_sanitized", "=", "+86 139-1234-5678"),
            ("mobile", "=", "13912345678"),
            ("phone_mobile_search", "=", "+86 138 0013 8000"),
            ("phone_mobile_search", "=", "+8613912345678"),
            ("vat", "=", "110101199003071234"),
            ("street", "=", CUSTOMER["street"][0]),
        ]
        for term in terms:
            with self.subTest(term=term):
                self.assertIn(self.customer, Partner.search([term]))
        # and a wrong exact value finds nothing
        self.assertFalse(Partner.search([("phone", "=", "+86 138 0013 8001")]))

    def test_contacts_search_view_name_filter_does_not_touch_protected_fields(self):
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        view = Partner.get_views([(False, "search")])["views"]["search"]
        arch = etree.fromstring(view["arch"])
        [name_field] = arch.xpath("//field[@name='name']")
        domain = safe_eval(name_field.get("filter_domain"), {"self": "zhangsan@"})
        protected = set(Partner._privacy_policies())
        used = {term[0].split(".")[0] for term in domain if isinstance(term, tuple)}
        self.assertFalse(used & protected)
        self.assertFalse(Partner.search(domain))
        domain = safe_eval(name_field.get("filter_domain"), {"self": "Zhang San"})
        self.assertIn(self.customer, Partner.search(domain))

    def test_sorting_by_a_protected_field_does_not_rank_its_values(self):
        # sorting by e-mail would place a customer among addresses the user
        # chooses (a bisection oracle): users who see e-mails masked get an
        # order that does not depend on them
        Partner = self.env["res.partner"]
        probes = Partner.create(
            [
                {"name": "Probe Z", "email": "zzz@example.com"},
                {"name": "Probe A", "email": "aaa@example.com"},
            ]
        )
        domain = [("id", "in", (probes | self.customer).ids)]
        admin = Partner.with_user(self.users["data_admin"])
        self.assertEqual(
            admin.search(domain, order="email asc").mapped("email"),
            ["aaa@example.com", "zhangsan@example.com", "zzz@example.com"],
        )
        sales = Partner.with_user(self.users["sales"])
        self.assertEqual(
            sales.search(domain, order="email asc").ids,
            sales.search(domain, order="email desc").ids,
        )
        groups = [
            sales.read_group(domain, ["id:count"], ["email"], orderby=order)
            for order in ("email asc", "email desc")
        ]
        self.assertEqual(
            [g["email"] for g in groups[0]], [g["email"] for g in groups[1]]
        )

    # ------------------------------------------------------------ write-back
    def test_masked_value_written_back_keeps_the_real_one(self):
        partner = self.partner("sales")
        masked = partner.read(list(CUSTOMER))[0]
        partner.write({fname: masked[fname] for fname in CUSTOMER})
        self.customer.invalidate_recordset()
        for fname, (clear, _masked) in CUSTOMER.items():
            self.assertEqual(self.customer[fname], clear, fname)

    def test_new_real_value_is_stored(self):
        self.partner("sales").write({"email": "zhang.real@example.com"})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.email, "zhang.real@example.com")

    def test_form_save_with_masked_values_keeps_the_real_ones(self):
        with Form(self.partner("sales")) as form:
            self.assertEqual(form.phone, "138****8000")
            form.name = "Zhang San Test Renamed"
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.name, "Zhang San Test Renamed")
        self.assertEqual(self.customer.phone, "13800138000")
        self.assertEqual(self.customer.email, "zhangsan@example.com")

    def test_masked_looking_value_is_never_stored(self):
        # an edited mask is no data either: the real value stays, the other
        # values of the same write are stored
        self.partner("sales").write({"phone": "138****8001", "city": "Tianjin"})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.phone, "13800138000")
        self.assertEqual(self.customer.city, "Tianjin")
        # a data administrator never sees masks: what they type is stored
        self.partner("data_admin").write({"street2": "Unit *3"})
        self.assertEqual(self.customer.street2, "Unit *3")

    def test_grant_holder_saving_a_copied_masked_address_keeps_real_data(self):
        # the grant opens the customer, not its new parent company: the
        # onchange shows the company street masked and the form sends it back
        partner = self.partner("granted")
        partner.write(
            {
                "parent_id": self.company.id,
                "type": "contact",
                "street": COMPANY_STREET[1],
            }
        )
        self.assertEqual(self.customer.street, COMPANY_STREET[0])

    def test_create_with_masked_value_does_not_store_the_mask(self):
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        partner = Partner.create(
            {"name": "Copy", "phone": "138****8000", "email": "new@example.com"}
        )
        self.assertFalse(partner.sudo().phone)
        self.assertEqual(partner.sudo().email, "new@example.com")

    def test_new_contact_of_a_company_gets_the_real_company_address(self):
        # the form sends the masked address copied by the onchange back: the
        # contact still gets the company's real address
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        contact = Partner.create(
            {
                "name": "New Employee",
                "type": "contact",
                "parent_id": self.company.id,
                "street": COMPANY_STREET[1],
            }
        )
        self.assertEqual(contact.sudo().street, COMPANY_STREET[0])

    # ------------------------------------------------------- business logic
    def test_mail_goes_to_the_real_address(self):
        sales = self.users["sales"]
        message = (
            self.partner("sales")
            .with_context(mail_notify_force_send=False)
            .message_post(
                body="Your order is ready.",
                partner_ids=self.customer.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertTrue(mail)
        outgoing = mail.with_user(sales)._prepare_outgoing_list()
        recipients = [email for values in outgoing for email in values["email_to"]]
        self.assertIn('"Zhang San Test" <zhangsan@example.com>', recipients)
        # the salesperson's own view of the recipient stays masked
        self.assertEqual(
            self.partner("sales").read(["email_formatted"])[0]["email_formatted"],
            '"Zhang San Test" <z*******@example.com>',
        )

    def test_business_logic_reads_real_values(self):
        partner = self.partner("sales")
        self.assertEqual(partner.email, "zhangsan@example.com")
        self.assertEqual(partner.phone_sanitized, "+8613912345678")
        self.assertEqual(partner._phone_format(fname="phone"), "+8613800138000")


@tagged("post_install", "-at_install")
class TestNotCustomers(FieldProtectionCommon, TransactionCase):
    """Policies protect customers (SPEC §4): not the partners of the
    database's companies or of its active internal users."""

    FIELDS = ["email", "phone", "email_formatted", "phone_sanitized"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = cls.users["sales2"].partner_id
        cls.china = cls.env.ref("base.cn")
        cls.colleague.write(
            {
                "email": "wang.wu@ourcompany.test",
                "phone": "13700137000",
                "country_id": cls.china.id,
            }
        )
        cls.own_company = cls.env.company.partner_id
        # a company: its phone and street are protected on companies too
        cls.own_company.write(
            {"is_company": True, "phone": "13600136000", "street": COMPANY_STREET[0]}
        )

    def read_as(self, role, partner, fnames=None):
        user = self.users[role]
        return partner.with_user(user).read(fnames or self.FIELDS)[0]

    def assert_clear(self, role, partner):
        # the clear values, as the superuser reads them
        clear = partner.sudo().read(self.FIELDS)[0]
        self.assertNotIn("*", clear["email"])
        self.assertEqual(self.read_as(role, partner), clear)

    def assert_masked(self, role, partner):
        values = self.read_as(role, partner)
        for fname in ("email", "phone", "email_formatted", "phone_sanitized"):
            self.assertIn("*", values[fname], fname)

    def make_user(self, partner, groups="base.group_user"):
        return new_test_user(
            self.env,
            login=f"made_{partner.id}_{groups}",
            groups=groups,
            partner_id=partner.id,
        )

    def test_colleagues_and_own_company_read_clear_customers_masked(self):
        for role in ("collector", "sales", "dept_head", "compliance", "auditor"):
            with self.subTest(role=role):
                self.assert_clear(role, self.colleague)
                # with the VAT (protected on individuals): the company is
                # judged as a company and as staff at once
                self.assertEqual(
                    self.read_as(role, self.own_company, ["phone", "street", "vat"]),
                    {
                        "id": self.own_company.id,
                        "phone": "13600136000",
                        "street": COMPANY_STREET[0],
                        "vat": self.own_company.vat,
                    },
                )
                self.assertEqual(
                    self.read_as(role, self.customer, ["email"])["email"],
                    CUSTOMER["email"][1],
                )

    def test_company_shows_its_own_contact_details_clear(self):
        # res.company's e-mail and phone are related fields of its partner:
        # they read as that partner does, clear (a customer's copies of the
        # same fields elsewhere stay masked: test_read_masks_protected_...)
        company = self.env.company
        self.own_company.email = "info@ourcompany.test"
        for role in ("collector", "sales", "dept_head", "compliance", "auditor"):
            with self.subTest(role=role):
                values = company.with_user(self.users[role]).read(["email", "phone"])
                self.assertEqual(
                    values[0],
                    {
                        "id": company.id,
                        "email": "info@ourcompany.test",
                        "phone": "13600136000",
                    },
                )

    def test_bank_accounts_stay_masked_on_colleagues_too(self):
        # acc_number is high: a bank account reads masked whoever holds it
        Bank = self.env["res.partner.bank"]
        accounts = Bank.create(
            [
                {"acc_number": "6222020200112341231", "partner_id": p.id}
                for p in (self.colleague, self.customer)
            ]
        )
        for role in ("sales", "compliance"):
            with self.subTest(role=role):
                for row in accounts.with_user(self.users[role]).read(["acc_number"]):
                    self.assertNotEqual(row["acc_number"], "6222020200112341231")
                    self.assertIn("*", row["acc_number"])
        rows = accounts.with_user(self.users["data_admin"]).read(["acc_number"])
        self.assertEqual({r["acc_number"] for r in rows}, {"6222020200112341231"})

    def test_export_and_onchange_follow_the_record(self):
        partners = (self.colleague | self.customer).with_user(self.users["sales"])
        rows = partners.export_data(["email"])["datas"]
        self.assertEqual(rows, [["wang.wu@ourcompany.test"], [CUSTOMER["email"][1]]])
        spec = {"country_id": {}, "phone": {}}
        china = self.env.ref("base.cn").id
        values = {
            partner: partner.with_user(self.users["sales"]).onchange(
                {"country_id": china}, ["country_id"], spec
            )["value"]["phone"]
            for partner in (self.colleague, self.customer)
        }
        self.assertEqual(values[self.colleague], "+86 137 0013 7000")
        self.assertEqual(values[self.customer], "138****8000")

    def test_portal_user_partner_is_a_customer(self):
        portal = self.env["res.partner"].create(
            {
                "name": "Portal Customer Test",
                "email": "portal@example.com",
                "phone": "13500135000",
                "country_id": self.china.id,
            }
        )
        self.make_user(portal, "base.group_portal")
        self.assert_masked("sales", portal)

    def test_archived_colleague_partner_is_masked_again(self):
        self.users["sales2"].active = False
        self.assert_masked("sales", self.colleague)
        self.users["sales2"].active = True
        self.assert_clear("sales", self.colleague)

    def test_customer_made_a_user_follows_its_user_type(self):
        self.assert_masked("sales", self.customer)
        user = self.make_user(self.customer)
        self.assert_clear("sales", self.customer)
        # made a portal user: a customer again, at once
        portal = self.env.ref("base.group_portal")
        user.write({"groups_id": [(6, 0, portal.ids)]})
        self.assertTrue(user.share)
        self.assert_masked("sales", self.customer)

    def test_user_given_another_partner(self):
        other = self.env["res.partner"].create(
            {
                "name": "Zhao Liu Test",
                "email": "zhaoliu@example.com",
                "phone": "13400134000",
                "country_id": self.china.id,
            }
        )
        self.assert_masked("sales", other)
        self.users["sales2"].partner_id = other
        self.assert_clear("sales", other)
        self.assert_masked("sales", self.colleague)

    def test_wrong_roles_cannot_make_a_customer_staff(self):
        for role in (
            "collector",
            "sales",
            "dept_head",
            "compliance",
            "data_admin",
            "auditor",
            "executive",
        ):
            with self.subTest(role=role):
                Users = self.env["res.users"].with_user(self.users[role])
                with self.assertRaises(AccessError), self.cr.savepoint():
                    Users.create(
                        {
                            "name": "Sneaky",
                            "login": f"sneaky_{role}",
                            "partner_id": self.customer.id,
                        }
                    )
                with self.assertRaises(AccessError), self.cr.savepoint():
                    self.users["sales2"].with_user(self.users[role]).write(
                        {"partner_id": self.customer.id}
                    )
                self.assert_masked("sales", self.customer)

    def test_merging_a_customer_into_the_company_is_for_data_admins(self):
        # Odoo lets users who are not administrators merge contacts that
        # have the same e-mail; the destination's empty fields are filled
        kept = self.own_company
        kept.write({"email": CUSTOMER["email"][0], "phone": False})
        partners = kept | self.customer
        Wizard = self.env["base.partner.merge.automatic.wizard"]
        for role in ("collector", "sales", "dept_head", "compliance", "executive"):
            with self.subTest(role=role):
                wizard = Wizard.with_user(self.users[role]).create(
                    {"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": kept.id}
                )
                with self.assertRaisesRegex(AccessError, "data administrator"):
                    with self.cr.savepoint():
                        wizard.action_merge()
                self.assertTrue(self.customer.exists())
                self.assertFalse(kept.phone)
        wizard = Wizard.with_user(self.users["data_admin"]).create(
            {"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": kept.id}
        )
        wizard.action_merge()
        self.assertFalse(self.customer.exists())
        self.assertEqual(kept.phone, CUSTOMER["phone"][0])

    def test_salesperson_still_merges_two_customers(self):
        duplicate = self.env["res.partner"].create(
            {"name": "Zhang San Test (dup)", "email": CUSTOMER["email"][0]}
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.users["sales"])
            .create(
                {
                    "partner_ids": [(6, 0, (duplicate | self.customer).ids)],
                    "dst_partner_id": self.customer.id,
                }
            )
        )
        wizard.action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.customer.email, CUSTOMER["email"][0])

    def test_sender_address_of_a_colleague_message_reads_clear(self):
        colleague_from = '"Test sales2" <wang.wu@ourcompany.test>'
        messages = {}
        for author, email_from in (
            (self.colleague, colleague_from),
            (self.customer, COPIES["email_formatted"][0]),
        ):
            messages[author] = (
                self.customer.message_post(
                    body="Note",
                    author_id=author.id,
                    email_from=email_from,
                    message_type="comment",
                )
                .sudo(False)
                .with_user(self.users["sales"])
            )
        [read] = messages[self.colleague].read(["email_from"])
        self.assertEqual(read["email_from"], colleague_from)
        data = Store(messages[self.colleague], for_current_user=True).get_result()
        self.assertEqual(data["mail.message"][0]["email_from"], colleague_from)
        [read] = messages[self.customer].read(["email_from"])
        self.assertEqual(read["email_from"], COPIES["email_formatted"][1])

    def test_a_grant_on_a_merged_customer_does_not_open_the_kept_one(self):
        # sales2 holds a live grant on the customer
        sales2 = self.users["sales2"]
        self.assertEqual(
            self.customer.with_user(sales2).read(["email"])[0]["email"],
            CUSTOMER["email"][0],
        )
        kept = self.env["res.partner"].create(
            {
                "name": "Zhang San Test (kept)",
                "email": CUSTOMER["email"][0],
                "phone": "13300133000",
                "country_id": self.china.id,
            }
        )
        self.env["base.partner.merge.automatic.wizard"].with_user(sales2).create(
            {
                "partner_ids": [(6, 0, (self.customer | kept).ids)],
                "dst_partner_id": kept.id,
            }
        ).action_merge()
        self.assertFalse(self.customer.exists())
        self.assertEqual(
            kept.with_user(sales2).read(["phone"])[0]["phone"], "133****3000"
        )

    def test_a_colleague_following_a_customer_reads_clear(self):
        self.customer.message_subscribe(
            partner_ids=(self.colleague | self.customer).ids
        )
        Followers = self.env["mail.followers"].with_user(self.users["sales"])
        rows = Followers.search_read(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)],
            ["partner_id", "email"],
        )
        self.assertEqual(
            {row["partner_id"][0]: row["email"] for row in rows},
            {
                self.colleague.id: "wang.wu@ourcompany.test",
                self.customer.id: CUSTOMER["email"][1],
            },
        )
