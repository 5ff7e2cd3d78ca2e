"""Every refusal, and every failure of the mock itself, answers in the vendor's error envelope."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import Flask, current_app, g, jsonify, request
from werkzeug.exceptions import BadHost, HTTPException, MethodNotAllowed, NotFound

from mockserver.connection import close_after_response
from mockserver.failures import envelope, failure
from mockserver.intake import Refusal
from mockserver.routes import own_path
from mockserver.shown_text import clip, clipped, printable
from mockserver.store import StoreUnavailable
from mockserver.wiremock_paths import with_hint

log = logging.getLogger("mockserver")
PATH_SHOWN = 200  # characters of a request path echoed in a message: a 4 KB path need not come back whole


def _path() -> str:
    """The request's path as the client sent it (still %-encoded: `st%2F1` is not `st/1`), where the server keeps
    it (gunicorn's and werkzeug's RAW_URI, in origin, absolute, asterisk or authority form); else as routed."""
    raw = request.environ.get("RAW_URI", "")
    if not raw.startswith("/") and "://" in raw.split("?", 1)[0]:  # absolute-form: http://host/path (a path holding
        # a URL, `/https://{host}/campaign`, the page's host left in, is origin-form)
        raw = "/" + raw.split("://", 1)[1].partition("/")[2]
    elif raw and not raw.startswith("/") and "?" not in raw:  # asterisk-form (*), authority-form (CONNECT host:443),
        return clip(raw, PATH_SHOWN + 3)  # which has no path to route as "/443"
    path = raw.split("?", 1)[0].split("#", 1)[0] if raw.startswith("/") else request.path
    return clip(path, PATH_SHOWN + 3)


def _near(path: str) -> str:
    """Words naming the campaign endpoint, for a 404 whose path looks meant for it (`campaign` in it, outside the
    admin API): a URL without /v2/, with a doubled or trailing slash, or with the page's host left in. Else empty."""
    if own_path(request.path) or "campaign" not in path.lower():
        return ""
    endpoint = current_app.extensions["mock"].contract.endpoint
    return f" (the campaign endpoint is {endpoint['method']} {endpoint['pathTemplate']})"


def allow(methods: Iterable[str]) -> str:
    """An Allow header's value, in one order: werkzeug gives the methods in a set's, which changes with the hash seed
    from one process to the next."""
    return ", ".join(sorted(methods))


def refused(status: int, items: list[dict]):
    if status in (400, 404, 405) and request.path.startswith("/__admin/"):  # WireMock's: what to send here
        items = with_hint(items, request.path)
    g.errors = items
    return jsonify(envelope(items)), status


try:  # gunicorn parses a chunked body as the app reads it, so a bad chunk surfaces in the app, not in the worker
    from gunicorn.http.errors import ParseException
except ImportError:  # no gunicorn where there is no POSIX (Windows): the in-process mock serves with werkzeug
    ParseException = None


def on_malformed_body(exc: Exception):
    from mockserver.workers import refused_as  # gunicorn raised `exc`, so it is there to import

    key, detail = refused_as(exc) or ("http.malformed", clip(str(exc), 200))
    close_after_response()  # the rest of the body cannot be found: no next request
    return refused(failure(key).status, [failure(key).item(detail=detail)])


def register(app: Flask) -> None:
    @app.errorhandler(Refusal)
    def on_refusal(exc: Refusal):
        body, status = refused(exc.status, exc.items)
        return body, status, exc.headers or {}

    @app.errorhandler(NotFound)
    def on_not_found(exc: NotFound):
        path = _path()
        return refused(404, [failure("route.not_found").item(method=request.method, path=path, near=_near(path))])

    @app.errorhandler(MethodNotAllowed)
    def on_method(exc: MethodNotAllowed):
        methods = exc.valid_methods or []
        sendable = [m for m in allow(methods).split(", ") if m not in ("HEAD", "OPTIONS")] or ["OPTIONS"]
        sendable = " or ".join([", ".join(sendable[:-1]), sendable[-1]] if len(sendable) > 1 else sendable)
        body, status = refused(405, [failure("route.method").item(method=request.method, path=_path(),
                                                                  allowed=sendable)])
        return body, status, {"Allow": allow(methods)}  # RFC 9110: a 405 names what is allowed

    @app.errorhandler(BadHost)
    def on_bad_host(exc: BadHost):  # werkzeug's own words ("The browser (or proxy) sent ...") say nothing of Host
        host = request.environ.get("HTTP_HOST", "")
        detail = f"the Host header is not a host name (got {clipped(host, 62)})"
        return refused(400, [failure("http.malformed").item(detail=detail)])

    @app.errorhandler(HTTPException)
    def on_http(exc: HTTPException):
        status = exc.code or 400
        return refused(status, [{"msg": exc.description or exc.name, "code": status * 10}])

    if ParseException is not None:
        app.register_error_handler(ParseException, on_malformed_body)

    @app.errorhandler(StoreUnavailable)
    def on_store(exc: StoreUnavailable):
        # Not a bug, and no traceback helps: the disk is full, another program holds the database, and so on.
        log.error("%s %s: the database cannot be used: %s", request.method, printable(_path()), exc)
        return refused(503, [failure("store.unavailable").item(detail=str(exc))])

    @app.errorhandler(Exception)
    def on_bug(exc: Exception):
        # A bug in the mock; still answered in the envelope, and logged with its traceback for the maintainers.
        # the path as sent (%-encoded, as -v shows it), on one line: a client's %0A cannot forge a line of the log
        log.exception("unhandled error on %s %s", request.method, printable(_path()))
        return refused(500, [failure("internal").item(detail=type(exc).__name__)])
