"""The request journal: an entry recorded for every request to the API (not to /__admin), with credentials
redacted. The admin API (mockserver.routes.admin) lists them."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, current_app, g, request

from mockserver.faults import FAULT_RULE, journal_errors, named_accounts
from mockserver.redaction import REDACTED, holds_jwt, is_secret_name, redacted_query
from mockserver.responses import timestamp
from mockserver.routes import own_path, time_requests
from mockserver.shown_text import received, received_header
from mockserver.store import JournalEntry

MAX_JOURNAL_BODY = 8 * 1024
MAX_JOURNAL_HEADERS = 8 * 1024
NOT_KEPT = "<not kept>"


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers, lower-cased, from the WSGI environ (as werkzeug's EnvironHeaders reads them)."""
    out = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                continue
            name = key[5:].replace("_", "-").lower()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):  # sent, even empty (a server sets them only then)
            name = key.replace("_", "-").lower()
        else:
            continue
        out[name] = REDACTED if is_secret_name(name) else received_header(value)
    # a JWT whatever its header's name, looked for in what is kept alone: 8 KiB at most, not 100 headers of 8 KB
    return {name: REDACTED if holds_jwt(value) else value for name, value in _bounded(out).items()}


def _bounded(headers: dict[str, str]) -> dict[str, str]:
    """At most MAX_JOURNAL_HEADERS characters of names and values, as the body's first 8 KiB: gunicorn lets in 100
    headers of about 8 KB, which kept whole would make one client's requests 700 KB entries. Each header is kept
    whole while it fits, in the order sent, so small ones after a large one still are; the rest are counted."""
    if sum(len(name) + len(value) for name, value in headers.items()) <= MAX_JOURNAL_HEADERS:
        return headers  # nearly every request
    kept, left, dropped, dropped_size = {}, MAX_JOURNAL_HEADERS, 0, 0
    for name, value in headers.items():
        size = len(name) + len(value)
        if size <= left:
            kept[name], left = value, left - size
        else:
            dropped, dropped_size = dropped + 1, dropped_size + size
    kept[NOT_KEPT] = (f"{dropped} headers left out ({dropped_size:,} characters): the journal keeps"
                      f" {MAX_JOURNAL_HEADERS // 1024} KiB of headers")
    return kept


def register(app: Flask) -> None:
    if not app.extensions["mock"].journal:
        return  # no journal, no per-request cost

    time_requests(app)

    @app.after_request
    def record(response: Response) -> Response:
        mock = current_app.extensions["mock"]
        req, ctx = request._get_current_object(), g._get_current_object()  # proxies cost a lookup per use
        if own_path(req.path):
            return response
        raw = ctx.get("raw_body")
        entry = JournalEntry(
            method=req.method,
            path=req.path,
            query=redacted_query(req.query_string.decode("latin-1")),
            headers=_headers(req.environ),
            body=received(raw or b"", MAX_JOURNAL_BODY),
            body_read=raw is not None,
            accounts=named_accounts(),
            fault_rule=ctx.get(FAULT_RULE),
            status=response.status_code,
            errors=journal_errors(ctx.get("errors"), req.environ),
            latency_ms=round((time.perf_counter() - ctx.get("started", time.perf_counter())) * 1000, 3),
            at=timestamp(),
        )
        mock.store.record(entry)
        return response
