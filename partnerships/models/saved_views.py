from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.choices import SavedViewResourceChoices


class SavedView(models.Model):
    """An analyst's named set of list filters, private or shared with everyone who reads."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views", verbose_name=_("owner")
    )
    shared = models.BooleanField(_("shared"), default=False, help_text=_("Everyone who reads the records sees it."))
    resource = models.CharField(
        _("resource"), max_length=32, choices=SavedViewResourceChoices, default=SavedViewResourceChoices.AGREEMENTS
    )
    query = models.JSONField(
        _("query"),
        default=dict,
        blank=True,
        help_text=_("The list's query parameters, {name: value or [values]}, as /api/v1/<resource>/ takes them."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="%(app_label)s_%(class)s_unique_name_per_owner",
                violation_error_message=_("You already have a saved view of this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        from partnerships.filtersets import SAVED_VIEW_FILTERSETS  # the filter sets import the models

        if not isinstance(self.query, dict):
            raise ValidationError({"query": _("The query is an object: {name: value or [values]}.")})
        known = set(SAVED_VIEW_FILTERSETS[self.resource].base_filters) | {"limit", "offset"}
        for name, value in self.query.items():
            if name not in known:
                raise ValidationError({"query": _("“%(name)s” is not a parameter of this list.") % {"name": name}})
            values = value if isinstance(value, list) else [value]
            # A NUL character is no query text, and PostgreSQL's jsonb refuses it.
            if not all(isinstance(item, str) and "\x00" not in item for item in values):
                raise ValidationError({"query": _("“%(name)s”: a value is a text or a list of texts.") % {"name": name}})
