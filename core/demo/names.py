"""Vocabulary of the demo province: personal names, place names, the bodies of a province.

Everything here is plain data, written as a provincial staff member would write it. Unit names
may contain ``{p}``, replaced by ``settings.PROVINCE_NAME``. The geography (former districts,
communes, wards) follows the Hưng Yên area; the province name only changes the names of
provincial bodies.
"""

from __future__ import annotations

import random
from typing import NamedTuple

# --- Personal names -------------------------------------------------------------------------

# Weights roughly follow the distribution of surnames in the Red River delta.
SURNAMES: dict[str, float] = {
    "Nguyễn": 31.0,
    "Trần": 10.0,
    "Lê": 8.0,
    "Phạm": 7.5,
    "Vũ": 4.5,
    "Hoàng": 4.5,
    "Đỗ": 3.0,
    "Bùi": 3.0,
    "Phan": 2.5,
    "Đặng": 2.5,
    "Ngô": 2.0,
    "Đào": 1.5,
    "Dương": 1.2,
    "Đinh": 1.2,
    "Trịnh": 1.0,
    "Hồ": 0.8,
    "Mai": 0.8,
    "Đoàn": 0.8,
    "Cao": 0.8,
    "Hà": 0.7,
    "Lưu": 0.6,
    "Lương": 0.6,
    "Tạ": 0.5,
    "Huỳnh": 0.4,
    "Võ": 0.4,
    "Lý": 0.4,
    "Chu": 0.4,
    "Tô": 0.4,
    "Phùng": 0.4,
    "Vương": 0.3,
    "Triệu": 0.3,
    "Quách": 0.2,
    "Nghiêm": 0.2,
    "Kiều": 0.2,
    "Doãn": 0.2,
    "Đồng": 0.2,
    "Khúc": 0.1,
    "Nhữ": 0.1,
    "Lã": 0.1,
}

# Middle names changed with the generations: "Văn" and "Thị" dominate before 1980.
MIDDLE_MALE_OLDER: dict[str, float] = {
    "Văn": 55, "Đức": 8, "Hữu": 6, "Quang": 5, "Xuân": 5, "Công": 5, "Đình": 5, "Minh": 4,
    "Ngọc": 3, "Thanh": 3, "Mạnh": 2, "Tiến": 2, "Trọng": 2, "Bá": 2, "Duy": 1,
}  # fmt: skip
MIDDLE_MALE_YOUNGER: dict[str, float] = {
    "Văn": 20, "Đức": 10, "Minh": 10, "Quang": 7, "Duy": 5, "Hữu": 5, "Hoàng": 5, "Tuấn": 4,
    "Thành": 4, "Ngọc": 4, "Xuân": 4, "Công": 4, "Đình": 4, "Quốc": 4, "Anh": 3, "Mạnh": 3,
    "Trung": 3, "Thế": 3, "Việt": 3, "Hải": 3, "Tiến": 3, "Gia": 1,
}  # fmt: skip
MIDDLE_FEMALE_OLDER: dict[str, float] = {
    "Thị": 75, "Thu": 4, "Hồng": 4, "Thanh": 4, "Ngọc": 3, "Kim": 3, "Minh": 2, "Bích": 2,
    "Lan": 1, "Mai": 1, "Phương": 1,
}  # fmt: skip
MIDDLE_FEMALE_YOUNGER: dict[str, float] = {
    "Thị": 40, "Thu": 6, "Ngọc": 6, "Hồng": 5, "Thanh": 5, "Minh": 5, "Phương": 5, "Thúy": 4,
    "Hải": 3, "Kim": 3, "Khánh": 3, "Mai": 3, "Thùy": 3, "Diệu": 2, "Bích": 2, "Lan": 2,
    "Quỳnh": 2, "Hoài": 2,
}  # fmt: skip
# "Nguyễn Thị Thu Hương": a second middle name after "Thị".
SECOND_MIDDLE_FEMALE = ["Thu", "Minh", "Hồng", "Thanh", "Kim", "Ngọc", "Phương", "Lan"]

GIVEN_MALE = [
    "Hùng", "Dũng", "Tuấn", "Hải", "Hưng", "Long", "Nam", "Thắng", "Minh", "Quân", "Sơn",
    "Thành", "Trung", "Tùng", "Cường", "Đức", "Hiếu", "Hoàng", "Huy", "Khánh", "Lâm", "Lợi",
    "Mạnh", "Nghĩa", "Phong", "Phúc", "Quang", "Tài", "Thái", "Thịnh", "Tiến", "Toàn",
    "Trường", "Tú", "Việt", "Vinh", "Bình", "Chiến", "Công", "Đạt", "Định", "Dương", "Giang",
    "Hòa", "Hậu", "Kiên", "Phương", "Quyết", "Sáng", "Thuận", "Anh", "Hiệp", "Khải", "Linh",
    "Luân", "Ngọc", "Tâm", "Thanh", "Tuyên", "Vượng",
]  # fmt: skip
GIVEN_FEMALE = [
    "Hương", "Lan", "Hoa", "Hằng", "Hà", "Nga", "Nhung", "Thảo", "Trang", "Huyền", "Linh",
    "Mai", "Thủy", "Thu", "Yến", "Oanh", "Loan", "Dung", "Giang", "Ngọc", "Phương", "Vân",
    "Hạnh", "Hiền", "Liên", "Lụa", "Nhàn", "Quyên", "Tâm", "Thúy", "Tuyết", "Xuân", "Ánh",
    "Chi", "Diệp", "Hậu", "Huế", "Lý", "My", "Ngân", "Quỳnh", "Sen", "Thắm", "Thơm", "Trinh",
    "Uyên", "Vy", "Anh", "Hồng", "Duyên", "Hoài", "Nhi", "Thư", "Hòa",
]  # fmt: skip


def person_name(rng: random.Random, gender: str, birth_year: int) -> str:
    """A full name that fits the gender and the generation ("Nguyễn Văn Hùng", "Trần Thị Thu Hà")."""
    surname = weighted(rng, SURNAMES)
    older = birth_year < 1980
    if gender == "male":
        middle = weighted(rng, MIDDLE_MALE_OLDER if older else MIDDLE_MALE_YOUNGER)
        given = rng.choice(GIVEN_MALE)
    else:
        middle = weighted(rng, MIDDLE_FEMALE_OLDER if older else MIDDLE_FEMALE_YOUNGER)
        if middle == "Thị" and not older and rng.random() < 0.2:
            middle = f"Thị {rng.choice(SECOND_MIDDLE_FEMALE)}"
        given = rng.choice(GIVEN_FEMALE)
    if middle.endswith(given):
        given = rng.choice(GIVEN_MALE if gender == "male" else GIVEN_FEMALE)
    return f"{surname} {middle} {given}"


_WEIGHT_CACHE: dict[int, tuple[list[str], list[float]]] = {}


def weighted(rng: random.Random, table: dict[str, float]) -> str:
    """One key of `table`, drawn with its weight."""
    cached = _WEIGHT_CACHE.get(id(table))
    if cached is None:
        keys = list(table)
        cumulative: list[float] = []
        total = 0.0
        for key in keys:
            total += table[key]
            cumulative.append(total)
        cached = _WEIGHT_CACHE[id(table)] = (keys, cumulative)
    keys, cumulative = cached
    return rng.choices(keys, cum_weights=cumulative)[0]


# --- Places ---------------------------------------------------------------------------------

# Syllables of old commune and village names ("Tân Hưng", "Đông Kết").
PLACE_FIRST = [
    "Tân", "Đông", "Tây", "Nam", "Bắc", "Hồng", "Quang", "Minh", "Phú", "An", "Bình", "Đại",
    "Thuận", "Nghĩa", "Việt", "Hòa", "Thanh", "Xuân", "Đức", "Long", "Vĩnh", "Lạc", "Phúc",
    "Thiện", "Hiệp", "Toàn", "Trung", "Nhân", "Liên", "Thọ", "Chính", "Đồng", "Hải", "Ngọc",
    "Phương", "Quảng", "Tiên", "Song", "Cẩm", "Dân", "Hạ", "Thượng",
]  # fmt: skip
PLACE_SECOND = [
    "Hưng", "Tiến", "Hòa", "Thịnh", "Lợi", "Châu", "Minh", "Phong", "Dương", "Sơn", "Thành",
    "Phúc", "Lộc", "Khánh", "An", "Trung", "Hải", "Quang", "Đạo", "Nghĩa", "Xá", "Trạch",
    "Kết", "Hiệp", "Cường", "Thắng", "Lạc", "Long", "Vinh", "Thái", "Bình", "Mỹ", "Kiều",
    "Tảo", "Nhân", "Xuyên", "Hội", "Phượng", "Lễ", "Tập", "Viên", "Dụ",
]  # fmt: skip
VILLAGE_PREFIXES = ["Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Tiền", "Hậu"]
STREETS = [
    "Nguyễn Văn Linh", "Chùa Chuông", "Hải Thượng Lãn Ông", "Tô Hiệu", "Bãi Sậy", "Phạm Ngũ Lão",
    "Điện Biên", "Lê Lai", "Nguyễn Thiện Thuật", "An Vũ", "Triệu Quang Phục", "Lê Văn Lương",
    "Trần Hưng Đạo", "Phạm Bạch Hổ", "Lê Đình Kiên", "Tống Trân", "Nguyễn Lương Bằng",
    "Lê Thanh Nghị", "Chu Mạnh Trinh", "Dương Quảng Hàm", "Hoàng Hoa Thám", "Lý Thường Kiệt",
]  # fmt: skip
# Where provincial bodies have their offices (the wards of the former provincial city).
CAPITAL_WARDS = ["Phố Hiến", "Sơn Nam", "Hồng Châu"]
# First birth-place codes of citizen ID numbers: mostly the province, some neighbours.
CITIZEN_ID_PROVINCES: dict[str, float] = {"033": 80, "034": 8, "030": 5, "001": 4, "035": 3}
PHONE_PREFIX = "0221"


def lower_first(text: str) -> str:
    """ "Xã Nghĩa Trụ" → "xã Nghĩa Trụ": a unit's short name inside a sentence."""
    return text[:1].lower() + text[1:]


def place_name(rng: random.Random) -> str:
    """A two-syllable place name such as "Tân Hưng" (never the same syllable twice)."""
    first = rng.choice(PLACE_FIRST)
    second = rng.choice(PLACE_SECOND)
    while second == first:
        second = rng.choice(PLACE_SECOND)
    return f"{first} {second}"


def village_name(rng: random.Random, ward: bool) -> str:
    if ward:
        return f"Tổ dân phố số {rng.randint(1, 18)}"
    if rng.random() < 0.5:
        return f"Thôn {rng.choice(VILLAGE_PREFIXES)}"
    return f"Thôn {place_name(rng)}"


# --- Former districts and today's communes and wards ------------------------------------------


class District(NamedTuple):
    """A district-level unit abolished on 01/7/2025, with the communes formed on its area."""

    code: str
    kind_label: str  # "huyện", "thị xã", "thành phố"
    name: str  # may contain {p}
    communes: tuple[str, ...]  # "P:Phố Hiến" is a ward (phường), "X:Tân Hưng" a commune (xã)


DISTRICTS: tuple[District, ...] = (
    District("323", "thành phố", "{p}", (
        "P:Phố Hiến", "P:Sơn Nam", "P:Hồng Châu", "P:Lê Lợi", "P:Hiến Nam", "P:An Tảo",
        "P:Lam Sơn", "X:Tân Hưng", "X:Hoàng Hoa Thám", "X:Quảng Châu", "X:Hùng Cường",
        "X:Phương Chiểu",
    )),
    District("328", "thị xã", "Mỹ Hào", (
        "P:Mỹ Hào", "P:Đường Hào", "P:Thượng Hồng", "P:Bần Yên Nhân", "P:Nhân Hòa",
        "P:Phan Đình Phùng", "P:Dị Sử", "P:Phùng Chí Kiên", "P:Bạch Sam", "X:Hòa Phong",
        "X:Cẩm Xá", "X:Xuân Dục",
    )),
    District("325", "huyện", "Văn Lâm", (
        "X:Như Quỳnh", "X:Lạc Đạo", "X:Đại Đồng", "X:Chỉ Đạo", "X:Minh Hải", "X:Trưng Trắc",
        "X:Việt Hưng", "X:Lạc Hồng", "X:Tân Quang", "X:Đình Dù", "X:Lương Tài", "X:Văn Lâm",
        "X:Trình Xá",
    )),
    District("326", "huyện", "Văn Giang", (
        "X:Văn Giang", "X:Nghĩa Trụ", "X:Phụng Công", "X:Mễ Sở", "X:Long Hưng", "X:Cửu Cao",
        "X:Xuân Quan", "X:Thắng Lợi", "X:Liên Nghĩa", "X:Tân Tiến", "X:Vĩnh Khúc", "X:Phú Thị",
        "X:Tân Châu",
    )),
    District("327", "huyện", "Yên Mỹ", (
        "X:Yên Mỹ", "X:Trung Hưng", "X:Liêu Xá", "X:Nguyễn Văn Linh", "X:Hoàn Long",
        "X:Việt Yên", "X:Tân Lập", "X:Lý Thường Kiệt", "X:Giai Phạm", "X:Minh Châu",
        "X:Thanh Long", "X:Ngọc Long", "X:Yên Phú", "X:Đồng Than", "X:Trung Hòa",
    )),
    District("330", "huyện", "Khoái Châu", (
        "X:Khoái Châu", "X:Châu Ninh", "X:Chí Minh", "X:Triệu Việt Vương", "X:Việt Tiến",
        "X:Bình Minh", "X:Dạ Trạch", "X:Hàm Tử", "X:Tứ Dân", "X:Đông Tảo", "X:Ông Đình",
        "X:Bình Kiều", "X:Đại Tập", "X:Nhuế Dương", "X:Thuần Hưng", "X:Phùng Hưng",
    )),
    District("331", "huyện", "Kim Động", (
        "X:Lương Bằng", "X:Nghĩa Dân", "X:Hiệp Cường", "X:Đức Hợp", "X:Mai Động",
        "X:Toàn Thắng", "X:Vĩnh Xá", "X:Ngọc Thanh", "X:Phạm Ngũ Lão", "X:Song Mai",
        "X:Chính Nghĩa", "X:Thọ Vinh", "X:Đồng Thanh", "X:Phú Thịnh", "X:Kim Động",
    )),
    District("332", "huyện", "Tiên Lữ", (
        "X:Tiên Lữ", "X:Tiên Hoa", "X:Quang Hưng", "X:Đoàn Đào", "X:Tiên Tiến", "X:Thụy Lôi",
        "X:Lệ Xá", "X:Hải Triều", "X:Cương Chính", "X:Minh Phượng", "X:Nhật Tân", "X:Dị Chế",
        "X:Ngô Quyền", "X:Thủ Sỹ",
    )),
)  # fmt: skip

# The resolution of the National Assembly Standing Committee that rearranged the communes.
COMMUNE_REFORM_RESOLUTION = "1666/NQ-UBTVQH15"
# The provincial People's Council resolution that reorganised the departments.
DEPARTMENT_REFORM_RESOLUTION = "06/NQ-HĐND"


# --- Provincial bodies ------------------------------------------------------------------------


class UnitSpec(NamedTuple):
    """One provincial body. `bloc` is its khối; `profile` chooses its staff and positions."""

    code: str
    name: str
    short: str
    kind: str
    head_title: str
    doc: str  # the issuing symbol of its decisions: "QĐ-<doc>"
    bloc: str
    profile: str
    parent: str = "UBNDT"


ROOT = UnitSpec(
    "UBNDT", "Ủy ban nhân dân tỉnh {p}", "UBND tỉnh", "other", "Chủ tịch UBND tỉnh", "UBND", "", "root", ""
)

PROVINCIAL_UNITS: tuple[UnitSpec, ...] = (
    # Cơ quan Đảng
    UnitSpec("VPTU", "Văn phòng Tỉnh ủy", "", "other", "Chánh Văn phòng", "VPTU", "KHOI01", "party", ""),
    UnitSpec("BTCTU", "Ban Tổ chức Tỉnh ủy", "", "other", "Trưởng ban", "BTCTU", "KHOI01", "party", ""),
    UnitSpec("BTGDVTU", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "", "other", "Trưởng ban", "BTGDVTU", "KHOI01", "party", ""),
    UnitSpec("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "", "other", "Chủ nhiệm", "UBKTTU", "KHOI01", "party", ""),
    UnitSpec("BNCTU", "Ban Nội chính Tỉnh ủy", "", "other", "Trưởng ban", "BNCTU", "KHOI01", "party", ""),
    UnitSpec("DUCQDT", "Đảng ủy các cơ quan Đảng tỉnh", "", "other", "Bí thư", "ĐUCQĐ", "KHOI01", "party", ""),
    UnitSpec("TCT", "Trường Chính trị tỉnh {p}", "Trường Chính trị tỉnh", "public_service", "Hiệu trưởng", "TCT", "KHOI01", "college", ""),
    # Sở, ban, ngành
    UnitSpec("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", "department", "Chánh Văn phòng", "VP", "KHOI02", "department"),
    UnitSpec("VPDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "department", "Chánh Văn phòng", "VPĐĐBQH&HĐND", "KHOI02", "department", ""),
    UnitSpec("SNV", "Sở Nội vụ", "", "department", "Giám đốc", "SNV", "KHOI02", "department"),
    UnitSpec("STC", "Sở Tài chính", "", "department", "Giám đốc", "STC", "KHOI02", "department"),
    UnitSpec("TTT", "Thanh tra tỉnh", "", "department", "Chánh Thanh tra", "TTr", "KHOI02", "department"),
    UnitSpec("STP", "Sở Tư pháp", "", "department", "Giám đốc", "STP", "KHOI02", "department"),
    UnitSpec("SDTTG", "Sở Dân tộc và Tôn giáo", "", "department", "Giám đốc", "SDTTG", "KHOI02", "department"),
    UnitSpec("SXD", "Sở Xây dựng", "", "department", "Giám đốc", "SXD", "KHOI03", "department"),
    UnitSpec("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "department", "Giám đốc", "SNNMT", "KHOI03", "department"),
    UnitSpec("SCT", "Sở Công Thương", "", "department", "Giám đốc", "SCT", "KHOI03", "department"),
    UnitSpec("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", "department", "Giám đốc", "SKHCN", "KHOI03", "department"),
    UnitSpec("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "Ban Quản lý các KCN", "department", "Trưởng ban", "BQL", "KHOI03", "department"),
    UnitSpec("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "department", "Giám đốc", "SGDĐT", "KHOI04", "department"),
    UnitSpec("SYT", "Sở Y tế", "", "department", "Giám đốc", "SYT", "KHOI04", "department"),
    UnitSpec("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", "department", "Giám đốc", "SVHTTDL", "KHOI04", "department"),
    # Cơ quan Trung ương đóng trên địa bàn, khối nội chính
    UnitSpec("THUE", "Thuế tỉnh {p}", "Thuế tỉnh", "other", "Trưởng Thuế tỉnh", "THUE", "KHOI06", "central", ""),
    UnitSpec("KBNN", "Kho bạc Nhà nước khu vực tỉnh {p}", "Kho bạc Nhà nước", "other", "Giám đốc", "KBNN", "KHOI06", "central", ""),
    UnitSpec("BHXH", "Bảo hiểm xã hội tỉnh {p}", "BHXH tỉnh", "other", "Giám đốc", "BHXH", "KHOI06", "central", ""),
    UnitSpec("TKT", "Thống kê tỉnh {p}", "Thống kê tỉnh", "other", "Trưởng Thống kê tỉnh", "TKT", "KHOI06", "central", ""),
    UnitSpec("NHCSXH", "Ngân hàng Chính sách xã hội chi nhánh tỉnh {p}", "NHCSXH tỉnh", "other", "Giám đốc", "NHCS", "KHOI06", "central", ""),
    UnitSpec("NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh {p}", "NHNN chi nhánh tỉnh", "other", "Giám đốc", "NHNN", "KHOI06", "central", ""),
    UnitSpec("TAND", "Tòa án nhân dân tỉnh {p}", "TAND tỉnh", "other", "Chánh án", "TA", "KHOI05", "central", ""),
    UnitSpec("VKSND", "Viện kiểm sát nhân dân tỉnh {p}", "VKSND tỉnh", "other", "Viện trưởng", "VKS", "KHOI05", "central", ""),
    UnitSpec("THADS", "Thi hành án dân sự tỉnh {p}", "THADS tỉnh", "other", "Trưởng Thi hành án dân sự tỉnh", "THADS", "KHOI05", "central", ""),
    # Lực lượng vũ trang
    UnitSpec("CAT", "Công an tỉnh {p}", "Công an tỉnh", "armed_forces", "Giám đốc Công an tỉnh", "CAT", "KHOI05", "police", ""),
    UnitSpec("BCHQS", "Bộ Chỉ huy Quân sự tỉnh {p}", "Bộ CHQS tỉnh", "armed_forces", "Chỉ huy trưởng", "BCH", "KHOI05", "military", ""),
    UnitSpec("BDBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh {p}", "Bộ CH BĐBP tỉnh", "armed_forces", "Chỉ huy trưởng", "BĐBP", "KHOI05", "military", ""),
    # Mặt trận và các đoàn thể, các hội
    UnitSpec("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban MTTQ tỉnh", "mass_org", "Chủ tịch", "MTTQ-BTT", "KHOI07", "mass_org", ""),
    UnitSpec("LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh", "mass_org", "Chủ tịch", "LĐLĐ", "KHOI07", "mass_org", "MTTQ"),
    UnitSpec("TDOAN", "Tỉnh đoàn {p}", "Tỉnh đoàn", "mass_org", "Bí thư Tỉnh đoàn", "TĐTN", "KHOI07", "mass_org", "MTTQ"),
    UnitSpec("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh", "mass_org", "Chủ tịch", "HPN", "KHOI07", "mass_org", "MTTQ"),
    UnitSpec("HND", "Hội Nông dân tỉnh", "", "mass_org", "Chủ tịch", "HND", "KHOI07", "mass_org", "MTTQ"),
    UnitSpec("HCCB", "Hội Cựu chiến binh tỉnh", "", "mass_org", "Chủ tịch", "HCCB", "KHOI07", "mass_org", "MTTQ"),
    UnitSpec("LMHTX", "Liên minh Hợp tác xã tỉnh", "", "mass_org", "Chủ tịch", "LMHTX", "KHOI08", "mass_org"),
    UnitSpec("HCTD", "Hội Chữ thập đỏ tỉnh", "", "mass_org", "Chủ tịch", "HCTĐ", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("LHHKHKT", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "Liên hiệp các Hội KH&KT tỉnh", "mass_org", "Chủ tịch", "LHH", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("HVHNT", "Hội Văn học nghệ thuật tỉnh", "", "mass_org", "Chủ tịch", "HVHNT", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("HNB", "Hội Nhà báo tỉnh", "", "mass_org", "Chủ tịch", "HNB", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("HLG", "Hội Luật gia tỉnh", "", "mass_org", "Chủ tịch", "HLG", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("HNCT", "Hội Người cao tuổi tỉnh", "", "mass_org", "Chủ tịch", "HNCT", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("HKH", "Hội Khuyến học tỉnh", "", "mass_org", "Chủ tịch", "HKH", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("LHTCHN", "Liên hiệp các tổ chức hữu nghị tỉnh", "", "mass_org", "Chủ tịch", "LHHN", "KHOI08", "mass_org", "MTTQ"),
    UnitSpec("HNNDC", "Hội Nạn nhân chất độc da cam/dioxin tỉnh", "", "mass_org", "Chủ tịch", "HNNCĐDC", "KHOI08", "mass_org", "MTTQ"),
    # Doanh nghiệp
    UnitSpec("KTCTTL", "Công ty TNHH MTV Khai thác công trình thủy lợi {p}", "Công ty KTCTTL", "enterprise", "Chủ tịch kiêm Giám đốc", "KTTL", "KHOI09", "enterprise", ""),
    UnitSpec("XSKT", "Công ty TNHH MTV Xổ số kiến thiết {p}", "Công ty XSKT", "enterprise", "Giám đốc", "XSKT", "KHOI09", "enterprise", ""),
    UnitSpec("DIENLUC", "Công ty Điện lực {p}", "PC {p}", "enterprise", "Giám đốc", "PC", "KHOI09", "enterprise", ""),
    UnitSpec("VNPT", "Viễn thông {p}", "VNPT {p}", "enterprise", "Giám đốc", "VNPT", "KHOI09", "enterprise", ""),
    UnitSpec("VIETTEL", "Viettel {p}", "", "enterprise", "Giám đốc", "VTHY", "KHOI09", "enterprise", ""),
    UnitSpec("BUUDIEN", "Bưu điện tỉnh {p}", "", "enterprise", "Giám đốc", "BĐT", "KHOI09", "enterprise", ""),
    UnitSpec("AGRIBANK", "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh {p}", "Agribank {p}", "enterprise", "Giám đốc", "NHNo", "KHOI09", "enterprise", ""),
    UnitSpec("NUOCSACH", "Công ty cổ phần Nước sạch {p}", "", "enterprise", "Tổng Giám đốc", "NS", "KHOI10", "enterprise", ""),
    UnitSpec("MTDT", "Công ty cổ phần Môi trường và Công trình đô thị {p}", "", "enterprise", "Giám đốc", "MTĐT", "KHOI10", "enterprise", ""),
    UnitSpec("DUOC", "Công ty cổ phần Dược phẩm {p}", "", "enterprise", "Tổng Giám đốc", "DP", "KHOI10", "enterprise", ""),
    UnitSpec("XEKHACH", "Công ty cổ phần Xe khách {p}", "", "enterprise", "Giám đốc", "XK", "KHOI10", "enterprise", ""),
    UnitSpec("SACHTB", "Công ty cổ phần Sách và Thiết bị trường học {p}", "", "enterprise", "Giám đốc", "STB", "KHOI10", "enterprise", ""),
    UnitSpec("MAY", "Công ty cổ phần May {p}", "", "enterprise", "Tổng Giám đốc", "MAY", "KHOI10", "enterprise", ""),
    UnitSpec("GIONG", "Công ty cổ phần Giống cây trồng {p}", "", "enterprise", "Giám đốc", "GCT", "KHOI10", "enterprise", ""),
    UnitSpec("TVXDGT", "Công ty cổ phần Tư vấn xây dựng giao thông {p}", "", "enterprise", "Giám đốc", "TVGT", "KHOI10", "enterprise", ""),
    # Đơn vị sự nghiệp: trường học
    UnitSpec("THPTCHUYEN", "Trường THPT chuyên {p}", "", "public_service", "Hiệu trưởng", "THPTC", "KHOI11", "school", "SGDDT"),
    *(
        UnitSpec(f"THPT{index:02d}", f"Trường THPT {name}", "", "public_service", "Hiệu trưởng", f"THPT{index:02d}",
                 "KHOI11" if index <= 9 else "KHOI12", "school", "SGDDT")
        for index, name in enumerate(
            ["Văn Lâm", "Trưng Vương", "Mỹ Hào", "Nguyễn Thiện Thuật", "Văn Giang", "Dương Quảng Hàm",
             "Yên Mỹ", "Minh Châu", "Triệu Quang Phục", "Khoái Châu", "Nam Khoái Châu", "Nguyễn Siêu",
             "Kim Động", "Đức Hợp", "Nghĩa Dân", "Tiên Lữ", "Trần Hưng Đạo", "Hoàng Hoa Thám"],
            start=1,
        )
    ),
    UnitSpec("CDCD", "Trường Cao đẳng Cộng đồng {p}", "", "public_service", "Hiệu trưởng", "CĐCĐ", "KHOI14", "college"),
    UnitSpec("CDYT", "Trường Cao đẳng Y tế {p}", "", "public_service", "Hiệu trưởng", "CĐYT", "KHOI14", "college"),
    UnitSpec("CDKTKT", "Trường Cao đẳng Kinh tế - Kỹ thuật {p}", "", "public_service", "Hiệu trưởng", "CĐKTKT", "KHOI14", "college"),
    UnitSpec("TTGDTX", "Trung tâm Giáo dục thường xuyên tỉnh", "", "public_service", "Giám đốc", "GDTX", "KHOI14", "college", "SGDDT"),
    UnitSpec("TTDVVL", "Trung tâm Dịch vụ việc làm tỉnh", "", "public_service", "Giám đốc", "DVVL", "KHOI14", "public_service", "SNV"),
    # Đơn vị sự nghiệp: y tế
    UnitSpec("BVDK", "Bệnh viện Đa khoa tỉnh {p}", "BVĐK tỉnh", "public_service", "Giám đốc", "BVĐK", "KHOI13", "hospital", "SYT"),
    UnitSpec("BVSN", "Bệnh viện Sản - Nhi {p}", "", "public_service", "Giám đốc", "BVSN", "KHOI13", "hospital", "SYT"),
    UnitSpec("BVYDCT", "Bệnh viện Y dược cổ truyền {p}", "", "public_service", "Giám đốc", "BVYDCT", "KHOI13", "hospital", "SYT"),
    UnitSpec("BVTTK", "Bệnh viện Tâm thần kinh {p}", "", "public_service", "Giám đốc", "BVTTK", "KHOI13", "hospital", "SYT"),
    UnitSpec("BVPHOI", "Bệnh viện Phổi {p}", "", "public_service", "Giám đốc", "BVP", "KHOI13", "hospital", "SYT"),
    UnitSpec("BVMAT", "Bệnh viện Mắt {p}", "", "public_service", "Giám đốc", "BVM", "KHOI13", "hospital", "SYT"),
    UnitSpec("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh {p}", "CDC {p}", "public_service", "Giám đốc", "KSBT", "KHOI13", "hospital", "SYT"),
    # Đơn vị sự nghiệp khác
    UnitSpec("DAIPTTH", "Đài Phát thanh và Truyền hình {p}", "Đài PT-TH tỉnh", "public_service", "Giám đốc", "PTTH", "KHOI04", "public_service"),
    UnitSpec("BAO", "Báo {p}", "", "public_service", "Tổng Biên tập", "BHY", "KHOI04", "public_service", ""),
    UnitSpec("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm PVHCC tỉnh", "public_service", "Giám đốc", "PVHCC", "KHOI15", "public_service", "VPUBND"),
    UnitSpec("BQLDADD", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", "Ban QLDA dân dụng và công nghiệp", "public_service", "Giám đốc", "BQLDA", "KHOI15", "public_service"),
    UnitSpec("BQLDAGT", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh", "Ban QLDA giao thông", "public_service", "Giám đốc", "BQLDAGT", "KHOI15", "public_service"),
    UnitSpec("QDTPT", "Quỹ Đầu tư phát triển {p}", "", "public_service", "Giám đốc", "QĐTPT", "KHOI15", "public_service"),
    UnitSpec("THUVIEN", "Thư viện tỉnh", "", "public_service", "Giám đốc", "TV", "KHOI15", "public_service", "SVHTTDL"),
    UnitSpec("BAOTANG", "Bảo tàng tỉnh", "", "public_service", "Giám đốc", "BT", "KHOI15", "public_service", "SVHTTDL"),
    UnitSpec("TTTDTT", "Trung tâm Huấn luyện và Thi đấu thể dục thể thao tỉnh", "", "public_service", "Giám đốc", "HLTĐ", "KHOI15", "public_service", "SVHTTDL"),
    UnitSpec("TTLTLS", "Trung tâm Lưu trữ lịch sử tỉnh", "", "public_service", "Giám đốc", "LTLS", "KHOI15", "public_service", "SNV"),
)  # fmt: skip


class FormerUnit(NamedTuple):
    """A provincial body that ended in the 2025 reorganisation (effective 01/3/2025)."""

    code: str
    name: str
    short: str
    kind: str
    head_title: str
    doc: str
    bloc: str
    profile: str
    successor: str
    succession: str  # "merge" or "rename"
    parent: str = "UBNDT"


FORMER_UNITS: tuple[FormerUnit, ...] = (
    FormerUnit("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH", "department", "Giám đốc", "SLĐTBXH", "KHOI04", "department", "SNV", "merge"),
    FormerUnit("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "department", "Giám đốc", "SKHĐT", "KHOI02", "department", "STC", "merge"),
    FormerUnit("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", "department", "Giám đốc", "SGTVT", "KHOI03", "department", "SXD", "merge"),
    FormerUnit("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", "department", "Giám đốc", "STNMT", "KHOI03", "department", "SNNMT", "merge"),
    FormerUnit("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "department", "Giám đốc", "SNNPTNT", "KHOI03", "department", "SNNMT", "merge"),
    FormerUnit("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", "department", "Giám đốc", "STTTT", "KHOI04", "department", "SKHCN", "merge"),
    FormerUnit("SNGV", "Sở Ngoại vụ", "", "department", "Giám đốc", "SNgV", "KHOI02", "department", "VPUBND", "merge"),
    FormerUnit("CTHUE", "Cục Thuế tỉnh {p}", "Cục Thuế tỉnh", "other", "Cục trưởng", "CT", "KHOI06", "central", "THUE", "rename", ""),
    FormerUnit("CTK", "Cục Thống kê tỉnh {p}", "Cục Thống kê tỉnh", "other", "Cục trưởng", "CTK", "KHOI06", "central", "TKT", "rename", ""),
)  # fmt: skip
# Bodies created or renamed by the reorganisation: active from 01/3/2025.
NEW_IN_2025 = frozenset({"SNNMT", "SDTTG", "THUE", "TKT"})


class BlocSpec(NamedTuple):
    code: str
    name: str
    description: str


BLOCS: tuple[BlocSpec, ...] = (
    BlocSpec("KHOI01", "Khối các cơ quan Đảng", "Các ban, cơ quan tham mưu, giúp việc của Tỉnh ủy và Trường Chính trị tỉnh."),
    BlocSpec("KHOI02", "Khối các cơ quan tổng hợp", "Các cơ quan tham mưu tổng hợp, nội vụ, tài chính, thanh tra, tư pháp."),
    BlocSpec("KHOI03", "Khối các cơ quan kinh tế - kỹ thuật", "Các sở, ban quản lý về xây dựng, nông nghiệp, môi trường, công thương, khoa học."),
    BlocSpec("KHOI04", "Khối các cơ quan văn hóa - xã hội", "Các sở quản lý giáo dục, y tế, văn hóa và các cơ quan báo chí của tỉnh."),
    BlocSpec("KHOI05", "Khối Nội chính", "Công an, quân sự, biên phòng, tòa án, kiểm sát và thi hành án dân sự tỉnh."),
    BlocSpec("KHOI06", "Khối các cơ quan Trung ương đóng trên địa bàn tỉnh", "Thuế, kho bạc, bảo hiểm xã hội, thống kê, ngân hàng."),
    BlocSpec("KHOI07", "Khối Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội", "Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội."),
    BlocSpec("KHOI08", "Khối các hội đặc thù", "Các hội quần chúng được Đảng, Nhà nước giao nhiệm vụ."),
    BlocSpec("KHOI09", "Khối các doanh nghiệp nhà nước", "Công ty TNHH MTV của tỉnh và các doanh nghiệp, chi nhánh nhà nước trên địa bàn."),
    BlocSpec("KHOI10", "Khối các doanh nghiệp", "Các công ty cổ phần có vốn nhà nước hoặc do tỉnh theo dõi."),
    BlocSpec("KHOI11", "Khối các trường THPT số 1", "Trường THPT chuyên và các trường THPT khu vực phía Bắc tỉnh."),
    BlocSpec("KHOI12", "Khối các trường THPT số 2", "Các trường THPT khu vực phía Nam tỉnh."),
    BlocSpec("KHOI13", "Khối các bệnh viện và cơ sở y tế tuyến tỉnh", "Các bệnh viện và trung tâm y tế trực thuộc Sở Y tế."),
    BlocSpec("KHOI14", "Khối các trường cao đẳng và đơn vị giáo dục nghề nghiệp", "Các trường cao đẳng, trung tâm giáo dục thường xuyên, dịch vụ việc làm."),
    BlocSpec("KHOI15", "Khối các đơn vị sự nghiệp", "Các ban quản lý dự án, quỹ và đơn vị sự nghiệp công lập khác."),
)  # fmt: skip


# --- Positions --------------------------------------------------------------------------------


class Post(NamedTuple):
    """A position: the title, its statistical category, the CCVC prefix (CC, VC or none)."""

    title: str
    category: str
    ccvc: str


# The statistical categories of PersonCategory, short because the tables below use them often.
PROV, DEPT, BIZ, LEAD, WORK = (
    "provincial_leader",
    "department_leader",
    "businessperson",
    "other_leader",
    "direct_worker",
)


class Profile(NamedTuple):
    """Who works at a kind of unit: middle managers and the staff at large.

    The head holds the unit's head title and deputies are "Phó <head title>".
    """

    deputy_category: str
    managers: tuple[Post, ...]
    workers: tuple[tuple[Post, float], ...]
    head_category: str
    head_ccvc: str
    male_share: float  # share of men among the staff
    weight: tuple[float, float]  # relative headcount at small and large scale


PROFILES: dict[str, Profile] = {
    "root": Profile(
        PROV,
        (),
        (),
        PROV, "CC", 0.7, (0, 0),
    ),
    "commune": Profile(
        LEAD,
        (
            Post("Chánh Văn phòng HĐND và UBND", LEAD, "CC"),
            Post("Trưởng phòng Kinh tế", LEAD, "CC"),
            Post("Trưởng phòng Văn hóa - Xã hội", LEAD, "CC"),
            Post("Giám đốc Trung tâm Phục vụ hành chính công", LEAD, "VC"),
            Post("Phó Trưởng phòng Kinh tế", LEAD, "CC"),
            Post("Phó Trưởng phòng Văn hóa - Xã hội", LEAD, "CC"),
        ),
        (
            (Post("Chuyên viên Văn phòng HĐND và UBND", WORK, "CC"), 6),
            (Post("Chuyên viên Phòng Kinh tế", WORK, "CC"), 6),
            (Post("Chuyên viên Phòng Văn hóa - Xã hội", WORK, "CC"), 6),
            (Post("Viên chức Trung tâm Phục vụ hành chính công", WORK, "VC"), 3),
            (Post("Giáo viên Trường Mầm non {old}", WORK, "VC"), 10),
            (Post("Giáo viên Trường Tiểu học {old}", WORK, "VC"), 12),
            (Post("Giáo viên Trường THCS {old}", WORK, "VC"), 10),
            (Post("Viên chức Trạm Y tế", WORK, "VC"), 4),
            (Post("Nông dân, {village}", WORK, ""), 22),
            (Post("Chủ hộ kinh doanh, {village}", WORK, ""), 3),
        ),
        LEAD, "CC", 0.5, (10, 70),
    ),
    "department": Profile(
        DEPT,
        (
            Post("Chánh Văn phòng", LEAD, "CC"),
            Post("Chánh Thanh tra", LEAD, "CC"),
            Post("Trưởng phòng Kế hoạch - Tài chính", LEAD, "CC"),
            Post("Trưởng phòng Tổ chức cán bộ", LEAD, "CC"),
            Post("Trưởng phòng Quản lý chuyên ngành", LEAD, "CC"),
            Post("Phó Chánh Văn phòng", LEAD, "CC"),
            Post("Phó Trưởng phòng Kế hoạch - Tài chính", LEAD, "CC"),
            Post("Phó Trưởng phòng Quản lý chuyên ngành", LEAD, "CC"),
        ),
        (
            (Post("Chuyên viên chính", WORK, "CC"), 4),
            (Post("Chuyên viên", WORK, "CC"), 10),
            (Post("Kế toán viên", WORK, "CC"), 1),
            (Post("Cán sự", WORK, "CC"), 1),
            (Post("Nhân viên hợp đồng", WORK, ""), 1),
        ),
        DEPT, "CC", 0.5, (14, 40),
    ),
    "party": Profile(
        DEPT,
        (Post("Trưởng phòng", LEAD, "CC"), Post("Phó Trưởng phòng", LEAD, "CC")),
        ((Post("Chuyên viên chính", WORK, "CC"), 3), (Post("Chuyên viên", WORK, "CC"), 6)),
        DEPT, "CC", 0.55, (6, 15),
    ),
    "central": Profile(
        DEPT,
        (Post("Trưởng phòng", LEAD, "CC"), Post("Phó Trưởng phòng", LEAD, "CC"), Post("Đội trưởng", LEAD, "CC")),
        ((Post("Chuyên viên", WORK, "CC"), 8), (Post("Kiểm tra viên", WORK, "CC"), 3), (Post("Kế toán viên", WORK, "CC"), 2)),
        DEPT, "CC", 0.5, (12, 40),
    ),
    "mass_org": Profile(
        LEAD,
        (Post("Trưởng ban Tổ chức", LEAD, "CC"), Post("Trưởng ban Tuyên giáo", LEAD, "CC"), Post("Phó Trưởng ban", LEAD, "CC")),
        ((Post("Chuyên viên", WORK, "CC"), 6), (Post("Cán sự", WORK, "CC"), 1)),
        DEPT, "CC", 0.45, (4, 10),
    ),
    "enterprise": Profile(
        BIZ,
        (
            Post("Trưởng phòng Kỹ thuật", LEAD, ""),
            Post("Trưởng phòng Kinh doanh", LEAD, ""),
            Post("Trưởng phòng Tổ chức - Hành chính", LEAD, ""),
            Post("Quản đốc phân xưởng", LEAD, ""),
            Post("Phó Trưởng phòng Kỹ thuật", LEAD, ""),
        ),
        (
            (Post("Kỹ sư", WORK, ""), 3),
            (Post("Công nhân", WORK, ""), 12),
            (Post("Nhân viên kinh doanh", WORK, ""), 2),
            (Post("Kế toán", WORK, ""), 1),
            (Post("Nhân viên kỹ thuật", WORK, ""), 2),
        ),
        BIZ, "", 0.55, (14, 120),
    ),
    "school": Profile(
        LEAD,
        (Post("Tổ trưởng chuyên môn", WORK, "VC"), Post("Tổ phó chuyên môn", WORK, "VC")),
        (
            (Post("Giáo viên Toán", WORK, "VC"), 3),
            (Post("Giáo viên Ngữ văn", WORK, "VC"), 3),
            (Post("Giáo viên Tiếng Anh", WORK, "VC"), 2),
            (Post("Giáo viên Vật lý", WORK, "VC"), 1),
            (Post("Giáo viên Hóa học", WORK, "VC"), 1),
            (Post("Giáo viên Sinh học", WORK, "VC"), 1),
            (Post("Giáo viên Lịch sử", WORK, "VC"), 1),
            (Post("Giáo viên Địa lý", WORK, "VC"), 1),
            (Post("Giáo viên Tin học", WORK, "VC"), 1),
            (Post("Nhân viên Văn phòng", WORK, "VC"), 1),
        ),
        LEAD, "VC", 0.3, (12, 20),
    ),
    "college": Profile(
        LEAD,
        (Post("Trưởng khoa", LEAD, "VC"), Post("Trưởng phòng Đào tạo", LEAD, "VC"), Post("Phó Trưởng khoa", LEAD, "VC")),
        ((Post("Giảng viên", WORK, "VC"), 8), (Post("Chuyên viên", WORK, "VC"), 2)),
        LEAD, "VC", 0.4, (10, 30),
    ),
    "hospital": Profile(
        LEAD,
        (
            Post("Trưởng khoa Nội", LEAD, "VC"),
            Post("Trưởng khoa Ngoại", LEAD, "VC"),
            Post("Trưởng khoa Hồi sức cấp cứu", LEAD, "VC"),
            Post("Trưởng phòng Kế hoạch tổng hợp", LEAD, "VC"),
            Post("Phó Trưởng khoa Nội", LEAD, "VC"),
            Post("Điều dưỡng trưởng", LEAD, "VC"),
        ),
        (
            (Post("Bác sĩ", WORK, "VC"), 6),
            (Post("Điều dưỡng", WORK, "VC"), 9),
            (Post("Dược sĩ", WORK, "VC"), 1),
            (Post("Kỹ thuật viên", WORK, "VC"), 2),
            (Post("Hộ lý", WORK, ""), 1),
        ),
        LEAD, "VC", 0.3, (20, 150),
    ),
    "public_service": Profile(
        LEAD,
        (Post("Trưởng phòng", LEAD, "VC"), Post("Phó Trưởng phòng", LEAD, "VC")),
        ((Post("Viên chức", WORK, "VC"), 8), (Post("Kỹ thuật viên", WORK, "VC"), 2), (Post("Phóng viên, biên tập viên", WORK, "VC"), 1)),
        LEAD, "VC", 0.5, (8, 25),
    ),
    "police": Profile(
        DEPT,
        (
            Post("Trưởng phòng Cảnh sát hình sự", LEAD, ""),
            Post("Trưởng phòng An ninh kinh tế", LEAD, ""),
            Post("Trưởng phòng Cảnh sát giao thông", LEAD, ""),
            Post("Phó Trưởng phòng Tham mưu", LEAD, ""),
            Post("Đội trưởng", LEAD, ""),
        ),
        ((Post("Cán bộ", WORK, ""), 10), (Post("Chiến sĩ", WORK, ""), 6)),
        DEPT, "", 0.85, (120, 1500),
    ),
    "military": Profile(
        LEAD,
        (Post("Trưởng phòng Tham mưu", LEAD, ""), Post("Trưởng phòng Chính trị", LEAD, ""), Post("Trưởng phòng Hậu cần - Kỹ thuật", LEAD, "")),
        ((Post("Trợ lý", WORK, ""), 5), (Post("Nhân viên", WORK, ""), 2), (Post("Chiến sĩ", WORK, ""), 6)),
        LEAD, "", 0.9, (45, 300),
    ),
}  # fmt: skip

# Ranks printed before an officer's position ("Thượng tá, Trưởng phòng …").
POLICE_RANKS_SENIOR = ["Đại tá", "Thượng tá", "Trung tá"]
POLICE_RANKS = ["Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy"]
MILITARY_RANKS_SENIOR = ["Đại tá", "Thượng tá", "Trung tá"]
MILITARY_RANKS = ["Thiếu tá", "Đại úy", "Thượng úy", "Trung úy"]
# Soldiers (chiến sĩ) hold non-commissioned ranks.
ENLISTED_RANKS = ["Thượng sĩ", "Trung sĩ", "Hạ sĩ"]

# Commune posts before 01/7/2025, when communes had single-officer posts (công chức).
COMMUNE_POSTS_BEFORE_2025 = {
    "Chuyên viên Văn phòng HĐND và UBND": ["Công chức Văn phòng - Thống kê"],
    "Chuyên viên Phòng Kinh tế": ["Công chức Địa chính - Xây dựng", "Công chức Tài chính - Kế toán"],
    "Chuyên viên Phòng Văn hóa - Xã hội": ["Công chức Văn hóa - Xã hội", "Công chức Tư pháp - Hộ tịch"],
    "Viên chức Trung tâm Phục vụ hành chính công": ["Công chức Văn phòng - Thống kê"],
}
COMMUNE_LEADER_POSTS_BEFORE_2025 = ["Chủ tịch UBND xã {old}", "Phó Chủ tịch UBND xã {old}"]

# --- Citations ---------------------------------------------------------------------------------

THEMATIC_MOVEMENTS = [
    "phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới”",
    "phong trào thi đua “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”",
    "phong trào thi đua “Vì người nghèo - Không để ai bị bỏ lại phía sau”",
    "phong trào thi đua “Đẩy mạnh công tác cải cách hành chính”",
    "phong trào thi đua “Chuyển đổi số tỉnh {p}”",
    "việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "phong trào “Toàn dân bảo vệ an ninh Tổ quốc”",
]
FARMER_MOVEMENT = "phong trào nông dân thi đua sản xuất, kinh doanh giỏi, đoàn kết giúp nhau làm giàu và giảm nghèo bền vững"
AD_HOC_EVENTS: dict[int, list[str]] = {
    2020: ["công tác phòng, chống dịch COVID-19"],
    2021: ["công tác phòng, chống dịch COVID-19", "công tác tổ chức bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021 - 2026"],
    2022: ["công tác tổ chức Đại hội Thể dục thể thao tỉnh lần thứ IX"],
    2023: ["công tác giải phóng mặt bằng Dự án đường Vành đai 4 - Vùng Thủ đô Hà Nội"],
    2024: ["công tác phòng, chống và khắc phục hậu quả cơn bão số 3 (Yagi)"],
    2025: ["công tác sắp xếp tổ chức bộ máy, đơn vị hành chính các cấp và xây dựng mô hình chính quyền địa phương 2 cấp"],
    2026: ["công tác tổ chức bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp nhiệm kỳ 2026 - 2031"],
}  # fmt: skip
