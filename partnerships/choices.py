"""Choice classes for the partnership models, named <Model><Field>Choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevelChoices(models.TextChoices):
    PROVINCE = "province", _("province")
    PREFECTURE = "prefecture", _("prefecture")
    COUNTY = "county", _("county level")


class InstitutionKindChoices(models.TextChoices):
    SECONDARY_VOCATIONAL_SCHOOL = "secondary_vocational_school", _("secondary vocational school")
    HIGHER_VOCATIONAL_COLLEGE = "higher_vocational_college", _("higher vocational college")
    UNIVERSITY = "university", _("university")
    EDUCATION_GROUP = "education_group", _("education group")
    HOLDING_GROUP = "holding_group", _("holding group")
    ENTERPRISE = "enterprise", _("enterprise")
    GOVERNMENT_BODY = "government_body", _("government body")
    DEVELOPMENT_ZONE = "development_zone", _("development zone")
    ALLIANCE = "alliance", _("alliance")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    INDUSTRY_ASSOCIATION = "industry_association", _("industry association")
    OTHER = "other", _("other")


class InstitutionAliasKindChoices(models.TextChoices):
    SHORT_NAME = "short", _("short name")
    FORMER_NAME = "former", _("former name")
    OTHER = "other", _("other name")


class MembershipRoleChoices(models.TextChoices):
    LEAD_SCHOOL = "lead_school", _("lead school")
    LEAD_ENTERPRISE = "lead_enterprise", _("lead enterprise")
    HOST = "host", _("host (base)")
    PARTNER = "partner", _("partner")
    MEMBER = "member", _("member")


class MemberCountCategoryChoices(models.TextChoices):
    GOVERNMENT = "government", _("government bodies")
    SCHOOL = "school", _("schools and colleges")
    RESEARCH = "research", _("research institutes")
    INDUSTRY_ORGANISATION = "industry_organisation", _("industry organisations")
    ENTERPRISE = "enterprise", _("enterprises")


class DatePrecisionChoices(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("within the month")
    YEAR = "year", _("within the year")
    RANGE = "range", _("between the bounds")
    UNKNOWN = "unknown", _("unknown")


class AgreementKindChoices(models.TextChoices):
    COOPERATION_AGREEMENT = "cooperation_agreement", _("cooperation agreement")
    STRATEGIC_INTENT = "strategic_intent", _("strategic cooperation intent")
    FRAMEWORK_AGREEMENT = "framework_agreement", _("framework agreement")
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    OTHER = "other", _("other")


class AgreementStatusChoices(models.TextChoices):
    INTENT = "intent", _("intent")
    SIGNED = "signed", _("signed")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    TERMINATED = "terminated", _("terminated")


class AgreementPartyRoleChoices(models.TextChoices):
    LEAD = "lead", _("lead party")
    PARTNER = "partner", _("partner")
    BROKER = "broker", _("broker")
    WITNESS = "witness", _("witness")


class EventKindChoices(models.TextChoices):
    VISIT = "visit", _("inspection visit")
    MEETING = "meeting", _("meeting")
    SIGNING_CEREMONY = "signing_ceremony", _("signing ceremony")
    CONFERENCE = "conference", _("conference")
    FOUNDING = "founding", _("founding")
    POLICY = "policy", _("policy document")
    RECOGNITION = "recognition", _("recognition")
    OTHER = "other", _("other")


class EventParticipantRoleChoices(models.TextChoices):
    HOST = "host", _("host")
    VISITOR = "visitor", _("visitor")
    ACCOMPANYING = "accompanying", _("accompanying")
    ATTENDEE = "attendee", _("attendee")
    WITNESS = "witness", _("witness")
    ORGANISER = "organiser", _("organiser")
    VISITED = "visited", _("visited")
