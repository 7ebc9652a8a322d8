"""The agreement rollups (party kinds and names, signing month) give the rows the joins they replace give,
after every kind of write: through the service, the models, a queryset delete."""

import datetime

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from partnerships.choices import DatePrecisionChoices, InstitutionKindChoices
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementProjectType,
    Institution,
    InstitutionAlias,
    InstitutionPartners,
    ProjectTypeAgreements,
)
from partnerships.selectors import agreement_stats
from partnerships.services import agreement_save, aliases_set
from tests import factories
from tests.api.base import client_for, detail_url, list_url
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    InstitutionAliasFactory,
    InstitutionFactory,
    ProjectTypeFactory,
)

TEXTS = ["赣州", "师专", "TEACHERS", "贛州", "華瑞", "华瑞", "科技", "协议", "教育局", "无此名", "赣\n州"]


def joined_party_kind(kinds):
    """The party_kind filter as it was: a semi-join through the parties to their institutions."""
    parties = AgreementParty.objects.filter(agreement=OuterRef("pk"), institution__kind__in=kinds)
    return set(Agreement.objects.filter(Exists(parties)).values_list("pk", flat=True))


def joined_party_name(text):
    matching = Institution.objects.matching_name(text).values("pk")
    parties = AgreementParty.objects.filter(agreement=OuterRef("pk"), institution__in=matching)
    return set(Agreement.objects.filter(Exists(parties)).values_list("pk", flat=True))


def joined_text(text):
    titles = set(Agreement.objects.filter(title__substring=text).values_list("pk", flat=True))
    return titles | joined_party_name(text)


def joined_kind_counts():
    return {
        kind: len(joined_party_kind([kind])) for kind in InstitutionKindChoices.values if joined_party_kind([kind])
    }


def exact_partner_counts() -> dict[int, int]:
    """Each institution's distinct partners over every agreement, counted here from the parties."""
    parties: dict[int, set[int]] = {}
    for agreement_id, institution_id in AgreementParty.objects.values_list("agreement_id", "institution_id"):
        parties.setdefault(agreement_id, set()).add(institution_id)
    partners: dict[int, set[int]] = {}
    for institutions in parties.values():
        for institution in institutions:
            partners.setdefault(institution, set()).update(institutions - {institution})
    return {institution: len(others) for institution, others in partners.items() if others}


def assert_partner_counts_agree():
    assert dict(InstitutionPartners.objects.values_list("institution_id", "partners")) == exact_partner_counts()
    rolled_up = agreement_stats(agreements=Agreement.objects.all(), group_by="partners")
    assert rolled_up == agreement_stats(agreements=Agreement.objects.filter(pk__gt=0), group_by="partners")


def assert_project_type_counts_agree():
    """The type counts and each agreement's has_project_type are what the links say; the stats agree filtered or not."""
    links = list(AgreementProjectType.objects.values_list("agreement_id", "projecttype_id"))
    exact: dict[int, int] = {}
    for _agreement, project_type in links:
        exact[project_type] = exact.get(project_type, 0) + 1
    assert dict(ProjectTypeAgreements.objects.values_list("project_type_id", "agreements")) == exact
    typed = {agreement for agreement, _project_type in links}
    assert dict(Agreement.objects.values_list("pk", "has_project_type")) == {
        pk: pk in typed for pk in Agreement.objects.values_list("pk", flat=True)
    }
    rolled_up = agreement_stats(agreements=Agreement.objects.all(), group_by="project_type")
    assert rolled_up == agreement_stats(agreements=Agreement.objects.filter(pk__gt=0), group_by="project_type")


def assert_rollups_agree_with_the_joins():
    assert_partner_counts_agree()
    assert_project_type_counts_agree()
    for kind in InstitutionKindChoices.values:
        rolled_up = Agreement.objects.with_party_kind([kind]).values_list("pk", flat=True)
        assert set(rolled_up) == joined_party_kind([kind]), kind
    kinds = [InstitutionKindChoices.ENTERPRISE, InstitutionKindChoices.GOVERNMENT_BODY]
    assert set(Agreement.objects.with_party_kind(kinds).values_list("pk", flat=True)) == joined_party_kind(kinds)
    for text in TEXTS:
        assert set(Agreement.objects.matching_text(text).values_list("pk", flat=True)) == joined_text(text), text
        rolled_up = Agreement.objects.matching_party_name(text).values_list("pk", flat=True)
        assert set(rolled_up) == joined_party_name(text), text
    stats = agreement_stats(agreements=Agreement.objects.all(), group_by="party_kind")
    assert {row["key"]: row["count"] for row in stats["results"]} == joined_kind_counts()


@pytest.fixture
def institutions(db):
    college = InstitutionFactory(name="赣州师范高等专科学校", name_en="Ganzhou Teachers College")
    InstitutionAliasFactory(institution=college, name="赣州师专")
    company = InstitutionFactory(name="華瑞科技有限公司", kind=InstitutionKindChoices.ENTERPRISE)
    bureau = InstitutionFactory(name="赣州市教育局", kind=InstitutionKindChoices.GOVERNMENT_BODY)
    return college, company, bureau


def test_an_agreement_saved_with_its_parties_has_their_kinds_and_names(institutions):
    college, company, bureau = institutions
    agreement = agreement_save(
        agreement=Agreement(), title="校企合作协议", parties=[{"institution": college}, {"institution": company}]
    )
    agreement.refresh_from_db()
    assert agreement.party_kinds == ",enterprise,higher_vocational_college,"
    assert agreement.party_names.split("\n") == sorted(["赣州师范高等专科学校", "Ganzhou Teachers College", "赣州师专", "華瑞科技有限公司"])
    assert "华瑞科技有限公司" in agreement.party_names_folded.split("\n")
    AgreementFactory(title="无关的协议")  # no parties: empty rollups
    assert_rollups_agree_with_the_joins()


def test_the_rollups_follow_a_party_added_changed_and_removed(institutions):
    college, company, bureau = institutions
    agreement = agreement_save(agreement=Agreement(), title="合作协议", parties=[{"institution": college}])
    party = AgreementPartyFactory(agreement=agreement, institution=bureau)
    assert_rollups_agree_with_the_joins()
    party.institution = company
    party.save()
    assert_rollups_agree_with_the_joins()
    party.delete()
    assert_rollups_agree_with_the_joins()
    agreement_save(agreement=agreement, parties=[{"institution": company}, {"institution": bureau}])
    assert_rollups_agree_with_the_joins()
    AgreementParty.objects.filter(agreement=agreement, institution=bureau).delete()  # no delete() called
    assert_rollups_agree_with_the_joins()
    assert Agreement.objects.get(pk=agreement.pk).party_kinds == ",enterprise,"


def test_the_partner_counts_follow_every_write_of_a_party(institutions):
    college, company, bureau = institutions
    other = InstitutionFactory(name="赣州职业技术学院")
    first = agreement_save(agreement=Agreement(), title="甲协议", parties=[{"institution": college}, {"institution": company}])
    second = agreement_save(agreement=Agreement(), title="乙协议", parties=[{"institution": company}, {"institution": bureau}])
    assert_partner_counts_agree()
    assert InstitutionPartners.objects.get(institution=company).partners == 2
    party = AgreementPartyFactory(agreement=first, institution=bureau)  # company's partner already: still 2
    assert InstitutionPartners.objects.get(institution=company).partners == 2
    assert_partner_counts_agree()
    party.institution = other  # a party's institution changed: the one it left loses a partner
    party.save()
    assert_partner_counts_agree()
    party.agreement = second  # a party moved to another agreement
    party.save()
    assert_partner_counts_agree()
    party.delete()
    assert_partner_counts_agree()
    AgreementParty.objects.filter(agreement=second, institution=bureau).delete()  # a queryset delete
    assert_partner_counts_agree()
    assert not InstitutionPartners.objects.filter(institution=bureau).exists()
    first.delete()  # its parties go with it
    assert_partner_counts_agree()
    assert not InstitutionPartners.objects.exists()
    Agreement.objects.all().delete()
    assert_partner_counts_agree()


def test_the_partner_counts_agree_with_the_exact_query_on_ties_and_the_top_twenty(db):
    import random

    chooser = random.Random(17)
    pool = [InstitutionFactory() for _ in range(40)]
    for _ in range(60):
        parties = chooser.sample(pool, chooser.randint(2, 4))
        agreement_save(agreement=Agreement(), title="合作协议", parties=[{"institution": i} for i in parties])
    assert_partner_counts_agree()
    stats = agreement_stats(agreements=Agreement.objects.all(), group_by="partners")
    assert len(stats["results"]) == 20


def test_the_rollups_follow_an_institutions_kind_name_and_aliases(institutions):
    college, company, bureau = institutions
    for title in ("甲协议", "乙协议"):
        agreement_save(agreement=Agreement(), title=title, parties=[{"institution": company}, {"institution": bureau}])
    company.kind = InstitutionKindChoices.HOLDING_GROUP
    company.save()
    assert_rollups_agree_with_the_joins()
    bureau.name = "赣州市人力资源和社会保障局"
    bureau.save()
    assert_rollups_agree_with_the_joins()
    aliases_set(record=bureau, names=["赣州人社局", "人社局"])
    assert_rollups_agree_with_the_joins()
    alias = InstitutionAlias.objects.get(name="人社局")
    alias.name = "赣州市教育局"
    alias.save()
    assert_rollups_agree_with_the_joins()
    InstitutionAlias.objects.filter(institution=bureau).delete()
    assert_rollups_agree_with_the_joins()
    alias = InstitutionAliasFactory(institution=college, name="華瑞")
    alias.institution = company  # an alias moved to another institution
    alias.save()
    assert_rollups_agree_with_the_joins()


def test_the_signing_month_follows_the_bounds_and_feeds_the_stats(db):
    same_month = AgreementFactory(
        signed_earliest=datetime.date(2023, 11, 1), signed_latest=datetime.date(2023, 11, 30),
        signed_precision=DatePrecisionChoices.MONTH,
    )
    AgreementFactory(signed_earliest=datetime.date(2023, 11, 28), signed_latest=datetime.date(2023, 12, 2))
    AgreementFactory(signed_earliest=None, signed_latest=None, signed_precision=DatePrecisionChoices.UNKNOWN)
    assert Agreement.objects.get(pk=same_month.pk).signed_month == datetime.date(2023, 11, 1)
    stats = agreement_stats(agreements=Agreement.objects.all(), group_by="month")
    assert {row["key"]: row["count"] for row in stats["results"]} == {"2023-11": 1, None: 2}
    same_month.signed_earliest = same_month.signed_latest = datetime.date(2024, 1, 5)
    same_month.signed_precision = DatePrecisionChoices.DAY
    same_month.save()
    stats = agreement_stats(agreements=Agreement.objects.all(), group_by="month")
    assert {row["key"]: row["count"] for row in stats["results"]} == {"2024-01": 1, None: 2}


def test_an_analyst_finds_at_once_what_an_editor_just_changed_through_the_api(institutions):
    college, company, bureau = institutions
    editor, analyst = client_for(factories.editor()), client_for(factories.analyst())
    created = editor.post(
        list_url("agreement"), {"title": "校企合作协议", "parties": [{"institution": college.pk}]}, format="json"
    )
    assert created.status_code == 201, created.data

    def found(**query):
        response = analyst.get(list_url("agreement"), query)
        assert response.status_code == 200, response.data
        return [item["id"] for item in response.data["results"]]

    assert found(party_kind="enterprise") == []
    changed = editor.patch(
        detail_url("agreement", created.data["id"]),
        {"parties": [{"institution": college.pk}, {"institution": company.pk}]},
        format="json",
    )
    assert changed.status_code == 200, changed.data
    assert found(party_kind="enterprise") == [created.data["id"]]
    assert found(q="華瑞科技") == [created.data["id"]]
    renamed = editor.patch(
        detail_url("institution", company.pk), {"kind": "holding_group", "aliases": ["华瑞集团"]}, format="json"
    )
    assert renamed.status_code == 200, renamed.data
    assert found(party_kind="enterprise") == []
    assert found(party_kind="holding_group") == found(party_name="华瑞集团") == [created.data["id"]]
    assert_rollups_agree_with_the_joins()


def test_the_project_type_counts_follow_every_write_of_a_link(institutions):
    college, company, bureau = institutions
    industry_college, base, order_class = (ProjectTypeFactory(code=code) for code in ("ic", "tb", "oc"))
    first = agreement_save(agreement=Agreement(), title="甲协议", parties=[{"institution": college}], project_types=[base])
    second = AgreementFactory(title="乙协议")  # none yet
    assert_project_type_counts_agree()
    agreement_save(agreement=first, project_types=[industry_college, order_class])  # replaced through the service
    assert_project_type_counts_agree()
    second.project_types.add(base, order_class)  # added in bulk, without save()
    assert_project_type_counts_agree()
    base.agreements.add(first)  # from the type's side
    assert_project_type_counts_agree()
    second.project_types.remove(order_class)
    assert_project_type_counts_agree()
    order_class.agreements.clear()
    assert_project_type_counts_agree()
    AgreementProjectType.objects.create(agreement=second, projecttype=industry_college)  # a link saved on its own
    assert_project_type_counts_agree()
    AgreementProjectType.objects.filter(projecttype=base).delete()  # a queryset delete
    assert_project_type_counts_agree()
    assert not ProjectTypeAgreements.objects.filter(project_type=base).exists()
    first.delete()  # its links go with it
    assert_project_type_counts_agree()
    Agreement.objects.all().delete()
    assert_project_type_counts_agree()
    assert not ProjectTypeAgreements.objects.exists()
    order_class.delete()  # a type without agreements may go, and its count with it
    assert_project_type_counts_agree()


def test_replacing_an_agreements_types_costs_the_same_queries_however_many_agreements_have_them(db):
    industry_college, base = ProjectTypeFactory(code="ic"), ProjectTypeFactory(code="tb")
    agreement = agreement_save(agreement=Agreement(), title="合作协议", project_types=[industry_college])

    def replaced(types) -> int:
        with CaptureQueriesContext(connection) as queries:
            agreement_save(agreement=agreement, project_types=types)
        return len(queries)

    few = [replaced([base]), replaced([industry_college])]
    for _ in range(5):
        AgreementFactory(project_types=[industry_college, base])
    assert [replaced([base]), replaced([industry_college])] == few
    assert_project_type_counts_agree()


def test_an_editor_changing_an_agreements_types_through_the_api_changes_the_counts(institutions):
    industry_college, base = ProjectTypeFactory(code="ic"), ProjectTypeFactory(code="tb")
    editor = client_for(factories.editor())
    created = editor.post(list_url("agreement"), {"title": "校企合作协议", "project_types": [industry_college.pk]}, format="json")
    assert created.status_code == 201, created.data
    assert_project_type_counts_agree()
    changed = editor.patch(detail_url("agreement", created.data["id"]), {"project_types": [industry_college.pk, base.pk]}, format="json")
    assert changed.status_code == 200, changed.data
    assert dict(ProjectTypeAgreements.objects.values_list("project_type_id", "agreements")) == {
        industry_college.pk: 1, base.pk: 1
    }
    assert editor.delete(detail_url("agreement", created.data["id"])).status_code == 204
    assert_project_type_counts_agree()
    assert not ProjectTypeAgreements.objects.exists()


def test_the_seeds_give_the_project_type_counts_the_links_give(db):
    from partnerships.services import seeds_load

    seeds_load()
    assert AgreementProjectType.objects.exists()
    assert_project_type_counts_agree()
