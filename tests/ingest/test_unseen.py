"""Articles read after the rules were written (tests/ingest/texts/): what they showed, held."""

from pathlib import Path

from partnerships.ingest import Snapshot, analyse

TEXTS = Path(__file__).resolve().parent / "texts"


def proposals_of(name: str, publisher: str) -> list[dict]:
    return analyse((TEXTS / name).read_text(encoding="utf-8"), snapshot=Snapshot(), publisher=publisher)


def of_kind(proposals: list[dict], kind: str) -> list[dict]:
    return [proposal for proposal in proposals if proposal["kind"] == kind]


def test_a_simplified_article_keeps_a_name_as_written_where_opencc_would_fold_a_character():
    proposals = proposals_of("ldxk-lixin-jiance.txt", "中国计量大学现代科技学院")

    people = [p["name"] for p in of_kind(proposals, "person")]
    assert "谢乾程" in people and "谢干程" not in people
    assert {p["name"] for p in of_kind(proposals, "post") if p["person"] == "谢乾程"} == {"副总经理", "技术负责人"}
    (event,) = of_kind(proposals, "event")
    assert "谢乾程" in {participant.get("person") for participant in event["participants"]}


def test_a_company_name_the_tagger_splits_is_read_whole_and_a_school_head_belongs_to_the_school():
    proposals = proposals_of("ldxk-lixin-jiance.txt", "中国计量大学现代科技学院")

    (agreement,) = of_kind(proposals, "agreement")
    assert {party["name"] for party in agreement["parties"]} == {"中国计量大学现代科技学院", "浙江立新检测技术有限公司"}
    assert agreement["signatories"] == ["李炯"]
    posts = {(p["person"], p["name"]): p["institution"] for p in of_kind(proposals, "post")}
    assert posts[("何炜炜", "总经理")] == "浙江立新检测技术有限公司"
    assert posts[("李炯", "副院长")] == "中国计量大学现代科技学院"


def test_the_bare_word_school_before_a_title_is_the_publisher():
    proposals = proposals_of("ahcme-guanghui-jintong.txt", "安徽中澳科技职业学院")

    assert "学院" not in {p["name"] for p in of_kind(proposals, "institution")}
    (agreement,) = of_kind(proposals, "agreement")
    assert {party["name"] for party in agreement["parties"]} == {"安徽中澳科技职业学院", "北京广慧金通教育科技有限公司"}
    assert agreement["signatories"] == ["侯大寅", "焦殿成"]
    posts = {(p["person"], p["name"]): p["institution"] for p in of_kind(proposals, "post")}
    assert posts[("侯大寅", "院长")] == "安徽中澳科技职业学院"


def test_a_company_name_with_a_bracketed_place_is_one_name():
    proposals = proposals_of("emtc-weidmueller.txt", "江西机电职业技术学院")

    assert "德国魏德米勒电联结(上海)有限公司" in {p["name"] for p in of_kind(proposals, "institution")}
    (agreement,) = of_kind(proposals, "agreement")
    assert {party["name"] for party in agreement["parties"]} == {"江西机电职业技术学院", "德国魏德米勒电联结(上海)有限公司"}
