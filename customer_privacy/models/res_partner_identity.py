# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Identity document and bank card, encrypted at rest (SPEC §5).

Each value is stored only as

- ``<field>_cipher``: AES-256-GCM ciphertext under the customer's data key,
  bound to model, field and record (no group may read it);
- ``<field>_masked``: the masked form, what everyone without clearance sees;
- a keyed blind index of the normalised value, for exact search, in a
  table of its own (``privacy.blind.index``: no group may read it).

The field users see is computed: the clear value for users cleared for that
customer (data administrators, live grants), the masked form for everyone
else, and for everyone when the keys are missing. Writing it validates,
encrypts and stores the three columns; a masked value written back is
ignored."""

import logging
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from ..tools import crypto, masking, validation

_logger = logging.getLogger(__name__)

DATA_ADMIN = "customer_privacy.group_privacy_data_admin"
# user-facing field -> masking format of its stored masked form
ENCRYPTED_FIELDS = {
    "privacy_id_number": "resident_id",
    "privacy_bank_card": "bank_card",
}
ID_TYPES = [
    ("resident_id", "Resident ID (居民身份证)"),
    ("passport", "Passport"),
    ("other", "Other"),
]
# passports and other documents: letters, digits and dashes
OTHER_ID_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,31}")
# what everyone without clearance sees: made from the value, never written
MASKED_COLUMNS = frozenset(f"{fname}_masked" for fname in ENCRYPTED_FIELDS)


# kept apart from res_partner.py: the encrypted fields are a feature of their own
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    privacy_id_type = fields.Selection(
        ID_TYPES,
        string="Identity Document Type",
        help="Resident ID numbers are checked against their GB 11643 check digit.",
        prefetch="privacy",
    )
    privacy_id_number = fields.Char(
        string="Identity Number",
        compute="_compute_privacy_id_number",
        inverse="_inverse_privacy_id_number",
        search="_search_privacy_id_number",
        help="Stored encrypted. Shown masked unless you are cleared for this "
        "customer; searched by the exact, complete number only.",
    )
    privacy_id_number_cipher = fields.Text(
        string="Identity Number (Encrypted)",
        groups=fields.NO_ACCESS,
        copy=False,
        prefetch=False,
    )
    privacy_id_number_masked = fields.Char(
        string="Identity Number (Masked)",
        readonly=True,
        copy=False,
        prefetch="privacy",
    )
    privacy_bank_card = fields.Char(
        string="Bank Card Number",
        compute="_compute_privacy_bank_card",
        inverse="_inverse_privacy_bank_card",
        search="_search_privacy_bank_card",
        help="Stored encrypted. Shown masked unless you are cleared for this "
        "customer; searched by the exact, complete number only.",
    )
    privacy_bank_card_cipher = fields.Text(
        string="Bank Card Number (Encrypted)",
        groups=fields.NO_ACCESS,
        copy=False,
        prefetch=False,
    )
    privacy_bank_card_masked = fields.Char(
        string="Bank Card Number (Masked)",
        readonly=True,
        copy=False,
        prefetch="privacy",
    )

    # ------------------------------------------------------------ registry
    @api.model
    def _privacy_encrypted_fields(self):
        """{user-facing field: masking format} of the fields encrypted at rest."""
        return ENCRYPTED_FIELDS

    @api.model
    def _privacy_data_field_sensitivity(self):
        return {
            **super()._privacy_data_field_sensitivity(),
            "privacy_id_number_masked": "high",
            "privacy_bank_card_masked": "high",
        }

    @api.depends("privacy_id_number_masked", "privacy_bank_card_masked")
    def _compute_privacy_sensitivity(self):
        return super()._compute_privacy_sensitivity()

    def _privacy_mask_value(self, fname, value):
        # the computed field already holds the stored masked form
        if fname in ENCRYPTED_FIELDS and masking.looks_masked(value):
            return value
        return super()._privacy_mask_value(fname, value)

    # ---------------------------------------------------------------- read
    def _determine_fields_to_fetch(self, field_names, ignore_when_in_cache=False):
        # Odoo fetches the stored sources of a requested computed field with
        # it only when they are in the default prefetch group: the masked
        # forms (group "privacy") would come in a query of their own
        fields_to_fetch = super()._determine_fields_to_fetch(
            field_names, ignore_when_in_cache
        )
        for fname in ENCRYPTED_FIELDS:
            if not field_names or fname not in field_names:
                continue
            masked = self._fields[f"{fname}_masked"]
            if masked not in fields_to_fetch and (
                not ignore_when_in_cache
                or any(self.env.cache.get_missing_ids(self, masked))
            ):
                fields_to_fetch.append(masked)
        return fields_to_fetch

    @api.depends("privacy_id_number_masked", "privacy_id_number_cipher")
    @api.depends_context("uid")
    def _compute_privacy_id_number(self):
        self._privacy_compute_encrypted("privacy_id_number")

    @api.depends("privacy_bank_card_masked", "privacy_bank_card_cipher")
    @api.depends_context("uid")
    def _compute_privacy_bank_card(self):
        self._privacy_compute_encrypted("privacy_bank_card")

    def _privacy_compute_encrypted(self, fname):
        masked_fname = f"{fname}_masked"
        origins = self._origin.filtered(masked_fname)
        clear = origins._privacy_clear_records(fname)
        values = clear._privacy_decrypt(fname)
        for record in self:
            value = values.get(record._origin.id)
            record[fname] = value or record[masked_fname] or False

    def _privacy_clear_records(self, fname):
        """The records of ``self`` whose ``fname`` the current user sees clear.

        Without an active policy on the field only data administrators do:
        an encrypted field fails closed."""
        if not self or self.env.su:
            return self
        if fname not in self._privacy_policies():
            return self if self.env.user.has_group(DATA_ADMIN) else self.browse()
        masked = self._privacy_masked_ids([fname]).get(fname, set())
        return self.filtered(lambda r: r.id not in masked)

    def _privacy_decrypt(self, fname):
        """{record id: clear value} of ``fname`` on ``self`` (real records).
        A value that cannot be decrypted is left out, so it shows masked."""
        if not self:
            return {}
        service = self.env["privacy.key.service"]
        # sudo: the ciphertext column is readable by no group
        tokens = {r.id: r[f"{fname}_cipher"] for r in self.sudo()}
        tokens = {rid: token for rid, token in tokens.items() if token}
        if not tokens:
            return {}
        try:
            keyring = service._keyring()
        except crypto.KeyUnavailableError as exc:
            _logger.warning(
                "Customer privacy: %s is shown masked, the master keys are "
                "unavailable: %s",
                fname,
                exc,
            )
            return {}
        keys, _errors = service._read_data_keys(keyring, list(tokens))
        values, failed = {}, []
        for rid, token in tokens.items():
            try:
                values[rid] = crypto.decrypt_value(
                    keys[rid], token, crypto.make_aad(self._name, fname, rid)
                )
            except (KeyError, crypto.CryptoError):
                failed.append(rid)
        if failed:
            _logger.warning(
                "Customer privacy: %s of %s customer(s) (ids %s) cannot be "
                "decrypted with the configured master keys and is shown masked.",
                fname,
                len(failed),
                failed[:20],
            )
        return values

    # --------------------------------------------------------------- write
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._privacy_check_masked_columns(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("privacy_merging"):
            # the partner merge copies every stored field: a masked form
            # follows its value, which the merge wizard carries itself
            vals = {k: v for k, v in vals.items() if k not in MASKED_COLUMNS}
        self._privacy_check_masked_columns(vals)
        return super().write(vals)

    def _privacy_check_masked_columns(self, vals):
        """The masked forms are made from the encrypted values: written
        directly, they would show everyone a number the customer does not
        have (superuser mode only: the inverse and crypto-shredding)."""
        if not self.env.su and not MASKED_COLUMNS.isdisjoint(vals):
            raise AccessError(
                self.env._(
                    "The masked identity and bank card numbers are made from the "
                    "numbers themselves: write the number instead."
                )
            )

    def _inverse_privacy_id_number(self):
        self._privacy_store_encrypted("privacy_id_number")

    def _inverse_privacy_bank_card(self):
        self._privacy_store_encrypted("privacy_bank_card")

    def _privacy_normalize(self, fname, value):
        """Normalised form of ``value``: what is encrypted and indexed."""
        if fname == "privacy_bank_card":
            return validation.normalize_bank_card(value).upper()
        return validation.normalize_resident_id(value)

    def _privacy_validate(self, fname, normalized):
        """Raise a ValidationError naming the field when ``normalized`` is not
        a valid value of ``fname`` for this customer."""
        self.ensure_one()
        field = self._fields[fname]._description_string(self.env)
        if fname == "privacy_bank_card":
            if not validation.is_valid_bank_card(normalized):
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(customer)s is not a valid bank card number "
                        "(12 to 19 digits with a correct Luhn check digit). Nothing "
                        "was saved.",
                        field=field,
                        customer=self.display_name or self.env._("the new customer"),
                    )
                )
        elif (self.privacy_id_type or "resident_id") == "resident_id":
            if not validation.is_valid_resident_id(normalized):
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(customer)s is not a valid resident ID number "
                        "(18 characters, a real birth date and a correct GB 11643 "
                        "check character). For a passport or another document, "
                        "choose its document type first. Nothing was saved.",
                        field=field,
                        customer=self.display_name or self.env._("the new customer"),
                    )
                )
        elif not OTHER_ID_RE.fullmatch(normalized):
            raise ValidationError(
                self.env._(
                    "%(field)s of %(customer)s is not a valid document number "
                    "(4 to 32 letters, digits or dashes). Nothing was saved.",
                    field=field,
                    customer=self.display_name or self.env._("the new customer"),
                )
            )

    def _privacy_check_high_field_consent(self, field_names):
        """Hook called before high-sensitivity fields are stored on ``self``.

        Does nothing yet: once the consent model exists, storing a high field
        requires a valid separate consent for its category (SPEC §6), and the
        consent module raises here when it is missing."""

    def _privacy_store_encrypted(self, fname):
        cipher_fname, masked_fname = f"{fname}_cipher", f"{fname}_masked"
        todo = {}
        for record in self:
            value = record[fname]
            if isinstance(value, str) and masking.looks_masked(value):
                continue  # a masked value sent back is not data
            normalized = self._privacy_normalize(fname, value) if value else ""
            if normalized:
                record._privacy_validate(fname, normalized)
            todo[record] = normalized
        if not todo:
            return
        to_encrypt = self.browse([r.id for r, n in todo.items() if n])
        if to_encrypt:
            to_encrypt._privacy_check_high_field_consent([fname])
            service = self.env["privacy.key.service"]
            keyring = service._keyring_or_raise()
            data_keys = service._ensure_data_keys(keyring, to_encrypt)
            index_key = service._index_key_or_raise(keyring)
        digests = {}
        for record, normalized in todo.items():
            if not normalized:
                vals = dict.fromkeys((cipher_fname, masked_fname), False)
                digests[record.id] = False
            else:
                vals = {
                    cipher_fname: crypto.encrypt_value(
                        data_keys[record.id],
                        normalized,
                        crypto.make_aad(self._name, fname, record.id),
                    ),
                    masked_fname: masking.mask(ENCRYPTED_FIELDS[fname], normalized),
                }
                digests[record.id] = crypto.blind_index(index_key, fname, normalized)
            # sudo: the ciphertext column and the blind indexes are readable
            # and writable by no group; the user's own right to write the
            # customer was checked by the write that called this inverse
            record.sudo().write(vals)
        self.env["privacy.blind.index"].sudo()._store(fname, digests)
        self.env["res.partner"]._privacy_notify_access(
            "write", self.browse([r.id for r in todo]), [fname], encrypted=True
        )
        # the cache holds the value as typed: read it back as stored
        self.invalidate_recordset([fname])

    # -------------------------------------------------------------- search
    def _search_privacy_id_number(self, operator, value):
        return self._privacy_search_encrypted("privacy_id_number", operator, value)

    def _search_privacy_bank_card(self, operator, value):
        return self._privacy_search_encrypted("privacy_bank_card", operator, value)

    @api.model
    def _privacy_search_encrypted(self, fname, operator, value):
        """Exact search through the blind index; anything else would be a
        search oracle on an encrypted value and is refused."""
        if operator not in ("=", "in"):
            raise UserError(
                self.env._(
                    "%(field)s is stored encrypted: search it by its exact, "
                    "complete value.",
                    field=self._fields[fname]._description_string(self.env),
                )
            )
        values = value if isinstance(value, (list, tuple, set)) else [value]
        wants_empty = any(v in (False, None, "") for v in values)
        normalized = {
            self._privacy_normalize(fname, v) for v in values if isinstance(v, str)
        } - {""}
        # the blind indexes are readable by no group: matched in a sub-query,
        # the outer search keeps the user's record rules
        Index = self.env["privacy.blind.index"]
        domains = []
        if normalized:
            service = self.env["privacy.key.service"]
            keyring = service._keyring_or_raise()
            index_key = service._index_key_or_raise(keyring, create=False)
            if index_key:
                digests = [crypto.blind_index(index_key, fname, n) for n in normalized]
                domains.append([("id", "in", Index._partner_ids_query(fname, digests))])
        if wants_empty:
            domains.append([("id", "not in", Index._partner_ids_query(fname))])
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    # ------------------------------------------------------- crypto-shred
    def _privacy_crypto_shred(self):
        """不可逆加密删除: destroy these customers' data keys and clear their
        ciphertexts, blind indexes and masked forms. The values cannot be
        recovered afterwards, from this database or any later backup.
        Returns ``{"keys": destroyed data keys, "values": cleared values}``."""
        if not (self.env.su or self.env.user.has_group(DATA_ADMIN)):
            raise AccessError(
                self.env._("Only a data administrator may destroy customer data keys.")
            )
        # sudo: data keys and ciphertexts are reachable by no group
        partners = self.sudo()
        values = sum(
            1
            for partner in partners
            for fname in ENCRYPTED_FIELDS
            if partner[f"{fname}_cipher"]
        )
        keys = (
            self.env["privacy.data.key"].sudo().search([("partner_id", "in", self.ids)])
        )
        key_count = len(keys)
        vals = {}
        for fname in ENCRYPTED_FIELDS:
            for suffix in ("_cipher", "_masked"):
                vals[fname + suffix] = False
        partners.write(vals)
        self.env["privacy.blind.index"].sudo()._forget(self.ids)
        keys.unlink()
        self.env["res.partner"]._privacy_notify_access(
            "key_operation",
            self,
            list(ENCRYPTED_FIELDS),
            operation="crypto_shred",
            keys=key_count,
            values=values,
        )
        return {"keys": key_count, "values": values}
