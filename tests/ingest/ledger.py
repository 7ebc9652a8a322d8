"""Score articles against their answer keys and keep the ledger of first reads (tests/articles/LEDGER.md).

    python -m tests.ingest.ledger score SLUG [SLUG ...] [--record] [--dir DIR]
    python -m tests.ingest.ledger report [--newest 20]
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ingest.scoring import FIELDS, Score, report_lines, score, total

ROOT = Path(__file__).resolve().parent.parent.parent
ARTICLES = ROOT / "tests" / "articles"
LEDGER = ARTICLES / "LEDGER.json"


def slugs(directory: Path = ARTICLES) -> list[str]:
    """Return the slugs of the articles in a directory (each a .txt beside its .json and .key.json)."""
    return sorted(path.stem for path in directory.glob("*.txt"))


def load(slug: str, directory: Path = ARTICLES) -> tuple[str, dict, dict]:
    """Return an article's text, its meta (url, publisher, published_on) and its answer key."""
    text = (directory / f"{slug}.txt").read_text(encoding="utf-8")
    meta = json.loads((directory / f"{slug}.json").read_text(encoding="utf-8"))
    key = json.loads((directory / f"{slug}.key.json").read_text(encoding="utf-8"))
    return text, meta, key


def read(text: str, meta: dict, snapshot) -> list[dict]:
    """Return the engine's proposals for an article, given what its page says of publisher and date."""
    from partnerships.ingest import analyse

    published = datetime.date.fromisoformat(meta["published_on"]) if meta.get("published_on") else None
    return analyse(text, snapshot=snapshot, published=published, publisher=meta.get("publisher"), url=meta.get("url"))


def read_ledger() -> dict:
    """Return the ledger: the tuned articles and the first-read entries, oldest first."""
    if not LEDGER.exists():
        return {"tuned": [], "first_reads": []}
    return json.loads(LEDGER.read_text(encoding="utf-8"))


def write_ledger(ledger: dict) -> None:
    LEDGER.write_text(json.dumps(ledger, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def tuned() -> set[str]:
    """Return the slugs the engine has been tuned on, which the per-article targets of test_corpus hold."""
    return set(read_ledger()["tuned"])


def engine_commit() -> str:
    """Return the short commit the engine ran at, marked +dirty when partnerships/ has uncommitted changes."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "partnerships"], cwd=ROOT, capture_output=True, text=True)
    return commit.strip() + ("+dirty" if dirty.stdout.strip() else "")


def snapshot():
    """Return the snapshot test_corpus reads with: the real regions and vocabularies, no institutions or people.

    A throwaway test database (in memory on SQLite) keeps the figures independent of whatever a local
    database holds.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.db import connection

    from partnerships.services import ingest_snapshot, regions_load

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        regions_load()
        return ingest_snapshot()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def score_articles(names: list[str], directory: Path = ARTICLES, known=None) -> list[Score]:
    """Run the engine once on each named article and score it against its key."""
    known = known if known is not None else snapshot()
    scores = []
    for slug in names:
        text, meta, key = load(slug, directory)
        scores.append(score(slug, read(text, meta, known), key, text))
    return scores


def figures(result: Score) -> dict[str, list[int]]:
    return {field: list(getattr(result, field)) for field in FIELDS}


def from_figures(slug: str, entry: dict) -> Score:
    return Score(slug, **{field: tuple(entry.get(field, (0, 0))) for field in FIELDS})


def command_score(args) -> int:
    directory = Path(args.dir)
    missing = [slug for slug in args.slugs if not (directory / f"{slug}.key.json").exists()]
    if missing:
        print(f"no article with an answer key in {directory}: {', '.join(missing)}", file=sys.stderr)
        return 2
    ledger = read_ledger()
    if args.record and directory.resolve() != ARTICLES.resolve():
        # A first read in the ledger names an article test_corpus reads, so it is recorded from tests/articles only.
        print("--record reads the articles in tests/articles/: copy them there first", file=sys.stderr)
        return 2
    if args.record:
        recorded = {entry["slug"] for entry in ledger["first_reads"]} & set(args.slugs)
        if recorded:
            print(f"already read once, not recorded again: {', '.join(sorted(recorded))}", file=sys.stderr)
            return 1
    scores = score_articles(args.slugs, directory)
    width = max(34, *(len(slug) for slug in args.slugs))
    print("\n".join(report_lines(scores, width)))
    if args.record:
        today, commit = datetime.datetime.now(datetime.UTC).date().isoformat(), engine_commit()
        for result in scores:
            ledger["first_reads"].append({"slug": result.article, "date": today, "engine": commit, **figures(result)})
        write_ledger(ledger)
        print(f"recorded {len(scores)} first reads at engine {commit} in {LEDGER.relative_to(ROOT)}")
    return 0


def command_report(args) -> int:
    ledger = read_ledger()
    newest = ledger["first_reads"][-args.newest :] if args.newest else []
    width = max([34] + [len(entry["slug"]) for entry in newest])
    print(f"First reads, the newest {len(newest)} of {len(ledger['first_reads'])} (the honest estimate):")
    print("\n".join(report_lines([from_figures(entry["slug"], entry) for entry in newest], width)))
    print()
    names = slugs()
    scores = score_articles(names)
    print(f"Every article in tests/articles/ read by the current engine ({engine_commit()}):")
    print("\n".join(report_lines(scores, max(34, *(len(slug) for slug in names)))))
    on_tuned = total([s for s in scores if s.article in set(ledger["tuned"])], "tuned articles only")
    print(" ".join(f"{field} {Score.ratio(getattr(on_tuned, field)):.0%}" for field in FIELDS), f"({on_tuned.article})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ingest.ledger", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    scoring = commands.add_parser("score", help="score articles; --record appends their first reads to the ledger")
    scoring.add_argument("slugs", nargs="+")
    scoring.add_argument("--record", action="store_true", help="append a first-read entry per article (once per slug)")
    scoring.add_argument("--dir", default=str(ARTICLES), help="where the articles are (default tests/articles)")
    reporting = commands.add_parser("report", help="the newest first reads' totals and the whole corpus's score")
    reporting.add_argument("--newest", type=int, default=20)
    args = parser.parse_args(argv)
    return command_score(args) if args.command == "score" else command_report(args)


if __name__ == "__main__":
    sys.exit(main())
