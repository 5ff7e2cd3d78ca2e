"""Where the mock keeps its state. `Store` is the interface; `SqliteStore` the embedded implementation.

SQLite in WAL mode with one connection per thread, so gunicorn's worker processes and threads share one file.
`synchronous=NORMAL` keeps a commit durable across a crash of the process (not of the machine), which is the
failure a mock has to survive. Another backend (a server database) only has to implement `Store`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from mockserver import store_lock
from mockserver.json_provider import dumps_bytes
from mockserver.process import alive
from mockserver.responses import timestamp, timestamp_at
from mockserver.store_checkpoints import START_OVER_PAGES, Checkpointer, HeldBackWatch, truncate_wal
from mockserver.store_connections import ThreadConnections, _ThreadConnection
from mockserver.store_files import CHECKPOINT_WAIT_S, FileChecks, FileIds, moved_error, stat_id
from mockserver.store_journal import (
    ANY_ENTRY,
    BATCH_STALE_S,
    BATCH_WAIT_S,
    ENTRY_COLUMNS,
    JournalBuffer,
    JournalEntry,
    JournalFilter,
    listed_entry,
    named_account,
)
from mockserver.store_layout import (
    SCHEMA,
    UnwritableDatabase,
    beside_path,
    check_is_ours,
    check_writable,
    error_code,
    explained,
    unusable_path,
    upgrade,
)
from mockserver.store_lock import WriteLock
from mockserver.store_modes import make_database, open_beside


class DuplicateName(Exception):
    """A campaign with this (lowercased) name already exists in the account; `held_id` is the id of the campaign that
    held it when the create was refused (read under the same write lock, so no delete came between)."""

    def __init__(self, lname: str, held_id: str | None = None) -> None:
        super().__init__(lname)
        self.held_id = held_id


class StoreUnavailable(Exception):
    """The database cannot be used just now (disk full, locked too long, not a database file...): the mock's
    trouble, not the request's. The message is the database's own reason."""


def _unavailable_on_error(method: Callable) -> Callable:
    """Turn the database's operational failures into StoreUnavailable; a constraint violation is a bug here."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:  # OperationalError is one
            raise StoreUnavailable(explained(exc, serving=True)) from exc

    return wrapper


def reports_unavailable(cls: type) -> type:
    """Apply _unavailable_on_error to every method of the Store interface that `cls` implements."""
    for name in Store.__dict__:
        if not name.startswith("_") and name != "close" and callable(getattr(cls, name, None)):
            setattr(cls, name, _unavailable_on_error(getattr(cls, name)))
    return cls


def _campaign_filter(account_id: str | None, lname: str | None, stream_id: str | None = None) -> tuple[str, list[str]]:
    """An SQL condition on the campaigns table: the account, the lowercased name, the stream, any of them or none."""
    terms = [(column, value) for column, value in (("account_id", account_id), ("lname", lname),
                                                   ("stream_id", stream_id)) if value is not None]
    return " AND ".join(f"{column} = ?" for column, _ in terms) or "1", [value for _, value in terms]


class Store(Protocol):
    closed: bool  # whether close() was called

    def add_campaign(self, account_id: str, stream_id: str, lname: str, data: dict[str, Any]) -> None: ...
    def campaigns(self, limit: int = 100, offset: int = 0, account_id: str | None = None,
                  lname: str | None = None, after: int | None = None,
                  stream_id: str | None = None) -> list[dict[str, Any]]: ...
    def campaign_seqs(self, limit: int = 100, offset: int = 0, account_id: str | None = None,
                      lname: str | None = None, after: int | None = None,
                      stream_id: str | None = None) -> list[int]: ...
    def campaigns_at(self, seqs: list[int]) -> list[dict[str, Any]]: ...
    def campaign(self, campaign_id: str) -> dict[str, Any] | None: ...
    def count_campaigns(self, account_id: str | None = None, lname: str | None = None,
                        stream_id: str | None = None) -> int: ...
    def delete_campaign(self, campaign_id: str) -> bool: ...
    def record(self, entry: JournalEntry) -> None: ...
    def journal(self, limit: int = 100, offset: int = 0, which: JournalFilter = ANY_ENTRY,
                settled: bool = False) -> list[dict[str, Any]]: ...
    def count_journal(self, which: JournalFilter = ANY_ENTRY) -> int: ...
    def journal_entry(self, entry_id: int) -> dict[str, Any] | None: ...
    def delete_journal_entry(self, entry_id: int) -> bool: ...
    def journal_newest_id(self) -> int: ...
    def journal_span(self) -> tuple[int, int | None]: ...
    def clear_journal(self, account_id: str | None = None) -> int: ...
    def trim_journal(self) -> None: ...
    def reset(self) -> None: ...
    def reset_account(self, account_id: str) -> dict[str, int]: ...
    def integrity_check(self) -> str: ...
    def check_files(self) -> None: ...
    def wal_state(self) -> dict[str, Any] | None: ...
    def check_writes(self) -> None: ...
    def close(self) -> None: ...
    def add_fault_rule(self, rule: dict[str, Any], most: int | None = None) -> dict[str, Any] | None: ...
    def fault_rules(self) -> list[dict[str, Any]]: ...
    def fault_rule(self, rule_id: int) -> dict[str, Any] | None: ...
    def replace_fault_rule(self, rule_id: int, rule: dict[str, Any], read: tuple[int, int] | None = None
                           ) -> dict[str, Any] | None: ...
    def claim_fault_rule(self, rule_id: int) -> bool: ...
    def delete_fault_rules(self, rule_id: int | None = None, account_id: str | None = None) -> int: ...
    def count_request(self, account_id: str, now: float, period: float) -> tuple[int, float]: ...


FAULT_RULE_COLUMNS = ("id", "fault", "method", "path", "probability", "remaining", "applied", "account_id")
FAULT_RULE_KEYS = ("id", "fault", "method", "path", "probability", "remaining", "applied", "accountId")  # as listed
# The marks of the journal's clears: the whole journal's (`journal_cleared_at`) and each account's (`...|<account>`)
CLEARED_MARKS = "(name = 'journal_cleared_at' OR substr(name, 1, 19) = 'journal_cleared_at|')"
# An account's mark drops the batches held since before its clear, which come within 0.1 s (readers stop waiting for
# them after BATCH_STALE_S): it is kept this long, not for good, so clearing a new accountId each time adds no row.
ACCOUNT_MARK_KEPT_S = 60.0
# The health check's write: tried at most once in this time while writes go through (and at once after one that
# failed), and, when it failed, tried again at most once in FAILED_PROBE_KEPT_S, so a poll costs no write.
WRITE_PROBE_KEPT_S = 5.0
FAILED_PROBE_KEPT_S = 1.0
PROBE_PAGES = 4  # the size of that write (16 KiB of the default page size), kept in the marks table between them
# A long-running sandbox journals every request (~2 KB for the sample, at most ~50 KB: 8 KiB of headers and of body,
# the request line): keep the newest, not a database that only grows.
DEFAULT_JOURNAL_LIMIT = 100_000
# A listing `after` an id with at most this many entries written since reads them by id (a poll: 2 ms for 5,000 on a
# full journal); with more, the time index's walk from the newest is cheaper (reading them all took 0.35 s at 100,000),
# and its worst, no match among the entries it walks past, reads only the index (15 to 50 ms at 100,000).
AFTER_BY_ID = 5_000
RESET_CHUNK = 500  # an account's campaigns deleted in one transaction by its reset (about 20 ms of the write lock)
RESET_PAUSE_S = 0.005  # between two of them
# A request's moment this far before its account's rate window opened is no wait for the write lock (LOCK_WAIT_S at
# most): the wall clock was stepped back (NTP, a resumed VM), and the window, which would last as long as the step,
# is started again.
CLOCK_STEPPED_BACK_S = 2 * store_lock.LOCK_WAIT_S


def _clears(conn: sqlite3.Connection) -> int:
    """How many times the journal, or an account's part of it, was cleared: a batch begun after the last clear is
    known by it, not by the wall clock."""
    row = conn.execute("SELECT value FROM marks WHERE name = 'journal_clears'").fetchone()
    return 0 if row is None else int(row[0])


def _count_clear(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO marks (name, value) VALUES ('journal_clears', 1) ON CONFLICT (name)"
                 " DO UPDATE SET value = value + 1")


def memory_uri() -> str:
    """A private in-memory database that every connection of this process can share."""
    return f"file:mock-{uuid.uuid4().hex}?mode=memory&cache=shared"


def _account_entries(conn: sqlite3.Connection, account_id: str) -> tuple[int, list[int]]:
    """(the journal's highest id now, the ids up to it of the entries naming the account), read without the write
    lock: finding them reads every entry (0.35 s over a full 100,000-entry journal), and under the lock every create
    of every worker waited for it. An entry pushed out meanwhile is not counted as deleted."""
    [(upto,)] = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM journal").fetchall()
    where, values = JournalFilter(account_id=account_id).where()
    return upto, [seq for (seq,) in conn.execute(f"SELECT seq FROM journal WHERE seq <= ? AND {where}",
                                                  (upto, *values))]


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back if anything in it fails (a full disk, say): a transaction left open
    would refuse every later BEGIN on this connection."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")  # in WAL mode the pages are written here: a full disk fails the COMMIT itself
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def _fast_delete(conn: sqlite3.Connection) -> Iterator[None]:
    """Deletes that do not overwrite the pages they free, for a reset or a clear (see _give_back_space): SQLite
    built with SECURE_DELETE (Debian's, which Python there uses) writes each freed page again, full of zeros, so a
    reset of a 57,000-campaign database wrote an 83 MB WAL beside the 82 MB file, kept while the workers ran."""
    [(before,)] = conn.execute("PRAGMA secure_delete").fetchall()
    conn.execute("PRAGMA secure_delete = FAST")  # zeroes a freed page only where that costs no extra write
    try:
        yield
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(before)}")


@reports_unavailable
class SqliteStore(FileChecks, ThreadConnections, HeldBackWatch):
    def __init__(self, database: str, journal_limit: int = DEFAULT_JOURNAL_LIMIT, thorough: bool = False,
                 file_id: tuple[int, int] | None = None) -> None:
        """`file_id`: the (device, inode) the database file must be; one removed or replaced since is refused, not
        made or opened anew (a gunicorn worker started after it was removed served a new, empty file of its own)."""
        if file_id is not None and stat_id(database) != tuple(file_id):
            raise moved_error(0)
        if database != ":memory:" and not database.startswith("file:") and (unusable := unusable_path(database)):
            raise UnwritableDatabase(unusable)  # as given: abspath drops a trailing slash
        # a file's path made absolute: each thread opens its own connection, and a relative one would be looked up
        # again from wherever the process's working directory has moved since (a test's chdir: "removed or replaced")
        self.database = memory_uri() if database == ":memory:" else (
            database if database.startswith("file:") else os.path.abspath(database))
        self.beside = beside_path(self.database)  # the files beside it are named from this (a link followed)
        self.journal_limit = journal_limit  # newest entries kept; older ones go as new ones are written
        if not self.database.startswith("file:"):
            check_writable(self.database)
            check_is_ours(self.database, store_lock.LOCK_WAIT_S, thorough)
        self._local = threading.local()
        self._open: weakref.WeakSet[_ThreadConnection] = weakref.WeakSet()  # every thread's, for close()
        self._write = WriteLock(None if self.database.startswith("file:") else self.beside,
                                check=self._same_file, budget=self._busy_wait)
        self._file_id: FileIds | None = None  # the database file's and SQLite's beside it, once open: _same_file
        self._wal_copied = 0  # the -wal's length at the checkpoint thread's last copy under the write lock
        self._wal_saved = False
        self._held_back = 0  # the -wal's size last told held back by a reader (HeldBackWatch); 0: it is not
        # when the health check's write was tried, why it failed, and the count of writes then (check_writes)
        self._write_probed: tuple[float, str | None, int] = (float("-inf"), None, 0)
        # A side file present while fault rules may exist: every API request asks for the rules, and a stat
        # (about 1 us) answers "none" without touching SQLite. In memory, one process: always ask SQLite.
        # It changes only under the write lock, with the rules: a worker starting (or a reset) while another
        # adds a rule must not remove it after the rule went in.
        self._rules_marker = None if self.database.startswith("file:") else self.beside + "-faults"
        # Under the write lock: two processes opening a new file at once both switch it to WAL, and SQLite answers
        # the loser "database is locked" at once, without waiting in its busy handler.
        with self._write:
            if not self.database.startswith("file:"):  # its owner's alone (store_modes), not by the umask
                make_database(self.database)
            # Hold one connection for the store's life: an in-memory database lives only while one is open, and
            # SQLite removes a file's -wal and -shm as the last one closes, so new ones would follow (_same_file).
            self._keeper = self._hold(self._connect())
            with self._conn() as conn:
                conn.executescript(SCHEMA)
                upgrade(conn)
                self._clear_stale_batches(conn, thorough)
            # a read opens the keeper's -wal: SQLite removes the files only as the last connection that has it closes
            self._keeper.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            self._file_id = self._identity()
            self._mark_stored_rules()
        self._holder = uuid.uuid4().hex
        # a batch's start -> the journal's clears when each batch begun then began, oldest first: two of this
        # worker's batches can start in one millisecond (the second while a journal read writes the first)
        self._clears_at_batch: dict[str, list[int]] = {}
        self._batch_starts = threading.Lock()  # for _clears_at_batch; taken last, under the write lock or alone
        self._journal = JournalBuffer(self._write_journal, self._announce_batch)
        # in memory there is no -wal; made after the keeper, so that it stops first at exit (see Checkpointer)
        self._checkpoints = None if self.database.startswith("file:") else Checkpointer(self._checkpoint)
        self.closed = False

    def _clear_stale_batches(self, conn: sqlite3.Connection, thorough: bool) -> None:
        """Remove the announcements a killed worker left: no reader waits on them, but they would pile up. The only
        write an open makes on a file of the current layout, so it is what finds another program's write lock or a
        full disk: `serve` refuses to start then (`thorough`, its one check before the workers start), but a worker
        it starts later (replacing one, after a SIGHUP) leaves them for another open, rather than fail and stop the
        server while its other workers answer 503 until the lock is let go or room is freed."""
        if not thorough:
            self._busy_wait(0)
        try:
            conn.execute("DELETE FROM journal_batches WHERE since < ?", (timestamp_at(time.time() - BATCH_STALE_S),))
        except sqlite3.OperationalError as exc:
            if thorough or error_code(exc) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_FULL):
                raise
        finally:
            if not thorough:
                self._busy_wait(None)

    def trim_journal(self) -> None:
        """Delete the entries beyond the journal's limit, which a --journal-limit lower than the file was written
        with leaves, and give their room back as a clear does: serve does, once, before any request. Left to the
        first batch written, the 99,000 of a full journal served with a limit of 1,000 were deleted under the write
        lock while a create waited 1.2 to 1.6 s, and the startup line said the journal held 100,000 entries of
        1,000. Not with --no-journal, whose limit is no one's choice: the entries wait for a limit given again."""
        conn = self._conn()
        with self._write:
            with _fast_delete(conn), _transaction(conn):
                trimmed = conn.execute("DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?",
                                       (self.journal_limit,)).rowcount
            if trimmed:
                self._give_back_space(conn)

    def close(self) -> None:
        """Write what the journal holds and let go of the files; the store is not used after this."""
        self.closed = True
        self._journal.stop()
        self._journal.flush_quietly()
        if self._checkpoints is not None:
            self._checkpoints.stop()
        self._save_if_moved()  # SQLite copies no -wal into a file that moved as its last connection closes
        self._write.close()
        self._file_id = None  # its -wal and -shm go with the last connection: one opened after is not to refuse
        for held in list(self._open):  # every thread's connection, and the keeper
            held.close()

    def _checkpoint(self) -> None:
        """Copy what the -wal holds back into the database file, as far as no reader still needs it (the store's
        checkpoint thread, see store_checkpoints), waiting for no one; and once the -wal is START_OVER_PAGES long,
        copy what was written meanwhile under the write lock, which holds the creates back for about 3 ms (the
        copy's two fsyncs, mostly). SQLite starts the -wal over at the next write only if it was wholly copied,
        which a copy made while creates go on never is: the -wal grew until SQLite's own checkpoint at
        BACKSTOP_PAGES, which a request waited for (35 ms). Not once the files were removed or replaced: writes
        are refused then, and the -wal the connection holds may be one no one else reads; but a database file gone
        is given what the -wal holds at once (_save_if_moved), before a server started on the file now there reads
        that -wal as its own."""
        if self._moved() is not None:
            self._save_if_moved()
            return
        conn = self._conn()
        for _ in range(2):  # the second copies what was written during the first: a few pages are left for the lock
            [(busy, logged, copied)] = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            if busy:  # another connection is checkpointing
                return
        self._note_progress(conn, logged, copied)  # a reader that holds the -wal back is told of
        # `logged` is the -wal's length when the copy began; when it is what the last copy under the lock left,
        # nothing was written since (or the -wal was started over and grew back to it: a round's delay at worst)
        if logged >= START_OVER_PAGES and logged != self._wal_copied:
            with self._write:
                [(busy, logged, _)] = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self._wal_copied = logged

    def add_campaign(self, account_id: str, stream_id: str, lname: str, data: dict[str, Any]) -> None:
        """Store a campaign; its lowercased name must be new in the account. One statement, one commit."""
        row = (data["id"], account_id, stream_id, lname, data["createdAt"], dumps_bytes(data).decode())
        conn, duplicate = self._conn(), None
        try:
            with self._write:
                try:
                    conn.execute(
                        "INSERT INTO campaigns (id, account_id, stream_id, lname, created_at, data)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        row,
                    )
                except sqlite3.IntegrityError as exc:
                    if "lname" in str(exc):
                        # the campaign holding the name, read before the lock is let go: read after, by the 409's
                        # own lookup, a delete from another worker could come between, and the 409 named no campaign
                        held = conn.execute("SELECT id FROM campaigns WHERE account_id = ? AND lname = ?",
                                            (account_id, lname)).fetchone()
                        duplicate = DuplicateName(lname, None if held is None else held[0])
                    raise  # an IntegrityError, which the lock does not count as a write that failed
        except sqlite3.IntegrityError:
            if duplicate is not None:
                raise duplicate from None
            raise

    def campaigns(self, limit: int = 100, offset: int = 0, account_id: str | None = None,
                  lname: str | None = None, after: int | None = None,
                  stream_id: str | None = None) -> list[dict[str, Any]]:
        """Oldest first, narrowed to an account, a (lowercased) name and a stream when given; each with its `seq`,
        the order it was stored in, and only those stored after `after` when given (a next page)."""
        return self.campaigns_at(self.campaign_seqs(limit, offset, account_id, lname, after, stream_id))

    def campaign_seqs(self, limit: int = 100, offset: int = 0, account_id: str | None = None,
                      lname: str | None = None, after: int | None = None, stream_id: str | None = None) -> list[int]:
        """The `seq`s of the campaigns `campaigns` lists, oldest first. Narrowed to an account or a name, they are
        read from the (account, name) index alone, and only numbers are sorted: read with their rows, an account's
        listing sorted each of the account's rows, data and all, for each page (5.6 s for a page at offset 100,000
        of an account's 150,000). A stream has no index: its filter reads the table (0.6 s over 300,000)."""
        where, values = _campaign_filter(account_id, lname, stream_id)
        if after is not None:
            where, values = f"{where} AND seq > ?", [*values, after]
        # a name without its account: SQLite reads the table for it (0.5 s), where the index holds every name (40 ms)
        hint = f"INDEXED BY {self._name_index()}" if account_id is None and lname is not None and not stream_id else ""
        rows = self._conn().execute(f"SELECT seq FROM campaigns {hint} WHERE {where} ORDER BY seq LIMIT ? OFFSET ?",
                                    (*values, limit, offset))
        return [seq for (seq,) in rows]

    def campaigns_at(self, seqs: list[int]) -> list[dict[str, Any]]:
        """The campaigns stored as `seqs` (a page's worth), oldest first, as `campaigns` lists them; those deleted
        since are left out."""
        if not seqs:
            return []
        rows = self._conn().execute(f"SELECT seq, data, account_id, stream_id FROM campaigns WHERE seq IN"
                                    f" ({', '.join('?' * len(seqs))}) ORDER BY seq", seqs)
        return [{"seq": q, "accountId": a, "streamId": s, "campaign": json.loads(d)} for q, d, a, s in rows]

    def _name_index(self) -> str:
        """The name SQLite gave the index of UNIQUE (account_id, lname): sqlite_autoindex_campaigns_1, or _2 in a
        file of the first layout, where `id` was UNIQUE too."""
        conn = self._conn()
        for _, name, unique, *_ in conn.execute("PRAGMA index_list(campaigns)").fetchall():
            if unique and [row[2] for row in conn.execute(f"PRAGMA index_info({name})")] == ["account_id", "lname"]:
                return name
        raise sqlite3.DatabaseError("the campaigns table has no index on (account_id, lname)")

    def campaign(self, campaign_id: str) -> dict[str, Any] | None:
        """One campaign by its id, as `campaigns` lists it. A scan: an index on id would cost every create a page
        write, and this is the admin API's, not the endpoint's."""
        row = self._conn().execute(
            "SELECT data, account_id, stream_id FROM campaigns WHERE id = ?", (campaign_id,)
        ).fetchone()
        return None if row is None else {"accountId": row[1], "streamId": row[2], "campaign": json.loads(row[0])}

    def count_campaigns(self, account_id: str | None = None, lname: str | None = None,
                        stream_id: str | None = None) -> int:
        where, values = _campaign_filter(account_id, lname, stream_id)
        return self._conn().execute(f"SELECT COUNT(*) FROM campaigns WHERE {where}", values).fetchone()[0]

    def delete_campaign(self, campaign_id: str) -> bool:
        """Forget one campaign (its name is free again in its account); False if there was none with that id. Found
        first, without the write lock (a scan, as in `campaign`: 0.35 s over 300,000 campaigns, which every create
        waited for), then deleted by its place in the store; found again if that row went meanwhile (a seeded id
        deleted and created again by another client comes back in another place)."""
        conn = self._conn()
        while (found := conn.execute("SELECT seq FROM campaigns WHERE id = ?", (campaign_id,)).fetchone()) is not None:
            with self._write:
                if conn.execute("DELETE FROM campaigns WHERE seq = ? AND id = ?", (found[0], campaign_id)).rowcount:
                    return True
        return False

    def record(self, entry: JournalEntry) -> None:
        """Queue a journal entry; entries reach the database in batches (see JournalBuffer)."""
        self._journal.add(
            (
                entry.at, entry.method, entry.path, entry.query, dumps_bytes(entry.headers).decode(), entry.body,
                entry.status, dumps_bytes(entry.errors).decode(), entry.latency_ms, int(entry.body_read),
                "".join(named_account(account)[:-1] for account in sorted(entry.accounts)) + "|", entry.fault_rule,
            )
        )

    def _announce_batch(self, since: str) -> None:
        conn = self._conn()
        with self._write, _transaction(conn):
            conn.execute("INSERT OR IGNORE INTO journal_batches (holder, pid, since) VALUES (?, ?, ?)",
                         (self._holder, os.getpid(), since))
            with self._batch_starts:
                self._clears_at_batch.setdefault(since, []).append(_clears(conn))

    def _await_batches(self) -> None:
        """Wait until the batches other workers held when this read began are written, BATCH_WAIT_S at most, so
        a listing holds every request answered before it, whichever worker answered it. A batch older than
        BATCH_STALE_S, or of a process that is gone, is not waited for: its write failed, or will never come."""
        conn, began, deadline = self._conn(), time.time(), time.monotonic() + BATCH_WAIT_S  # whatever the wall
        window = (timestamp_at(began - BATCH_STALE_S), timestamp_at(began))  # clock does meanwhile (NTP, a resume)
        while True:
            held = conn.execute("SELECT DISTINCT pid FROM journal_batches WHERE since BETWEEN ? AND ?", window)
            if not any(alive(pid) for (pid,) in held) or time.monotonic() >= deadline:
                return
            time.sleep(0.005)

    def _write_journal(self, rows: list[tuple], since: str) -> None:
        conn = self._conn()
        with self._batch_starts:  # taken first: a write that fails has lost the batch
            begun = self._clears_at_batch.get(since)
            clears_then = begun.pop(0) if begun else None
            if not begun:
                self._clears_at_batch.pop(since, None)
        with self._write, _transaction(conn):
            with self._batch_starts:
                # A batch begun in the same millisecond, not written yet, shares the announcement (one row a
                # start): taken down with this one's, readers in other workers did not wait for its entries.
                if since not in self._clears_at_batch:
                    conn.execute("DELETE FROM journal_batches WHERE holder = ? AND since = ?", (self._holder, since))
            # Entries another worker still held when the journal was cleared (a reset) belong to before it. Times
            # are the wall clock's to the millisecond: one answered in the reset's millisecond stays.
            # So are an account's entries held when that account's were deleted (`journal_cleared_at|<account>`).
            # A batch begun after the last clear holds nothing from before it, whatever the wall clock did since
            # (stepped back, its rows' times are before the clear's): its rows are all kept.
            begun_after = clears_then == _clears(conn)
            oldest = "~" if begun_after else min((row[0] for row in rows), default="")  # "~": after every mark
            marks = conn.execute(f"SELECT name, value FROM marks WHERE {CLEARED_MARKS} AND value > ?", (oldest,))
            for name, cleared in marks.fetchall():
                named = named_account(name.partition("|")[2])
                rows = [row for row in rows if row[0] >= cleared or named != "||" and named not in row[10]]
            conn.executemany(
                "INSERT INTO journal (at, method, path, query, headers, body, status, errors, latency_ms, body_read,"
                " accounts, fault_rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.execute("DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?", (self.journal_limit,))

    def journal(self, limit: int = 100, offset: int = 0, which: JournalFilter = ANY_ENTRY,
                settled: bool = False) -> list[dict[str, Any]]:
        """Entries newest first: by the time each was answered, then by id. `settled`: the caller has just waited
        for other workers' batches (count_journal), so this read need not wait again. The entries this worker holds
        are written first; if they cannot be (a full disk), that is logged and the journal read all the same."""
        self._journal.flush_quietly()
        if not settled and which.before is None:  # a next page (`before`) is of a listing that waited already
            self._await_batches()
        where, values = which.where()
        # Walk the time index from its end, testing each entry, until `limit` match: a status index would make
        # SQLite gather every match and sort them. After an id, a poll's few newer entries come by id, then sort;
        # but not many (a poller far behind, `after=0`), nor on a next page, which seeks in the time index to
        # where the last one ended: by id, each page read and sorted every newer entry, data and all (the newest
        # 10,000 `after=0` of a full 100,000-entry journal took 66 s, 200 pages of 0.33 s).
        by_id = (which.after is not None and which.before is None
                 and self.journal_newest_id() - which.after <= AFTER_BY_ID)
        walk = "NOT INDEXED" if by_id else "INDEXED BY journal_at"
        rows = self._conn().execute(
            f"SELECT {ENTRY_COLUMNS} FROM journal {walk} WHERE {where} ORDER BY at DESC, seq DESC LIMIT ? OFFSET ?",
            (*values, limit, offset),
        )
        return [listed_entry(row) for row in rows]

    def _written_up_to(self, entry_id: int) -> None:
        """Before a read of one entry: the entries this worker holds are written, and, for an id the journal has not
        given yet, those other workers hold (as a listing waits for them), since ids are given as entries are
        written. An id up to the newest given is of an entry written already: no wait."""
        self._journal.flush_quietly()
        if entry_id > self.journal_newest_id():
            self._await_batches()

    def journal_entry(self, entry_id: int) -> dict[str, Any] | None:
        """One entry by its id, as `journal` lists it; None if the journal holds none with that id (never given,
        deleted, or gone beyond the journal's limit). A request answered before the read is found by its id."""
        self._written_up_to(entry_id)
        row = self._conn().execute(f"SELECT {ENTRY_COLUMNS} FROM journal WHERE seq = ?", (entry_id,)).fetchone()
        return None if row is None else listed_entry(row)

    def delete_journal_entry(self, entry_id: int) -> bool:
        """Forget one journal entry; False if the journal holds none with that id (found as journal_entry finds
        it). The ids kept no longer follow each other (journal_span counts them while one is below it)."""
        self._written_up_to(entry_id)
        conn = self._conn()
        with self._write, _transaction(conn):
            if conn.execute("DELETE FROM journal WHERE seq = ?", (entry_id,)).rowcount == 0:
                return False
            conn.execute("INSERT INTO marks (name, value) VALUES ('journal_gaps_below', ?) ON CONFLICT (name)"
                         " DO UPDATE SET value = MAX(value, excluded.value)", (entry_id,))
        return True

    def count_journal(self, which: JournalFilter = ANY_ENTRY) -> int:
        self._journal.flush_quietly()  # as journal() does
        self._await_batches()
        where, values = which.where()
        return self._conn().execute(f"SELECT COUNT(*) FROM journal WHERE {where}", values).fetchone()[0]

    def journal_newest_id(self) -> int:
        """The highest id the journal has given, 0 before any. Ids are given as entries are written, each above
        every id given before (clears and resets included), so every entry with an id up to this one is written:
        a client polling with `after` may move on to it, even when none of those entries matched its filters.
        Lower than before only on another database."""
        row = self._conn().execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
        return 0 if row is None else row[0]

    def journal_span(self) -> tuple[int, int | None]:
        """(how many entries the journal holds, the oldest one's id or None), whatever its size in two lookups of
        the table's end, for the health check: COUNT(*) reads an index through (0.8 ms on a full 100,000-entry
        journal with a cold cache, as other workers' writes leave it, and ten times that at 1,000,000). The ids
        kept follow each other: a batch's are given together, and entries go only oldest first (beyond the limit)
        or all at once (a clear). The entries this worker still holds (0.1 s of them) are not counted yet."""
        conn = self._conn()
        oldest, newest, gaps_below = conn.execute(
            "SELECT (SELECT MIN(seq) FROM journal), (SELECT MAX(seq) FROM journal),"
            " (SELECT value FROM marks WHERE name = 'journal_gaps_below')").fetchone()
        if oldest is None:
            return 0, None
        if gaps_below is not None and oldest < gaps_below:  # an account's entries went from among the others
            return conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0], oldest
        return newest - oldest + 1, oldest

    def clear_journal(self, account_id: str | None = None) -> int:
        """Empty the journal, or delete the entries naming `account_id`; how many entries were deleted, those other
        workers held when it began among them (it waits for their batches, as a listing does: dropped as they were
        written, they went uncounted, and the same requests then a clear were answered 3 one time and 1 the next)."""
        self._journal.flush_quietly()  # the entries in hand go with the rest; on a full disk they cannot be written
        self._await_batches()
        conn = self._conn()
        found = None if account_id is None else _account_entries(conn, account_id)
        with self._write:
            with _fast_delete(conn), _transaction(conn):
                if account_id is None:
                    deleted = self._clear_journal(conn)
                else:
                    deleted = self._clear_account_journal(conn, account_id, *found)
            self._give_back_space(conn)
        return deleted

    @staticmethod
    def _clear_journal(conn: sqlite3.Connection) -> int:
        """Empty the journal, and mark when: other workers' batches still in hand are dropped up to then."""
        _count_clear(conn)
        deleted = conn.execute("DELETE FROM journal").rowcount
        conn.execute(f"DELETE FROM marks WHERE {CLEARED_MARKS} OR name = 'journal_gaps_below'")  # the next is later
        conn.execute("INSERT OR REPLACE INTO marks (name, value) VALUES ('journal_cleared_at', ?)", (timestamp(),))
        return deleted

    @staticmethod
    def _clear_account_journal(conn: sqlite3.Connection, account_id: str, upto: int, found: list[int]) -> int:
        """Under the write lock: delete the entries naming the account, `found` up to id `upto` (_account_entries,
        before the lock was taken) and those written since, and mark when: other workers' batches still in hand
        are dropped of its entries up to then. The ids kept no longer follow each other below the highest deleted
        (journal_span counts them until the oldest kept is above it)."""
        _count_clear(conn)
        where, values = JournalFilter(account_id=account_id).where()
        since = [seq for (seq,) in conn.execute(f"SELECT seq FROM journal WHERE seq > ? AND {where}", (upto, *values))]
        doomed = found + since
        highest = max(doomed, default=None)
        deleted = conn.executemany("DELETE FROM journal WHERE seq = ?", [(seq,) for seq in doomed]).rowcount
        conn.execute("DELETE FROM marks WHERE substr(name, 1, 19) = 'journal_cleared_at|' AND value < ?",
                     (timestamp_at(time.time() - ACCOUNT_MARK_KEPT_S),))
        conn.execute("INSERT OR REPLACE INTO marks (name, value) VALUES (?, ?)",
                     (f"journal_cleared_at|{account_id}", timestamp()))
        if highest is not None:
            conn.execute("INSERT INTO marks (name, value) VALUES ('journal_gaps_below', ?) ON CONFLICT (name)"
                         " DO UPDATE SET value = MAX(value, excluded.value)", (highest,))
        return deleted

    def reset(self) -> None:
        self._journal.flush_quietly()  # as clear_journal: a reset is how a full disk is mended
        conn = self._conn()
        with self._write:
            with _fast_delete(conn), _transaction(conn):
                conn.execute("DELETE FROM campaigns")
                self._clear_journal(conn)
                conn.execute("DELETE FROM fault_rules")
                conn.execute("DELETE FROM rate_counts")
            self._mark_rules(False)
            self._give_back_space(conn)

    def reset_account(self, account_id: str) -> dict[str, int]:
        """Forget one account's campaigns, the journal entries naming it, the fault rules narrowed to it and its
        rate-limit counts, leaving every other account's (and the rules for any account); how many campaigns,
        entries and rules were deleted."""
        self._journal.flush_quietly()  # the entries in hand go with the rest, as in reset()
        self._await_batches()  # and other workers', counted, as in clear_journal()
        conn = self._conn()
        campaigns = self._delete_account_campaigns(conn, account_id)
        found = _account_entries(conn, account_id)
        with self._write:
            with _fast_delete(conn), _transaction(conn):
                requests = self._clear_account_journal(conn, account_id, *found)
                rules = conn.execute("DELETE FROM fault_rules WHERE account_id = ?", (account_id,)).rowcount
                conn.execute("DELETE FROM rate_counts WHERE account_id = ?", (account_id,))
            self._mark_stored_rules()
            self._give_back_space(conn)
        return {"campaigns": campaigns, "requests": requests, "faultRules": rules}

    def _delete_account_campaigns(self, conn: sqlite3.Connection, account_id: str) -> int:
        """Delete the campaigns the account held when this began, RESET_CHUNK at a time, each part a transaction of
        its own: in one, 150,000 campaigns (rows among another account's, so nearly every page of the file is
        written again) took 6 s, during which every create of every worker waited, and an account twice that size
        would outlast the wait a write is given (LOCK_WAIT_S: every create a 503). A campaign created meanwhile
        is stored after the last one deleted, as one that waited for the reset was; a create of a name not yet
        deleted is refused as a duplicate, as it was before the reset began. How many were deleted."""
        [(last,)] = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM campaigns").fetchall()
        deleted = 0
        while True:
            with self._write, _fast_delete(conn), _transaction(conn):
                part = conn.execute("DELETE FROM campaigns WHERE seq IN (SELECT seq FROM campaigns WHERE account_id = ?"
                                    " AND seq <= ? LIMIT ?)", (account_id, last, RESET_CHUNK)).rowcount
            deleted += part
            if part < RESET_CHUNK:
                return deleted
            time.sleep(RESET_PAUSE_S)  # the lock is not handed on in turn: a writer waiting for it takes it now

    def _give_back_space(self, conn: sqlite3.Connection) -> None:
        """After a reset or a journal clear, under the write lock: give freed space back to the file system.
        Deleting rows only frees pages inside the file, which later writes reuse but which never shrink it.

        When at least half the file's pages are free (after any reset of a full sandbox), VACUUM rebuilds it
        from what is left; it costs about the size of what stays (a few ms after a reset; 0.4 s and a WAL the size
        of the campaigns, for a moment, for a clear that keeps 57,000), so a clear that frees less leaves its
        pages for the journal to reuse. VACUUM needs only the write lock: other workers' readers keep their
        snapshot meanwhile. (auto_vacuum=INCREMENTAL would avoid the rebuild, but costs every create a
        pointer-map page write, and turning it on for an existing file takes a VACUUM.) Then a TRUNCATE
        checkpoint copies the WAL back and truncates it to 0 bytes, and the file to what it holds; it waits
        CHECKPOINT_WAIT_S at most for readers still on an older snapshot (each of the mock's reads is one short
        query). The reset or clear is done either way: what fails here is logged, and the next one (or the last
        connection closing) gives the space back."""
        if self.database.startswith("file:"):  # in memory: no file to shrink
            return
        log = logging.getLogger("mockserver")
        try:
            [(free,)] = conn.execute("PRAGMA freelist_count").fetchall()
            [(pages,)] = conn.execute("PRAGMA page_count").fetchall()
            if free and free * 2 >= pages:
                conn.execute("VACUUM")
            self._busy_wait(CHECKPOINT_WAIT_S)
            try:
                busy, logged, copied = truncate_wal(conn, CHECKPOINT_WAIT_S)
            finally:
                self._busy_wait(None)
        except sqlite3.DatabaseError as exc:
            log.error("could not give the freed space back to the file system: %s", exc)
            return
        if busy:
            log.warning("could not truncate the WAL: a reader held an older snapshot for %g s (%d of %d frames"
                        " copied back)", CHECKPOINT_WAIT_S, copied, logged)

    def check_writes(self) -> None:
        """Refuse (StoreUnavailable, the reason) when the database cannot be written, for the health check: a full
        disk, a file system gone read-only, a -wal that cannot grow leave reads going, so reading tells nothing.
        Known from a write tried here, a row of PROBE_PAGES pages committed (more than a create writes: on a disk
        nearly full, a small write can find room that a create does not): at most once in WRITE_PROBE_KEPT_S while
        writes go through, and again as soon as one failed (any of this worker's own, which take the same lock).
        One that failed is tried again at most once in FAILED_PROBE_KEPT_S, or at once after a write went through.
        Files removed or replaced are found first, without a write (check_files)."""
        self._check_files()
        at, failed, written = self._write_probed
        now = time.monotonic()
        kept = FAILED_PROBE_KEPT_S if failed else WRITE_PROBE_KEPT_S
        if now - at < kept and self._write.failed_at <= at and not (failed and written != self._write.written):
            if failed:
                raise StoreUnavailable(failed)
            return
        conn = self._conn()
        try:
            with self._write, _transaction(conn):
                [(page,)] = conn.execute("PRAGMA page_size").fetchall()
                conn.execute("INSERT OR REPLACE INTO marks (name, value) VALUES ('write_probe', zeroblob(?))",
                             (PROBE_PAGES * page,))
        except sqlite3.DatabaseError as exc:
            failed = f"cannot write to it: {explained(exc, serving=True)}"
        except StoreUnavailable as exc:
            failed = f"cannot write to it: {exc}"
        else:
            failed = None
        self._write_probed = (time.monotonic(), failed, self._write.written)
        if failed:
            raise StoreUnavailable(failed)

    def integrity_check(self) -> str:
        return self._conn().execute("PRAGMA integrity_check").fetchone()[0]

    def _mark_stored_rules(self) -> None:
        """The rules' marker as the table now is: made when it holds a rule, removed when not."""
        self._mark_rules(self._conn().execute("SELECT 1 FROM fault_rules LIMIT 1").fetchone() is not None)

    def _mark_rules(self, present: bool) -> None:
        """Make or remove the rules' marker, under the write lock. In a folder made read-only while the mock runs, a
        marker that cannot be made refuses the rule (StoreUnavailable: no request would see it); one that cannot be
        removed is left, the change done: requests then ask SQLite, which answers that there are none."""
        if self._rules_marker is None:
            return
        if present:
            if os.path.exists(self._rules_marker):
                return
            try:
                os.close(open_beside(self._rules_marker, self.database, os.O_WRONLY))
            except OSError as exc:
                raise StoreUnavailable(f"could not make {self._rules_marker} ({exc.strerror}), which tells every"
                                       " worker there are fault rules: keep the database's folder writable") from None
        else:
            with contextlib.suppress(OSError):
                os.unlink(self._rules_marker)

    def add_fault_rule(self, rule: dict[str, Any], most: int | None = None) -> dict[str, Any] | None:
        """The rule as stored, with its id; None, and nothing added, when `most` rules are held already (counted
        under the write lock, so workers adding at once cannot pass it)."""
        # a REAL column: the rule as answered is the rule as listed (`1.0`, not `1` now and `1.0` after)
        values = (rule["fault"], rule["method"], rule["path"], float(rule["probability"]), rule["count"])
        account_id = rule.get("accountId")
        conn = self._conn()
        with self._write:
            if most is not None and conn.execute("SELECT COUNT(*) FROM fault_rules").fetchone()[0] >= most:
                return None
            self._mark_rules(True)  # before the insert, so no request after it can miss the rule
            with _transaction(conn):
                # Ids are never given twice, resets included: a tester's late DELETE of their rule must not remove
                # the rule another tester added since.
                [(rule_id,)] = conn.execute(
                    "INSERT INTO marks (name, value) VALUES ('last_fault_rule_id', 1 + (SELECT COALESCE(MAX(id), 0)"
                    " FROM fault_rules)) ON CONFLICT (name) DO UPDATE SET value = MAX(value, (SELECT COALESCE(MAX(id),"
                    " 0) FROM fault_rules)) + 1 RETURNING value").fetchall()
                conn.execute("INSERT INTO fault_rules (id, fault, method, path, probability, remaining, account_id)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)", (rule_id, *values, account_id))
        return dict(zip(FAULT_RULE_KEYS, (rule_id, *values, 0, account_id), strict=True))

    def replace_fault_rule(self, rule_id: int, rule: dict[str, Any], read: tuple[int, int] | None = None
                           ) -> dict[str, Any] | None:
        """The rule with `rule_id` replaced by `rule`, as stored; None, and nothing changed, when there is none, or
        when `read` (its applied, and applied + remaining, as a client read it) says it was read before it met
        the requests it has since (mockserver.rule_sent_back.stale). It keeps its id, so its place, and its
        `applied`; `remaining` is the new rule's count."""
        applied, total = read or (None, None)
        values = (rule["fault"], rule["method"], rule["path"], float(rule["probability"]), rule["count"],
                  rule.get("accountId"))
        conn = self._conn()
        with self._write, _transaction(conn):
            row = conn.execute("UPDATE fault_rules SET fault = ?, method = ?, path = ?, probability = ?, remaining = ?,"
                               " account_id = ? WHERE id = ? AND (? IS NULL OR NOT (remaining IS NOT NULL AND"
                               f" applied > ? AND remaining + applied = ?)) RETURNING {', '.join(FAULT_RULE_COLUMNS)}",
                               (*values, rule_id, applied, applied, total)).fetchone()
        if row is None:
            return None
        replaced = dict(zip(FAULT_RULE_KEYS, row, strict=True))
        replaced["probability"] = float(replaced["probability"])  # RETURNING gave a whole REAL as it is kept, `1`
        return replaced

    def fault_rules(self) -> list[dict[str, Any]]:
        """Every rule in the order added. Read on each API request, so "none" is answered by the side file."""
        if self._rules_marker is not None and not os.path.exists(self._rules_marker):
            return []
        rows = self._conn().execute(f"SELECT {', '.join(FAULT_RULE_COLUMNS)} FROM fault_rules ORDER BY id")
        return [dict(zip(FAULT_RULE_KEYS, row, strict=True)) for row in rows]

    def fault_rule(self, rule_id: int) -> dict[str, Any] | None:
        """The rule with `rule_id`, as fault_rules() lists it; None when there is none."""
        row = self._conn().execute(f"SELECT {', '.join(FAULT_RULE_COLUMNS)} FROM fault_rules WHERE id = ?",
                                   (rule_id,)).fetchone()
        return None if row is None else dict(zip(FAULT_RULE_KEYS, row, strict=True))

    def claim_fault_rule(self, rule_id: int) -> bool:
        """Count one use of a rule; False when another request (any worker) took its last one."""
        with self._write:
            cursor = self._conn().execute(
                "UPDATE fault_rules SET applied = applied + 1, remaining = remaining - 1"
                " WHERE id = ? AND (remaining IS NULL OR remaining > 0)",
                (rule_id,),
            )
        return cursor.rowcount == 1

    def delete_fault_rules(self, rule_id: int | None = None, account_id: str | None = None) -> int:
        """Remove every rule, the one with `rule_id`, or those narrowed to `account_id`; how many went."""
        conn = self._conn()
        with self._write:
            if rule_id is not None:
                deleted = conn.execute("DELETE FROM fault_rules WHERE id = ?", (rule_id,)).rowcount
            elif account_id is not None:
                deleted = conn.execute("DELETE FROM fault_rules WHERE account_id = ?", (account_id,)).rowcount
            else:
                deleted = conn.execute("DELETE FROM fault_rules").rowcount
            self._mark_stored_rules()
        return deleted

    def count_request(self, account_id: str, now: float, period: float) -> tuple[int, float]:
        """One more request for the account at `now` (epoch seconds): (the count in its window, the window's start).
        A window opens at the account's first request after the last one ended, and lasts `period` seconds. A
        request whose moment is before the window's start counts in it: it took its moment before waiting for the
        write lock, which a request with a later one took first (and opened the window); one more than
        CLOCK_STEPPED_BACK_S before it opens a new window, as the wall clock was stepped back."""
        conn = self._conn()
        with self._write, _transaction(conn):
            row = conn.execute("SELECT window_start, hits FROM rate_counts WHERE account_id = ?"
                               " ORDER BY window_start DESC LIMIT 1", (account_id,)).fetchone()
            if row is not None and row[0] - CLOCK_STEPPED_BACK_S < now < row[0] + period:
                conn.execute("UPDATE rate_counts SET hits = hits + 1 WHERE account_id = ? AND window_start = ?",
                             (account_id, row[0]))
                return row[1] + 1, row[0]
            conn.execute("DELETE FROM rate_counts WHERE account_id = ?", (account_id,))
            conn.execute("INSERT INTO rate_counts (account_id, window_start, hits) VALUES (?, ?, 1)", (account_id, now))
        return 1, now
