import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from tqdm import tqdm

from partnerships.ingest import ArticleError, article_text
from partnerships.ingest.reading import check_size, file_format
from partnerships.services import IngestError, ingest_analyse, ingest_queue, ingest_save, ingest_snapshot

_ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(value) from None


class Command(BaseCommand):
    help = (
        "Read an article (a .txt or .html file, or a folder of them), propose the records it states with their quotes, "
        "and save them with citations in one transaction (history reason \"ingest\"). With --dry-run nothing is stored; "
        "with --queue each article waits as a pending article for review in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("An article file, or a folder of articles."))
        parser.add_argument("--url", default="", help=_("Where the article was published."))
        parser.add_argument("--published", type=iso_date, help=_("Publication date, YYYY-MM-DD."))
        parser.add_argument("--publisher", help=_("Who published it; 学院, 我校 and 我院 in the text resolve to it."))
        parser.add_argument("--dry-run", action="store_true", help=_("Propose only; change nothing."))
        parser.add_argument(
            "--queue", action="store_true", help=_("Keep each article as a pending article for review in the admin; save no records.")
        )
        parser.add_argument("--format", choices=("text", "json"), default="text", help=_("Output format."))

    def handle(self, *args, **options):
        try:
            self._handle(**options)
        except DatabaseError as error:
            raise CommandError(
                _("The database cannot be used (%(error)s); run migrate and load_regions first. Nothing was stored.")
                % {"error": error}
            ) from error

    def _handle(self, *, path: Path, url, published, publisher, dry_run, queue, format, **options):
        if dry_run and queue:
            raise CommandError(_("Give --dry-run or --queue, not both."))
        files = self._files(path)
        snapshot = ingest_snapshot()
        if not snapshot.regions:
            self.stderr.write(_("No regions are loaded: short forms such as 区教育局 stay unresolved (run load_regions)."))
        outputs, failures = [], []
        progress = tqdm(files, file=sys.stderr, unit=_("article"), disable=len(files) == 1)
        for file in progress:
            stated = self._sidecar(file) if path.is_dir() else {}
            try:
                outputs.append(
                    self._one(
                        file,
                        url=url or stated.get("url") or "",
                        published=published or self._stated_date(stated),
                        publisher=publisher or stated.get("publisher"),
                        dry_run=dry_run,
                        queue=queue,
                        snapshot=snapshot,
                    )
                )
            except (ArticleError, IngestError) as error:
                failures.append(f"{file}: {error}")
        self._write(outputs, several=len(files) > 1, format=format)
        if failures:
            raise CommandError("\n".join(failures))

    @staticmethod
    def _files(path: Path) -> list[Path]:
        """Return the article at PATH, or the articles in the folder PATH, in name order."""
        if path.is_dir():
            files = sorted(item for item in path.iterdir() if item.suffix.lower() in _ARTICLE_SUFFIXES and item.is_file())
            if not files:
                raise CommandError(_("%(path)s holds no .txt or .html articles.") % {"path": path})
            return files
        if path.is_file():
            return [path]
        raise CommandError(_("%(path)s does not exist.") % {"path": path})

    def _write(self, outputs: list[dict], *, several: bool, format: str) -> None:
        """Write one JSON object (a folder's: {"articles": [...]}) or a line per article."""
        if format == "json":
            if several:
                self.stdout.write(json.dumps({"articles": outputs}, ensure_ascii=False))
            elif outputs:
                self.stdout.write(json.dumps(outputs[0], ensure_ascii=False))
        else:
            for output in outputs:
                self.stdout.write(self._summary(output))

    def _one(self, file: Path, *, url, published, publisher, dry_run, queue, snapshot) -> dict:
        check_size(file.stat().st_size, name=str(file))
        try:
            data = file.read_bytes()
        except OSError as error:
            raise ArticleError(_("%(name)s cannot be read: %(error)s") % {"name": file, "error": error.strerror}) from error
        text = article_text(data, name=str(file), format=file_format(file.name))
        # A saved article adds names the next one should match: read them again after each save.
        snapshot = snapshot if dry_run or queue else ingest_snapshot()
        result = ingest_analyse(
            text=text, url=url, published=published, publisher=publisher, snapshot=snapshot, interactive=False
        )
        output = {"path": str(file), **result.as_json()}
        if queue:
            output["queued"] = ingest_queue(text=text, result=result, file_name=file.name).pk
        elif not dry_run:
            output["saved"] = ingest_save(text=text, result=result)
        return output

    @staticmethod
    def _sidecar(file: Path) -> dict:
        """Return what the article's <name>.json beside it states (url, publisher, published_on), if anything."""
        try:
            stated = json.loads(file.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return stated if isinstance(stated, dict) else {}

    @staticmethod
    def _stated_date(stated: dict) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(stated.get("published_on") or "")
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _summary(output: dict) -> str:
        kinds: dict[str, int] = {}
        for proposal in output["proposals"]:
            kinds[proposal["kind"]] = kinds.get(proposal["kind"], 0) + 1
        proposed = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
        line = _("%(path)s: proposed %(proposed)s.") % {"path": output["path"], "proposed": proposed or _("nothing")}
        if "queued" in output:
            line += " " + _("Queued for review as pending article %(id)s.") % {"id": output["queued"]}
        elif "saved" in output:
            saved = ", ".join(f"{key} {value}" for key, value in output["saved"].items())
            line += " " + _("Saved: %(saved)s.") % {"saved": saved}
        return line
