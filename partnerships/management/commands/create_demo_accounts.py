from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.services import demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo admin, editor and analyst accounts if missing (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo accounts are never created with production settings (DEBUG is off)."))
        for account, created in demo_accounts_create():
            state = _("new") if created else _("already there")
            self.stdout.write(f"  {account.role:<10} {account.username} / {account.password}  ({state})")
