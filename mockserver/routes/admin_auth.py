"""The admin API's optional token: with one set (serve's --admin-token), /__admin answers only requests that send
it as `Authorization: Bearer <token>`, so on a shared sandbox not everyone who can reach the mock can reset it.

The health check stays open, for load balancers and scripts waiting for the mock to start, and so does the admin
API's OpenAPI document, for tools that load it (it holds no secret, as /openapi.json does not).
"""

from __future__ import annotations

import hmac

from flask import Flask, current_app, make_response, request

from mockserver.failures import failure
from mockserver.routes.errors import refused

ADMIN_PREFIX = "/__admin"
OPEN_PATHS = frozenset({"/__admin/health", "/__admin/openapi.json"})
REALM = 'Bearer realm="mockserver admin"'


def presented_token() -> bytes:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip().encode("utf-8", "surrogateescape") if scheme.lower() == "bearer" else b""


def admin_path(path: str) -> bool:
    """/__admin and the paths under it (not /__adminx)."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def before_request():
    if not admin_path(request.path):
        return None
    expected = current_app.extensions["mock"].admin_token
    if request.path in OPEN_PATHS or hmac.compare_digest(presented_token(), expected):
        return None
    response = make_response(refused(401, [failure("admin.unauthorized").item()]))
    response.headers["WWW-Authenticate"] = REALM  # RFC 6750: how to authenticate
    return response


def register(app: Flask) -> None:
    """Called only when a token is set (mockserver.app): an open admin API costs the endpoint nothing."""
    app.before_request(before_request)
