from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class RolePermission(DjangoModelPermissions):
    """Let readers (view permission) read and editors (add/change/delete) write.

    Unlike DRF's default, reading needs the view permission too, so an
    authenticated user outside the analyst and editor groups reads nothing.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class SavedViewPermission(BasePermission):
    """Let whoever reads the records keep views of their own; only a view's owner changes or deletes it.

    Analysts otherwise only read: a saved view is theirs, not a shared record.
    """

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("partnerships.view_savedview"))

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or obj.owner_id == request.user.pk
