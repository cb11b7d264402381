"""Envelope encryption (customer_privacy/tools/crypto.py), without Odoo."""

import base64
import os
import stat

import pytest

SECRET = "110101199003071234"  # plaintext that must never leak into errors


@pytest.fixture
def key_a(crypto):
    return crypto.new_master_key()


@pytest.fixture
def key_b(crypto):
    return crypto.new_master_key()


@pytest.fixture
def ring(crypto, key_a):
    return crypto.MasterKeyring.from_keys(key_a)


def _all_messages(exc):
    """The message of an exception and of everything chained to it."""
    texts = []
    while exc is not None:
        texts.append(str(exc))
        texts.append(repr(exc))
        exc = exc.__cause__ or exc.__context__
    return " ".join(texts)


def _flip_last_char(token):
    head, last = token[:-2], token[-2]
    replacement = "A" if last != "A" else "B"
    return head + replacement + token[-1]


# --- keys and keyring ------------------------------------------------------


def test_key_id_is_sha256_prefix(crypto, key_a):
    import hashlib

    assert crypto.key_id(key_a) == hashlib.sha256(key_a).hexdigest()[:16]
    assert len(crypto.new_data_key()) == 32
    assert crypto.new_data_key() != crypto.new_data_key()


def test_from_sources_first_key_listed_is_active(crypto, key_a, key_b, tmp_path):
    key_c = crypto.new_master_key()
    key_file = tmp_path / "master.key"
    key_file.write_text(f"# comment\n{crypto.encode_key(key_c)}\n")
    ring = crypto.MasterKeyring.from_sources(
        config_value=f"{crypto.key_id(key_a)}:{crypto.encode_key(key_a)}",
        env_value=f" {crypto.encode_key(key_b)} ,\n",
        key_file=str(key_file),
    )
    assert ring.active_id == crypto.key_id(key_a)
    assert ring.key_ids == [crypto.key_id(k) for k in (key_a, key_b, key_c)]
    assert ring.active_key == key_a


def test_from_sources_several_keys_in_one_source(crypto, key_a, key_b):
    text = f"{crypto.encode_key(key_b)},{crypto.encode_key(key_a)}"
    ring = crypto.MasterKeyring.from_sources(env_value=text)
    assert ring.active_id == crypto.key_id(key_b)
    assert crypto.key_id(key_a) in ring


def test_from_sources_accepts_urlsafe_and_unpadded_base64(crypto, key_a):
    text = base64.urlsafe_b64encode(key_a).decode().rstrip("=")
    ring = crypto.MasterKeyring.from_sources(config_value=text)
    assert ring.active_key == key_a


def test_from_sources_only_key_file(crypto, tmp_path):
    kid = crypto.generate_key_file(tmp_path / "k")
    ring = crypto.MasterKeyring.from_sources(key_file=tmp_path / "k")
    assert ring.active_id == kid


@pytest.mark.parametrize("blank", [None, "", "  \n , \n"])
def test_no_key_raises_key_unavailable(crypto, blank):
    with pytest.raises(crypto.KeyUnavailableError, match="No master key"):
        crypto.MasterKeyring.from_sources(config_value=blank, env_value=blank)


@pytest.mark.parametrize(
    "text",
    [
        base64.b64encode(b"s3cr3t-short-key").decode(),  # 16 bytes
        base64.b64encode(b"x" * 33).decode(),  # too long
        "not*base64!!key$material$here",  # garbage
        "zzzz-zzzz+zzzz",  # mixes alphabets
        "密钥材料",  # not ASCII
    ],
)
def test_bad_key_raises_without_echoing_the_key(crypto, text):
    with pytest.raises(crypto.KeyUnavailableError) as info:
        crypto.MasterKeyring.from_sources(env_value=text)
    message = _all_messages(info.value)
    assert text not in message
    assert "32-byte" in message


def test_declared_key_id_must_match(crypto, key_a, key_b):
    text = f"{crypto.key_id(key_b)}:{crypto.encode_key(key_a)}"
    with pytest.raises(crypto.KeyUnavailableError, match="does not match") as info:
        crypto.MasterKeyring.from_sources(config_value=text)
    assert crypto.encode_key(key_a) not in _all_messages(info.value)


def test_unreadable_key_file(crypto, tmp_path):
    with pytest.raises(crypto.KeyUnavailableError, match="Cannot read"):
        crypto.MasterKeyring.from_sources(key_file=tmp_path / "absent.key")


def test_keyring_repr_hides_keys(crypto, ring, key_a):
    assert crypto.encode_key(key_a) not in repr(ring)
    assert key_a.hex() not in repr(ring)
    assert ring.active_id in repr(ring)


def test_generate_key_file_is_0600_and_refuses_overwrite(crypto, tmp_path):
    path = tmp_path / "master.key"
    old_umask = os.umask(0)  # the mode must not depend on the umask
    try:
        kid = crypto.generate_key_file(str(path))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = base64.b64decode(path.read_text().strip())
    assert len(key) == 32
    assert crypto.key_id(key) == kid
    content = path.read_bytes()
    with pytest.raises(FileExistsError):
        crypto.generate_key_file(str(path))
    assert path.read_bytes() == content


# --- data keys -------------------------------------------------------------


def test_wrap_unwrap_round_trip(crypto, ring):
    data_key = crypto.new_data_key()
    aad = crypto.make_aad("res.partner", "data_key", 7)
    token = crypto.wrap_data_key(ring, data_key, aad)
    version, kid, _nonce, _ct = token.split(".")
    assert version == "v1"
    assert kid == ring.active_id == crypto.token_key_id(token)
    assert data_key.hex() not in token
    assert crypto.unwrap_data_key(ring, token, aad) == data_key
    # a fresh nonce every time
    assert crypto.wrap_data_key(ring, data_key, aad) != token


def test_unwrap_with_wrong_aad_fails(crypto, ring):
    token = crypto.wrap_data_key(ring, crypto.new_data_key(), b"res.partner|k|1")
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(ring, token, b"res.partner|k|2")


def test_unwrap_with_unknown_key_id(crypto, ring, key_b):
    token = crypto.wrap_data_key(ring, crypto.new_data_key(), b"aad")
    other = crypto.MasterKeyring.from_keys(key_b)
    with pytest.raises(crypto.KeyUnavailableError) as info:
        crypto.unwrap_data_key(other, token, b"aad")
    assert ring.active_id in str(info.value)


def test_unwrap_with_same_id_but_wrong_key_fails(crypto, ring, key_b):
    token = crypto.wrap_data_key(ring, crypto.new_data_key(), b"aad")
    # a token whose key id was rewritten to point at another key
    forged = token.replace(ring.active_id, crypto.key_id(key_b))
    other = crypto.MasterKeyring.from_keys(key_b)
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(other, forged, b"aad")


def test_unwrap_tampered_token_fails(crypto, ring):
    token = crypto.wrap_data_key(ring, crypto.new_data_key(), b"aad")
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(ring, _flip_last_char(token), b"aad")


@pytest.mark.parametrize(
    "token", ["", "v1", "v2.0123456789abcdef.AAAA.AAAA", "v1.nothex!!nothex!.A.A"]
)
def test_malformed_wrapped_key(crypto, ring, token):
    with pytest.raises(crypto.DecryptionError, match="Malformed"):
        crypto.unwrap_data_key(ring, token, b"aad")


def test_rotation_rewraps_under_new_key(crypto, key_a, key_b):
    ring_a = crypto.MasterKeyring.from_keys(key_a)
    ring_ba = crypto.MasterKeyring.from_keys(key_b, key_a)
    ring_b = crypto.MasterKeyring.from_keys(key_b)
    data_key = crypto.new_data_key()
    aad = crypto.make_aad("res.partner", "privacy_data_key", 42)
    value = crypto.encrypt_value(data_key, SECRET, crypto.make_aad("p", "f", 42))

    old = crypto.wrap_data_key(ring_a, data_key, aad)
    assert crypto.token_key_id(old) == crypto.key_id(key_a)

    new = crypto.rewrap_data_key(ring_ba, old, aad)
    assert crypto.token_key_id(new) == crypto.key_id(key_b)
    # resumable: rewrapping again is a no-op
    assert crypto.rewrap_data_key(ring_ba, new, aad) == new

    # key A retired: B alone opens it, A alone does not
    unwrapped = crypto.unwrap_data_key(ring_b, new, aad)
    assert unwrapped == data_key
    assert (
        crypto.decrypt_value(unwrapped, value, crypto.make_aad("p", "f", 42)) == SECRET
    )
    with pytest.raises(crypto.KeyUnavailableError):
        crypto.unwrap_data_key(ring_a, new, aad)
    # and the old token still needs key A
    with pytest.raises(crypto.KeyUnavailableError):
        crypto.unwrap_data_key(ring_b, old, aad)


def test_rewrap_with_wrong_aad_fails(crypto, key_a, key_b):
    old = crypto.wrap_data_key(
        crypto.MasterKeyring.from_keys(key_a), crypto.new_data_key(), b"x|y|1"
    )
    with pytest.raises(crypto.DecryptionError):
        crypto.rewrap_data_key(
            crypto.MasterKeyring.from_keys(key_b, key_a), old, b"x|y|2"
        )


# --- values ----------------------------------------------------------------


def test_value_round_trip(crypto):
    data_key = crypto.new_data_key()
    aad = crypto.make_aad("res.partner", "privacy_id_number", 7)
    assert aad == b"res.partner|privacy_id_number|7"
    for text in (SECRET, "", "张三 / 北京市海淀区", "x" * 10_000):
        token = crypto.encrypt_value(data_key, text, aad)
        assert token.startswith("v1.") and token.count(".") == 2
        assert text not in token or not text
        assert crypto.decrypt_value(data_key, token, aad) == text


def test_value_is_bound_to_record_and_field(crypto):
    data_key = crypto.new_data_key()
    token = crypto.encrypt_value(
        data_key, SECRET, crypto.make_aad("res.partner", "id_number", 7)
    )
    for aad in (
        crypto.make_aad("res.partner", "id_number", 8),  # other record
        crypto.make_aad("res.partner", "bank_card", 7),  # other field
        crypto.make_aad("crm.lead", "id_number", 7),  # other model
    ):
        with pytest.raises(crypto.DecryptionError) as info:
            crypto.decrypt_value(data_key, token, aad)
        assert SECRET not in _all_messages(info.value)


def test_value_with_wrong_data_key_fails(crypto):
    aad = crypto.make_aad("m", "f", 1)
    token = crypto.encrypt_value(crypto.new_data_key(), SECRET, aad)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_value(crypto.new_data_key(), token, aad)


def test_tampered_value_fails(crypto):
    data_key = crypto.new_data_key()
    aad = crypto.make_aad("m", "f", 1)
    token = crypto.encrypt_value(data_key, SECRET, aad)
    version, nonce, ct = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(ct + "=" * (-len(ct) % 4)))
    raw[0] ^= 1
    bad_ct = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    for bad in (
        f"{version}.{nonce}.{bad_ct}",
        _flip_last_char(token),
        token[:-4],  # truncated
        f"{version}.{nonce}",
        "plain text, not a token",
    ):
        with pytest.raises(crypto.DecryptionError) as info:
            crypto.decrypt_value(data_key, bad, aad)
        assert SECRET not in _all_messages(info.value)


def test_crypto_shredding(crypto, ring):
    """Without its wrapped data key a value cannot be read by anybody."""
    data_key = crypto.new_data_key()
    aad = crypto.make_aad("m", "f", 1)
    token = crypto.encrypt_value(data_key, SECRET, aad)
    del data_key
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_value(crypto.new_data_key(), token, aad)


def test_bad_arguments(crypto):
    with pytest.raises(ValueError):
        crypto.encrypt_value(b"short", "x", b"aad")
    with pytest.raises(TypeError):
        crypto.encrypt_value(crypto.new_data_key(), "x", "not-bytes")
    with pytest.raises(TypeError):
        crypto.encrypt_value(crypto.new_data_key(), b"bytes", b"aad")


# --- blind index -----------------------------------------------------------


def test_blind_index_deterministic_and_separated(crypto):
    key = crypto.new_index_key()
    index = crypto.blind_index(key, "phone", "+8613800001234")
    assert index == crypto.blind_index(key, "phone", "+8613800001234")
    assert len(index) == 64 and int(index, 16) >= 0
    assert "13800001234" not in index
    # differs by value, by field and by key
    assert index != crypto.blind_index(key, "phone", "+8613800001235")
    assert index != crypto.blind_index(key, "mobile", "+8613800001234")
    assert index != crypto.blind_index(
        crypto.new_index_key(), "phone", "+8613800001234"
    )
    # the separator cannot be forged through the field name
    with pytest.raises(ValueError):
        crypto.blind_index(key, "phone\x00+86", "13800001234")


def test_blind_index_matches_hmac_definition(crypto):
    import hashlib
    import hmac

    key = crypto.new_index_key()
    expected = hmac.new(key, b"vat\x00ABC123", hashlib.sha256).hexdigest()
    assert crypto.blind_index(key, "vat", "ABC123") == expected


def test_derive_index_key(crypto, key_a, key_b):
    derived = crypto.derive_index_key(key_a)
    assert len(derived) == 32
    assert derived == crypto.derive_index_key(key_a)
    assert derived != crypto.derive_index_key(key_b)
    assert derived != key_a


def test_index_key_survives_master_key_rotation(crypto, key_a, key_b):
    index_key = crypto.new_index_key()
    stored = crypto.wrap_index_key(crypto.MasterKeyring.from_keys(key_a), index_key)
    assert (
        crypto.unwrap_data_key(
            crypto.MasterKeyring.from_keys(key_a), stored, b"blind-index-key"
        )
        == index_key
    )
    before = crypto.blind_index(index_key, "phone", "+8613800001234")

    stored = crypto.rewrap_data_key(
        crypto.MasterKeyring.from_keys(key_b, key_a), stored, crypto.INDEX_KEY_AAD
    )
    reloaded = crypto.unwrap_index_key(crypto.MasterKeyring.from_keys(key_b), stored)
    assert crypto.blind_index(reloaded, "phone", "+8613800001234") == before
