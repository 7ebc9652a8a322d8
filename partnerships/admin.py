import datetime

from concurrency.exceptions import RecordModifiedError
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models as db_models
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from simple_history.admin import SimpleHistoryAdmin

from partnerships import services
from partnerships.admin_ingest import KIND_RECORDS, IngestPages
from partnerships.choices import PendingArticleStatusChoices
from partnerships.dates import format_date_bounds
from partnerships.models import (
    CITED_MODELS,
    Agreement,
    AgreementParty,
    Event,
    EventKind,
    EventParticipant,
    Funding,
    Industry,
    Institution,
    InstitutionAlias,
    InstitutionRelation,
    MemberCount,
    Membership,
    PendingArticle,
    Person,
    PersonAlias,
    Post,
    Project,
    ProjectBuilder,
    ProjectQuantity,
    ProjectType,
    Region,
    SavedView,
    SourceDocument,
    citation_table,
)
from partnerships.text import to_simplified

admin.site.site_header = _("Vocational-education partnership tracker")
admin.site.site_title = _("Partnership tracker")
admin.site.index_title = _("Records")


class RegionSubtreeFilter(admin.SimpleListFilter):
    """Filter by a province or prefecture, counting everything below it."""

    title = _("region (with sub-regions)")
    parameter_name = "region_subtree"
    region_path = "region"

    def lookups(self, request, model_admin):
        used = Region.objects.filter(
            pk__in=model_admin.model.objects.exclude(**{f"{self.region_path}__isnull": True}).values(self.region_path)
        ).select_related("parent__parent")
        choices = {}
        for region in used:
            for node in [*region.ancestors(), region]:
                choices[node.code] = "　" * len(node.ancestors()) + node.name
        return sorted(choices.items())

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        region = Region.objects.filter(code=code).first()
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{self.region_path}__in": Region.objects.subtree(region)})


class IndexedSearchMixin:
    """Search with the model's own text search, which PostgreSQL answers from bigram indexes.

    The admin's default search ORs icontains over joins and counts DISTINCT rows: a scan
    of every row at national scale. Each word of the search must match.
    """

    search_method: str

    def get_search_results(self, request, queryset, search_term):
        for word in search_term.split():
            queryset = getattr(queryset, self.search_method)(word)
        return queryset, False


class CitedListFilter(admin.SimpleListFilter):
    """Filter records by whether any citation supports them, to find what still needs a source."""

    title = _("has citations")
    parameter_name = "cited"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        citations = citation_table(queryset.model).objects.filter(record=OuterRef("pk"))
        return queryset.filter(Exists(citations)) if self.value() == "yes" else queryset.exclude(Exists(citations))


class CitedAdminMixin:
    """Add the "has citations" filter to every admin of a record kind that carries citations."""

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        return (*filters, CitedListFilter) if hasattr(self.model, "citations") else filters


def changes_since(record, version: int) -> list[str]:
    """Describe, from the history, what was saved after the given version of a record."""
    lines = []
    for later in record.history.filter(version__gt=version).order_by("history_date").select_related("history_user"):
        previous = later.prev_record
        changed = later.diff_against(previous).changes if previous is not None else []
        fields = ", ".join(
            f"{record._meta.get_field(change.field).verbose_name}: “{change.old}” → “{change.new}”"
            for change in changed
            if change.field not in ("last_updated", "version")
        )
        lines.append(
            _("version %(version)s by %(user)s at %(date)s: %(fields)s")
            % {
                "version": later.version,
                "user": later.history_user or _("someone"),
                "date": date_format(localtime(later.history_date), "DATETIME_FORMAT"),
                "fields": fields or _("no field changed"),
            }
        )
    return lines


class VersionCheckedForm(forms.ModelForm):
    """Carry the version the form was opened at, and refuse to save over a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A record whose save met a newer version after this form's check had passed (set by TrackedAdmin).
    saved_meanwhile = None

    def clean(self):
        cleaned = super().clean()
        opened_at = cleaned.get("version")
        if self.saved_meanwhile is not None:
            raise stale_error(self.saved_meanwhile, self.saved_meanwhile.version)
        if opened_at is None:
            cleaned.pop("version", None)
            return cleaned
        if self.instance.pk is None:
            return cleaned
        current = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current is not None and current != opened_at:
            raise stale_error(self.instance, opened_at)
        return cleaned


def stale_error(record, version: int) -> ValidationError:
    """Return the form error for a save over a record saved by someone else since the given version."""
    return ValidationError(
        _("Someone else saved this record after you opened it; reload the page and apply your change again. "
          "Saved meanwhile: %(changes)s")
        % {"changes": "; ".join(changes_since(record, version))},
        code="stale",
    )


class TrackedAdmin(CitedAdminMixin, SimpleHistoryAdmin):
    """Shared admin behaviour: history, timestamps shown read-only, no full counts at scale, no lost edits."""

    form = VersionCheckedForm

    readonly_fields = ("created", "last_updated")
    show_full_result_count = False
    list_per_page = 50
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordModifiedError as error:
            # Someone saved between this form's check and its save (two editors at the same moment): the
            # save was rolled back; the page is shown again with the form refusing it, naming their change.
            request.saved_meanwhile = error.target
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "saved_meanwhile", None) is not None:
            form = type(form.__name__, (form,), {"saved_meanwhile": request.saved_meanwhile})
        return form

    def get_fields(self, request, obj=None):
        # Notes come from the shared base class, so Django lists them first; staff expect them last.
        fields = [field for field in super().get_fields(request, obj) if field not in ("notes", "version")]
        return [*fields, "notes", "version"]


def citation_inline(record_model) -> type[admin.TabularInline]:
    """Return the inline that edits a record's citations on the record's own page."""
    return type(
        f"{record_model.__name__}CitationInline",
        (admin.TabularInline,),
        {
            "model": citation_table(record_model),
            "fields": ("source", "quote", "position"),
            "autocomplete_fields": ("source",),
            "extra": 0,
        },
    )


class CitedInlineForm(forms.ModelForm):
    """An inline row that takes a citation where it is edited: a source and a quote, the position found in the text."""

    cite_source = forms.ModelChoiceField(
        queryset=SourceDocument.objects.defer("text", "text_normalized"),
        required=False,
        label=_("cite source"),
    )
    cite_quote = forms.CharField(
        required=False,
        strip=False,
        label=_("quote"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_("Copied verbatim from the source; adds a citation to this row."),
    )

    def clean(self):
        cleaned = super().clean()
        source, quote = cleaned.get("cite_source"), cleaned.get("cite_quote")
        if bool(source) != bool(quote):
            raise ValidationError(_("Give both a source and a quote to cite, or neither."))
        if source and quote:
            citation_model = citation_table(self._meta.model)
            citation = citation_model(source=source, quote=quote)
            try:
                citation.clean()
            except ValidationError as error:
                self.add_error("cite_quote", error.message_dict.get("quote", error.messages))
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        if self.cleaned_data.get("cite_source") and self.cleaned_data.get("cite_quote"):
            services.citation_add(record=self.instance, source=self.cleaned_data["cite_source"], quote=self.cleaned_data["cite_quote"])


class CitedInline(admin.TabularInline):
    """An inline whose rows each take a citation (source and quote) as they are edited."""

    form = CitedInlineForm
    extra = 0

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "cite_source", "cite_quote"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    """Read-only: the official divisions come from `manage.py load_regions` alone."""

    list_display = ("code", "name", "level", "division_type", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InstitutionAliasInline(CitedInline):
    model = InstitutionAlias
    fields = ("name", "kind")


class MembershipInline(CitedInline):
    model = Membership
    fk_name = "alliance"
    autocomplete_fields = ("member",)
    fields = ("member", "role")


class MemberCountInline(CitedInline):
    model = MemberCount
    fields = ("category", "count")


class InstitutionRelationInline(CitedInline):
    model = InstitutionRelation
    fk_name = "subject"
    autocomplete_fields = ("object",)
    fields = ("kind", "object", "share", "since_text", "since_earliest", "since_latest", "since_precision")


@admin.register(Institution)
class InstitutionAdmin(IndexedSearchMixin, TrackedAdmin):
    search_method = "matching_name"
    list_display = ("name", "short_names", "kind", "region", "parent", "predecessor")
    list_filter = ("kind", RegionSubtreeFilter)
    search_fields = ("name", "name_en", "aliases__name")
    autocomplete_fields = ("region", "parent", "predecessor", "founding_event")
    list_select_related = ("region", "parent", "predecessor")
    inlines = (
        InstitutionAliasInline,
        InstitutionRelationInline,
        MembershipInline,
        MemberCountInline,
        citation_inline(Institution),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("aliases"))
    def short_names(self, obj):
        return "、".join(alias.name for alias in obj.aliases.all())


@admin.register(InstitutionAlias)
class InstitutionAliasAdmin(CitedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "institution")
    list_filter = ("kind",)
    search_fields = ("name", "institution__name")
    autocomplete_fields = ("institution",)
    list_select_related = ("institution",)
    inlines = (citation_inline(InstitutionAlias),)


@admin.register(Membership)
class MembershipAdmin(TrackedAdmin):
    list_display = ("alliance", "member", "role")
    list_filter = ("role",)
    search_fields = ("alliance__name", "member__name", "member__aliases__name")
    autocomplete_fields = ("alliance", "member")
    list_select_related = ("alliance", "member")
    inlines = (citation_inline(Membership),)


@admin.register(MemberCount)
class MemberCountAdmin(TrackedAdmin):
    list_display = ("alliance", "category", "count")
    list_filter = ("category",)
    search_fields = ("alliance__name",)
    autocomplete_fields = ("alliance",)
    list_select_related = ("alliance",)
    inlines = (citation_inline(MemberCount),)


@admin.register(InstitutionRelation)
class InstitutionRelationAdmin(TrackedAdmin):
    list_display = ("subject", "kind", "object", "share", "since_text")
    list_filter = ("kind", "subject__kind")
    search_fields = ("subject__name", "object__name", "subject__aliases__name", "object__aliases__name")
    autocomplete_fields = ("subject", "object")
    list_select_related = ("subject", "object")
    inlines = (citation_inline(InstitutionRelation),)


class PostInline(CitedInline):
    model = Post
    fields = ("institution", "title", "title_en", "start_date", "end_date", "attested_on")
    autocomplete_fields = ("institution",)


class PersonAliasInline(CitedInline):
    model = PersonAlias
    fields = ("name", "kind")


@admin.register(Person)
class PersonAdmin(TrackedAdmin):
    list_display = ("name", "name_en", "disambiguation", "post_titles")
    list_filter = ("posts__institution__kind",)
    search_fields = ("name", "name_en", "disambiguation", "aliases__name", "aliases__name_folded", "posts__title")
    inlines = (PersonAliasInline, PostInline, citation_inline(Person))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("posts", queryset=Post.objects.select_related("institution"))
        )

    @admin.display(description=_("posts"))
    def post_titles(self, obj):
        return "；".join(f"{post.institution} {post.title}" for post in obj.posts.all())


@admin.register(Post)
class PostAdmin(TrackedAdmin):
    list_display = ("person", "title", "institution", "start_date", "end_date", "attested_on")
    list_filter = ("institution__kind",)
    search_fields = ("person__name", "title", "institution__name", "institution__aliases__name")
    autocomplete_fields = ("person", "institution")
    list_select_related = ("person", "institution")
    inlines = (citation_inline(Post),)


class TaxonomyAdmin(TrackedAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(ProjectType)
class ProjectTypeAdmin(TaxonomyAdmin):
    inlines = (citation_inline(ProjectType),)


@admin.register(Industry)
class IndustryAdmin(TaxonomyAdmin):
    inlines = (citation_inline(Industry),)


@admin.register(PersonAlias)
class PersonAliasAdmin(CitedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "person")
    list_filter = ("kind",)
    search_fields = ("name", "name_folded", "person__name")
    autocomplete_fields = ("person",)
    list_select_related = ("person",)
    inlines = (citation_inline(PersonAlias),)


class AgreementPartyInline(CitedInline):
    model = AgreementParty
    fields = ("institution", "role", "signatory", "signatory_title")
    autocomplete_fields = ("institution", "signatory")


class ExpiringSoonFilter(admin.SimpleListFilter):
    """Agreements whose term ends within the next 90 days."""

    title = _("term ends")
    parameter_name = "expiring"
    DAYS = 90

    def lookups(self, request, model_admin):
        return (("90", _("within the next 90 days")), ("past", _("already ended")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "90":
            return queryset.filter(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=self.DAYS))
        if self.value() == "past":
            return queryset.filter(valid_until__lt=today)
        return queryset


class FundingInline(CitedInline):
    model = Funding
    fields = ("amount", "currency", "approximate", "kind", "contributor")
    autocomplete_fields = ("contributor",)


@admin.register(Agreement)
class AgreementAdmin(IndexedSearchMixin, TrackedAdmin):
    search_method = "matching_text"
    list_display = ("title", "kind", "status", "signing", "valid_until", "region", "party_names")
    list_filter = (
        "status",
        "kind",
        ExpiringSoonFilter,
        "signed_precision",
        "project_types",
        "industries",
        "parties__institution__kind",
        RegionSubtreeFilter,
    )
    search_fields = ("title", "parties__institution__name", "parties__institution__aliases__name")
    autocomplete_fields = ("region", "event", "project_types", "industries", "amends")
    list_select_related = ("region",)
    inlines = (AgreementPartyInline, FundingInline, citation_inline(Agreement))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("institution"))
        )

    @admin.display(description=_("signing date"), ordering="signed_earliest")
    def signing(self, obj):
        return format_date_bounds(obj.signed_earliest, obj.signed_latest, obj.signed_precision)

    @admin.display(description=_("parties"))
    def party_names(self, obj):
        return "、".join(party.institution.name for party in obj.parties.all())


@admin.register(AgreementParty)
class AgreementPartyAdmin(TrackedAdmin):
    list_display = ("agreement", "institution", "role", "signatory")
    list_filter = ("role", "institution__kind")
    search_fields = ("agreement__title", "institution__name", "institution__aliases__name", "signatory__name")
    autocomplete_fields = ("agreement", "institution", "signatory")
    list_select_related = ("agreement", "institution", "signatory")
    inlines = (citation_inline(AgreementParty),)


class EventParticipantInline(CitedInline):
    model = EventParticipant
    fields = ("institution", "person", "role", "on_behalf_of")
    autocomplete_fields = ("institution", "person", "on_behalf_of")


class EventKindInline(admin.TabularInline):
    model = EventKind
    fields = ("kind",)
    extra = 0


@admin.register(Event)
class EventAdmin(TrackedAdmin):
    list_display = ("title", "kind", "start_date", "end_date", "date_precision", "place", "region", "parent")
    list_filter = ("kind", "further_kinds__kind", "date_precision", RegionSubtreeFilter)
    search_fields = ("title", "place", "reference")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")
    inlines = (EventKindInline, EventParticipantInline, citation_inline(Event))


@admin.register(EventParticipant)
class EventParticipantAdmin(TrackedAdmin):
    list_display = ("event", "institution", "person", "role")
    list_filter = ("role",)
    search_fields = ("event__title", "institution__name", "person__name")
    autocomplete_fields = ("event", "institution", "person")
    list_select_related = ("event", "institution", "person")
    inlines = (citation_inline(EventParticipant),)


class ProjectBuilderInline(CitedInline):
    model = ProjectBuilder
    fields = ("institution", "role")
    autocomplete_fields = ("institution",)


class ProjectQuantityInline(CitedInline):
    model = ProjectQuantity
    fields = ("measure", "value", "unit", "approximate")


class ProjectFundingInline(FundingInline):
    fk_name = "project"


@admin.register(Project)
class ProjectAdmin(TrackedAdmin):
    list_display = ("name", "project_type", "status", "established", "region", "institution")
    list_filter = ("status", "project_type", "established_precision", RegionSubtreeFilter)
    search_fields = ("name", "reference", "institution__name", "builders__institution__name")
    autocomplete_fields = ("project_type", "region", "agreements", "institution")
    list_select_related = ("project_type", "region", "institution")
    inlines = (ProjectBuilderInline, ProjectQuantityInline, ProjectFundingInline, citation_inline(Project))

    @admin.display(description=_("established"), ordering="established_earliest")
    def established(self, obj):
        return obj.established_text or format_date_bounds(obj.established_earliest, obj.established_latest, obj.established_precision)


@admin.register(ProjectBuilder)
class ProjectBuilderAdmin(TrackedAdmin):
    list_display = ("project", "institution", "role")
    list_filter = ("role",)
    search_fields = ("project__name", "institution__name")
    autocomplete_fields = ("project", "institution")
    list_select_related = ("project", "institution")
    inlines = (citation_inline(ProjectBuilder),)


@admin.register(ProjectQuantity)
class ProjectQuantityAdmin(TrackedAdmin):
    list_display = ("project", "measure", "value", "unit", "approximate")
    list_filter = ("measure", "approximate")
    search_fields = ("project__name",)
    autocomplete_fields = ("project",)
    list_select_related = ("project",)
    inlines = (citation_inline(ProjectQuantity),)


@admin.register(Funding)
class FundingAdmin(TrackedAdmin):
    list_display = ("__str__", "kind", "contributor", "project", "agreement")
    list_filter = ("kind", "currency", "approximate")
    search_fields = ("reference", "contributor__name", "project__name", "agreement__title")
    autocomplete_fields = ("contributor", "project", "agreement")
    list_select_related = ("contributor", "project", "agreement")
    inlines = (citation_inline(Funding),)


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "resource", "shared", "updated")
    list_filter = ("resource", "shared")
    search_fields = ("name", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)


@admin.register(SourceDocument)
class SourceDocumentAdmin(TrackedAdmin):
    list_display = ("title", "key", "publisher_name", "language", "published_on")
    list_filter = ("language",)
    search_fields = ("title", "key", "publisher_name", "author", "text_normalized")
    autocomplete_fields = ("publisher", "repost_of")
    readonly_fields = (*TrackedAdmin.readonly_fields, "checksum", "cited_by")

    def get_urls(self):
        # Before the default URLs, whose "<object_id>/" would take "ingest/" for an id.
        pages = IngestPages(self)
        return [
            # The page checks CSRF itself, so that a body too large to read is a form error rather than a 403.
            path("ingest/", self.admin_site.admin_view(csrf_exempt(pages.ingest)), name="partnerships_sourcedocument_ingest"),
            path(
                "<path:object_id>/records/",
                self.admin_site.admin_view(pages.records),
                name="partnerships_sourcedocument_records",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        # Texts are searched in simplified script, so a traditional-script query finds them too.
        return super().get_search_results(request, queryset, to_simplified(search_term))

    @admin.display(description=_("records citing this document"))
    def cited_by(self, obj):
        if obj.pk is None:
            return "-"
        rows = []
        for cited_model in CITED_MODELS:
            citation_model = citation_table(cited_model)
            count = citation_model.objects.filter(source=obj).count()
            if count:
                opts = citation_model._meta
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + f"?source__id__exact={obj.pk}"
                rows.append((url, opts.verbose_name_plural, count))
        if not rows:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>: {}</li>', rows))


@admin.register(PendingArticle)
class PendingArticleAdmin(admin.ModelAdmin):
    """The queue: articles analysed by `manage.py ingest --queue` or uploaded together, each waiting for its review."""

    list_display = ("title", "proposals", "file_name", "created_by", "created", "status", "review")
    list_filter = ("status",)
    search_fields = ("title", "file_name")
    list_select_related = ("created_by",)
    fields = ("title", "file_name", "status", "source", "created_by", "created", "proposals")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # articles join the queue through the article page or manage.py ingest --queue

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("proposals"), ordering="proposal_count")
    def proposals(self, obj):
        labels = {kind: model._meta.verbose_name_plural for kind, (model, _field) in KIND_RECORDS.items()}
        return "、".join(f"{labels.get(kind, kind)} {count}" for kind, count in obj.proposal_counts().items()) or "-"

    @admin.display(description=_("review"))
    def review(self, obj):
        if obj.status != PendingArticleStatusChoices.PENDING:
            if obj.source_id is None:
                return "-"
            return format_html('<a href="{}">{}</a>', reverse("admin:partnerships_sourcedocument_records", args=[obj.source_id]), _("records"))
        url = reverse("admin:partnerships_sourcedocument_ingest") + f"?pending={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Review"))


class CitationAdmin(SimpleHistoryAdmin):
    """Every citation of one kind of record, to trace facts back from a source.

    Citations are edited inline on their records and reached from their source
    document's page, so they stay out of the admin index.
    """

    list_display = ("record", "source", "position", "quote")
    list_filter = ("source",)
    search_fields = ("quote",)
    autocomplete_fields = ("source",)
    list_select_related = ("record", "source")
    show_full_result_count = False

    def get_model_perms(self, request):
        return {}


for cited_model in CITED_MODELS:
    admin.site.register(citation_table(cited_model), CitationAdmin)
