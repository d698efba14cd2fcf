"""Plan time frames are read in full or refused, never guessed.

`_part` once searched for a date anywhere in a part and kept what stood before it as "what is due", so an
unreadable start was dropped and "năm 2023" alone decided the deadline ("Quý V năm 2023" -> 31/12/2023,
"Tháng ３ năm 2023" -> 31/12/2023, "Trước ngày 15 tháng 3 năm 2023" -> 31/03/2023, "Tháng 02 năm 2023 hoặc
tháng 5 năm 2023" -> 31/05/2023). Each case here has its literal result.

Decisions (documented in reformdash/timeframes.py):
- "Trước ngày 15 ..." is due on the 15th: the day a plan names is its deadline;
- two dates joined by "hoặc" are refused, the site does not choose one;
- a remark after the date, "Tháng 3 năm 2023 (dự kiến)", is refused: the site cannot know whether it changes
  the deadline (write the remark in the task's status comment);
- what stands before the date is a description of what is due, with no digit and no word about time.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reformdash.pipeline import Project, check
from reformdash.problems import BuildFailed
from reformdash.timeframes import OtherScriptDigit, TimeFrameError, parse_time_frame


@pytest.mark.parametrize("phrase, deadlines", [
    ("Trước ngày 15 tháng 3 năm 2023", [("", date(2023, 3, 15))]),
    ("Trước ngày 15/3/2023", [("", date(2023, 3, 15))]),
    ("Ngày 15 tháng 3 năm 2023", [("", date(2023, 3, 15))]),
    ("Chậm nhất ngày 31/12/2023", [("", date(2023, 12, 31))]),
    ("Tháng 02 năm 2023", [("", date(2023, 2, 28))]),
    ("Kế hoạch ban hành trước ngày 15/3/2023; báo cáo tháng 12/2023",
     [("Kế hoạch ban hành", date(2023, 3, 15)), ("báo cáo", date(2023, 12, 31))]),
    ("Dự thảo trình trong quý I/2023", [("Dự thảo trình", date(2023, 3, 31))]),  # "dự" alone is not "dự kiến"
    ("Ngày 29/2/2024", [("", date(2024, 2, 29))]),
])
def test_days_and_plain_descriptions_are_read(phrase: str, deadlines) -> None:
    assert [(d.what, d.due) for d in parse_time_frame(phrase, 2023).deadlines] == deadlines


@pytest.mark.parametrize("phrase, message", [
    # the attacker's cases
    ("Quý V năm 2023", "cannot read the time frame 'Quý V năm 2023': the site reads 'năm 2023' but not 'Quý V' "
                       "before it"),
    ("Tháng 02 năm 2023 hoặc tháng 5 năm 2023",
     "cannot read the time frame 'Tháng 02 năm 2023 hoặc tháng 5 năm 2023': 'hoặc' (or) gives more than one "
     "deadline and the site does not choose one"),
    # what a careless clerk types
    ("Quý 5/2023", "cannot read the time frame 'Quý 5/2023'"),
    ("Quý 5 năm 2023", "cannot read the time frame 'Quý 5 năm 2023': the site reads 'năm 2023' but not 'Quý 5' "
                       "before it"),
    ("Tháng 13 năm 2023", "there is no month 13"),
    ("Tháng 0/2023", "there is no month 0"),
    ("Tháng 3 năm 2023 (dự kiến)", "cannot read the time frame 'Tháng 3 năm 2023 (dự kiến)': the site reads "
                                   "'Tháng 3 năm 2023' but not '(dự kiến)' after it"),
    ("Dự kiến tháng 3 năm 2023", "cannot read the time frame 'Dự kiến tháng 3 năm 2023': the site reads "
                                 "'tháng 3 năm 2023' but not 'Dự kiến' before it"),
    ("Trước tháng 6/2023", "cannot read the time frame 'Trước tháng 6/2023': the site reads 'tháng 6/2023' but "
                           "not 'Trước' before it"),
    ("Đầu năm 2023", "cannot read the time frame 'Đầu năm 2023': the site reads 'năm 2023' but not 'Đầu' "
                     "before it"),
    ("Tháng ba năm 2023", "cannot read the time frame 'Tháng ba năm 2023': the site reads 'năm 2023' but not "
                          "'Tháng ba' before it"),
    ("Từ tháng 3 đến tháng 6/2023", "cannot read the time frame 'Từ tháng 3 đến tháng 6/2023': the site reads "
                                    "'tháng 6/2023' but not 'Từ tháng 3 đến' before it"),
    ("Trước ngày 30/2/2023", "there is no day 30 in month 2 of 2023"),
    ("Trước ngày 15 tháng 3", "cannot read the time frame 'Trước ngày 15 tháng 3'"),
    ("xtháng 12/2023", "cannot read the time frame 'xtháng 12/2023'"),
    ("Tháng 12/2023 tháng 12/2023", "cannot read the time frame 'Tháng 12/2023 tháng 12/2023': the site reads "
                                    "'Tháng 12/2023' but not 'tháng 12/2023' after it"),
    ("Tháng 3/2023 hàng quý", "cannot read the time frame 'Tháng 3/2023 hàng quý': the site reads 'hàng quý' but "
                              "not 'Tháng 3/2023' before it"),
    ("Kế hoạch ban hành trong quý I/2023; Quý V năm 2023",
     "cannot read the time frame 'Quý V năm 2023': the site reads 'năm 2023' but not 'Quý V' before it"),
])
def test_a_part_not_read_in_full_is_refused(phrase: str, message: str) -> None:
    with pytest.raises(TimeFrameError) as error:
        parse_time_frame(phrase, 2023)
    assert type(error.value) is TimeFrameError
    assert str(error.value) == message


@pytest.mark.parametrize("phrase, digit", [
    ("Tháng ３ năm 2023", "３"),     # fullwidth 3, once read as the year alone
    ("Tháng 3 năm ٢٠٢٣", "٢"),      # Arabic-Indic digits of the year
    ("Quý I/２０２３", "２"),
    ("Kế hoạch ３; báo cáo hàng quý", "３"),  # in the description too
])
def test_other_scripts_digits_are_named(phrase: str, digit: str) -> None:
    with pytest.raises(OtherScriptDigit) as error:
        parse_time_frame(phrase, 2023)
    assert error.value.digit == digit


def test_a_fullwidth_digit_in_a_plan_file_is_e219(project_factory) -> None:
    root = project_factory(Path(__file__).parent / "fixtures" / "plan-project")
    plan = root / "data" / "sgddt" / "plan-2023.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('"Quý I năm 2023"', '"Tháng ３ năm 2023"'),
                    encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        check(Project.at(root))
    [problem] = failure.value.problems
    assert problem.format() == (
        "data/sgddt/plan-2023.yaml:27:9: error E219: task 3: 'time_frame' = Tháng ３ năm 2023 uses the digit "
        "'３' (U+FF13); only the digits 0-9 are accepted\n"
        "    hint: write the time frame with 0-9, e.g. “Tháng 12/2023”")
