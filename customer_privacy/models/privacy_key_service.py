# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Master keys, customer data keys and the blind-index key (SPEC §5).

Master keys never live in the database. They are read, in this order, from
the ``privacy_master_keys`` option of the Odoo configuration file, from the
``ODOO_PRIVACY_MASTER_KEYS`` environment variable, or from a key file (option
``privacy_master_key_file``, by default ``<data_dir>/customer_privacy/<db>.key``);
the first source found is used, and the first key it lists is the active one.
A database with demo data and no key at all gets a generated key file, with a
warning in the log; any other database refuses to store encrypted values
until a key is configured, while reads keep showing the masked forms.

Data keys (one per customer, :class:`privacy.data.key`) and the blind-index
key (``ir.config_parameter`` ``customer_privacy.blind_index_key``) are stored
wrapped by the active master key. Rotation re-wraps them, never the data."""

import logging
import os

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config

from ..tools import crypto

_logger = logging.getLogger(__name__)

CONFIG_OPTION = "privacy_master_keys"
KEY_FILE_OPTION = "privacy_master_key_file"
ENV_VARIABLE = "ODOO_PRIVACY_MASTER_KEYS"
PARAM_INDEX_KEY = "customer_privacy.blind_index_key"
DATA_ADMIN = "customer_privacy.group_privacy_data_admin"
DEFAULT_BATCH_SIZE = 500


class NoMasterKeyError(crypto.KeyUnavailableError):
    """No master key source is configured at all (as opposed to a malformed
    key or a key missing from the ring)."""


class PrivacyKeyService(models.AbstractModel):
    _name = "privacy.key.service"
    _description = "Customer Privacy Key Service"

    # ------------------------------------------------------------ master keys
    @api.model
    def _key_file_path(self):
        configured = config.get(KEY_FILE_OPTION)
        if configured:
            return str(configured)
        return os.path.join(
            config["data_dir"], "customer_privacy", f"{self.env.cr.dbname}.key"
        )

    @api.model
    def _is_demo_database(self):
        """Whether this database holds demo data: customer_privacy was
        installed with its demo records or, while it is being installed (its
        flag is set only after its demo data is loaded), the database was
        created with demo data."""
        # sudo: the module list is read to decide, not shown to the user
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search([("name", "in", ("customer_privacy", "base"))])
        )
        mine = modules.filtered(lambda m: m.name == "customer_privacy")
        base = modules - mine
        if mine.demo:
            return True
        return mine.state in ("to install", "to upgrade") and bool(base.demo)

    @api.model
    def _keyring(self):
        """The master keyring of this server (:class:`crypto.MasterKeyring`).

        Raises :class:`crypto.KeyUnavailableError` (:class:`NoMasterKeyError`
        when nothing is configured); the message never holds key material."""
        option = config.get(CONFIG_OPTION)
        if option:
            return crypto.MasterKeyring.from_sources(config_value=str(option))
        variable = os.environ.get(ENV_VARIABLE)
        if variable:
            return crypto.MasterKeyring.from_sources(env_value=variable)
        path = self._key_file_path()
        if not os.path.exists(path):
            if not self._is_demo_database():
                raise NoMasterKeyError(
                    f"No master key is configured (key file {path})."
                )
            self._generate_demo_key_file(path)
        return crypto.MasterKeyring.from_sources(key_file=path)

    @api.model
    def _generate_demo_key_file(self, path):
        try:
            os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
            kid = crypto.generate_key_file(path)
        except FileExistsError:
            return  # another worker generated it first
        except OSError as exc:
            raise NoMasterKeyError(
                f"No master key is configured and the demo key file {path} cannot "
                f"be created: {exc.strerror or type(exc).__name__}."
            ) from None
        _logger.warning(
            "Customer privacy: generated a DEMO master key (id %s) in %s for "
            "database %s. It protects demo data only: configure %s (or %s) "
            "with keys kept outside the server before storing real data.",
            kid,
            path,
            self.env.cr.dbname,
            CONFIG_OPTION,
            ENV_VARIABLE,
        )

    @api.model
    def _keyring_or_raise(self):
        """The keyring, or a UserError telling how to configure it."""
        try:
            return self._keyring()
        except NoMasterKeyError:
            raise UserError(
                self.env._(
                    "No master key configured: set privacy_master_keys in the Odoo "
                    "configuration file (or the %(variable)s environment variable, "
                    "or a key file at %(path)s). Encrypted customer fields cannot "
                    "be stored or searched without it.",
                    variable=ENV_VARIABLE,
                    path=self._key_file_path(),
                )
            ) from None
        except crypto.KeyUnavailableError as exc:
            raise UserError(
                self.env._(
                    "The master keys of encrypted customer fields cannot be "
                    "loaded: %(reason)s",
                    reason=str(exc),
                )
            ) from None

    @api.model
    def _check_key_admin(self):
        if not (self.env.su or self.env.user.has_group(DATA_ADMIN)):
            raise AccessError(
                self.env._("Only a data administrator may manage encryption keys.")
            )

    # -------------------------------------------------------------- data keys
    @api.model
    def _data_key_aad(self, partner_id):
        """Binds a wrapped data key to its customer."""
        return crypto.make_aad("privacy.data.key", "partner_id", partner_id)

    @api.model
    def _read_data_keys(self, keyring, partner_ids):
        """({partner id: data key}, {partner id: error text}) of the customers
        that have a data key; never raises (reads degrade to masked values)."""
        # sudo: data keys are reached by this service only
        records = (
            self.env["privacy.data.key"]
            .sudo()
            .search([("partner_id", "in", list(partner_ids))])
        )
        keys, errors = {}, {}
        for record in records:
            pid = record.partner_id.id
            try:
                keys[pid] = crypto.unwrap_data_key(
                    keyring, record.wrapped_key, self._data_key_aad(pid)
                )
            except crypto.CryptoError as exc:
                errors[pid] = str(exc)
        return keys, errors

    @api.model
    def _ensure_data_keys(self, keyring, partners):
        """{partner id: data key} for ``partners``, creating the missing keys.

        Raises a UserError, storing nothing, when an existing key cannot be
        unwrapped: replacing it would lose the values it protects."""
        keys, errors = self._read_data_keys(keyring, partners.ids)
        if errors:
            partner = partners.browse(next(iter(errors))).sudo()
            raise UserError(
                self.env._(
                    "The data key of %(customer)s cannot be opened with the master "
                    "keys configured on this server (%(reason)s). Add the master key "
                    "it was wrapped with to the configuration; nothing was saved.",
                    customer=partner.display_name,
                    reason=errors[partner.id],
                )
            )
        missing = [pid for pid in partners.ids if pid not in keys]
        vals_list = []
        for pid in missing:
            keys[pid] = crypto.new_data_key()
            vals_list.append(
                {
                    "partner_id": pid,
                    "wrapped_key": crypto.wrap_data_key(
                        keyring, keys[pid], self._data_key_aad(pid)
                    ),
                    "key_id": keyring.active_id,
                }
            )
        if vals_list:
            # sudo: data keys are reached by this service only
            self.env["privacy.data.key"].sudo().create(vals_list)
        return keys

    # -------------------------------------------------------------- index key
    @api.model
    def _index_key(self, keyring, create=True):
        """The blind-index key, created (random, wrapped by the active master
        key) on first use; None when it does not exist and ``create`` is
        False. Raises :class:`crypto.CryptoError` when it cannot be opened."""
        # sudo: the wrapped index key is configuration no user reads
        params = self.env["ir.config_parameter"].sudo()
        token = params.get_param(PARAM_INDEX_KEY)
        if token:
            return crypto.unwrap_index_key(keyring, token)
        if not create:
            return None
        key = crypto.new_index_key()
        params.set_param(PARAM_INDEX_KEY, crypto.wrap_index_key(keyring, key))
        return key

    @api.model
    def _index_key_or_raise(self, keyring, create=True):
        try:
            return self._index_key(keyring, create=create)
        except crypto.CryptoError as exc:
            raise UserError(
                self.env._(
                    "The blind-index key of encrypted customer fields cannot be "
                    "opened with the master keys configured on this server "
                    "(%(reason)s).",
                    reason=str(exc),
                )
            ) from None

    # ------------------------------------------------------- key operations
    @api.model
    def _rotate(self, batch_size=DEFAULT_BATCH_SIZE, progress=None, commit=False):
        """Re-wrap the blind-index key and every data key that is not yet
        under the active master key; the encrypted values are not touched.

        Works in batches of ``batch_size`` keys, calling ``progress(done,
        total)`` after each and committing it when ``commit`` is set (the
        command line does). Keys already under the active key are skipped,
        so an interrupted rotation simply resumes. Returns counts."""
        self._check_key_admin()
        keyring = self._keyring_or_raise()
        active = keyring.active_id
        batch_size = max(1, int(batch_size or DEFAULT_BATCH_SIZE))
        result = {
            "active_key_id": active,
            "index_key": "absent",
            "rewrapped": 0,
            "failed": [],
        }
        params = self.env["ir.config_parameter"].sudo()
        token = params.get_param(PARAM_INDEX_KEY)
        if token:
            try:
                new_token = crypto.rewrap_data_key(keyring, token, crypto.INDEX_KEY_AAD)
            except crypto.CryptoError as exc:
                result["index_key"] = "failed"
                result["failed"].append((0, str(exc)))
            else:
                result["index_key"] = "current" if new_token == token else "rewrapped"
                if new_token != token:
                    params.set_param(PARAM_INDEX_KEY, new_token)
        # sudo: data keys are reached by this service only
        DataKey = self.env["privacy.data.key"].sudo()
        domain = [("key_id", "!=", active)]
        total = DataKey.search_count(domain)
        done, last_id = 0, 0
        while True:
            batch = DataKey.search(
                [*domain, ("id", ">", last_id)], order="id", limit=batch_size
            )
            if not batch:
                break
            rewrapped = DataKey.browse()
            for record in batch:
                pid = record.partner_id.id
                try:
                    new_token = crypto.rewrap_data_key(
                        keyring, record.wrapped_key, self._data_key_aad(pid)
                    )
                except crypto.CryptoError as exc:
                    result["failed"].append((pid, str(exc)))
                    continue
                record.write({"wrapped_key": new_token, "key_id": active})
                rewrapped |= record
            last_id = batch[-1].id
            done += len(batch)
            result["rewrapped"] += len(rewrapped)
            self.env["res.partner"]._privacy_notify_access(
                "key_operation",
                rewrapped.partner_id,
                [],
                operation="rotate",
                key_id=active,
            )
            if commit:
                # each batch is kept even if a later one fails: the rotation
                # resumes where it stopped
                self.env.cr.commit()  # pylint: disable=invalid-commit
            batch.invalidate_recordset()
            if progress:
                progress(done, total)
        return result

    @api.model
    def _retire(self, key_id):
        """Check that master key ``key_id`` wraps nothing any more, so it can
        be removed from the configuration; raises a UserError otherwise."""
        self._check_key_admin()
        key_id = (key_id or "").strip().lower()
        if len(key_id) != crypto.KEY_ID_LENGTH or any(
            c not in "0123456789abcdef" for c in key_id
        ):
            raise UserError(
                self.env._(
                    "%(key)s is not a master key id (16 hexadecimal characters).",
                    key=key_id,
                )
            )
        # sudo: data keys are reached by this service only
        count = (
            self.env["privacy.data.key"].sudo().search_count([("key_id", "=", key_id)])
        )
        token = self.env["ir.config_parameter"].sudo().get_param(PARAM_INDEX_KEY)
        index_uses = bool(token) and token.split(".")[1:2] == [key_id]
        if count or index_uses:
            raise UserError(
                self.env._(
                    "Master key %(key)s is still in use (data keys: %(count)s, "
                    "blind-index key: %(index)s): run the key rotation first "
                    "(odoo-bin privacy-keys rotate), then retire it.",
                    key=key_id,
                    count=count,
                    index=self.env._("yes") if index_uses else self.env._("no"),
                )
            )
        try:
            active = self._keyring().active_id
        except crypto.KeyUnavailableError:
            active = None
        if active == key_id:
            raise UserError(
                self.env._(
                    "Master key %(key)s is the active key: put the new key first in "
                    "the configured master keys and rotate before retiring it.",
                    key=key_id,
                )
            )
        self.env["res.partner"]._privacy_notify_access(
            "key_operation",
            self.env["res.partner"],
            [],
            operation="retire",
            key_id=key_id,
        )
        return {
            "key_id": key_id,
            "message": self.env._(
                "No data key is wrapped by master key %(key)s any more: remove it "
                "from the configured master keys. Backups that only this key can "
                "open become unreadable once it is destroyed.",
                key=key_id,
            ),
        }

    @api.model
    def _verify(self, batch_size=DEFAULT_BATCH_SIZE):
        """Unwrap every data key and the blind-index key, decrypt every stored
        ciphertext. Returns counts of ok / failed and the failures, as
        ``(partner id, field, reason)``, without any value."""
        self._check_key_admin()
        keyring = self._keyring_or_raise()
        Partner = self.env["res.partner"]
        fnames = list(Partner._privacy_encrypted_fields())
        columns = [f"{fname}_cipher" for fname in fnames]
        Partner.flush_model(columns)
        result = {
            "keys_ok": 0,
            "keys_failed": 0,
            "values_ok": 0,
            "values_failed": 0,
            "index_key": "absent",
            "failures": [],
        }
        try:
            if self._index_key(keyring, create=False) is not None:
                result["index_key"] = "ok"
        except crypto.CryptoError as exc:
            result["index_key"] = "failed"
            result["failures"].append((0, "blind index key", str(exc)))
        # sudo: data keys are reached by this service only
        DataKey = self.env["privacy.data.key"].sudo()
        last_id = 0
        while True:
            batch = DataKey.search([("id", ">", last_id)], order="id", limit=batch_size)
            if not batch:
                break
            last_id = batch[-1].id
            keys, errors = self._read_data_keys(keyring, batch.partner_id.ids)
            result["keys_ok"] += len(keys)
            result["keys_failed"] += len(errors)
            for pid, reason in errors.items():
                result["failures"].append((pid, "data key", reason))
            self._verify_values(batch.partner_id.ids, keys, fnames, result)
            batch.invalidate_recordset()
        # ciphertexts whose customer has no data key at all
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE (%s)
                   AND NOT EXISTS (
                       SELECT 1 FROM privacy_data_key k WHERE k.partner_id = p.id
                   )
                """,
                SQL(" OR ").join(
                    SQL("%s IS NOT NULL", SQL.identifier("p", c)) for c in columns
                ),
            )
        )
        orphans = [row[0] for row in self.env.cr.fetchall()]
        self._verify_values(orphans, {}, fnames, result)
        return result

    def _verify_values(self, partner_ids, keys, fnames, result):
        if not partner_ids:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM res_partner WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(f"{fname}_cipher") for fname in fnames),
                list(partner_ids),
            )
        )
        for pid, *tokens in self.env.cr.fetchall():
            for fname, token in zip(fnames, tokens, strict=True):
                if not token:
                    continue
                if pid not in keys:
                    result["values_failed"] += 1
                    result["failures"].append((pid, fname, "no usable data key"))
                    continue
                try:
                    crypto.decrypt_value(
                        keys[pid], token, crypto.make_aad("res.partner", fname, pid)
                    )
                except crypto.CryptoError as exc:
                    result["values_failed"] += 1
                    result["failures"].append((pid, fname, str(exc)))
                else:
                    result["values_ok"] += 1
