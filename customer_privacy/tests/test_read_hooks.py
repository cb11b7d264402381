# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Models without a policy run Odoo's own read and search code: the suite's
read and search hooks are set on the classes of the models that show a
protected value only, when the registry loads and, at once, when a policy
reaches a model that had none (the other workers then reload their
registry)."""

from odoo.exceptions import AccessError, UserError
from odoo.models import BaseModel
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from ..models.base import READ_HOOKS, has_read_hooks
from ..tools import masking
from .common import JsonRpcMixin, PrivacyCommon

BANK_EMAIL = "service@bank-of-tests.example"
CUSTOMER_EMAIL = "wang.fang@customer-of-tests.example"
HOOK_ATTRIBUTES = (*READ_HOOKS, "_privacy_read_hooks")
# roles that may not edit policies
NOT_DATA_ADMIN = ("sales", "dept_head", "compliance", "security", "auditor")


class ReadHooksCommon(PrivacyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env["res.bank"].create(
            {"name": "Bank of Tests", "email": BANK_EMAIL}
        )
        cls.plain.email = CUSTOMER_EMAIL
        cls.bank_email_policy = {
            "model_id": cls.env.ref("base.model_res_bank").id,
            "field_id": cls.env.ref("base.field_res_bank__email").id,
            "sensitivity": "medium",
            "mask_format": "email",
        }

    def unhook(self, model):
        """Take the hooks off ``model``'s class, as in a worker that loaded
        its registry before the model had a policy; the class gets back what
        it had after the test."""
        cls = self.registry[model]
        saved = {
            name: cls.__dict__[name] for name in HOOK_ATTRIBUTES if name in vars(cls)
        }
        for name in saved:
            delattr(cls, name)

        def restore():
            for name in HOOK_ATTRIBUTES:
                if name in vars(cls):
                    delattr(cls, name)
            for name, value in saved.items():
                setattr(cls, name, value)

        self.addCleanup(restore)
        return cls


@tagged("post_install", "-at_install")
class TestReadHooks(ReadHooksCommon, TransactionCase):
    def test_models_without_policy_run_odoos_own_read_and_search_code(self):
        for model in ("res.country", "res.partner.industry", "res.partner.category"):
            with self.subTest(model=model):
                cls = self.registry[model]
                self.assertFalse(has_read_hooks(cls))
                for name in READ_HOOKS:
                    self.assertIs(getattr(cls, name), getattr(BaseModel, name))
        # users show their partner's fields as their own data: not protected
        users = self.registry["res.users"]
        self.assertFalse(has_read_hooks(users))
        self.assertFalse(set(READ_HOOKS) & set(vars(users)))

    def test_models_showing_a_protected_value_have_the_hooks(self):
        # their own policies (partner, bank account), or related fields
        # showing a partner's protected field (company, followers, messages)
        for model in (
            "res.partner",
            "res.partner.bank",
            "res.company",
            "mail.followers",
            "mail.message",
        ):
            with self.subTest(model=model):
                cls = self.registry[model]
                self.assertTrue(has_read_hooks(cls))
                self.assertTrue(set(READ_HOOKS) <= set(vars(cls)))

    def test_a_policy_on_a_new_model_hooks_it_at_once(self):
        Bank = self.unhook("res.bank")
        Policy = self.env["privacy.field.policy"]
        sales_bank = self.bank.with_user(self.users["sales"])
        self.assertEqual(sales_bank.read(["email"])[0]["email"], BANK_EMAIL)
        for role in NOT_DATA_ADMIN:
            with self.subTest(role=role), self.assertRaises(AccessError):
                Policy.with_user(self.users[role]).create(self.bank_email_policy)
        self.assertFalse(has_read_hooks(Bank))

        self.registry.reset_changes()
        Policy.with_user(self.users["data_admin"]).create(self.bank_email_policy)
        self.assertTrue(has_read_hooks(Bank))
        self.assertTrue(
            self.registry.registry_invalidated,
            "the other workers must reload their registry to hook the model",
        )
        masked = masking.mask("email", BANK_EMAIL)
        self.assertNotEqual(masked, BANK_EMAIL)
        self.assertEqual(sales_bank.read(["email"])[0]["email"], masked)
        self.assertEqual(
            sales_bank.search_read([("id", "=", self.bank.id)], ["email"])[0]["email"],
            masked,
        )
        # the search hook: partial search refused, exact search works
        with self.assertRaises(UserError):
            sales_bank.search([("email", "ilike", "service@")])
        self.assertEqual(sales_bank.search([("email", "=", BANK_EMAIL)]), self.bank)
        # the order hook: sorting by the value sorts by presence only
        self.env["res.bank"].create(
            {"name": "Another Bank of Tests", "email": "a@a.example"}
        )
        order = sales_bank.search([("email", "!=", False)], order="email, id")
        self.assertEqual(order.ids, sorted(order.ids))
        admin_bank = self.bank.with_user(self.users["data_admin"])
        self.assertEqual(admin_bank.read(["email"])[0]["email"], BANK_EMAIL)

    def test_a_policy_on_a_hooked_model_reloads_no_registry(self):
        self.assertTrue(has_read_hooks(self.registry["res.partner"]))
        self.registry.reset_changes()
        self.env.cr.postcommit.clear()
        self.env["privacy.field.policy"].with_user(self.users["data_admin"]).create(
            {
                "model_id": self.env.ref("base.model_res_partner").id,
                "field_id": self.env.ref("base.field_res_partner__city").id,
            }
        )
        self.assertFalse(self.registry.registry_invalidated)
        # cleared again once committed: a concurrent request of this process
        # may have cached the policies as they were in between
        self.assertIn(self.registry.clear_cache, self.env.cr.postcommit._funcs)

    def test_a_policy_switched_back_on_reloads_the_other_workers(self):
        # this worker keeps the hooks of a policy switched off; a worker
        # loaded since has none: switching it on again must reach that one
        Bank = self.unhook("res.bank")
        Policy = self.env["privacy.field.policy"].with_user(self.users["data_admin"])
        policy = Policy.create(self.bank_email_policy)
        policy.active = False
        self.assertTrue(has_read_hooks(Bank))
        self.registry.reset_changes()
        policy.active = True
        self.assertTrue(self.registry.registry_invalidated)
        # a change that protects no new model reloads nothing
        self.registry.reset_changes()
        policy.mask_format = "generic"
        self.assertFalse(self.registry.registry_invalidated)

    def test_registry_load_hooks_every_protected_model(self):
        # a worker loading its registry: the protected models get the hooks
        unhooked = [self.unhook(m) for m in ("res.partner", "mail.followers")]
        self.assertFalse(any(has_read_hooks(cls) for cls in unhooked))
        self.env["privacy.field.policy"]._register_hook()
        self.assertTrue(all(has_read_hooks(cls) for cls in unhooked))
        plain = self.plain.with_user(self.users["sales"])
        self.assertEqual(
            plain.read(["email"])[0]["email"], masking.mask("email", CUSTOMER_EMAIL)
        )
        with self.assertRaises(UserError):
            plain.search([("email", "ilike", "wang")])


@tagged("post_install", "-at_install")
class TestReadHooksRpc(ReadHooksCommon, JsonRpcMixin, HttpCase):
    def test_jsonrpc_policy_on_a_new_model_masks_at_once(self):
        Bank = self.unhook("res.bank")
        for role in NOT_DATA_ADMIN:
            with self.subTest(role=role):
                with self.assertRaises(JsonRpcException) as caught:
                    self.as_role(
                        role, "privacy.field.policy", "create", self.bank_email_policy
                    )
                self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(has_read_hooks(Bank))
        read = self.as_role("sales", "res.bank", "read", self.bank.ids, ["email"])
        self.assertEqual(read[0]["email"], BANK_EMAIL)

        self.as_role(
            "data_admin", "privacy.field.policy", "create", self.bank_email_policy
        )
        self.assertTrue(has_read_hooks(Bank))
        read = self.as_role("sales", "res.bank", "read", self.bank.ids, ["email"])
        self.assertEqual(read[0]["email"], masking.mask("email", BANK_EMAIL))
        with self.assertRaises(JsonRpcException) as caught:
            self.as_role(
                "sales", "res.bank", "search_read", [("email", "ilike", "service")]
            )
        self.assertIn("UserError", str(caught.exception))
        read = self.as_role("data_admin", "res.bank", "read", self.bank.ids, ["email"])
        self.assertEqual(read[0]["email"], BANK_EMAIL)
