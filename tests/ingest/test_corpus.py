"""The ingest engine measured against hand-made answer keys of real articles (tests/articles/)."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from partnerships.models import Agreement, Institution, Person
from partnerships.services import ingest_snapshot
from partnerships.text import to_simplified
from tests.ingest.ledger import load, read, read_ledger, slugs, tuned
from tests.ingest.scoring import REPORT_PROPERTY, offsets_exact, report_lines, score

SLUGS = slugs()
# The targets, held per article on the articles the engine was tuned on (the ledger's "tuned");
# an article read for the first time is measured in the ledger, not failed here.
INSTITUTIONS, PEOPLE, AGREEMENTS, PROPOSALS = 0.9, 0.9, 0.8, 0.8
_article = load


def test_the_corpus_holds_at_least_eight_real_articles_one_of_them_a_traditional_script_repost():
    assert len(SLUGS) >= 8
    texts = [_article(slug)[0] for slug in SLUGS]
    assert any(to_simplified(text) != text for text in texts)
    for slug in SLUGS:
        _, meta, key = _article(slug)
        assert meta["url"].startswith("http"), slug
        assert {"institutions", "people", "agreements", "events", "projects"} <= key.keys(), slug


def test_every_tuned_article_is_in_the_corpus_and_every_first_read_names_an_article_once():
    ledger = read_ledger()
    assert tuned() <= set(SLUGS)
    first_reads = [entry["slug"] for entry in ledger["first_reads"]]
    assert len(first_reads) == len(set(first_reads))
    assert set(first_reads) <= set(SLUGS)


@pytest.mark.django_db
def test_every_article_meets_the_targets_and_the_figures_are_reported(record_property):
    snapshot = ingest_snapshot()
    scores, failures = [], []
    targeted = tuned()
    for slug in SLUGS:
        text, meta, key = _article(slug)
        proposals = read(text, meta, snapshot)
        exact, quotes = offsets_exact(text, proposals)
        assert exact == quotes, f"{slug}: {quotes - exact} quotes are not the text at their offsets"
        result = score(slug, proposals, key, text)
        scores.append(result)
        if slug not in targeted:
            continue
        for field, target in (("institutions", INSTITUTIONS), ("people", PEOPLE), ("agreements", AGREEMENTS), ("proposals", PROPOSALS)):
            if result.ratio(getattr(result, field)) < target:
                failures.append(f"{slug}: {field} {getattr(result, field)} below {target:.0%}")
    # A property travels from a pytest-xdist worker to the run that prints the summary.
    record_property(REPORT_PROPERTY, report_lines(scores))
    assert not failures, failures


def _fixture_names(model: str, file: str) -> set[str]:
    rows = json.loads((settings.BASE_DIR / "fixtures" / file).read_text(encoding="utf-8"))
    return {row["fields"]["name"] for row in rows if row["model"] == model}


def _same_body(name: str) -> str:
    """Fold 龙南市政府 and 龙南市人民政府 to one name: the fixtures keep some short forms as written."""
    return name.replace("人民政府", "政府")


@pytest.mark.django_db
def test_the_seed_article_ingested_into_an_empty_database_gives_the_fixtures_institutions_people_and_five_agreements():
    assert not Institution.objects.exists()
    call_command("ingest", str(settings.BASE_DIR / "seeds" / "000_95fff0d3b58c5fca.txt"), "--publisher", "21世纪教育网", stdout=StringIO())

    institutions = _fixture_names("partnerships.institution", "20_institutions.json")
    stored = {_same_body(name) for name in Institution.objects.values_list("name", flat=True)}
    found = {name for name in institutions if _same_body(name) in stored}
    assert len(found) / len(institutions) >= 0.9, institutions - found

    people = _fixture_names("partnerships.person", "30_people.json")
    assert people <= set(Person.objects.values_list("name", flat=True))

    partners = {"赣州师范高等专科学校", "成林教育控股集团", "赣州理工职业技术学校", "赣州市科汇职业技术学校", "赣州现代科技职业学校"}
    signed = {
        frozenset(agreement.parties.values_list("institution__name", flat=True))
        for agreement in Agreement.objects.prefetch_related("parties")
    }
    assert {frozenset({"学大教育集团", partner}) for partner in partners} <= signed
    assert set(Agreement.objects.filter(parties__institution__name="学大教育集团").values_list(
        "parties__signatory__name", flat=True
    )) >= {"金鑫"}
