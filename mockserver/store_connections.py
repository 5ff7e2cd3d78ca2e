"""The store's SQLite connections: one per thread, each closed when its thread, or the store, is done with it."""

from __future__ import annotations

import contextlib
import sqlite3
import weakref

from mockserver import path_glob, store_lock
from mockserver.store_checkpoints import BACKSTOP_PAGES, WAL_KEPT_BYTES


class _ThreadConnection:
    """One thread's connection, closed when that thread's locals go (the thread ended: werkzeug's threaded server
    runs each request in a thread of its own), when the store is closed or collected, or at exit. Python 3.13
    warns (ResourceWarning) of every connection the garbage collector finds unclosed, and a __del__ here would not
    do: collected in one cycle with the store, the connection's own finalizer may run first. The finalizer made
    here holds the connection, which so stays reachable until this object goes and the finalizer closes it."""

    __slots__ = ("conn", "_closer", "__weakref__")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn: sqlite3.Connection | None = conn
        self._closer = weakref.finalize(self, _close_quietly, conn)

    def close(self) -> None:
        self.conn = None
        self._closer()


def _close_quietly(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()


class ThreadConnections:
    """SqliteStore's connections, mixed into it: they use its `database`, `_local` (this thread's), `_open` (every
    thread's) and `_check_files` (see FileChecks)."""

    def _busy_wait(self, seconds: float | None) -> None:
        """How long this thread's connection waits for SQLite's lock: `seconds`, or LOCK_WAIT_S again (None)."""
        wait = store_lock.LOCK_WAIT_S if seconds is None else seconds
        self._conn().execute(f"PRAGMA busy_timeout = {round(wait * 1000)}")

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False only so that close() may close other threads' connections: each is used by the
        # thread that opened it alone (see _conn)
        conn = sqlite3.connect(self.database, uri=True, timeout=store_lock.LOCK_WAIT_S, isolation_level=None,
                               check_same_thread=False)
        if not self.database.startswith("file:"):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")  # the store's thread checkpoints
            conn.execute(f"PRAGMA journal_size_limit = {WAL_KEPT_BYTES}")  # a -wal a long reader grew is cut back
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.create_function(path_glob.SQL_NAME, 2, path_glob.matches, deterministic=True)  # the journal's path filter
        return conn

    def _hold(self, conn: sqlite3.Connection) -> _ThreadConnection:
        held = _ThreadConnection(conn)
        self._open.add(held)
        return held

    def _conn(self) -> sqlite3.Connection:
        held = getattr(self._local, "held", None)
        if held is None or held.conn is None:
            # A connection opened beside removed files would make a new -wal and read the old one's index (SQLite's
            # 'disk I/O error'): a thread's first (a request's on werkzeug or gthread, the journal's) says why.
            self._check_files()
            held = self._local.held = self._hold(self._connect())
        return held.conn  # type: ignore[return-value]
