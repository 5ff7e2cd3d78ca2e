"""A deadline on a request a client sends, as a whole: the name lookup, the connection and every byte of its answer
within the time given (the contract suite's --contract-timeout, `mockserver journal --timeout`).

requests' timeout bounds the connection and then each read alone, so a target that trickles its answer (a byte a
second, on a slow link or from a broken gateway) kept a case, or the command, going for as long as it liked. When the
deadline passes before the answer is whole, the connection's socket is shut down, which ends the read waiting on it;
the client then says the time ran out, whatever error the cut read raised.

A name is looked up before there is a socket to shut, and getaddrinfo cannot be interrupted: a resolver that does not
answer held a request for as long as the system's resolver allows (tens of seconds). So a new connection is made on a
daemon thread, which the sender waits on; if the deadline passes before the name is looked up, the sender goes on
without it (a NotLookedUpInTime), and whatever the thread makes later it closes itself.
"""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

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
        self._connecting: _Connecting | None = None  # the connection being made on a thread of its own, if any
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

    def connect(self, make: Callable[[Callable[[], None]], socket.socket]) -> socket.socket | None:
        """make(looked_up) on a thread of its own, which calls looked_up() once the name is looked up, then connects:
        its socket returned or its error raised when it ends; None, and the thread left to end alone, when the time
        runs out before the name is looked up. Past the lookup, the connection is bounded by its own timeout, and a
        connection nothing takes is told as such, not as a deadline."""
        connecting = _Connecting(make, self._lock)
        with self._lock:
            if self.passed:
                return None
            self._connecting = connecting
        connecting.start()
        connecting.done.wait()  # set by the thread when it ends, or by the timer during the lookup
        with self._lock:
            self._connecting = None
            return connecting.outcome()

    def _expire(self) -> None:
        with self._lock:
            if self._over:
                return
            self.passed = True
            if self._socket is not None:
                _cut(self._socket)
            if self._connecting is not None and not self._connecting.looked_up:
                self._connecting.done.set()


class _Connecting:
    """make() run on a daemon thread, which the interpreter does not wait for at exit (a lookup may never end); its
    outcome is handed over under the deadline's lock, so a socket comes either to the sender or, given up on, is
    closed by the thread."""

    def __init__(self, make: Callable[[Callable[[], None]], socket.socket], lock: threading.Lock) -> None:
        self.done = threading.Event()
        self.looked_up = False
        self._lock = lock
        self._outcome: tuple[socket.socket | None, BaseException | None] | None = None
        self._given_up = False
        self._thread = threading.Thread(target=self._run, args=(make,), name="client-deadline-connect", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _looked_up(self) -> None:
        with self._lock:
            self.looked_up = True

    def _run(self, make: Callable[[Callable[[], None]], socket.socket]) -> None:
        made: socket.socket | None = None
        error: BaseException | None = None
        try:
            made = make(self._looked_up)
        except BaseException as exc:  # handed to the sender, which raises it
            error = exc
        with self._lock:
            if self._given_up:
                if made is not None:
                    made.close()
                return
            self._outcome = made, error
        self.done.set()

    def outcome(self) -> socket.socket | None:
        """Under the deadline's lock: the socket made, or the error raised; None, and the thread given up on, when it
        has not ended."""
        if self._outcome is None:
            self._given_up = True
            return None
        made, error = self._outcome
        if error is not None:
            raise error
        return made


class NotLookedUpInTime(NewConnectionError):
    """The deadline passed while the connection's name was still being looked up. A NewConnectionError, as urllib3
    raises for a connection that failed: requests says ConnectionError (ProxyError for a proxy's name), and the
    deadline's `passed` tells it from a refused one."""


class _AfterLookUp:
    """A connection's socket_options, which urllib3's create_connection (and PySocks') go through once the name is
    looked up, on each socket just before it connects: going through them tells the deadline the lookup is over."""

    def __init__(self, options: Any, looked_up: Callable[[], None]) -> None:
        self._options = options
        self._looked_up = looked_up

    def __bool__(self) -> bool:  # PySocks goes through them only if they are true
        return True

    def __iter__(self) -> Any:
        self._looked_up()
        return iter(self._options or ())


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
    socket_options: Any

    def _new_conn(self) -> Any:  # the raw socket, before a proxy's tunnel and the TLS handshake
        deadline = getattr(_sending, "deadline", None)
        if deadline is None:
            return super()._new_conn()  # type: ignore[misc]
        make = super()._new_conn  # type: ignore[misc]

        def looking_up(looked_up: Callable[[], None]) -> socket.socket:
            options = self.socket_options
            self.socket_options = _AfterLookUp(options, looked_up)
            try:
                return make()
            finally:
                self.socket_options = options

        sock = deadline.connect(looking_up)
        if sock is None:
            said = f"the name was still being looked up when the deadline of {deadline.seconds:g} s passed"
            raise NotLookedUpInTime(self, said)  # type: ignore[arg-type]
        return _watched(sock)

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


def watched(session: Any) -> Any:
    """`session` (a requests.Session) with DeadlineAdapters for http:// and https://, so that a Deadline bounds what
    it sends."""
    for scheme in ("http://", "https://"):
        session.mount(scheme, DeadlineAdapter())
    return session


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections, direct or through a proxy, are watched by the Deadline in force."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        return _watch_pools(super().proxy_manager_for(proxy, **proxy_kwargs))
