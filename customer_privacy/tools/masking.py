"""Masking formats for personal data (GB/T 35273 display restriction).

Pure functions, no ORM access. Every public ``mask_x(value, **opts)``:

- accepts anything (None, False, int, bytes, huge or hostile strings) and never
  raises; None, False and blank input give ``""``;
- returns a ``str`` that never equals the clear value when that value is longer
  than 2 characters, and never shows more clear characters than its format allows;
- drops control and bidirectional override characters, so the result is safe
  to put in a single-line label.

``mask(fmt, value, **opts)`` dispatches on a format key of :data:`MASKERS`.
"""

import functools
import re
import unicodedata

import phonenumbers

FULL_MASK = "******"
MAX_STARS = 32  # a run of stars never grows past this, whatever the input size
MAX_PHONE_INPUT = 64  # longer text is not a phone number, skip phonenumbers

_DIGITS = frozenset("0123456789")
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_BIDI_CONTROLS_RE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CN_MOBILE_RE = re.compile(r"(\+86|0086|86)?(1[0-9]{10})")
_PHONE_SEPARATORS_RE = re.compile(r"[\s\-().]")
_RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}")

CN_COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
    }
)
NAME_TITLE_SUFFIX = "先生/女士"
LATIN_NAME_TITLE = "Mr./Ms."
MAX_SURNAME_LEN = 64
MAX_NAME_WORDS = 8  # longer text is not a person's name: generic mask

# Chinese administrative levels, outermost first: (suffix, longest name before it).
# Autonomous units carry ethnic group names, so they get a longer name allowance.
_CN_ADDRESS_LEVELS = (
    (("特别行政区", 4), ("自治区", 10), ("省", 4)),  # province
    (("自治州", 10), ("地区", 4), ("盟", 4), ("市", 4)),  # prefecture
    (  # county: the last level that stays visible
        ("自治县", 10),
        ("自治旗", 10),
        ("林区", 4),
        ("特区", 4),
        ("区", 4),
        ("县", 4),
        ("旗", 4),
        ("市", 4),
    ),
)
_CN_ADDRESS_MAX_NAME = 10
# Characters that belong to street-level detail, never to a region name.
_CN_ADDRESS_STOP_CHARS = frozenset("街号巷弄村楼室栋幢层")

_LATIN_ADDRESS_STREET_WORDS = frozenset(
    {
        "apartment",
        "apt",
        "ave",
        "avenue",
        "blvd",
        "boulevard",
        "building",
        "calle",
        "chemin",
        "court",
        "ct",
        "dr",
        "drive",
        "flat",
        "floor",
        "highway",
        "lane",
        "ln",
        "no",
        "place",
        "pl",
        "rd",
        "road",
        "room",
        "route",
        "rue",
        "st",
        "str",
        "strasse",
        "straße",
        "street",
        "suite",
        "unit",
        "via",
        "way",
    }
)
_LATIN_REGION_MAX_LEN = 40
_LATIN_REGION_MAX_WORDS = 4


# -------------------------------------------------------------------- helpers


def _to_text(value):
    """Coerce any value to a single-line ``str``; None/False/unprintable -> ``""``.

    Control characters become spaces, bidirectional overrides are dropped (they
    could reorder what the user sees), surrounding whitespace is stripped.
    """
    if value is None or value is False:
        return ""
    try:
        if isinstance(value, bytes | bytearray):
            text = bytes(value).decode("utf-8", errors="replace")
        else:
            text = value if isinstance(value, str) else str(value)
    except Exception:
        return ""
    if text.isprintable():
        # the common case: no control or bidi character (those are not
        # printable), so the two substitutions below would change nothing
        return text.strip()
    text = _BIDI_CONTROLS_RE.sub("", text)
    return _CONTROL_CHARS_RE.sub(" ", text).strip()


def _nfkc(text):
    """Fold full-width digits and letters to ASCII (compatibility normalisation)."""
    return unicodedata.normalize("NFKC", text)


def _stars(count):
    """``count`` stars, capped at :data:`MAX_STARS`."""
    return "*" * max(0, min(count, MAX_STARS))


def _is_cjk(char):
    """True for a CJK unified ideograph (Chinese character)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2EBEF
        or 0xF900 <= code <= 0xFAFF
    )


def _guard(result, *clear_values):
    """Last line of defence: never hand back a clear value longer than 2 chars."""
    for clear in clear_values:
        if len(clear) > 2 and result == clear:
            for candidate in (_stars(len(clear)), FULL_MASK, "***"):
                if candidate != clear:
                    return candidate
    return result


def _masker(func):
    """Apply the rules shared by every masker around ``func(text, **opts)``.

    ``func`` receives the input already coerced by :func:`_to_text` and non-empty.
    Any exception gives a fully masked value instead of propagating.
    """

    @functools.wraps(func)
    def wrapper(value, **opts):
        text = _to_text(value)
        if not text:
            return ""
        try:
            result = func(text, **opts)
            if not isinstance(result, str):
                result = _stars(len(text))
        except Exception:
            result = _stars(len(text))
        raw = value if isinstance(value, str) else text
        return _guard(result, text, raw)

    return wrapper


# -------------------------------------------------------------------- generic


@_masker
def mask_generic(value, **_opts):
    """Keep the first and last character when there are at least 6, else all stars.

    ``"abcdefgh"`` -> ``"a******h"``, ``"abc"`` -> ``"***"``.
    """
    if len(value) >= 6:
        return value[0] + _stars(len(value) - 2) + value[-1]
    return _stars(len(value))


@_masker
def mask_full(value, **_opts):
    """Hide everything: any non-empty value -> ``"******"``."""
    return FULL_MASK


# ---------------------------------------------------------------------- phone


def _mask_cn_mobile(national):
    """``"13812341234"`` -> ``"138****1234"``."""
    return national[:3] + "****" + national[-4:]


def _cn_mobile_digits(text, region):
    """The 11 national digits if ``text`` is a China mobile number, else None."""
    compact = _PHONE_SEPARATORS_RE.sub("", text)
    match = _CN_MOBILE_RE.fullmatch(compact)
    if not match:
        return None
    if match.group(1) is None and region != "CN":
        return None  # without +86 the number is only Chinese in the CN region
    return match.group(2)


def _star_digits(rest):
    """Star the digits of ``rest`` but the last 4 (never more than half),
    keeping every separator: ``" 1 23 45 56 78"`` -> ``" * ** ** 56 78"``."""
    total = sum(c in _DIGITS for c in rest)
    keep = min(4, total // 2)
    seen = 0
    out = []
    for char in rest:
        if char in _DIGITS:
            out.append("*" if seen < total - keep else char)
            seen += 1
        else:
            out.append(char)
    return "".join(out)


def _mask_international(number):
    """Keep ``+CC`` and the last 4 digits, star the rest, keep the grouping.

    ``+33 1 23 45 56 78`` -> ``+33 * ** ** 56 78``. Never more than half of the
    national digits stay visible.
    """
    number.extension = None
    formatted = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    prefix = f"+{number.country_code}"
    if not formatted.startswith(prefix):
        return None
    rest = formatted[len(prefix) :]
    return prefix + _star_digits(rest)


_INTL_FORMATTED_RE = re.compile(r"\+[1-9][0-9]{0,2}(?:[ -][0-9]{1,6}){2,6}")


def _mask_formatted_international(text):
    """Fast path for a number already written ``+CC group group ...`` (how
    Odoo stores formatted phones): keep its grouping, ``+CC`` and at most the
    last 4 (and never more than half) of the national digits, without a
    round trip through ``phonenumbers``. None when ``text`` has another shape
    or its country code is unknown."""
    if not _INTL_FORMATTED_RE.fullmatch(text):
        return None
    head, _sep, rest = text.partition(" ")
    if not rest or "-" in head:
        return None
    code = int(head[1:])
    if code not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        return None
    if sum(c in _DIGITS for c in rest) < 4:
        return None
    return f"{head} {_star_digits(rest)}"


def _mask_unparseable_phone(text):
    """At most the last 2 digits stay; 4 characters or fewer are fully masked.

    ``"phone 12"`` -> ``"******12"``.
    """
    if len(text) <= 4:
        return _stars(len(text))
    keep = 0
    while keep < 2 and text[-1 - keep] in _DIGITS:
        keep += 1
    tail = text[len(text) - keep :] if keep else ""
    return _stars(len(text) - keep) + tail


@_masker
def mask_phone(value, region="CN", **_opts):
    """Mask a phone number.

    - China mobile: ``"+86 138 1234 1234"`` -> ``"138****1234"``
    - other numbers: ``"+33 1 23 45 56 78"`` -> ``"+33 * ** ** 56 78"``
    - unparseable: ``"phone 12"`` -> ``"******12"``
    """
    text = _nfkc(value)
    region = str(region).upper() if region else None
    mobile = _cn_mobile_digits(text, region)
    if mobile:
        return _mask_cn_mobile(mobile)
    formatted = _mask_formatted_international(text)
    if formatted:
        return formatted
    if len(text) <= MAX_PHONE_INPUT:
        try:
            number = phonenumbers.parse(text, region)
        except Exception:
            number = None
        if number is not None and phonenumbers.is_possible_number(number):
            national = str(number.national_number)
            if number.country_code == 86 and _CN_MOBILE_RE.fullmatch(national):
                return _mask_cn_mobile(national)
            masked = _mask_international(number)
            if masked:
                return masked
    return _mask_unparseable_phone(text)


# ---------------------------------------------------------------- identifiers


@_masker
def mask_resident_id(value, **_opts):
    """First 6 + last 4 of an 18-character resident ID; the birth date never shows.

    ``"110101199003071234"`` -> ``"110101********1234"``. A 15-character legacy ID
    keeps only its last 3 (its birth date ends at position 12):
    ``"110101900307123"`` -> ``"110101******123"``. Anything else: generic mask.
    """
    compact = "".join(_nfkc(value).split()).upper()
    if not _RESIDENT_ID_RE.fullmatch(compact):
        return mask_generic(value)
    tail = 4 if len(compact) == 18 else 3
    return compact[:6] + _stars(len(compact) - 6 - tail) + compact[-tail:]


@_masker
def mask_bank_card(value, **_opts):
    """BIN (6) + last 4 of a card number, spaces and dashes ignored.

    ``"6222 0202 0011 2341 234"`` -> ``"622202*********1234"``. At least 6 digits are
    always hidden (the BIN shrinks on short numbers); below 11 digits only the last
    4 at most, never more than half of the digits: ``"12345678"`` -> ``"****5678"``.
    """
    digits = re.sub(r"[\s\-]", "", _nfkc(value))
    if not digits or any(c not in _DIGITS for c in digits):
        return mask_generic(value)
    length = len(digits)
    if length < 11:
        keep = min(4, length // 2)
        return _stars(length - keep) + digits[length - keep :]
    bin_len = min(6, length - 4 - 6)
    return digits[:bin_len] + _stars(length - bin_len - 4) + digits[-4:]


# ----------------------------------------------------------------------- name


def _cn_surname(name):
    """The surname of a Chinese name: compound surnames need 3+ characters."""
    if len(name) >= 3 and name[:2] in CN_COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def _mask_cn_name(name, style):
    """``"张三"`` -> ``"张*"``, ``"欧阳娜娜"`` -> ``"欧阳**"``.

    Title style: ``"张先生/女士"``.
    """
    compact = "".join(name.split())
    surname = _cn_surname(compact)
    if style == "title":
        return surname + NAME_TITLE_SUFFIX
    return surname + _stars(max(1, len(compact) - len(surname)))


def _mask_latin_word(word):
    """``"John"`` -> ``"J***"``."""
    return word[0] + "***"


def _mask_latin_name(name, style):
    """``"John Smith"`` -> ``"J*** Smith"``, ``"Madonna"`` -> ``"M***"``.

    The last word is taken as the surname and stays visible; title style gives
    ``"Mr./Ms. Smith"``.
    """
    words = name.split()
    if len(words) > MAX_NAME_WORDS:
        return mask_generic(name)
    surname = words[-1]
    if len(words) == 1 or len(surname) > MAX_SURNAME_LEN:
        return " ".join(_mask_latin_word(word) for word in words[:3])
    if style == "title":
        return f"{LATIN_NAME_TITLE} {surname}"
    return " ".join([*(_mask_latin_word(word) for word in words[:-1]), surname])


@_masker
def mask_name(value, style="star", **_opts):
    """Keep the surname only.

    ``"张三"`` -> ``"张*"`` (style ``"title"``: ``"张先生/女士"``),
    ``"欧阳修"`` -> ``"欧阳*"``, ``"John Smith"`` -> ``"J*** Smith"``.
    """
    if _is_cjk(value[0]):
        return _mask_cn_name(value, style)
    return _mask_latin_name(value, style)


# ---------------------------------------------------------------------- email


def _split_email(text):
    """``(local, domain)`` of a plausible address, else None."""
    if text.count("@") != 1 or any(c.isspace() for c in text):
        return None
    local, domain = text.split("@")
    if not 1 <= len(local) <= 64 or not 3 <= len(domain) <= 253:
        return None
    if "." not in domain or domain[0] == "." or domain[-1] == ".":
        return None
    return local, domain


@_masker
def mask_email(value, **_opts):
    """First character of the local part, at least 3 stars, then the domain.

    ``"zhangsan@example.com"`` -> ``"z*******@example.com"``,
    ``"li@example.com"`` -> ``"l***@example.com"``. Malformed: generic mask.
    """
    parts = _split_email(value)
    if parts is None:
        return mask_generic(value)
    local, domain = parts
    return local[0] + _stars(max(3, len(local) - 1)) + "@" + domain


# -------------------------------------------------------------------- address


def _match_cn_unit(text, start, suffixes):
    """End index of the administrative unit starting at ``start``, else None.

    Tries the shortest name first; a name is Chinese characters only, without
    street-level characters.
    """
    limit = min(len(text), start + _CN_ADDRESS_MAX_NAME + 1)
    for end in range(start + 1, limit):
        char = text[end - 1]
        if not _is_cjk(char) or char in _CN_ADDRESS_STOP_CHARS:
            return None
        for suffix, max_name in suffixes:
            if end - start <= max_name and text.startswith(suffix, end):
                return end + len(suffix)
    return None


def _cn_region_prefix(text):
    """Leading province/prefecture/county part of a Chinese address.

    ``"北京市海淀区中关村大街27号"`` -> ``"北京市海淀区"``; ``""`` if none.
    """
    position = 0
    for suffixes in _CN_ADDRESS_LEVELS:
        end = _match_cn_unit(text, position, suffixes)
        if end is not None:
            position = end
    return text[:position]


def _latin_region(text):
    """City/region from the last comma-separated part of an address, else ``""``.

    Postcodes (words with digits) are dropped; street words disqualify the part.
    ``"27 Rue de Rivoli, 75001 Paris"`` -> ``"Paris"``.
    """
    parts = [part.strip() for part in text.split(",")]
    if len(parts) < 2:
        return ""
    words = [w for w in parts[-1].split() if not any(c.isdigit() for c in w)]
    if not words or len(words) > _LATIN_REGION_MAX_WORDS:
        return ""
    for word in words:
        if word.lower().strip(".") in _LATIN_ADDRESS_STREET_WORDS:
            return ""
        if not all(c.isalpha() or c in "-'." for c in word):
            return ""
    region = " ".join(words)
    return region if len(region) <= _LATIN_REGION_MAX_LEN else ""


@_masker
def mask_address(value, **_opts):
    """Keep the region, hide the detail.

    ``"北京市海淀区中关村大街27号"`` -> ``"北京市海淀区******"``,
    ``"27 Rue de Rivoli, 75001 Paris"`` -> ``"******, Paris"``,
    ``"10 Downing Street"`` -> ``"******"``.
    """
    if _is_cjk(value[0]):
        return _cn_region_prefix(value) + FULL_MASK
    region = _latin_region(value)
    return f"{FULL_MASK}, {region}" if region else FULL_MASK


# ------------------------------------------------------------------- dispatch

MASKERS = {
    "phone": mask_phone,
    "resident_id": mask_resident_id,
    "bank_card": mask_bank_card,
    "name": mask_name,
    "email": mask_email,
    "address": mask_address,
    "generic": mask_generic,
    "full": mask_full,
}


def mask(fmt, value, **opts):
    """Mask ``value`` with the format named ``fmt``; unknown formats are generic.

    ``mask("phone", "13812341234")`` -> ``"138****1234"``.
    """
    masker = MASKERS.get(fmt, mask_generic) if isinstance(fmt, str) else mask_generic
    return masker(value, **opts)


def looks_masked(value):
    """Whether ``value`` carries the mask character: such a value came from a
    masked read and is never real data to store."""
    return isinstance(value, str) and "*" in value
