"""A deadline on reading a request, so a client that trickles its bytes just often enough cannot hold a worker.

Each read from a client waits at most `--idle-timeout` (a socket timeout), but gunicorn reads a request's headers,
and the app its body, in loops of recv() until it has them whole: a client that sends a byte every few seconds
passes every single wait and holds a sync worker until the arbiter kills it, or a gthread thread for as long as it
likes. The mock's sockets (DeadlineSocket, and mockserver.tls's for HTTPS) check the reading thread's deadline
before each recv(): the worker sets one for the headers (`--idle-timeout` after the request starts arriving), the
app one for the body (`--body-timeout`). A worker thread reads one request at a time, so the deadline is the
thread's.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import struct
import threading
import time

_current = threading.local()


class DeadlinePassed(TimeoutError):
    """The request did not arrive in full by the deadline set for it."""


class within:  # noqa: N801 - used as a function: `with within(seconds):`
    """Reads by this thread on a deadline socket end in DeadlinePassed once `seconds` have gone by (None: no
    deadline). The deadline in force before is restored after. (A class: twice as fast as a generator-based context
    manager, and it runs twice per request.)"""

    __slots__ = ("at", "outer")

    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.monotonic() + seconds

    def __enter__(self) -> None:
        self.outer = getattr(_current, "at", None)
        _current.at = self.at

    def __exit__(self, *exc_info: object) -> None:
        _restore_timeout()
        _current.at = self.outer


def lift() -> None:
    """No deadline from here on, until a `within` block ends: the request's head has arrived, and the app sets its
    own deadline for the body."""
    _restore_timeout()
    _current.at = None


def _restore_timeout() -> None:
    """Give back the timeout a read shortened to meet the deadline: what the server writes next must not be held
    to it."""
    shortened = getattr(_current, "shortened", None)
    if shortened is not None:
        _current.shortened = None
        sock, timeout = shortened
        with contextlib.suppress(OSError):  # closed meanwhile
            sock.settimeout(timeout)


class DeadlineReads:
    """Mixed into a socket class, ahead of it: recv() honours the reading thread's deadline.

    On a socket with a timeout, a read near the deadline waits only until it; on a blocking one (gthread sets
    SO_RCVTIMEO instead, see mockserver.workers) the deadline is checked before each read, each of which waits at
    most `--idle-timeout`.
    """

    __slots__ = ()

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        at = getattr(_current, "at", None)
        if at is None:
            return super().recv(bufsize, flags)  # type: ignore[misc]
        left = at - time.monotonic()
        if left <= 0:
            raise DeadlinePassed("the request did not arrive in time")
        timeout = self.gettimeout()  # type: ignore[attr-defined]
        if timeout is None or timeout <= left:
            return super().recv(bufsize, flags)  # type: ignore[misc]
        if getattr(_current, "shortened", None) is None:
            _current.shortened = (self, timeout)
        self.settimeout(left)  # type: ignore[attr-defined]
        try:
            return super().recv(bufsize, flags)  # type: ignore[misc]
        except TimeoutError:
            raise DeadlinePassed("the request did not arrive in time") from None


class DeadlineSocket(DeadlineReads, socket.socket):
    __slots__ = ()

    def sendall(self, data: bytes, flags: int = 0) -> None:  # type: ignore[override]
        """A write the client takes nothing of for the send timeout (SO_SNDTIMEO, see `send_timeout`) ends the
        answer as a client gone away does (EPIPE, which gunicorn closes the connection on without a traceback)."""
        try:
            super().sendall(data, flags)
        except (BlockingIOError, TimeoutError):
            raise BrokenPipeError(errno.EPIPE, "the client stopped reading the answer") from None


def send_timeout(sock: socket.socket, seconds: float) -> None:
    """Each write to the client waits at most `seconds` for it to take some of the answer: a client that asked for a
    long listing and stopped reading held a sync worker until the arbiter killed it (a minute, and a traceback),
    and a gthread thread until the client closed the connection."""
    timeout = struct.pack("ll", int(seconds), int(seconds % 1 * 1_000_000))
    with contextlib.suppress(OSError):  # a socket closed under us: the handler finds out
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeout)


def bound(sock: object) -> None:
    """Give an accepted plain socket deadline reads (the object stays the same, so whoever holds it sees them)."""
    if type(sock) is socket.socket:
        sock.__class__ = DeadlineSocket
