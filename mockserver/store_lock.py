"""The store's write lock: one writer at a time, across threads and processes (see WriteLock)."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
import time
import weakref
from collections.abc import Callable

from mockserver.store_modes import open_beside

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy handler queues the writers (see WriteLock)
    fcntl = None

# How long a write may wait in all: for the mock's other writers, then for SQLite's own lock (another program
# holding the file). However many requests queue behind a held file, each is answered within about this time,
# well inside gunicorn's worker timeout.
LOCK_WAIT_S = 15.0
LOCK_WAIT_MESSAGE = "database is locked (waited {:g} s for it)"


class WriteLock:
    """One writer at a time, across threads and processes, queued by the kernel; each waits about LOCK_WAIT_S at most.

    SQLite's own busy handler polls with sleeps of up to 100 ms when writers collide, which would put those
    sleeps in the p99 of a multi-worker server; a flock on a side file hands the lock over at once. A writer that
    waited long for it (queued behind one stuck in SQLite's busy wait: another program holds the file) has only
    what is left of its time for SQLite's wait (`budget`), or none: each once added a whole timeout to the wait of
    those before it, until gunicorn killed the worker.
    """

    def __init__(self, path: str | None, check: Callable[[], None] = lambda: None,
                 budget: Callable[[float | None], None] = lambda left: None) -> None:
        self._check = check  # run once the lock is held: a reason not to write raises there
        self._budget = budget  # given the seconds left for SQLite's wait after a long wait here; None: the default
        self._budgeted = False
        # when a write under the lock last failed (monotonic; 0: never), for the health check (SqliteStore.check_writes)
        self.failed_at = 0.0
        self.written = 0  # writes under the lock that went through, counted for the same check
        self._thread_lock = threading.Lock()
        # held for the store's life; without flock (Windows) writers in other processes wait in SQLite's busy
        # handler (the connection's LOCK_WAIT_S timeout): as correct, only slower when they collide. `path` is the
        # database's, the lock file beside it is made with its permissions
        self._file = (open(path + ".lock", "a+b", opener=lambda name, flags: open_beside(name, path, flags))
                      if path and fcntl is not None else None)
        if self._file:
            weakref.finalize(self, self._file.close)

    def close(self) -> None:
        if self._file:
            self._file.close()

    def __enter__(self) -> None:
        started = time.monotonic()
        self._thread_lock.acquire()
        try:
            if self._file:
                fcntl.flock(self._file, fcntl.LOCK_EX)
            waited = time.monotonic() - started
            if waited > LOCK_WAIT_S / 15:  # rare: a writer ahead waited on SQLite (1 s of the default 15)
                if waited >= LOCK_WAIT_S:
                    raise sqlite3.OperationalError(LOCK_WAIT_MESSAGE.format(round(waited, 1)))
                self._budget(LOCK_WAIT_S - waited)
                self._budgeted = True
            self._check()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise

    def __exit__(self, kind: type[BaseException] | None = None, *exc: object) -> None:
        if kind is not None and issubclass(kind, Exception) and not issubclass(kind, sqlite3.IntegrityError):
            self.failed_at = time.monotonic()  # a duplicate name is the request's doing, not a write that failed
        elif kind is None:
            self.written += 1
        if self._budgeted:
            self._budgeted = False
            with contextlib.suppress(sqlite3.Error):
                self._budget(None)
        if self._file:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._thread_lock.release()
