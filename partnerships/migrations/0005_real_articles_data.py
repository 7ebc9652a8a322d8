"""Bring stored rows in line with the rules of 0006: derived columns filled, dates matching their precision."""

import hashlib

from django.db import migrations

from partnerships.text import to_simplified


def derive_columns(apps, schema_editor):
    SourceDocument = apps.get_model("partnerships", "SourceDocument")
    for source in SourceDocument.objects.only("pk", "text").iterator():
        SourceDocument.objects.filter(pk=source.pk).update(
            checksum=hashlib.sha256(source.text.encode("utf-8")).hexdigest(), text_normalized=to_simplified(source.text)
        )
    for name in ("Institution", "InstitutionAlias"):
        model = apps.get_model("partnerships", name)
        for record in model.objects.only("pk", "name").iterator():
            model.objects.filter(pk=record.pk).update(name_folded=to_simplified(record.name))
    Institution = apps.get_model("partnerships", "Institution")
    seen, clashes = {}, []
    for pk, name, folded in Institution.objects.values_list("pk", "name", "name_folded").order_by("pk"):
        if folded in seen:
            clashes.append(f"{seen[folded]} / {name}")
        seen.setdefault(folded, name)
    if clashes:
        raise RuntimeError(
            "These institutions have one name in two scripts; merge them before migrating: " + "; ".join(clashes)
        )


def fit_dates(model, earliest: str, latest: str, precision: str, text: str, basis: str):
    """Give every stored date a precision its bounds satisfy, keeping every bound that was stored."""
    for record in model.objects.all().iterator():
        low, high, kind = getattr(record, earliest), getattr(record, latest), getattr(record, precision)
        changes = {}
        if low is None and high is None:
            if kind != "unknown":
                changes[precision] = "unknown"
        elif low is None or high is None:
            # One bound alone says too little for bounds: it is kept as written, for an editor to settle.
            changes = {earliest: None, latest: None, precision: "unknown", text: (low or high).isoformat(), basis: "editor"}
        elif (
            kind == "unknown"
            or (kind == "day" and low != high)
            or (kind == "month" and (low.year, low.month) != (high.year, high.month))
            or (kind == "year" and low.year != high.year)
        ):
            changes[precision] = "range"
        if changes:
            model.objects.filter(pk=record.pk).update(**changes)


def fit_all_dates(apps, schema_editor):
    Event = apps.get_model("partnerships", "Event")
    Agreement = apps.get_model("partnerships", "Agreement")
    fit_dates(Event, "start_date", "end_date", "date_precision", "date_text", "date_basis")
    fit_dates(Agreement, "signed_earliest", "signed_latest", "signed_precision", "signed_text", "signed_basis")


class Migration(migrations.Migration):

    dependencies = [
        ("partnerships", "0004_real_articles_fields"),
    ]

    operations = [
        migrations.RunPython(derive_columns, migrations.RunPython.noop),
        migrations.RunPython(fit_all_dates, migrations.RunPython.noop),
    ]
