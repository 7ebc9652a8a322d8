"""manage.py ingest: the contract in the BRIEF ("From article to records"), bad input, saving."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from partnerships.models import (
    Agreement,
    AgreementCitation,
    Event,
    Institution,
    InstitutionCitation,
    Person,
    Project,
    SourceDocument,
)
from partnerships.services import INGEST_CHANGE_REASON

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
CHIPING = ARTICLES / "liaocheng-jishi-chiping.txt"
REPOST = ARTICLES / "wenzhou-longwan-fushu-repost.txt"


def ingest(*args) -> str:
    out = StringIO()
    call_command("ingest", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def dry_run(path, *args) -> dict:
    return json.loads(ingest(path, "--dry-run", "--format", "json", *args))


def test_a_dry_run_prints_one_json_object_whose_quotes_stand_at_their_offsets_and_stores_nothing():
    output = dry_run(CHIPING, "--published", "2024-09-25", "--publisher", "聊城市技师学院")
    text = CHIPING.read_text(encoding="utf-8")
    assert set(output) >= {"source", "proposals"}
    for proposal in output["proposals"]:
        assert {"kind", "name", "quote", "start", "end", "match"} <= proposal.keys()
        assert text[proposal["start"] : proposal["end"]] == proposal["quote"]
        for party in proposal.get("parties", ()):
            assert text[party["start"] : party["end"]] == party["quote"]
    assert not SourceDocument.objects.exists() and not Institution.objects.exists()


def test_signing_sentences_give_agreements_with_all_their_parties_signatories_and_the_date_resolved():
    output = dry_run(CHIPING, "--published", "2024-09-25", "--publisher", "聊城市技师学院")
    agreements = {
        frozenset(party["name"] for party in proposal["parties"]): proposal
        for proposal in output["proposals"]
        if proposal["kind"] == "agreement"
    }
    framework = agreements[frozenset({"聊城市技师学院", "茌平区人民政府"})]
    assert framework["name"] == "政校合作框架协议"
    assert framework["signatories"] == ["徐公义", "高红平"]
    assert framework["signed_earliest"] == framework["signed_latest"] == "2024-09-03"
    for company in ("信发集团", "聊城正泰房地产集团", "万和通物流集团"):
        assert frozenset({company, "聊城市技师学院"}) in agreements
    # 学院 resolves to the publisher, 区教育体育局 to the district the article is about.
    names = {proposal["name"] for proposal in output["proposals"] if proposal["kind"] == "institution"}
    assert {"茌平区教育体育局", "茌平区人民政府办公室"} <= names


def test_people_come_with_their_posts_and_the_event_with_its_kinds_and_roles():
    output = dry_run(CHIPING, "--published", "2024-09-25", "--publisher", "聊城市技师学院")
    posts = {(p["person"], p["name"], p["institution"]) for p in output["proposals"] if p["kind"] == "post"}
    assert ("徐公义", "院长", "聊城市技师学院") in posts
    assert ("徐公义", "党委副书记", "聊城市技师学院") in posts
    assert ("高红平", "副区长", "茌平区人民政府") in posts
    (event,) = [p for p in output["proposals"] if p["kind"] == "event"]
    assert event["start_date"] == "2024-09-03"
    assert {"signing_ceremony", "unveiling"} <= set(event["kinds"])
    roles = {participant.get("person"): participant["role"] for participant in event["participants"]}
    assert roles["汲广树"] == "chair" and roles["徐公义"] == "signatory"
    (project,) = [p for p in output["proposals"] if p["kind"] == "project"]
    assert project["name"] == "信发产业学院" and project["project_type"] == "industry-college"


def test_a_traditional_script_repost_is_matched_in_simplified_and_quoted_as_written():
    known = Institution.objects.create(name="温州职业技术学院", kind="higher_vocational_college")
    output = dry_run(REPOST)
    by_name = {p["name"]: p for p in output["proposals"] if p["kind"] in ("institution", "person")}
    assert by_name["温州职业技术学院"]["match"] == known.pk
    assert by_name["温州职业技术学院"]["quote"] == "溫州職業技術學院"
    assert by_name["郑信军"]["quote"] == "鄭信軍"
    assert output["source"]["language"] == "zh-hant"
    # Without a year or a publication date, 3月26日 is kept as written and resolves to nothing.
    (agreement,) = [p for p in output["proposals"] if p["kind"] == "agreement"]
    assert agreement["date_text"] == "3月26日" and agreement["signed_earliest"] is None


def test_saving_stores_every_record_with_its_citation_and_history_reason_ingest():
    ingest(CHIPING, "--published", "2024-09-25", "--publisher", "聊城市技师学院", "--url", "http://www.lcsjsxy.cn/x.htm")
    source = SourceDocument.objects.get()
    assert source.publisher_name == "聊城市技师学院" and source.publisher.name == "聊城市技师学院" and str(source.published_on) == "2024-09-25"
    agreement = Agreement.objects.get(title="政校合作框架协议")
    assert {(p.institution.name, p.signatory.name) for p in agreement.parties.select_related("institution", "signatory")} == {
        ("聊城市技师学院", "徐公义"),
        ("茌平区人民政府", "高红平"),
    }
    assert str(agreement.signed_earliest) == "2024-09-03"
    for citation in AgreementCitation.objects.all():
        assert source.text[citation.position : citation.position + len(citation.quote)] == citation.quote
    assert InstitutionCitation.objects.filter(record__name="茌平区教育体育局", quote="区教育体育局").exists()
    assert agreement.history.first().history_change_reason == INGEST_CHANGE_REASON
    assert Person.objects.get(name="金同元").history.first().history_change_reason == INGEST_CHANGE_REASON


def test_the_same_text_again_is_refused_naming_the_stored_source_and_adds_nothing():
    ingest(CHIPING)
    counts = (SourceDocument.objects.count(), Institution.objects.count(), Agreement.objects.count())
    with pytest.raises(CommandError, match="already stored as source document"):
        ingest(CHIPING)
    assert (SourceDocument.objects.count(), Institution.objects.count(), Agreement.objects.count()) == counts


def test_a_second_article_matches_what_the_first_recorded_instead_of_adding_it_again(tmp_path):
    ingest(CHIPING, "--publisher", "聊城市技师学院")
    again = tmp_path / "repost.txt"
    again.write_text(CHIPING.read_text(encoding="utf-8") + "\n(转载)", encoding="utf-8")
    institutions = Institution.objects.count()
    output = dry_run(again, "--publisher", "聊城市技师学院")
    matched = [p for p in output["proposals"] if p["kind"] == "institution"]
    assert all(p["match"] for p in matched)
    ingest(again, "--publisher", "聊城市技师学院")
    assert Institution.objects.count() == institutions


def test_a_repost_in_traditional_script_cites_the_records_of_its_original_instead_of_adding_them_again(tmp_path):
    import opencc

    ingest(CHIPING, "--published", "2024-09-25", "--publisher", "聊城市技师学院")
    original = SourceDocument.objects.get()
    counts = {model: model.objects.count() for model in (Institution, Person, Agreement, Event, Project)}
    repost = tmp_path / "repost.txt"
    repost.write_text(opencc.OpenCC("s2t").convert(CHIPING.read_text(encoding="utf-8")), encoding="utf-8")

    ingest(repost)

    stored = SourceDocument.objects.exclude(pk=original.pk).get()
    assert stored.repost_of == original
    assert {model: model.objects.count() for model in counts} == counts
    agreement = Agreement.objects.get(title="政校合作框架协议")
    assert set(agreement.citations.values_list("source", flat=True)) == {original.pk, stored.pk}
    quote = agreement.citations.get(source=stored).quote
    assert quote in stored.text and quote != agreement.citations.get(source=original).quote


def test_one_article_s_two_agreements_between_the_same_parties_on_one_day_stay_two():
    from partnerships.services.ingest import ingest_analyse, ingest_save

    text = CHIPING.read_text(encoding="utf-8")
    result = ingest_analyse(text=text, published=datetime.date(2024, 9, 25))
    agreement = next(p for p in result.proposals if p["kind"] == "agreement")
    second = {**agreement, "name": f"{agreement['name']}补充协议"}
    result.proposals.insert(result.proposals.index(agreement) + 1, second)

    ingest_save(text=text, result=result)

    assert Agreement.objects.filter(title__startswith=agreement["name"]).count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "has no text"),
        (b"   \n\n  ", "has no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\xff\xfe\xfa" * 10, "not Chinese text in UTF-8, GB18030 or Big5"),
        (b"x" * (10 * 1024 * 1024), "an article is at most"),
    ],
    ids=["empty", "blank", "binary", "undecodable", "ten-megabytes"],
)
def test_bad_input_is_refused_with_a_message_naming_the_problem_and_stores_nothing(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        ingest(path)
    assert not SourceDocument.objects.exists()


def test_an_html_page_keeps_its_text_and_drops_its_scripts_and_styles(tmp_path):
    text = CHIPING.read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><style>p{color:red}</style><script>alert('x');document.write('签署')</script></head>"
        f"<body><script src='http://evil.example/x.js'></script><p>{text}</p><script>var a = '<p>';</script></body></html>",
        encoding="utf-8",
    )
    output = dry_run(page, "--publisher", "聊城市技师学院")
    assert any(p["kind"] == "agreement" for p in output["proposals"])
    ingest(page, "--publisher", "聊城市技师学院")
    stored = SourceDocument.objects.get().text
    assert "alert" not in stored and "color:red" not in stored and "<p>" not in stored
    assert "政校合作框架协议" in stored


def test_a_folder_is_ingested_article_by_article_into_one_json_object(tmp_path):
    for path in (CHIPING, REPOST):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    output = json.loads(ingest(tmp_path, "--dry-run", "--format", "json"))
    assert [Path(article["path"]).name for article in output["articles"]] == sorted([CHIPING.name, REPOST.name])


def test_a_missing_path_is_a_clear_error():
    with pytest.raises(CommandError, match="does not exist"):
        ingest("/nonexistent/article.txt")


def test_from_the_shell_bad_input_exits_non_zero_without_a_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    environment = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}"}
    completed = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(empty), "--dry-run", "--format", "json"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr and completed.stdout == ""
    # The message is in the shell's language (Chinese by default); it says what to do, on one line.
    assert completed.stderr.startswith("CommandError: ") and "load_regions" in completed.stderr
