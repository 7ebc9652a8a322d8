"""The admin refuses to save a form over a newer version of the record, and says what changed meanwhile."""

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import ProjectType
from tests import factories


def form_data(project_type, **changes):
    return {"code": project_type.code, "name": project_type.name, "name_en": project_type.name_en,
            "description": "", "notes": "", "version": project_type.version,
            "projecttypecitation_set-TOTAL_FORMS": 0, "projecttypecitation_set-INITIAL_FORMS": 0,
            "citations-TOTAL_FORMS": 0, "citations-INITIAL_FORMS": 0, **changes}


@pytest.mark.django_db
def test_saving_a_form_opened_before_someone_else_saved_is_refused_with_their_changes():
    project_type = factories.ProjectTypeFactory(name="产业学院")
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:partnerships_projecttype_change", args=[project_type.pk])
    page = staff.get(url).content.decode()
    assert 'name="version"' in page
    opened = form_data(project_type)

    other = ProjectType.objects.get(pk=project_type.pk)
    other.name = "现代产业学院"
    other.save()

    response = staff.post(url, {**opened, "description": "我的修改"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this record" in content
    assert "现代产业学院" in content
    project_type.refresh_from_db()
    assert (project_type.name, project_type.description) == ("现代产业学院", "")


@pytest.mark.django_db
def test_saving_a_current_form_works_and_bumps_the_version():
    project_type = factories.ProjectTypeFactory()
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:partnerships_projecttype_change", args=[project_type.pk])
    response = staff.post(url, form_data(project_type, description="新描述"))
    assert response.status_code == 302
    project_type.refresh_from_db()
    assert project_type.description == "新描述"
    assert project_type.version == 2
