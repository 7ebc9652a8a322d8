"""The migrations for real articles carry a database at 0003 forward with nothing lost.

Runs manage.py on a database of its own (a file on SQLite, a scratch database on PostgreSQL),
so the suite's test database stays at the latest schema.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "0003_agreement_order_newest_first_undated_last"

# Rows as the seed fixtures hold them, written through the models of 0003.
FILL_AT_0003 = """
import datetime, hashlib
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
apps = MigrationExecutor(connection).loader.project_state(("partnerships", "%(before)s")).apps
M = lambda name: apps.get_model("partnerships", name)
text = "学大教育集团同赣州师范高等专科学校签署合作协议。"
M("SourceDocument").objects.create(key="seed", title="报道", publisher="21世纪教育网", text=text,
    checksum=hashlib.sha256(text.encode()).hexdigest())
college = M("Institution").objects.create(name="赣州师范高等专科学校", kind="higher_vocational_college")
M("InstitutionAlias").objects.create(institution=college, name="赣州师专", kind="short")
d = datetime.date
M("Event").objects.create(reference="VISIT", title="考察调研", kind="visit", start_date=d(2023, 11, 28),
    end_date=d(2023, 11, 29), date_precision="day")
M("Event").objects.create(reference="POLICY", title="政策", kind="policy", date_precision="unknown")
M("Event").objects.create(reference="ONE-BOUND", title="座谈", kind="meeting", start_date=d(2022, 5, 1), date_precision="range")
M("Agreement").objects.create(reference="A1", title="合作协议", kind="cooperation_agreement", signed_earliest=d(2023, 11, 28),
    signed_latest=d(2023, 11, 29), signed_precision="range")
M("Agreement").objects.create(reference="A2", title="意向", kind="strategic_intent", signed_earliest=d(2023, 9, 1),
    signed_latest=d(2023, 11, 30), signed_precision="month")
"""

READ_AT_LATEST = """
import json
from partnerships import models as m
source = m.SourceDocument.objects.get()
print(json.dumps({
    "source": [source.publisher_name, source.publisher_id, source.checksum == m.text_checksum(source.text),
               source.text_normalized == source.text],
    "institution": list(m.Institution.objects.values_list("name", "name_folded")),
    "alias": list(m.InstitutionAlias.objects.values_list("name", "name_folded")),
    "events": {e.reference: [e.kind, e.kinds, str(e.start_date), str(e.end_date), e.date_precision, e.date_text]
               for e in m.Event.objects.all()},
    "agreements": {a.reference: [a.kind, str(a.signed_earliest), str(a.signed_latest), a.signed_precision]
                   for a in m.Agreement.objects.all()},
}, ensure_ascii=False))
"""


def manage(database_url: str, *args: str, env: dict | None = None) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", **(env or {})}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_database_at_0003_migrates_forward_with_nothing_lost(scratch_database):
    manage(scratch_database, "migrate", "partnerships", BEFORE, "--no-input")
    manage(scratch_database, "shell", "--no-imports", "-c", FILL_AT_0003 % {"before": BEFORE})

    manage(scratch_database, "migrate", "--no-input")
    state = json.loads(manage(scratch_database, "shell", "--no-imports", "-c", READ_AT_LATEST))

    # The publisher's name is kept as text; the publishing institution is left for an editor to set.
    assert state["source"] == ["21世纪教育网", None, True, True]
    assert state["institution"] == [["赣州师范高等专科学校", "赣州师范高等专科学校"]]
    assert state["alias"] == [["赣州师专", "赣州师专"]]
    assert state["events"] == {
        # Two days stored as "day": the bounds are kept and the precision says what they are.
        "VISIT": ["visit", ["visit"], "2023-11-28", "2023-11-29", "range", ""],
        "POLICY": ["policy", ["policy"], "None", "None", "unknown", ""],
        # A single bound is not a pair of bounds: kept as written, for an editor to settle.
        "ONE-BOUND": ["meeting", ["meeting"], "None", "None", "unknown", "2022-05-01"],
    }
    assert state["agreements"] == {
        "A1": ["cooperation_agreement", "2023-11-28", "2023-11-29", "range"],
        "A2": ["strategic_intent", "2023-09-01", "2023-11-30", "range"],
    }
