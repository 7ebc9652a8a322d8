"""Token authentication whose tokens expire (TOKEN_TTL) and can be revoked (deleting the token).

A token and its user are kept in Django's cache for a short while (TOKEN_CACHE_TIMEOUT), so
that an API request costs no query to find who asks. A user's tokens are deleted when the
password changes, as Django's sessions end then. Deleting or replacing a token, and saving
or deleting its user (deactivated, password changed; a deleted user's tokens go with it), removes the entry at once in every
process that shares the cache (Redis, CACHE_URL); a process with its own local-memory cache
may go on accepting a revoked token for at most the lifetime, as it does with permissions
(partnerships/backends.py). Changes that bypass signals (a queryset update) wait for the
lifetime too.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

TOKEN_CACHE_TIMEOUT = 30  # seconds


def token_expired(token) -> bool:
    return token.created + settings.TOKEN_TTL <= timezone.now()


def _cache_key(key: str) -> str:
    return f"partnerships:token:{key}"


def forget_token(sender=None, instance=None, **kwargs) -> None:
    """Drop a cached token (connected to a token's save and delete)."""
    if instance is not None:
        cache.delete(_cache_key(instance.key))


def forget_tokens_of_user(sender=None, instance=None, created=False, **kwargs) -> None:
    """Drop the cached tokens of a user (connected to a user's save); a new user has none."""
    if instance is not None and not created:
        cache.delete_many([_cache_key(key) for key in Token.objects.filter(user=instance).values_list("key", flat=True)])


def note_password_change(sender=None, instance=None, raw=False, update_fields=None, **kwargs) -> None:
    """Mark a user about to be saved with a new password (connected to a user's pre_save)."""
    if raw or instance is None or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if update_fields is not None and set(update_fields) == {"password"} and instance._password is None:
        # Django re-hashing the same password at a login (a stronger hasher): the password is unchanged.
        return
    stored = type(instance)._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_replaced = stored is not None and stored != instance.password


def end_tokens_on_password_change(sender=None, instance=None, **kwargs) -> None:
    """Delete a user's tokens once a new password is saved (connected to a user's post_save)."""
    if getattr(instance, "_password_replaced", False):
        instance._password_replaced = False
        # Each deletion forgets its cached token (forget_token), so no process accepts it again.
        for token in Token.objects.filter(user=instance):
            token.delete()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than TOKEN_TTL and malformed keys."""

    def authenticate_credentials(self, key):
        # A key is 40 hex digits; anything else cannot match and never reaches the database.
        if len(key) > 40 or not key.isascii() or not key.isalnum():
            raise AuthenticationFailed(_("Invalid token."))
        token = cache.get(_cache_key(key))
        if token is None:
            user, token = super().authenticate_credentials(key)
            cache.set(_cache_key(key), token, TOKEN_CACHE_TIMEOUT)
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired; obtain a new one."))
        return token.user, token
