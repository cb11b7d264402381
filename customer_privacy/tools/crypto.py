"""Envelope encryption for fields stored encrypted at rest (SPEC section 5).

Pure Python (standard library + ``cryptography``), no ORM access.

Layers
------
* **Master keys** (32 random bytes) never live in the database. They come from
  the ``odoo.conf`` option, an environment variable or a key file (see
  :meth:`MasterKeyring.from_sources`). A key is identified by its *key id*: the
  first 16 hex characters of the SHA-256 of the key. The id is public: it is
  written into every wrapped token so the right key can be picked, and it
  reveals nothing useful about the key.
* **Data keys** (32 random bytes, one per customer) encrypt the field values.
  They are stored in the database only *wrapped* (AES-256-GCM) under the
  active master key: ``v1.<key_id>.<b64 nonce>.<b64 ciphertext>``.
* **Values** are encrypted with AES-256-GCM under the data key:
  ``v1.<b64 nonce>.<b64 ciphertext>``. The associated data
  (:func:`make_aad`) binds each ciphertext to model, field and record, so a
  ciphertext copied to another record or field fails to decrypt.

Rotation and crypto-shredding
-----------------------------
Rotating the master key only re-wraps data keys (:func:`rewrap_data_key`); the
encrypted values are never touched. A re-wrap is idempotent (a token already
under the active key is returned unchanged), so a rotation job can be
interrupted and resumed. Once no token names an old key id any more, that key
can be retired from the ring; backups whose tokens only it can open become
unreadable. Destroying a customer's wrapped data key makes that customer's
ciphertexts unreadable for good (crypto-shredding).

Blind index
-----------
Exact search over encrypted values uses a keyed blind index
(:func:`blind_index`: HMAC-SHA256 over ``field NUL normalized_value``, the
field name giving per-field domain separation). The recommended index key is
**not** derived from the master key: it is a random key
(:func:`new_index_key`) stored in the database wrapped by the master key
(:func:`wrap_index_key`, i.e. :func:`wrap_data_key` with the associated data
``b"blind-index-key"``), and re-wrapped like any data key on rotation. This way
rotating the master key does not change the index key and never requires
recomputing every blind index. :func:`derive_index_key` (HKDF-SHA256 from a
master key) is provided for setups with one fixed master key, but an index
built from it has to be rebuilt whenever that master key changes.

Errors
------
:class:`KeyUnavailableError` (no key, malformed key, unknown key id) and
:class:`DecryptionError` (wrong key, wrong associated data, tampered or
malformed token). Their messages never contain key material, plaintext or the
configured key text; key ids may appear since they are not secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "INDEX_KEY_AAD",
    "KEY_SIZE",
    "CryptoError",
    "DecryptionError",
    "KeyUnavailableError",
    "MasterKeyring",
    "blind_index",
    "decrypt_value",
    "derive_index_key",
    "encode_key",
    "encrypt_value",
    "generate_key_file",
    "key_id",
    "make_aad",
    "new_data_key",
    "new_index_key",
    "new_master_key",
    "rewrap_data_key",
    "token_key_id",
    "unwrap_data_key",
    "unwrap_index_key",
    "wrap_data_key",
    "wrap_index_key",
]

KEY_SIZE = 32  # AES-256
NONCE_SIZE = 12  # 96-bit GCM nonce
TAG_SIZE = 16
KEY_ID_LENGTH = 16  # hex characters
VERSION = "v1"
INDEX_KEY_AAD = b"blind-index-key"
INDEX_KEY_INFO = b"customer_privacy blind index v1"

_HEX = frozenset("0123456789abcdef")


class CryptoError(Exception):
    """Base class of the errors raised by this module."""


class KeyUnavailableError(CryptoError):
    """No usable master key: none configured, malformed, or not in the ring."""


class DecryptionError(CryptoError):
    """A token could not be decrypted (wrong key or associated data, tampered
    or malformed token)."""


# ---------------------------------------------------------------------------
# helpers


def _b64e(data: bytes) -> str:
    """URL-safe base64 without padding (compact, no '.' so tokens split)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    """Strict inverse of :func:`_b64e`; raises ValueError on bad input."""
    if not text or "=" in text:
        raise ValueError("bad base64")
    try:
        raw = text.encode("ascii")
        raw += b"=" * (-len(raw) % 4)
        return base64.b64decode(raw, altchars=b"-_", validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError("bad base64") from None


def _check_key(key: bytes, what: str = "key") -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_SIZE:
        raise ValueError(f"{what} must be {KEY_SIZE} bytes")


def _check_aad(aad: bytes) -> None:
    if not isinstance(aad, bytes):
        raise TypeError("associated data must be bytes")


def key_id(key: bytes) -> str:
    """Public identifier of a master key: 16 hex chars of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:KEY_ID_LENGTH]


def encode_key(key: bytes) -> str:
    """Standard base64 text of a key, as expected by the key sources."""
    return base64.b64encode(key).decode("ascii")


def new_master_key() -> bytes:
    return secrets.token_bytes(KEY_SIZE)


def new_data_key() -> bytes:
    """A fresh random data key (one per customer)."""
    return secrets.token_bytes(KEY_SIZE)


def new_index_key() -> bytes:
    """A fresh random blind-index key; store it with :func:`wrap_index_key`."""
    return secrets.token_bytes(KEY_SIZE)


# ---------------------------------------------------------------------------
# master keys


def _decode_master_key(text: str) -> bytes | None:
    """Decode a base64 (standard or URL-safe) key; None when not valid."""
    text = text.strip()
    if not text:
        return None
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        return None
    core = raw.rstrip(b"=")
    raw = core + b"=" * (-len(core) % 4)
    altchars = b"-_" if (b"-" in core or b"_" in core) else None
    try:
        return base64.b64decode(raw, altchars=altchars, validate=True)
    except binascii.Error:
        return None


def _split_entries(text: str) -> Iterator[str]:
    for line in text.replace(",", "\n").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


class MasterKeyring:
    """The master keys available to this server, by key id.

    ``active_id`` names the key new wraps are made with; the other keys can
    only unwrap (tokens written before a rotation).
    """

    __slots__ = ("_keys", "active_id")

    def __init__(self, keys: Mapping[str, bytes], active_id: str):
        checked: dict[str, bytes] = {}
        for kid, key in keys.items():
            if not isinstance(key, bytes | bytearray) or len(key) != KEY_SIZE:
                raise KeyUnavailableError(
                    f"A master key of the keyring is not a {KEY_SIZE}-byte key."
                )
            if key_id(bytes(key)) != kid:
                raise KeyUnavailableError(
                    "A master key of the keyring is listed under another key id."
                )
            checked[kid] = bytes(key)
        if active_id not in checked:
            raise KeyUnavailableError(
                f"The active master key {active_id!r} is not in the keyring."
            )
        self._keys = checked
        self.active_id = active_id

    @classmethod
    def from_keys(cls, *keys: bytes) -> MasterKeyring:
        """Keyring of raw keys; the first one is active."""
        if not keys:
            raise KeyUnavailableError("No master key given.")
        ordered: dict[str, bytes] = {}
        for number, key in enumerate(keys, 1):
            if not isinstance(key, bytes | bytearray) or len(key) != KEY_SIZE:
                raise KeyUnavailableError(
                    f"Master key #{number} is not a {KEY_SIZE}-byte key."
                )
            ordered.setdefault(key_id(bytes(key)), bytes(key))
        return cls(ordered, next(iter(ordered)))

    @classmethod
    def from_sources(
        cls,
        config_value: str | None = None,
        env_value: str | None = None,
        key_file: str | os.PathLike | None = None,
    ) -> MasterKeyring:
        """Build the keyring from the configured sources.

        Each source is a text of one or more entries ``keyid:base64key`` or a
        bare ``base64key``, separated by commas or newlines (``#`` starts a
        comment line in a key file). Sources are read in the order
        config option, environment variable, key file; the first key listed
        is the active one. A declared key id must match the key. Raises
        :class:`KeyUnavailableError` when no key is found or an entry is not
        a valid base64 encoding of 32 bytes; the message names the source and
        entry position, never the key text.
        """
        sources: list[tuple[str, str]] = []
        if config_value:
            sources.append(("the configuration option", str(config_value)))
        if env_value:
            sources.append(("the environment variable", str(env_value)))
        if key_file:
            try:
                with open(key_file, encoding="utf-8") as handle:
                    sources.append((f"key file {os.fspath(key_file)}", handle.read()))
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or type(exc).__name__
                raise KeyUnavailableError(
                    f"Cannot read the master key file {os.fspath(key_file)}: "
                    f"{reason}."
                ) from None
        keys: dict[str, bytes] = {}
        for source, text in sources:
            for position, entry in enumerate(_split_entries(text), 1):
                declared = None
                if ":" in entry:
                    declared, entry = (part.strip() for part in entry.split(":", 1))
                key = _decode_master_key(entry)
                if key is None or len(key) != KEY_SIZE:
                    raise KeyUnavailableError(
                        f"Master key entry #{position} in {source} is not a "
                        f"base64-encoded {KEY_SIZE}-byte key."
                    )
                kid = key_id(key)
                if declared is not None and declared.lower() != kid:
                    raise KeyUnavailableError(
                        f"Master key entry #{position} in {source}: the declared "
                        f"key id does not match the key (its id is {kid})."
                    )
                keys.setdefault(kid, key)
        if not keys:
            raise KeyUnavailableError(
                "No master key is configured: set the configuration option, "
                "the environment variable or a key file."
            )
        return cls(keys, next(iter(keys)))

    # mapping-like read access -------------------------------------------
    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    @property
    def active_key(self) -> bytes:
        return self._keys[self.active_id]

    def get(self, kid: str) -> bytes:
        try:
            return self._keys[kid]
        except KeyError:
            raise KeyUnavailableError(
                f"Master key {kid!r} is not available on this server: add it to "
                "the configured master keys to read this data."
            ) from None

    def __contains__(self, kid: object) -> bool:
        return kid in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __repr__(self) -> str:  # never shows key material
        return f"<MasterKeyring active={self.active_id} ids={list(self._keys)}>"


def generate_key_file(path: str | os.PathLike) -> str:
    """Write a new random master key (base64) to ``path`` with mode 0600.

    Refuses to overwrite an existing file (:class:`FileExistsError`).
    Returns the key id.
    """
    key = new_master_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, (encode_key(key) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return key_id(key)


# ---------------------------------------------------------------------------
# data keys


def token_key_id(token: str) -> str:
    """Key id of the master key a wrapped data key token was written with."""
    parts = token.split(".") if isinstance(token, str) else ()
    if (
        len(parts) != 4
        or parts[0] != VERSION
        or len(parts[1]) != KEY_ID_LENGTH
        or not _HEX.issuperset(parts[1])
    ):
        raise DecryptionError("Malformed wrapped data key.")
    return parts[1]


def wrap_data_key(keyring: MasterKeyring, data_key: bytes, aad: bytes) -> str:
    """Encrypt ``data_key`` under the active master key.

    Returns ``v1.<key_id>.<b64 nonce>.<b64 ciphertext>``.
    """
    _check_key(data_key, "data key")
    _check_aad(aad)
    nonce = os.urandom(NONCE_SIZE)
    ciphertext = AESGCM(keyring.active_key).encrypt(nonce, bytes(data_key), aad)
    return f"{VERSION}.{keyring.active_id}.{_b64e(nonce)}.{_b64e(ciphertext)}"


def unwrap_data_key(keyring: MasterKeyring, token: str, aad: bytes) -> bytes:
    """Decrypt a wrapped data key with the master key named in the token."""
    _check_aad(aad)
    kid = token_key_id(token)
    master = keyring.get(kid)
    _version, _kid, nonce_text, ct_text = token.split(".")
    try:
        nonce, ciphertext = _b64d(nonce_text), _b64d(ct_text)
    except ValueError:
        raise DecryptionError("Malformed wrapped data key.") from None
    if len(nonce) != NONCE_SIZE or len(ciphertext) != KEY_SIZE + TAG_SIZE:
        raise DecryptionError("Malformed wrapped data key.")
    try:
        return AESGCM(master).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise DecryptionError(
            f"Cannot unwrap the data key with master key {kid}: wrong key, "
            "wrong record binding or tampered value."
        ) from None


def rewrap_data_key(keyring: MasterKeyring, token: str, aad: bytes) -> str:
    """Re-wrap a data key under the active master key (key rotation).

    Returns ``token`` itself when it is already under the active key, so a
    rotation job can be resumed without redoing finished work.
    """
    if token_key_id(token) == keyring.active_id:
        return token
    return wrap_data_key(keyring, unwrap_data_key(keyring, token, aad), aad)


def wrap_index_key(keyring: MasterKeyring, index_key: bytes) -> str:
    """Wrap the blind-index key for storage (see module docstring)."""
    return wrap_data_key(keyring, index_key, INDEX_KEY_AAD)


def unwrap_index_key(keyring: MasterKeyring, token: str) -> bytes:
    return unwrap_data_key(keyring, token, INDEX_KEY_AAD)


# ---------------------------------------------------------------------------
# values


def make_aad(model: str, field: str, record_id: int | str) -> bytes:
    """Associated data binding a ciphertext to model, field and record."""
    return f"{model}|{field}|{record_id}".encode()


def encrypt_value(data_key: bytes, plaintext: str, aad: bytes) -> str:
    """Encrypt a text value: ``v1.<b64 nonce>.<b64 ciphertext>``."""
    _check_key(data_key, "data key")
    _check_aad(aad)
    if not isinstance(plaintext, str):
        raise TypeError("plaintext must be str")
    nonce = os.urandom(NONCE_SIZE)
    ciphertext = AESGCM(bytes(data_key)).encrypt(nonce, plaintext.encode("utf-8"), aad)
    return f"{VERSION}.{_b64e(nonce)}.{_b64e(ciphertext)}"


def decrypt_value(data_key: bytes, token: str, aad: bytes) -> str:
    """Decrypt a value token; raises :class:`DecryptionError`."""
    _check_key(data_key, "data key")
    _check_aad(aad)
    parts = token.split(".") if isinstance(token, str) else ()
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptionError("Malformed encrypted value.")
    try:
        nonce, ciphertext = _b64d(parts[1]), _b64d(parts[2])
    except ValueError:
        raise DecryptionError("Malformed encrypted value.") from None
    if len(nonce) != NONCE_SIZE or len(ciphertext) < TAG_SIZE:
        raise DecryptionError("Malformed encrypted value.")
    try:
        clear = AESGCM(bytes(data_key)).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise DecryptionError(
            "Cannot decrypt the value: wrong data key, wrong record binding or "
            "tampered value."
        ) from None
    try:
        return clear.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("Decrypted value is not valid UTF-8.") from None


# ---------------------------------------------------------------------------
# blind index


def blind_index(index_key: bytes, field: str, normalized_value: str) -> str:
    """Keyed blind index of a normalised value (hex HMAC-SHA256).

    The field name is mixed in (``field NUL value``) so equal values of two
    fields do not get equal indexes.
    """
    _check_key(index_key, "index key")
    if "\x00" in field:
        raise ValueError("field name must not contain NUL")
    message = f"{field}\x00{normalized_value}".encode()
    return hmac.new(bytes(index_key), message, hashlib.sha256).hexdigest()


def derive_index_key(master_key: bytes) -> bytes:
    """Index key derived from a master key with HKDF-SHA256.

    Changes with the master key: prefer a random index key stored wrapped
    (:func:`new_index_key`, :func:`wrap_index_key`), see the module docstring.
    """
    _check_key(master_key, "master key")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=None,
        info=INDEX_KEY_INFO,
    ).derive(bytes(master_key))
