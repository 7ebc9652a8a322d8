import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import PendingArticleStatusChoices
from partnerships.text import in_traditional_script, matching_form, to_simplified
from partnerships.validators import validate_uri

from .base import Citation, DerivedFieldsMixin, NaturalKeyMixin, NaturalKeyQuerySet, TrackedModel


def text_checksum(text: str) -> str:
    """Return the SHA-256 of a text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_fingerprints(text: str) -> tuple[str, str]:
    """Return the text's fingerprint and the one its copy in the other script would have.

    A fingerprint is the SHA-256 of the text's matching form (whitespace, punctuation width and
    script normalised), marked with the script it is written in: a re-spaced copy is the same
    text, a copy in the other script is a repost of it.
    """
    form = matching_form(text).encode("utf-8")
    traditional = in_traditional_script(text)
    return tuple(hashlib.sha256(marker + form).hexdigest() for marker in ((b"T", b"S") if traditional else (b"S", b"T")))


class SourceDocument(DerivedFieldsMixin, NaturalKeyMixin, TrackedModel):
    """A news article, minutes or other document that records rest on."""

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=_("Stable identifier, e.g. the seed file name."))
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    publisher_name = models.CharField(
        _("publisher as named"), max_length=200, blank=True, help_text=_("The site or outlet as the page names it.")
    )
    publisher = models.ForeignKey(
        "partnerships.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        verbose_name=_("publisher"),
        help_text=_("The institution that published it, so 我校 and 我院 in its text resolve to it."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[validate_uri])
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    published_on = models.DateField(_("published on"), null=True, blank=True)
    repost_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reposts",
        verbose_name=_("repost of"),
        help_text=_("The original this document copies, often in another script."),
    )
    text = models.TextField(_("full text"))
    text_normalized = models.TextField(
        _("normalised text"), blank=True, default="", editable=False, help_text=_("The text in simplified script, for matching and search.")
    )
    checksum = models.CharField(_("checksum"), max_length=64, editable=False, help_text=_("SHA-256 of the text."))
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, null=True, blank=True, editable=False,
        help_text=_("SHA-256 of the text with whitespace, punctuation width and script normalised: a re-spaced copy has the same."),
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("key",)
    DERIVED_FROM = {"checksum": "text", "text_normalized": "text", "fingerprint": "text"}

    class Meta:
        ordering = ["key"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = [
            models.UniqueConstraint(
                fields=["checksum"],
                name="%(app_label)s_%(class)s_text_stored_once",
                violation_error_message=_("This text is already stored."),
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=["fingerprint"],
                name="%(app_label)s_%(class)s_copy_stored_once",
                violation_error_message=_("A copy of this text (differing only in spacing or punctuation width) is already stored."),
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(repost_of=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_repost",
                violation_error_message=_("A document cannot be a repost of itself."),
            ),
        ]

    def __str__(self):
        return self.title

    def derive(self) -> None:
        self.checksum = text_checksum(self.text)
        self.text_normalized = to_simplified(self.text)
        self.fingerprint = text_fingerprints(self.text)[0]

    def clean(self):
        super().clean()
        same = SourceDocument.objects.filter(fingerprint=self.fingerprint).exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError(
                {"text": _("This text is already stored as source “%(source)s” (id %(id)s, key %(key)s).")
                 % {"source": same.title, "id": same.pk, "key": same.key}}
            )
        self.clean_citations_still_match()

    @classmethod
    def citation_models(cls) -> list[type[Citation]]:
        """Return every citation table, read from the relations that point at sources."""
        return [
            relation.related_model
            for relation in cls._meta.related_objects
            if relation.field.name == "source" and issubclass(relation.related_model, Citation)
        ]

    def clean_citations_still_match(self):
        """Refuse a new text in which a quote that cites this document no longer stands at its position."""
        if self._state.adding or self.pk is None:
            return
        broken = []
        for citation_model in self.citation_models():
            citations = citation_model.objects.filter(source=self).select_related("record")
            for citation in citations:
                if self.text[citation.position : citation.position + len(citation.quote)] != citation.quote:
                    broken.append(citation)
        if broken:
            raise ValidationError(
                {
                    "text": _("The new text breaks %(count)d citations, whose quotes no longer stand at their positions: %(citations)s.")
                    % {
                        "count": len(broken),
                        "citations": "; ".join(
                            f"{citation.record._meta.verbose_name} “{citation.record}” at {citation.position}"
                            for citation in broken[:10]
                        ),
                    }
                }
            )


class PendingArticle(models.Model):
    """An article read and analysed but not yet reviewed: its text, what is known of it and the engine's proposals."""

    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("full text"))
    file_name = models.CharField(_("file name"), max_length=300, blank=True)
    # What the review's page 2 needs: {"source": …, "proposals": […]} as ingest_analyse() returned them.
    result = models.JSONField(_("proposals"))
    proposal_count = models.PositiveIntegerField(_("proposals"), default=0)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, help_text=_("The text's fingerprint, as a source's."))
    status = models.CharField(
        _("status"), max_length=16, choices=PendingArticleStatusChoices, default=PendingArticleStatusChoices.PENDING
    )
    source = models.ForeignKey(
        SourceDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("saved as")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("queued by")
    )
    created = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        ordering = ["status", "created", "id"]
        verbose_name = _("pending article")
        verbose_name_plural = _("pending articles")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(status=PendingArticleStatusChoices.PENDING),
                name="%(app_label)s_%(class)s_queued_once",
                violation_error_message=_("This article is already waiting for review."),
            ),
        ]

    def __str__(self):
        return self.title

    def proposal_counts(self) -> dict[str, int]:
        """Return how many proposals of each kind the article gives."""
        counts: dict[str, int] = {}
        for proposal in self.result.get("proposals", ()):
            counts[proposal["kind"]] = counts.get(proposal["kind"], 0) + 1
        return counts
