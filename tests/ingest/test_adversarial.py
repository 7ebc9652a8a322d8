"""No text stalls the engine: its work grows linearly with the text, and the web paths bound it.

Work is counted, not timed: the Python lines and calls the analysis executes (sys.settrace),
which are the same on every machine and every run. `python -m bench.ingest --adversarial`
prints the milliseconds per kilobyte of each family below.
"""

import sys

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.ingest import AnalysisTimeout, Snapshot, analyse
from tests import factories
from tests.ingest.adversarial import FAMILIES

SNAPSHOT = Snapshot()


@pytest.fixture(scope="module", autouse=True)
def jieba_loaded():
    """Load jieba's tables and the statistical model (on first use) before any work is counted, so the article's own work is."""
    # A clause with a suffix and a title: the model reads only such clauses, and loads on the first.
    analyse("赣州职业技术学院院长出席。", snapshot=SNAPSHOT)


# The costliest family per character (rare characters: jieba's tagger tries some fifty states
# for a character it has never seen), with room to spare; no text may cost more.
WORK_PER_CHARACTER, BASE_WORK = 6_000, 50_000


class TooMuchWork(Exception):
    """The engine went past the work any text of this length may cost."""


def work(text: str) -> int:
    """Return the lines and calls the engine executes to analyse the text; raise TooMuchWork past the bound."""
    steps, limit = 0, WORK_PER_CHARACTER * len(text) + BASE_WORK

    def tracer(frame, event, arg):
        nonlocal steps
        steps += 1
        if steps > limit:
            raise TooMuchWork(f"more than {limit} steps for {len(text)} characters")
        return tracer

    sys.settrace(tracer)
    try:
        analyse(text, snapshot=SNAPSHOT)
    finally:
        sys.settrace(None)
    return steps


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=st.sampled_from(sorted(FAMILIES)), units=st.integers(min_value=10, max_value=60))
def test_twice_the_text_costs_about_twice_the_work(family, units):
    make = FAMILIES[family]
    once, twice = work(make(units)), work(make(2 * units))
    # Linear work doubles; the old recursion over suffix runs grew 2^n, the old scans n².
    assert twice <= 2.5 * once + 50_000, (family, units, once, twice)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_work_per_character_stays_under_the_bound_of_the_costliest_family(family):
    text = FAMILIES[family](60)
    assert work(text) <= WORK_PER_CHARACTER * len(text) + BASE_WORK, family


def test_ten_thousand_company_suffixes_cost_linear_work_and_give_a_bounded_result():
    text = "有限公司" * 10_000
    work(text)  # raises TooMuchWork: the old recursion over the run took 2^n steps
    assert len(analyse(text, snapshot=SNAPSHOT)) < 20


def test_an_analysis_past_its_time_budget_stops_with_a_timeout():
    with pytest.raises(AnalysisTimeout):
        analyse(FAMILIES["rare"](2_000), snapshot=SNAPSHOT, time_budget=0)


@pytest.fixture
def editor_client(client):
    client.force_login(factories.editor())
    return client


@pytest.mark.django_db
def test_the_api_refuses_an_article_longer_than_the_interactive_limit_naming_the_text(editor_client, settings):
    settings.INGEST_MAX_CHARS = 1_000
    response = editor_client.post(
        reverse("api:ingest"), {"text": "有限公司" * 300, "dry_run": True}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "1200" in response.json()["text"][0] and "1000" in response.json()["text"][0]


@pytest.mark.django_db
def test_the_api_answers_an_analysis_past_its_budget_with_a_400_naming_the_text(editor_client, settings):
    settings.INGEST_TIME_BUDGET = 0
    response = editor_client.post(
        reverse("api:ingest"), {"text": FAMILIES["rare"](500), "dry_run": True}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nothing was stored" in response.json()["text"][0]


@pytest.mark.django_db
def test_the_admin_page_refuses_an_overlong_article_with_a_form_error(editor_client, settings):
    settings.INGEST_MAX_CHARS = 1_000
    response = editor_client.post(reverse("admin:partnerships_sourcedocument_ingest"), {"text": "有限公司" * 300})
    assert response.status_code == 200
    assert "at most 1000 are analysed here" in response.content.decode()
