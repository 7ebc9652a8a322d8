import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from partnerships import models
from tests import factories

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0].__name__)
PARTNERSHIP_ADMINS = [(model, model_admin) for model, model_admin in ADMINS if model._meta.app_label == "partnerships"]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("root", password="root-pass-2023")
    client.force_login(user)
    return user


@pytest.fixture
def dataset():
    """One record of every kind, linked the way the seed article links them, each cited."""
    ganzhou = models.Region.objects.get(code="360700")
    longnan = models.Region.objects.get(code="360783")
    source = factories.SourceDocumentFactory()
    group = factories.InstitutionFactory(name="学大教育集团", kind="education_group")
    college = factories.InstitutionFactory(name="赣州师范高等专科学校", region=ganzhou)
    predecessor = factories.InstitutionFactory(name="赣南教育学院", region=ganzhou)
    college.predecessor = predecessor
    college.save()
    alias = factories.InstitutionAliasFactory(institution=college, name="赣州师专")
    alliance = factories.InstitutionFactory(name="赣州稀有金属市域产教联合体", kind="alliance", region=longnan)
    membership = factories.MembershipFactory(alliance=alliance, member=college, role="lead_school")
    count = factories.MemberCountFactory(alliance=alliance)
    person = factories.PersonFactory(name="姜在东")
    post = factories.PostFactory(person=person, institution=college, title="党委书记", attested_on=datetime.date(2023, 11, 28))
    project_type = factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    industry = factories.IndustryFactory(code="integrated-circuits", name="集成电路")
    event = factories.EventFactory(title="学大教育集团赣州考察调研", region=ganzhou)
    participant = factories.EventParticipantFactory(event=event, institution=group)
    agreement = factories.AgreementFactory(
        title="学大教育集团与赣州师范高等专科学校合作协议",
        region=ganzhou,
        event=event,
        project_types=[project_type],
        industries=[industry],
    )
    lead = factories.AgreementPartyFactory(agreement=agreement, institution=group, role="lead")
    partner = factories.AgreementPartyFactory(agreement=agreement, institution=college, signatory=person)
    person_alias = factories.PersonAliasFactory(person=person, name="姜在東")
    relation = factories.InstitutionRelationFactory(subject=college, object=group, kind="affiliated_with")
    project = factories.ProjectFactory(name="赣州师专产业学院", project_type=project_type, institution=predecessor)
    project.agreements.set([agreement])
    builder = factories.ProjectBuilderFactory(project=project, institution=college)
    quantity = factories.ProjectQuantityFactory(project=project)
    funding = factories.FundingFactory(project=project, contributor=group)
    records = [
        college, alias, membership, count, person, post, project_type, industry, event, participant, agreement, lead,
        partner, person_alias, relation, project, builder, quantity, funding,
    ]
    for record in records:
        factories.cite(record, source)
    saved_view = models.SavedView.objects.create(name="赣州的协议", owner=factories.analyst(), query={"region": "360700"})
    pending = models.PendingArticle.objects.create(
        title="赣州师专签约", text="赣州师专签约。", result={"source": {}, "proposals": [{"kind": "institution"}]},
        proposal_count=1, fingerprint="0" * 64,
    )
    return {type(record): record for record in records} | {
        models.SourceDocument: source, models.Region: longnan, models.SavedView: saved_view, models.PendingArticle: pending,
    }


def any_record(model, dataset):
    return dataset.get(model) or model.objects.first()


@pytest.mark.parametrize("model, model_admin", ADMINS, ids=[model.__name__ for model, _ in ADMINS])
def test_changelist_search_and_every_filter_answer_200(client, superuser, dataset, model, model_admin):
    url = admin_url(model, "changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert client.get(url, {"q": "赣州"}).status_code == 200
    changelist = response.context["cl"]
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            filtered = client.get(url + choice["query_string"])
            assert filtered.status_code == 200, (spec.title, choice["query_string"])


@pytest.mark.parametrize("model, model_admin", PARTNERSHIP_ADMINS, ids=[m.__name__ for m, _ in PARTNERSHIP_ADMINS])
def test_add_change_and_history_pages_answer_200_for_a_superuser(client, superuser, dataset, model, model_admin):
    record = any_record(model, dataset)
    # Regions come from load_regions alone, pending articles from the queue: the admin shows them but adds none.
    assert client.get(admin_url(model, "add")).status_code == (403 if model in (models.Region, models.PendingArticle) else 200)
    assert client.get(admin_url(model, "change", record.pk)).status_code == 200
    assert client.get(admin_url(model, "history", record.pk)).status_code == 200


@pytest.mark.parametrize("model, model_admin", PARTNERSHIP_ADMINS, ids=[m.__name__ for m, _ in PARTNERSHIP_ADMINS])
def test_staff_without_permission_gets_403(client, dataset, model, model_admin):
    client.force_login(factories.UserFactory(is_staff=True))
    record = any_record(model, dataset)
    assert client.get(admin_url(model, "changelist")).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.get(admin_url(model, "change", record.pk)).status_code == 403


def test_analyst_reads_but_cannot_add(client, dataset):
    client.force_login(factories.analyst(is_staff=True))
    assert client.get(admin_url(models.Agreement, "changelist")).status_code == 200
    assert client.get(admin_url(models.Agreement, "add")).status_code == 403


def test_search_by_short_name_finds_the_full_name(client, superuser, dataset):
    response = client.get(admin_url(models.Institution, "changelist"), {"q": "赣州师专"})
    assert [institution.name for institution in response.context["cl"].result_list] == ["赣州师范高等专科学校"]


def test_agreement_search_finds_it_by_a_party_alias(client, superuser, dataset):
    response = client.get(admin_url(models.Agreement, "changelist"), {"q": "赣州师专"})
    assert list(response.context["cl"].result_list) == [dataset[models.Agreement]]


def test_region_filter_includes_sub_regions(client, superuser, dataset):
    url = admin_url(models.Institution, "changelist")
    in_ganzhou = client.get(url, {"region_subtree": "360700"}).context["cl"].result_list
    assert {i.name for i in in_ganzhou} == {"赣州师范高等专科学校", "赣南教育学院", "赣州稀有金属市域产教联合体"}
    in_longnan = client.get(url, {"region_subtree": "360783"}).context["cl"].result_list
    assert [i.name for i in in_longnan] == ["赣州稀有金属市域产教联合体"]


def form_data(response) -> dict:
    """Return the POST data an admin add or change page would submit unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        forms.extend(formset.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def test_newcomer_adds_an_institution_a_person_with_a_post_and_an_agreement_with_two_parties(client, superuser):
    ganzhou = models.Region.objects.get(code="360700")
    url = admin_url(models.Institution, "add")
    for name in ("学大教育集团", "赣州理工职业技术学校"):
        data = form_data(client.get(url)) | {"name": name, "kind": "education_group", "region": ganzhou.pk}
        assert client.post(url, data).status_code == 302
    group, school = models.Institution.objects.order_by("pk")

    url = admin_url(models.Person, "add")
    data = form_data(client.get(url)) | {
        "name": "金鑫", "posts-TOTAL_FORMS": "1", "posts-0-institution": group.pk, "posts-0-title": "CEO",
    }
    assert client.post(url, data).status_code == 302
    post = models.Post.objects.get()
    assert (post.person.name, post.institution, post.title) == ("金鑫", group, "CEO")

    url = admin_url(models.Agreement, "add")
    data = form_data(client.get(url)) | {
        "title": "合作协议", "status": "signed", "signed_precision": "range",
        "signed_earliest": "2023-11-28", "signed_latest": "2023-11-29", "region": ganzhou.pk,
        "parties-TOTAL_FORMS": "2",
        "parties-0-institution": group.pk, "parties-0-role": "lead", "parties-0-signatory": post.person.pk,
        "parties-1-institution": school.pk, "parties-1-role": "partner",
    }
    assert client.post(url, data).status_code == 302
    agreement = models.Agreement.objects.get()
    assert {(p.institution, p.role) for p in agreement.parties.all()} == {(group, "lead"), (school, "partner")}

    history = client.get(admin_url(models.Agreement, "history", agreement.pk))
    assert "root" in history.content.decode()
    assert agreement.history.get().history_user == superuser
    assert group.history.first().history_user == superuser


def test_change_is_kept_in_history_with_who_and_what(client, superuser, dataset):
    college = dataset[models.Institution]
    url = admin_url(models.Institution, "change", college.pk)
    data = form_data(client.get(url)) | {"name_en": "Ganzhou Teachers College"}
    assert client.post(url, data).status_code == 302
    latest, previous = college.history.all()[:2]
    assert (latest.history_user, latest.name_en, previous.name_en) == (superuser, "Ganzhou Teachers College", "")
    assert "Ganzhou Teachers College" in client.get(admin_url(models.Institution, "history", college.pk)).content.decode()


BAD_AGREEMENTS = {
    "not a date": ({"signed_earliest": "2023-13-45"}, "signed_earliest"),
    "end before start": ({"signed_earliest": "2023-11-29", "signed_latest": "2023-11-28"}, "signed_latest"),
    "unknown region": ({"region": "99999999"}, "region"),
    "unknown status": ({"status": "approved"}, "status"),
}


@pytest.mark.parametrize("changes, field", BAD_AGREEMENTS.values(), ids=BAD_AGREEMENTS.keys())
def test_bad_agreement_shows_the_error_and_saves_nothing(client, superuser, changes, field):
    url = admin_url(models.Agreement, "add")
    data = form_data(client.get(url)) | {
        "title": "合作协议", "signed_precision": "range", "signed_earliest": "2023-11-28", "signed_latest": "2023-11-29",
    } | changes
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not models.Agreement.objects.exists()


def test_duplicate_party_shows_the_error_and_saves_nothing(client, superuser):
    school = factories.InstitutionFactory()
    url = admin_url(models.Agreement, "add")
    data = form_data(client.get(url)) | {
        "title": "合作协议", "parties-TOTAL_FORMS": "2",
        "parties-0-institution": school.pk, "parties-0-role": "partner",
        "parties-1-institution": school.pk, "parties-1-role": "lead",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for institution" in response.content.decode()
    assert not models.Agreement.objects.exists()


def test_citation_that_is_not_verbatim_shows_the_error_on_the_quote(client, superuser, dataset):
    agreement = dataset[models.Agreement]
    url = admin_url(models.Agreement, "change", agreement.pk)
    data = form_data(client.get(url)) | {"citations-0-quote": "签署合作协意", "citations-0-position": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "does not occur verbatim" in response.content.decode()
    assert agreement.citations.get().quote == "签署合作协议"


def test_post_ending_before_it_starts_shows_the_error(client, superuser, dataset):
    person = dataset[models.Person]
    url = admin_url(models.Person, "change", person.pk)
    data = form_data(client.get(url)) | {"posts-0-start_date": "2023-01-01", "posts-0-end_date": "2022-01-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert models.Post.objects.get().end_date is None


def test_source_document_page_links_to_every_record_it_supports(client, superuser, dataset):
    source = dataset[models.SourceDocument]
    page = client.get(admin_url(models.SourceDocument, "change", source.pk)).content.decode()
    link = admin_url(models.AgreementCitation, "changelist") + f"?source__id__exact={source.pk}"
    assert f'<a href="{link}">agreement citations</a>: 1' in page
    cited = client.get(link).context["cl"].result_list
    assert [citation.record for citation in cited] == [dataset[models.Agreement]]


def test_citations_stay_out_of_the_index_but_open_from_their_source(client, superuser, dataset):
    index = client.get(reverse("admin:index")).content.decode()
    assert admin_url(models.Agreement, "changelist") in index
    assert admin_url(models.AgreementCitation, "changelist") not in index


def test_agreement_search_needs_every_word_to_match(client, superuser, dataset):
    url = admin_url(models.Agreement, "changelist")
    assert list(client.get(url, {"q": "学大教育集团 赣州师专"}).context["cl"].result_list) == [dataset[models.Agreement]]
    assert list(client.get(url, {"q": "学大教育集团 龙南"}).context["cl"].result_list) == []


def test_a_party_row_takes_its_citation_where_it_is_edited_with_the_position_found(client, superuser, dataset):
    agreement, source = dataset[models.Agreement], dataset[models.SourceDocument]
    party = agreement.parties.get(role="lead")
    url = admin_url(models.Agreement, "change", agreement.pk)
    data = form_data(client.get(url))
    row = next(key for key, value in data.items() if key.endswith("-id") and str(value) == str(party.pk))
    prefix = row[: -len("id")]
    data |= {f"{prefix}cite_source": source.pk, f"{prefix}cite_quote": "姜在东出席"}
    assert client.post(url, data).status_code == 302
    citation = party.citations.get(quote="姜在东出席")
    assert citation.position == source.text.index("姜在东出席")


def test_an_inline_quote_that_is_not_in_the_source_shows_the_error_and_saves_nothing(client, superuser, dataset):
    agreement, source = dataset[models.Agreement], dataset[models.SourceDocument]
    url = admin_url(models.Agreement, "change", agreement.pk)
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.startswith("parties-0-"))[: len("parties-0-")]
    data |= {f"{prefix}cite_source": source.pk, f"{prefix}cite_quote": "文中没有这句话"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "does not occur verbatim" in response.content.decode()
    assert not models.AgreementPartyCitation.objects.filter(quote="文中没有这句话").exists()


def test_agreements_expiring_within_90_days_and_uncited_records_are_listed(client, superuser, dataset):
    today = datetime.date.today()
    soon = factories.AgreementFactory(
        title="即将到期的协议", valid_from=today - datetime.timedelta(days=700), valid_until=today + datetime.timedelta(days=30),
        term_precision="range",
    )
    response = client.get(admin_url(models.Agreement, "changelist"), {"expiring": "90"})
    assert list(response.context["cl"].result_list) == [soon]
    response = client.get(admin_url(models.Agreement, "changelist"), {"cited": "no"})
    assert list(response.context["cl"].result_list) == [soon]
