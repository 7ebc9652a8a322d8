"""Time the ingest engine on real articles: python -m bench.ingest (make bench-ingest).

Three figures: the start-up (jieba's dictionary, the region names, the statistical model of
names), one 3,000-character article analysed (and again with the rules alone), and a folder of
1,000 articles (the corpus in tests/articles repeated) read and analysed, both in process and
through `manage.py ingest --dry-run` end to end.
With --adversarial: milliseconds per kilobyte (UTF-8) for each family of hostile texts in
tests/ingest/adversarial.py at growing sizes, and 有限公司 × 10,000 and a 100,000-character
article built from the corpus, each analysed once.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "articles"


def configure(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def write_folder(folder: Path, corpus: list[Path], articles: int) -> Path:
    """Write a folder of this many articles, copies of the corpus each told apart by its number."""
    folder.mkdir()
    for number in range(articles):
        source = corpus[number % len(corpus)]
        (folder / f"{number:04d}-{source.name}").write_text(source.read_text(encoding="utf-8") + f"\n{number}", encoding="utf-8")
    return folder


def time_article(text: str, snapshot) -> tuple[list[float], list[float], list[dict]]:
    """Return seven timings of one article read in full and seven with the rules alone (INGEST_MODEL=0), and its proposals."""
    from django.test import override_settings

    from partnerships.ingest.engine import analyse

    analyse(text, snapshot=snapshot)  # warm-up: jieba's HMM tables load on first use
    timings, rules_alone = [], []
    for _ in range(7):
        started = time.perf_counter()
        proposals = analyse(text, snapshot=snapshot)
        timings.append(time.perf_counter() - started)
        with override_settings(INGEST_MODEL=False):
            started = time.perf_counter()
            analyse(text, snapshot=snapshot)
            rules_alone.append(time.perf_counter() - started)
    return timings, rules_alone, proposals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many articles the folder holds")
    parser.add_argument("--length", type=int, default=3000, help="characters of the single article")
    parser.add_argument("--adversarial", action="store_true", help="time the hostile-text families instead")
    options = parser.parse_args()
    if options.adversarial:
        adversarial()
        return

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        configure(scratch / "bench.sqlite3")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_regions", stdout=open(os.devnull, "w"))

        from partnerships.ingest import article_text
        from partnerships.ingest.engine import analyse
        from partnerships.ingest.reading import file_format
        from partnerships.ingest.segment import base_segmenter, segmenter_for
        from partnerships.services import ingest_snapshot

        started = time.perf_counter()
        snapshot = ingest_snapshot()
        snapshot_seconds = time.perf_counter() - started
        started = time.perf_counter()
        base_segmenter()
        base_seconds = time.perf_counter() - started
        segmenter_for(snapshot)
        startup_seconds = time.perf_counter() - started

        from partnerships.ingest import ner

        started = time.perf_counter()
        model_loaded = ner.tagger() is not None
        model_seconds = time.perf_counter() - started

        corpus = sorted(ARTICLES.glob("*.txt"))
        texts = [path.read_text(encoding="utf-8") for path in corpus]
        long_text = "\n".join(texts * 10)[: options.length]
        timings, rules_alone, proposals = time_article(long_text, snapshot)

        folder = write_folder(scratch / "articles", corpus, options.articles)
        started = time.perf_counter()
        count = 0
        for path in sorted(folder.iterdir()):
            analyse(article_text(path.read_bytes(), name=path.name, format=file_format(path.name)), snapshot=snapshot)
            count += 1
        in_process = time.perf_counter() - started

        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "manage.py", "ingest", str(folder), "--dry-run", "--format", "json"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        command = time.perf_counter() - started
        assert completed.returncode == 0

    print(f"snapshot read from the database (regions only): {snapshot_seconds:.2f} s")
    print(
        f"segmenter start-up: jieba dictionary {base_seconds:.2f} s once a process, "
        f"then {startup_seconds - base_seconds:.2f} s for a snapshot of {len(snapshot.regions)} region names"
    )
    print(
        "statistical model (INGEST_MODEL): "
        + (f"loaded in {model_seconds:.2f} s once a process" if model_loaded else "off or not installed")
    )
    print(
        f"one {len(long_text)}-character article: median {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms over {len(timings)} runs ({len(proposals)} proposals); "
        f"rules alone (INGEST_MODEL=0) median {statistics.median(rules_alone) * 1000:.0f} ms"
    )
    print(f"{count} articles in process: {in_process:.1f} s, {count / in_process:.1f} articles/s")
    print(
        f"{count} articles through manage.py ingest --dry-run (start-up included): {command:.1f} s, "
        f"{count / command:.1f} articles/s"
    )


def adversarial() -> None:
    """Print ms per KB for each hostile family at three sizes: a constant that does not grow is linear work."""
    with tempfile.TemporaryDirectory() as scratch:
        configure(Path(scratch) / "bench.sqlite3")
        from partnerships.ingest import Snapshot
        from partnerships.ingest.engine import analyse
        from tests.ingest.adversarial import FAMILIES

        snapshot = Snapshot()
        analyse("预热", snapshot=snapshot)

        def timed(text: str) -> float:
            started = time.perf_counter()
            analyse(text, snapshot=snapshot)
            return time.perf_counter() - started

        print(f"{'family':26} {'units':>6} {'chars':>8} {'KB':>7} {'seconds':>8} {'ms/KB':>7}")
        for family, make in sorted(FAMILIES.items()):
            for units in (250, 1000, 4000):
                text = make(units)
                seconds = timed(text)
                kilobytes = len(text.encode()) / 1024
                print(f"{family:26} {units:>6} {len(text):>8} {kilobytes:>7.1f} {seconds:>8.2f} {seconds * 1000 / kilobytes:>7.1f}")
        corpus = "\n".join(path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt")))
        for label, text in (("有限公司 × 10,000", "有限公司" * 10_000), ("100,000-character article", (corpus * 200)[:100_000])):
            print(f"{label}: {timed(text):.2f} s")


if __name__ == "__main__":
    main()
