"""The request journal's entries, the filters that list them, and the buffer that writes them in batches."""

from __future__ import annotations

import atexit
import json
import logging
import sqlite3
import threading
import urllib.parse
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockserver import path_glob
from mockserver.responses import timestamp
from mockserver.store_checkpoints import IN_BACKGROUND, owner_ref


@dataclass(slots=True)
class JournalEntry:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    status: int
    errors: list[dict[str, Any]]
    latency_ms: float
    at: str
    body_read: bool = True  # False: answered before the body was read, so `body` says nothing of what was sent
    accounts: frozenset[str] = frozenset()  # the account ids the request names (header and query), decoded
    fault_rule: int | None = None  # the id of the fault rule that met it (any fault: latency, a status, a drop)


# The columns a listed entry is read from, and its keys as the admin API shows it (`body_read` only nulls the body)
ENTRY_COLUMNS = "seq, at, method, path, query, headers, body, status, errors, latency_ms, fault_rule, body_read"
ENTRY_KEYS = ("id", "at", "method", "path", "query", "headers", "body", "status", "errors", "latencyMs", "faultRule")


def listed_entry(row: tuple) -> dict[str, Any]:
    """A journal row read by ENTRY_COLUMNS as the admin API shows it, in a listing or alone."""
    *values, body_read = row
    entry = dict(zip(ENTRY_KEYS, values, strict=True))
    entry["headers"] = json.loads(entry["headers"])
    entry["errors"] = json.loads(entry["errors"])
    if body_read == 0:
        entry["body"] = None
    return entry


def named_account(account_id: str) -> str:
    """One account id as the journal's `accounts` column holds it ("|id|id|"): between bars, with a bar or percent
    sign in it %-encoded, so that a request naming the made-up account "A|B" is not taken for one naming A."""
    return "|" + account_id.replace("%", "%25").replace("|", "%7C") + "|"


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """Which journal entries to list; each field left None matches any entry."""

    statuses: tuple[int, int] | None = None  # (lowest, highest): (409, 409), or (400, 499) for 4xx
    method: str | None = None
    path: str | None = None  # a glob (mockserver.path_glob): `*` matches any run of characters, the rest themselves
    account_id: str | None = None  # as sent in the accountid header or the accountId query parameter
    since: str | None = None  # an entry's `at` format (ISO 8601, UTC, milliseconds): entries at or after it
    after: int | None = None  # entries with a greater id: written after that one, whichever worker wrote them
    before: tuple[str, int] | None = None  # (at, id): entries listed after that one, newest first (a next page)

    def where(self) -> tuple[str, list[Any]]:
        """An SQL condition on the journal table and its parameters (values are always bound, never spliced)."""
        terms: list[str] = []
        values: list[Any] = []
        if self.statuses is not None:
            terms.append("status BETWEEN ? AND ?")
            values += self.statuses
        for name, condition, bound in SIMPLE_JOURNAL_FILTERS:
            if (value := getattr(self, name)) is not None:
                terms.append(condition)
                values.append(bound(value))
        if self.path is not None:  # SQLite's GLOB reads both sides up to a U+0000 alone (`/a` matched `/a\0b`), and
            # tries each place a fixed part after a `*` could start (path_glob.one_pass): a path or pattern holding a
            # U+0000, and a pattern with such a part, are matched by path_glob's own function (path_glob.SQL_NAME)
            if NUL in self.path:
                terms.append(f"instr(path, char(0)) > 0 AND {path_glob.SQL_NAME}(path, ?)")
                values.append(self.path)
            elif not path_glob.one_pass(self.path):
                terms.append(f"{path_glob.SQL_NAME}(path, ?)")
                values.append(self.path)
            else:
                terms.append(f"CASE WHEN instr(path, char(0)) THEN {path_glob.SQL_NAME}(path, ?) ELSE path GLOB ? END")
                values += [self.path, path_glob.as_glob(self.path)]
        if self.before is not None:  # (at, seq) below the last entry sent: `at <= ?` lets SQLite seek there
            # (`at < ? OR at = ? AND seq < ?` walked the time index from its newest entry, and with `since` gathered
            # every entry between the two times and sorted them, for each page: 1 s a page over 50,000 entries)
            terms.append("at <= ? AND (at < ? OR seq < ?)")
            values += [self.before[0], *self.before]
        if self.account_id is not None:  # as a fault rule's accountId matches: the header's, or the query's decoded
            # Rows written before the `accounts` column: the query as sent, %-encoded as a client's library does.
            terms.append("(instr(accounts, ?) > 0 OR accounts IS NULL AND (json_extract(headers, '$.accountid') = ?"
                         " OR instr('&' || query || '&', ?) > 0 OR instr('&' || query || '&', ?) > 0))")
            values += [named_account(self.account_id), self.account_id, f"&accountId={self.account_id}&",
                       f"&accountId={urllib.parse.quote(self.account_id, safe='')}&"]
        return " AND ".join(terms) or "1", values


def _same(value: Any) -> Any:
    return value


# JournalFilter fields that each bind one value in one condition: (field, condition, the value as it is bound)
SIMPLE_JOURNAL_FILTERS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("method", "method = ?", _same), ("since", "at >= ?", _same), ("after", "seq > ?", _same),
)
NUL = "\0"


ANY_ENTRY = JournalFilter()

BATCH_WAIT_S = 1.0  # a journal read waits this long at most for other workers' batches (written within 0.1 s)
BATCH_STALE_S = 5.0  # an announced batch older than this is not waited for
BACKLOG_BATCHES = 16  # full batches' worth a buffer holds for its thread before a request writes them itself


class JournalBuffer:
    """Journal rows wait here and are written in one transaction per batch: a commit per request would cost
    as much as the create itself. A daemon thread writes a batch when it is full, and otherwise within `delay`
    seconds, so other workers see it soon after; a read of the journal (in this process) writes it at once. No
    request waits for a batch's write, unless the thread is BACKLOG_BATCHES behind (or stopped).

    A batch is announced as it starts (`announce(since)`, before the request that starts it is answered) and
    written with its start (`write(rows, since)`), so a reader in another process can wait for the batches
    held when it began."""

    def __init__(self, write: Callable[[list[tuple], str], None], announce: Callable[[str], None],
                 size: int = 64, delay: float = 0.1) -> None:
        self._write, self._announce, self._size, self._delay = write, announce, size, delay
        self._rows: list[tuple] = []
        self._since = ""
        self._lock = threading.Lock()
        # held from a batch's taking to its write: a batch another thread takes meanwhile is written after it, so
        # ids follow the order requests were answered in (the background thread's batch, then a listing's)
        self._writing = threading.Lock()
        self._due = threading.Event()  # rows are waiting
        self._full = threading.Event()  # a batch's worth is: written without waiting out the delay
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        atexit.register(_flush_at_exit, weakref.ref(self))

    def add(self, row: tuple) -> None:
        with self._lock:
            if not self._rows:  # under the lock: a flush cannot take the batch before it is announced
                self._since = timestamp()
                try:
                    self._announce(self._since)
                except sqlite3.DatabaseError as exc:  # then a reader elsewhere may not wait for it; no more
                    logging.getLogger("mockserver").error("could not announce a journal batch: %s", exc)
            self._rows.append(row)
            held = len(self._rows)
        if held >= self._size * (1 if self._stop.is_set() else BACKLOG_BATCHES):
            # stopped (the store closed, or the process exiting), or the thread is not keeping up: the request
            # was answered as it should be, and a journal it cannot write is logged
            self.flush_quietly()
            return
        if self._stop.is_set():
            return  # no thread to start again
        if self._thread is None or not self._thread.is_alive():  # a forked worker has no thread yet
            self._thread = threading.Thread(target=self._run, args=(owner_ref(self),), daemon=True,
                                            name="mockserver-journal")
            self._thread.start()
        if held >= self._size and not self._full.is_set():
            self._full.set()
        if not self._due.is_set():
            self._due.set()

    def flush(self) -> None:
        with self._writing:
            with self._lock:  # the batch's start taken with its rows: another thread's add() may start the next one
                rows, self._rows, since = self._rows, [], self._since
            if rows:
                self._write(rows, since)

    def stop(self) -> None:
        """End the background writes, waiting for one under way: the connections are closed next (by the store's
        close, or at exit), and one closed under a thread writing through it could crash the process."""
        self._stop.set()
        self._due.set()
        self._full.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    @staticmethod
    def _run(ref: weakref.ref) -> None:
        while (buffer := ref()) is not None:
            due, full, stop, delay = buffer._due, buffer._full, buffer._stop, buffer._delay
            del buffer  # hold no reference while waiting, so a discarded store can be collected
            if due.wait(timeout=5.0):
                full.wait(delay)  # a batch gathers for `delay`, unless it fills, or the buffer is stopped, first
                if stop.is_set():
                    return
                due.clear()
                full.clear()
                buffer = ref()
                if buffer is not None:
                    with IN_BACKGROUND:  # no fork meanwhile (see store_checkpoints)
                        buffer.flush_quietly()
                    del buffer

    def flush_quietly(self) -> None:
        """Flush where an error has no caller to go to (the background, exit, a request already answered): log it
        in one line instead. The entries of a failed batch are lost; the journal is a record, not the state."""
        try:
            self.flush()
        except sqlite3.DatabaseError as exc:
            logging.getLogger("mockserver").error("could not write the request journal: %s", exc)


def _flush_at_exit(ref: weakref.ref) -> None:
    """Registered after the connections' finalizers, so it runs before them (atexit runs last in, first out)."""
    buffer = ref()
    if buffer is not None:
        buffer.stop()
        buffer.flush_quietly()
