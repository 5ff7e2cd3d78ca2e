"""Opt-in CORS (serve's --cors, config CORS), as WireMock's --enable-stub-cors: a web page on another origin (a
dashboard, Swagger UI, Redoc) may call the endpoint and read /openapi.json.

Off by default, as a server-to-server API that takes a token in a custom header allows no page; unset, nothing here
is added to the app.

CORS True (`--cors`) allows any origin, CORS "http://localhost:3000,https://qa.example" (or a list) only those; an
allowed origin is named back in Access-Control-Allow-Origin, with Vary: Origin. A preflight (OPTIONS with Origin and
Access-Control-Request-Method) is answered 204 before anything else looks at it: it is journaled as the OPTIONS it
is, never faulted, rate-limited or authenticated (a browser sends no credentials with it). Its method and headers
are allowed as asked, so that the page reads the mock's own answer (a 404, a 405, a 401) rather than a browser's
bare CORS error. The admin API (/__admin) gets none of it: a page on another origin cannot send it the admin token,
and a change it sends without a preflight is refused (mockserver.routes.admin_auth), whatever origins CORS allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, request

from mockserver.errors import OptionError
from mockserver.routes.admin_auth import admin_path
from mockserver.shown_text import MAX_SHOWN, clipped

MAX_AGE_S = 600  # how long a browser keeps a preflight's answer (Chrome keeps it 2 hours at most, Firefox a day)
PREFLIGHT_STATUS = 204
READ_HEADERS = "auth, accountid, iid, content-type, x-mock-fault"  # allowed when a preflight names none usable
EXPOSED = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"  # not readable by a page unsaid
PREFLIGHT_VARY = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # RFC 9110's token: a method or a header name
METHOD = re.compile(_TOKEN)
HEADER_NAMES = re.compile(rf"{_TOKEN}(?:[ \t]*,[ \t]*{_TOKEN})*")
ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://(?:[a-z0-9._~%!$&'()*+;=-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?")
NULL_ORIGIN = "null"  # a page opened from a file, or a sandboxed frame


@dataclass(frozen=True)
class Cors:
    origins: frozenset[str] | None  # None: any origin

    def allows(self, origin: str | None) -> bool:
        if origin is None:
            return False
        if self.origins is None:
            return origin == NULL_ORIGIN or ORIGIN.fullmatch(origin) is not None
        return origin in self.origins

    def before_the_app(self, origin: str | None) -> str:
        """Header lines for an answer made before the app reads the request (a request line or header over the
        server's limits, plain HTTP on the HTTPS port), so that the page reads what to change rather than a bare CORS
        error. `origin` is the request's Origin where the server has it at hand: named back if allowed; without it
        (TLS records, a head a gthread worker read), any origin allows every page (`*`: no credentials are sent)."""
        if origin is not None and self.allows(origin):
            return f"Access-Control-Allow-Origin: {origin}\r\nVary: Origin\r\n"
        return "Access-Control-Allow-Origin: *\r\n" if self.origins is None else "Vary: Origin\r\n"


def _refused(value: Any) -> OptionError:
    return OptionError("--cors", "CORS", "must be True for any origin, or origins as scheme://host[:port],"
                       " comma-separated, e.g. http://localhost:3000,https://qa.example"
                       f" (got {clipped(value, MAX_SHOWN)})")


def parse_cors(value: Any) -> Cors | None:
    """The config's CORS: None or False is off, True (or "*") any origin, a comma-separated str or a list of
    str those origins, as a browser writes them (no path, not even "/"; scheme and host in any case)."""
    if value is None or value is False:
        return None
    if value is True or (isinstance(value, str) and value.strip() == "*"):
        return Cors(None)
    named: Iterable[Any] = value.split(",") if isinstance(value, str) else value if isinstance(
        value, list | tuple) else [None]
    origins = [item.strip().lower() if isinstance(item, str) else item for item in named]
    if not origins or not all(isinstance(item, str) and ORIGIN.fullmatch(item) for item in origins):
        raise _refused(value)
    return Cors(frozenset(origins))


def preflight() -> Response | None:
    """Answer a preflight from an allowed origin on the API's paths; any other request goes on as before."""
    method = request.headers.get("Access-Control-Request-Method")
    if (request.method != "OPTIONS" or method is None or not METHOD.fullmatch(method) or admin_path(request.path)
            or not current_app.extensions["cors"].allows(request.headers.get("Origin"))):
        return None
    asked = request.headers.get("Access-Control-Request-Headers", "")
    response = Response(status=PREFLIGHT_STATUS)
    del response.headers["Content-Type"]
    response.headers.update({
        "Access-Control-Allow-Methods": method,
        "Access-Control-Allow-Headers": asked if HEADER_NAMES.fullmatch(asked) else READ_HEADERS,
        "Access-Control-Max-Age": str(MAX_AGE_S),
    })
    if request.headers.get("Access-Control-Request-Private-Network") == "true":  # a public page, a local mock
        response.headers["Access-Control-Allow-Private-Network"] = "true"
    g.cors_preflight = True
    return response


def allow_origin(response: Response) -> Response:
    """On every answer of the API's: Vary: Origin, and for an allowed origin, that origin and what a page may read."""
    if admin_path(request.path):
        return response
    for name in PREFLIGHT_VARY if g.get("cors_preflight") else PREFLIGHT_VARY[:1]:
        response.vary.add(name)
    origin = request.headers.get("Origin")
    if current_app.extensions["cors"].allows(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        if not g.get("cors_preflight"):
            response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def register(app: Flask) -> None:
    """Answer pages on other origins when the config has CORS; otherwise add nothing to the app."""
    cors = parse_cors(app.config.get("CORS"))
    if cors is None:
        return
    app.extensions["cors"] = cors
    app.before_request(preflight)
    app.after_request(allow_origin)
