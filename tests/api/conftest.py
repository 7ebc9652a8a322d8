"""Fixtures the API tests share."""

import pytest

from partnerships.models import EventKind
from tests import factories
from tests.test_permissions import RESOURCES


@pytest.fixture
def every_kind_of_record(db):
    """Make records of every resource, with their related records, some fields left empty."""
    for resource in RESOURCES:
        case = resource()
        case.make()
        case.factory()
    agreement = factories.AgreementFactory(title="=1+1", notes="-2")
    # The resources that RESOURCES does not cover, and the lists on records and on their nested rows.
    factories.cite(factories.AgreementPartyFactory(agreement=agreement))
    factories.cite(agreement)
    factories.cite(agreement, quote="合作")
    institution = factories.InstitutionFactory()
    factories.InstitutionAliasFactory(institution=institution)
    factories.InstitutionAliasFactory(institution=institution)
    factories.cite(institution)
    factories.PersonAliasFactory()
    event = factories.EventFactory()
    EventKind.objects.create(event=event, kind=next(kind for kind, _ in EventKind._meta.get_field("kind").choices if kind != event.kind))
    factories.cite(factories.EventParticipantFactory(event=event))
    project = factories.ProjectFactory()
    factories.cite(factories.ProjectBuilderFactory(project=project))
    factories.ProjectQuantityFactory(project=project)
    factories.cite(project)
    factories.ProjectFactory()
    factories.cite(factories.FundingFactory(project=project))
    factories.FundingFactory()
    factories.cite(factories.InstitutionRelationFactory())
