"""Unit tests for customer_privacy/tools/validation.py (no database)."""

import datetime

import pytest

KNOWN_VALID_ID = "11010519491231002X"  # published GB 11643 example
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check_char(first17):
    """Independent ISO 7064 MOD 11-2 check character, for building test IDs."""
    remainder = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11
    return "10X98765432"[remainder]


def _with_check(first17):
    return first17 + _check_char(first17)


def _wrong_check(first17):
    right = _check_char(first17)
    return first17 + ("0" if right != "0" else "1")


def _luhn_complete(partial):
    """Append the Luhn check digit to ``partial``."""
    total = 0
    for position, char in enumerate(reversed(partial)):
        digit = int(char)
        if position % 2 == 0:  # doubled once the check digit is appended
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return partial + str((10 - total % 10) % 10)


def test_known_example_check_char():
    assert _check_char(KNOWN_VALID_ID[:17]) == "X"


@pytest.mark.parametrize(
    "value",
    [
        KNOWN_VALID_ID,
        KNOWN_VALID_ID.lower(),
        f" {KNOWN_VALID_ID} ",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width
        _with_check("11010119900307123"),
        _with_check("44030420000229001"),  # leap day
        _with_check("31011519000101123"),
    ],
)
def test_valid_resident_ids(validation, value):
    assert validation.is_valid_resident_id(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002Y",
        "110105194912310021",  # wrong check digit
        _wrong_check("11010119900307123"),
        _with_check("11010119900230123"),  # 30 February
        _with_check("11010119901301123"),  # month 13
        _with_check("11010118991231123"),  # before 1900
        _with_check(f"110101{datetime.date.today().year + 1}0101123"),  # future
        "11010519491231002",  # 17 characters
        "11010519491231002XX",
        "110105194912310",  # 15-character legacy IDs have no checksum
        "X1010519491231002X",
        "1101051949123100２X"[:-2] + "a2X",
        "",
        None,
        False,
        0,
        11010519491231002,
        b"\xff",
        "1" * 100_000,
    ],
)
def test_invalid_resident_ids(validation, value):
    assert validation.is_valid_resident_id(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 11010519491231002x ", KNOWN_VALID_ID),
        ("110105 19491231\t002x", KNOWN_VALID_ID),
        ("１１０１０５１９４９１２３１００２ｘ", KNOWN_VALID_ID),
        ("e12345678", "E12345678"),
        (None, ""),
        (False, ""),
        ("", ""),
    ],
)
def test_normalize_resident_id(validation, value, expected):
    assert validation.normalize_resident_id(value) == expected


CN_CARD = _luhn_complete("622202020011234123")


def test_luhn_helper_agrees_with_known_numbers():
    assert _luhn_complete("411111111111111") == "4111111111111111"
    assert CN_CARD == "6222020200112341231"


@pytest.mark.parametrize(
    "value",
    [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "４１１１１１１１１１１１１１１１",  # full-width
        CN_CARD,
        "6222 0202 0011 2341 231",
        _luhn_complete("12345678901"),  # 12 digits
        _luhn_complete("123456789012345678"),  # 19 digits
        4111111111111111,
    ],
)
def test_valid_bank_cards(validation, value):
    assert validation.is_valid_bank_card(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "4111111111111112",
        "6222020200112341234",  # SPEC masking example, fails Luhn
        "6222020200112341232",
        _luhn_complete("1234567890"),  # 11 digits
        _luhn_complete("1234567890123456789"),  # 20 digits
        "0" * 11,
        "4111 1111 1111 111a",
        "4111_1111_1111_1111",
        "",
        None,
        False,
        b"\xff",
        "9" * 100_000,
        "١١١١١١١١١١١١١١١١",  # Arabic-Indic digits are not card digits
    ],
)
def test_invalid_bank_cards(validation, value):
    assert validation.is_valid_bank_card(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4111 1111-1111 1111", "4111111111111111"),
        (" 6222\t0202 ", "62220202"),
        ("４１１１", "4111"),
        (None, ""),
        ("", ""),
    ],
)
def test_normalize_bank_card(validation, value, expected):
    assert validation.normalize_bank_card(value) == expected


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("13800138000", "CN", "+8613800138000"),
        ("138 0013 8000", "CN", "+8613800138000"),
        ("+86 138-0013-8000", "CN", "+8613800138000"),
        ("0086 138 0013 8000", "CN", "+8613800138000"),
        ("１３８００１３８０００", "CN", "+8613800138000"),
        ("010-12345678", "CN", "+861012345678"),
        ("+33 1 23 45 56 78", "CN", "+33123455678"),
        ("01 23 45 56 78", "FR", "+33123455678"),
        ("01 23 45 56 78", "fr", "+33123455678"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("13800138000", None, None),  # no region, no country code
        ("12345", "CN", None),
        ("not a phone", "CN", None),
        ("", "CN", None),
        (None, "CN", None),
        (False, "CN", None),
        (b"\xff", "CN", None),
        ("1" * 100_000, "CN", None),
        ("13800138000", "XX", None),
        ("13800138000", 42, None),
    ],
)
def test_normalize_phone(validation, value, region, expected):
    assert validation.normalize_phone(value, region=region) == expected


def test_normalize_phone_default_region_is_cn(validation):
    assert validation.normalize_phone("13800138000") == "+8613800138000"


@pytest.mark.parametrize(
    "value",
    [
        "zhangsan@example.com",
        "Zhang.San+crm@mail.example.com.cn",
        " zhangsan@example.com ",
        "zhangsan@example.com\n",  # surrounding whitespace is stripped
        "a@b.co",
        "zhangsan@my-company.example.com",
        "o'brien@example.ie",
        "用户@例子.中国",
        "x" * 64 + "@example.com",
    ],
)
def test_valid_emails(validation, value):
    assert validation.is_valid_email(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "zhangsan",
        "zhangsan@",
        "@example.com",
        "zhang san@example.com",
        "zhangsan@exa mple.com",
        "zhangsan@@example.com",
        "a@b@example.com",
        "zhangsan@localhost",
        "zhangsan@example",
        "zhangsan@example.c",
        "zhangsan@example.123",
        "zhangsan@.example.com",
        "zhangsan@example.com.",
        "zhangsan@example..com",
        "zhangsan@-example.com",
        "zhangsan@exa_mple.com",
        "zhangsan@example-.com",
        "zhangsan@" + "a" * 64 + ".com",
        ".zhangsan@example.com",
        "zhangsan.@example.com",
        "zhang..san@example.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 300 + ".com",
        "John <john@example.com>",
        "a@example.com, b@example.com",
        "zhang\x00san@example.com",
        "",
        None,
        False,
        b"\xff",
        42,
    ],
)
def test_invalid_emails(validation, value):
    assert validation.is_valid_email(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" ZhangSan@Example.COM ", "zhangsan@example.com"),
        ("zhangsan@example.com", "zhangsan@example.com"),
        (None, ""),
        (False, ""),
        ("", ""),
    ],
)
def test_normalize_email(validation, value, expected):
    assert validation.normalize_email(value) == expected


HOSTILE_INPUTS = [
    None,
    False,
    True,
    0,
    12,
    3.14,
    10**40,
    b"\xff",
    bytearray(b"abc"),
    "",
    " ",
    "a" * 100_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00\n\t",
    "１３８００１３８０００",
    "😀😀😀",
    "\ud800",
    "@",
    [1, 2],
    {"a": 1},
    object(),
]


def test_hostile_inputs_never_raise(validation):
    for value in HOSTILE_INPUTS:
        context = repr(value)[:60]
        assert isinstance(validation.is_valid_resident_id(value), bool), context
        assert isinstance(validation.is_valid_bank_card(value), bool), context
        assert isinstance(validation.is_valid_email(value), bool), context
        assert isinstance(validation.normalize_resident_id(value), str), context
        assert isinstance(validation.normalize_bank_card(value), str), context
        assert isinstance(validation.normalize_email(value), str), context
        for region in ("CN", None, 42, "ZZ"):
            result = validation.normalize_phone(value, region=region)
            assert result is None or result.startswith("+"), context


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("+86 138 0013 8000", "CN", True),
        ("138 0013 8000", "CN", True),
        ("010 6552 8800", "CN", True),
        ("+1 555-555-5556", "US", True),  # fictitious but possible
        ("01 23 45 67 89", "FR", True),
        ("１３８００１３８０００", "CN", True),  # full-width digits
        ("call me maybe", "CN", False),
        ("12", "CN", False),
        ("+86 1380013800012345", "CN", False),
        ("", "CN", False),
        (None, "CN", False),
        ("9" * 100, "CN", False),
        ("+86 138 0013 8000", None, True),
        ("138 0013 8000", "ZZ", False),
    ],
)
def test_is_possible_phone(validation, value, region, expected):
    assert validation.is_possible_phone(value, region) is expected
