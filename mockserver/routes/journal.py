"""The request journal: every request to the API (not to /__admin), with tokens redacted."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, current_app, g, request

from mockserver.responses import timestamp
from mockserver.routes import OWN_PATHS, time_requests
from mockserver.store import JournalEntry

REDACTED_HEADERS = {"auth", "authorization", "cookie", "x-api-key"}
MAX_JOURNAL_BODY = 8 * 1024


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers, lower-cased, from the WSGI environ (as werkzeug's EnvironHeaders reads them)."""
    out = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                continue
            name = key[5:].replace("_", "-").lower()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key.replace("_", "-").lower()
        else:
            continue
        out[name] = "<redacted>" if name in REDACTED_HEADERS else value
    return out


def register(app: Flask) -> None:
    if not app.extensions["mock"].journal:
        return  # no journal, no per-request cost

    time_requests(app)

    @app.after_request
    def record(response: Response) -> Response:
        mock = current_app.extensions["mock"]
        req, ctx = request._get_current_object(), g._get_current_object()  # proxies cost a lookup per use
        if req.path.startswith(OWN_PATHS):
            return response
        raw = ctx.get("raw_body", b"")
        entry = JournalEntry(
            method=req.method,
            path=req.path,
            query=req.query_string.decode("latin-1"),
            headers=_headers(req.environ),
            body=raw[:MAX_JOURNAL_BODY].decode("utf-8", errors="replace"),
            status=response.status_code,
            errors=ctx.get("errors", []),
            latency_ms=round((time.perf_counter() - ctx.get("started", time.perf_counter())) * 1000, 3),
            at=timestamp(),
        )
        mock.store.record(entry)
        return response
