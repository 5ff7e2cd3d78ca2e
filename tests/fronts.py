"""What may stand in front of the service in a contract run, as WSGI around the mock: a front that answers some
requests itself (a gateway's page, a rate limit, a dropped connection) and passes the rest on.

Imported by name (`from fronts import answering_every`), as tests/conftest.py loads this module.
"""

from __future__ import annotations

import itertools
import json
import socket
from collections.abc import Callable, Iterable
from typing import Any

from mockserver.failures import RATE_LIMIT_MESSAGE

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def answering_then(app: WSGIApp, answers: int, after: WSGIApp) -> WSGIApp:
    """`app` for its first `answers` requests, then the WSGI app `after` for every one that follows."""
    seen = itertools.count(1)

    def front(environ, start_response):
        return (app if next(seen) <= answers else after)(environ, start_response)

    return front


def answering_every(app: WSGIApp, every: int, other: WSGIApp) -> WSGIApp:
    """`app`, but for every `every`th request (the `every`th, twice `every`th ...), which `other` answers."""
    seen = itertools.count(1)

    def front(environ, start_response):
        return (other if next(seen) % every == 0 else app)(environ, start_response)

    return front


def canned(status: str, headers: list[tuple[str, str]], body: bytes) -> WSGIApp:
    """A WSGI app that gives every request the same answer."""

    def answer(environ, start_response):
        start_response(status, headers)
        return [body]

    return answer


def envelope(status: str, message: str, code: int, *headers: tuple[str, str]) -> WSGIApp:
    """A WSGI app that answers every request `status` with one error in the vendor's envelope."""
    body = json.dumps({"errors": [{"msg": message, "code": code}]}).encode()
    return canned(status, [("Content-Type", "application/json"), *headers], body)


# the vendor's 429, to be retried at once
rate_limited = envelope("429 Too Many Requests", RATE_LIMIT_MESSAGE, 429, ("Retry-After", "0"))


def dropping(environ, start_response):
    """Cut the connection (werkzeug's server) without an answer."""
    environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
    start_response("500 Dropped", [])
    return [b""]
