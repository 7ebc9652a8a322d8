"""The seed data: faithful to its documents, every record traceable to a quote, loaded safely."""

import datetime
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from partnerships.models import (
    CITED_MODELS,
    Agreement,
    AgreementCitation,
    Event,
    Industry,
    Institution,
    Person,
    Post,
    ProjectType,
    Region,
    SourceDocument,
    text_checksum,
)
from partnerships.services import SEED_CHANGE_REASON, seeds_load
from tests.factories import AgreementCitationFactory

SEEDS = settings.BASE_DIR / "seeds"
FIXTURES = settings.BASE_DIR / "fixtures"
ARTICLE = "000_95fff0d3b58c5fca"
GROUP = "学大教育集团"
PARTNERS = {
    "赣州师范高等专科学校",
    "成林教育控股集团",
    "赣州理工职业技术学校",
    "赣州市科汇职业技术学校",
    "赣州现代科技职业学校",
}
ALLIANCE = "赣州稀有金属市域产教联合体"
CITATION_MODELS = [model.citations.rel.related_model for model in CITED_MODELS]


def manifest_entries() -> list[dict]:
    return json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["documents"]


def fixture_rows() -> list[tuple[str, dict]]:
    return [
        (path.name, row)
        for path in sorted(FIXTURES.glob("*.json"))
        for row in json.loads(path.read_text(encoding="utf-8"))
    ]


# Record kinds the seed article gives nothing for: it names no project, funding, relation or variant name.
NOT_IN_THE_SEED_ARTICLE = [
    f"{name}{suffix}"
    for name in ("InstitutionRelation", "PersonAlias", "Project", "ProjectBuilder", "ProjectQuantity", "Funding")
    for suffix in ("", "Citation")
]


def record_counts() -> dict[str, int]:
    models = [SourceDocument, *CITED_MODELS, *CITATION_MODELS]
    return {model.__name__: model.objects.count() for model in models}


def history_count() -> int:
    return sum(model.history.count() for model in [SourceDocument, *CITED_MODELS, *CITATION_MODELS])


@pytest.fixture
def seed_copy(tmp_path) -> tuple[Path, Path]:
    """Return copies of seeds/ and fixtures/ that a test may corrupt; the real files stay untouched."""
    seeds, fixtures = tmp_path / "seeds", tmp_path / "fixtures"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(FIXTURES, fixtures)
    return seeds, fixtures


def rewrite_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_seeds_command(*args: str) -> str:
    out = StringIO()
    call_command("load_seeds", *args, stdout=out)
    return out.getvalue()


# The files themselves: checked without a database.


def test_every_seed_text_matches_the_checksum_in_the_manifest():
    entries = manifest_entries()

    assert [entry["key"] for entry in entries] == [ARTICLE]
    for entry in entries:
        text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
        assert text_checksum(text) == entry["sha256"], entry["file"]


def test_every_seed_text_is_listed_in_the_manifest():
    listed = {entry["file"] for entry in manifest_entries()}

    assert {path.name for path in SEEDS.glob("*.txt")} == listed


def test_the_article_is_described_by_its_publisher_and_no_invented_date():
    (entry,) = manifest_entries()

    assert entry["publisher"] == "21世纪教育网"
    assert entry["language"] == "zh-hans"
    # The text states no publication date, so none is recorded.
    assert entry["published_on"] is None


def test_every_quote_occurs_verbatim_at_its_stated_position():
    texts = {entry["key"]: (SEEDS / entry["file"]).read_text(encoding="utf-8") for entry in manifest_entries()}
    citations = [(name, row["fields"]) for name, row in fixture_rows() if row["model"].endswith("citation")]

    misplaced = [
        (name, fields["quote"], fields["position"])
        for name, fields in citations
        if texts[fields["source"][0]][fields["position"] : fields["position"] + len(fields["quote"])] != fields["quote"]
    ]

    assert len(citations) > 150
    assert misplaced == []


def test_fixtures_name_every_record_by_natural_key_not_by_primary_key():
    assert [(name, row["model"]) for name, row in fixture_rows() if "pk" in row] == []


def test_fixtures_hold_no_regions_and_no_documents():
    models = {row["model"] for _, row in fixture_rows()}

    assert "partnerships.region" not in models
    assert "partnerships.sourcedocument" not in models


# Loading.


@pytest.mark.django_db
def test_a_citation_is_found_again_by_its_records_key_its_source_and_its_position():
    citation = AgreementCitationFactory()

    key = citation.natural_key()

    assert key == (citation.record.reference, citation.source.key, citation.position)
    assert AgreementCitation.objects.get_by_natural_key(*key) == citation


@pytest.mark.django_db
def test_the_load_fills_an_empty_migrated_database():
    assert not Institution.objects.exists()

    output = load_seeds_command()

    assert record_counts() == {
        "SourceDocument": 1,
        "Institution": 26,
        "InstitutionAlias": 3,
        "Membership": 5,
        "MemberCount": 5,
        "Person": 8,
        "Post": 12,
        "ProjectType": 7,
        "Industry": 8,
        "Agreement": 5,
        "AgreementParty": 10,
        "Event": 17,
        "EventParticipant": 45,
        "InstitutionCitation": 41,
        "InstitutionAliasCitation": 3,
        "MembershipCitation": 5,
        "MemberCountCitation": 5,
        "PersonCitation": 8,
        "PostCitation": 15,
        "ProjectTypeCitation": 7,
        "IndustryCitation": 9,
        "AgreementCitation": 21,
        "AgreementPartyCitation": 10,
        "EventCitation": 25,
        "EventParticipantCitation": 46,
    } | {name: 0 for name in NOT_IN_THE_SEED_ARTICLE}
    assert "347 created" in output
    assert "195 quotes checked" in output


@pytest.mark.django_db
def test_every_loaded_record_has_its_history_and_a_citation_quoting_its_source():
    seeds_load()

    article = SourceDocument.objects.get(key=ARTICLE)
    assert article.publisher_name == "21世纪教育网"
    assert article.published_on is None
    assert article.text == (SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    assert article.checksum == manifest_entries()[0]["sha256"]

    for model in CITED_MODELS:
        assert not model.objects.filter(citations__isnull=True).exists(), model.__name__
        assert model.history.filter(history_type="+", history_change_reason=SEED_CHANGE_REASON).count() == (
            model.objects.count()
        )
    for model in CITATION_MODELS:
        for citation in model.objects.all():
            assert citation.source == article
            assert article.text[citation.position :].startswith(citation.quote)


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_a_third_load_puts_back_what_staff_changed():
    load_seeds_command()
    counts, history = record_counts(), history_count()
    stamps = dict(Agreement.objects.values_list("reference", "last_updated"))

    output = load_seeds_command()

    assert record_counts() == counts
    assert history_count() == history
    assert dict(Agreement.objects.values_list("reference", "last_updated")) == stamps
    assert "0 created, 0 updated, 347 unchanged" in output

    zone = Institution.objects.get(name="上犹工业园区")
    zone.region = Region.objects.get(code="360700")
    zone.save()

    result = seeds_load()

    zone.refresh_from_db()
    assert zone.region.code == "360724"
    assert (result.created, result.updated) == (0, 1)
    assert zone.history.first().history_change_reason == SEED_CHANGE_REASON


# Corrupted seeds: the command fails naming the record, and loads nothing.


def failed_load(seeds: Path, fixtures: Path) -> str:
    """Run load_seeds on corrupted copies; check it failed and left the database empty; return its message."""
    with pytest.raises(CommandError) as failure:
        load_seeds_command(f"--seeds-dir={seeds}", f"--fixtures-dir={fixtures}")
    assert sum(record_counts().values()) == 0
    return str(failure.value)


@pytest.mark.django_db
def test_a_quote_changed_by_one_character_fails_naming_the_record_and_loads_nothing(seed_copy):
    seeds, fixtures = seed_copy

    def corrupt(rows):
        citation = next(
            row["fields"]
            for row in rows
            if row["model"] == "partnerships.postcitation" and row["fields"]["record"][0] == "黄磊"
        )
        citation["quote"] = citation["quote"].replace("黄磊", "黄雷")

    rewrite_json(fixtures / "30_people.json", corrupt)

    message = failed_load(seeds, fixtures)

    assert message.startswith("Nothing was loaded. 30_people.json, row ")
    assert "post citation of post “黄磊 · 龙南经开区 党工委委员”" in message
    assert "does not occur verbatim at position" in message
    assert "occurs nowhere in the text" in message


@pytest.mark.django_db
def test_a_quote_at_the_wrong_position_fails_and_says_where_it_does_occur(seed_copy):
    seeds, fixtures = seed_copy
    position = json.loads((fixtures / "10_taxonomy.json").read_text(encoding="utf-8"))[1]["fields"]["position"]
    rewrite_json(fixtures / "10_taxonomy.json", lambda rows: rows[1]["fields"].update(position=position + 1))

    message = failed_load(seeds, fixtures)

    assert "project type citation of project type “职普融通综合高中”" in message
    assert message.endswith(f"(the quote occurs at position {position})")


@pytest.mark.django_db
def test_a_text_whose_checksum_no_longer_matches_fails_naming_the_document_and_loads_nothing(seed_copy):
    seeds, fixtures = seed_copy
    text_path = seeds / f"{ARTICLE}.txt"
    text_path.write_text(text_path.read_text(encoding="utf-8").replace("五所", "六所", 1), encoding="utf-8")

    message = failed_load(seeds, fixtures)

    assert f"Seed document {ARTICLE}" in message
    assert "SHA-256" in message


@pytest.mark.django_db
def test_a_failure_late_in_the_load_rolls_back_what_came_before(seed_copy):
    seeds, fixtures = seed_copy
    rewrite_json(fixtures / "50_agreements.json", lambda rows: rows[-1]["fields"].update(quote="签署战略协议"))

    message = failed_load(seeds, fixtures)

    assert "agreement party citation of agreement party “赣州现代科技职业学校 (partner)”" in message


@pytest.mark.django_db
def test_a_seed_text_missing_from_the_manifest_is_refused(seed_copy):
    seeds, fixtures = seed_copy
    (seeds / "001_new_article.txt").write_text("新的报道。", encoding="utf-8")

    assert "001_new_article.txt is not listed" in failed_load(seeds, fixtures)


@pytest.mark.django_db
def test_a_manifest_date_that_is_not_a_date_is_refused(seed_copy):
    seeds, fixtures = seed_copy
    rewrite_json(seeds / "manifest.json", lambda manifest: manifest["documents"][0].update(published_on="2023年11月"))

    assert f"Seed document {ARTICLE}: published_on must be an ISO date" in failed_load(seeds, fixtures)


@pytest.mark.django_db
def test_a_record_without_a_citation_is_refused(seed_copy):
    seeds, fixtures = seed_copy

    def drop_citations(rows):
        rows[:] = [
            row
            for row in rows
            if not (row["model"] == "partnerships.industrycitation" and row["fields"]["record"] == ["rare-earths"])
        ]

    rewrite_json(fixtures / "10_taxonomy.json", drop_citations)

    assert "industry “稀土” has no citation" in failed_load(seeds, fixtures)


# What the article states, one test per kind of fact. The seeds are loaded once for the class.


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestWhatTheArticleStates:
    def test_the_group_signed_with_five_partners_within_the_days_of_the_visit(self):
        agreements = Agreement.objects.filter(parties__institution__name=GROUP, parties__role="lead")

        partners = {
            party.institution.name for agreement in agreements for party in agreement.parties.filter(role="partner")
        }
        assert partners == PARTNERS
        assert agreements.count() == 5
        for agreement in agreements:
            assert [party.institution.name for party in agreement.parties.filter(role="lead")] == [GROUP]
            # The article dates the visit (11月28日-29日, the year from its context), not the signing.
            assert agreement.signed_earliest == datetime.date(2023, 11, 28)
            assert agreement.signed_latest == datetime.date(2023, 11, 29)
            assert agreement.signed_precision == "range"
            assert agreement.event.title == "学大教育集团同赣州市教育系统座谈会暨签约仪式"
            assert agreement.region.code == "360700"

    def test_the_admin_lists_the_five_agreements_and_shows_the_quote_each_rests_on(self, admin_client):
        page = admin_client.get(reverse("admin:partnerships_agreement_changelist")).content.decode()

        for partner in PARTNERS:
            assert f"学大教育集团与{partner}合作协议" in page
        agreement = Agreement.objects.get(reference="XUEDA-GZ-202311-CHENGLIN")
        page = admin_client.get(reverse("admin:partnerships_agreement_change", args=[agreement.pk])).content.decode()
        assert "分别同赣州师范高等专科学校、成林教育控股集团、赣州理工职业技术学校" in page
        assert "创始人兼CEO" in page

    def test_the_agreements_are_signed_cooperation_agreements_whose_projects_are_only_planned(self):
        # The article says the documents were signed ("分别同……签署合作协议") and calls their substance
        # strategic cooperation intents ("达成了多项战略合作意向"; "拟覆盖"): what was signed is a cooperation
        # agreement, so the status is "signed", not "intent"; nothing says work began, so not "in_progress".
        assert set(Agreement.objects.values_list("status", "kind")) == {("signed", "cooperation_agreement")}
        for agreement in Agreement.objects.all():
            quotes = [citation.quote for citation in agreement.citations.all()]
            assert any("签署合作协议" in quote for quote in quotes)
            assert any("拟覆盖" in quote for quote in quotes)

    def test_only_the_groups_signatory_is_named(self):
        for agreement in Agreement.objects.all():
            lead = agreement.parties.get(role="lead")
            assert (lead.signatory.name, lead.signatory_title) == ("金鑫", "创始人兼CEO")
            assert [party.signatory for party in agreement.parties.filter(role="partner")] == [None]

    def test_each_official_holds_the_posts_the_article_gives(self):
        posts = {
            (post.person.name, post.institution.name, post.title)
            for post in Post.objects.select_related("person", "institution")
        }

        assert posts == {
            ("金鑫", GROUP, "CEO"),
            ("金鑫", GROUP, "创始人"),
            ("杨人中", "赣州市教育局", "四级调研员"),
            ("姜在东", "赣州师范高等专科学校", "党委书记"),
            ("姜在东", "赣州师范高等专科学校", "校长"),
            ("赖木生", "赣州市人大常委会", "秘书长"),
            ("邹大勇", "赣州市投资促进中心", "党组书记"),
            ("谭晓芳", "赣州市投资促进中心", "主任"),
            ("陈金玲", "赣州市投资促进中心", "党组成员"),
            ("陈金玲", "赣州市投资促进中心", "副主任"),
            ("黄磊", "龙南经开区", "党工委委员"),
            ("黄磊", "龙南经开区", "管委会副主任"),
        }
        assert Person.objects.count() == 8
        # The article shows them in post during the visit, on no single day and with no term of office.
        assert not Post.objects.exclude(start_date=None, end_date=None, attested_on=None).exists()

    def test_the_cooperation_items_planned_are_the_seven_project_types(self):
        assert dict(ProjectType.objects.values_list("code", "name")) == {
            "comprehensive-high-school": "职普融通综合高中",
            "industry-college": "产业学院",
            "internship-training-base": "实习实训基地",
            "top-talent-programme": "拔尖创新人才培养计划",
            "secondary-general-subjects": "中职学校文化课教学联合共建",
            "education-informatization": "教育信息化服务",
            "teaching-staff-development": "人才师资团队建设",
        }
        assert not ProjectType.objects.filter(name_en="").exists()
        for agreement in Agreement.objects.all():
            assert agreement.project_types.count() == 7

    def test_only_the_teachers_college_agreement_names_industries(self):
        by_agreement = {
            agreement.parties.get(role="partner").institution.name: set(
                agreement.industries.values_list("name", flat=True)
            )
            for agreement in Agreement.objects.all()
        }

        assert by_agreement.pop("赣州师范高等专科学校") == {
            "智能制造",
            "集成电路",
            "数字经济",
            "工业互联网",
            "医疗卫生",
        }
        assert set(map(frozenset, by_agreement.values())) == {frozenset()}
        assert set(Industry.objects.values_list("code", flat=True)) >= {"rare-metals", "rare-earths"}

    def test_the_alliance_has_its_host_zone_partner_zones_lead_school_lead_company_and_member_counts(self):
        alliance = Institution.objects.get(name=ALLIANCE)

        roles = {(membership.member.name, membership.role) for membership in alliance.memberships.all()}
        assert roles == {
            ("赣州经济技术开发区", "host"),
            ("赣州高新技术产业开发区", "partner"),
            ("上犹工业园区", "partner"),
            ("江西应用技术职业学院", "lead_school"),
            ("江西金力永磁科技股份有限公司", "lead_enterprise"),
        }
        assert dict(alliance.member_counts.values_list("category", "count")) == {
            "government": 3,
            "school": 21,
            "research": 9,
            "industry_organisation": 4,
            "enterprise": 88,
        }
        assert alliance.kind == "alliance"
        assert Institution.objects.get(name="上犹工业园区").region.code == "360724"

    def test_the_teachers_college_was_built_on_its_predecessor_and_answers_to_its_short_name(self):
        college = Institution.objects.get(name="赣州师范高等专科学校")

        assert college.predecessor.name == "赣南教育学院"
        assert list(Institution.objects.matching_name("赣州师专")) == [college]
        assert list(Institution.objects.matching_name("学大教育").filter(aliases__name="学大教育")) == [
            Institution.objects.get(name=GROUP)
        ]
        restructuring = Event.objects.get(reference="GZSZ-2013-RESTRUCTURING")
        assert (restructuring.start_date, restructuring.end_date, restructuring.date_precision) == (
            datetime.date(2013, 1, 1),
            datetime.date(2013, 12, 31),
            "year",
        )

    def test_institutions_sit_in_the_regions_the_article_names(self):
        ganzhou = Region.objects.get(code="360700")

        in_ganzhou = set(
            Institution.objects.filter(region__in=Region.objects.subtree(ganzhou)).values_list("name", flat=True)
        )
        assert PARTNERS <= in_ganzhou
        assert {"龙南经开区", "龙南市政府", "上犹工业园区"} <= in_ganzhou
        assert Institution.objects.get(name="江西省人民政府").region.code == "360000"
        # Nothing in the article places the group.
        assert Institution.objects.get(name=GROUP).region is None

    def test_the_visit_is_made_of_its_inspections_meetings_and_signing_ceremony(self):
        visit = Event.objects.get(reference="XUEDA-GZ-202311-VISIT")

        assert (visit.start_date, visit.end_date, visit.region.code) == (
            datetime.date(2023, 11, 28),
            datetime.date(2023, 11, 29),
            "360700",
        )
        parts = {part.title: (part.kind, part.region.code) for part in visit.parts.all()}
        assert parts == {
            "考察拟合作项目地块建设规划及施工进度": ("visit", "360700"),
            "参观调研赣州三所职业院校": ("visit", "360700"),
            "与赣州师范高等专科学校领导座谈交流": ("meeting", "360700"),
            "与赣州市有关部门领导座谈交流": ("meeting", "360700"),
            "学大教育集团同赣州市教育系统座谈会暨签约仪式": ("signing_ceremony", "360700"),
            "考察龙南市拟合作项目地块规划": ("visit", "360783"),
            "与龙南市政府领导座谈交流": ("meeting", "360783"),
            "参观考察龙南市集成电路（芯片）和稀土产业龙头企业": ("visit", "360783"),
        }
        # Each part happened during the visit; on which of its two days the article does not say.
        assert {(part.start_date, part.end_date, part.date_precision) for part in visit.parts.all()} == {
            (datetime.date(2023, 11, 28), datetime.date(2023, 11, 29), "range")
        }

    def test_the_meeting_at_the_city_government_had_the_officials_the_article_names(self):
        meeting = Event.objects.get(reference="XUEDA-GZ-202311-GOVERNMENT-MEETING")

        people = set(meeting.participants.exclude(person=None).values_list("person__name", flat=True))
        assert people == {"赖木生", "邹大勇", "谭晓芳", "陈金玲", "杨人中"}
        assert meeting.participants.get(role="host").institution.name == "赣州市人民政府"
        enterprise_visit = Event.objects.get(reference="XUEDA-GZ-202311-LONGNAN-ENTERPRISES")
        assert enterprise_visit.participants.get(role="visited").institution.name == "沃泰芯半导体"
        assert enterprise_visit.participants.get(role="accompanying").person.name == "黄磊"

    def test_the_earlier_events_carry_the_dates_the_article_gives_and_no_more(self):
        def iso(date):
            return date.isoformat() if date else None

        dated = {
            event.reference: (event.kind, iso(event.start_date), iso(event.end_date), event.date_precision)
            for event in Event.objects.filter(parent=None).exclude(reference="XUEDA-GZ-202311-VISIT")
        }

        assert dated == {
            "GZ-2022-03-DEMONSTRATION-ZONE-PLAN": ("policy", "2022-03-01", "2022-03-31", "month"),
            "NATIONAL-2023-05-RURAL-REVITALIZATION-CONFERENCE": ("conference", "2023-05-01", "2023-05-31", "month"),
            "GZ-RARE-METALS-CONSORTIUM-2023-09-FOUNDING": ("founding", "2023-09-01", "2023-09-30", "month"),
            "GZ-RARE-METALS-CONSORTIUM-2023-09-NATIONAL-LIST": ("recognition", "2023-09-01", "2023-09-30", "month"),
            "GZSZ-2013-RESTRUCTURING": ("founding", "2013-01-01", "2013-12-31", "year"),
            "XUEDA-2021-TRANSFORMATION": ("other", "2021-01-01", "2021-12-31", "year"),
            "POLICY-2023-RURAL-REVITALIZATION-PRIORITIES": ("policy", None, None, "unknown"),
            "POLICY-MODERN-VOCATIONAL-EDUCATION-REFORM": ("policy", None, None, "unknown"),
        }
        plan = Event.objects.get(reference="GZ-2022-03-DEMONSTRATION-ZONE-PLAN")
        assert set(plan.participants.values_list("institution__name", flat=True)) == {"国务院", "国家发展改革委"}
