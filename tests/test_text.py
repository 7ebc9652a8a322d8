from pathlib import Path

import pytest

from partnerships.text import in_traditional_script, to_simplified, variant_spelling


def test_traditional_names_fold_to_simplified():
    assert to_simplified("溫州職業技術學院") == "温州职业技术学院"
    assert to_simplified("鄭信軍") == "郑信军"


def test_simplified_text_and_empty_text_are_unchanged():
    assert to_simplified("赣州师范高等专科学校") == "赣州师范高等专科学校"
    assert to_simplified("") == ""


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("吴政义", "吴正义", True),  # the BRIEF's example: one person, two spellings in one article
        ("吴政义", "吳正義", True),  # and a repost's traditional script
        ("王兵", "王冰", True),
        ("吴政义", "吴政义", False),  # one spelling is not a variant of itself
        ("王兵", "李兵", False),  # the surname must agree
        ("吴政义", "吴正仁", False),  # one character may differ, not two
        ("徐公义", "徐公明", False),  # and only for one of the same sound
        ("金同元", "金同", False),
    ],
)
def test_a_variant_spelling_is_the_same_surname_with_one_homophone_character(a, b, same):
    assert variant_spelling(a, b) is same


def test_a_repost_is_in_traditional_script_but_a_simplified_name_opencc_folds_is_not():
    articles = Path(__file__).resolve().parent / "articles"
    assert in_traditional_script((articles / "wenzhou-longwan-fushu-repost.txt").read_text(encoding="utf-8"))
    assert not in_traditional_script((articles / "liaocheng-jishi-chiping.txt").read_text(encoding="utf-8"))
    assert not in_traditional_script("副总经理、技术负责人谢乾程,副总经理孔祥金")  # OpenCC folds 乾, one character
