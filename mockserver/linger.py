"""Closing a connection whose answer left part of the body unread, without a reset that takes the answer with it.

A refusal made before the body is read (a bad token, a body announced past --max-body) closes the connection. A
client that writes the body while it reads the answer (Java's HttpClient, Node's fetch and http) goes on sending
it; closed with bytes unread, the connection is reset by the kernel, the client's write fails (broken pipe, reset
by peer) and those clients give up on the request, dropping the answer that had come. gunicorn's close reads and
drops 64 KiB for at most 2 s before it closes; here the rest of the body is read and dropped for those 2 s,
whatever its size, as RFC 9112 (9.6) asks of a server closing in stages: first the answer's end (FIN), then what
the client still sends, until it closes.
"""

from __future__ import annotations

import contextlib
import socket
import time
from typing import Any

from mockserver import tls, wire

LINGER_S = 2.0  # as long as gunicorn's own close waits (util.close_graceful): a client cannot hold a worker longer


def body_left(body: Any) -> bool:
    """Whether gunicorn's request body (wsgi.input) has bytes the client may still be sending: not one it holds
    back for a `100 Continue` it was not sent."""
    if isinstance(body, wire.ContinueOnRead) and not body.asked:
        return False
    reader = getattr(body, "reader", None)  # a length reader counts down what is left, a chunked one's parser goes
    return getattr(reader, "parser", None) is not None or getattr(reader, "length", 0) > 0


def end_and_drain(sock: socket.socket) -> None:
    """End the answer (FIN), then read and drop what the client sends until it closes or LINGER_S pass; the worker
    closes the socket after. Called once the answer is written, for a connection that is to be closed. Its reads
    are then shut down, so that gunicorn's close (util.close_graceful) does not wait its own 2 s more for a client
    that neither closes nor stops sending."""
    deadline = time.monotonic() + LINGER_S
    with contextlib.suppress(OSError):  # reset by the client, or closed under us: nothing left to drain
        tls.shutdown(sock, socket.SHUT_WR)
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            if not socket.socket.recv(sock, 256 * 1024):  # raw bytes: over TLS the records are dropped unread
                break
    with contextlib.suppress(OSError):
        tls.shutdown(sock, socket.SHUT_RD)  # its reads now end at once
