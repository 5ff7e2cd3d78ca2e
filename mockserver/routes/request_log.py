"""The request log (`mockserver serve -v`): a line on stderr per request, with every error the mock answered.

The journal (`/__admin/requests`) keeps the same facts for programs; this is for the developer watching the
terminal while their client runs, the way a mock server's console shows each call and why it was refused:

    [2026-11-26 18:20:01 +0000] [4242] POST /campaign/api/v2/public/st-1/campaign?accountId=a-1&... 400 2.1 ms
        name is required
        dialingStrategy.maxRingTime must be between 5 and 120 (got 121)
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, Response, g, request

from mockserver.failures import error_text
from mockserver.faults import DROPPED_STATUS, journal_errors
from mockserver.forwarded import proxy_of
from mockserver.redaction import redacted_target
from mockserver.routes import time_requests
from mockserver.routes.listing import CUT_SHORT
from mockserver.shown_text import clip, printable

log = logging.getLogger("mockserver.requests")
MAX_LINE = 300  # characters of a request target or an error message; the journal keeps them whole
CREATE_ENDPOINT = "campaigns.create_campaign"


def _clip(text: str) -> str:
    """One line, printable, at most MAX_LINE characters: a client's bytes cannot forge or flood log lines."""
    return clip(text, MAX_LINE, printable)


def details(response: Response, errors: list[dict]) -> list[str]:
    """What follows the request line: each error (with the 401's hint), then a dropped connection's in the journal's
    own words (the answer a drop=after lost may have been a refusal), or the created campaign."""
    if response.status_code == DROPPED_STATUS:
        return [_clip(error_text(error)) for error in journal_errors(errors, request.environ)]
    lines = [_clip(error_text(error)) for error in errors]
    if errors:
        return lines
    if response.status_code == 200 and request.endpoint == CREATE_ENDPOINT:
        data = (response.get_json(silent=True) or {}).get("data") or {}
        if "id" in data:
            return [f"created {data['id']} {data.get('name')!r}"]
    return []


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written (as logging's last-resort handler does), so a
    caller that redirects stderr later, a test capturing it for one, still gets the lines."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def handler() -> logging.Handler:
    """stderr, in the layout of gunicorn's own log lines, so the two read as one log."""
    out = StderrHandler()
    out.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] %(message)s", "%Y-%m-%d %H:%M:%S %z"))
    return out


def register(app: Flask) -> None:
    if not app.config.get("REQUEST_LOG"):
        return  # off by default: no per-request cost
    if not log.handlers:  # one handler per process, however many apps it builds
        log.addHandler(handler())
        log.setLevel(logging.INFO)
        log.propagate = False

    time_requests(app)

    @app.after_request
    def write_line(response: Response) -> Response:
        started = g.get("started", time.perf_counter())
        # as sent, still %-encoded; credentials as the journal keeps them: <redacted> (and no user:password@)
        target = redacted_target(request.environ.get("RAW_URI") or request.full_path.rstrip("?"))
        # the client's address: on a shared sandbox, who reset it or added the rule everyone meets; behind a trusted
        # proxy (--forwarded-allow-ips), the one it names, and the proxy's own
        client = _clip(request.remote_addr or "?")  # a forwarded one is the client's words when any peer is trusted
        proxy = proxy_of(request.environ)
        client += f" via {proxy}" if proxy else ""
        head, more = f"{request.method} {_clip(target)} {response.status_code}", details(response, g.get("errors", []))
        environ = request.environ

        def write() -> None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            cut = [environ[CUT_SHORT]] if CUT_SHORT in environ else []
            log.info("\n".join([f"{head} {elapsed_ms:.1f} ms from {client}", *("    " + line for line in more + cut)]))

        if response.is_streamed:  # an admin listing: its line once its body is sent (or cut short), with that time
            response.call_on_close(write)
        else:
            write()
        return response
