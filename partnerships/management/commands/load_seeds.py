from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.services import SeedError, seeds_load


class Command(BaseCommand):
    help = (
        "Load the seed documents (seeds/, checked against seeds/manifest.json) and the fixtures built from them "
        "(fixtures/) in one transaction, checking every quote; idempotent. Run load_regions first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds-dir", type=Path, help=_("Folder of the seed texts and their manifest (default: seeds/).")
        )
        parser.add_argument("--fixtures-dir", type=Path, help=_("Folder of the JSON fixtures (default: fixtures/)."))

    def handle(self, *args, seeds_dir, fixtures_dir, **options):
        try:
            result = seeds_load(seeds_dir=seeds_dir, fixtures_dir=fixtures_dir)
        except SeedError as error:
            raise CommandError(_("Nothing was loaded. %(error)s") % {"error": error}) from error
        self.stdout.write(
            _(
                "Seeds: %(documents)d document(s); records and citations: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged; %(checked)d quotes checked."
            )
            % {
                "documents": result.documents,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "checked": result.citations_checked,
            }
        )
