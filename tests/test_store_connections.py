"""Every SQLite connection the store opens is closed: when its thread ends, when the store is closed, and when a
store never closed is collected. Python 3.13 warns (ResourceWarning) of each connection left to the garbage
collector, which the suite's warnings-as-errors made a failure there; these checks hold on any version."""

from __future__ import annotations

import gc
import sqlite3
import threading

import pytest

from mockserver import store as store_module
from mockserver.app import create_app
from mockserver.store import SqliteStore


@pytest.fixture
def opened(monkeypatch) -> list[sqlite3.Connection]:
    """Every connection sqlite3.connect returns from here on, as the store opens them."""
    connections: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        connections.append(real_connect(*args, **kwargs))
        return connections[-1]

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    return connections


def is_closed(conn: sqlite3.Connection) -> bool:
    try:
        conn.total_changes  # noqa: B018 -- raises on a closed connection
    except sqlite3.ProgrammingError:
        return True
    return False


def used_in_a_thread(store: SqliteStore) -> None:
    worker = threading.Thread(target=store.count_campaigns)
    worker.start()
    worker.join()


@pytest.mark.parametrize("database", ["file", ":memory:"])
def test_a_thread_that_ends_closes_its_connection_and_close_closes_the_rest(tmp_path, opened, database):
    store = SqliteStore(str(tmp_path / "mock.sqlite3") if database == "file" else ":memory:")
    used_in_a_thread(store)
    thread_connection = opened[-1]
    assert is_closed(thread_connection)  # werkzeug's threaded server: a thread, and a connection, per request
    assert not all(is_closed(conn) for conn in opened)  # this thread's (and the in-memory keeper) still in use
    store.close()
    assert all(is_closed(conn) for conn in opened)


@pytest.mark.leaves_stores_open  # to the garbage collector, which is what it tests
def test_a_store_never_closed_closes_its_connections_when_collected(tmp_path, opened):
    """An app dropped without closing its store (tests do, a lot): in one garbage cycle with the store, a
    connection's own finalizer could run before a __del__ of ours."""
    app = create_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    used_in_a_thread(app.extensions["mock"].store)
    app.test_client().get("/__admin/health")
    assert opened and not all(is_closed(conn) for conn in opened)
    del app
    gc.collect()
    assert all(is_closed(conn) for conn in opened)


def test_a_store_used_after_close_reconnects_rather_than_failing(tmp_path):
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    store.close()
    assert store.count_campaigns() == 0
    store.close()


def test_close_waits_for_a_journal_batch_being_written_in_the_background(tmp_path, monkeypatch):
    """The store closed every connection, the journal thread's too, while that thread could be writing a batch
    through it: a process exiting at that moment (a test suite that just stopped its in-process mock) could crash."""
    import time

    from mockserver.store import JournalEntry

    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    events: list[str] = []
    writing = threading.Event()
    real_write = store._journal._write

    def slow_write(rows, since):
        events.append("write started")
        writing.set()
        time.sleep(0.3)
        real_write(rows, since)
        events.append("write done")

    store._journal._write = slow_write
    real_close = store_module._ThreadConnection.close
    monkeypatch.setattr(store_module._ThreadConnection, "close",
                        lambda held: (events.append("connection closed"), real_close(held)))
    store.record(JournalEntry(method="GET", path="/nope", query="", headers={}, body="", status=404, errors=[],
                              latency_ms=1.0, at="2026-11-26T00:00:00.000Z"))
    assert writing.wait(timeout=10)  # the background thread has the batch
    store.close()
    assert "write done" in events and events.index("write done") < events.index("connection closed"), events
