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
    TECHNICIAN_COLLEGE = "technician_college", _("technician college")
    SECONDARY_COLLEGE = "secondary_college", _("secondary college")
    DEPARTMENT = "department", _("department")
    PARTY_ORGAN = "party_organ", _("Party organ")
    FOUNDATION = "foundation", _("foundation")
    OTHER = "other", _("other")


class InstitutionAliasKindChoices(models.TextChoices):
    SHORT_NAME = "short", _("short name")
    FORMER_NAME = "former", _("former name")
    OTHER = "other", _("other name")


class InstitutionRelationKindChoices(models.TextChoices):
    AFFILIATED_WITH = "affiliated_with", _("affiliated with")
    SUBSIDIARY_OF = "subsidiary_of", _("subsidiary of")
    CO_FOUNDED_BY = "co_founded_by", _("co-founded by")
    CHAIR_OF = "chair_of", _("chair of")
    VICE_CHAIR_OF = "vice_chair_of", _("vice chair of")
    SUPERVISED_BY = "supervised_by", _("supervised by")
    OTHER = "other", _("other relation")


class PersonAliasKindChoices(models.TextChoices):
    VARIANT = "variant", _("variant spelling")
    TRADITIONAL = "traditional", _("traditional script")
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


class DateBasisChoices(models.TextChoices):
    TEXT = "text", _("the text")
    URL = "url", _("the URL")
    PUBLICATION_DATE = "publication_date", _("the publication date")
    EDITOR = "editor", _("an editor")


class AgreementKindChoices(models.TextChoices):
    COOPERATION_AGREEMENT = "cooperation_agreement", _("cooperation agreement")
    STRATEGIC_INTENT = "strategic_intent", _("strategic cooperation intent")
    STRATEGIC_COOPERATION = "strategic_cooperation", _("strategic cooperation agreement")
    FRAMEWORK_AGREEMENT = "framework_agreement", _("framework agreement")
    JOINT_SCHOOL_RUNNING = "joint_school_running", _("joint school running")
    DONATION = "donation", _("donation agreement")
    SUPPLEMENTARY = "supplementary", _("supplementary agreement")
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
    DONOR = "donor", _("donor")
    RECIPIENT = "recipient", _("recipient")


class EventKindChoices(models.TextChoices):
    VISIT = "visit", _("inspection visit")
    MEETING = "meeting", _("meeting")
    SIGNING_CEREMONY = "signing_ceremony", _("signing ceremony")
    CONFERENCE = "conference", _("conference")
    FOUNDING = "founding", _("founding")
    POLICY = "policy", _("policy document")
    RECOGNITION = "recognition", _("recognition")
    UNVEILING = "unveiling", _("unveiling")
    PLAQUE_AWARD = "plaque_award", _("plaque award")
    OTHER = "other", _("other")


class EventParticipantRoleChoices(models.TextChoices):
    HOST = "host", _("host")
    VISITOR = "visitor", _("visitor")
    ACCOMPANYING = "accompanying", _("accompanying")
    ATTENDEE = "attendee", _("attendee")
    WITNESS = "witness", _("witness")
    ORGANISER = "organiser", _("organiser")
    VISITED = "visited", _("visited")
    CHAIR = "chair", _("chair")
    SPEAKER = "speaker", _("speaker")
    UNVEILER = "unveiler", _("unveiler")
    SIGNATORY = "signatory", _("signatory")


class ProjectStatusChoices(models.TextChoices):
    PLANNED = "planned", _("planned")
    ESTABLISHED = "established", _("established")
    RUNNING = "running", _("running")
    CLOSED = "closed", _("closed")


class ProjectBuilderRoleChoices(models.TextChoices):
    LEAD = "lead", _("lead builder")
    CO_BUILDER = "co_builder", _("co-builder")
    HOST = "host", _("host")
    SPONSOR = "sponsor", _("sponsor")


class ProjectQuantityMeasureChoices(models.TextChoices):
    STUDENTS = "students", _("students")
    CLASSES = "classes", _("classes")
    AREA = "area", _("area")
    TEACHERS = "teachers", _("teachers")
    PLACES = "places", _("training places")
    # The annual cooperation report's figures (partnerships/reports.py).
    ORDER_CLASS_STUDENTS = "order_class_students", _("students trained in order classes")
    COURSES = "courses", _("courses developed jointly")
    TEXTBOOKS = "textbooks", _("textbooks developed jointly")
    ADJUNCT_TEACHERS = "adjunct_teachers", _("adjunct teachers provided to the school")
    INTERNS = "interns", _("students taken as interns")
    HIRES = "hires", _("graduates hired")
    TRAINING_PERSON_DAYS = "training_person_days", _("employee training by the school (person-days)")
    OTHER = "other", _("other quantity")


class FundingKindChoices(models.TextChoices):
    INVESTMENT = "investment", _("investment")
    DONATION = "donation", _("donation")
    GRANT = "grant", _("grant")
    EQUIPMENT_DONATION = "equipment_donation", _("donation of equipment")
    SERVICE_INCOME = "service_income", _("the school's income from technical services")
    OTHER = "other", _("other")


class ArticleFormatChoices(models.TextChoices):
    """How an article's characters are read: as written, or as an HTML page reduced to its text."""

    TEXT = "text", _("plain text")
    HTML = "html", _("HTML page")


class SavedViewResourceChoices(models.TextChoices):
    AGREEMENTS = "agreements", _("agreements")
    INSTITUTIONS = "institutions", _("institutions")
    PEOPLE = "people", _("people")
    EVENTS = "events", _("events")
    PROJECTS = "projects", _("projects")


class PendingArticleStatusChoices(models.TextChoices):
    PENDING = "pending", _("pending review")
    SAVED = "saved", _("saved")
