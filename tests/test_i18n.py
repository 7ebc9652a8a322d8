"""The interface speaks Chinese by default and English on request; every string is translated."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "partnerships" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(User.objects.create_superuser("root", password="root-pass-2023"))
    return client


def test_admin_speaks_chinese_by_default(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "职业教育合作追踪" in page
    assert "合作协议" in page


def test_language_switch_turns_the_admin_to_english_and_back(staff_client):
    url = reverse("admin:partnerships_agreement_changelist")
    response = staff_client.post(reverse("set_language"), {"language": "en", "next": url}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert "Vocational-education partnership tracker" in page and "Select agreement to change" in page

    page = staff_client.post(reverse("set_language"), {"language": "zh-hans", "next": url}, follow=True).content.decode()
    assert "职业教育合作追踪" in page


def test_admin_offers_the_language_switch(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert 'name="language"' in page and 'value="en"' in page


def test_browser_asking_for_english_gets_english(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    page = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Vocational-education partnership tracker" in page


def test_every_string_has_a_chinese_translation():
    entries, msgid, msgstr, fuzzy, current = [], None, None, False, None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = line[6:].strip('"'), "id"
        elif line.startswith("msgstr"):  # also msgstr[0] of plural entries
            msgstr, current = line.split(" ", 1)[1].strip('"'), "str"
        elif line.startswith('"') and current:
            if current == "id":
                msgid += line.strip('"')
            else:
                msgstr += line.strip('"')
        elif not line.strip() and msgid is not None:
            entries.append((msgid, msgstr, fuzzy))
            msgid, msgstr, fuzzy, current = None, None, False, None
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if msgid and (not msgstr or fuzzy)]
    assert len(entries) > 100
    assert untranslated == []
