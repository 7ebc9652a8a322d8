"""Token authentication whose tokens expire (TOKEN_TTL) and can be revoked (deleting the token)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token) -> bool:
    return token.created + settings.TOKEN_TTL <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than TOKEN_TTL and malformed keys."""

    def authenticate_credentials(self, key):
        # A key is 40 hex digits; anything else cannot match and never reaches the database.
        if len(key) > 40 or not key.isascii() or not key.isalnum():
            raise AuthenticationFailed(_("Invalid token."))
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired; obtain a new one."))
        return user, token
