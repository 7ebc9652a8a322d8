"""Filter sets: one test per filter on realistic data, alone and combined; every model field has a filter."""

import datetime
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from partnerships import filtersets
from partnerships.choices import DatePrecisionChoices as Precision
from partnerships.models import (
    Agreement,
    Event,
    Industry,
    Institution,
    Person,
    Post,
    ProjectType,
    Region,
    SourceDocument,
)
from tests import factories

D = datetime.date


def apply(filterset_class, queryset, **params):
    """Return the filter set's result for query parameters given as keyword arguments (lists repeat)."""
    filterset = filterset_class(QueryDict(urlencode(params, doseq=True)), queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


@pytest.fixture
def data(db):
    """Four agreements around 学大教育集团's visit to 赣州, one in 南昌, one undated."""
    r = Region.objects.get
    xueda = factories.InstitutionFactory(name="学大教育集团", name_en="Xueda Education Group", kind="education_group", region=r(code="110101"))
    factories.InstitutionAliasFactory(institution=xueda, name="学大教育")
    gzsz = factories.InstitutionFactory(name="赣州师范高等专科学校", kind="higher_vocational_college", region=r(code="360702"))
    factories.InstitutionAliasFactory(institution=gzsz, name="赣州师专")
    lnzz = factories.InstitutionFactory(name="龙南市中等专业学校", kind="secondary_vocational_school", region=r(code="360783"))
    gov = factories.InstitutionFactory(name="南昌市教育局", kind="government_body", region=r(code="360100"))
    ncxy = factories.InstitutionFactory(name="南昌职业技术学院", kind="higher_vocational_college", region=r(code="360100"))
    jinxin = factories.PersonFactory(name="金鑫")
    college = factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    base = factories.ProjectTypeFactory(code="training-base", name="实习实训基地")
    manufacturing = factories.IndustryFactory(code="intelligent-manufacturing", name="智能制造")
    circuits = factories.IndustryFactory(code="integrated-circuits", name="集成电路")
    doc1, doc2 = factories.SourceDocumentFactory(), factories.SourceDocumentFactory()
    visit = factories.EventFactory(title="学大教育集团赣州考察调研", region=r(code="360700"))

    def agreement(reference, parties, citing, **kwargs):
        record = factories.AgreementFactory(reference=reference, **kwargs)
        for institution, role, signatory in parties:
            factories.AgreementPartyFactory(agreement=record, institution=institution, role=role, signatory=signatory)
        if citing:
            factories.AgreementCitationFactory(record=record, source=citing)
        return record

    a1 = agreement(
        "A1", [(xueda, "lead", jinxin), (gzsz, "partner", None)], doc1,
        title="学大教育集团与赣州师范高等专科学校合作协议", region=r(code="360702"), event=visit, place="赣州市",
        signed_earliest=D(2023, 11, 28), signed_latest=D(2023, 11, 29), signed_precision=Precision.RANGE,
        project_types=[college], industries=[manufacturing],
    )
    a2 = agreement(
        "A2", [(xueda, "lead", None), (lnzz, "partner", None)], doc1,
        title="学大教育集团与龙南市中等专业学校合作协议", region=r(code="360783"), status="intent", event=visit,
        signed_earliest=D(2023, 11, 29), signed_latest=D(2023, 11, 29), signed_precision=Precision.DAY,
        project_types=[base],
    )
    a3 = agreement(
        "A3", [(ncxy, "lead", None), (gov, "broker", None)], doc2,
        title="南昌职业技术学院校企合作框架协议", region=r(code="360100"), status="in_progress", kind="framework_agreement",
        signed_earliest=D(2023, 10, 1), signed_latest=D(2023, 10, 31), signed_precision=Precision.MONTH,
        project_types=[college, base], industries=[circuits],
    )
    a4 = agreement(
        "A4", [(gov, "lead", None)], None,
        title="战略合作意向书", status="terminated", kind="strategic_intent",
        signed_earliest=None, signed_latest=None, signed_precision=Precision.UNKNOWN,
    )
    return locals()


def agreements(**params) -> set[str]:
    return set(apply(filtersets.AgreementFilterSet, Agreement.objects.all(), **params).values_list("reference", flat=True))


class TestAgreementFilterSet:
    def test_party_matches_any_of_several_institutions(self, data):
        assert agreements(party=data["xueda"].pk) == {"A1", "A2"}
        assert agreements(party=[data["gzsz"].pk, data["ncxy"].pk]) == {"A1", "A3"}

    def test_party_name_matches_names_english_names_and_aliases(self, data):
        assert agreements(party_name="赣州师专") == {"A1"}
        assert agreements(party_name="学大教育") == {"A1", "A2"}
        assert agreements(party_name="xueda") == {"A1", "A2"}
        assert agreements(party_name="南昌") == {"A3", "A4"}

    def test_party_kind_matches_any_party(self, data):
        assert agreements(party_kind="secondary_vocational_school") == {"A2"}
        assert agreements(party_kind=["secondary_vocational_school", "government_body"]) == {"A2", "A3", "A4"}

    def test_a_prefecture_includes_its_counties(self, data):
        assert agreements(region="360700") == {"A1", "A2"}
        assert agreements(region="360783") == {"A2"}
        # A4 has no region of its own: its only party, 南昌市教育局, files it under 南昌市, in 江西.
        assert agreements(region="360000") == {"A1", "A2", "A3", "A4"}
        assert agreements(region=Region.objects.get(code="360700").pk) == {"A1", "A2"}
        assert agreements(region="110000") == set()

    def test_project_type_by_code_or_id_matches_any_of_several(self, data):
        assert agreements(project_type="industry-college") == {"A1", "A3"}
        assert agreements(project_type=data["base"].pk) == {"A2", "A3"}
        assert agreements(project_type=["industry-college", "training-base"]) == {"A1", "A2", "A3"}

    def test_industry_by_code_or_id(self, data):
        assert agreements(industry="intelligent-manufacturing") == {"A1"}
        assert agreements(industry=data["circuits"].pk) == {"A3"}

    def test_status_kind_and_precision(self, data):
        assert agreements(status="signed") == {"A1"}
        assert agreements(status=["intent", "terminated"]) == {"A2", "A4"}
        assert agreements(kind="framework_agreement") == {"A3"}
        assert agreements(signed_precision="unknown") == {"A4"}

    def test_signed_after_includes_agreements_whose_latest_bound_is_that_day(self, data):
        assert agreements(signed_after="2023-11-29") == {"A1", "A2"}
        assert agreements(signed_after="2023-11-30") == set()
        assert agreements(signed_after="2023-10-31") == {"A1", "A2", "A3"}

    def test_signed_before_includes_agreements_whose_earliest_bound_is_that_day(self, data):
        assert agreements(signed_before="2023-11-28") == {"A1", "A3"}
        assert agreements(signed_before="2023-11-27") == {"A3"}
        assert agreements(signed_before="2023-09-30") == set()

    def test_a_date_range_matches_the_agreements_whose_bounds_overlap_it(self, data):
        assert agreements(signed_after="2023-11-01", signed_before="2023-11-30") == {"A1", "A2"}
        assert agreements(signed_after="2023-10-31", signed_before="2023-10-31") == {"A3"}
        assert agreements(signed_after="2023-11-29", signed_before="2023-11-29") == {"A1", "A2"}
        assert agreements(signed_after="2023-11-01", signed_before="2023-11-27") == set()

    def test_signatory_source_event_reference_and_place(self, data):
        assert agreements(signatory=data["jinxin"].pk) == {"A1"}
        assert agreements(source=data["doc1"].pk) == {"A1", "A2"}
        assert agreements(source=data["doc2"].pk) == {"A3"}
        assert agreements(event_id=data["visit"].pk) == {"A1", "A2"}
        assert agreements(reference="A4") == {"A4"}
        assert agreements(place="赣州") == {"A1"}

    def test_q_matches_chinese_substrings_of_titles_party_names_and_aliases(self, data):
        assert agreements(q="合作协议") == {"A1", "A2"}
        assert agreements(q="合作") == {"A1", "A2", "A3", "A4"}
        assert agreements(q="赣州师专") == {"A1"}
        assert agreements(q="龙南") == {"A2"}
        assert agreements(q="意向") == {"A4"}
        assert agreements(q="Xueda") == {"A1", "A2"}
        assert agreements(q="教育局") == {"A3", "A4"}

    def test_filters_combine(self, data):
        assert agreements(region="360700", status="intent") == {"A2"}
        assert agreements(party=data["xueda"].pk, project_type="industry-college") == {"A1"}
        assert agreements(q="学大", signed_before="2023-11-28") == {"A1"}
        assert agreements(region="360000", party_kind="government_body", industry="integrated-circuits") == {"A3"}
        assert agreements(party_name="赣州师专", region="360783") == set()

    def test_ordering_puts_unknown_dates_last_both_ways(self, data):
        def ordered(value):
            qs = apply(filtersets.AgreementFilterSet, Agreement.objects.all(), ordering=value)
            return list(qs.values_list("reference", flat=True))

        assert ordered("signed") == ["A3", "A1", "A2", "A4"]
        assert ordered("-signed") == ["A2", "A1", "A3", "A4"]
        # Titles sort by the database's collation; whatever it is, -title reverses title.
        assert ordered("title") == list(Agreement.objects.order_by("title").values_list("reference", flat=True))
        assert ordered("-title") == ordered("title")[::-1]
        assert ordered("-created") == ["A4", "A3", "A2", "A1"]
        assert list(apply(filtersets.AgreementFilterSet, Agreement.objects.all()).values_list("reference", flat=True)) == [
            "A2", "A1", "A3", "A4"
        ]

    def test_the_list_has_no_duplicates_when_several_parties_match(self, data):
        assert apply(filtersets.AgreementFilterSet, Agreement.objects.all(), party_kind="higher_vocational_college").count() == 2


class TestOtherFilterSets:
    def test_institutions_by_kind_region_subtree_and_alias(self, data):
        def names(**params):
            return set(apply(filtersets.InstitutionFilterSet, Institution.objects.all(), **params).values_list("name", flat=True))

        assert names(kind="education_group") == {"学大教育集团"}
        assert names(region="360700") == {"赣州师范高等专科学校", "龙南市中等专业学校"}
        assert names(q="赣州师专") == {"赣州师范高等专科学校"}
        assert names(region="360000", kind="higher_vocational_college") == {"赣州师范高等专科学校", "南昌职业技术学院"}

    def test_people_by_institution_title_and_current_post_together(self, db):
        school, other = factories.InstitutionFactory(), factories.InstitutionFactory()
        current = factories.PostFactory(institution=school, title="党委书记", start_date=D(2020, 1, 1)).person
        former = factories.PostFactory(institution=school, title="校长", start_date=D(2010, 1, 1), end_date=D(2015, 1, 1)).person
        factories.PostFactory(person=former, institution=other, title="党委书记")

        def people(**params):
            return set(apply(filtersets.PersonFilterSet, Person.objects.all(), **params))

        assert people(institution_id=school.pk) == {current, former}
        assert people(institution_id=school.pk, current="true") == {current}
        assert people(post_title="党委书记") == {current, former}
        assert people(post_title="党委书记", institution_id=school.pk) == {current}
        assert people(institution_id=school.pk, current="false") == {former}

    def test_posts_current_held_on_person_and_institution(self, db):
        now = factories.PostFactory(start_date=D(2020, 1, 1))
        before = factories.PostFactory(start_date=D(2010, 1, 1), end_date=D(2015, 12, 31))

        def posts(**params):
            return set(apply(filtersets.PostFilterSet, Post.objects.all(), **params))

        assert posts(current="true") == {now}
        assert posts(current="false") == {before}
        assert posts(held_on="2015-12-31") == {before}
        assert posts(person_id=before.person_id) == {before}
        assert posts(institution_id=now.institution_id) == {now}
        assert posts(q=now.person.name) == {now}

    def test_events_by_overlapping_dates_region_participant_and_kind(self, data):
        visit = data["visit"]  # 2023-11-28 … 2023-11-29 in 赣州市
        meeting = factories.EventFactory(title="产教联合体座谈会", kind="meeting", start_date=D(2022, 5, 1), end_date=D(2022, 5, 1), date_precision="day", region=Region.objects.get(code="360783"))
        factories.EventParticipantFactory(event=meeting, institution=data["gzsz"])

        def events(**params):
            return set(apply(filtersets.EventFilterSet, Event.objects.all(), **params))

        assert events(date_after="2023-11-29") == {visit}
        assert events(date_before="2023-11-28") == {visit, meeting}
        assert events(date_after="2022-05-01", date_before="2022-05-01") == {meeting}
        assert events(region="360700") == {visit, meeting}
        assert events(region="360783") == {meeting}
        assert events(participant=data["gzsz"].pk) == {meeting}
        assert events(kind="visit") == {visit}
        assert events(q="考察") == {visit}

    def test_regions_by_level_parent_code_and_subtree(self, db):
        def codes(**params):
            return set(apply(filtersets.RegionFilterSet, Region.objects.all(), **params).values_list("code", flat=True))

        assert "360783" in codes(parent="360700")
        assert "360700" not in codes(parent="360700")
        assert codes(code=["360700", "360783"]) == {"360700", "360783"}
        assert codes(within="360700", level="prefecture") == {"360700"}
        assert codes(q="龙南") == {"360783"}
        assert codes(level="province", q="江西") == {"360000"}

    def test_terms_and_sources(self, data):
        assert set(apply(filtersets.ProjectTypeFilterSet, ProjectType.objects.all(), q="实训")) == {data["base"]}
        assert set(apply(filtersets.IndustryFilterSet, Industry.objects.all(), code="integrated-circuits")) == {data["circuits"]}
        doc = data["doc1"]
        assert set(apply(filtersets.SourceDocumentFilterSet, SourceDocument.objects.all(), key=doc.key)) == {doc}
        assert apply(filtersets.SourceDocumentFilterSet, SourceDocument.objects.all(), text="姜在东").count() == 2


# Model fields covered by a filter of another name, and fields no one filters on.
COVERED_BY = {"title": "q", "name": "q", "name_en": "q", "disambiguation": "q", "title_en": "q", "description": "q",
              "project_types": "project_type", "industries": "industry", "start_date": "current", "end_date": "current",
              "valid_from": "active_on", "founded_earliest": "founded_before", "founded_latest": "founded_after",
              "established_earliest": "established_before", "established_latest": "established_after",
              "since_earliest": "since_before", "since_latest": "since_after", "share": "share_min",
              "amount": "amount_min", "agreements": "agreement", "project_type": "project_type",
              # The agreement's rollups serve the filters on its parties.
              "party_kinds": "party_kind", "party_names": "party_name", "party_names_folded": "party_name",
              "signed_month": "signed_after", "effective_region": "region", "has_project_type": "project_type"}
# Dates as written, what their bounds follow from, and derived columns are shown, not filtered on.
NOT_FILTERED = {
    "notes", "url", "checksum", "fingerprint", "text_normalized", "name_folded", "signed_text", "signed_basis", "term_text", "term_basis",
    "date_text", "date_basis", "founded_text", "founded_basis", "established_text", "established_basis", "since_text",
    "since_basis", "valid_from", "valid_until", "unit", "version",
}
FILTERSETS = [
    filtersets.AgreementFilterSet, filtersets.InstitutionFilterSet, filtersets.PersonFilterSet, filtersets.PostFilterSet,
    filtersets.ProjectTypeFilterSet, filtersets.IndustryFilterSet, filtersets.RegionFilterSet, filtersets.EventFilterSet,
    filtersets.SourceDocumentFilterSet, filtersets.ProjectFilterSet, filtersets.FundingFilterSet,
    filtersets.InstitutionRelationFilterSet,
]


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_every_model_field_has_a_filter(filterset_class):
    model = filterset_class._meta.model
    covered = set(filterset_class.base_filters) | {f.field_name for f in filterset_class.base_filters.values()}
    missing = [
        field.name
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.name not in NOT_FILTERED and field.name not in covered and COVERED_BY.get(field.name) not in covered
    ]
    assert missing == []


def test_a_choice_filter_on_the_records_own_column_adds_no_distinct(db):
    """Each row matches once; a DISTINCT over every column cost more than the query itself on a broad list."""
    factories.AgreementFactory(kind="cooperation_agreement", status="signed")
    factories.AgreementFactory(kind="memorandum", status="signed")
    matched = apply(filtersets.AgreementFilterSet, Agreement.objects.all(), kind=["cooperation_agreement", "memorandum"], status="signed")
    assert not matched.query.distinct
    assert matched.count() == 2
    assert not apply(filtersets.AgreementFilterSet, Agreement.objects.all(), party_kind="enterprise").query.distinct
    for filterset, params in ((filtersets.InstitutionFilterSet, {"kind": "enterprise"}), (filtersets.RegionFilterSet, {"level": "province"})):
        assert not apply(filterset, filterset.Meta.model.objects.all(), **params).query.distinct
