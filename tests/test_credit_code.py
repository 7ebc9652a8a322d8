"""The unified social credit code on institutions: 18 characters with a matching check character, unique where given."""

import pytest
from django.core.exceptions import ValidationError

from partnerships.models.institutions import validate_credit_code
from tests import factories
from tests.api.base import client_for, detail_url


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000100006485K"])
def test_a_real_code_is_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code, error",
    [
        ("91350100M000100Y44", "checksum"),  # the check character of another code
        ("91350100M000100Y4", "invalid"),  # 17 characters
        ("91350100M000100YI3", "invalid"),  # I is not in the alphabet
        ("91350100m000100y43", "invalid"),  # lower case
    ],
)
def test_a_wrong_code_is_refused_with_its_reason(code, error):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    assert raised.value.code == error


@pytest.mark.django_db
def test_the_api_refuses_a_wrong_or_taken_code_and_allows_many_without_one():
    factories.InstitutionFactory(kind="enterprise", credit_code="91350100M000100Y43")
    factories.InstitutionFactory(kind="enterprise")
    other = factories.InstitutionFactory(kind="enterprise")
    client = client_for(factories.editor())
    url = detail_url("institution", other.pk)
    for code in ("91350100M000100Y44", "91350100M000100Y43"):
        response = client.patch(url, {"credit_code": code}, format="json")
        assert response.status_code == 400
        assert "credit_code" in response.json()
    assert client.patch(url, {"credit_code": "91110000100006485K"}, format="json").status_code == 200
