"""Fuzz every operation of the project's own OpenAPI schema (/api/schema/): no server error, every answer as documented.

schemathesis generates requests from the schema (hypothesis: bounded examples, fixed
seed) for an editor and an analyst; each request runs through the whole stack in process
(WSGI). Every answer passes schemathesis' conformance checks: its status is documented for the
operation, its content type is one the operation lists, and its body is valid against the
documented schema. Runs on PostgreSQL only, in CI's PostgreSQL pass (marker `postgresql`).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories

MAX_EXAMPLES = 6
SEED = 20261129
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def app(db):
    """The WSGI application, with the test's connection (and transaction) kept across requests, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.postgresql
@pytest.mark.django_db
def test_every_operation_answers_as_its_schema_documents_and_never_a_server_error(app):
    factories.AgreementPartyFactory()
    factories.PostFactory()
    factories.EventFactory()
    tokens = {
        "editor": Token.objects.create(user=factories.editor()).key,
        "analyst": Token.objects.create(user=factories.analyst()).key,
    }
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failures, calls = [], [0]

    for operation in operations:
        # Valid requests per the schema, and requests that break it (wrong types, bad values).
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @seed(SEED)
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def answers_as_documented(case):
                for role, key in tokens.items():
                    headers = {"Authorization": f"Token {key}"}
                    response = case.call(headers=headers)
                    calls[0] += 1
                    try:
                        case.validate_response(response, checks=CHECKS, headers=headers)
                    except FailureGroup as error:
                        failures.append(
                            f"{role}: {case.method} {case.formatted_path} {case.query} {case.body!r:.200} → "
                            f"{response.status_code}: {'; '.join(failure.title for failure in error.exceptions)}"
                        )

            try:
                answers_as_documented()
            except Unsatisfiable:
                # An operation with nothing to get wrong (no parameters, no body) has no negative cases.
                if mode is GenerationMode.POSITIVE:
                    raise

    assert calls[0] > 2 * len(operations)
    assert failures == [], "\n".join(failures[:30])
