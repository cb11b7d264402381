"""Unit tests for customer_privacy/tools/masking.py (no database)."""

import random
import unicodedata

import pytest

FORMATS = ["phone", "resident_id", "bank_card", "name", "email", "address", "generic"]

SPEC_EXAMPLES = [
    # SPEC section 5 table, one row per example
    ("phone", "13812341234", {}, "138****1234"),
    ("phone", "+33 1 23 45 56 78", {}, "+33 * ** ** 56 78"),
    ("resident_id", "110101199003071234", {}, "110101********1234"),
    ("bank_card", "6222020200112341234", {}, "622202*********1234"),
    ("name", "张三", {}, "张*"),
    ("name", "张三", {"style": "title"}, "张先生/女士"),
    ("name", "John Smith", {}, "J*** Smith"),
    ("email", "zhangsan@example.com", {}, "z*******@example.com"),
    ("address", "北京市海淀区中关村大街27号", {}, "北京市海淀区******"),
]


@pytest.mark.parametrize(("fmt", "value", "opts", "expected"), SPEC_EXAMPLES)
def test_spec_examples(masking, fmt, value, opts, expected):
    assert masking.mask(fmt, value, **opts) == expected
    assert masking.MASKERS[fmt](value, **opts) == expected


@pytest.mark.parametrize(
    ("value", "opts", "expected"),
    [
        ("13812341234", {}, "138****1234"),
        ("138 1234 1234", {}, "138****1234"),
        ("138-1234-1234", {}, "138****1234"),
        ("+86 138 1234 1234", {}, "138****1234"),
        ("+8613812341234", {}, "138****1234"),
        ("0086 138 1234 1234", {}, "138****1234"),
        ("+86 138 1234 1234", {"region": "FR"}, "138****1234"),
        ("１３８１２３４１２３４", {}, "138****1234"),  # full-width digits
        ("Tel: 138 1234 1234", {}, "138****1234"),
        ("+33 1 23 45 56 78", {}, "+33 * ** ** 56 78"),
        ("0033 1 23 45 56 78", {}, "+33 * ** ** 56 78"),
        ("01 23 45 56 78", {"region": "FR"}, "+33 * ** ** 56 78"),
        ("01 23 45 56 78", {"region": "fr"}, "+33 * ** ** 56 78"),
        ("+44 20 7946 0958", {}, "+44 ** **** 0958"),
        ("+1 650-253-0000 ext. 12", {}, "+1 ***-***-0000"),
        ("010-12345678", {}, "+86 ** **** 5678"),  # CN landline
        ("+86 12345", {}, "+86 ***45"),  # never more than half the digits
        ("phone 12", {}, "******12"),  # unparseable: last 2 digits at most
        ("abc-12345", {}, "+86 ***45"),  # phonenumbers skips the leading letters
        ("call me", {}, "*******"),
        ("+86 123", {}, "*****23"),
        ("1234", {}, "****"),  # 4 characters or fewer: fully masked
        ("12", {}, "**"),
        ("13812341234", {"region": None}, "*********34"),
        ("", {}, ""),
        (None, {}, ""),
        (False, {}, ""),
    ],
)
def test_mask_phone(masking, value, opts, expected):
    assert masking.mask_phone(value, **opts) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("110101199003071234", "110101********1234"),
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        (" 110105 19491231 002X ", "110105********002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "110105********002X"),
        ("110101900307123", "110101******123"),  # 15-char legacy, YYMMDD hidden
        ("E12345678", "E*******8"),  # passport: generic
        ("12345", "*****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_resident_id(masking, value, expected):
    assert masking.mask_resident_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6222020200112341234", "622202*********1234"),
        ("6222 0202 0011 2341 234", "622202*********1234"),
        ("6222-0202-0011-2341-234", "622202*********1234"),
        ("4111111111111111", "411111******1111"),
        ("411111111111", "41******1111"),  # 12 digits: at least 6 stay hidden
        ("41111111111", "4******1111"),  # 11 digits
        ("4111111111", "******1111"),  # < 11 digits: last 4 at most
        ("12345678", "****5678"),
        ("123456", "***456"),  # never more than half
        ("123", "**3"),
        ("1", "*"),
        ("6222 abcd 1234", "6************4"),  # not digits: generic
        ("", ""),
    ],
)
def test_mask_bank_card(masking, value, expected):
    assert masking.mask_bank_card(value) == expected


@pytest.mark.parametrize(
    ("value", "opts", "expected"),
    [
        ("张三", {}, "张*"),
        ("张三丰", {}, "张**"),
        ("张", {}, "张*"),
        ("张 三", {}, "张*"),
        ("欧阳修", {}, "欧阳*"),
        ("欧阳娜娜", {}, "欧阳**"),
        ("司马相如", {}, "司马**"),
        ("欧阳", {}, "欧*"),  # two characters: single surname + given name
        ("张三", {"style": "title"}, "张先生/女士"),
        ("欧阳娜娜", {"style": "title"}, "欧阳先生/女士"),
        ("John Smith", {}, "J*** Smith"),
        ("John Ronald Tolkien", {}, "J*** R*** Tolkien"),
        ("  John   Smith ", {}, "J*** Smith"),
        ("Madonna", {}, "M***"),
        ("John Smith", {"style": "title"}, "Mr./Ms. Smith"),
        ("Madonna", {"style": "title"}, "M***"),
        ("John Smith", {"style": "unknown"}, "J*** Smith"),
        ("", {}, ""),
    ],
)
def test_mask_name(masking, value, opts, expected):
    assert masking.mask_name(value, **opts) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zhangsan@example.com", "z*******@example.com"),
        (" zhangsan@example.com ", "z*******@example.com"),
        ("li@example.com", "l***@example.com"),  # at least 3 stars
        ("a@example.com", "a***@example.com"),
        ("not-an-email", "n**********l"),  # malformed: generic
        ("a@b@example.com", "a*************m"),
        ("John <john@example.com>", "J*********************>"),
        ("", ""),
    ],
)
def test_mask_email(masking, value, expected):
    assert masking.mask_email(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("北京市海淀区中关村大街27号", "北京市海淀区******"),
        ("广东省深圳市南山区科技园南区1栋", "广东省深圳市南山区******"),
        ("上海市浦东新区张江镇博云路2号", "上海市浦东新区******"),
        (
            "新疆维吾尔自治区乌鲁木齐市天山区解放北路1号",
            "新疆维吾尔自治区乌鲁木齐市天山区******",
        ),
        (
            "内蒙古自治区鄂尔多斯市伊金霍洛旗阿勒腾席热镇",
            "内蒙古自治区鄂尔多斯市伊金霍洛旗******",
        ),
        (
            "湖北省恩施土家族苗族自治州恩施市舞阳大街1号",
            "湖北省恩施土家族苗族自治州恩施市******",
        ),
        ("香港特别行政区九龙城区太子道西1号", "香港特别行政区九龙城区******"),
        ("浙江省义乌市稠城街道工人北路1号", "浙江省义乌市******"),
        ("北京市中关村大街27号", "北京市******"),
        ("海淀区中关村大街27号", "海淀区******"),
        ("中关村大街27号", "******"),
        ("北京市海淀区", "北京市海淀区******"),
        ("27 Rue de Rivoli, 75001 Paris", "******, Paris"),
        ("1600 Amphitheatre Pkwy, Mountain View, CA 94043", "******, CA"),
        ("221B Baker Street, London NW1 6XE", "******, London"),
        ("10 Downing Street", "******"),
        ("Flat 3, 10 Downing Street", "******"),
        ("", ""),
    ],
)
def test_mask_address(masking, value, expected):
    assert masking.mask_address(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abcdefgh", "a******h"),
        ("abcdef", "a****f"),
        ("abcde", "*****"),
        ("ab", "**"),
        ("a" * 100_000, "a" + "*" * 32 + "a"),  # star runs are capped
        ("", ""),
        (None, ""),
        (0, "*"),
        (12345678, "1******8"),
    ],
)
def test_mask_generic(masking, value, expected):
    assert masking.mask_generic(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("x", "******"), ("secret value", "******"), ("******", "***"), ("", "")],
)
def test_mask_full(masking, value, expected):
    assert masking.mask_full(value) == expected


def test_maskers_keys(masking):
    assert set(masking.MASKERS) == {*FORMATS, "full"}


@pytest.mark.parametrize("fmt", ["nope", "", None, 42, ("phone",), ["phone"]])
def test_unknown_format_is_generic(masking, fmt):
    assert masking.mask(fmt, "secret value") == "s**********e"


def test_dispatcher_ignores_foreign_options(masking):
    assert masking.mask("email", "zhangsan@example.com", style="title") == (
        "z*******@example.com"
    )
    assert masking.mask("full", "x", region="FR") == "******"


HOSTILE_INPUTS = [
    None,
    False,
    True,
    0,
    12,
    -1,
    3.14,
    10**40,
    b"\xff",
    b"13812341234",
    bytearray(b"abc"),
    "",
    " ",
    "a",
    "ab",
    "abc",
    "a" * 100_000,
    "1" * 100_000,
    "张" * 100_000,
    "a@" + "b" * 100_000 + ".com",
    "x " * 50_000,
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "'; DROP TABLE res_partner; --",
    "\x00\n\t",
    "\x00" * 10,
    "abc\x00def\x1bghi",
    "\u202eevil\u202c",
    "１３８００１３８０００",
    "😀",
    "😀😀😀",
    "👨‍👩‍👧‍👦 family",
    "\ud800\udfff",
    "Zalgo z̸̢̛a̷l̶g̵o̴",
    "%s%s%s%n",
    "{0.__class__}",
    "../../etc/passwd",
    "@",
    "@@@",
    "a@b",
    "+",
    "+86",
    "+8613800138000" * 10,
    "11010519491231002X" * 3,
    "*****",
    "******",
    "北京市",
    "欧阳",
    "市市市市市市市市市市市市市",
    "自治区自治区自治区",
    ",,,,",
    ", , Paris",
    [1, 2, 3],
    {"a": 1},
    object(),
]

BIDI_CONTROLS = set(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

OPTION_VARIANTS = [
    {},
    {"region": "FR"},
    {"region": None},
    {"region": 42},
    {"style": "title"},
    {"style": None},
    {"unexpected": object()},
]


@pytest.mark.parametrize("fmt", [*FORMATS, "full"])
def test_hostile_inputs_never_raise_nor_leak(masking, fmt):
    masker = masking.MASKERS[fmt]
    for value in HOSTILE_INPUTS:
        for opts in OPTION_VARIANTS:
            context = f"{fmt} {opts} {repr(value)[:60]}"
            result = masker(value, **opts)
            assert isinstance(result, str), context
            assert result == masking.mask(fmt, value, **opts), context
            assert not any(unicodedata.category(c) == "Cc" for c in result), context
            assert not BIDI_CONTROLS & set(result), context
            assert len(result) <= 200, context
            if isinstance(value, str) and len(value) > 2:
                assert result != value, context
                assert result != value.strip() or len(value.strip()) <= 2, context
            if value is None or value is False or value == "":
                assert result == "", context


def _random_digits(rng, count):
    return "".join(rng.choice("0123456789") for _ in range(count))


def _random_mobile(rng):
    return "1" + rng.choice("3456789") + _random_digits(rng, 9)


MOBILE_LAYOUTS = [
    "{}",
    "+86{}",
    "+86 {}",
    "0086{}",
    "{0[0]}{0[1]}{0[2]} {0[3]}{0[4]}{0[5]}{0[6]} {0[7]}{0[8]}{0[9]}{0[10]}",
    "{0[0]}{0[1]}{0[2]}-{0[3]}{0[4]}{0[5]}{0[6]}-{0[7]}{0[8]}{0[9]}{0[10]}",
]


def test_cn_mobile_middle_digits_never_in_position(masking):
    rng = random.Random(20260101)
    for index in range(200):
        mobile = _random_mobile(rng)
        layout = MOBILE_LAYOUTS[index % len(MOBILE_LAYOUTS)]
        result = masking.mask_phone(layout.format(mobile))
        assert len(result) == 11, (mobile, result)
        assert result[:3] == mobile[:3]
        assert result[3:7] == "****"
        assert result[7:] == mobile[7:]


def test_resident_id_birth_date_never_visible(masking):
    rng = random.Random(1949)
    for _ in range(200):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        birth = f"{rng.randint(1900, 2020)}{month:02d}{day:02d}"
        number = f"{rng.randint(110000, 659999)}{birth}{rng.randint(0, 999):03d}"
        number += rng.choice("0123456789X")
        result = masking.mask_resident_id(number)
        assert result[6:14] == "********", (number, result)
        assert result == number[:6] + "*" * 8 + number[-4:]


def test_bank_card_shows_at_most_bin_and_last_four(masking):
    rng = random.Random(6222)
    for _ in range(200):
        length = rng.randint(1, 25)
        digits = _random_digits(rng, length)
        result = masking.mask_bank_card(digits)
        visible = sum(c != "*" for c in result)
        assert len(result) == min(length, len(result))
        assert visible <= 10
        assert visible <= length // 2 or length >= 11
        if length >= 10:
            assert result.count("*") >= 6
