"""Deterministic pseudo-random customer data for the benchmarks.

Pure Python, no Odoo: the same seed gives the same customers in every
database, so vanilla Odoo and the suite are measured on identical data.
"""

import random

SEED = 20261123

CN_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
CN_COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方"]
CN_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文斌辉鹏飞宇浩然欣怡子涵梓轩雨晨思远嘉懿"
LATIN_FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "Pierre",
    "Marie",
    "Jean",
    "Sophie",
    "Hans",
    "Anna",
    "Luca",
    "Giulia",
    "Carlos",
    "Lucia",
]
LATIN_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Muller",
    "Schmidt",
    "Schneider",
    "Rossi",
    "Russo",
    "Ferrari",
    "Lopez",
    "Gonzalez",
]
CN_COMPANY_WORDS = [
    "科技",
    "贸易",
    "实业",
    "电子",
    "物流",
    "医药",
    "食品",
    "建设",
    "咨询",
]
LATIN_COMPANY_WORDS = ["Solutions", "Trading", "Logistics", "Foods", "Systems", "Labs"]
CN_CITIES = [
    # (province-level prefix, city, district, area code of the resident ID, zip)
    ("北京市", "北京", "海淀区", "110108", "100080"),
    ("北京市", "北京", "朝阳区", "110105", "100020"),
    ("上海市", "上海", "浦东新区", "310115", "200120"),
    ("广东省深圳市", "深圳", "南山区", "440305", "518000"),
    ("广东省广州市", "广州", "天河区", "440106", "510620"),
    ("浙江省杭州市", "杭州", "西湖区", "330106", "310012"),
    ("四川省成都市", "成都", "武侯区", "510107", "610041"),
    ("湖北省武汉市", "武汉", "洪山区", "420111", "430070"),
]
CN_STREETS = [
    "中关村大街",
    "建国路",
    "世纪大道",
    "深南大道",
    "天河路",
    "文三路",
    "人民南路",
]
LATIN_CITIES = [
    # (country code, city, zip, phone prefix)
    ("fr", "Paris", "75001", "+33 1"),
    ("fr", "Lyon", "69002", "+33 4"),
    ("de", "Berlin", "10115", "+49 30"),
    ("us", "San Francisco", "94105", "+1 415"),
    ("be", "Brussels", "1000", "+32 2"),
    ("it", "Milano", "20121", "+39 02"),
]
LATIN_STREETS = [
    "Rue de Rivoli",
    "Main Street",
    "Hauptstrasse",
    "Via Roma",
    "Avenue Louise",
]
MAIL_DOMAINS = ["example.com", "example.cn", "mail.example.org", "corp.example.net"]

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_AREAS = [city[3] for city in CN_CITIES]


def resident_id(index):
    """A valid 18-character resident ID (GB 11643 checksum), unique per
    ``index`` below 365 * 999 * 8 * 40 (birth date and serial follow it)."""
    area = ID_AREAS[index % len(ID_AREAS)]
    n = index // len(ID_AREAS)
    serial = n % 999 + 1
    day = n // 999
    year = 1950 + day // 336
    month = day % 336 // 28 + 1
    dom = day % 28 + 1
    body = f"{area}{year:04d}{month:02d}{dom:02d}{serial:03d}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK[total % 11]


def _cn_mobile(rng):
    prefix = rng.choice(["138", "139", "150", "186", "187", "135", "177"])
    rest = f"{rng.randrange(10**8):08d}"
    return f"+86 {prefix} {rest[:4]} {rest[4:]}"


def _latin_phone(rng, prefix):
    if prefix.startswith("+1 "):  # North America: area code + 7 digits
        digits = f"{rng.randrange(2 * 10**6, 10**7):07d}"
        return f"{prefix} {digits[:3]} {digits[3:]}"
    digits = f"{rng.randrange(10**8):08d}"
    return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"


def customers(count, country_ids, seed=SEED):
    """``count`` customer value dicts for ``res.partner.create``.

    ``country_ids`` maps the lower-case country codes (cn, fr, de, us, be,
    it) to ids. One customer in ten is a company; the others are people,
    two thirds Chinese. Every value only uses fields of vanilla Odoo."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    result = []
    for index in range(count):
        chinese = rng.random() < 0.67
        company = index % 10 == 0
        if chinese:
            province, city, district, _area, zip_code = rng.choice(CN_CITIES)
            street = (
                f"{province}{district}{rng.choice(CN_STREETS)}{rng.randrange(1, 300)}号"
            )
            if company:
                name = (
                    f"{city}{rng.choice(CN_SURNAMES)}{rng.choice(CN_GIVEN)}"
                    f"{rng.choice(CN_COMPANY_WORDS)}有限公司"
                )
            else:
                surname = (
                    rng.choice(CN_COMPOUND)
                    if rng.random() < 0.03
                    else rng.choice(CN_SURNAMES)
                )
                given = "".join(rng.choice(CN_GIVEN) for _ in range(rng.randint(1, 2)))
                name = surname + given
            phone = _cn_mobile(rng) if rng.random() < 0.8 else "+86 10 6552 9988"
            mobile = _cn_mobile(rng) if rng.random() < 0.5 else False
            local = f"user{index}"
            country = "cn"
        else:
            code, city, zip_code, prefix = rng.choice(LATIN_CITIES)
            street = f"{rng.randrange(1, 200)} {rng.choice(LATIN_STREETS)}"
            first, last = rng.choice(LATIN_FIRST), rng.choice(LATIN_LAST)
            if company:
                name = f"{last} {rng.choice(LATIN_COMPANY_WORDS)}"
                local = "contact"
            else:
                name = f"{first} {last}"
                local = f"{first}.{last}{index}".lower()
            phone = _latin_phone(rng, prefix)
            mobile = _latin_phone(rng, prefix) if rng.random() < 0.4 else False
            country = code
        domain = rng.choice(MAIL_DOMAINS)
        vals = {
            "name": name,
            "is_company": company,
            "email": f"{local}@{domain}" if not company else f"info{index}@{domain}",
            "phone": phone,
            "mobile": mobile,
            "street": street,
            "street2": f"Room {rng.randrange(100, 3000)}"
            if rng.random() < 0.3
            else False,
            "city": city,
            "zip": zip_code,
            "country_id": country_ids[country],
            "vat": f"91{rng.randrange(10**16):016d}" if company else False,
            "ref": resident_id(index),
            "function": False if company else rng.choice(["Manager", "Buyer", False]),
        }
        result.append(vals)
    return result
