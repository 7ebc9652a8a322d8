import datetime
import re

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


def test_matching_name_in_traditional_script_finds_simplified_names_and_aliases(colleges):
    assert list(Institution.objects.matching_name("師範高等")) == [colleges]  # the name
    assert list(Institution.objects.matching_name("贛州師專")) == [colleges]  # only the alias


def test_matching_name_serves_as_a_subquery_of_another_list(colleges):
    partner = AgreementFactory()
    partner.parties.create(institution=colleges)
    AgreementFactory().parties.create(institution=InstitutionFactory(name="赣南科技学院二"))
    assert list(Agreement.objects.filter(parties__institution__in=Institution.objects.matching_name("师专"))) == [partner]


def _plan_by_filter_index(queryset) -> str:
    """Return the plan PostgreSQL makes when only an index the filter can use is left to it."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor a whole scan of the ordering index, which the planner may prefer on a table its
        # statistics (from earlier tests) say is tiny.
        cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


@pytest.fixture
def half_common_titles(db):
    """200 agreements, half of whose titles hold 职业技术学院, analysed."""
    for number in range(200):
        AgreementFactory(title=f"第{number}号{'职业技术学院' if number % 2 else '企业'}合作协议")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partnerships_agreement")


def _estimated_rows(plan: str) -> int:
    """Return the planner's estimate of rows at the top of an EXPLAIN plan."""
    return int(re.search(r"rows=(\d+)", plan).group(1))


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
    plan = _plan_by_filter_index(queryset)
    assert "partnerships_agreement_title_bigrams" in plan


@pytest.mark.postgresql
def test_a_common_text_is_estimated_as_common(half_common_titles):
    """Statistics on the case-folded column (migration 0015): half the titles hold the text, and the planner knows it."""
    # The substring lookup's exact check (icontains: UPPER(title) LIKE UPPER(…)), which the
    # bigram test narrows: PostgreSQL multiplies the two estimates.
    plan = Agreement.objects.filter(title__icontains="职业技术学院").order_by().explain()
    estimated = _estimated_rows(plan)
    # Without them PostgreSQL takes any text of six characters for rare: an estimate of one row.
    assert estimated >= 50, plan


# The agreements' free text (issue 17): one condition on the agreement row, so PostgreSQL can read
# the list in its order; the same agreements, in the same order, as the parties' names give.


@pytest.fixture
def searched(db):
    from tests.factories import AgreementPartyFactory

    college = InstitutionFactory(name="赣州职业技术学院", name_en="Ganzhou Polytechnic")
    InstitutionAliasFactory(institution=college, name="贛州職院")  # traditional script
    company = InstitutionFactory(name="江西稀土集团")
    dated = [datetime.date(2024, month, 1) for month in range(1, 8)]

    def signed(title, day):
        if day is None:
            return AgreementFactory(title=title, signed_earliest=None, signed_latest=None, signed_precision="unknown")
        return AgreementFactory(title=title, signed_earliest=day, signed_latest=day, signed_precision="day")

    agreements = [
        signed("职业技术学院合作协议", dated[0]),
        signed("校企合作", dated[1]),
        signed("稀土产业学院", dated[2]),
        signed("战略合作", None),
        signed("战略合作（二）", dated[3]),
    ]
    AgreementPartyFactory(agreement=agreements[1], institution=college)
    AgreementPartyFactory(agreement=agreements[1], institution=company)
    AgreementPartyFactory(agreement=agreements[2], institution=company)
    AgreementPartyFactory(agreement=agreements[3], institution=college)
    return agreements


def reference_search(text: str) -> list[int]:
    """The search as defined: a title, or a party's name, English name or alias (matching_name), in the list's order."""
    from partnerships.models import AgreementParty

    titles = {pk for pk, title in Agreement.objects.values_list("pk", "title") if text.casefold() in title.casefold()}
    named = set(
        AgreementParty.objects.filter(institution__in=Institution.objects.matching_name(text)).values_list("agreement_id", flat=True)
    )
    return [pk for pk in Agreement.objects.values_list("pk", flat=True) if pk in titles | named]


@pytest.mark.parametrize("text", ["职业技术学院", "赣州", "赣", "polytechnic", "稀土", "贛州", "職院", "合作", "不存在", "协议\n江西"])
def test_free_text_finds_what_the_parties_names_and_titles_hold_in_the_lists_order(searched, text):
    found = list(Agreement.objects.matching_text(text).values_list("pk", flat=True))
    assert found == reference_search(text)


def test_free_text_follows_a_renamed_institution_and_a_new_alias(searched):
    college = Institution.objects.get(name="赣州职业技术学院")
    college.name = "赣南职业学院"
    college.save()
    assert list(Agreement.objects.matching_text("赣南职业").values_list("pk", flat=True)) == reference_search("赣南职业")
    assert not Agreement.objects.matching_text("赣州职业技术").exists()
    InstitutionAliasFactory(institution=college, name="南职")
    assert list(Agreement.objects.matching_text("南职").values_list("pk", flat=True)) == reference_search("南职")


# People (issue 17): a one-character search is an index read on PostgreSQL, and finds what icontains finds.


@pytest.fixture
def people(db):
    from tests.factories import PersonAliasFactory, PersonFactory

    wang = PersonFactory(name="王建国", name_en="Wang Jianguo")
    PersonFactory(name="李四", disambiguation="王村镇党委书记")
    PersonFactory(name="张三")
    traditional = PersonFactory(name="劉德")
    PersonAliasFactory(person=traditional, name="劉德王")
    return wang


@pytest.mark.parametrize("text", ["王", "王建", "wang", "G", "三", "王村镇", "劉", "刘", "无"])
def test_people_search_finds_names_latin_names_disambiguations_and_aliases(people, text):
    from partnerships.filtersets import PersonFilterSet
    from partnerships.models import Person
    from partnerships.text import to_simplified

    found = list(PersonFilterSet({"q": text}, queryset=Person.objects.all()).qs.values_list("pk", flat=True))
    expected = [
        person.pk
        for person in Person.objects.prefetch_related("aliases")
        if any(text.casefold() in value.casefold() for value in (person.name, person.name_en, person.disambiguation))
        or any(to_simplified(text).casefold() in alias.name_folded.casefold() for alias in person.aliases.all())
    ]
    assert found == expected


@pytest.mark.postgresql
def test_one_character_people_search_is_served_by_the_character_index(people):
    from partnerships.models import Person

    queryset = Person.objects.filter(name__substring="王").order_by()
    plan = _plan_by_filter_index(queryset)
    assert "partnerships_person_name_characters" in plan


@pytest.mark.postgresql
def test_three_characters_and_more_are_served_by_the_trigram_index(db):
    AgreementFactory(title="赣州职业技术学院合作协议")
    queryset = Agreement.objects.filter(title__substring="职业技术").order_by()
    plan = _plan_by_filter_index(queryset)
    assert "partnerships_agreement_title_trigrams" in plan


@pytest.mark.postgresql
def test_a_common_search_is_estimated_as_common(half_common_titles):
    """Issue 17: from three characters one condition per column, so the estimate is the column's own, not a product with the bigrams'."""
    for text in ("职业技术学院", "技术学院"):
        plan = Agreement.objects.matching_text(text).order_by().explain()
        estimated = _estimated_rows(plan)
        assert estimated >= 50, plan
