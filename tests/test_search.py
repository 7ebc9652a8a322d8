import pytest
from django.db import connection

from partnerships.models import Agreement, Institution
from tests.factories import AgreementFactory, InstitutionAliasFactory, InstitutionFactory


@pytest.fixture
def colleges(db):
    shizhuan = InstitutionFactory(name="赣州师范高等专科学校", name_en="Ganzhou Teachers College")
    InstitutionAliasFactory(institution=shizhuan, name="赣州师专")
    InstitutionFactory(name="赣南科技学院")
    return shizhuan


def test_matching_name_finds_full_names_english_names_and_aliases(colleges):
    assert list(Institution.objects.matching_name("师范高等")) == [colleges]
    assert list(Institution.objects.matching_name("teachers")) == [colleges]
    assert list(Institution.objects.matching_name("赣州师专")) == [colleges]
    assert Institution.objects.matching_name("赣").count() == 2
    assert not Institution.objects.matching_name("不存在").exists()


def test_matching_name_lists_an_institution_once_when_name_and_alias_both_match(colleges):
    assert list(Institution.objects.matching_name("赣州师")) == [colleges]


@pytest.mark.parametrize("text", ["赣", "赣州", "职业技术", "GANZHOU", "100%", "a_b"])
def test_substring_lookup_matches_what_icontains_matches(db, text):
    for title in ("赣州职业技术学院合作协议", "ganzhou 100% agreement", "a_b", "axb"):
        AgreementFactory(title=title)
    expected = set(Agreement.objects.filter(title__icontains=text).values_list("pk", flat=True))
    assert set(Agreement.objects.filter(title__substring=text).values_list("pk", flat=True)) == expected


@pytest.mark.postgresql
def test_two_character_search_is_served_by_the_bigram_index(db):
    AgreementFactory(title="赣州职业技术学院合作协议")
    # Unordered: in a table of one row the planner may otherwise walk the ordering index instead.
    queryset = Agreement.objects.filter(title__substring="赣州").order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor a whole scan of the ordering index, which the planner may prefer on a table its
        # statistics (from earlier tests) say is tiny: only an index the filter can use is left.
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "partnerships_agreement_title_bigrams" in plan


@pytest.mark.postgresql
def test_a_common_text_is_estimated_as_common(db):
    """Statistics on the case-folded column (migration 0015): half the titles hold the text, and the planner knows it."""
    import re

    for number in range(200):
        AgreementFactory(title=f"第{number}号{'职业技术学院' if number % 2 else '企业'}合作协议")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partnerships_agreement")
    # The substring lookup's exact check (icontains: UPPER(title) LIKE UPPER(…)), which the
    # bigram test narrows: PostgreSQL multiplies the two estimates.
    plan = Agreement.objects.filter(title__icontains="职业技术学院").order_by().explain()
    estimated = int(re.search(r"rows=(\d+)", plan).group(1))
    # Without them PostgreSQL takes any text of six characters for rare: an estimate of one row.
    assert estimated >= 50, plan
