"""Filter sets for the API: one per model, each with `q`, id filters and readable code filters.

Agreement filters that look through a relation (parties, project types, citations) use
EXISTS subqueries rather than joins, so a list never needs DISTINCT and each condition
stays a simple, index-friendly semi-join. The broad ones (party kind, party names, `q`)
read the rollups kept on the agreement row instead (partnerships/models/rollups.py).
"""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import BaseCSVField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from partnerships.choices import (
    AgreementKindChoices,
    AgreementStatusChoices,
    DatePrecisionChoices,
    EventKindChoices,
    EventParticipantRoleChoices,
    FundingKindChoices,
    InstitutionKindChoices,
    InstitutionRelationKindChoices,
    ProjectStatusChoices,
    RegionLevelChoices,
    SavedViewResourceChoices,
)
from partnerships.models import (
    Agreement,
    AgreementCitation,
    AgreementParty,
    Event,
    EventKind,
    EventParticipant,
    Funding,
    Industry,
    Institution,
    InstitutionRelation,
    Person,
    PersonAlias,
    Post,
    Project,
    ProjectBuilder,
    ProjectType,
    Region,
    SavedView,
    SourceDocument,
    citation_table,
)
from partnerships.models.regions import subtree_ids
from partnerships.parsing import REGION_CODE, is_ascii_number, parse_id
from partnerships.text import to_simplified


class RepeatableField(forms.Field):
    """Clean every value of a repeated query parameter with one base field."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, base_field: forms.Field, **kwargs):
        self.base_field = base_field
        super().__init__(**kwargs)

    def clean(self, value):
        values = [item for item in (value or []) if item not in ("", None)]
        return [self.base_field.clean(item) for item in values]


class IdField(forms.Field):
    """A record id: ASCII digits from 1 to MAX_ID (parse_id), whatever int() would also accept."""

    default_error_messages = {"invalid": _("“%(value)s” is not a record id (digits 0-9, from 1).")}

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        number = parse_id(str(value).strip())
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return number


def id_field(**kwargs) -> IdField:
    return IdField(**kwargs)


class StrictBooleanField(forms.Field):
    """true or false (also 1/0, yes/no); anything else is an error naming the parameter, not "no filter".

    django-filter's boolean field reads an unknown word such as "perhaps" as empty, so the
    filter silently does nothing and the analyst reads an unfiltered count as the answer.
    """

    widget = forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))])
    default_error_messages = {"invalid": _("“%(value)s” is not a boolean: use true or false.")}
    WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word not in self.WORDS:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return self.WORDS[word]


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class RepeatableFilter(django_filters.Filter):
    """Match any of several values of a repeated parameter, each cleaned by a base field."""

    field_class = RepeatableField

    def __init__(self, *args, base_field: forms.Field, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, base_field=base_field, **kwargs)


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdFilter(RepeatableFilter):
    """Match records by id; repeat the parameter to match any of several."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, base_field=id_field(), **kwargs)


class RecordLookupField(forms.Field):
    """Resolve ids or codes to records in one query; an unknown one is a validation error."""

    default_error_messages = {
        "invalid": _("“%(value)s” is neither an id nor a code."),
        "missing": _("No %(model)s has the id or code “%(value)s”."),
    }

    def __init__(self, *, queryset, is_code, multiple: bool, **kwargs):
        self.queryset, self.is_code, self.multiple = queryset, is_code, multiple
        if multiple:
            kwargs.setdefault("widget", forms.MultipleHiddenInput)
        super().__init__(**kwargs)

    def clean(self, value):
        values = value if self.multiple else [value]
        values = [str(item).strip() for item in (values or []) if item not in ("", None)]
        for item in values:
            ProhibitNullCharactersValidator()(item)
        if not values:
            return [] if self.multiple else None
        codes = {item for item in values if self.is_code(item)}
        ids = set()
        for item in set(values) - codes:
            number = parse_id(item)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": item})
            ids.add(number)
        found = list(self.queryset.filter(Q(pk__in=ids) | Q(code__in=codes)))
        known = {record.code for record in found} | {str(record.pk) for record in found}
        for item in values:
            if item not in known:
                raise forms.ValidationError(
                    self.error_messages["missing"],
                    code="missing",
                    params={"model": self.queryset.model._meta.verbose_name, "value": item},
                )
        return found if self.multiple else found[0]


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.Filter):
    """Match records in a region given by id or six-digit code, sub-regions included."""

    field_class = RecordLookupField

    def __init__(self, *args, subtree: bool = True, **kwargs):
        self.subtree = subtree
        kwargs.setdefault("label", _("region"))
        kwargs.setdefault(
            "help_text",
            _("Region id or six-digit GB/T 2260 code (360700 for 赣州市); includes every region below it."),
        )
        super().__init__(*args, queryset=Region.objects.all(), is_code=REGION_CODE.match, multiple=False, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if not self.subtree:
            return qs.filter(**{self.field_name: value})
        # Materialised ids (a province has a few hundred at most) keep the query an indexed IN list.
        return qs.filter(**{f"{self.field_name}__in": subtree_ids(value)})


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TermFilter(django_filters.Filter):
    """Match records linked to any of several terms, each given by id or code."""

    field_class = RecordLookupField

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, queryset=model.objects.all(), is_code=lambda value: not is_ascii_number(value), multiple=True, **kwargs)


class NoEmptyItemsCSVField(BaseCSVField):
    """A comma-separated value whose every item is given: "signed," and "," are errors, not empty orderings."""

    def clean(self, value):
        if value and any(item in ("", None) for item in value):
            raise forms.ValidationError(_("Empty item in a comma-separated list."), code="empty_item")
        return super().clean(value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Order by the chosen fields, unknown values last, ties broken by id; a default when none is asked."""

    base_field_class = NoEmptyItemsCSVField

    # Orders by its default when the request gives no ordering (see RecordFilterSet).
    acts_without_value = True

    def __init__(self, *args, default: str, **kwargs):
        self.default = default
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [self.default]]
        expressions = [self._expression(qs.model, name) for name in ordering]
        return qs.order_by(*expressions, "-pk" if ordering[0].startswith("-") else "pk")

    @staticmethod
    def _expression(model, name: str):
        field = name.lstrip("-")
        descending = name.startswith("-")
        # NULLS LAST only where a column can hold NULL, so plain indexes still serve the others.
        nulls_last = True if model._meta.get_field(field).null else None
        return F(field).desc(nulls_last=nulls_last) if descending else F(field).asc(nulls_last=nulls_last)


def search_filter(help_text) -> django_filters.CharFilter:
    """Return the free-text `q` filter; the filter set's search() method applies it."""
    return django_filters.CharFilter(method="search", label=_("search"), help_text=help_text)


class RecordFilterSet(django_filters.FilterSet):
    """What every filter set shares: a free-text `q` and `id`.

    Given `given` (the names of the request's parameters), only the filters it names, and
    those that act without a value (an ordering's default), are copied, built into the form
    and validated: an absent filter changes nothing, and building every one of an agreement
    list's 28 filters and form fields cost more than the page's own query. Without it (the
    browsable API's filter form, the admin) every filter is there.
    """

    q = search_filter(_("Free text."))
    id = IdFilter(label=_("id"), help_text=_("Record id; repeat to match any of several."))

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, given=None):
        if given is not None:
            # django-filter copies the filters from base_filters; the instance's own narrower
            # mapping shadows the class's for that copy.
            self.base_filters = {
                name: filter_ for name, filter_ in type(self).base_filters.items()
                if name in given or getattr(filter_, "acts_without_value", False)
            }
        super().__init__(data, queryset, request=request, prefix=prefix)

    def search(self, queryset, name, value):
        raise NotImplementedError


class TrackedFilterSet(RecordFilterSet):
    """Filters on the timestamps every tracked record carries, and on citations for records that have them."""

    cited = StrictBooleanFilter(
        method="filter_cited",
        label=_("cited"),
        help_text=_("true: records with at least one citation; false: records without any, to find what still needs a source."),
    )

    created_after = django_filters.DateTimeFilter(
        field_name="created", lookup_expr="gte", label=_("created on or after"), help_text=_("ISO date or date-time.")
    )
    created_before = django_filters.DateTimeFilter(
        field_name="created", lookup_expr="lte", label=_("created on or before"), help_text=_("ISO date or date-time.")
    )
    updated_after = django_filters.DateTimeFilter(
        field_name="last_updated", lookup_expr="gte", label=_("last updated on or after"), help_text=_("ISO date or date-time.")
    )
    updated_before = django_filters.DateTimeFilter(
        field_name="last_updated", lookup_expr="lte", label=_("last updated on or before"), help_text=_("ISO date or date-time.")
    )


    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # Only records that carry citations can be filtered on them.
        if cls._meta.model is not None and not hasattr(cls._meta.model, "citations"):
            filters.pop("cited", None)
        return filters

    def filter_cited(self, queryset, name, value):
        citations = citation_table(self._meta.model).objects.filter(record=OuterRef("pk"))
        return queryset.filter(Exists(citations)) if value else queryset.exclude(Exists(citations))


def choice_filter(choices, label, help_text=None, **kwargs):
    """Return a filter for one of several choice values; an unknown value is a 400.

    No DISTINCT (django-filter adds one by default): a choice of the record's own column, or a
    method's Exists, matches each row once, and a DISTINCT over every column of a broad list cost
    more than its query (1.6 s of a summary's 3.2 s for 600,000 agreements of one kind).
    """
    schema = {"type": "string", "enum": list(choices.values)}  # drf-spectacular makes it an array
    return extend_schema_field(schema)(
        django_filters.MultipleChoiceFilter(
            choices=choices, label=label, help_text=help_text or _("Repeat to match any of several."),
            **{"distinct": False, **kwargs},
        )
    )


class RegionFilterSet(RecordFilterSet):
    q = search_filter(_("Free text: a substring of the name or the code."))
    code = RepeatableFilter(
        base_field=forms.RegexField(REGION_CODE, error_messages={"invalid": _("A region code has exactly six digits.")}),
        label=_("code"),
        help_text=_("Six-digit code; repeat for several."),
    )
    level = choice_filter(RegionLevelChoices, _("level"))
    division_type = django_filters.CharFilter(label=_("division type"), help_text=_("Exactly, e.g. 地级市."))
    parent = RegionFilter(
        field_name="parent", subtree=False, label=_("parent region"), help_text=_("Region id or code: its direct sub-regions.")
    )
    within = RegionFilter(
        field_name="pk", label=_("within region"), help_text=_("Region id or code: the region and all below it.")
    )

    class Meta:
        model = Region
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class TermFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the code, the names or the description."))
    code = RepeatableFilter(base_field=forms.CharField(), label=_("code"), help_text=_("Exact code; repeat for several."))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value) | Q(description__icontains=value)
        )


class ProjectTypeFilterSet(TermFilterSet):
    class Meta:
        model = ProjectType
        fields = ["id"]


class IndustryFilterSet(TermFilterSet):
    class Meta:
        model = Industry
        fields = ["id"]


class InstitutionFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the name, the English name or an alias."))
    kind = choice_filter(InstitutionKindChoices, _("kind"))
    region = RegionFilter()
    parent_id = IdFilter(field_name="parent", label=_("parent institution (id)"))
    predecessor_id = IdFilter(field_name="predecessor", label=_("predecessor (id)"))
    founded_after = django_filters.DateFilter(
        field_name="founded_latest", lookup_expr="gte", label=_("founded on or after"),
        help_text=_("ISO date: institutions that may have been founded on or after it."),
    )
    founded_before = django_filters.DateFilter(
        field_name="founded_earliest", lookup_expr="lte", label=_("founded on or before"),
        help_text=_("ISO date: institutions that may have been founded on or before it."),
    )
    founded_precision = choice_filter(DatePrecisionChoices, _("founding date precision"))
    founding_event = IdFilter(field_name="founding_event", label=_("founding event (id)"))
    credit_code = django_filters.CharFilter(
        label=_("unified social credit code"), help_text=_("Exact unified social credit code.")
    )

    class Meta:
        model = Institution
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.matching_name(value)


class PersonFilterSet(TrackedFilterSet):
    """People, and through their posts: where, which title, held today or not."""

    POST_FILTERS = ("institution_id", "post_title", "current")

    q = search_filter(_("Free text: a substring of the name, an alias (either script), the Latin name or the disambiguation."))
    institution_id = IdFilter(
        method="by_post", label=_("institution (id)"), help_text=_("People with a post at this institution; repeat for any of several.")
    )
    post_title = django_filters.CharFilter(
        method="by_post", label=_("post title"), help_text=_("People with a post whose title contains this text, e.g. 校长.")
    )
    current = StrictBooleanFilter(
        method="by_post",
        label=_("current post"),
        help_text=_("true: only posts held today count for institution_id and post_title (and people without one drop out)."),
    )

    class Meta:
        model = Person
        fields = ["id"]

    def search(self, queryset, name, value):
        # One OR over the person's own columns, each answered by its index on PostgreSQL down to
        # one character (partnerships/search.py, PEOPLE_COLUMNS), so the people are read by a
        # BitmapOr; the aliases' people (a small table) are read first, as ids. A union of ids
        # joined back to the people read every person (hash join; 250 ms for 王 at 300,000),
        # and OR with EXISTS tested every person.
        aliases = PersonAlias.objects.filter(name_folded__substring=to_simplified(value))
        aliased = sorted(set(aliases.values_list("person_id", flat=True)))
        return queryset.filter(
            Q(name__substring=value) | Q(name_en__substring=value) | Q(disambiguation__substring=value) | Q(pk__in=aliased)
        )

    def by_post(self, queryset, name, value):
        # Applied together in filter_queryset, so the conditions hold for one and the same post.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not any(data.get(name) not in (None, "", []) for name in self.POST_FILTERS):
            return queryset
        posts = Post.objects.filter(person=OuterRef("pk"))
        if data.get("institution_id"):
            posts = posts.filter(institution__in=data["institution_id"])
        if data.get("post_title"):
            posts = posts.filter(title__icontains=data["post_title"])
        if data.get("current") is True:
            posts = posts.current()
        elif data.get("current") is False:
            posts = posts.exclude(pk__in=Post.objects.current().values("pk"))
        return queryset.filter(Exists(posts))


class PostFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the title, the person's name or the institution's name."))
    person_id = IdFilter(field_name="person", label=_("person (id)"))
    institution_id = IdFilter(field_name="institution", label=_("institution (id)"))
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"), help_text=_("Substring of the title."))
    current = StrictBooleanFilter(
        method="filter_current", label=_("current"), help_text=_("true: posts held today as far as their dates say; false: the others.")
    )
    held_on = django_filters.DateFilter(
        method="filter_held_on", label=_("held on"), help_text=_("ISO date: posts held on that day as far as their dates say.")
    )
    attested_after = django_filters.DateFilter(field_name="attested_on", lookup_expr="gte", label=_("attested on or after"))
    attested_before = django_filters.DateFilter(field_name="attested_on", lookup_expr="lte", label=_("attested on or before"))

    class Meta:
        model = Post
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(title_en__icontains=value)
            | Q(person__name__icontains=value)
            | Q(institution__in=Institution.objects.matching_name(value))
        )

    def filter_current(self, queryset, name, value):
        current = Post.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)

    def filter_held_on(self, queryset, name, value):
        return queryset.filter(pk__in=Post.objects.current(on=value).values("pk"))


class SourceDocumentFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the key, the title or the publisher's name."))
    key = django_filters.CharFilter(label=_("key"), help_text=_("Exact key."))
    author = django_filters.CharFilter(lookup_expr="icontains", label=_("author"), help_text=_("Substring of the author."))
    publisher = IdFilter(field_name="publisher", label=_("publisher (institution id)"))
    publisher_name = django_filters.CharFilter(
        lookup_expr="icontains", label=_("publisher as named"), help_text=_("Substring of the publisher's name.")
    )
    repost_of = IdFilter(field_name="repost_of", label=_("repost of (source id)"))
    language = django_filters.CharFilter(label=_("language"), help_text=_("Exact language code, e.g. zh-hans."))
    text = django_filters.CharFilter(
        method="filter_text", label=_("full text"), help_text=_("Substring of the full text, in either script.")
    )
    published_after = django_filters.DateFilter(field_name="published_on", lookup_expr="gte", label=_("published on or after"))
    published_before = django_filters.DateFilter(field_name="published_on", lookup_expr="lte", label=_("published on or before"))

    class Meta:
        model = SourceDocument
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(key__icontains=value) | Q(title__icontains=value) | Q(publisher_name__icontains=value))

    def filter_text(self, queryset, name, value):
        return queryset.filter(text_normalized__contains=to_simplified(value))


def participant_exists(**lookups) -> Exists:
    """Return the condition that an event has a participant matching the lookups."""
    return Exists(EventParticipant.objects.filter(event=OuterRef("pk"), **lookups))


class EventFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the title or the place."))
    kind = choice_filter(
        EventKindChoices, _("kind"), _("Any of the event's kinds; repeat to match any of several."), method="filter_kind"
    )
    role = choice_filter(
        EventParticipantRoleChoices, _("participant role"), _("Events with a participant in this role."), method="filter_role"
    )
    date_precision = choice_filter(DatePrecisionChoices, _("date precision"))
    date_after = django_filters.DateFilter(
        field_name="end_date",
        method="filter_date_after", label=_("on or after"), help_text=_("ISO date: events that end on or after it.")
    )
    date_before = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("on or before"), help_text=_("ISO date: events that start on or before it.")
    )
    region = RegionFilter()
    parent_id = IdFilter(field_name="parent", label=_("part of (event id)"))
    participant = IdFilter(
        method="filter_participant", label=_("participant (institution id)"), help_text=_("Repeat to match any of several.")
    )
    participant_person = IdFilter(
        method="filter_participant_person", label=_("participant (person id)"), help_text=_("Repeat to match any of several.")
    )
    reference = django_filters.CharFilter(label=_("reference"), help_text=_("Exact reference."))
    place = django_filters.CharFilter(lookup_expr="icontains", label=_("place"), help_text=_("Substring of the place."))
    ordering = StableOrderingFilter(
        fields=(("start_date", "date"), ("title", "title"), ("created", "created")),
        default="-date",
        label=_("ordering"),
        help_text=_("date, -date, title, -title, created or -created; comma-separate several."),
    )

    class Meta:
        model = Event
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))

    def filter_date_after(self, queryset, name, value):
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))

    def filter_kind(self, queryset, name, value):
        further = EventKind.objects.filter(event=OuterRef("pk"), kind__in=value)
        return queryset.filter(Q(kind__in=value) | Exists(further))

    def filter_role(self, queryset, name, value):
        return queryset.filter(participant_exists(role__in=value))

    def filter_participant(self, queryset, name, value):
        return queryset.filter(participant_exists(institution__in=value))

    def filter_participant_person(self, queryset, name, value):
        return queryset.filter(participant_exists(person__in=value))


def party_exists(**lookups) -> Exists:
    """Return the condition that an agreement has a party matching the lookups."""
    return Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), **lookups))


def link_exists(relation, **lookups) -> Exists:
    """Return the condition that an agreement has a many-to-many link (project types, industries) matching the lookups."""
    return Exists(relation.through.objects.filter(agreement=OuterRef("pk"), **lookups))


class AgreementFilterSet(TrackedFilterSet):
    """Every filter the API contract names, each combinable with the others (AND)."""

    q = search_filter(
        _("Free text: a substring of the title or of a party's name, English name or alias (Chinese works as is).")
    )
    party = IdFilter(
        method="filter_party", label=_("party (institution id)"), help_text=_("Institution id; repeat to match any of several.")
    )
    party_name = django_filters.CharFilter(
        method="filter_party_name", label=_("party name"), help_text=_("Substring of a party's name, English name or alias.")
    )
    party_kind = choice_filter(
        InstitutionKindChoices, _("party kind"), _("Kind of a party institution; repeat to match any of several."), method="filter_party_kind"
    )
    # The region it is filed under: its own, else its parties' lowest common region, else its event's.
    region = RegionFilter(
        field_name="effective_region",
        help_text=_(
            "Region id or six-digit GB/T 2260 code; includes every region below it. An agreement without a region of "
            "its own is found under its parties' lowest common region, else its event's."
        ),
    )
    project_type = TermFilter(
        model=ProjectType,
        method="filter_project_type",
        label=_("project type"),
        help_text=_("Project type id or code; repeat to match any of several."),
    )
    industry = TermFilter(
        model=Industry, method="filter_industry", label=_("industry"), help_text=_("Industry id or code; repeat to match any of several.")
    )
    status = choice_filter(AgreementStatusChoices, _("status"))
    kind = choice_filter(AgreementKindChoices, _("kind"))
    signed_precision = choice_filter(DatePrecisionChoices, _("signing date precision"))
    signed_after = django_filters.DateFilter(
        field_name="signed_latest",
        lookup_expr="gte",
        label=_("signed on or after"),
        help_text=_("ISO date: agreements that may have been signed on or after it (latest signing bound ≥ date)."),
    )
    signed_before = django_filters.DateFilter(
        field_name="signed_earliest",
        lookup_expr="lte",
        label=_("signed on or before"),
        help_text=_("ISO date: agreements that may have been signed on or before it (earliest signing bound ≤ date)."),
    )
    signatory = IdFilter(
        method="filter_signatory", label=_("signatory (person id)"), help_text=_("Person who signed for a party; repeat for any of several.")
    )
    source = IdFilter(
        method="filter_source", label=_("source (document id)"), help_text=_("Agreements citing this source document; repeat for any of several.")
    )
    event_id = IdFilter(field_name="event", label=_("signed at event (id)"))
    active_on = django_filters.DateFilter(
        method="filter_active_on",
        label=_("active on"),
        help_text=_("ISO date: agreements whose term has begun by then and not ended (an open end counts as running)."),
    )
    expires_before = django_filters.DateFilter(
        field_name="valid_until",
        lookup_expr="lte",
        label=_("expires on or before"),
        help_text=_("ISO date: agreements whose term ends on or before it."),
    )
    term_precision = choice_filter(DatePrecisionChoices, _("term precision"))
    amends = IdFilter(field_name="amends", label=_("amends (agreement id)"))
    reference = django_filters.CharFilter(label=_("reference"), help_text=_("Exact reference."))
    place = django_filters.CharFilter(lookup_expr="icontains", label=_("place"), help_text=_("Substring of the place."))
    ordering = StableOrderingFilter(
        fields=(("signed_earliest", "signed"), ("title", "title"), ("created", "created")),
        default="-signed",
        label=_("ordering"),
        help_text=_("signed, -signed, title, -title, created or -created; comma-separate several. Default: -signed."),
    )

    class Meta:
        model = Agreement
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.matching_text(value)

    def filter_party(self, queryset, name, value):
        return queryset.filter(party_exists(institution__in=value))

    def filter_party_name(self, queryset, name, value):
        return queryset.matching_party_name(value)

    def filter_party_kind(self, queryset, name, value):
        return queryset.with_party_kind(value)

    def filter_project_type(self, queryset, name, value):
        return queryset.filter(link_exists(Agreement.project_types, projecttype__in=value))

    def filter_industry(self, queryset, name, value):
        return queryset.filter(link_exists(Agreement.industries, industry__in=value))

    def filter_signatory(self, queryset, name, value):
        return queryset.filter(party_exists(signatory__in=value))

    def filter_source(self, queryset, name, value):
        return queryset.filter(Exists(AgreementCitation.objects.filter(record=OuterRef("pk"), source__in=value)))

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)


class ProjectFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the name, or of the name or an alias of the institution it creates."))
    reference = django_filters.CharFilter(label=_("reference"), help_text=_("Exact reference."))
    project_type = TermFilter(
        model=ProjectType, field_name="project_type", lookup_expr="in", label=_("project type"),
        help_text=_("Project type id or code; repeat to match any of several."),
    )
    status = choice_filter(ProjectStatusChoices, _("status"))
    agreement = IdFilter(
        method="filter_agreement", label=_("agreement (id)"), help_text=_("Projects of this agreement; repeat for any of several.")
    )
    institution = IdFilter(field_name="institution", label=_("institution created (id)"))
    builder = IdFilter(
        method="filter_builder", label=_("builder (institution id)"), help_text=_("Projects this institution builds; repeat for any of several.")
    )
    region = RegionFilter()
    place = django_filters.CharFilter(lookup_expr="icontains", label=_("place"), help_text=_("Substring of the place."))
    established_after = django_filters.DateFilter(
        field_name="established_latest", lookup_expr="gte", label=_("established on or after"),
    )
    established_before = django_filters.DateFilter(
        field_name="established_earliest", lookup_expr="lte", label=_("established on or before"),
    )
    established_precision = choice_filter(DatePrecisionChoices, _("establishment date precision"))

    class Meta:
        model = Project
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(institution__in=Institution.objects.matching_name(value)))

    def filter_agreement(self, queryset, name, value):
        return queryset.filter(Exists(Project.agreements.through.objects.filter(project=OuterRef("pk"), agreement__in=value)))

    def filter_builder(self, queryset, name, value):
        return queryset.filter(Exists(ProjectBuilder.objects.filter(project=OuterRef("pk"), institution__in=value)))


class FundingFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of the contributor's name or alias."))
    reference = django_filters.CharFilter(label=_("reference"), help_text=_("Exact reference."))
    kind = choice_filter(FundingKindChoices, _("kind"))
    currency = django_filters.CharFilter(label=_("currency"), help_text=_("Exact ISO 4217 code, e.g. CNY."))
    approximate = StrictBooleanFilter(label=_("approximate"))
    amount_min = django_filters.NumberFilter(field_name="amount", lookup_expr="gte", label=_("amount at least"))
    amount_max = django_filters.NumberFilter(field_name="amount", lookup_expr="lte", label=_("amount at most"))
    contributor = IdFilter(field_name="contributor", label=_("contributor (institution id)"))
    project = IdFilter(field_name="project", label=_("project (id)"))
    agreement = IdFilter(field_name="agreement", label=_("agreement (id)"))
    year = django_filters.NumberFilter(label=_("year"), help_text=_("The year the figure is for."))

    class Meta:
        model = Funding
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(contributor__in=Institution.objects.matching_name(value))


class InstitutionRelationFilterSet(TrackedFilterSet):
    q = search_filter(_("Free text: a substring of either institution's name or alias."))
    subject = IdFilter(field_name="subject", label=_("subject (institution id)"))
    object = IdFilter(field_name="object", label=_("object (institution id)"))
    institution = IdFilter(
        method="filter_institution", label=_("either institution (id)"), help_text=_("Relations in which it is subject or object.")
    )
    kind = choice_filter(InstitutionRelationKindChoices, _("kind"))
    share_min = django_filters.NumberFilter(field_name="share", lookup_expr="gte", label=_("share at least (%)"))
    since_after = django_filters.DateFilter(field_name="since_latest", lookup_expr="gte", label=_("since on or after"))
    since_before = django_filters.DateFilter(field_name="since_earliest", lookup_expr="lte", label=_("since on or before"))
    since_precision = choice_filter(DatePrecisionChoices, _("date precision"))

    class Meta:
        model = InstitutionRelation
        fields = ["id"]

    def search(self, queryset, name, value):
        matching = Institution.objects.matching_name(value).values("pk")
        return queryset.filter(Q(subject__in=matching) | Q(object__in=matching))

    def filter_institution(self, queryset, name, value):
        return queryset.filter(Q(subject__in=value) | Q(object__in=value))


class SavedViewFilterSet(RecordFilterSet):
    q = search_filter(_("Free text: a substring of the name."))
    resource = choice_filter(SavedViewResourceChoices, _("resource"))
    shared = StrictBooleanFilter(label=_("shared"))
    mine = StrictBooleanFilter(
        method="filter_mine", label=_("mine"), help_text=_("true: only your own; false: only others' shared ones.")
    )

    class Meta:
        model = SavedView
        fields = ["id"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)

    def filter_mine(self, queryset, name, value):
        mine = Q(owner=self.request.user) if self.request is not None else Q(pk__in=[])
        return queryset.filter(mine) if value else queryset.exclude(mine)


# The lists a saved view can hold the query of, by resource (SavedView.resource).
SAVED_VIEW_FILTERSETS = {
    SavedViewResourceChoices.AGREEMENTS: AgreementFilterSet,
    SavedViewResourceChoices.INSTITUTIONS: InstitutionFilterSet,
    SavedViewResourceChoices.PEOPLE: PersonFilterSet,
    SavedViewResourceChoices.EVENTS: EventFilterSet,
    SavedViewResourceChoices.PROJECTS: ProjectFilterSet,
}
