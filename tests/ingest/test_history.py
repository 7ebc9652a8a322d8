"""What ingest writes, its history says: every tracked row equals its latest history row."""

import datetime
import json
from pathlib import Path

import pytest
from simple_history.models import registered_models

from partnerships.models import AgreementParty
from partnerships.services import ingest_analyse, ingest_save

CHIPING = Path(__file__).resolve().parent.parent / "articles" / "liaocheng-jishi-chiping"


def history_disagreements() -> list[str]:
    """Return, for every row of a model with history, each field where the row and its latest history row differ."""
    problems = []
    for model in registered_models.values():
        if not hasattr(model, "history"):
            continue  # a many-to-many through table: its rows carry no history of their own
        tracked = {field.attname for field in model.history.model._meta.fields}
        fields = [field.attname for field in model._meta.concrete_fields if field.attname in tracked]
        for row in model._base_manager.all():
            latest = model.history.model.objects.filter(**{model._meta.pk.attname: row.pk}).order_by("-history_date", "-history_id").first()
            if latest is None:
                problems.append(f"{model.__name__} {row.pk}: no history")
                continue
            problems.extend(
                f"{model.__name__} {row.pk} {name}: row {getattr(row, name)!r}, history {getattr(latest, name)!r}"
                for name in fields
                if getattr(row, name) != getattr(latest, name)
            )
    return problems


@pytest.mark.django_db
def test_every_row_an_ingest_writes_equals_its_latest_history_row():
    stated = json.loads(CHIPING.with_suffix(".json").read_text(encoding="utf-8"))
    text = CHIPING.with_suffix(".txt").read_text(encoding="utf-8")
    result = ingest_analyse(
        text=text, url=stated.get("url") or "", published=stated.get("published_on") and datetime.date.fromisoformat(stated["published_on"]), publisher=stated.get("publisher")
    )
    ingest_save(text=text, result=result)
    assert AgreementParty.objects.exists()
    assert history_disagreements() == []
