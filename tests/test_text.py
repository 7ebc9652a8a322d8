from partnerships.text import to_simplified


def test_traditional_names_fold_to_simplified():
    assert to_simplified("溫州職業技術學院") == "温州职业技术学院"
    assert to_simplified("鄭信軍") == "郑信军"


def test_simplified_text_and_empty_text_are_unchanged():
    assert to_simplified("赣州师范高等专科学校") == "赣州师范高等专科学校"
    assert to_simplified("") == ""
