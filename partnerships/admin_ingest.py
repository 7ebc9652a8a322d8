"""The admin's article page: paste or upload an article, review what it proposes, save it with its citations.

Three page loads: the empty form (GET), the review (the form's POST answers with the
proposals highlighted in the text), the saved records (the review's POST redirects there).

State between review and save: the review page carries the text, the source details and the
engine's proposals in one signed field (django.core.signing), and saving applies the
reviewer's edits to those very proposals by their index (services.ingest_review_apply).
The engine is not run again on save: what is saved is what was reviewed, even when a record
added meanwhile or another server process's segmenter would make the engine propose
something else. The saver still looks records up by name as it saves, so nothing is added
twice, and it refuses a text already stored.

Repairs (an agreement's parties and signing day, a post's institution, names the engine
missed) are fields of the same review form (admin_ingest_repairs), so they cost no page load.
"""

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote as admin_quote
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.admin_ingest_repairs import RepairFields
from partnerships.choices import (
    AgreementKindChoices,
    ArticleFormatChoices,
    EventKindChoices,
    InstitutionKindChoices,
    PendingArticleStatusChoices,
)
from partnerships.ingest import ArticleError, article_text
from partnerships.ingest.reading import check_size, file_format
from partnerships.models import (
    CITED_MODELS,
    Agreement,
    Event,
    Institution,
    PendingArticle,
    Person,
    Post,
    Project,
    ProjectType,
    SourceDocument,
)
from partnerships.models.institutions import generic_name
from partnerships.services import (
    IngestError,
    IngestResult,
    ProposalEdit,
    ingest_analyse,
    ingest_queue,
    ingest_queued_saved,
    ingest_review_apply,
    ingest_save,
)
from partnerships.text import to_simplified
from partnerships.validators import validate_uri

STATE_SALT = "partnerships.admin_ingest.review"
# A review left open longer than a day is made again rather than saved from stale proposals.
STATE_MAX_AGE = datetime.timedelta(days=1)
# Proposal kinds in the order the review lists them, each with the model and field its name becomes.
KIND_RECORDS = {
    "institution": (Institution, "name"),
    "person": (Person, "name"),
    "post": (Post, "title"),
    "event": (Event, "title"),
    "agreement": (Agreement, "title"),
    "project": (Project, "name"),
}
MAX_CANDIDATES = 8
# Fields a review's POST carries besides the proposals' own (the CSRF token, the state, the button).
REVIEW_SPARE_FIELDS = 5
# The saver's counts, as the result message words them.
COUNT_LABELS = {
    "sources": gettext_lazy("source documents"),
    "institutions created": gettext_lazy("institutions created"),
    "institutions matched": gettext_lazy("institutions matched"),
    "people created": gettext_lazy("people created"),
    "people matched": gettext_lazy("people matched"),
    "person aliases": gettext_lazy("person aliases"),
    "posts created": gettext_lazy("posts created"),
    "posts not saved": gettext_lazy("posts not saved (person or institution rejected)"),
    "events created": gettext_lazy("events created"),
    "participants": gettext_lazy("event participants"),
    "agreements created": gettext_lazy("agreements created"),
    "agreements not saved": gettext_lazy("agreements not saved (a party rejected)"),
    "institutions not saved": gettext_lazy("institutions not saved (a generic name such as 区政府)"),
    "projects created": gettext_lazy("projects created"),
    "projects not saved": gettext_lazy("projects not saved (no known project type)"),
    "citations": gettext_lazy("citations"),
}


def source_link(source: SourceDocument) -> str:
    """Return an HTML link to a source document's admin page, its title escaped."""
    url = reverse("admin:partnerships_sourcedocument_change", args=[admin_quote(source.pk)])
    return format_html('<a href="{}">{}</a>', url, source.title)


def already_stored(source: SourceDocument) -> str:
    return format_html(
        _("This text is already stored as source document {link} (id {id}); nothing was stored."),
        link=source_link(source),
        id=source.pk,
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; cleaned to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ArticleForm(forms.Form):
    """Step 1: the article (pasted or a file) and what is known about where it was published."""

    text = forms.CharField(
        label=gettext_lazy("text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=gettext_lazy("Paste the article's text, or choose a file below."),
    )
    file = forms.FileField(
        label=gettext_lazy("file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
        help_text=gettext_lazy("A .txt or .html file; an HTML page is reduced to its text and never shown as HTML."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("read as"),
        required=False,
        choices=ArticleFormatChoices.choices,
        initial=ArticleFormatChoices.TEXT,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Plain text keeps every character as written, markup included; an HTML page is reduced to its text. "
            "An .html or .htm file is always read as HTML."
        ),
    )
    files = MultipleFileField(
        label=gettext_lazy("several files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
        help_text=gettext_lazy("Several .txt or .html articles: each waits as a pending article for its review."),
    )
    url = forms.URLField(label=gettext_lazy("URL"), required=False, max_length=500, assume_scheme="https", validators=[validate_uri])
    publisher = forms.CharField(
        label=gettext_lazy("publisher"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Who published it; 学院, 我校 and 我院 in the text resolve to it."),
    )
    published = forms.DateField(
        label=gettext_lazy("publication date"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=gettext_lazy("Dates in the text without a year (9月3日) resolve against it."),
    )

    result: IngestResult | None = None

    def __init__(self, *args, too_big: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            return ""
        # Browsers send a textarea's line breaks as CRLF; the article as pasted has plain line breaks.
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None:
            try:
                check_size(upload.size, name=upload.name)
            except ArticleError as error:
                raise ValidationError(str(error), code="article") from error
        return upload

    def clean_files(self):
        articles = []
        chosen = self.cleaned_data.get("format") or ArticleFormatChoices.TEXT
        for upload in self.cleaned_data["files"]:
            try:
                check_size(upload.size, name=upload.name)
                text = article_text(upload.read(), name=upload.name, format=file_format(upload.name, chosen))
                articles.append((upload.name, text))
            except ArticleError as error:
                raise ValidationError(str(error), code="article") from error
        return articles

    def clean(self):
        cleaned = super().clean()
        if self.too_big:
            self.add_error("text", self.too_big)
            return cleaned
        if self.errors:
            return cleaned
        text, upload = cleaned.get("text"), cleaned.get("file")
        if cleaned.get("files"):
            if text or upload:
                self.add_error("files", _("Give one article to review now, or several files to queue, not both."))
            return cleaned
        if text and upload:
            self.add_error("file", _("Give the text or a file, not both."))
            return cleaned
        if not text and not upload:
            self.add_error("text", _("Paste the article's text or choose a file."))
            return cleaned
        field = "text" if text else "file"
        chosen = cleaned.get("format") or ArticleFormatChoices.TEXT
        try:
            if text:
                cleaned["article"] = article_text(text.encode("utf-8"), name=_("The pasted text"), format=chosen)
            else:
                cleaned["article"] = article_text(upload.read(), name=upload.name, format=file_format(upload.name, chosen))
        except ArticleError as error:
            self.add_error(field, ValidationError(str(error), code="article"))
            return cleaned
        try:
            self.result = ingest_analyse(
                text=cleaned["article"],
                url=cleaned.get("url") or "",
                published=cleaned.get("published"),
                publisher=(cleaned.get("publisher") or "").strip() or None,
            )
        except IngestError as error:
            self.add_error(field, str(error))
            return cleaned
        duplicate = self.result.source["duplicate_of"]
        if duplicate is not None:
            self.add_error(field, already_stored(SourceDocument.objects.defer("text", "text_normalized").get(pk=duplicate)))
        return cleaned


def match_candidates(proposals: list[dict]) -> dict[int, list[tuple[int, str]]]:
    """Return, per institution and person proposal, the existing records it may be (two queries at most).

    The engine's own match comes first; then institutions whose name contains the proposed
    one (信发集团 → 信发集团有限公司) and people of the same name.
    """
    candidates: dict[int, list[tuple[int, str]]] = {}
    institutions = {index: p for index, p in enumerate(proposals) if p["kind"] == "institution"}
    people = {index: p for index, p in enumerate(proposals) if p["kind"] == "person"}
    if institutions:
        names = {to_simplified(p["name"]) for p in institutions.values()}
        matched = {p["match"] for p in institutions.values() if p["match"]}
        rows = list(
            Institution.objects.filter(Q(pk__in=matched) | reduce(or_, (Q(name_folded__contains=name) for name in names)))
            .order_by("name")
            .values_list("pk", "name", "name_folded")[:500]
        )
        for index, proposal in institutions.items():
            folded = to_simplified(proposal["name"])
            found = [(pk, name) for pk, name, name_folded in rows if pk == proposal["match"]]
            found += [(pk, name) for pk, name, name_folded in rows if folded in name_folded and pk != proposal["match"]]
            candidates[index] = found[:MAX_CANDIDATES]
    if people:
        names = {p["name"] for p in people.values()} | {to_simplified(p["name"]) for p in people.values()}
        matched = {p["match"] for p in people.values() if p["match"]}
        rows = list(
            Person.objects.filter(Q(pk__in=matched) | Q(name__in=names))
            .order_by("name", "disambiguation")
            .values_list("pk", "name", "disambiguation")[:500]
        )
        for index, proposal in people.items():
            names = {proposal["name"], to_simplified(proposal["name"])}
            found = [(pk, name, extra) for pk, name, extra in rows if pk == proposal["match"]]
            found += [(pk, name, extra) for pk, name, extra in rows if name in names and pk != proposal["match"]]
            candidates[index] = [(pk, f"{name} ({extra})" if extra else name) for pk, name, extra in found[:MAX_CANDIDATES]]
    return candidates


class ReviewForm(RepairFields):
    """Step 2: one row of fields per proposal (accept, name, kind, existing record, repairs), keyed by the proposal's index.

    Below them, the names the engine missed (RepairFields.add_missed_fields).
    """

    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args, proposals: list[dict], candidates: dict[int, list], project_types: list, text: str = "", admin_site=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        self.text = text
        self.admin_site = admin_site
        for index, proposal in enumerate(proposals):
            kind = proposal["kind"]
            model, name_field = KIND_RECORDS.get(kind, (None, None))
            name = proposal["name"]
            # A name only the statistical model found (INGEST_MODEL=unconfirmed) is offered unticked.
            self.fields[f"p{index}_accept"] = forms.BooleanField(
                label=_("Accept “%(name)s”") % {"name": name}, required=False, initial=not proposal.get("unconfirmed")
            )
            self.fields[f"p{index}_name"] = forms.CharField(
                label=_("Name of “%(name)s”") % {"name": name},
                required=False,
                initial=name,
                max_length=model._meta.get_field(name_field).max_length if model else 300,
                widget=forms.TextInput(attrs={"size": 24 if kind in ("institution", "person", "post") else 36}),
            )
            choices = self._kind_choices(proposal, project_types)
            if choices is not None:
                self.fields[f"p{index}_kind"] = forms.ChoiceField(
                    label=_("Kind of “%(name)s”") % {"name": name},
                    required=False,
                    choices=choices,
                    initial=self._kind_of(proposal),
                )
            if kind in ("institution", "person"):
                self.fields[f"p{index}_match"] = forms.TypedChoiceField(
                    label=_("Record for “%(name)s”") % {"name": name},
                    required=False,
                    coerce=int,
                    empty_value=0,
                    choices=[("", _("new record")), *candidates.get(index, ())],
                    initial=proposal["match"] or "",
                )
            self.add_repair_fields(index, proposal)
        self.add_missed_fields()

    @staticmethod
    def _kind_of(proposal: dict) -> str | None:
        return {
            "institution": proposal.get("institution_kind"),
            "agreement": proposal.get("agreement_kind"),
            "project": proposal.get("project_type"),
        }.get(proposal["kind"])

    def _kind_choices(self, proposal: dict, project_types: list) -> list | None:
        choices = {
            "institution": InstitutionKindChoices.choices,
            "agreement": AgreementKindChoices.choices,
            "project": [("", _("unknown type (not saved)")), *project_types],
        }.get(proposal["kind"])
        proposed = self._kind_of(proposal)
        if choices is not None and proposed and proposed not in dict(choices):
            # A kind the models do not hold yet: offered as proposed; the saver keeps it in the notes.
            choices = [(proposed, proposed), *choices]
        return choices

    def clean(self):
        cleaned = super().clean()
        for index in range(len(self.proposals)):
            if cleaned.get(f"p{index}_accept") and not cleaned.get(f"p{index}_name"):
                self.add_error(f"p{index}_name", _("Give a name, or untick “accept” to leave it out."))
            elif (
                cleaned.get(f"p{index}_accept")
                and self.proposals[index]["kind"] == "institution"
                and not cleaned.get(f"p{index}_match")
                and generic_name(cleaned[f"p{index}_name"])
            ):
                self.add_error(
                    f"p{index}_name",
                    _("“%(name)s” names no particular body: give its full name (茌平区人民政府), choose an existing record, "
                      "or untick “accept”.") % {"name": cleaned[f"p{index}_name"]},
                )
        self.clean_repairs(cleaned)
        return cleaned

    def edits(self) -> dict[int, ProposalEdit]:
        """Return the reviewer's decision on every proposal, by index."""
        return {
            index: ProposalEdit(
                accepted=self.cleaned_data[f"p{index}_accept"],
                name=self.cleaned_data[f"p{index}_name"],
                kind=self.cleaned_data.get(f"p{index}_kind") or None,
                match=self.cleaned_data.get(f"p{index}_match"),
                **self.repair_of(index),
            )
            for index in range(len(self.proposals))
        }

    def groups(self) -> list[dict]:
        """Return the rows grouped by proposal kind, in the review's order, each with its fields and details."""
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for index, proposal in enumerate(self.proposals):
            parts = ("accept", "name", "kind", "match", "institution", "record")
            fields = [self[f"p{index}_{part}"] for part in parts if f"p{index}_{part}" in self.fields]
            by_kind[proposal["kind"]].append(
                {
                    "index": index,
                    "fields": fields,
                    "details": proposal_details(proposal),
                    "proposal": proposal,
                    "repair": self.repair_rows(index, proposal),
                }
            )
        order = [*KIND_RECORDS, *sorted(set(by_kind) - set(KIND_RECORDS))]
        groups = []
        for kind in order:
            rows = by_kind.get(kind)
            if not rows:
                continue
            model = KIND_RECORDS.get(kind, (None,))[0]
            headers = [_("accept"), _("name")]
            if kind in ("institution", "agreement"):
                headers.append(_("kind"))
            elif kind == "project":
                headers.append(_("project type"))
            if kind in ("institution", "person"):
                headers.append(_("existing record"))
            elif kind == "post":
                headers += [_("institution"), _("or an existing institution")]
            groups.append(
                {
                    "kind": kind,
                    "title": model._meta.verbose_name_plural if model else kind,
                    "headers": [*headers, _("details"), _("quote")],
                    "rows": rows,
                }
            )
        return groups


def proposal_details(proposal: dict) -> str:
    """Return what a proposal says beyond its name, as one line of plain text."""
    kind = proposal["kind"]
    if proposal.get("unconfirmed"):
        return _("found by the statistical model only, not confirmed by the rules: tick it to accept")
    if kind == "institution":
        return _("mentioned %(count)d times") % {"count": len(proposal.get("mentions") or [1])}
    if kind == "person":
        aliases = proposal.get("aliases") or []
        return _("also written %(names)s") % {"names": "、".join(aliases)} if aliases else ""
    if kind == "post":
        return f"{proposal.get('person', '')} · {proposal.get('institution', '')}"
    if kind == "event":
        kinds = dict(EventKindChoices.choices)
        parts = [
            proposal.get("date_text") or "",
            proposal.get("place") or "",
            "、".join(str(kinds.get(kind, kind)) for kind in proposal.get("kinds") or ()),
        ]
        parts.append(_("%(count)d participants") % {"count": len(proposal.get("participants") or ())})
        return " · ".join(part for part in parts if part)
    if kind == "agreement":
        parties = "、".join(
            f"{party['name']}（{party['signatory']}）" if party.get("signatory") else party["name"]
            for party in proposal.get("parties", ())
        )
        dates = proposal.get("date_text") or ""
        return " · ".join(part for part in (parties, dates) if part)
    if kind == "project":
        return "、".join(proposal.get("institutions") or ())
    return ""


def highlighted_text(text: str, proposals: list[dict]) -> str:
    """Return the text, escaped, with every proposal's mentions marked, built from the proposals' offsets.

    Overlapping spans (a name inside an agreement's sentence) are cut at every boundary;
    each piece is marked with the kinds of all the proposals covering it.
    """
    opening, closing = defaultdict(list), defaultdict(list)
    for index, proposal in enumerate(proposals):
        for start, end in proposal.get("mentions") or [(proposal["start"], proposal["end"])]:
            if 0 <= start < end <= len(text):
                opening[start].append(index)
                closing[end].append(index)
    boundaries = sorted({0, len(text), *opening, *closing})
    active: dict[int, int] = defaultdict(int)
    pieces = []
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        for index in closing.get(left, ()):
            active[index] -= 1
        for index in opening.get(left, ()):
            active[index] += 1
        covering = sorted(index for index, count in active.items() if count > 0)
        if not covering:
            pieces.append(("{}", "", "", text[left:right]))
            continue
        kinds = sorted({proposals[index]["kind"] for index in covering})
        title = "; ".join(dict.fromkeys(f"{proposals[index]['name']}" for index in covering))
        pieces.append(("mark", " ".join(f"ingest-{kind}" for kind in kinds), title, text[left:right]))
    # format_html escapes every piece of the text and every attribute value.
    marked = format_html_join(
        "",
        "{}",
        (
            (format_html('<mark class="{}" title="{}">{}</mark>', classes, title, piece) if tag == "mark" else piece,)
            for tag, classes, title, piece in pieces
        ),
    )
    # A browser reads a carriage return in the page as a line feed (CRLF as one); as a character
    # reference it stays itself, so the page's text is the article's to the character and the
    # offsets of a selection in it (ingest_review.js) are the text's.
    return mark_safe(marked.replace("\r", "&#13;"))


class IngestPages:
    """The article page and the page of records a source supports, for SourceDocumentAdmin.get_urls()."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def context(self, request, **extra) -> dict:
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": SourceDocument._meta,
            "has_view_permission": self.model_admin.has_view_permission(request),
            **extra,
        }

    def ingest(self, request):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        too_big = getattr(request, "body_too_big", None)
        if request.method == "POST" and too_big:
            # Nothing was read, so nothing is acted on: the empty form and why (no CSRF token to check either).
            form = ArticleForm({}, too_big=too_big)
            form.is_valid()
            return self._form(request, form)
        if request.method == "POST":
            refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
            if refused is not None:
                return refused
        if request.method == "POST" and "state" in request.POST:
            return self._save(request)
        if request.method == "GET" and "pending" in request.GET:
            return self._review_pending(request)
        form = ArticleForm(request.POST, request.FILES) if request.method == "POST" else ArticleForm()
        if request.method == "POST" and form.is_valid() and form.cleaned_data.get("files"):
            return self._queue(request, form)
        if request.method == "POST" and form.is_valid():
            state = {
                "text": form.cleaned_data["article"],
                "source": form.result.source,
                "proposals": form.result.proposals,
                # Signed with the rest: only the editor who was shown the review saves it (and is credited).
                "reviewer": request.user.pk,
            }
            review = self._review_form(state, data=None)
            # Past Django's field limit the review's POST would be refused as a whole: say so now.
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            if limit is None or len(review.fields) + REVIEW_SPARE_FIELDS <= limit:
                return self._review(request, state, review)
            form.add_error(
                None,
                _("The article gives %(count)d proposals, more than one review page can hold; split it, or use manage.py ingest.")
                % {"count": len(state["proposals"])},
            )
        return self._form(request, form)

    def _form(self, request, form: ArticleForm):
        return TemplateResponse(
            request,
            "admin/partnerships/sourcedocument/ingest_form.html",
            self.context(request, title=_("Ingest an article"), form=form),
        )

    def _queue(self, request, form: ArticleForm):
        """Keep each uploaded article as a pending article; say which could not be, and list the queue."""
        queued = 0
        for name, text in form.cleaned_data["files"]:
            try:
                result = ingest_analyse(
                    text=text,
                    url=form.cleaned_data.get("url") or "",
                    published=form.cleaned_data.get("published"),
                    publisher=(form.cleaned_data.get("publisher") or "").strip() or None,
                )
                ingest_queue(text=text, result=result, file_name=name, created_by=request.user)
                queued += 1
            except IngestError as error:
                messages.warning(request, f"{name}: {error}")
        messages.success(request, _("%(count)d articles wait for review.") % {"count": queued})
        return redirect("admin:partnerships_pendingarticle_changelist")

    def _review_pending(self, request):
        """Page 2 for a queued article: its stored proposals, saved like a pasted article's."""
        try:
            pending = PendingArticle.objects.get(pk=int(request.GET["pending"]), status=PendingArticleStatusChoices.PENDING)
        except (ValueError, PendingArticle.DoesNotExist):
            messages.error(request, _("No pending article has this id; it may have been saved already."))
            return redirect("admin:partnerships_pendingarticle_changelist")
        # Bound to the editor who is shown it, as a pasted article's review is.
        state = {"text": pending.text, **pending.result, "pending": pending.pk, "reviewer": request.user.pk}
        state.pop("saved", None)
        return self._review(request, state, self._review_form(state, data=None))

    def _review_form(self, state: dict, *, data) -> ReviewForm:
        project_types = list(ProjectType.objects.order_by("name").values_list("code", "name"))
        return ReviewForm(
            data,
            initial={"state": signing.dumps(state, salt=STATE_SALT, compress=True)},
            proposals=state["proposals"],
            candidates=match_candidates(state["proposals"]),
            project_types=project_types,
            text=state["text"],
            admin_site=self.model_admin.admin_site,
        )

    def _review(self, request, state: dict, form: ReviewForm, *, status: int = 200):
        return TemplateResponse(
            request,
            "admin/partnerships/sourcedocument/ingest_review.html",
            self.context(
                request,
                title=_("Review the proposals"),
                form=form,
                source=state["source"],
                groups=form.groups(),
                missed=form.missed_rows(),
                highlighted=highlighted_text(state["text"], state["proposals"]),
            ),
            status=status,
        )

    def _save(self, request):
        try:
            state = signing.loads(request.POST["state"], salt=STATE_SALT, max_age=STATE_MAX_AGE)
        except signing.BadSignature:
            return self._start_again(
                request, _("The review could not be read (it expired or was altered); nothing was stored. Start again.")
            )
        if state.get("reviewer") != request.user.pk:
            return self._start_again(
                request, _("This review was prepared for another user; nothing was stored. Start again with the article.")
            )
        form = self._review_form(state, data=request.POST)
        if form.is_valid():
            reviewed = ingest_review_apply(
                result=IngestResult(source=state["source"], proposals=state["proposals"]),
                edits=form.edits(),
                added=form.added,
            )
            try:
                counts = ingest_save(text=state["text"], result=reviewed)
            except IngestError as error:
                existing = SourceDocument.objects.defer("text", "text_normalized").filter(checksum=state["source"]["checksum"]).first()
                form.add_error(None, already_stored(existing) if existing is not None else str(error))
            else:
                source = SourceDocument.objects.defer("text", "text_normalized").get(checksum=state["source"]["checksum"])
                if state.get("pending"):
                    ingest_queued_saved(pending_id=state["pending"], fingerprint=source.fingerprint)
                saved = ", ".join(f"{COUNT_LABELS.get(key, key)} {value}" for key, value in counts.items())
                messages.success(
                    request, format_html(_("The article was saved as {link}: {saved}."), link=source_link(source), saved=saved)
                )
                return redirect("admin:partnerships_sourcedocument_records", source.pk)
        return self._review(request, state, form, status=400)

    def _start_again(self, request, message: str):
        """Answer the empty article form with a message saying why the review was not saved."""
        context = self.context(request, title=_("Ingest an article"), form=ArticleForm(), state_error=message)
        return TemplateResponse(request, "admin/partnerships/sourcedocument/ingest_form.html", context, status=400)

    def records(self, request, object_id):
        source = get_object_or_404(SourceDocument.objects.defer("text", "text_normalized").select_related("repost_of"), pk=object_id)
        if not self.model_admin.has_view_permission(request, source):
            raise PermissionDenied
        groups = []
        for model in CITED_MODELS:
            citation_model = model.citations.rel.related_model
            # What each record's name (__str__) reads, so listing costs one query per kind.
            related = [f"record__{field.name}" for field in model._meta.fields if field.many_to_one]
            citations = citation_model.objects.filter(source=source).select_related("record", *related).order_by("position", "pk")
            rows = [
                {
                    "record": citation.record,
                    "url": reverse(
                        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[admin_quote(citation.record_id)]
                    ),
                    "quote": citation.quote,
                    "position": citation.position,
                }
                for citation in citations
            ]
            if rows:
                groups.append({"title": model._meta.verbose_name_plural, "rows": rows})
        return TemplateResponse(
            request,
            "admin/partnerships/sourcedocument/ingest_records.html",
            self.context(
                request,
                title=_("Records resting on the source document"),
                source=source,
                original=source,
                groups=groups,
            ),
        )
