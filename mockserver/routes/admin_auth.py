"""The admin API's optional token: with one set (serve's --admin-token), /__admin answers only requests that send
it as `Authorization: Bearer <token>`, so on a shared sandbox not everyone who can reach the mock can reset it.

The health check stays open, for load balancers and scripts waiting for the mock to start, and so does the admin
API's OpenAPI document, for tools that load it (it holds no secret, as /openapi.json does not).

Token or not, a change (any method but GET, HEAD and OPTIONS) a browser sends for a web page on another origin is
refused: a page may send a bodiless POST or a text/plain body to any address without asking (no preflight), and
could reset or fault the sandbox without reading the answer. The admin blueprints run `own_origin_only` first.
"""

from __future__ import annotations

import hmac
import re

from flask import Flask, current_app, make_response, request

from mockserver.failures import failure
from mockserver.routes.errors import refused
from mockserver.shown_text import clip, clipped, header_text, sent

ADMIN_PREFIX = "/__admin"
OPEN_PATHS = frozenset({"/__admin/health", "/__admin/openapi.json"})
REALM = 'Bearer realm="mockserver admin"'
# An auth scheme's name (Basic, Digest, SCRAM-SHA-256), quoted in a refusal's hint; a first word that is no such
# name may be the token itself
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,19}")
READS = frozenset({"GET", "HEAD", "OPTIONS"})  # change nothing: a page cannot read their answers (no CORS here)
# Sec-Fetch-Site values a browser sends for a page on another origin ("same-origin" and "none", a typed address, pass)
OTHER_SITES = {"cross-site": "another site", "same-site": "another origin of the same site"}
OWN_SHOWN = 100  # characters of the own origin a refusal names: the Host header is the client's


def presented_token() -> bytes:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip().encode("utf-8", "surrogateescape") if scheme.lower() == "bearer" else b""


def refusal_hint() -> str:
    """Which part of the admin token's check failed, for a 401's hint, as the endpoint's 401s say it: one message for
    every case left a tester who sent the header unable to tell a wrong token from a malformed one. Never the
    token itself."""
    authorization = request.headers.get("Authorization")
    if authorization is None:
        return "no Authorization header (the admin token is read from no other header, nor from the query)"
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if not scheme:
        return "the Authorization header is empty (is MOCK_ADMIN_TOKEN set in this shell?)"
    if scheme.lower() != "bearer":
        if not token or not SCHEME.fullmatch(scheme):  # a token with more after it: no scheme, and never quoted
            return "the Authorization header holds no 'Bearer ' before the token"
        return f"the Authorization header uses the scheme {clipped(header_text(scheme), 20)}: send Bearer <token>"
    if not token:
        return "the Authorization header holds 'Bearer' and no token (is MOCK_ADMIN_TOKEN set in this shell?)"
    if len(token) > 1 and token[0] == token[-1] and token[0] in "\"'":
        return "the admin token is in quotes: send it without them"
    return ("the token is not this mock's admin token (the one serve was given: --admin-token, --admin-token-file or"
            " MOCK_ADMIN_TOKEN)")


def refusal_item(key: str) -> dict:
    """The error entry of a request refused for want of the admin token (admin.unauthorized, fault.unauthorized)."""
    return {**failure(key).item(), "hint": refusal_hint()}


def admin_path(path: str) -> bool:
    """/__admin and the paths under it (not /__adminx)."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def before_request():
    if not admin_path(request.path):
        return None
    expected = current_app.extensions["mock"].admin_token
    if request.path in OPEN_PATHS or hmac.compare_digest(presented_token(), expected):
        return None
    response = make_response(refused(401, [refusal_item("admin.unauthorized")]))
    response.headers["WWW-Authenticate"] = REALM  # RFC 6750: how to authenticate
    return response


def own_origin() -> str:
    """The origin the request was sent to, as the app sees it: its scheme and Host (a trusted proxy's X-Forwarded-*
    applied, mockserver.forwarded), lowercased, without the scheme's default port, as a browser writes an origin."""
    return f"{request.scheme}://{request.host}".lower()


def page_elsewhere() -> tuple[str, str] | None:
    """(the header that tells, the page it names) for a request a browser sent for a page on another origin; None
    for one from the request's own origin, or from no page (curl, scripts: neither header)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.strip().lower() != own_origin():
        if origin.strip() == "null":
            return "Origin", "A web page with Origin: null (a file, a sandboxed frame)"
        return "Origin", f"A web page on {sent(header_text(origin))}"
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if site in OTHER_SITES:
        return "Sec-Fetch-Site", f"A web page on {OTHER_SITES[site]} (Sec-Fetch-Site: {site})"
    return None


def own_origin_only():
    """An admin blueprint's first before_request: a change sent for a page on another origin is refused (403)."""
    elsewhere = None if request.method in READS else page_elsewhere()
    if elsewhere is None:
        return None
    field, who = elsewhere
    return refused(403, [failure("admin.cross_origin").item(field=field, who=who, own=clip(own_origin(), OWN_SHOWN))])


def register(app: Flask) -> None:
    """Called only when a token is set (mockserver.app): an open admin API costs the endpoint nothing."""
    app.before_request(before_request)
