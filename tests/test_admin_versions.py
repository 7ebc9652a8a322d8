"""The admin refuses to save a form over a newer version of the record, and says what changed meanwhile."""

import pytest
from django import forms
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


@pytest.mark.django_db
def test_two_editors_saving_at_the_same_moment_the_second_gets_a_form_error_naming_the_first(monkeypatch):
    """Both forms pass their version check before either saves; the second then saves a stale version."""
    from partnerships.admin import VersionCheckedForm

    project_type = factories.ProjectTypeFactory(name="产业学院")
    opened = form_data(project_type, description="我的修改")
    first = ProjectType.objects.get(pk=project_type.pk)
    first.name = "现代产业学院"
    first._history_user = factories.UserFactory(username="first-editor")
    first.save()

    check = VersionCheckedForm.clean

    def checked_before_the_first_editor_saved(form):
        monkeypatch.setattr(VersionCheckedForm, "clean", check)
        return forms.ModelForm.clean(form)

    monkeypatch.setattr(VersionCheckedForm, "clean", checked_before_the_first_editor_saved)
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = staff.post(reverse("admin:partnerships_projecttype_change", args=[project_type.pk]), opened)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this record" in content
    assert "first-editor" in content and "现代产业学院" in content
    project_type.refresh_from_db()
    assert (project_type.name, project_type.description, project_type.version) == ("现代产业学院", "", 2)
