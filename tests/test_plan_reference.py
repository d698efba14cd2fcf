"""The bundled 2023 plan of Sở Giáo dục và Đào tạo (data/sgddt/plan-2023.yaml)
against facts read by hand from shared/reference-reports/so-gddt_2023_plan.txt.

Reads the YAML directly with yaml.safe_load: independent of the engine's loader."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "sgddt" / "plan-2023.yaml"
UNITS = ROOT / "data" / "sgddt" / "units.yaml"

AREAS = ["I", "II", "III", "IV", "V", "VI", "VII"]


@pytest.fixture(scope="module")
def plan() -> dict:
    return yaml.safe_load(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tasks(plan) -> dict[str, dict]:
    return {t["number"]: t for t in plan["tasks"]}


@pytest.fixture(scope="module")
def units() -> list[dict]:
    return yaml.safe_load(UNITS.read_text(encoding="utf-8"))


def all_parts(plan):
    return [(t["number"], p) for t in plan["tasks"] for p in t["parts"]]


# ----------------------------------------------------------------- header

def test_header(plan):
    assert plan["department"] == "sgddt"
    assert plan["year"] == 2023
    assert plan["title"] == "Thực hiện cải cách hành chính năm 2023"
    assert plan["number"] is None      # blank in the source
    assert plan["date"] is None        # blank in the source
    assert plan["signer"] == "Châu Tuấn Hồng"
    assert plan["source"] == "so-gddt_2023_plan.txt"
    assert (ROOT.parent / "shared" / "reference-reports" / plan["source"]).is_file()


# ----------------------------------------------------------------- structure

def test_36_tasks_numbered_in_order(plan):
    assert [t["number"] for t in plan["tasks"]] == [str(n) for n in range(1, 37)]


def test_38_product_rows(plan):
    assert len(all_parts(plan)) == 38
    assert [len(t["parts"]) for t in plan["tasks"]] == [1, 1, 3] + [1] * 33


def test_every_task_and_part_has_its_fields(plan):
    for t in plan["tasks"]:
        assert set(t) == {"number", "area", "group", "task", "parts"}, t["number"]
        assert isinstance(t["task"], str) and t["task"], t["number"]
        assert not t["task"].startswith(t["number"] + "."), t["number"]
        for p in t["parts"]:
            assert set(p) in ({"product", "time_frame", "lead", "partners"},
                              {"product", "time_frame", "lead"}), t["number"]
            for key, text in p.items():
                assert isinstance(text, str) and text.strip() == text and text, (t["number"], key)


def test_layout_cleaned(plan):
    """No double spaces, no stray line breaks except between bulleted items."""
    for number, p in all_parts(plan):
        for key, text in p.items():
            assert "  " not in text, (number, key)
            for line in text.split("\n")[1:]:
                assert line.startswith("- "), (number, key, line)
    for t in plan["tasks"]:
        assert "  " not in t["task"] and "\n" not in t["task"], t["number"]
        assert "  " not in t["group"] and "\n" not in t["group"], t["number"]


def test_areas_and_groups(plan):
    by_area = {}
    for t in plan["tasks"]:
        by_area.setdefault(t["area"], []).append(int(t["number"]))
    assert list(by_area) == AREAS
    assert by_area == {
        "I": list(range(1, 10)),
        "II": [10, 11],
        "III": list(range(12, 17)),
        "IV": [17, 18, 19],
        "V": list(range(20, 26)),
        "VI": list(range(26, 31)),
        "VII": list(range(31, 37)),
    }
    groups = {t["area"]: t["group"] for t in reversed(plan["tasks"])}
    assert all(t["group"] == groups[t["area"]] for t in plan["tasks"])
    assert groups == {
        "I": "Công tác chỉ đạo, điều hành",
        "II": "Cải cách thể chế",
        "III": "Cải cách thủ tục hành chính",
        "IV": "Cải cách tổ chức bộ máy",
        "V": "Cải cách chế độ công vụ",
        "VI": "Cải cách tài chính công",
        "VII": "Xây dựng và phát triển Chính quyền điện tử, chính quyền số",
    }


# ----------------------------------------------------------------- task 3

def test_task_3_has_three_rows_with_their_own_time_frames_and_leads(tasks):
    t = tasks["3"]
    assert t["task"] == "Xây dựng và tổ chức thực hiện KH tuyên truyền CCHC 2023."
    assert t["parts"] == [
        {"product": "Kế hoạch và báo cáo kết quả thực hiện tuyên truyền CCHC năm 2023.",
         "time_frame": "Kế hoạch ban hành trong quý I/2023; báo cáo hàng quý.",
         "lead": "Phòng TCCB, VP",
         "partners": "Các đơn vị thuộc và trực thuộc."},
        {"product": "Mỗi tháng có ít nhất 01 tin, bài về CCHC đăng website Sở",
         "time_frame": "Trong năm 2023",
         "lead": "Phòng TCCB, VP",
         "partners": "Tổ CNTT"},
        {"product": "Mỗi quý có ít nhất 01 tin, bài về CCHC gửi và được đăng trên chuyên trang "
                    "CCHC của tỉnh (tin, bài gửi Sở Nội vụ)",
         "time_frame": "Trong năm 2023",
         "lead": "Phòng TCCB (quý I), VP (quý II), Thanh tra (quý III), Tổ CNTT (quý IV)",
         "partners": "Sở Nội vụ"},
    ]


# ----------------------------------------------------------------- time frames

def test_time_frame_phrases_per_task(plan):
    tasks_per_phrase = Counter()
    for t in plan["tasks"]:
        for phrase in {p["time_frame"] for p in t["parts"]}:
            tasks_per_phrase[phrase] += 1
    assert tasks_per_phrase == {
        "Tháng 12/2023": 11,
        "Tháng 12 năm 2023": 8,
        "Trong năm 2023": 7,
        "Quý I năm 2023": 4,
        "Thường xuyên": 2,
        "Trong tháng 12 năm 2022": 1,
        "Kế hoạch ban hành trong quý I/2023; báo cáo hàng quý.": 1,
        "Kế hoạch ban hành trong quý I/2023; báo cáo tháng 12 2023.": 1,
        "Kế hoạch ban hành trong quý I/2023; báo cáo tháng 12 năm 2023.": 1,
        "Kế hoạch ban hành trong quý I/2023; báo cáo cuối năm 2023.": 1,
    }


def test_time_frame_phrases_per_row(plan):
    rows = Counter(p["time_frame"] for _, p in all_parts(plan))
    assert rows["Trong năm 2023"] == 8     # task 3 has it on two of its rows
    assert sum(rows.values()) == 38


@pytest.mark.parametrize("number, phrase", [
    ("1", "Trong tháng 12 năm 2022"),
    ("4", "Kế hoạch ban hành trong quý I/2023; báo cáo tháng 12 2023."),
    ("7", "Thường xuyên"),
    ("10", "Kế hoạch ban hành trong quý I/2023; báo cáo tháng 12 năm 2023."),
    ("12", "Kế hoạch ban hành trong quý I/2023; báo cáo cuối năm 2023."),
    ("21", "Thường xuyên"),
    ("26", "Quý I năm 2023"),
    ("28", "Quý I năm 2023"),
    ("29", "Tháng 12 năm 2023"),
    ("25", "Tháng 12/2023"),
])
def test_time_frame_of_task(tasks, number, phrase):
    assert [p["time_frame"] for p in tasks[number]["parts"]] == [phrase]


# ----------------------------------------------------------------- spot checks

def only_part(tasks, number):
    (part,) = tasks[number]["parts"]
    return part


def test_task_1(tasks):
    assert tasks["1"]["task"] == "Lập kế hoạch CCHC năm 2023."
    assert only_part(tasks, "1") == {
        "product": "Kế hoạch CCHC 2023",
        "time_frame": "Trong tháng 12 năm 2022",
        "lead": "Phòng TCCB",
        "partners": "Các đơn vị thuộc và trực thuộc.",
    }


def test_task_5_keeps_the_repeated_words(tasks):
    assert tasks["5"]["task"] == ("Triển khai thực hiện thực hiện Bản cam kết trách nhiệm của "
                                  "người đứng đầu trong giải quyết TTHC")
    p = only_part(tasks, "5")
    assert p["lead"] == "Văn phòng"
    assert p["partners"] == "Các đơn vị có liên quan"


def test_task_7_leads_as_written(tasks):
    p = only_part(tasks, "7")
    assert p["product"] == ("- Thông báo phân công nhiệm vụ CCHC đối với Giám đốc;\n"
                            "- Các văn bản chỉ đạo, điều hành CCHC do Giám đốc ký.")
    assert p["lead"] == "Văn phòng, phòng TCCB"
    assert p["partners"] == "Các đơn vị trực thuộc Sở."


def test_task_8_one_line_row_split_into_columns(tasks):
    assert tasks["8"]["task"] == "Sáng kiến, giải pháp mới trong CCHC"
    assert only_part(tasks, "8") == {
        "product": "Thuyết minh, báo cáo hiệu quả sáng kiến",
        "time_frame": "Tháng 12/2023",
        "lead": "Văn phòng",
        "partners": "Các đơn vị liên quan",
    }


def test_task_9_lead_tccb(tasks):
    p = only_part(tasks, "9")
    assert p["lead"] == "TCCB"
    assert p["partners"] == "Các đơn vị liên quan."


def test_task_11_area_ii(tasks):
    assert tasks["11"]["task"] == ("Tham mưu soạn thảo văn bản QPPL trình theo trình tự, thủ tục, "
                                   "tiến độ quy định (khi có yêu cầu).")
    p = only_part(tasks, "11")
    assert p["lead"] == "Các phòng CM, NV"
    assert p["partners"] == "Văn phòng"


def test_task_13_interleaved_columns(tasks):
    t = tasks["13"]
    assert t["area"] == "III"
    assert t["task"] == ("Tham mưu Chủ tịch UBND tỉnh công bố TTHC của cơ quan (kể cả các TTHC "
                         "áp dụng tại cấp huyện, cấp xã) được sửa đổi, bổ sung, hủy bỏ, bãi bỏ "
                         "theo quy định của Chính phủ, Bộ, ngành Trung ương (nếu có)")
    assert only_part(tasks, "13") == {
        "product": "QĐ công bố hoặc bãi bỏ TTHC của Chủ tịch UBND tỉnh",
        "time_frame": "Trong năm 2023",
        "lead": "Văn phòng",
        "partners": "Tổ kiểm soát TTHC.",
    }


def test_task_16(tasks):
    p = only_part(tasks, "16")
    assert p["product"] == "- Báo cáo kết quả thực hiện.\n- Thông báo xin lỗi nếu có trễ hẹn"
    assert p["lead"] == "Các phòng CM, NV có TTHC"
    assert p["partners"] == "Bộ phận TNHS và TKQ"


def test_task_19_interleaved_columns(tasks):
    t = tasks["19"]
    assert t["area"] == "IV"
    assert t["task"] == ("Kiểm tra, theo dõi, đánh giá định kỳ đối với những nhiệm vụ quản lý "
                         "nhà nước đã phân cấp cho đơn vị; xử lý các vấn đề phân cấp phát hiện "
                         "qua kiểm tra đạt từ 80% trở lên")
    assert only_part(tasks, "19") == {
        "product": "- Kế hoạch kiểm tra định kỳ đối với các nhiệm vụ quản lý nhà nước đã phân cấp;\n"
                   "- QĐ thành lập đoàn kiểm tra;\n"
                   "- Kết luận kiểm tra;\n"
                   "- Báo cáo kết quả khắc phục của đơn vị được kiểm tra; thống kê các nội dung "
                   "đã khắc phục và chưa khắc phục",
        "time_frame": "Trong năm 2023",
        "lead": "Thanh tra",
        "partners": "Đơn vị có liên quan",
    }


def test_task_20_lead_with_full_stop(tasks):
    p = only_part(tasks, "20")
    assert p["product"] == "Bản mô tả vị trí việc làm"
    assert p["lead"] == "Phòng TCCB."
    assert p["partners"] == "Các đơn vị thuộc và trực thuộc Sở."


def test_task_28_code_rejoined(tasks):
    assert only_part(tasks, "28")["product"] == (
        "Báo cáo kết quả thực hiện theo Biểu số 7 Thông tư liên tịch số 71/2014/TTLT-BTC-BNV "
        "ngày 30/5/2014; Phụ lục 06 Thông tư 145/2017/TT-BTC ngày 29/12/2017")
    assert only_part(tasks, "28")["lead"] == "Phòng KH-TC"


def test_task_29_double_spaces_collapsed(tasks):
    assert tasks["29"]["task"] == ("Số lượng đơn vị sự nghiệp công lập trực thuộc cập nhật, bổ "
                                   "sung quy chế chi tiêu nội bộ, quy chế quản lý, sử dụng tài "
                                   "sản công đầy đủ, kịp thời đạt 70% trở lên")
    p = only_part(tasks, "29")
    assert p["product"] == "Thống kê tỷ lệ kèm tài liệu kiểm chứng để kiểm tra"
    assert p["lead"] == "Phòng KH-TC tổng hợp báo cáo"
    assert p["partners"] == "Các đơn vị có liên quan."


def test_task_30(tasks):
    assert tasks["30"]["task"] == ("100% đơn vị sự nghiệp công lập trực thuộc thực hiện công "
                                   "khai, minh bạch trong quản lý sử dụng tài sản công")


def test_task_33(tasks):
    p = only_part(tasks, "33")
    assert p["lead"] == "Tổ CNTT"
    assert p["partners"] == "Các phòng CM, NV"


def test_task_34_interleaved_columns(tasks):
    t = tasks["34"]
    assert t["area"] == "VII"
    assert t["task"] == ("Mức độ cung cấp dịch vụ công trực tuyến: 100% TTHC trong tổng số TTHC "
                         "thuộc thẩm quyền giải quyết được cung cấp trực tuyến ở mức độ 2; có từ "
                         "20% TTHC trở lên được cung cấp mức độ 3; có từ 10% TTHC trở lên được "
                         "cung cấp mức độ 4.")
    assert only_part(tasks, "34") == {
        "product": "- Báo cáo kết quả thực hiện;\n"
                   "- Thông báo cung cấp dịch vụ công trực tuyến ở các mức độ;\n"
                   "- Kiểm tra trên phần mềm Một cửa điện tử.",
        "time_frame": "Tháng 12 năm 2023",
        "lead": "Văn phòng",
        "partners": "Tổ Kiểm soát TTHC",
    }


def test_task_35(tasks):
    p = only_part(tasks, "35")
    assert p["product"] == "Báo cáo kết quả thực hiện kèm đường link."
    assert p["lead"] == "Tổ CNTT"
    assert p["partners"] == "Các phòng chuyên môn, nghiệp vụ thuộc Sở."


def test_task_36_keeps_the_typo(tasks):
    p = only_part(tasks, "36")
    assert "mục tiêu hất lượng, chính sách chất lượng;" in p["product"]
    assert p["lead"] == "Văn phòng"
    assert p["partners"] == "Thư ký ISO"


# ----------------------------------------------------------------- units

def match_units(text: str, units: list[dict]) -> set[str]:
    aliases = sorted(((a, u["id"]) for u in units for a in u["aliases"]),
                     key=lambda pair: -len(pair[0]))
    found = set()
    for alias, unit_id in aliases:
        if alias in text:
            found.add(unit_id)
            text = text.replace(alias, "\0" * len(alias))
    return found


def test_units_file(units):
    ids = [u["id"] for u in units]
    assert len(ids) == len(set(ids))
    for u in units:
        assert set(u) == {"id", "name_vi", "short_vi", "aliases"}
        assert u["aliases"]
    by_id = {u["id"]: u for u in units}
    assert by_id["tccb"]["name_vi"] == "Phòng Tổ chức cán bộ"
    assert by_id["kh-tc"]["name_vi"] == "Phòng Kế hoạch - Tài chính"


@pytest.mark.parametrize("text, expected", [
    ("Phòng TCCB", {"tccb"}),
    ("Phòng TCCB.", {"tccb"}),
    ("TCCB", {"tccb"}),
    ("Phòng TCCB, VP", {"tccb", "vp"}),
    ("Văn phòng, phòng TCCB", {"tccb", "vp"}),
    ("Phòng TCCB (quý I), VP (quý II), Thanh tra (quý III), Tổ CNTT (quý IV)",
     {"tccb", "vp", "thanh-tra", "cntt"}),
    ("Phòng KH-TC tổng hợp báo cáo", {"kh-tc"}),
    ("Tổ kiểm soát TTHC.", {"kiem-soat-tthc"}),
    ("Tổ Kiểm soát TTHC", {"kiem-soat-tthc"}),
    ("Các đơn vị thuộc và trực thuộc.", set()),
    ("Các phòng CM, NV có TTHC", set()),
    ("Sở Nội vụ", set()),
])
def test_unit_matching(units, text, expected):
    assert match_units(text, units) == expected


def test_every_lead_names_a_unit_or_a_collective(plan, units):
    collective_leads = {"Các bộ phận; cá nhân được phân công", "Các phòng CM, NV",
                        "Các phòng CM, NV có TTHC"}
    for number, p in all_parts(plan):
        if p["lead"] not in collective_leads:
            assert match_units(p["lead"], units), (number, p["lead"])
