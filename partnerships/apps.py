from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Vocational-education partnerships")

    def ready(self):
        from django.contrib.auth.models import Group, Permission, User
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
        from rest_framework.authtoken.models import Token

        import partnerships.search  # noqa: F401  (registers the `substring` lookup)
        from partnerships.backends import permissions_changed
        from partnerships.services import roles_sync

        # Cached permission sets (partnerships/backends.py) go stale with any change of roles.
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=f"permissions-{through.__name__}")
        for model in (User, Group, Permission):
            post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"permissions-{model.__name__}-deleted")

        # Cached tokens (partnerships/api/authentication.py) go with their token's or user's change.
        from partnerships.api.authentication import (
            end_tokens_on_password_change,
            forget_token,
            forget_tokens_of_user,
            note_password_change,
        )

        for signal in (post_save, post_delete):
            signal.connect(forget_token, sender=Token, dispatch_uid=f"token-cache-{signal is post_save}")
        # A deleted user's tokens are deleted with it, each forgotten by its own signal.
        post_save.connect(forget_tokens_of_user, sender=User, dispatch_uid="token-cache-user-saved")
        # A new password ends the user's tokens, as it ends the user's sessions.
        pre_save.connect(note_password_change, sender=User, dispatch_uid="token-password-noted")
        post_save.connect(end_tokens_on_password_change, sender=User, dispatch_uid="token-password-changed")

        # Rollups on the agreement row (partnerships/models/rollups.py) follow every write they depend on:
        # deletes too, which a queryset delete makes without delete().
        from partnerships.models import (
            Agreement,
            AgreementParty,
            AgreementProjectType,
            Event,
            Institution,
            InstitutionAlias,
            rollups,
        )

        receivers = [
            (pre_save, rollups.party_before_save, AgreementParty),
            (post_save, rollups.party_saved, AgreementParty),
            (post_delete, rollups.party_deleted, AgreementParty),
            (post_save, rollups.agreement_saved, Agreement),
            (post_save, rollups.event_saved, Event),
            (post_save, rollups.institution_saved, Institution),
            (pre_save, rollups.alias_before_save, InstitutionAlias),
            (post_save, rollups.alias_saved, InstitutionAlias),
            (post_delete, rollups.alias_deleted, InstitutionAlias),
            (post_save, rollups.type_link_saved, AgreementProjectType),
            (m2m_changed, rollups.type_links_added, AgreementProjectType),
            (post_delete, rollups.type_link_deleted, AgreementProjectType),
        ]
        for signal, receiver, model in receivers:
            signal.connect(receiver, sender=model, dispatch_uid=f"rollups-{receiver.__name__}")

        # Cached region subtrees (partnerships/models/regions.py) go stale with any change of a region.
        from partnerships.models import Region
        from partnerships.models.regions import regions_changed

        for signal in (post_save, post_delete):
            signal.connect(regions_changed, sender=Region, dispatch_uid=f"region-subtrees-{signal is post_save}")

        # Permissions only exist after migrate, so the role groups are synced after it too.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)
