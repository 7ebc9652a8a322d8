"""Sentence-level cases (tests/ingest/cases/*.json): each rule's own small table of sentences and what they state."""

import datetime
import json
from pathlib import Path

import pytest

from partnerships.ingest import Snapshot, analyse
from partnerships.ingest.snapshot import KnownRegion

CASES = Path(__file__).resolve().parent / "cases"
# The few regions the sentences name, as the real snapshot has them.
SNAPSHOT = Snapshot.build(
    regions=[
        KnownRegion("360700", "赣州市", "prefecture"),
        KnownRegion("360783", "龙南市", "county", "赣州市"),
        KnownRegion("360702", "章贡区", "county", "赣州市"),
        KnownRegion("371500", "聊城市", "prefecture"),
        KnownRegion("350100", "福州市", "prefecture"),
        KnownRegion("350000", "福建省", "province"),
        KnownRegion("210200", "大连市", "prefecture"),
        KnownRegion("410100", "郑州市", "prefecture"),
        KnownRegion("441881", "英德市", "county"),
        KnownRegion("511083", "隆昌市", "county"),
        KnownRegion("340882", "潜山市", "county"),
        KnownRegion("411500", "信阳市", "prefecture"),
        KnownRegion("130000", "河北省", "province"),
        KnownRegion("110000", "北京市", "province"),
        KnownRegion("120000", "天津市", "province"),
        KnownRegion("131000", "廊坊市", "prefecture"),
        KnownRegion("140600", "朔州市", "prefecture"),
        KnownRegion("130408", "永年区", "county", "邯郸市"),
        KnownRegion("623001", "合作市", "county", "甘南藏族自治州"),
        KnownRegion("610000", "陕西省", "province"),
        KnownRegion("340100", "合肥市", "prefecture"),
        KnownRegion("340181", "巢湖市", "county", "合肥市"),
        KnownRegion("140681", "怀仁市", "county", "朔州市"),
        KnownRegion("411503", "平桥区", "county", "信阳市"),
        KnownRegion("610200", "铜川市", "prefecture"),
        KnownRegion("611000", "商洛市", "prefecture"),
        KnownRegion("360123", "安义县", "county", "南昌市"),
    ]
)


def _cases():
    for table in sorted(CASES.glob("*.json")):
        for number, case in enumerate(json.loads(table.read_text(encoding="utf-8"))):
            # A case marked xfail states a pattern the rules miss; strict, so that reading it fails the test until unmarked.
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            yield pytest.param(case, id=f"{table.stem}-{number}", marks=marks)


def _agreement_found(expected: dict, agreements: list[dict]) -> bool:
    for agreement in agreements:
        if {party["name"] for party in agreement["parties"]} != set(expected["parties"]):
            continue
        if "signatories" in expected and set(agreement["signatories"]) != set(expected["signatories"]):
            continue
        if "signed" in expected and (agreement["signed_earliest"], agreement["signed_latest"]) != (
            expected["signed"],
            expected["signed"],
        ):
            continue
        if any(field in expected and agreement[field] != expected[field] for field in ("signed_earliest", "signed_latest")):
            continue
        if "basis" in expected and agreement.get("signed_basis") != expected["basis"]:
            continue
        return True
    return False


@pytest.fixture(autouse=True)
def _rules_alone(settings):
    # The cases state what the rules read; the statistical model is measured in tests/ingest/test_model.py.
    settings.INGEST_MODEL = False


@pytest.mark.parametrize("case", list(_cases()))
def test_each_sentence_states_what_its_rule_reads(case):
    published = datetime.date.fromisoformat(case["published"]) if case.get("published") else None
    extra = {"url": case["url"]} if case.get("url") else {}
    proposals = analyse(
        case["sentence"], snapshot=SNAPSHOT, published=published, publisher=case.get("publisher"), **extra
    )
    names = {kind: {p["name"] for p in proposals if p["kind"] == kind} for kind in ("institution", "person")}
    assert set(case.get("institutions", ())) <= names["institution"], names["institution"]
    assert not set(case.get("not_institutions", ())) & names["institution"], names["institution"]
    assert set(case.get("people", ())) <= names["person"], names["person"]
    assert not set(case.get("not_people", ())) & names["person"], names["person"]
    posts = {(p["person"], p["name"], p["institution"]) for p in proposals if p["kind"] == "post"}
    assert {tuple(post) for post in case.get("posts", ())} <= posts, posts
    agreements = [p for p in proposals if p["kind"] == "agreement"]
    for expected in case.get("agreements", ()):
        assert _agreement_found(expected, agreements), (expected, agreements)
    for unexpected in case.get("not_agreements", ()):
        assert not _agreement_found(unexpected, agreements), (unexpected, agreements)
