from .agreements import (
    Agreement,
    AgreementCitation,
    AgreementIndustry,
    AgreementParty,
    AgreementPartyCitation,
    AgreementProjectType,
    Industry,
    IndustryCitation,
    ProjectType,
    ProjectTypeCitation,
)
from .base import Citation
from .events import Event, EventCitation, EventParticipant, EventParticipantCitation
from .institutions import (
    Institution,
    InstitutionAlias,
    InstitutionAliasCitation,
    InstitutionCitation,
    MemberCount,
    MemberCountCitation,
    Membership,
    MembershipCitation,
)
from .people import Person, PersonCitation, Post, PostCitation
from .regions import Region
from .sources import SourceDocument, text_checksum

# Every record kind that carries citations, so tools can walk them all.
CITED_MODELS = (
    Institution,
    InstitutionAlias,
    Membership,
    MemberCount,
    Person,
    Post,
    ProjectType,
    Industry,
    Agreement,
    AgreementParty,
    Event,
    EventParticipant,
)

__all__ = [
    "CITED_MODELS",
    "Agreement",
    "AgreementIndustry",
    "AgreementProjectType",
    "AgreementCitation",
    "AgreementParty",
    "AgreementPartyCitation",
    "Citation",
    "Event",
    "EventCitation",
    "EventParticipant",
    "EventParticipantCitation",
    "Industry",
    "IndustryCitation",
    "Institution",
    "InstitutionAlias",
    "InstitutionAliasCitation",
    "InstitutionCitation",
    "MemberCount",
    "MemberCountCitation",
    "Membership",
    "MembershipCitation",
    "Person",
    "PersonCitation",
    "Post",
    "PostCitation",
    "ProjectType",
    "ProjectTypeCitation",
    "Region",
    "SourceDocument",
    "text_checksum",
]
