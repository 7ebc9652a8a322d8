import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import NaturalKeyMixin, NaturalKeyQuerySet, TrackedModel


def text_checksum(text: str) -> str:
    """Return the SHA-256 of a text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SourceDocument(NaturalKeyMixin, TrackedModel):
    """A news article, minutes or other document that records rest on."""

    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=_("Stable identifier, e.g. the seed file name."))
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    published_on = models.DateField(_("published on"), null=True, blank=True)
    text = models.TextField(_("full text"))
    checksum = models.CharField(
        _("checksum"), max_length=64, blank=True, help_text=_("SHA-256 of the text; filled in when left empty.")
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("key",)

    class Meta:
        ordering = ["key"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self.clean_citations_still_match()
        actual = text_checksum(self.text)
        if not self.checksum:
            self.checksum = actual
        elif self.checksum != actual:
            raise ValidationError({"checksum": _("The checksum does not match the text.")})

    def clean_citations_still_match(self):
        """Refuse a new text in which a quote that cites this document no longer stands at its position."""
        if self._state.adding or self.pk is None:
            return
        from partnerships.models import CITED_MODELS

        broken = []
        for cited_model in CITED_MODELS:
            citations = cited_model.citations.rel.related_model.objects.filter(source=self).select_related("record")
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
