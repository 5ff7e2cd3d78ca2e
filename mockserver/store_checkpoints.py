"""The store's WAL checkpoints (copying what the -wal holds back into the database file), made by a thread of
their own.

Left to SQLite, a checkpoint runs in the commit that takes the -wal past 1,000 pages (about every 330
creates): that request then waited for the copy and two fsyncs, 12 to 50 ms measured, and every other worker's
writes with it, behind the write lock. A passive checkpoint waits for no one, and SQLite lets other threads run
meanwhile; the requests' connections keep SQLite's own checkpoints only as a backstop, at BACKSTOP_PAGES.
"""

from __future__ import annotations

import atexit
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable

CHECKPOINT_EVERY_S = 0.2  # ~800 pages of -wal at the benchmark's rate of creates, as SQLite's own threshold
# A -wal this long (8 MB) is wholly copied back, under the write lock, so that the next write starts it over
START_OVER_PAGES = 2_000
# SQLite's wal_autocheckpoint on the requests' connections: reached only if the thread below does not run (a
# process forked from one with a store), so that the -wal stays bounded (about 40 MB) all the same
BACKSTOP_PAGES = 10_000
# The -wal's file is cut back to this length (SQLite's journal_size_limit) when it is started over; it is reused
# from its start otherwise, and kept the length of its longest stretch for the server's life: 95 MB after a reader
# held its snapshot for a minute (an `sqlite3` session with a transaction open, a backup), as no checkpoint can copy
# past a snapshot still read. Twice START_OVER_PAGES, so that the -wal the thread keeps short is never cut and grown.
WAL_KEPT_BYTES = 2 * START_OVER_PAGES * 4096

# Held by the store's background threads (this one, the journal's) while they use SQLite, and taken by a fork
# (os.fork, multiprocessing's, gunicorn's) until it is done: a child forked while such a thread was inside SQLite
# inherited SQLite's mutexes held by a thread it does not have, and hung at its first use of SQLite.
IN_BACKGROUND = threading.Lock()
if hasattr(os, "register_at_fork"):  # Windows has no fork
    os.register_at_fork(before=IN_BACKGROUND.acquire, after_in_parent=IN_BACKGROUND.release,
                        after_in_child=IN_BACKGROUND.release)


class Checkpointer:
    """Calls `checkpoint` every `every` seconds in a daemon thread until stopped. A failure is logged once, not
    every time it recurs, and once more when it changes; checkpoints go on (a full disk may empty again)."""

    def __init__(self, checkpoint: Callable[[], None], every: float | None = None) -> None:
        every = CHECKPOINT_EVERY_S if every is None else every
        self._checkpoint, self._every = checkpoint, every
        self._stop = threading.Event()
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._run, args=(weakref.ref(self), self._stop, every), daemon=True,
                                        name="mockserver-checkpoints")
        # after the connections' finalizers (the store holds one before making this), so it runs before them:
        # a connection closed under the thread checkpointing through it could crash the process
        atexit.register(_stop_at_exit, weakref.ref(self))
        self._thread.start()

    def stop(self) -> None:
        """End the checkpoints, waiting for one under way: the connections are closed next."""
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    @staticmethod
    def _run(ref: weakref.ref, stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            checkpointer = ref()
            if checkpointer is None:  # the store was discarded without close()
                return
            with IN_BACKGROUND:
                checkpointer.checkpoint_quietly()
            del checkpointer  # hold no reference while waiting, so a discarded store can be collected

    def checkpoint_quietly(self) -> None:
        try:
            self._checkpoint()
        except sqlite3.Error as exc:
            if str(exc) != self._failure:
                self._failure = str(exc)
                logging.getLogger("mockserver").error("could not checkpoint the database's -wal file: %s", exc)
        else:
            self._failure = None


def truncate_wal(conn: sqlite3.Connection, wait: float) -> tuple[int, int, int]:
    """A TRUNCATE checkpoint: the -wal copied back and cut to 0 bytes; (busy, frames in it, frames copied back), as
    SQLite's PRAGMA answers. SQLite waits (in the connection's busy timeout) for readers, but answers busy at once
    while another connection checkpoints, as the stores' threads do every CHECKPOINT_EVERY_S: tried again then,
    until `wait` seconds are up."""
    deadline = time.monotonic() + wait
    while True:
        [(busy, logged, copied)] = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        if not busy or time.monotonic() >= deadline:
            return busy, logged, copied
        time.sleep(0.002)


def _stop_at_exit(ref: weakref.ref) -> None:
    checkpointer = ref()
    if checkpointer is not None:
        checkpointer.stop()
