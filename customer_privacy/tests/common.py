# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Shared fixtures: one user per role and a few classified customers, and
JSON-RPC as a given user."""

import json

from odoo.tests.common import JsonRpcException, new_test_user

G = "customer_privacy.group_privacy_"
ROLE_GROUPS = {
    "collector": G + "collector",
    "sales": G + "user",
    "sales2": G + "user",
    "dept_head": G + "dept_head",
    "compliance": G + "compliance",
    "security": G + "security",
    "executive": G + "executive",
    "data_admin": G + "data_admin",
    "auditor": G + "auditor",
}


def role_login(role):
    """Login and password of a role's test user (tours log in with login as
    password)."""
    return f"cp_{role}"


class PrivacyCommon:
    """Mixin for TransactionCase / HttpCase: ``cls.users[role]``, customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = {
            role: new_test_user(
                cls.env,
                login=role_login(role),
                groups=groups,
                name=f"Test {role}",
                password=role_login(role),
            )
            for role, groups in ROLE_GROUPS.items()
        }
        Partner = cls.env["res.partner"]
        cls.finance = cls.env.ref("base.res_partner_industry_K")
        cls.top_secret = Partner.create(
            {
                "name": "Top Secret Bank of Tests",
                "is_company": True,
                "industry_id": cls.finance.id,
                "user_id": cls.users["sales"].id,
                "privacy_confidentiality": "top_secret",
                "privacy_authorized_user_ids": [(6, 0, cls.users["compliance"].ids)],
            }
        )
        cls.confidential = Partner.create(
            {
                "name": "Confidential Trading Test Co",
                "is_company": True,
                "user_id": cls.users["sales2"].id,
                "privacy_confidentiality": "confidential",
                "phone": "+86 138 0013 8000",
            }
        )
        cls.plain = Partner.create({"name": "Plain Customer Test"})


class JsonRpcMixin:
    """For HttpCase: ``execute_kw`` over ``/jsonrpc`` as a user, the way an
    external client (or a tampered browser) would call."""

    def rpc(self, user, password, model, method, *args, **kwargs):
        """An error raises JsonRpcException whose text is the exception class
        and the message the user would read."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    *(self.env.cr.dbname, user.id, password),
                    *(model, method, list(args), kwargs),
                ],
            },
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise JsonRpcException(
                body["error"].get("code"), f"{data.get('name')}: {data.get('message')}"
            )
        return body["result"]

    def as_role(self, role, model, method, *args, **kwargs):
        return self.rpc(
            self.users[role], role_login(role), model, method, *args, **kwargs
        )
