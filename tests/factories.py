"""factory_boy factories for every model; tests build their data here, never from fixtures/."""

import datetime

import factory
from django.contrib.auth.models import Group, User

from partnerships import models
from partnerships.choices import (
    AgreementStatusChoices,
    DatePrecisionChoices,
    EventKindChoices,
    InstitutionKindChoices,
    RegionLevelChoices,
)
from partnerships.services import ANALYST_GROUP, EDITOR_GROUP, roles_sync


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """Put the user in the analyst or editor group: UserFactory(role="editor")."""
        if extracted:
            roles_sync()
            user.groups.add(Group.objects.get(name=extracted))


def analyst(**kwargs) -> User:
    return UserFactory(role=ANALYST_GROUP, **kwargs)


def editor(**kwargs) -> User:
    return UserFactory(role=EDITOR_GROUP, is_staff=True, **kwargs)


class RegionFactory(factory.django.DjangoModelFactory):
    """A made-up province; tests needing real codes use the loaded regions."""

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试省{n}")
    level = RegionLevelChoices.PROVINCE

    class Meta:
        model = models.Region
        django_get_or_create = ("code",)


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    key = factory.Sequence(lambda n: f"doc-{n}")
    title = factory.Sequence(lambda n: f"报道{n}")
    publisher_name = "21世纪教育网"
    # Every document has its own text: one text is stored once.
    text = factory.Sequence(lambda n: f"学大教育集团同赣州师范高等专科学校签署合作协议。赣州师专党委书记、校长姜在东出席。（{n}）")

    class Meta:
        model = models.SourceDocument


class InstitutionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"测试职业技术学院{n}")
    kind = InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE

    class Meta:
        model = models.Institution


class InstitutionAliasFactory(factory.django.DjangoModelFactory):
    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"测职{n}")

    class Meta:
        model = models.InstitutionAlias


class MembershipFactory(factory.django.DjangoModelFactory):
    alliance = factory.SubFactory(InstitutionFactory, kind=InstitutionKindChoices.ALLIANCE)
    member = factory.SubFactory(InstitutionFactory)

    class Meta:
        model = models.Membership


class MemberCountFactory(factory.django.DjangoModelFactory):
    alliance = factory.SubFactory(InstitutionFactory, kind=InstitutionKindChoices.ALLIANCE)
    category = "enterprise"
    count = 88

    class Meta:
        model = models.MemberCount


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"张{n}")

    class Meta:
        model = models.Person


class PostFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    institution = factory.SubFactory(InstitutionFactory)
    title = "校长"

    class Meta:
        model = models.Post


class ProjectTypeFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"project-type-{n}")
    name = factory.Sequence(lambda n: f"项目类型{n}")

    class Meta:
        model = models.ProjectType


class IndustryFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"industry-{n}")
    name = factory.Sequence(lambda n: f"产业{n}")

    class Meta:
        model = models.Industry


class EventFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"考察调研{n}")
    kind = EventKindChoices.VISIT
    start_date = datetime.date(2023, 11, 28)
    end_date = datetime.date(2023, 11, 29)
    date_precision = DatePrecisionChoices.RANGE

    class Meta:
        model = models.Event


class EventParticipantFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventFactory)
    institution = factory.SubFactory(InstitutionFactory)

    class Meta:
        model = models.EventParticipant


class AgreementFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"合作协议{n}")
    status = AgreementStatusChoices.SIGNED
    signed_earliest = datetime.date(2023, 11, 28)
    signed_latest = datetime.date(2023, 11, 29)
    signed_precision = DatePrecisionChoices.RANGE

    class Meta:
        model = models.Agreement
        skip_postgeneration_save = True

    @factory.post_generation
    def project_types(agreement, create, extracted, **kwargs):
        if create and extracted:
            agreement.project_types.set(extracted)

    @factory.post_generation
    def industries(agreement, create, extracted, **kwargs):
        if create and extracted:
            agreement.industries.set(extracted)


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    agreement = factory.SubFactory(AgreementFactory)
    institution = factory.SubFactory(InstitutionFactory)

    class Meta:
        model = models.AgreementParty


def citation_factory(record_model, record_factory):
    """Return a factory for the citations of one kind of record, quoting the default source text."""
    return type(
        f"{record_model.__name__}CitationFactory",
        (factory.django.DjangoModelFactory,),
        {
            "record": factory.SubFactory(record_factory),
            "source": factory.SubFactory(SourceDocumentFactory),
            "quote": "签署合作协议",
            "position": factory.LazyAttribute(lambda c: c.source.text.find(c.quote)),
            "Meta": type("Meta", (), {"model": record_model.citations.rel.related_model}),
        },
    )


AgreementCitationFactory = citation_factory(models.Agreement, AgreementFactory)
InstitutionCitationFactory = citation_factory(models.Institution, InstitutionFactory)


def cite(record, source=None, quote: str = "签署合作协议"):
    """Attach a citation to any record, quoting its source verbatim."""
    source = source or SourceDocumentFactory()
    citation_model = type(record).citations.rel.related_model
    return citation_model.objects.create(record=record, source=source, quote=quote, position=source.text.index(quote))


class PersonAliasFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"張{n}")

    class Meta:
        model = models.PersonAlias


class InstitutionRelationFactory(factory.django.DjangoModelFactory):
    subject = factory.SubFactory(InstitutionFactory)
    object = factory.SubFactory(InstitutionFactory)
    kind = "affiliated_with"

    class Meta:
        model = models.InstitutionRelation


class ProjectFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"产业学院{n}")
    project_type = factory.SubFactory(ProjectTypeFactory)

    class Meta:
        model = models.Project


class ProjectBuilderFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    institution = factory.SubFactory(InstitutionFactory)

    class Meta:
        model = models.ProjectBuilder


class ProjectQuantityFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    measure = "students"
    value = 170
    unit = "名"
    approximate = True

    class Meta:
        model = models.ProjectQuantity


class FundingFactory(factory.django.DjangoModelFactory):
    amount = 1_000_000_000
    approximate = True
    project = factory.SubFactory(ProjectFactory)
    contributor = factory.SubFactory(InstitutionFactory)

    class Meta:
        model = models.Funding


def agreement_with_everything(**kwargs) -> models.Agreement:
    """Return an agreement in 龙南市 with two parties, a signatory, project types, an industry and a citation."""
    agreement = AgreementFactory(
        region=models.Region.objects.get(code="360783"),
        project_types=[ProjectTypeFactory(), ProjectTypeFactory()],
        industries=[IndustryFactory()],
        **kwargs,
    )
    AgreementPartyFactory(agreement=agreement, role="lead", signatory=PersonFactory())
    AgreementPartyFactory(agreement=agreement)
    AgreementCitationFactory(record=agreement)
    return agreement
