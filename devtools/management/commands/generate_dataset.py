import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from devtools.dataset import Counts, dataset_generate


class Command(BaseCommand):
    help = (
        "Fill empty tables with a synthetic national dataset: institutions, officials, agreements, "
        "sources and citations (COPY on PostgreSQL). Load the regions first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=10_000, help="Number of agreements (default 10000).")
        parser.add_argument(
            "--institutions", type=int, help="Number of institutions (default: a tenth of the agreements)."
        )
        parser.add_argument("--people", type=int, help="Number of officials (default: 0.3 per agreement).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")

    def handle(self, *args, agreements, institutions, people, seed, **options):
        if agreements < 1:
            raise CommandError(_("--agreements must be at least 1."))
        counts = Counts.for_agreements(agreements, institutions, people)
        started = time.monotonic()
        with tqdm(total=agreements, unit=_("agreements"), disable=options["verbosity"] < 1, file=self.stderr) as bar:

            def progress(phase: str, done: int) -> None:
                bar.set_description(phase[:40])
                bar.update(done)

            try:
                result = dataset_generate(counts=counts, seed=seed, progress=progress)
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from error
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            _("Generated %(summary)s in %(seconds).0f s.")
            % {
                "summary": ", ".join(f"{name} {count}" for name, count in result.counts.items()),
                "seconds": time.monotonic() - started,
            }
        )
