"""The request journal: every request to the API (not to /__admin), with tokens redacted."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, g, request

from mockserver.responses import timestamp
from mockserver.store import JournalEntry

REDACTED_HEADERS = {"auth", "authorization", "cookie", "x-api-key"}
MAX_JOURNAL_BODY = 8 * 1024


def _headers() -> dict[str, str]:
    return {
        name.lower(): "<redacted>" if name.lower() in REDACTED_HEADERS else value
        for name, value in request.headers.items()
    }


def register(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def record(response: Response) -> Response:
        mock = current_app.extensions["mock"]
        if not mock.journal or request.path.startswith("/__admin") or request.path == "/openapi.json":
            return response
        raw = g.get("raw_body", b"")
        entry = JournalEntry(
            method=request.method,
            path=request.path,
            query=request.query_string.decode("latin-1"),
            headers=_headers(),
            body=raw[:MAX_JOURNAL_BODY].decode("utf-8", errors="replace"),
            status=response.status_code,
            errors=g.get("errors", []),
            latency_ms=round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 3),
            at=timestamp(),
        )
        mock.store.record(entry)
        return response
