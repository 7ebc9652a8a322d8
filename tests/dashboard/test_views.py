"""The workspace's pages: who may open them, what they show server-side, and the content security policy."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from dashboard import views
from partnerships.models import Institution
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ("dashboard:overview", "dashboard:agreements", "dashboard:map", "dashboard:report", "dashboard:saved-views")


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_the_admin_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={reverse(name)}"


def test_a_user_without_a_role_is_refused(client):
    client.force_login(User.objects.create_user("nobody", password="nobody-pass-2023"))
    assert client.get(reverse("dashboard:overview")).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_an_analyst_opens_each_page_in_chinese_with_no_inline_script(client, name):
    client.force_login(factories.analyst())
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert "数据看板" in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Scripts come from files; the only <script> without src are json_script data blocks.
    for tag in page.split("<script")[1:]:
        assert ' src="' in tag.split(">", 1)[0] or 'type="application/json"' in tag.split(">", 1)[0]
    assert " style=" not in page and " onclick=" not in page and " onchange=" not in page


def test_the_filter_bar_keeps_the_agreement_filters_of_the_url_and_drops_the_rest(client, region):
    client.force_login(factories.analyst())
    response = client.get(reverse("dashboard:overview"), {"region": "360700", "kind": "", "party": "7", "colour": "red"})
    assert response.context["query"] == "region=360700&party=7"
    assert response.context["region_path"] == [region("360000"), region("360700")]
    assert "章贡区" in [child["name"] for child in response.context["region_children"]]
    assert 'data-query="region=360700&amp;party=7"' in response.content.decode()


def test_the_admin_header_links_to_the_workspace_for_readers(client):
    client.force_login(factories.analyst(is_staff=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("dashboard:overview")}"' in page
    assert "onchange" not in page


def test_the_profile_lists_partners_by_agreements_aliases_posts_and_quotes(client):
    school = factories.InstitutionFactory(name="赣州师范高等专科学校", kind="higher_vocational_college")
    factories.InstitutionAliasFactory(institution=school, name="赣州师专")
    group = factories.InstitutionFactory(name="学大教育集团", kind="education_group")
    firm = factories.InstitutionFactory(name="某某科技有限公司", kind="enterprise")
    for partners in ([group], [group], [firm]):
        agreement = factories.AgreementFactory()
        for party in [school, *partners]:
            factories.AgreementPartyFactory(agreement=agreement, institution=party)
    factories.PostFactory(institution=school, person=factories.PersonFactory(name="张三"), title="校长")
    factories.cite(school, source=factories.SourceDocumentFactory(text="今天赣州师范高等专科学校签约。"), quote="赣州师范高等专科学校")
    client.force_login(factories.analyst())
    response = client.get(reverse("dashboard:institution", args=[school.pk]))
    assert [(row["institution__name"], row["agreements"]) for row in response.context["partners"]] == [
        ("学大教育集团", 2), ("某某科技有限公司", 1),
    ]
    page = response.content.decode()
    assert "赣州师专" in page and "张三" in page and "校长" in page and "<blockquote>赣州师范高等专科学校</blockquote>" in page
    assert len([item for item in response.context["timeline"] if item[1] == "agreement"]) == 3


def a_busy_school(extra=0, tag=""):
    """A school whose partners, agreements (one undated), event, projects and posts overflow small caps."""
    school = factories.InstitutionFactory(name=f"赣州职业技术学院{tag}", kind="higher_vocational_college")
    firms = [factories.InstitutionFactory(name=f"合作企业{tag}{n}", kind="enterprise") for n in range(3 + extra)]
    for n in range(4 + extra):
        day = None if n == 3 else datetime.date(2020 + n, 1, 1)
        precision = "unknown" if day is None else "day"
        agreement = factories.AgreementFactory(
            title=f"协议{n}", signed_earliest=day, signed_latest=day, signed_precision=precision
        )
        for party in [school, *firms[: max(3 - n, 0)], *firms[3:]]:
            factories.AgreementPartyFactory(agreement=agreement, institution=party)
    event = factories.EventFactory(title=f"考察{tag}", start_date=datetime.date(2021, 6, 1))
    factories.EventParticipantFactory(institution=school, event=event)
    factories.ProjectFactory(name="甲", institution=school)
    for name, own in (("乙", None), ("丙", school)):
        factories.ProjectBuilderFactory(project=factories.ProjectFactory(name=name, institution=own), institution=school)
    for _ in range(3 + extra):
        factories.PostFactory(institution=school)
    return school


def small_caps(monkeypatch):
    monkeypatch.setattr(views, "PARTNERS_SHOWN", 2)
    monkeypatch.setattr(views, "TIMELINE_SHOWN", 3)
    monkeypatch.setattr(views, "LIST_SHOWN", 2)


def test_the_profile_shows_the_top_partners_and_the_latest_records_and_counts_the_rest(client, monkeypatch):
    small_caps(monkeypatch)
    school = a_busy_school()
    client.force_login(factories.analyst())
    response = client.get(reverse("dashboard:institution", args=[school.pk]))
    context = response.context
    assert [(row["institution__name"], row["agreements"]) for row in context["partners"]] == [
        ("合作企业0", 3), ("合作企业1", 2),
    ]
    assert context["partner_count"] == 3
    # Newest first; the undated agreement and the oldest are left out.
    assert [(kind, record.title) for _date, kind, record in context["timeline"]] == [
        ("agreement", "协议2"), ("event", "考察"), ("agreement", "协议1"),
    ]
    assert (context["agreement_count"], context["event_count"], context["timeline_total"]) == (4, 1, 5)
    assert (len(context["projects"]), context["project_count"]) == (2, 3)
    assert (len(context["posts"]), context["post_count"]) == (2, 3)
    assert context["report_year"] == 2022
    page = response.content.decode()
    assert f'href="{reverse("dashboard:agreements")}?party={school.pk}" id="all-agreements"' in page
    assert 'id="partners-more"' in page and 'id="timeline-more"' in page


# The session, the user (their permissions are cached once read), the institution, its partners and their names, the agreements and their
# count, the events, the projects and their count, the posts and their count, the quotes, the
# relations both ways, aliases, units, successors and memberships: none per row.
PROFILE_QUERIES = 19


def test_the_profile_reads_as_many_queries_however_busy_the_institution(client, django_assert_num_queries, monkeypatch):
    small_caps(monkeypatch)
    client.force_login(factories.analyst())
    client.get(reverse("dashboard:overview"))  # reads the user's permissions once
    for extra in (0, 5):
        school = a_busy_school(extra=extra, tag=str(extra))
        with django_assert_num_queries(PROFILE_QUERIES):
            assert client.get(reverse("dashboard:institution", args=[school.pk])).status_code == 200


def test_an_unknown_institution_is_a_404(client):
    client.force_login(factories.analyst())
    missing = (Institution.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    assert client.get(reverse("dashboard:institution", args=[missing])).status_code == 404
    assert client.get(reverse("dashboard:network", args=[missing])).status_code == 404


def test_the_region_network_page_reads_the_regions_network_and_an_unknown_region_is_a_404(client):
    client.force_login(factories.analyst())
    response = client.get(reverse("dashboard:region-network", args=["360700"]))
    assert response.status_code == 200
    assert 'data-region-api="/api/v1/regions/360700/network/"' in response.content.decode()
    assert client.get(reverse("dashboard:region-network", args=["999999"])).status_code == 404
    assert client.get(reverse("dashboard:region-network", args=["x"])).status_code == 404


def test_the_report_page_passes_its_school_and_year_to_the_api(client):
    school = factories.InstitutionFactory(kind="secondary_vocational_school")
    client.force_login(factories.analyst())
    response = client.get(reverse("dashboard:report"), {"institution": str(school.pk), "year": "2023"})
    assert response.context["report_query"] == f"institution={school.pk}&year=2023"
    assert f"institution={school.pk}&amp;year=2023&amp;format=xlsx" in response.content.decode()
    assert client.get(reverse("dashboard:report"), {"institution": "x", "year": "20x3"}).context["report_query"] == ""
