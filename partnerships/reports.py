"""The annual cooperation report (校企合作): one row per partner enterprise of a school, or of a region's schools, in a year.

The figures are those the 人才培养工作状态数据采集平台 asks for. A cell is filled only from
records that state it, and carries their citations; a figure no record states stays None.

Which records count, for a year Y and the schools S:
- a row is an enterprise (ENTERPRISE_KINDS) party to an agreement with a school of S that was
  signed in Y (both signing bounds within Y) or is in force in Y (its term begins by the end
  of Y and does not end before Y begins);
- a figure is a project quantity (ProjectQuantity.measure) of a project of an agreement between
  S and the enterprise, or funding (Funding.kind, in CNY, shown in 万元) of such an agreement
  or project. It belongs to the enterprise when it is the only one it can belong to: the
  funding's contributor, else the project's enterprise builders, else the enterprises party
  to its agreements with S; a figure that could belong to several is counted for none;
- a figure counts in its own `year`, or, without one, in the year its project was
  established (its agreement signed, for funding of an agreement) when that lies within one year;
- the month cooperation began is the signing month of the earliest agreement between S and
  the enterprise, where its signing bounds lie within one month.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partnerships.choices import FundingKindChoices, InstitutionKindChoices, ProjectQuantityMeasureChoices
from partnerships.dates import iso_month
from partnerships.models import (
    AgreementCitation,
    AgreementParty,
    Funding,
    FundingCitation,
    Institution,
    InstitutionCitation,
    ProjectAgreement,
    ProjectBuilder,
    ProjectQuantity,
    ProjectQuantityCitation,
)

ENTERPRISE_KINDS = (
    InstitutionKindChoices.ENTERPRISE,
    InstitutionKindChoices.HOLDING_GROUP,
    InstitutionKindChoices.EDUCATION_GROUP,
)
SCHOOL_KINDS = (
    InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL,
    InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE,
    InstitutionKindChoices.UNIVERSITY,
    InstitutionKindChoices.TECHNICIAN_COLLEGE,
    InstitutionKindChoices.SECONDARY_COLLEGE,
)
# The students of an order class's project count as students trained in order classes.
ORDER_CLASS_TYPE = "order-class"
TEN_THOUSAND = Decimal(10_000)


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    measure: str | None = None
    funding: str | None = None


Measure, Kind = ProjectQuantityMeasureChoices, FundingKindChoices
COLUMNS = (
    Column("enterprise_name", _("Full name of the enterprise")),
    Column("credit_code", _("Unified social credit code")),
    Column("cooperation_began", _("Month cooperation began")),
    Column("order_class_students", _("Students trained in order classes"), measure=Measure.ORDER_CLASS_STUDENTS),
    Column("courses", _("Courses developed jointly"), measure=Measure.COURSES),
    Column("textbooks", _("Textbooks developed jointly"), measure=Measure.TEXTBOOKS),
    Column("adjunct_teachers", _("Adjunct teachers provided to the school"), measure=Measure.ADJUNCT_TEACHERS),
    Column("interns", _("Students taken as interns"), measure=Measure.INTERNS),
    Column("equipment_donation", _("Equipment donated to the school (10,000 yuan)"), funding=Kind.EQUIPMENT_DONATION),
    Column("hires", _("Graduates hired"), measure=Measure.HIRES),
    Column("service_income", _("School's income from technical services (10,000 yuan)"), funding=Kind.SERVICE_INCOME),
    Column("training_person_days", _("Employee training by the school (person-days)"), measure=Measure.TRAINING_PERSON_DAYS),
)
MEASURE_COLUMNS = {column.measure: column.key for column in COLUMNS if column.measure}
FUNDING_COLUMNS = {column.funding: column.key for column in COLUMNS if column.funding}


def columns() -> list[dict]:
    """Return each column's key and label, in the active language and in Chinese."""
    with translation.override("zh-hans"):
        chinese = [str(column.label) for column in COLUMNS]
    return [
        {"key": column.key, "label": str(column.label), "label_zh": label_zh}
        for column, label_zh in zip(COLUMNS, chinese, strict=True)
    ]


def region_schools(region_ids: list[int]) -> QuerySet:
    """Return the ids of the schools in these regions."""
    return Institution.objects.filter(region__in=region_ids, kind__in=SCHOOL_KINDS).values("pk")


def cooperation_report(*, schools, year: int) -> dict:
    """Return the report's columns and one row per partner enterprise of the schools (ids or a query of ids) in the year."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    agreements = AgreementParty.objects.filter(institution__in=schools).values("agreement")
    links = AgreementParty.objects.filter(agreement__in=agreements, institution__kind__in=ENTERPRISE_KINDS).values_list(
        "institution_id", "agreement_id", "agreement__signed_earliest", "agreement__signed_latest",
        "agreement__signed_month", "agreement__valid_from", "agreement__valid_until",
    )
    enterprises_of = defaultdict(set)  # agreement id -> its enterprises
    signed_year = {}  # agreement id -> the year it was signed in, where its bounds lie within one
    earliest = {}  # enterprise -> (first signing bound, the agreements with that bound, their month or None)
    rows = set()
    for enterprise, agreement, signed_from, signed_to, month, valid_from, valid_until in links:
        enterprises_of[agreement].add(enterprise)
        if signed_from and signed_to and signed_from.year == signed_to.year:
            signed_year[agreement] = signed_from.year
        if signed_year.get(agreement) == year or (
            valid_from is not None and valid_from <= last and (valid_until is None or valid_until >= first)
        ):
            rows.add(enterprise)
        if signed_from is not None:
            known = earliest.get(enterprise)
            if known is None or signed_from < known[0]:
                earliest[enterprise] = (signed_from, [agreement], month)
            elif signed_from == known[0]:
                known[1].append(agreement)
                earliest[enterprise] = (signed_from, known[1], known[2] or month)

    cells = {enterprise: {} for enterprise in rows}
    project_links = ProjectAgreement.objects.filter(agreement__in=agreements).values_list(
        "project_id", "agreement_id", "project__project_type__code", "project__established_earliest",
        "project__established_latest",
    )
    project_agreements, project_type, project_year = defaultdict(set), {}, {}
    for project, agreement, type_code, established_from, established_to in project_links:
        if enterprises_of.get(agreement):
            project_agreements[project].add(agreement)
            project_type[project] = type_code
            if established_from and established_to and established_from.year == established_to.year:
                project_year[project] = established_from.year
    builders = defaultdict(set)
    for project, institution in ProjectBuilder.objects.filter(
        project__in=list(project_agreements), institution__kind__in=ENTERPRISE_KINDS
    ).values_list("project_id", "institution_id"):
        builders[project].add(institution)

    def owner(agreement_ids, candidates_of_record: set[int]) -> int | None:
        candidates = set().union(*(enterprises_of[agreement] for agreement in agreement_ids))
        if candidates_of_record:
            candidates &= candidates_of_record
        if len(candidates) != 1:
            return None
        (enterprise,) = candidates
        return enterprise if enterprise in rows else None

    figures = defaultdict(list)  # (enterprise, column key) -> [(value, approximate, citation model, record id)]
    quantities = ProjectQuantity.objects.filter(
        project__in=list(project_agreements), measure__in=[*MEASURE_COLUMNS, Measure.STUDENTS]
    ).values_list("pk", "project_id", "measure", "value", "approximate", "year")
    for pk, project, measure, value, approximate, figure_year in quantities:
        if measure == Measure.STUDENTS and project_type[project] != ORDER_CLASS_TYPE:
            continue
        key = MEASURE_COLUMNS.get(measure, "order_class_students")
        enterprise = owner(project_agreements[project], builders[project])
        if enterprise is not None and (figure_year or project_year.get(project)) == year:
            figures[enterprise, key].append((value, approximate, ProjectQuantityCitation, pk))
    fundings = Funding.objects.filter(
        Q(agreement__in=agreements) | Q(project__in=list(project_agreements)),
        kind__in=list(FUNDING_COLUMNS),
        currency="CNY",
    ).values_list("pk", "kind", "amount", "approximate", "year", "contributor_id", "agreement_id", "project_id")
    for pk, kind, amount, approximate, figure_year, contributor, agreement, project in fundings:
        if project is not None:
            agreement_ids, own_year = project_agreements[project], project_year.get(project)
        else:
            agreement_ids, own_year = {agreement}, signed_year.get(agreement)
        enterprise = owner(agreement_ids, {contributor} if contributor else builders.get(project, set()))
        if enterprise is not None and (figure_year or own_year) == year:
            figures[enterprise, FUNDING_COLUMNS[kind]].append((amount / TEN_THOUSAND, approximate, FundingCitation, pk))

    began = {
        enterprise: (month, agreement_ids)
        for enterprise, (_, agreement_ids, month) in earliest.items()
        if enterprise in rows and month is not None
    }
    quotes = _citations(
        {
            ProjectQuantityCitation: [pk for records in figures.values() for *_, model, pk in records if model is ProjectQuantityCitation],
            FundingCitation: [pk for records in figures.values() for *_, model, pk in records if model is FundingCitation],
            AgreementCitation: [agreement for _, agreement_ids in began.values() for agreement in agreement_ids],
            InstitutionCitation: list(rows),
        }
    )
    institutions = Institution.objects.filter(pk__in=rows).values_list("pk", "name", "credit_code")
    for enterprise, name, credit_code in institutions:
        own = quotes[InstitutionCitation].get(enterprise, [])
        cells[enterprise]["enterprise_name"] = {"value": name, "approximate": False, "citations": own}
        cells[enterprise]["credit_code"] = (
            {"value": credit_code, "approximate": False, "citations": own} if credit_code else None
        )
    for enterprise, (month, agreement_ids) in began.items():
        cited = [citation for agreement in agreement_ids for citation in quotes[AgreementCitation].get(agreement, [])]
        cells[enterprise]["cooperation_began"] = {"value": iso_month(month), "approximate": False, "citations": cited}
    for (enterprise, key), records in figures.items():
        cells[enterprise][key] = {
            "value": _number(sum(value for value, *_ in records)),
            "approximate": any(approximate for _, approximate, *_ in records),
            "citations": [citation for *_, model, pk in records for citation in quotes[model].get(pk, [])],
        }
    report_rows = [
        {"enterprise": enterprise, "cells": {column.key: row.get(column.key) for column in COLUMNS}}
        for enterprise, row in cells.items()
    ]
    report_rows.sort(key=lambda row: (row["cells"]["enterprise_name"]["value"], row["enterprise"]))
    return {"year": year, "columns": columns(), "rows": report_rows}


def _citations(records: dict) -> dict:
    """Return, per citation model, each record's citations as {source, title, quote}: one query per model."""
    found = {}
    for model, ids in records.items():
        found[model] = defaultdict(list)
        if not ids:
            continue
        rows = (
            model.objects.filter(record__in=set(ids))
            .order_by("record", "source__key", "position")
            .values_list("record_id", "source_id", "source__title", "quote")
        )
        for record, source, title, quote in rows:
            found[model][record].append({"source": source, "title": title, "quote": quote})
    return found


def _number(value: Decimal) -> int | float:
    """Return a figure as a JSON number: an integer when it is whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def table(report: dict) -> tuple[list[str], list[list]]:
    """Return the report's headers and rows of plain values, empty cells as None."""
    headers = [column["label"] for column in report["columns"]]
    rows = [
        [cell["value"] if cell else None for cell in (row["cells"][column["key"]] for column in report["columns"])]
        for row in report["rows"]
    ]
    return headers, rows


def sources_table(report: dict) -> tuple[list[str], list[list]]:
    """Return one row per citation behind a cell: the enterprise, the column, the value, the source and the quote."""
    headers = [str(_("Enterprise")), str(_("Column")), str(_("Value")), str(_("Source (id)")), str(_("Source")), str(_("Quote"))]
    labels = {column["key"]: column["label"] for column in report["columns"]}
    rows = []
    for row in report["rows"]:
        name = row["cells"]["enterprise_name"]["value"]
        for key, cell in row["cells"].items():
            for citation in (cell or {}).get("citations", []):
                rows.append([name, labels[key], cell["value"], citation["source"], citation["title"], citation["quote"]])
    return headers, rows
