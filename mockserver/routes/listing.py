"""The admin API's long listings (/__admin/requests, /__admin/campaigns), streamed a page at a time.

Built whole, a listing of 10,000 journal entries holding 8 KiB bodies of control characters (6 bytes of JSON each)
took hundreds of MB in the worker; streamed, a listing holds one page of entries and its JSON at a time, whatever
its limit. The bytes are those of the whole object encoded at once (`{...,"requests":[...]}` and a newline); a
streamed answer has no Content-Length, so HTTP/1.1 carries it chunked.

The store is read in pages, each from where the last one ended (the last entry's place in the order, not a count
of entries; for campaigns, the next of the places found as the listing began): an entry written or deleted between
two pages moves no other, so none repeats and none is skipped.

The first page is read before the status line, so a store failing then answers 503 as anywhere else. One failing
later, with the 200 sent, cannot be answered any more: the error is logged in one line and the connection shut,
so the client sees an answer cut short (no last chunk, no closing bracket), never one that ends as a success. Why a
listing ended before its end (that error, or a client that stopped reading) is left in the environ under CUT_SHORT
for the request log (`serve -v`), whose line is written once the body is sent.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, request

from mockserver import tls
from mockserver.connection import close_after_response
from mockserver.json_provider import dumps_bytes
from mockserver.store import StoreUnavailable

log = logging.getLogger("mockserver")
PAGE = 50  # entries read and encoded at a time
CHUNK_BYTES = 64 * 1024  # JSON written at a time (or one entry, if larger): fewer, larger writes to the socket

# (how many, None for the first page or where the last one ended) -> (entries, where this page ended)
Fetch = Callable[[int, Any], tuple[list[dict[str, Any]], Any]]
CUT_SHORT = "mockserver.cut_short"  # environ: why a listing's answer ended before its end


def streamed(head: dict[str, Any], key: str, fetch: Fetch, limit: int) -> Response:
    """`head` with `key` last: up to `limit` entries, read by fetch() a page at a time."""
    first, ended = fetch(min(PAGE, limit), None)  # before the status line: a store failing now answers 503
    opening = dumps_bytes({**head, key: []})[:-2]  # ...,"key":[
    where = f"{request.method} {request.path}"
    return Response(_chunks(opening, first, ended, fetch, limit, request.environ, where), mimetype="application/json")


def _chunks(opening: bytes, rows: list[dict[str, Any]], ended: Any, fetch: Fetch, limit: int,
            environ: dict[str, Any], where: str) -> Iterator[bytes]:
    sent, asked = 0, min(PAGE, limit)
    parts, size = [opening], len(opening)
    try:
        while True:
            for row in rows:
                parts.append(b"," + dumps_bytes(row) if sent else dumps_bytes(row))
                size += len(parts[-1])
                sent += 1
                if size >= CHUNK_BYTES:
                    yield b"".join(parts)
                    parts, size = [], 0
            if sent == limit or len(rows) < asked:  # as many as asked for, or the end of the list
                break
            if parts:  # what this page made goes out before the next is read
                yield b"".join(parts)
                parts, size = [], 0
            asked = min(PAGE, limit - sent)
            rows, ended = fetch(asked, ended)
    except GeneratorExit:  # the server stopped sending it: the client went, or its socket failed
        environ[CUT_SHORT] = f"not sent whole: the client stopped reading it after {sent} entries or fewer"
        raise
    except Exception as exc:  # the 200 is sent: the answer can only be cut short
        environ[CUT_SHORT] = f"cut short after {sent} entries: the mock failed to read the next ones"
        _cut(exc, environ, where, sent)
        return
    parts.append(b"]}\n")
    yield b"".join(parts)


def _cut(exc: Exception, environ: dict[str, Any], where: str, sent: int) -> None:
    """Log why the listing stopped and shut the connection, so the client cannot take what came for the whole.
    Under a server that gives the app no socket (the test client, another WSGI server), the error is re-raised for
    the server to end the response with."""
    if isinstance(exc, StoreUnavailable):  # the disk is full, another program holds the database: no traceback
        log.error("%s: the database cannot be used: %s; the answer was cut short after %d entries", where, exc, sent)
    else:  # a bug in the mock: its traceback for the maintainers
        log.exception("unhandled error on %s; the answer was cut short after %d entries", where, sent)
    sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    if sock is None:
        raise exc
    close_after_response()
    with contextlib.suppress(OSError):  # the client went first; the server's next write fails and is ignored
        tls.shutdown(sock, socket.SHUT_RDWR)
