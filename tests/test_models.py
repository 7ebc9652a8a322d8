"""Every rule the database enforces, checked both through validation and at the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from partnerships import models
from partnerships.choices import DatePrecisionChoices, RegionLevelChoices
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def assert_rejected(instance, message: str):
    """Assert validation names the rule, and the database refuses the row on its own too."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def _region_parent_mismatch():
    return models.Region(code="999901", name="无上级县", level=RegionLevelChoices.COUNTY)


CONSTRAINT_CASES = {
    "region code has six digits": (
        lambda: models.Region(code="36070", name="短码", level=RegionLevelChoices.PROVINCE),
        "six digits",
    ),
    "region below a province has a parent": (_region_parent_mismatch, "every other region has one"),
    "post does not end before it starts": (
        lambda: factories.PostFactory.build(
            person=factories.PersonFactory(), institution=factories.InstitutionFactory(),
            start_date=D(2023, 1, 1), end_date=D(2022, 1, 1),
        ),
        "end date cannot be before the start date",
    ),
    "post attested within its dates": (
        lambda: factories.PostFactory.build(
            person=factories.PersonFactory(), institution=factories.InstitutionFactory(),
            start_date=D(2023, 1, 1), attested_on=D(2022, 1, 1),
        ),
        "attested date must fall between",
    ),
    "post title unique per person and institution": (
        lambda: (post := factories.PostFactory()) and models.Post(person=post.person, institution=post.institution, title=post.title),
        "already holds this title",
    ),
    "event does not end before it starts": (
        lambda: factories.EventFactory.build(start_date=D(2023, 11, 29), end_date=D(2023, 11, 28)),
        "latest bound cannot be before the earliest",
    ),
    "institution alias unique per institution": (
        lambda: (alias := factories.InstitutionAliasFactory()) and models.InstitutionAlias(institution=alias.institution, name=alias.name),
        "already has this alias",
    ),
    "institution name unique": (
        lambda: models.Institution(name=factories.InstitutionFactory().name, kind="enterprise"),
        "already exists",
    ),
    "membership unique": (
        lambda: (m := factories.MembershipFactory()) and models.Membership(alliance=m.alliance, member=m.member),
        "already a member",
    ),
    "alliance is not its own member": (
        lambda: (a := factories.InstitutionFactory(kind="alliance")) and models.Membership(alliance=a, member=a),
        "cannot be its own member",
    ),
    "member count unique per category": (
        lambda: (c := factories.MemberCountFactory()) and models.MemberCount(alliance=c.alliance, category=c.category, count=1),
        "already has a count",
    ),
    "person name and disambiguation unique": (
        lambda: models.Person(name=factories.PersonFactory().name),
        "already exists",
    ),
    "project type code unique": (
        lambda: models.ProjectType(code=factories.ProjectTypeFactory().code, name="另一个名称"),
        "already exists",
    ),
    "industry name unique": (
        lambda: models.Industry(code="another-code", name=factories.IndustryFactory().name),
        "already exists",
    ),
    "agreement signing bounds ordered": (
        lambda: factories.AgreementFactory.build(signed_earliest=D(2023, 11, 29), signed_latest=D(2023, 11, 28)),
        "latest bound cannot be before the earliest",
    ),
    "agreement with known precision has both bounds": (
        lambda: factories.AgreementFactory.build(signed_latest=None),
        "Give both bounds",
    ),
    "agreement with unknown precision has no bounds": (
        lambda: factories.AgreementFactory.build(signed_precision=DatePrecisionChoices.UNKNOWN),
        "has no bounds",
    ),
    "agreement exact to the day has one date": (
        lambda: factories.AgreementFactory.build(signed_precision=DatePrecisionChoices.DAY),
        "equal earliest and latest",
    ),
    "agreement reference unique": (
        lambda: factories.AgreementFactory.build(reference=factories.AgreementFactory().reference),
        "already exists",
    ),
    "party appears once per agreement": (
        lambda: (p := factories.AgreementPartyFactory()) and models.AgreementParty(agreement=p.agreement, institution=p.institution),
        "already a party to this agreement",
    ),
    "event participant names someone": (
        lambda: models.EventParticipant(event=factories.EventFactory()),
        "an institution, a person, or both",
    ),
    "event participant person once per role": (
        lambda: (p := factories.EventParticipantFactory(person=factories.PersonFactory(), institution=None))
        and models.EventParticipant(event=p.event, person=p.person, role=p.role),
        "person already takes part in this event in this role",
    ),
    "event participant institution once per role": (
        lambda: (p := factories.EventParticipantFactory())
        and models.EventParticipant(event=p.event, institution=p.institution, role=p.role),
        "institution already takes part in this event in this role",
    ),
    "citation quotes a passage once per record": (
        lambda: (c := factories.AgreementCitationFactory())
        and models.AgreementCitation(record=c.record, source=c.source, quote=c.quote, position=c.position),
        "already cites this passage",
    ),
    "source document key unique": (
        lambda: factories.SourceDocumentFactory.build(key=factories.SourceDocumentFactory().key),
        "already exists",
    ),
}


@pytest.mark.parametrize("build, message", CONSTRAINT_CASES.values(), ids=CONSTRAINT_CASES.keys())
def test_constraint_is_enforced_by_validation_and_database(build, message):
    assert_rejected(build(), message)


def test_institution_cannot_be_its_own_parent_or_predecessor():
    institution = factories.InstitutionFactory()
    for field in ("parent", "predecessor"):
        setattr(institution, field, institution)
        with pytest.raises(ValidationError) as excinfo:
            institution.full_clean()
        assert field in excinfo.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            institution.save()
        setattr(institution, field, None)


def test_institution_parent_cycle_is_refused():
    grandparent = factories.InstitutionFactory()
    parent = factories.InstitutionFactory(parent=grandparent)
    grandparent.parent = parent
    with pytest.raises(ValidationError) as excinfo:
        grandparent.full_clean()
    assert "cycle" in str(excinfo.value.message_dict["parent"])


def test_citation_quote_must_occur_verbatim_at_its_position():
    source = factories.SourceDocumentFactory()
    citation = models.AgreementCitation(record=factories.AgreementFactory(), source=source, quote="签署合作协议", position=0)
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "does not occur verbatim at position 0" in str(excinfo.value.message_dict["quote"])


def test_citation_without_position_finds_it_in_the_text():
    source = factories.SourceDocumentFactory()
    citation = models.AgreementCitation(record=factories.AgreementFactory(), source=source, quote="签署合作协议")
    citation.full_clean()
    assert citation.position == source.text.index("签署合作协议")


def test_citation_quote_changed_by_one_character_is_refused():
    source = factories.SourceDocumentFactory()
    citation = models.AgreementCitation(record=factories.AgreementFactory(), source=source, quote="签署合作协意")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "does not occur verbatim" in str(excinfo.value.message_dict["quote"])


def test_source_document_checksum_is_derived_from_its_text_whatever_was_given():
    document = factories.SourceDocumentFactory.build(checksum="0" * 64)
    document.full_clean()
    assert document.checksum == models.text_checksum(document.text)


def test_a_text_stored_once_is_refused_again_naming_the_stored_source():
    stored = factories.SourceDocumentFactory()
    again = factories.SourceDocumentFactory.build(text=stored.text)
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert stored.key in str(excinfo.value.message_dict["text"])
    assert set(excinfo.value.message_dict) == {"text"}


@pytest.mark.parametrize(
    "make_dependent, target",
    [
        (lambda: factories.AgreementPartyFactory(), "institution"),
        (lambda: factories.AgreementPartyFactory(signatory=factories.PersonFactory()), "signatory"),
        (lambda: factories.PostFactory(), "institution"),
        (lambda: factories.AgreementCitationFactory(), "source"),
        (lambda: factories.AgreementFactory(event=factories.EventFactory()), "event"),
        (lambda: factories.InstitutionFactory(region=models.Region.objects.get(code="360783")), "region"),
    ],
    ids=["institution-of-a-party", "signatory", "institution-of-a-post", "cited-source", "event-of-an-agreement", "region"],
)
def test_deleting_a_record_others_depend_on_is_refused(make_dependent, target):
    dependent = make_dependent()
    with pytest.raises(ProtectedError), transaction.atomic():
        getattr(dependent, target).delete()
    assert type(dependent).objects.filter(pk=dependent.pk).exists()


def test_deleting_an_agreement_takes_its_own_parties_and_citations_with_it():
    party = factories.AgreementPartyFactory()
    factories.AgreementCitationFactory(record=party.agreement)
    party.agreement.delete()
    assert not models.AgreementParty.objects.exists()
    assert not models.AgreementCitation.objects.exists()
    assert models.Institution.objects.filter(pk=party.institution_id).exists()


NATURAL_KEY_RECORDS = {
    "region": lambda: models.Region.objects.get(code="360783"),
    "source": factories.SourceDocumentFactory,
    "institution": factories.InstitutionFactory,
    "alias": factories.InstitutionAliasFactory,
    "membership": factories.MembershipFactory,
    "member count": factories.MemberCountFactory,
    "person": factories.PersonFactory,
    "post": factories.PostFactory,
    "project type": factories.ProjectTypeFactory,
    "industry": factories.IndustryFactory,
    "agreement": factories.AgreementFactory,
    "party": factories.AgreementPartyFactory,
    "event": factories.EventFactory,
    "participant with institution only": factories.EventParticipantFactory,
    "participant with person": lambda: factories.EventParticipantFactory(person=factories.PersonFactory()),
}


@pytest.mark.parametrize("make", NATURAL_KEY_RECORDS.values(), ids=NATURAL_KEY_RECORDS.keys())
def test_natural_key_finds_the_record_again(make):
    record = make()
    assert type(record).objects.get_by_natural_key(*record.natural_key()) == record


def test_post_current_follows_its_dates():
    person = factories.PersonFactory()
    past = factories.PostFactory(person=person, title="副校长", start_date=D(2015, 1, 1), end_date=D(2019, 12, 31))
    present = factories.PostFactory(person=person, title="校长", start_date=D(2020, 1, 1))
    assert list(models.Post.objects.current(on=D(2023, 11, 28))) == [present]
    assert list(models.Post.objects.current(on=D(2016, 6, 1))) == [past]


def test_institution_matching_name_finds_short_names():
    college = factories.InstitutionFactory(name="赣州师范高等专科学校")
    factories.InstitutionAliasFactory(institution=college, name="赣州师专")
    factories.InstitutionFactory(name="赣州理工职业技术学校")
    assert list(models.Institution.objects.matching_name("赣州师专")) == [college]
    assert list(models.Institution.objects.matching_name("师范高等")) == [college]


def test_str_is_the_human_name():
    party = factories.AgreementPartyFactory(institution__name="赣州师范高等专科学校", agreement__title="合作协议")
    assert str(party.agreement) == "合作协议"
    assert str(party.institution) == "赣州师范高等专科学校"
    assert str(party) == "赣州师范高等专科学校 (partner)"
    assert str(factories.PersonFactory(name="金鑫", disambiguation="学大教育集团CEO")) == "金鑫 (学大教育集团CEO)"
