"""Fuzz every operation of the project's own OpenAPI schema (/api/schema/): no input may cause a server error.

schemathesis generates requests from the schema, bounded in number and seeded, for an
editor and an analyst; each request runs through the whole stack in process (WSGI).
Runs on PostgreSQL only, in CI's PostgreSQL pass (marker `postgresql`).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, seed, settings
from rest_framework.authtoken.models import Token

from tests import factories

MAX_EXAMPLES = 8


@pytest.fixture
def api_schema(db):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def role_tokens(db):
    """Tokens of an editor and of an analyst, and a few records for the operations to find."""
    factories.AgreementPartyFactory()
    factories.PostFactory()
    factories.EventFactory()
    return [Token.objects.create(user=factories.editor()).key, Token.objects.create(user=factories.analyst()).key]


@pytest.mark.postgresql
@pytest.mark.django_db
@schema.parametrize()
@seed(20261129)
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, role_tokens):
    for key in role_tokens:
        response = case.call(headers={"Authorization": f"Token {key}"})
        assert response.status_code < 500, f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:300]}"
