"""Validation and normalisation of personal identifiers.

Pure functions, no ORM access. None of them raises, whatever the input:
validators return ``False``, normalisers return ``""`` (or ``None`` for phones).
Normalised values are what the blind index hashes (E.164 phones, upper-case IDs).
"""

import datetime
import re
import unicodedata

import phonenumbers

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
RESIDENT_ID_MIN_BIRTH_YEAR = 1900
BANK_CARD_MIN_DIGITS = 12
BANK_CARD_MAX_DIGITS = 19
EMAIL_MAX_LOCAL = 64
EMAIL_MAX_LENGTH = 254
MAX_PHONE_INPUT = 64

_RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
_BANK_CARD_RE = re.compile(r"[0-9]+")
_BANK_CARD_SEPARATORS_RE = re.compile(r"[\s\-]")
_EMAIL_FORBIDDEN = frozenset('<>()[]\\,;:"')
# letters/digits (any script), inner hyphens; no underscore, no edge hyphen
_DOMAIN_LABEL_RE = re.compile(r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?")
DOMAIN_LABEL_MAX = 63


def _to_text(value):
    """Coerce any value to ``str``; None/False/undecodable -> ``""``."""
    if value is None or value is False:
        return ""
    try:
        if isinstance(value, bytes | bytearray):
            return bytes(value).decode("utf-8", errors="replace")
        return value if isinstance(value, str) else str(value)
    except Exception:
        return ""


def _nfkc(text):
    """Fold full-width digits and letters to ASCII (compatibility normalisation)."""
    try:
        return unicodedata.normalize("NFKC", text)
    except Exception:
        return text


# ---------------------------------------------------------------- resident ID


def normalize_resident_id(value):
    """Remove whitespace and upper-case: ``" 11010519491231002x "`` -> ``"...002X"``."""
    return "".join(_nfkc(_to_text(value)).split()).upper()


def resident_id_check_char(first17):
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) of 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def _valid_birth_date(yyyymmdd):
    """A real calendar date between 1900-01-01 and today."""
    try:
        born = datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return RESIDENT_ID_MIN_BIRTH_YEAR <= born.year and born <= datetime.date.today()


def is_valid_resident_id(value):
    """True for an 18-character resident ID with a valid birth date and checksum.

    ``"11010519491231002X"`` (or ``...002x``) is valid.
    """
    try:
        number = normalize_resident_id(value)
        if not _RESIDENT_ID_RE.fullmatch(number):
            return False
        if not _valid_birth_date(number[6:14]):
            return False
        return resident_id_check_char(number[:17]) == number[17]
    except Exception:
        return False


# ------------------------------------------------------------------ bank card


def normalize_bank_card(value):
    """Remove spaces and dashes: ``"4111 1111-1111 1111"`` -> ``"4111111111111111"``."""
    return _BANK_CARD_SEPARATORS_RE.sub("", _nfkc(_to_text(value)))


def luhn_ok(digits):
    """Luhn (mod 10) checksum of a string of ASCII digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_valid_bank_card(value):
    """True for 12-19 digits (spaces/dashes ignored) passing Luhn.

    ``"4111 1111 1111 1111"`` is valid.
    """
    try:
        digits = normalize_bank_card(value)
        if not BANK_CARD_MIN_DIGITS <= len(digits) <= BANK_CARD_MAX_DIGITS:
            return False
        return bool(_BANK_CARD_RE.fullmatch(digits)) and luhn_ok(digits)
    except Exception:
        return False


# ---------------------------------------------------------------------- phone


def normalize_phone(value, region="CN"):
    """E.164 form of a valid number, else None.

    ``"138 0013 8000"`` -> ``"+8613800138000"``; ``"01 23 45 56 78"`` with region
    ``"FR"`` -> ``"+33123455678"``.
    """
    try:
        text = _nfkc(_to_text(value)).strip()
        if not text or len(text) > MAX_PHONE_INPUT:
            return None
        region = str(region).upper() if region else None
        number = phonenumbers.parse(text, region)
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except Exception:
        return None


def is_possible_phone(value, region="CN"):
    """True when ``value`` can be a phone number (digits, length and country
    code plausible; ``phonenumbers.is_possible_number``). Looser than
    :func:`normalize_phone`: numbers of ranges not yet allocated, or
    fictitious ones such as 555 numbers, still pass; words and digits of the
    wrong length do not.

    ``"+86 138 0013 8000"`` -> True, ``"call me"`` -> False, ``"12"`` -> False.
    """
    try:
        text = _nfkc(_to_text(value)).strip()
        if not text or len(text) > MAX_PHONE_INPUT:
            return False
        region = str(region).upper() if region else None
        return phonenumbers.is_possible_number(phonenumbers.parse(text, region))
    except Exception:
        return False


# ---------------------------------------------------------------------- email


def normalize_email(value):
    """Strip and lower-case: ``" Zhang@Example.COM "`` -> ``"zhang@example.com"``."""
    return _to_text(value).strip().lower()


def _bad_email_char(char):
    return char.isspace() or not char.isprintable() or char in _EMAIL_FORBIDDEN


def _valid_email_local(local):
    if not 1 <= len(local) <= EMAIL_MAX_LOCAL:
        return False
    return not (local.startswith(".") or local.endswith(".") or ".." in local)


def _valid_email_domain(domain):
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if len(label) > DOMAIN_LABEL_MAX or not _DOMAIN_LABEL_RE.fullmatch(label):
            return False
    tld = labels[-1]
    return len(tld) >= 2 and not tld.isdigit()


def is_valid_email(value):
    """Pragmatic syntax check: one ``@``, local part of 1-64 characters, a dotted
    domain, no spaces, control characters or address-list punctuation.

    ``"zhangsan@example.com"`` is valid; ``"zhangsan@localhost"`` is not.
    """
    try:
        text = _to_text(value).strip()
        if not text or len(text) > EMAIL_MAX_LENGTH or text.count("@") != 1:
            return False
        if any(_bad_email_char(c) for c in text):
            return False
        local, domain = text.split("@")
        return _valid_email_local(local) and _valid_email_domain(domain)
    except Exception:
        return False


def phone_digit_variants(value, region="CN"):
    """Digit strings a stored phone may have for the number ``value``: its
    E.164 digits and its national digits (e.g. 8613800138000, 13800138000).
    Empty when ``value`` is not a valid phone number."""
    e164 = normalize_phone(value, region=region)
    if not e164:
        return set()
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return set()
    national = str(number.national_number)
    # trunk prefix: numbers are often stored as dialled at home (010 ...)
    return {e164.lstrip("+"), national, "0" + national}
