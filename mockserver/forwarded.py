"""Behind a reverse proxy: the X-Forwarded-* headers of the proxies named by --forwarded-allow-ips (config
FORWARDED_ALLOW_IPS), and only theirs, say who the client is and where it sent its request.

X-Forwarded-For (its last address: the one the proxy appended) becomes the client's address in the request log;
X-Forwarded-Proto, -Host, -Port and -Prefix the address the OpenAPI documents name as their server. From any other
peer they are left as sent, read by nothing: trusting them by default would let a client pass itself off as another
address. As gunicorn's --forwarded-allow-ips, the list holds addresses and networks ("127.0.0.1,10.0.0.0/8"), or "*"
for every peer (a proxy whose address is not fixed, with the mock reachable through it alone).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from mockserver.errors import OptionError
from mockserver.shown_text import MAX_SHOWN, clipped

VARIABLE = "FORWARDED_ALLOW_IPS"  # gunicorn's name for the same list, read as serve's default
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(value: Any) -> tuple[Network, ...] | None:
    """The networks a proxy may be in (none for an empty list); None for "*" (every peer). Refused in one line
    naming the option."""
    problem = "must be addresses or networks separated by commas, or *"
    if not isinstance(value, str):
        raise OptionError("--forwarded-allow-ips", VARIABLE, f"{problem} (got {clipped(value, MAX_SHOWN)})")
    if not value.strip():
        return ()
    parts = [part.strip() for part in value.split(",")]
    if parts == ["*"]:
        return None
    try:
        return tuple(ipaddress.ip_network(part, strict=False) for part in parts)
    except ValueError:
        bad = next(part for part in parts if not _is_network(part))
        raise OptionError("--forwarded-allow-ips", VARIABLE, f"{problem} (got {clipped(bad, MAX_SHOWN)} in"
                          f" {clipped(value, MAX_SHOWN)})") from None


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 address may carry its zone
    except ValueError:
        return False
    return True


def _trusted(peer: str, networks: Iterable[Network]) -> bool:
    try:
        address = ipaddress.ip_address(peer.split("%", 1)[0])  # an IPv6 peer may carry its zone
    except ValueError:
        return False
    return any(address in network for network in networks)


class TrustedProxies:
    """WSGI middleware: werkzeug's ProxyFix (one proxy's headers) for a request from a trusted peer, none else."""

    def __init__(self, app: Callable, value: str) -> None:
        from werkzeug.middleware.proxy_fix import ProxyFix  # here: serve's master checks the list, and imports no app

        self.app = app
        self.networks = trusted_networks(value)
        self.fixed = ProxyFix(self._settled, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        peer = environ.get("REMOTE_ADDR") or ""
        if self.networks is None or _trusted(peer, self.networks):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)

    def _settled(self, environ: dict, start_response: Callable) -> Any:
        """What ProxyFix read, settled. A forwarded client that is not an IP address (a client's own header passed
        on unchanged, text that reads 'A via B') is not taken as one: the peer's address stays, as for a request
        without X-Forwarded-For. A prefix sent without its leading "/" (`X-Forwarded-Prefix kore-mock`) is the path
        it means: as it came, werkzeug joined it to the host ("localhostkore-mock"), and behind a port read it as
        part of the port (a 500)."""
        if not _is_address(environ.get("REMOTE_ADDR") or ""):
            environ["REMOTE_ADDR"] = (environ.get("werkzeug.proxy_fix.orig") or {}).get("REMOTE_ADDR")
        prefix = environ.get("SCRIPT_NAME", "")
        if prefix and not prefix.startswith("/"):
            environ["SCRIPT_NAME"] = f"/{prefix}"
        return self.app(environ, start_response)


def proxy_of(environ: dict) -> str | None:
    """The proxy's own address, when a trusted one named the client; None for a request that came straight."""
    original = environ.get("werkzeug.proxy_fix.orig") or {}
    before = original.get("REMOTE_ADDR")
    return before if before and before != environ.get("REMOTE_ADDR") else None
