"""The app's blueprints and request hooks, one module per concern."""

from __future__ import annotations

import time

from flask import Flask, g

# The mock's own endpoints (admin API, OpenAPI document): never journaled, faulted or rate-limited.
OWN_PATHS = ("/__admin", "/openapi.json")


def own_path(path: str) -> bool:
    """Whether a request's path is the mock's own: /__admin and what is under it (as the admin token guards them),
    and /openapi.json. A client's request to /__adminx or /openapi.json/ is the API's, journaled and faulted."""
    return path in OWN_PATHS or path.startswith("/__admin/")


def time_requests(app: Flask) -> None:
    """Start a clock (g.started) as each request begins, once per app however many hooks read it."""
    if app.extensions.get("timed"):
        return
    app.extensions["timed"] = True

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()
