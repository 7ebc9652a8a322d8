"""Fixtures the API tests share."""

import pytest
from django.core.management import call_command

from partnerships import models
from partnerships.api.plan import Many, shape_of
from partnerships.api.urls import router
from partnerships.api.views import RecordViewSet
from partnerships.models import EventKind
from tests import factories
from tests.test_permissions import RESOURCES

# The agreements of the generated dataset the parity tests read, and what "several" items of a list means there.
GENERATED_AGREEMENTS = 300
SEVERAL = 3


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


@pytest.fixture
def generated_records(db):
    """A small generated dataset (devtools/dataset.py), with several items in every list of every resource.

    The generator gives most lists one or two items; a few records of each resource get more
    (citations whose positions fall as their ids rise), so that each list's order is held.
    """
    call_command("generate_dataset", agreements=GENERATED_AGREEMENTS, seed=11, verbosity=0)
    if not models.InstitutionRelation.objects.exists():
        factories.InstitutionRelationFactory()
    if not models.Funding.objects.exists():
        factories.FundingFactory(project=models.Project.objects.first())
    thickener = Thickener()
    for _, viewset, _ in router.registry:
        if issubclass(viewset, RecordViewSet):
            shape = shape_of(viewset.serializer_class, viewset.queryset.model)
            for record in viewset.queryset.model._default_manager.order_by("pk")[:2]:
                thickener.thicken(shape, record)


class Thickener:
    """Add items to a record's lists until each has SEVERAL, then to its items' own lists."""

    def __init__(self):
        self.institutions = list(models.Institution.objects.order_by("pk")[: SEVERAL + 2])
        self.sources = list(models.SourceDocument.objects.order_by("pk")[:1]) or [factories.SourceDocumentFactory()]
        self.made = 0

    def thicken(self, shape, record) -> None:
        for node in shape.nodes:
            if not isinstance(node, Many):
                continue
            items = getattr(record, node.source)
            for index in range(SEVERAL + 1 - items.count()):
                self.made += 1
                self.add(node, record, index)
            if node.shape is not None and any(isinstance(inner, Many) for inner in node.shape.nodes):
                for item in items.order_by("pk")[:2]:
                    self.thicken(node.shape, item)

    def add(self, node: Many, record, index: int) -> None:
        if record._meta.get_field(node.source).many_to_many:
            manager = getattr(record, node.source)
            manager.add(*node.model._default_manager.exclude(pk__in=manager.values("pk")).order_by("pk")[:1])
        elif node.source == "citations":
            # Positions falling as ids rise: the list's order is its ordering's, not the order of insertion.
            node.model._default_manager.create(record=record, source=self.sources[0], quote=f"引文{self.made}", position=1000 - self.made)
        elif node.source == "further_kinds":
            taken = {record.kind, *record.further_kinds.values_list("kind", flat=True)}
            kind = next(value for value, _ in EventKind._meta.get_field("kind").choices if value not in taken)
            EventKind.objects.create(event=record, kind=kind)
        elif node.source == "aliases":
            record.aliases.create(name=f"{record.name}别名{self.made}")
        elif node.source == "quantities":
            taken = set(record.quantities.values_list("measure", flat=True))
            measure = next(value for value, _ in models.ProjectQuantity._meta.get_field("measure").choices if value not in taken)
            factories.ProjectQuantityFactory(project=record, measure=measure)
        else:
            self.add_with_institution(node, record)

    def add_with_institution(self, node: Many, record) -> None:
        """Add a party, participant, builder or post: an institution the record does not list yet."""
        taken = set(getattr(record, node.source).values_list("institution", flat=True))
        institution = next(one for one in self.institutions if one.pk not in taken)
        extra = {"title": "校长"} if node.source == "posts" else {}
        node.model._default_manager.create(**{node.back: record, "institution": institution, **extra})


def thin_lists(items: list[dict], path: str = "") -> set[str]:
    """Return the lists in these items (and in their nested objects) that no item holds SEVERAL of."""
    longest: dict[str, int] = {}
    nested: dict[str, list[dict]] = {}
    for item in items:
        for key, value in item.items():
            if isinstance(value, list):
                longest[path + key] = max(longest.get(path + key, 0), len(value))
                nested.setdefault(path + key + ".", []).extend(part for part in value if isinstance(part, dict))
            elif isinstance(value, dict):
                nested.setdefault(path + key + ".", []).append(value)
    thin = {key for key, length in longest.items() if length < SEVERAL}
    for inner_path, inner in nested.items():
        thin |= thin_lists(inner, inner_path)
    return thin
