"""What cooperation creates: projects, the institutions that build them, their quantities and funding."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import (
    FundingKindChoices,
    ProjectBuilderRoleChoices,
    ProjectQuantityMeasureChoices,
    ProjectStatusChoices,
)

from .agreements import Agreement, ProjectType, new_reference
from .base import DateAsWritten, DatedModel, NaturalKeyMixin, NaturalKeyQuerySet, TrackedModel, citation_model

ESTABLISHED = DateAsWritten(
    "established",
    "established_earliest",
    "established_latest",
    "established_precision",
    "established_text",
    "established_basis",
)


def report_year_field() -> models.PositiveSmallIntegerField:
    """Return the field of the year a figure is for, as the annual cooperation report counts it."""
    return models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_(
            "The year the figure is for, where the source says; otherwise the year its project was established "
            "(or its agreement signed) counts."
        ),
    )


class ProjectAgreement(models.Model):
    """A project's link to an agreement it comes from: the agreement cannot be deleted while a project cites it.

    The table is the one Django created for the plain many-to-many field; deleting the
    agreement used to drop the link silently, so a project lost where it came from.
    """

    project = models.ForeignKey("partnerships.Project", on_delete=models.CASCADE, verbose_name=_("project"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, verbose_name=_("agreement"))

    class Meta:
        db_table = "partnerships_project_agreements"
        unique_together = [("project", "agreement")]
        verbose_name = _("project from this agreement")
        verbose_name_plural = _("projects from this agreement")

    def __str__(self):
        return str(self.project)


class Project(NaturalKeyMixin, DatedModel, TrackedModel):
    """A concrete thing cooperation sets up: an industry college, a training base, an order class, a zone."""

    reference = models.CharField(
        _("reference"), max_length=64, unique=True, default=new_reference, help_text=_("Stable identifier used by fixtures and reports.")
    )
    name = models.CharField(_("name"), max_length=300, help_text=_("As the source names it, e.g. 信发产业学院."))
    project_type = models.ForeignKey(
        ProjectType, on_delete=models.PROTECT, related_name="projects", verbose_name=_("project type")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatusChoices, default=ProjectStatusChoices.PLANNED
    )
    established_earliest, established_latest, established_precision, established_text, established_basis = (
        ESTABLISHED.fields(_("established"))
    )
    region = models.ForeignKey(
        "partnerships.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("region")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="projects", through=ProjectAgreement, verbose_name=_("agreements")
    )
    institution = models.ForeignKey(
        "partnerships.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_by_projects",
        verbose_name=_("institution created"),
        help_text=_("The institution the project creates, where it creates one, e.g. an industry college."),
    )

    history = HistoricalRecords(
        m2m_fields=[agreements],
        custom_model_name=lambda name: "HistoricalProject_agreements" if name == "ProjectAgreement" else f"Historical{name}",
    )
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("reference",)
    DATES = (ESTABLISHED,)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [*ESTABLISHED.constraints()]

    def __str__(self):
        return self.name



class ProjectBuilder(NaturalKeyMixin, TrackedModel):
    """An institution that builds a project, with its role."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="builders", verbose_name=_("project"))
    institution = models.ForeignKey(
        "partnerships.Institution", on_delete=models.PROTECT, related_name="built_projects", verbose_name=_("institution")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=ProjectBuilderRoleChoices, default=ProjectBuilderRoleChoices.CO_BUILDER
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("project__reference", "institution__name")

    class Meta:
        ordering = ["project", "role", "institution"]
        verbose_name = _("project builder")
        verbose_name_plural = _("project builders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "institution"],
                name="%(app_label)s_%(class)s_unique_institution",
                violation_error_message=_("This institution already builds this project."),
            ),
        ]

    def __str__(self):
        return f"{self.institution} ({self.get_role_display()})"


class ProjectQuantity(NaturalKeyMixin, TrackedModel):
    """A number a source gives about a project: students, classes, area; 约 and 余 make it approximate."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="quantities", verbose_name=_("project"))
    measure = models.CharField(_("measure"), max_length=32, choices=ProjectQuantityMeasureChoices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=32, blank=True, help_text=_("As written, e.g. 名, 个, 平方米."))
    approximate = models.BooleanField(_("approximate"), default=False, help_text=_("The source says 约, 余 or 多."))
    year = report_year_field()

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("project__reference", "measure")

    class Meta:
        ordering = ["project", "measure"]
        verbose_name = _("project quantity")
        verbose_name_plural = _("project quantities")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "measure"],
                name="%(app_label)s_%(class)s_unique_measure",
                violation_error_message=_("This project already has this quantity."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="%(app_label)s_%(class)s_not_negative",
                violation_error_message=_("A quantity cannot be negative."),
            ),
        ]

    def __str__(self):
        about = "≈" if self.approximate else ""
        return f"{self.get_measure_display()} {about}{self.value.normalize():f}{self.unit}"


class Funding(NaturalKeyMixin, TrackedModel):
    """Money for a project or an agreement: how much, in which currency, what kind, from whom."""

    reference = models.CharField(_("reference"), max_length=64, unique=True, default=new_reference)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CNY",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("A currency is a three-letter ISO 4217 code, e.g. CNY."))],
        help_text=_("ISO 4217 code."),
    )
    approximate = models.BooleanField(_("approximate"), default=False, help_text=_("The source says 约, 余 or 预计."))
    kind = models.CharField(_("kind"), max_length=32, choices=FundingKindChoices, default=FundingKindChoices.INVESTMENT)
    contributor = models.ForeignKey(
        "partnerships.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("contributor"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="fundings", verbose_name=_("project")
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="fundings", verbose_name=_("agreement")
    )
    year = report_year_field()

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("reference",)

    class Meta:
        ordering = ["-amount", "id"]
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, agreement__isnull=True) | Q(project__isnull=True, agreement__isnull=False),
                name="%(app_label)s_%(class)s_funds_one_thing",
                violation_error_message=_("Funding goes to exactly one project or one agreement."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self):
        about = "≈" if self.approximate else ""
        return f"{about}{self.amount.normalize():f} {self.currency} ({self.get_kind_display()})"


ProjectCitation = citation_model(Project, _("project citation"), _("project citations"))
ProjectBuilderCitation = citation_model(ProjectBuilder, _("project builder citation"), _("project builder citations"))
ProjectQuantityCitation = citation_model(ProjectQuantity, _("project quantity citation"), _("project quantity citations"))
FundingCitation = citation_model(Funding, _("funding citation"), _("funding citations"))
