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
from typing import Any

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
# The -wal's frames that no checkpoint could copy back, past which a reader is taken to hold an old snapshot (another
# program's: the mock's own reads are single short queries) and the server's log says so: about 40 s of 50 creates a
# second. Told again each time the -wal doubles (128 MB, 256 MB...), and once when the checkpoints catch up.
WAL_HELD_BACK_BYTES = 64_000_000
# The marks row of the size told, named after the -wal's generation (see _wal_generation), which every worker reads:
# the first to find the -wal held back at a size tells it, and the first to find it copied back tells that.
HELD_BACK_MARK = "wal_held_back|"

# Held by the store's background threads (this one, the journal's) while they use SQLite, and taken by a fork
# (os.fork, multiprocessing's, gunicorn's) until it is done: a child forked while such a thread was inside SQLite
# inherited SQLite's mutexes held by a thread it does not have, and hung at its first use of SQLite.
IN_BACKGROUND = threading.Lock()
if hasattr(os, "register_at_fork"):  # Windows has no fork
    os.register_at_fork(before=IN_BACKGROUND.acquire, after_in_parent=IN_BACKGROUND.release,
                        after_in_child=IN_BACKGROUND.release)


def owner_ref(owner: object) -> weakref.ref:
    """The weak reference a background thread reaches its owner through, so that a store discarded without close()
    can be collected. It has a callback, which does nothing: Python 3.15 clears one without a callback only after
    the finalizers of its garbage cycle have run, and a thread that ran meanwhile took up a store being destroyed
    (its connections' statement caches cleared under it: a segmentation fault in SQLite's module)."""
    return weakref.ref(owner, _dead)


def _dead(_ref: weakref.ref) -> None:
    """Nothing to do: the thread finds its owner gone as it next wakes (waking it here could take a lock it holds)."""


class Checkpointer:
    """Calls `checkpoint` every `every` seconds in a daemon thread until stopped. A failure is logged once, not
    every time it recurs, and once more when it changes; checkpoints go on (a full disk may empty again)."""

    def __init__(self, checkpoint: Callable[[], None], every: float | None = None) -> None:
        every = CHECKPOINT_EVERY_S if every is None else every
        self._checkpoint = checkpoint
        self._stop = threading.Event()
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._run, args=(owner_ref(self), self._stop, every), daemon=True,
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


class HeldBackWatch:
    """Whether a reader holds the -wal back, as the store's checkpoint thread finds it, mixed into SqliteStore: it uses
    its `database`, `beside`, `_conn`, `_write` and `_held_back` (the size last told in this episode; 0: not held
    back)."""

    def wal_state(self) -> dict[str, Any] | None:
        """For the health check: the -wal file's length (a stat: health is polled) and whether checkpoints are held
        back, as the thread last found; None in memory, where there is no -wal."""
        if self.database.startswith("file:"):
            return None
        try:
            size = os.stat(self.beside + "-wal").st_size
        except OSError:  # none yet; one removed is refused by the health check before this
            size = 0
        return {"bytes": size, "heldBack": self._held_back > 0}

    def _note_progress(self, conn: sqlite3.Connection, logged: int, copied: int) -> None:
        """After a checkpoint that copied `copied` of the -wal's `logged` frames: log that a reader holds it back once
        WAL_HELD_BACK_BYTES are left behind, again at each doubling, and once when the checkpoints catch up."""
        behind = 0
        if copied < logged:
            [(page,)] = conn.execute("PRAGMA page_size").fetchall()
            behind = (logged - copied) * page
        level = _held_back_level(behind)
        log = logging.getLogger("mockserver")
        if level > self._held_back:
            self._held_back = level
            if self._first_to_tell(conn, level):
                log.warning(_held_back_line(self.beside))
        elif not level and self._held_back:
            self._held_back = 0
            if self._first_to_tell(conn, 0):
                log.warning(_caught_up_line(self.beside))

    def _first_to_tell(self, conn: sqlite3.Connection, level: int) -> bool:
        """Whether no worker told the -wal held back at `level` yet (or, for 0, told it copied back), marked in the
        database under the write lock so that the next one to ask is not. A row of another -wal (a server stopped
        while a reader held one back) is dropped. When the mark cannot be written, tell all the same."""
        try:
            with self._write:
                if not level:
                    return conn.execute("DELETE FROM marks WHERE substr(name, 1, ?) = ?",
                                        (len(HELD_BACK_MARK), HELD_BACK_MARK)).rowcount > 0
                mark = HELD_BACK_MARK + _wal_generation(self.beside + "-wal")
                conn.execute("DELETE FROM marks WHERE substr(name, 1, ?) = ? AND name <> ?",
                             (len(HELD_BACK_MARK), HELD_BACK_MARK, mark))
                return conn.execute("INSERT INTO marks (name, value) VALUES (?, ?) ON CONFLICT (name)"
                                    " DO UPDATE SET value = excluded.value WHERE value < excluded.value",
                                    (mark, level)).rowcount == 1
        except sqlite3.Error:
            return True


def _held_back_level(behind: int) -> int:
    """WAL_HELD_BACK_BYTES doubled as often as it fits in `behind`; 0 below it."""
    level = WAL_HELD_BACK_BYTES if behind >= WAL_HELD_BACK_BYTES else 0
    while level and level * 2 <= behind:
        level *= 2
    return level


def _wal_generation(path: str) -> str:
    """The -wal's header's checkpoint sequence number and salts, which SQLite changes each time it starts the -wal
    over (https://sqlite.org/fileformat2.html#walformat): while a reader holds it back, it cannot."""
    try:
        with open(path, "rb") as wal:
            return wal.read(24)[12:].hex()
    except OSError:
        return ""


def _wal_size(database: str) -> str:
    try:
        size = os.stat(database + "-wal").st_size
    except OSError:
        size = 0
    return f"{size / 1e6:.1f} MB" if size < 10e6 else f"{size / 1e6:,.0f} MB"


def _held_back_line(database: str) -> str:
    path = os.path.abspath(database)
    return (f"the database's -wal file {path}-wal has grown to {_wal_size(database)} because another connection holds"
            f" a read snapshot on {path} (an `sqlite3` shell or DB Browser with a transaction open, a backup): no"
            " checkpoint can copy past it, so the -wal grows with every write for as long as it holds; end that"
            " transaction (COMMIT or ROLLBACK) or close that program")


def _caught_up_line(database: str) -> str:
    return (f"checkpoints of {os.path.abspath(database)} caught up again: the read snapshot that held its -wal back"
            f" was let go, and what the -wal holds ({_wal_size(database)}) is copied back into the database file")


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
