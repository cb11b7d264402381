# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Encryption at rest of the identity number and the bank card (SPEC §5):
who reads what, what the database holds, search through the blind index,
validation, key rotation and retirement, missing or wrong keys,
crypto-shredding, and what the chatter keeps."""

import os
import stat
import tempfile
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import config, mute_logger

from ..models.privacy_key_service import (
    ENV_VARIABLE,
    PARAM_INDEX_KEY,
    NoMasterKeyError,
)
from ..tools import crypto
from .common import JsonRpcMixin, PrivacyCommon

SERVICE_LOGGER = "odoo.addons.customer_privacy.models.privacy_key_service"
IDENTITY_LOGGER = "odoo.addons.customer_privacy.models.res_partner_identity"

# valid values (GB 11643 check character, Luhn check digit) and their masks
ID_NUMBER = "110101199003071233"
ID_MASKED = "110101********1233"
ID_NUMBER_2 = "440305198511205670"
CARD = "6222020200112341231"
CARD_MASKED = "622202*********1231"
CARD_2 = "6217000000000000004"

# who reads the encrypted fields clear, without any grant
CLEAR_BY_ROLE = {
    "collector": False,
    "sales": False,
    "sales2": False,
    "dept_head": False,
    "compliance": False,
    "security": False,
    "executive": False,
    "data_admin": True,
    "auditor": False,
}
# roles outside the sales ladder export no protected field at all
EXPORT_REFUSED = {"collector", "auditor"}
ENCRYPTED_COLUMNS = (
    "privacy_id_number_cipher",
    "privacy_id_number_masked",
    "privacy_bank_card_cipher",
    "privacy_bank_card_masked",
)
# the blind indexes, in privacy_blind_index: read by stored() as if columns
INDEXED_FIELDS = ("privacy_id_number", "privacy_bank_card")

KEY_A = crypto.new_master_key()
KEY_B = crypto.new_master_key()
KEY_C = crypto.new_master_key()
REAL_SOURCES = object()  # use the real key sources instead of a test keyring
KEYRING = {"current": None}


class Interrupted(Exception):
    """Stands for a rotation killed half-way."""


class ConsentMissing(Exception):
    """Stands for the consent check of the consent module refusing."""


def keyring(*keys):
    return crypto.MasterKeyring.from_keys(*keys)


class EncryptionCommon(PrivacyCommon):
    """A test keyring (``self.use_keys``) and a customer holding both
    encrypted values, on a database without any other encrypted data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        service_class = type(cls.env["privacy.key.service"])
        real_keyring = service_class._keyring

        def test_keyring(service):
            current = KEYRING["current"]
            if current is REAL_SOURCES:
                return real_keyring(service)
            if isinstance(current, Exception):
                raise current
            return current

        cls.classPatch(service_class, "_keyring", test_keyring)
        KEYRING["current"] = keyring(KEY_A)
        # start from a clean slate: no data key, index key or ciphertext of
        # the database (demo data) wrapped by a key these tests do not have
        cls.env.cr.execute("DELETE FROM privacy_data_key")
        cls.env.cr.execute("DELETE FROM privacy_blind_index")
        cls.env.cr.execute(
            "UPDATE res_partner SET "
            + ", ".join(f"{column} = NULL" for column in ENCRYPTED_COLUMNS)
        )
        cls.env["ir.config_parameter"].sudo().search(
            [("key", "=", PARAM_INDEX_KEY)]
        ).unlink()
        cls.env.invalidate_all()
        cls.customer = cls.plain
        cls.customer.write(
            {
                "privacy_id_type": "resident_id",
                "privacy_id_number": ID_NUMBER,
                "privacy_bank_card": CARD,
            }
        )

    def setUp(self):
        super().setUp()
        self.use_keys(keyring(KEY_A))

    def use_keys(self, ring):
        """Serve ``ring`` (a keyring, an exception to raise or REAL_SOURCES)
        as the server's master keys from now on."""
        KEYRING["current"] = ring
        self.env.invalidate_all()

    def stored(self, partner):
        """What the database holds of ``partner``'s encrypted values: its
        columns, and its blind indexes as ``<field>_bidx``."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT "
            + ", ".join(ENCRYPTED_COLUMNS)
            + " FROM res_partner WHERE id = %s",
            [partner.id],
        )
        stored = self.env.cr.dictfetchone()
        self.env.cr.execute(
            "SELECT field, digest FROM privacy_blind_index WHERE partner_id = %s",
            [partner.id],
        )
        digests = dict(self.env.cr.fetchall())
        for fname in INDEXED_FIELDS:
            stored[f"{fname}_bidx"] = digests.pop(fname, None)
        self.assertFalse(digests, "no blind index of another field")
        return stored

    def data_key_rows(self, partner):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT wrapped_key, key_id FROM privacy_data_key WHERE partner_id = %s",
            [partner.id],
        )
        return self.env.cr.fetchall()

    def read_as(self, role, partner, fnames=("privacy_id_number", "privacy_bank_card")):
        (values,) = partner.with_user(self.users[role]).read(list(fnames))
        return values

    def grant(self, user, partner, minutes=30, **extra):
        return (
            self.env["privacy.access.grant"]
            .sudo()
            .create(
                {
                    "user_id": user.id,
                    "partner_ids": [(6, 0, partner.ids)],
                    "level": "high",
                    "date_expire": fields.Datetime.now() + timedelta(minutes=minutes),
                    "origin": "request",
                    "reason": "Approved usage request for a contract check",
                    **extra,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestEncryption(EncryptionCommon, TransactionCase):
    # ------------------------------------------------------------ reading
    def test_only_data_admin_reads_clear_per_role(self):
        for role, clear in CLEAR_BY_ROLE.items():
            with self.subTest(role=role):
                values = self.read_as(role, self.customer)
                if clear:
                    self.assertEqual(values["privacy_id_number"], ID_NUMBER)
                    self.assertEqual(values["privacy_bank_card"], CARD)
                else:
                    self.assertEqual(values["privacy_id_number"], ID_MASKED)
                    self.assertEqual(values["privacy_bank_card"], CARD_MASKED)
                # every other read path gives the same answer
                Partner = self.env["res.partner"].with_user(self.users[role])
                (row,) = Partner.search_read(
                    [("id", "=", self.customer.id)], ["privacy_id_number"]
                )
                (web,) = Partner.browse(self.customer.id).web_read(
                    {"privacy_bank_card": {}}
                )
                self.assertEqual(
                    row["privacy_id_number"], ID_NUMBER if clear else ID_MASKED
                )
                self.assertEqual(
                    web["privacy_bank_card"], CARD if clear else CARD_MASKED
                )

    def test_export_masked_for_roles_and_refused_to_collectors_and_auditors(self):
        export_group = self.env.ref("base.group_allow_export")
        for user in self.users.values():
            user.groups_id = [(4, export_group.id)]
        for role, clear in CLEAR_BY_ROLE.items():
            with self.subTest(role=role):
                partner = self.customer.with_user(self.users[role])
                if role in EXPORT_REFUSED:
                    with self.assertRaises(AccessError):
                        partner.export_data(["privacy_id_number"])
                    continue
                rows = partner.export_data(["privacy_id_number", "privacy_bank_card"])
                expected = [ID_NUMBER, CARD] if clear else [ID_MASKED, CARD_MASKED]
                self.assertEqual(rows["datas"], [expected])

    def test_live_high_grant_reads_clear_on_that_customer_only(self):
        sales = self.users["sales"]
        other = self.env["res.partner"].create(
            {"name": "Other Grant Test Customer", "privacy_bank_card": CARD_2}
        )
        self.grant(sales, self.customer)
        self.env.invalidate_all()
        self.assertEqual(
            self.read_as("sales", self.customer),
            {
                "id": self.customer.id,
                "privacy_id_number": ID_NUMBER,
                "privacy_bank_card": CARD,
            },
        )
        self.assertEqual(
            self.read_as("sales", other, ["privacy_bank_card"])["privacy_bank_card"],
            "621700*********0004",
        )
        # someone else's grant opens nothing for sales2
        self.assertEqual(
            self.read_as("sales2", self.customer)["privacy_id_number"], ID_MASKED
        )

    def test_expired_or_medium_grant_keeps_values_masked(self):
        sales = self.users["sales"]
        self.grant(sales, self.customer, minutes=-1)
        self.grant(sales, self.customer, level="medium")
        self.env.invalidate_all()
        values = self.read_as("sales", self.customer)
        self.assertEqual(values["privacy_id_number"], ID_MASKED)
        self.assertEqual(values["privacy_bank_card"], CARD_MASKED)

    def test_field_grant_opens_only_the_named_field(self):
        self.grant(self.users["sales"], self.customer, field_names="privacy_bank_card")
        self.env.invalidate_all()
        values = self.read_as("sales", self.customer)
        self.assertEqual(values["privacy_bank_card"], CARD)
        self.assertEqual(values["privacy_id_number"], ID_MASKED)

    # ------------------------------------------------------------ storage
    def test_database_holds_ciphertext_masked_form_and_blind_index_only(self):
        stored = self.stored(self.customer)
        self.assertTrue(stored["privacy_id_number_cipher"].startswith("v1."))
        self.assertTrue(stored["privacy_bank_card_cipher"].startswith("v1."))
        self.assertEqual(stored["privacy_id_number_masked"], ID_MASKED)
        self.assertEqual(stored["privacy_bank_card_masked"], CARD_MASKED)
        self.assertRegex(stored["privacy_id_number_bidx"], r"^[0-9a-f]{64}$")
        self.assertNotEqual(
            stored["privacy_id_number_bidx"], stored["privacy_bank_card_bidx"]
        )
        # no column of the customer, of its data key or of the parameters
        # holds the clear value or its birth date
        self.env.cr.execute(
            "SELECT row_to_json(p)::text FROM res_partner p WHERE id = %s",
            [self.customer.id],
        )
        row = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT row_to_json(k)::text FROM privacy_data_key k")
        keys = " ".join(r[0] for r in self.env.cr.fetchall())
        self.env.cr.execute("SELECT string_agg(value, ' ') FROM ir_config_parameter")
        params = self.env.cr.fetchone()[0]
        for text in (row, keys, params):
            for secret in (ID_NUMBER, ID_NUMBER[6:14], CARD, CARD[6:15]):
                self.assertNotIn(secret, text)
        # one wrapped data key per customer, under the active master key
        ((wrapped, key_id),) = self.data_key_rows(self.customer)
        self.assertEqual(key_id, crypto.key_id(KEY_A))
        self.assertEqual(crypto.token_key_id(wrapped), key_id)

    def test_ciphertext_and_blind_index_are_not_readable_by_anyone(self):
        for role in ("data_admin", "sales"):
            with self.subTest(role=role):
                user = self.users[role]
                partner = self.customer.with_user(user)
                with self.assertRaises(AccessError):
                    partner.read(["privacy_id_number_cipher"])
                self.assertNotIn(
                    "privacy_id_number_cipher", partner.fields_get().keys()
                )
                Index = self.env["privacy.blind.index"].with_user(user)
                rows = Index.sudo().search([("partner_id", "=", self.customer.id)])
                self.assertEqual(len(rows), 2)
                rows = rows.with_user(user)
                forged = {"partner_id": self.plain.id, "field": "x", "digest": "0"}
                for method, args in (
                    (Index.search, ([("digest", "!=", False)],)),
                    (rows.read, (["digest"],)),
                    (rows.write, ({"digest": "0" * 64},)),
                    (Index.create, (forged,)),
                    (rows.unlink, ()),
                ):
                    with self.assertRaises(AccessError):
                        method(*args)

    def test_ciphertext_moved_to_another_field_or_record_does_not_decrypt(self):
        stored = self.stored(self.customer)
        other = self.env["res.partner"].create(
            {"name": "Moved Cipher Test", "privacy_bank_card": CARD_2}
        )
        ((wrapped, _key_id),) = self.data_key_rows(self.customer)
        # same customer and data key, another field: the field is bound
        self.env.cr.execute(
            "UPDATE res_partner SET privacy_bank_card_cipher = %s WHERE id = %s",
            [stored["privacy_id_number_cipher"], self.customer.id],
        )
        # another customer, with this customer's wrapped data key: both the
        # data key and the value are bound to their record
        self.env.cr.execute(
            "UPDATE res_partner SET privacy_bank_card_cipher = %s WHERE id = %s",
            [stored["privacy_bank_card_cipher"], other.id],
        )
        self.env.cr.execute(
            "UPDATE privacy_data_key SET wrapped_key = %s WHERE partner_id = %s",
            [wrapped, other.id],
        )
        self.env.invalidate_all()
        with self.assertLogs(IDENTITY_LOGGER, "WARNING"):
            mine = self.read_as("data_admin", self.customer)
            theirs = self.read_as("data_admin", other, ["privacy_bank_card"])
        self.assertEqual(mine["privacy_id_number"], ID_NUMBER)
        self.assertEqual(mine["privacy_bank_card"], CARD_MASKED)
        self.assertEqual(theirs["privacy_bank_card"], "621700*********0004")
        result = self.env["privacy.key.service"]._verify()
        self.assertEqual(result["keys_failed"], 1)
        self.assertEqual(result["values_failed"], 2)
        self.assertEqual(result["values_ok"], 1)
        failed = {(pid, what) for pid, what, _reason in result["failures"]}
        self.assertEqual(
            failed,
            {
                (self.customer.id, "privacy_bank_card"),
                (other.id, "data key"),
                (other.id, "privacy_bank_card"),
            },
        )

    def test_masked_value_written_back_is_ignored(self):
        before = self.stored(self.customer)
        for role in ("sales", "data_admin"):
            with self.subTest(role=role):
                partner = self.customer.with_user(self.users[role])
                partner.write(
                    {"privacy_id_number": ID_MASKED, "privacy_bank_card": CARD_MASKED}
                )
                self.assertEqual(self.stored(self.customer), before)
        # a masked value in a new customer is no data either
        new = (
            self.env["res.partner"]
            .with_user(self.users["data_admin"])
            .create({"name": "Masked Copy Test", "privacy_bank_card": CARD_MASKED})
        )
        self.assertFalse(self.stored(new)["privacy_bank_card_cipher"])

    def test_clearing_a_value_clears_its_columns(self):
        self.customer.with_user(self.users["data_admin"]).privacy_bank_card = False
        stored = self.stored(self.customer)
        for suffix in ("cipher", "masked", "bidx"):
            self.assertFalse(stored[f"privacy_bank_card_{suffix}"])
        self.assertTrue(stored["privacy_id_number_cipher"])
        self.assertEqual(
            self.read_as("data_admin", self.customer)["privacy_id_number"], ID_NUMBER
        )

    def test_passport_number_is_stored_normalised_and_found(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.users["sales"])
            .create(
                {
                    "name": "Passport Holder Test",
                    "privacy_id_type": "passport",
                    "privacy_id_number": "e 1234 5678",
                }
            )
        )
        self.assertEqual(
            self.read_as("data_admin", partner)["privacy_id_number"], "E12345678"
        )
        self.assertEqual(
            self.read_as("sales", partner)["privacy_id_number"], "E*******8"
        )
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        self.assertEqual(
            Partner.search([("privacy_id_number", "=", "e12345678")]), partner
        )

    def test_storing_a_high_field_raises_the_customer_sensitivity(self):
        partner = self.env["res.partner"].create({"name": "Sensitivity Test"})
        self.assertEqual(partner.privacy_sensitivity, "low")
        partner.privacy_bank_card = CARD_2
        self.assertEqual(partner.privacy_sensitivity, "high")
        partner.privacy_bank_card = False
        self.assertEqual(partner.privacy_sensitivity, "low")

    def test_policies_are_high_encrypted_and_not_revealable(self):
        policies = self.env["privacy.field.policy"].search(
            [
                ("model_name", "=", "res.partner"),
                ("field_name", "in", ["privacy_id_number", "privacy_bank_card"]),
            ]
        )
        self.assertEqual(len(policies), 2)
        for policy in policies:
            self.assertTrue(policy.encrypted)
            self.assertEqual(policy.sensitivity, "high")
            self.assertFalse(policy.reveal_group_ids)
            self.assertFalse(policy.clear_group_ids)

    def test_without_active_policy_only_data_admins_read_clear(self):
        self.env["privacy.field.policy"].search(
            [("field_name", "=", "privacy_id_number")]
        ).active = False
        self.env.invalidate_all()
        self.assertEqual(
            self.read_as("sales", self.customer)["privacy_id_number"], ID_MASKED
        )
        self.assertEqual(
            self.read_as("data_admin", self.customer)["privacy_id_number"], ID_NUMBER
        )

    # ------------------------------------------------------------- search
    def test_exact_search_finds_the_customer_through_the_blind_index(self):
        other = self.env["res.partner"].create(
            {"name": "Search Other Test", "privacy_id_number": ID_NUMBER_2}
        )
        for role in ("sales", "auditor", "data_admin"):
            with self.subTest(role=role):
                Partner = self.env["res.partner"].with_user(self.users[role])
                spaced = "110101 19900307 1233"
                self.assertEqual(
                    Partner.search([("privacy_id_number", "=", spaced)]), self.customer
                )
                self.assertEqual(
                    Partner.search(
                        [("privacy_bank_card", "=", "6222-0202-0011-2341-231")]
                    ),
                    self.customer,
                )
                self.assertEqual(
                    Partner.search(
                        [("privacy_id_number", "in", [ID_NUMBER, ID_NUMBER_2])]
                    ),
                    self.customer | other,
                )
                self.assertFalse(
                    Partner.search([("privacy_id_number", "=", ID_MASKED)])
                )
                self.assertFalse(
                    Partner.search([("privacy_bank_card", "=", "4111111111111111")])
                )

    def test_search_for_no_value_and_a_cleared_value(self):
        without = self.env["res.partner"].create({"name": "No Number Test"})
        both = self.customer | without
        Partner = self.env["res.partner"].with_user(self.users["sales"])
        scope = [("id", "in", both.ids)]
        self.assertEqual(
            Partner.search([*scope, ("privacy_id_number", "=", False)]), without
        )
        self.assertEqual(
            Partner.search([*scope, ("privacy_id_number", "in", [ID_NUMBER, False])]),
            both,
        )
        # the bank card's digest never answers for the identity number
        self.assertFalse(Partner.search([("privacy_id_number", "=", CARD)]))
        self.customer.write({"privacy_id_number": False})
        self.assertIsNone(self.stored(self.customer)["privacy_id_number_bidx"])
        self.assertTrue(self.stored(self.customer)["privacy_bank_card_bidx"])
        self.assertFalse(Partner.search([("privacy_id_number", "=", ID_NUMBER)]))
        self.assertEqual(
            Partner.search([*scope, ("privacy_id_number", "=", False)]), both
        )

    def test_partial_and_negative_search_refused_to_everyone(self):
        for role in ("sales", "data_admin"):
            Partner = self.env["res.partner"].with_user(self.users[role])
            for operator, value in (
                ("ilike", "110101"),
                ("like", "1233"),
                ("=like", "110101%"),
                ("=ilike", ID_NUMBER),
                ("!=", ID_NUMBER),
                ("not in", [ID_NUMBER]),
            ):
                with self.subTest(role=role, operator=operator):
                    with self.assertRaisesRegex(UserError, "exact, complete value"):
                        Partner.search([("privacy_id_number", operator, value)])
            with self.assertRaises(UserError):
                Partner.search([("privacy_bank_card", "ilike", "1231")])
            with self.assertRaises(UserError):
                Partner.name_search("1233", [("privacy_bank_card", "like", "1231")])

    # --------------------------------------------------------- validation
    def test_invalid_values_get_a_clear_error_and_nothing_is_written(self):
        cases = [
            ({"privacy_id_number": "110101199003071234"}, "Identity Number"),
            ({"privacy_id_number": "110101199013071236"}, "Identity Number"),
            ({"privacy_id_number": "11010119900307123"}, "Identity Number"),
            (
                {"privacy_id_type": "passport", "privacy_id_number": "E1/2"},
                "Identity Number",
            ),
            ({"privacy_bank_card": "6222020200112341232"}, "Bank Card Number"),
            ({"privacy_bank_card": "12345"}, "Bank Card Number"),
            (
                {"privacy_id_number": ID_NUMBER_2, "privacy_bank_card": "4111"},
                "Bank Card Number",
            ),
        ]
        before, keys_before = (
            self.stored(self.customer),
            self.data_key_rows(self.customer),
        )
        admin = self.users["data_admin"]
        for vals, label in cases:
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(ValidationError, label):
                    with self.env.cr.savepoint():
                        self.customer.with_user(admin).write(vals)
                self.env.invalidate_all()
                self.assertEqual(self.stored(self.customer), before)
                self.assertEqual(self.data_key_rows(self.customer), keys_before)
                self.assertEqual(self.customer.privacy_id_type, "resident_id")
                with self.assertRaisesRegex(ValidationError, label):
                    with self.env.cr.savepoint():
                        self.env["res.partner"].with_user(admin).create(
                            {"name": "Invalid Value Test", **vals}
                        )
                self.assertFalse(
                    self.env["res.partner"].search(
                        [("name", "=", "Invalid Value Test")]
                    )
                )

    def test_consent_hook_runs_before_anything_is_stored(self):
        before = self.stored(self.customer)
        Partner = type(self.env["res.partner"])
        calls = []

        def refuse(records, field_names):
            calls.append((records, field_names))
            raise ConsentMissing

        with (
            patch.object(Partner, "_privacy_check_high_field_consent", refuse),
            self.assertRaises(ConsentMissing),
            self.env.cr.savepoint(),
        ):
            self.customer.privacy_bank_card = CARD_2
        self.assertEqual(calls, [(self.customer, ["privacy_bank_card"])])
        self.env.invalidate_all()
        self.assertEqual(self.stored(self.customer), before)

    def test_access_hook_hears_writes_and_key_operations(self):
        Partner = type(self.env["res.partner"])
        heard = []

        def notify(model, action, records, fnames, **info):
            heard.append((action, records.ids, list(fnames), info.get("operation")))

        with patch.object(Partner, "_privacy_notify_access", notify):
            self.customer.privacy_bank_card = CARD_2
            self.use_keys(keyring(KEY_B, KEY_A))
            self.env["privacy.key.service"]._rotate()
            self.env["privacy.key.service"]._retire(crypto.key_id(KEY_A))
            self.customer._privacy_crypto_shred()
        self.assertIn(("write", self.customer.ids, ["privacy_bank_card"], None), heard)
        self.assertIn(("key_operation", self.customer.ids, [], "rotate"), heard)
        self.assertIn(("key_operation", [], [], "retire"), heard)
        self.assertIn(
            (
                "key_operation",
                self.customer.ids,
                ["privacy_id_number", "privacy_bank_card"],
                "crypto_shred",
            ),
            heard,
        )

    # ---------------------------------------------------- rotate / retire
    def _customers(self, count):
        Partner = self.env["res.partner"]
        return Partner.concat(
            *(
                Partner.create(
                    {"name": f"Rotation Test {n}", "privacy_id_number": ID_NUMBER_2}
                )
                for n in range(count)
            )
        )

    def test_rotation_then_retire_keeps_every_value_readable(self):
        customers = self._customers(4) | self.customer
        service = self.env["privacy.key.service"]
        old_wrapped = dict(
            self.env["privacy.data.key"]
            .sudo()
            .search([])
            .mapped(lambda k: (k.partner_id.id, k.wrapped_key))
        )
        id_a, id_b = crypto.key_id(KEY_A), crypto.key_id(KEY_B)
        self.use_keys(keyring(KEY_B, KEY_A))
        with self.assertRaisesRegex(
            UserError, r"still in use \(data keys: 5, blind-index key: yes\)"
        ):
            service._retire(id_a)
        seen = []
        result = service._rotate(batch_size=2, progress=lambda *a: seen.append(a))
        self.assertEqual(result["rewrapped"], 5)
        self.assertEqual(result["index_key"], "rewrapped")
        self.assertEqual(result["failed"], [])
        self.assertEqual(seen, [(2, 5), (4, 5), (5, 5)])
        keys = self.env["privacy.data.key"].sudo().search([])
        self.assertEqual(set(keys.mapped("key_id")), {id_b})
        token = self.env["ir.config_parameter"].sudo().get_param(PARAM_INDEX_KEY)
        self.assertEqual(crypto.token_key_id(token), id_b)
        # nothing left to do: a second run changes nothing
        self.assertEqual(service._rotate()["rewrapped"], 0)
        with self.assertRaisesRegex(
            UserError, r"still in use \(data keys: 5, blind-index key: yes\)"
        ):
            service._retire(id_b)
        self.assertIn("remove it", service._retire(id_a)["message"])
        # the old key is gone from the server: everything still reads and
        # searches, and verify agrees
        self.use_keys(keyring(KEY_B))
        for partner in customers:
            expected = ID_NUMBER if partner == self.customer else ID_NUMBER_2
            self.assertEqual(
                self.read_as("data_admin", partner)["privacy_id_number"], expected
            )
        self.assertEqual(
            self.env["res.partner"].search([("privacy_id_number", "=", ID_NUMBER_2)]),
            customers - self.customer,
        )
        result = service._verify()
        self.assertEqual((result["keys_ok"], result["keys_failed"]), (5, 0))
        self.assertEqual((result["values_ok"], result["values_failed"]), (6, 0))
        # a backup taken before the rotation opens only with the retired key
        some_wrapped = old_wrapped[self.customer.id]
        aad = service._data_key_aad(self.customer.id)
        with self.assertRaises(crypto.KeyUnavailableError):
            crypto.unwrap_data_key(keyring(KEY_B), some_wrapped, aad)
        self.assertEqual(
            len(crypto.unwrap_data_key(keyring(KEY_A), some_wrapped, aad)), 32
        )

    def test_interrupted_rotation_resumes_where_it_stopped(self):
        self._customers(4)
        service = self.env["privacy.key.service"]
        self.use_keys(keyring(KEY_B, KEY_A))

        def interrupt(done, total):
            raise Interrupted

        # not assertRaises, which would roll the finished batch back
        interrupted = False
        try:
            service._rotate(batch_size=2, progress=interrupt)
        except Interrupted:
            interrupted = True
        self.assertTrue(interrupted)
        keys = self.env["privacy.data.key"].sudo().search([])
        self.assertEqual(
            sorted(keys.mapped("key_id")),
            sorted([crypto.key_id(KEY_A)] * 3 + [crypto.key_id(KEY_B)] * 2),
        )
        result = service._rotate(batch_size=2)
        self.assertEqual(result["rewrapped"], 3)
        self.assertEqual(result["index_key"], "current")
        self.assertEqual(set(keys.mapped("key_id")), {crypto.key_id(KEY_B)})

    def test_retire_refuses_bad_ids_and_key_operations_need_a_data_admin(self):
        service = self.env["privacy.key.service"]
        with self.assertRaisesRegex(UserError, "not a master key id"):
            service._retire("not-a-key")
        # a new active key that wraps nothing yet is still not retired
        self.use_keys(keyring(KEY_C, KEY_A))
        with self.assertRaisesRegex(UserError, "is the active key"):
            service._retire(crypto.key_id(KEY_C))
        sales_service = service.with_user(self.users["sales"])
        for call in (
            sales_service._rotate,
            sales_service._verify,
            lambda: sales_service._retire(crypto.key_id(KEY_B)),
            self.customer.with_user(self.users["sales"])._privacy_crypto_shred,
        ):
            with self.assertRaises(AccessError):
                call()

    # ------------------------------------------------- missing / wrong key
    def test_wrong_key_errors_on_write_shows_masked_on_read_and_loses_nothing(self):
        before, keys_before = (
            self.stored(self.customer),
            self.data_key_rows(self.customer),
        )
        self.use_keys(keyring(KEY_C))
        with self.assertLogs(IDENTITY_LOGGER, "WARNING"):
            values = self.read_as("data_admin", self.customer)
        self.assertEqual(values["privacy_id_number"], ID_MASKED)
        self.assertEqual(values["privacy_bank_card"], CARD_MASKED)
        with self.assertRaisesRegex(UserError, "nothing was saved"):
            with self.env.cr.savepoint():
                self.customer.with_user(self.users["data_admin"]).write(
                    {"privacy_bank_card": CARD_2}
                )
        with self.assertRaisesRegex(UserError, "blind-index key"):
            self.env["res.partner"].search([("privacy_id_number", "=", ID_NUMBER)])
        result = self.env["privacy.key.service"]._verify()
        self.assertEqual(result["keys_failed"], 1)
        self.assertEqual(result["values_failed"], 2)
        self.env.invalidate_all()
        self.assertEqual(self.stored(self.customer), before)
        self.assertEqual(self.data_key_rows(self.customer), keys_before)
        # with the right key back, everything is there
        self.use_keys(keyring(KEY_A))
        self.assertEqual(
            self.read_as("data_admin", self.customer)["privacy_bank_card"], CARD
        )

    def test_no_master_key_errors_on_write_and_reads_stay_masked(self):
        self.use_keys(NoMasterKeyError("none"))
        with self.assertLogs(IDENTITY_LOGGER, "WARNING"):
            for role in ("data_admin", "sales"):
                values = self.read_as(role, self.customer)
                self.assertEqual(values["privacy_id_number"], ID_MASKED)
                self.assertEqual(values["privacy_bank_card"], CARD_MASKED)
        before = self.stored(self.customer)
        fresh = self.env["res.partner"].create({"name": "No Key Test"})
        for partner in (self.customer, fresh):
            with self.assertRaisesRegex(
                UserError, "No master key configured.*privacy_master_keys"
            ):
                with self.env.cr.savepoint():
                    partner.with_user(self.users["data_admin"]).write(
                        {"privacy_id_number": ID_NUMBER_2}
                    )
        self.env.invalidate_all()
        self.assertEqual(self.stored(self.customer), before)
        self.assertFalse(self.stored(fresh)["privacy_id_number_cipher"])
        self.assertFalse(self.data_key_rows(fresh))
        # clearing a value needs no key
        fresh.privacy_id_number = False

    def test_master_keys_come_from_option_then_environment_then_key_file(self):
        service = self.env["privacy.key.service"]
        self.use_keys(REAL_SOURCES)
        with tempfile.TemporaryDirectory() as tmp:
            key_file = os.path.join(tmp, "privacy.key")
            with open(key_file, "w", encoding="ascii") as handle:
                handle.write(crypto.encode_key(KEY_C) + "\n")
            options = {
                "privacy_master_keys": crypto.encode_key(KEY_A),
                "privacy_master_key_file": key_file,
            }
            with (
                patch.dict(config.options, options),
                patch.dict(os.environ, {ENV_VARIABLE: crypto.encode_key(KEY_B)}),
            ):
                self.assertEqual(service._keyring().active_id, crypto.key_id(KEY_A))
                config.options["privacy_master_keys"] = False
                self.assertEqual(service._keyring().active_id, crypto.key_id(KEY_B))
                del os.environ[ENV_VARIABLE]
                self.assertEqual(service._keyring().active_id, crypto.key_id(KEY_C))
                # several keys: the first is active, the others still unwrap
                config.options["privacy_master_keys"] = ",".join(
                    crypto.encode_key(k) for k in (KEY_B, KEY_A)
                )
                ring = service._keyring()
                self.assertEqual(ring.active_id, crypto.key_id(KEY_B))
                self.assertIn(crypto.key_id(KEY_A), ring)
                config.options["privacy_master_keys"] = "not a key"
                with self.assertRaisesRegex(UserError, "cannot be loaded"):
                    service._keyring_or_raise()

    def test_demo_database_generates_a_key_file_with_a_warning(self):
        service = self.env["privacy.key.service"]
        service_class = type(service)
        self.use_keys(REAL_SOURCES)
        with tempfile.TemporaryDirectory() as tmp:
            key_file = os.path.join(tmp, "keys", "demo.key")
            with (
                patch.dict(
                    config.options,
                    {"privacy_master_keys": False, "privacy_master_key_file": key_file},
                ),
                patch.dict(os.environ),
            ):
                os.environ.pop(ENV_VARIABLE, None)
                with patch.object(service_class, "_is_demo_database", lambda s: False):
                    with self.assertRaises(NoMasterKeyError):
                        service._keyring()
                    with (
                        self.assertRaisesRegex(UserError, "No master key configured"),
                        self.env.cr.savepoint(),
                    ):
                        self.customer.privacy_bank_card = CARD_2
                    self.assertFalse(os.path.exists(key_file))
                with (
                    patch.object(service_class, "_is_demo_database", lambda s: True),
                    self.assertLogs(SERVICE_LOGGER, "WARNING") as logs,
                ):
                    ring = service._keyring()
                self.assertIn("DEMO master key", logs.output[0])
                self.assertNotIn(crypto.encode_key(ring.active_key), logs.output[0])
                self.assertEqual(stat.S_IMODE(os.stat(key_file).st_mode), 0o600)
                # the generated file is simply read next time
                self.assertEqual(service._keyring().active_id, ring.active_id)

    def test_demo_database_is_told_by_the_module_flags(self):
        service = self.env["privacy.key.service"]
        modules = self.env["ir.module.module"]
        mine = modules.search([("name", "=", "customer_privacy")])
        base = modules.search([("name", "=", "base")])
        for mine_demo, state, base_demo, expected in (
            (True, "installed", False, True),
            (False, "installed", True, False),
            # being installed: its own flag comes after its demo data
            (False, "to install", True, True),
            (False, "to install", False, False),
        ):
            with self.subTest(mine=mine_demo, state=state, base=base_demo):
                mine.write({"demo": mine_demo, "state": state})
                base.write({"demo": base_demo})
                self.assertEqual(service._is_demo_database(), expected)

    # ------------------------------------------------------- crypto-shred
    def test_crypto_shred_makes_the_values_unrecoverable(self):
        before = self.stored(self.customer)
        result = self.customer.with_user(
            self.users["data_admin"]
        )._privacy_crypto_shred()
        self.assertEqual(result, {"keys": 1, "values": 2})
        self.assertFalse(self.data_key_rows(self.customer))
        self.assertFalse(any(self.stored(self.customer).values()))
        self.env.invalidate_all()
        values = self.read_as("data_admin", self.customer)
        self.assertFalse(values["privacy_id_number"])
        self.assertFalse(values["privacy_bank_card"])
        self.assertFalse(
            self.env["res.partner"].search([("privacy_id_number", "=", ID_NUMBER)])
        )
        self.assertEqual(self.customer.privacy_sensitivity, "low")
        # even a copy of the ciphertexts (a backup) opens no more: the key
        # that decrypted them is gone for good
        self.env.cr.execute(
            "UPDATE res_partner SET privacy_id_number_cipher = %s, "
            "privacy_bank_card_cipher = %s WHERE id = %s",
            [
                before["privacy_id_number_cipher"],
                before["privacy_bank_card_cipher"],
                self.customer.id,
            ],
        )
        self.env.invalidate_all()
        self.assertFalse(self.read_as("data_admin", self.customer)["privacy_id_number"])
        result = self.env["privacy.key.service"]._verify()
        self.assertEqual(result["values_failed"], 2)
        self.assertEqual(
            {(pid, reason) for pid, _f, reason in result["failures"]},
            {(self.customer.id, "no usable data key")},
        )

    # ------------------------------------------------------------ chatter
    def test_tracking_and_chatter_hold_no_plaintext(self):
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        admin = self.users["data_admin"]
        partner = (
            env["res.partner"]
            .with_user(admin)
            .create({"name": "Chatter Test", "privacy_id_number": ID_NUMBER})
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # as at commit: a later write is tracked
        partner.write(
            {
                "privacy_customer_state": "active",
                "privacy_id_type": "resident_id",
                "privacy_id_number": ID_NUMBER_2,
                "privacy_bank_card": CARD_2,
            }
        )
        partner.message_post(body="Checked the documents", message_type="comment")
        self.env.flush_all()
        self.env.cr.precommit.run()
        trackings = (
            env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.res_id", "=", partner.id),
                    ("mail_message_id.model", "=", "res.partner"),
                ]
            )
        )
        # tracking is on: the state change is there
        self.assertIn("privacy_customer_state", trackings.field_id.mapped("name"))
        self.assertFalse(
            set(trackings.field_id.mapped("name"))
            & {
                "privacy_id_number",
                "privacy_bank_card",
                "privacy_id_number_masked",
                "privacy_bank_card_masked",
            }
        )
        for secret in (ID_NUMBER, ID_NUMBER_2, CARD_2, ID_NUMBER_2[6:14]):
            for table, columns in (
                (
                    "mail_tracking_value",
                    (
                        "old_value_char",
                        "new_value_char",
                        "old_value_text",
                        "new_value_text",
                    ),
                ),
                ("mail_message", ("body::text", "subject")),
            ):
                self.env.cr.execute(
                    f"SELECT count(*) FROM {table} WHERE "
                    + " OR ".join(f"{c} LIKE %s" for c in columns),
                    [f"%{secret}%"] * len(columns),
                )
                self.assertEqual(self.env.cr.fetchone()[0], 0, (table, secret))

    def test_masked_forms_are_never_written_directly(self):
        forged = {"privacy_id_number_masked": "440305********5670"}
        for role in ("collector", "sales", "compliance", "data_admin"):
            with self.subTest(role=role):
                Partner = self.env["res.partner"].with_user(self.users[role])
                with self.assertRaisesRegex(AccessError, "write the number"):
                    Partner.browse(self.customer.id).write(forged)
                with self.assertRaisesRegex(AccessError, "write the number"):
                    Partner.create({"name": "Forged Test", **forged})
                with self.assertRaisesRegex(AccessError, "write the number"):
                    Partner.browse(self.customer.id).write(
                        {"privacy_bank_card_masked": "622202*********9999"}
                    )
        self.assertEqual(
            self.stored(self.customer)["privacy_id_number_masked"], ID_MASKED
        )

    def test_a_colleague_identity_number_stays_masked(self):
        # colleagues' contact details read clear, not their high values
        colleague = self.users["sales2"].partner_id
        colleague.write(
            {"email": "wang.wu@ourcompany.test", "privacy_id_number": ID_NUMBER_2}
        )
        values = self.read_as("sales", colleague, ("email", "privacy_id_number"))
        self.assertEqual(values["email"], "wang.wu@ourcompany.test")
        self.assertEqual(values["privacy_id_number"], "440305********5670")
        self.assertEqual(
            self.read_as("data_admin", colleague)["privacy_id_number"], ID_NUMBER_2
        )

    def merge(self, role, partners, kept):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.users[role])
            .create({"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": kept.id})
        )
        wizard.action_merge()

    def test_merge_moves_encrypted_values_under_the_kept_partner_key(self):
        self.customer.email = "dup@example.com"
        kept = self.env["res.partner"].create(
            {"name": "Plain Customer Test (kept)", "email": "dup@example.com"}
        )
        code = kept.privacy_code
        old_id = self.customer.id
        self.customer.sudo().privacy_storage_location = "Archive room B"
        self.merge("sales", self.customer | kept, kept)
        self.assertFalse(self.env["res.partner"].browse(old_id).exists())
        self.assertFalse(self.data_key_rows(self.env["res.partner"].browse(old_id)))
        # decrypted with the kept partner's data key, bound to its id
        self.assertEqual(
            self.read_as("data_admin", kept),
            {"id": kept.id, "privacy_id_number": ID_NUMBER, "privacy_bank_card": CARD},
        )
        self.assertEqual(
            self.read_as("sales", kept),
            {
                "id": kept.id,
                "privacy_id_number": ID_MASKED,
                "privacy_bank_card": CARD_MASKED,
            },
        )
        stored = self.stored(kept)
        self.assertEqual(stored["privacy_id_number_masked"], ID_MASKED)
        self.assertEqual(
            self.env["res.partner"].search([("privacy_id_number", "=", ID_NUMBER)]),
            kept,
        )
        # the kept partner keeps its code and its reviewed classification
        self.assertEqual(kept.privacy_code, code)
        self.assertFalse(kept.privacy_storage_location)

    def test_merge_refused_by_odoo_keeps_the_data_keys(self):
        self.customer.email = "dup@example.com"
        child = self.env["res.partner"].create(
            {
                "name": "Child Test",
                "parent_id": self.customer.id,
                "email": "dup@example.com",
            }
        )
        keys = self.data_key_rows(self.customer)
        with self.assertRaisesRegex(UserError, "parent"):
            self.merge("sales", self.customer | child, child)
        self.assertEqual(self.data_key_rows(self.customer), keys)
        self.assertEqual(
            self.read_as("data_admin", self.customer)["privacy_id_number"], ID_NUMBER
        )

    def test_merge_without_the_keys_merges_nothing(self):
        self.customer.email = "dup@example.com"
        kept = self.env["res.partner"].create(
            {"name": "Plain Customer Test (kept)", "email": "dup@example.com"}
        )
        keys = self.data_key_rows(self.customer)
        before = self.stored(self.customer)
        self.use_keys(keyring(KEY_B))
        with self.assertRaisesRegex(UserError, "cannot be decrypted"):
            self.merge("sales", self.customer | kept, kept)
        # nothing destroyed, nothing moved: the right keys open it again
        self.assertTrue(self.customer.exists())
        self.assertEqual(self.data_key_rows(self.customer), keys)
        self.assertEqual(self.stored(self.customer), before)
        self.assertFalse(self.stored(kept)["privacy_id_number_cipher"])
        self.use_keys(keyring(KEY_A))
        self.assertEqual(
            self.read_as("data_admin", self.customer)["privacy_id_number"], ID_NUMBER
        )


@tagged("post_install", "-at_install")
class TestEncryptionRpc(EncryptionCommon, JsonRpcMixin, HttpCase):
    def test_values_per_role_over_jsonrpc(self):
        self.grant(self.users["sales2"], self.customer)
        for role, clear in CLEAR_BY_ROLE.items():
            with self.subTest(role=role):
                (values,) = self.as_role(
                    role,
                    "res.partner",
                    "read",
                    [self.customer.id],
                    ["privacy_id_number", "privacy_bank_card"],
                )
                # sales2 holds a live grant on this customer
                clear = clear or role == "sales2"
                self.assertEqual(
                    values["privacy_id_number"], ID_NUMBER if clear else ID_MASKED
                )
                self.assertEqual(
                    values["privacy_bank_card"], CARD if clear else CARD_MASKED
                )

    @mute_logger("odoo.http")
    def test_search_over_jsonrpc_exact_only(self):
        found = self.as_role(
            "sales",
            "res.partner",
            "search_read",
            [("privacy_bank_card", "=", "6222 0202 0011 2341 231")],
            fields=["privacy_bank_card"],
        )
        self.assertEqual(
            found, [{"id": self.customer.id, "privacy_bank_card": CARD_MASKED}]
        )
        for role in ("sales", "data_admin"):
            with self.subTest(role=role):
                with self.assertRaisesRegex(JsonRpcException, "UserError.*exact"):
                    self.as_role(
                        role,
                        "res.partner",
                        "search_read",
                        [("privacy_id_number", "ilike", "110101")],
                        fields=["name"],
                    )

    @mute_logger("odoo.http")
    def test_invalid_or_masked_writes_over_jsonrpc_store_nothing(self):
        before = self.stored(self.customer)
        with self.assertRaisesRegex(
            JsonRpcException, "ValidationError.*Bank Card Number"
        ):
            self.as_role(
                "data_admin",
                "res.partner",
                "write",
                [self.customer.id],
                {
                    "privacy_id_number": ID_NUMBER_2,
                    "privacy_bank_card": "1234567890123",
                },
            )
        self.env.invalidate_all()
        self.assertEqual(self.stored(self.customer), before)
        # what sales read, sent back, changes nothing
        (values,) = self.as_role(
            "sales",
            "res.partner",
            "read",
            [self.customer.id],
            ["privacy_id_number", "privacy_bank_card"],
        )
        self.as_role(
            "sales",
            "res.partner",
            "write",
            [self.customer.id],
            {k: v for k, v in values.items() if k != "id"},
        )
        self.env.invalidate_all()
        self.assertEqual(self.stored(self.customer), before)
        # a real new value from sales is stored, encrypted
        self.as_role(
            "sales",
            "res.partner",
            "write",
            [self.customer.id],
            {"privacy_bank_card": CARD_2},
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.stored(self.customer)["privacy_bank_card_masked"],
            "621700*********0004",
        )
        self.assertEqual(
            self.read_as("data_admin", self.customer)["privacy_bank_card"], CARD_2
        )

    @mute_logger("odoo.http")
    def test_masked_form_written_over_jsonrpc_is_refused(self):
        for role in ("sales", "data_admin"):
            with self.subTest(role=role):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.as_role(
                        role,
                        "res.partner",
                        "write",
                        [self.customer.id],
                        {"privacy_id_number_masked": "440305********5670"},
                    )
        self.assertEqual(
            self.stored(self.customer)["privacy_id_number_masked"], ID_MASKED
        )

    @mute_logger("odoo.http")
    def test_blind_indexes_refused_over_jsonrpc(self):
        # a digest tests a guessed number: no role reads, searches or forges one
        before = self.stored(self.customer)
        self.env.cr.execute(
            "SELECT id FROM privacy_blind_index WHERE partner_id = %s",
            [self.customer.id],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.assertEqual(len(ids), 2)
        for role in ("sales", "compliance", "data_admin", "auditor"):
            for method, args, kwargs in (
                ("read", [ids, ["digest"]], {}),
                ("search_read", [[("digest", "!=", False)]], {"fields": ["digest"]}),
                ("export_data", [ids, ["digest"]], {}),
                ("write", [ids, {"digest": "0" * 64}], {}),
                (
                    "create",
                    [{"partner_id": self.plain.id, "field": "x", "digest": "0"}],
                    {},
                ),
                ("unlink", [ids], {}),
            ):
                with self.subTest(role=role, method=method):
                    # export: roles without the export right are told so first
                    refused = "AccessError|rights to export data"
                    with self.assertRaisesRegex(JsonRpcException, refused):
                        self.as_role(
                            role, "privacy.blind.index", method, *args, **kwargs
                        )
        self.assertEqual(self.stored(self.customer), before)
