"""Seed the award catalogue (Law 06/2022/QH15 Đ9, Đ19–20; Decree 152/2025/NĐ-CP Đ50–54)
and the versions of the legal basis in force since 2024. Editable afterwards in admin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import migrations

I, C, H = "individual", "collective", "household"
SUFFIX = {I: "CN", C: "TT", H: "HGD"}

# (code, name, kind, recipient kinds, level, authority, multipliers by recipient, council vote, reference)
# Multipliers are multiples of the base salary (Decree 152/2025 Đ50–54). Individual amounts of
# Bằng khen and Giấy khen are half the collective ones and households get 1.5× an individual,
# as under the previous decrees: to be verified against the decree text, hence editable.
CATALOGUE = [
    # Danh hiệu thi đua — cá nhân
    ("CSTDTQ", "Chiến sĩ thi đua toàn quốc", "danh_hieu_td", [I], "nha_nuoc", "prime_minister", {I: "4.5"}, True, "Luật TĐKT Đ21"),
    ("CSTDT", "Chiến sĩ thi đua cấp tỉnh", "danh_hieu_td", [I], "tinh", "province_chair", {I: "3.0"}, True, "Luật TĐKT Đ22"),
    ("CSTDCS", "Chiến sĩ thi đua cơ sở", "danh_hieu_td", [I], "co_so", "unit_head", {I: "1.0"}, True, "Luật TĐKT Đ23"),
    ("LDTT", "Lao động tiên tiến", "danh_hieu_td", [I], "co_so", "unit_head", {I: "0.3"}, False, "Luật TĐKT Đ24"),
    ("CSTT", "Chiến sĩ tiên tiến", "danh_hieu_td", [I], "co_so", "other", {I: "0.3"}, False, "Luật TĐKT Đ24"),
    # Danh hiệu thi đua — tập thể
    ("COCP", "Cờ thi đua của Chính phủ", "danh_hieu_td", [C], "nha_nuoc", "prime_minister", {C: "12"}, True, "Luật TĐKT Đ25"),
    ("COTINH", "Cờ thi đua của Ủy ban nhân dân tỉnh", "danh_hieu_td", [C], "tinh", "province_chair", {C: "8"}, True, "Luật TĐKT Đ26"),
    ("TTLDXS", "Tập thể lao động xuất sắc", "danh_hieu_td", [C], "tinh", "province_chair", {C: "1.5"}, False, "Luật TĐKT Đ27"),
    ("DVQT", "Đơn vị quyết thắng", "danh_hieu_td", [C], "tinh", "other", {C: "1.5"}, False, "Luật TĐKT Đ27"),
    ("TTLDTT", "Tập thể lao động tiên tiến", "danh_hieu_td", [C], "co_so", "unit_head", {C: "0.8"}, False, "Luật TĐKT Đ28"),
    ("DVTT", "Đơn vị tiên tiến", "danh_hieu_td", [C], "co_so", "other", {C: "0.8"}, False, "Luật TĐKT Đ28"),
    ("XATB", "Xã, phường, đặc khu tiêu biểu", "danh_hieu_td", [C], "tinh", "province_chair", {C: "2.0"}, False, "Luật TĐKT Đ20; NĐ 152/2025"),
    ("THONVH", "Thôn, tổ dân phố văn hóa", "danh_hieu_td", [C], "co_so", "unit_head", {C: "1.5"}, False, "Luật TĐKT Đ20"),
    ("GDVH", "Gia đình văn hóa", "danh_hieu_td", [H], "co_so", "unit_head", {}, False, "Luật TĐKT Đ20"),
    # Huân chương
    ("HCSV", "Huân chương Sao vàng", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCHCM", "Huân chương Hồ Chí Minh", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCDL1", "Huân chương Độc lập hạng Nhất", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCDL2", "Huân chương Độc lập hạng Nhì", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCDL3", "Huân chương Độc lập hạng Ba", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCQC1", "Huân chương Quân công hạng Nhất", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCQC2", "Huân chương Quân công hạng Nhì", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCQC3", "Huân chương Quân công hạng Ba", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCLD1", "Huân chương Lao động hạng Nhất", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCLD2", "Huân chương Lao động hạng Nhì", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCLD3", "Huân chương Lao động hạng Ba", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCBVTQ1", "Huân chương Bảo vệ Tổ quốc hạng Nhất", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCBVTQ2", "Huân chương Bảo vệ Tổ quốc hạng Nhì", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCBVTQ3", "Huân chương Bảo vệ Tổ quốc hạng Ba", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCCC1", "Huân chương Chiến công hạng Nhất", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCCC2", "Huân chương Chiến công hạng Nhì", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCCC3", "Huân chương Chiến công hạng Ba", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCDDK", "Huân chương Đại đoàn kết dân tộc", "huan_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCDC", "Huân chương Dũng cảm", "huan_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    ("HCHN", "Huân chương Hữu nghị", "huan_chuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ33"),
    # Huy chương
    ("HCQKQT", "Huy chương Quân kỳ quyết thắng", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("HCVANTQ", "Huy chương Vì an ninh Tổ quốc", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("HCCSVV1", "Huy chương Chiến sĩ vẻ vang hạng Nhất", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("HCCSVV2", "Huy chương Chiến sĩ vẻ vang hạng Nhì", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("HCCSVV3", "Huy chương Chiến sĩ vẻ vang hạng Ba", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("HCHNGHI", "Huy chương Hữu nghị", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("HCTNXP", "Huy chương Thanh niên xung phong vẻ vang", "huy_chuong", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ96"),
    # Danh hiệu vinh dự nhà nước
    ("TAH", "Tỉnh Anh hùng", "danh_hieu_nn", [C], "nha_nuoc", "president", {}, True, "Luật TĐKT Đ59"),
    ("TPAH", "Thành phố Anh hùng", "danh_hieu_nn", [C], "nha_nuoc", "president", {}, True, "Luật TĐKT Đ59"),
    ("BMVNAH", "Bà mẹ Việt Nam anh hùng", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("AHLLVT", "Anh hùng Lực lượng vũ trang nhân dân", "danh_hieu_nn", [I, C], "nha_nuoc", "president", {}, True, "Luật TĐKT Đ9"),
    ("AHLD", "Anh hùng Lao động", "danh_hieu_nn", [I, C], "nha_nuoc", "president", {}, True, "Luật TĐKT Đ9"),
    ("NGND", "Nhà giáo nhân dân", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("NGUT", "Nhà giáo ưu tú", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("TTND", "Thầy thuốc nhân dân", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("TTUT", "Thầy thuốc ưu tú", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("NSND", "Nghệ sĩ nhân dân", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("NSUT", "Nghệ sĩ ưu tú", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("NNND", "Nghệ nhân nhân dân", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("NNUT", "Nghệ nhân ưu tú", "danh_hieu_nn", [I], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    # Giải thưởng
    ("GTHCM", "Giải thưởng Hồ Chí Minh", "giai_thuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    ("GTNN", "Giải thưởng Nhà nước", "giai_thuong", [I, C], "nha_nuoc", "president", {}, False, "Luật TĐKT Đ9"),
    # Kỷ niệm chương
    ("KNCT", "Kỷ niệm chương của tỉnh", "ky_niem_chuong", [I], "tinh", "province_chair", {}, False, "Luật TĐKT Đ9"),
    # Bằng khen, Giấy khen
    ("BKTTG", "Bằng khen của Thủ tướng Chính phủ", "bang_khen", [I, C, H], "nha_nuoc", "prime_minister", {C: "7", I: "3.5", H: "5.25"}, False, "Luật TĐKT Đ71–73"),
    ("BKCT", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "bang_khen", [I, C, H], "tinh", "province_chair", {C: "3", I: "1.5", H: "2.25"}, False, "Luật TĐKT Đ74"),
    ("GK", "Giấy khen", "giay_khen", [I, C, H], "co_so", "unit_head", {C: "0.6", I: "0.3", H: "0.45"}, False, "Luật TĐKT Đ75"),
]

LEGAL_BASES = [
    {
        "name": "Luật TĐKT 2022, Nghị định 98/2023/NĐ-CP",
        "documents": "Luật Thi đua, khen thưởng số 06/2022/QH15\nNghị định số 98/2023/NĐ-CP ngày 31/12/2023\nNghị định số 24/2023/NĐ-CP (mức lương cơ sở 1.800.000 đồng)",
        "effective_from": dt.date(2024, 1, 1),
        "base_salary": 1_800_000,
    },
    {
        "name": "Luật TĐKT 2022, Nghị định 98/2023/NĐ-CP, lương cơ sở 2024",
        "documents": "Luật Thi đua, khen thưởng số 06/2022/QH15\nNghị định số 98/2023/NĐ-CP ngày 31/12/2023\nNghị định số 73/2024/NĐ-CP (mức lương cơ sở 2.340.000 đồng)",
        "effective_from": dt.date(2024, 7, 1),
        "base_salary": 2_340_000,
    },
    {
        "name": "Luật TĐKT 2022, Nghị định 152/2025/NĐ-CP",
        "documents": "Luật Thi đua, khen thưởng số 06/2022/QH15\nNghị định số 152/2025/NĐ-CP ngày 14/6/2025\nThông tư số 15/2025/TT-BNV ngày 04/8/2025\nNghị định số 73/2024/NĐ-CP (mức lương cơ sở 2.340.000 đồng)",
        "effective_from": dt.date(2025, 7, 1),
        "base_salary": 2_340_000,
    },
]


def seed(apps, schema_editor):
    AwardCategory = apps.get_model("awards", "AwardCategory")
    LegalBasis = apps.get_model("awards", "LegalBasis")
    order = 0
    for code, name, kind, recipients, level, authority, multipliers, vote, reference in CATALOGUE:
        for recipient in recipients:
            order += 10
            full_code = code if len(recipients) == 1 else f"{code}.{SUFFIX[recipient]}"
            multiplier = multipliers.get(recipient)
            AwardCategory.objects.update_or_create(
                code=full_code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "recipient_kind": recipient,
                    "level": level,
                    "deciding_authority": authority,
                    "bonus_multiplier": Decimal(multiplier) if multiplier else None,
                    "requires_council_vote": vote,
                    "legal_reference": reference,
                    "order": order,
                },
            )
    for values in LEGAL_BASES:
        LegalBasis.objects.update_or_create(effective_from=values["effective_from"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
