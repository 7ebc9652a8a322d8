"""Who may do what: the analyst and editor roles, and the demo accounts."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

ANALYST_GROUP = "analyst"
EDITOR_GROUP = "editor"


def roles_sync() -> None:
    """Give the analyst group read access and the editor group write access to every record."""
    permissions = Permission.objects.filter(content_type__app_label="partnerships").exclude(
        content_type__model__startswith="historical"
    )
    analyst, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    editor, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    analyst.permissions.set(permissions.filter(codename__startswith="view_"))
    editor.permissions.set(permissions)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin-demo-2023", "superuser"),
    DemoAccount("editor", "editor-demo-2023", EDITOR_GROUP),
    DemoAccount("analyst", "analyst-demo-2023", ANALYST_GROUP),
)


@transaction.atomic
def demo_accounts_create() -> list[tuple[DemoAccount, bool]]:
    """Create the demo admin, editor and analyst where missing; return each with whether it was new."""
    roles_sync()
    results = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"is_staff": True, "is_superuser": account.role == "superuser"},
        )
        if created:
            user.set_password(account.password)
            user.save()
            if account.role != "superuser":
                user.groups.add(Group.objects.get(name=account.role))
        results.append((account, created))
    return results
