"""The client's address: the connection's peer, or the address a trusted proxy forwarded.

X-Forwarded-For is only believed from the proxies named in TRUSTED_PROXIES (addresses or
networks). Walking the header from the right, each hop appended by a trusted proxy is
skipped; the first address a trusted proxy did not vouch for is the client. Anything to its
left was written by the client itself and is ignored. With no trusted proxies (the default)
the header is ignored altogether.

ClientAddressMiddleware writes the result into REMOTE_ADDR, first of all middleware, so the
DRF throttles (NUM_PROXIES = 0: they read REMOTE_ADDR only), django-axes' lockout
(AXES_CLIENT_IP_CALLABLE) and gunicorn's access log (%(h)s reads the same WSGI environ after
the response) all see one address.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(values) -> list[Network]:
    """Return TRUSTED_PROXIES as networks, refusing a value that is not an address or network."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {value!r} is not an IP address or network.") from error
    return networks


def is_trusted(address: str, networks: list[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def resolve(remote_addr: str, forwarded_for: str | None, networks: list[Network]) -> str:
    """Return the client's address given the peer, its X-Forwarded-For header and the trusted proxies."""
    client = remote_addr
    if not networks or not forwarded_for or not is_trusted(remote_addr, networks):
        return client
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # Garbage where a proxy should have written an address: stop at the last hop vouched for.
            return client
        client = hop
        if not is_trusted(hop, networks):
            return client
    return client


def remote_addr(request) -> str | None:
    """Return the address ClientAddressMiddleware left in REMOTE_ADDR (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR")


class ClientAddressMiddleware:
    """Set REMOTE_ADDR to the client's address, read through TRUSTED_PROXIES only."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = trusted_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        if self.networks and "REMOTE_ADDR" in request.META:
            request.META["REMOTE_ADDR"] = resolve(
                request.META["REMOTE_ADDR"], request.META.get("HTTP_X_FORWARDED_FOR"), self.networks
            )
        return self.get_response(request)
