from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Vocational-education partnerships")

    def ready(self):
        import partnerships.search  # noqa: F401  (registers the `substring` lookup)
        from partnerships.services import roles_sync

        # Permissions only exist after migrate, so the role groups are synced after it too.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)
