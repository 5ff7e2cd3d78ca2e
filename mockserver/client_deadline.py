"""A deadline on a request a client sends, as a whole: its connection and every byte of its answer within the time
given (the contract suite's --contract-timeout).

requests' timeout bounds the connection and then each read alone, so a target that trickles its answer (a byte a
second, on a slow link or from a broken gateway) kept a case going for as long as it liked. When the deadline passes
before the answer is whole, the connection's socket is shut down, which ends the read waiting on it; the runner
then says the time ran out, whatever error the cut read raised.
"""

from __future__ import annotations

import functools
import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter

_sending = threading.local()  # .deadline: the Deadline of the request this thread is sending, if any


class Deadline:
    """`with Deadline(seconds):` around sending a request and reading its answer whole, on a session whose adapters
    are DeadlineAdapters; `passed` says whether the time ran out before the block ended."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.passed = False
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._over = False  # the block ended: a late timer must not cut the connection, which the pool keeps
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _sending.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._over = True
        self._timer.cancel()
        _sending.deadline = None

    def watch(self, sock: socket.socket | None) -> None:
        """The socket the request uses now (the raw one, then the TLS one wrapped around it); cut at once when the
        time has already run out."""
        if sock is None:
            return
        with self._lock:
            self._socket = sock
            if self.passed:
                _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._over:
                return
            self.passed = True
            if self._socket is not None:
                _cut(self._socket)


def _cut(sock: socket.socket) -> None:
    """Shut the connection down both ways, which wakes a read blocked on it; the socket's own shutdown, not
    SSLSocket's, which would first drop its TLS state under the reading thread."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


def _watched(sock: Any) -> Any:
    deadline = getattr(_sending, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)
    return sock


class _Watched:
    """Mixed into urllib3's connection classes: each socket a connection gets or uses is handed to the deadline."""

    sock: Any

    def _new_conn(self) -> Any:  # the raw socket, before a proxy's tunnel and the TLS handshake
        return _watched(super()._new_conn())  # type: ignore[misc]

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _watched(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> Any:  # a kept-alive connection, used again
        _watched(self.sock)
        return super().request(*args, **kwargs)  # type: ignore[misc]


@functools.cache
def _watched_pool(pool: type) -> type:
    if issubclass(pool.ConnectionCls, _Watched):
        return pool
    connection = type(f"Watched{pool.ConnectionCls.__name__}", (_Watched, pool.ConnectionCls), {})
    return type(f"Watched{pool.__name__}", (pool,), {"ConnectionCls": connection})


def _watch_pools(manager: Any) -> Any:
    manager.pool_classes_by_scheme = {scheme: _watched_pool(pool)
                                      for scheme, pool in manager.pool_classes_by_scheme.items()}
    return manager


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections, direct or through a proxy, are watched by the Deadline in force."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        return _watch_pools(super().proxy_manager_for(proxy, **proxy_kwargs))
