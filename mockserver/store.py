"""Where the mock keeps its state. `Store` is the interface; `SqliteStore` the embedded implementation.

SQLite in WAL mode with one connection per thread, so gunicorn's worker processes and threads share one file.
`synchronous=NORMAL` keeps a commit durable across a crash of the process (not of the machine), which is the
failure a mock has to survive. Another backend (a server database) only has to implement `Store`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class DuplicateName(Exception):
    """A campaign with this (lowercased) name already exists in the account."""


@dataclass(frozen=True)
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


class Store(Protocol):
    def add_campaign(
        self, account_id: str, stream_id: str, lname: str, build: Callable[[int], dict[str, Any]]
    ) -> dict[str, Any]: ...
    def campaigns(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]: ...
    def count_campaigns(self) -> int: ...
    def record(self, entry: JournalEntry) -> None: ...
    def journal(self, limit: int = 100) -> list[dict[str, Any]]: ...
    def clear_journal(self) -> None: ...
    def reset(self) -> None: ...
    def integrity_check(self) -> str: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    lname TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (account_id, lname)
);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    errors TEXT NOT NULL,
    latency_ms REAL NOT NULL
);
"""


def memory_uri() -> str:
    """A private in-memory database that every connection of this process can share."""
    return f"file:mock-{uuid.uuid4().hex}?mode=memory&cache=shared"


class SqliteStore:
    def __init__(self, database: str) -> None:
        self.database = memory_uri() if database == ":memory:" else database
        self._local = threading.local()
        # An in-memory database lives only while a connection is open: hold one for the store's life.
        self._keeper = self._connect() if self.database.startswith("file:") else None
        with self._conn() as conn:
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.database, uri=True, timeout=30, isolation_level=None)
        if not self.database.startswith("file:"):
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def add_campaign(
        self, account_id: str, stream_id: str, lname: str, build: Callable[[int], dict[str, Any]]
    ) -> dict[str, Any]:
        """Store the campaign that `build(seq)` makes; `seq` is its 1-based position in the store."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute(
                "SELECT 1 FROM campaigns WHERE account_id = ? AND lname = ?", (account_id, lname)
            ).fetchone():
                raise DuplicateName(lname)
            (seq,) = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM campaigns").fetchone()
            data = build(seq)
            conn.execute(
                "INSERT INTO campaigns (seq, id, account_id, stream_id, lname, created_at, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (seq, data["id"], account_id, stream_id, lname, data["createdAt"], json.dumps(data)),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return data

    def campaigns(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._conn().execute(
            "SELECT data, account_id, stream_id FROM campaigns ORDER BY seq LIMIT ? OFFSET ?", (limit, offset)
        )
        return [{"accountId": a, "streamId": s, "campaign": json.loads(d)} for d, a, s in rows]

    def count_campaigns(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM campaigns").fetchone()[0]

    def record(self, entry: JournalEntry) -> None:
        self._conn().execute(
            "INSERT INTO journal (at, method, path, query, headers, body, status, errors, latency_ms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.at, entry.method, entry.path, entry.query, json.dumps(entry.headers), entry.body,
                entry.status, json.dumps(entry.errors), entry.latency_ms,
            ),
        )

    def journal(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._conn().execute(
            "SELECT at, method, path, query, headers, body, status, errors, latency_ms FROM journal"
            " ORDER BY seq DESC LIMIT ?",
            (limit,),
        )
        keys = ("at", "method", "path", "query", "headers", "body", "status", "errors", "latencyMs")
        entries = [dict(zip(keys, row, strict=True)) for row in rows]
        for entry in entries:
            entry["headers"] = json.loads(entry["headers"])
            entry["errors"] = json.loads(entry["errors"])
        return entries

    def clear_journal(self) -> None:
        self._conn().execute("DELETE FROM journal")

    def reset(self) -> None:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM campaigns")
        conn.execute("DELETE FROM journal")
        conn.execute("COMMIT")

    def integrity_check(self) -> str:
        return self._conn().execute("PRAGMA integrity_check").fetchone()[0]
