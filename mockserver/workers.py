"""gunicorn workers whose refusals of malformed HTTP use the vendor's error envelope too.

gunicorn answers a request it cannot parse (a request line over 4094 bytes, a header field over 8190 bytes,
more than 100 headers, a control character in a header, a bad Content-Length...) itself, before the app sees it,
with a short HTML page. These workers answer the same status with the JSON envelope every other refusal uses, so
a client's error handling sees one shape. Anything else goes to gunicorn's own handler unchanged.

The sync worker also closes a connection that stays silent (see EnvelopeSyncWorker).
"""

from __future__ import annotations

import json
import select
import socket
import time
from http import HTTPStatus
from typing import Any

from gunicorn import util
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from mockserver.failures import envelope, failure

# gunicorn's parse errors (by name: older versions lack some) -> failure row
REFUSED = {
    "LimitRequestLine": "http.line_too_long",
    "LimitRequestHeaders": "http.headers_too_large",
    **{name: "http.malformed" for name in (
        "InvalidRequestLine", "InvalidRequestMethod", "InvalidHTTPVersion", "InvalidHeader", "InvalidHeaderName",
        "ObsoleteFolding", "InvalidSchemeHeaders", "InvalidChunkSize", "ChunkMissingTerminator",
        "InvalidChunkExtension", "InvalidProxyLine", "InvalidProxyHeader",
    )},
}
REFUSED_TYPES = tuple((cls, key) for name, key in REFUSED.items() if (cls := getattr(errors, name, None)))


def refusal(exc: BaseException) -> bytes | None:
    """The raw HTTP answer for a parse error gunicorn raised, or None if it is not one of ours."""
    key = next((key for cls, key in REFUSED_TYPES if isinstance(exc, cls)), None)
    if key is None:
        return None
    row = failure(key)
    body = json.dumps(envelope([row.item(detail=str(exc)[:200])])).encode()
    head = (f"HTTP/1.1 {row.status} {HTTPStatus(row.status).phrase}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class EnvelopeErrors:
    """Mixed into a gunicorn worker class, ahead of it."""

    log: Any

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        answer = refusal(exc)
        if answer is None:
            super().handle_error(req, client, addr, exc)  # type: ignore[misc]
            return
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, answer)
        except OSError:
            self.log.debug("Failed to send error message.")


class EnvelopeThreadWorker(EnvelopeErrors, ThreadWorker):
    """gthread."""


class EnvelopeSyncWorker(EnvelopeErrors, SyncWorker):
    """sync, closing a connection that sends nothing within the keepalive setting (`--idle-timeout`).

    A sync worker reads a request with a blocking recv(). A connection that is opened and left silent (a
    browser's speculative preconnect, a port probe) would hold the worker until the arbiter kills it 30 s later;
    two of them stall a two-worker mock for those 30 s. gthread parks such connections in its poller; a sync
    worker can only wait a bounded time for the first byte and close the connection, which is harmless before
    any request was sent on it. Once a byte has arrived the request is read as before.
    """

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        if not self._first_byte_within(client, self.cfg.keepalive):
            self.log.debug("Closing a connection from %s that sent nothing in %s s", (addr or ("",))[0],
                           self.cfg.keepalive)
            util.close(client)
            return
        super().handle(listener, client, addr)

    def _first_byte_within(self, client: Any, seconds: float) -> bool:
        try:
            if client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                return True  # the usual case: the request is there already, no wait and no timer
        except BlockingIOError:
            pass
        except OSError:
            return True  # a reset or the like: gunicorn's handler deals with it as before
        deadline = time.monotonic() + seconds
        while self.alive:  # in slices, so a stopping worker does not wait out a silent connection
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                readable, _, _ = select.select([client], [], [], min(left, 1.0))
            except (OSError, ValueError):  # closed under us
                return False
            if readable:
                return True
        return False
