"""The -wal is copied back into the database file by the store's own thread, not by whichever create's commit
takes it past SQLite's threshold: that create waited for the copy and its fsyncs (12 to 50 ms), and every other
worker's writes with it, which set the mock's p99."""

from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing
import os
import sqlite3
import threading
import time
from typing import Any

import pytest

from mockserver import store as store_module
from mockserver import store_checkpoints, store_connections
from mockserver.store import JournalEntry, SqliteStore
from mockserver.store_checkpoints import Checkpointer

CREATES = 1500  # some 4,500 pages of -wal: past SQLite's own threshold (1,000) four times over


def add_campaigns(store: SqliteStore, count: int) -> None:
    for i in range(count):
        data = {"id": f"cd-{i}", "name": f"Campaign {i}", "createdAt": "2026-01-01T00:00:00.000Z", "pad": "x" * 1000}
        store.add_campaign("acc-1", "st-1", f"campaign {i}", data)


@pytest.fixture
def store(tmp_path):
    made = SqliteStore(str(tmp_path / "mock.sqlite3"))
    yield made
    made.close()


def test_a_create_s_commit_does_not_checkpoint(store):
    store._checkpoints.stop()  # the store's thread would copy the -wal back meanwhile
    before = os.path.getsize(store.database)
    add_campaigns(store, CREATES)
    assert os.path.getsize(store.database) == before  # every page is still in the -wal, none copied back
    assert os.path.getsize(store.database + "-wal") > 1000 * 4096


def test_the_store_s_thread_copies_the_wal_back(store):
    before = os.path.getsize(store.database)
    add_campaigns(store, CREATES)
    deadline = time.monotonic() + 5
    while os.path.getsize(store.database) < before + 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.path.getsize(store.database) >= before + 1_000_000  # the campaigns' pages are in the file


def wal_restarts(path: str) -> int:
    """How many times SQLite has started this -wal over: its header's checkpoint sequence number, which it adds one
    to at each restart (https://sqlite.org/fileformat2.html#walformat)."""
    with open(path, "rb") as wal:
        return int.from_bytes(wal.read(32)[12:16], "big")


def test_a_wal_written_all_the_time_is_started_over(tmp_path, monkeypatch):
    """Creates that never pause append to the -wal while the thread copies it, so a copy made waiting for no one
    never catches up, and SQLite starts the -wal over only once it wholly is: it grew to SQLite's own checkpoint at
    BACKSTOP_PAGES (40 MB), which a create then waited for (35 ms). The thread copies what came meanwhile under the
    write lock, and the -wal starts over. Counted from the -wal's header, not its size, which is its longest stretch
    between restarts: that depends on how fast the disk takes a checkpoint's fsyncs, and a busy one failed the test."""
    monkeypatch.setattr(store_connections, "BACKSTOP_PAGES", 1_000_000)  # off: the thread alone keeps it small
    monkeypatch.setattr(store_checkpoints, "CHECKPOINT_EVERY_S", 0.02)  # as often as this test's creates need
    monkeypatch.setattr(store_module, "START_OVER_PAGES", 100)  # 400 KB: reached many times over by the creates below
    database = SqliteStore(str(tmp_path / "mock.sqlite3"))
    try:
        # 2,000 creates see 5 or 6 restarts on an idle machine, 0 without the locked pass; a thread kept from running
        # by a busy machine (a full run's other worker) saw none in them once, so creates go on until one is seen
        deadline = time.monotonic() + 10
        for n in itertools.count(1):  # 3 pages of -wal each at least: a campaign's row and two index entries
            data = {"id": f"cd-{n}", "createdAt": "2026-01-01T00:00:00.000Z", "pad": "x" * 1000}
            database.add_campaign("acc-1", "st-1", f"campaign {n}", data)
            if n % 500 == 0 and (wal_restarts(database.database + "-wal") or time.monotonic() > deadline):
                break
        assert wal_restarts(database.database + "-wal") >= 1
    finally:
        database.close()


def test_closing_the_store_ends_its_threads_each_named_for_its_job(tmp_path):
    before = set(threading.enumerate())
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    store.record(JournalEntry(method="GET", path="/x", query="", headers={}, body="", status=404, errors=[],
                              latency_ms=1.0, at="2026-01-01T00:00:00.000Z"))  # the journal's writer starts on it
    started = [thread for thread in threading.enumerate() if thread not in before]
    assert sorted(thread.name for thread in started) == ["mockserver-checkpoints", "mockserver-journal"]
    store.close()
    assert not any(thread.is_alive() for thread in started)


def test_a_store_in_memory_has_no_thread(tmp_path):
    store = SqliteStore(":memory:")
    try:
        assert store._checkpoints is None
    finally:
        store.close()


def test_a_failing_checkpoint_is_logged_once_until_it_changes(caplog):
    failure = ["disk I/O error"]
    calls = threading.Semaphore(0)

    def checkpoint() -> None:
        calls.release()
        if failure[0]:
            raise sqlite3.OperationalError(failure[0])

    def wait_for(count: int) -> None:
        for _ in range(count):
            assert calls.acquire(timeout=5)

    with caplog.at_level(logging.ERROR, logger="mockserver"):
        checkpointer = Checkpointer(checkpoint, every=0.01)
        try:
            wait_for(5)
            failure[0] = "database or disk is full"
            wait_for(5)
            failure[0] = ""  # it went well once: the next failure is news again
            wait_for(3)
            failure[0] = "database or disk is full"
            wait_for(3)
        finally:
            checkpointer.stop()
    assert not checkpointer._thread.is_alive()
    logged = [record.getMessage() for record in caplog.records]
    assert logged == [
        "could not checkpoint the database's -wal file: disk I/O error",
        "could not checkpoint the database's -wal file: database or disk is full",
        "could not checkpoint the database's -wal file: database or disk is full",
    ]


def _use_sqlite(path: str, results: Any) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    results.put("ok")


def test_a_process_forked_while_the_thread_checkpoints_can_use_sqlite(tmp_path, monkeypatch):
    """A child forked while the store's checkpoint thread was inside SQLite inherited SQLite's mutexes held by a
    thread it does not have, and hung at its first use of SQLite: 77 children in 150 did, beside a store
    checkpointing every 0.2 ms. (The journal's thread takes the same lock; no hang was seen there in 30 forks.)"""
    monkeypatch.setattr(store_checkpoints, "CHECKPOINT_EVERY_S", 0.0002)
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    forked = multiprocessing.get_context("fork")
    try:
        for n in range(30):
            for i in range(20):  # pages for the thread to copy
                store.add_campaign("acc-1", "st-1", f"campaign {n}-{i}", {"id": f"cd-{n}-{i}", "createdAt": "now"})
            results = forked.Queue()
            child = forked.Process(target=_use_sqlite, args=(str(tmp_path / f"child-{n}.sqlite3"), results))
            child.start()
            child.join(timeout=10)
            if child.is_alive():
                child.kill()
                child.join()
                pytest.fail(f"fork {n + 1} hung at its first use of SQLite")
            assert results.get(timeout=1) == "ok"
    finally:
        store.close()


def test_a_wal_a_long_reader_grew_is_cut_back_once_it_is_started_over(tmp_path, monkeypatch):
    """A reader that holds its snapshot (an operator's `sqlite3` session with a transaction open, a backup) keeps
    any checkpoint from copying past it, so the -wal grows for as long as it holds: 95 MB in a minute of a soak.
    Once it lets go the -wal is copied back and started over, but its file kept that length for the server's life
    (SQLite reuses a -wal from its start, and cuts it only to `journal_size_limit`): it is cut back to WAL_KEPT_BYTES
    at its next start."""
    monkeypatch.setattr(store_checkpoints, "CHECKPOINT_EVERY_S", 0.02)
    monkeypatch.setattr(store_module, "START_OVER_PAGES", 100)  # 400 KB
    monkeypatch.setattr(store_connections, "WAL_KEPT_BYTES", 1024 * 1024)
    database = SqliteStore(str(tmp_path / "mock.sqlite3"))
    wal = database.database + "-wal"
    reader = sqlite3.connect(database.database, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM campaigns").fetchall()  # holds this snapshot until COMMIT
        add_campaigns(database, 1500)
        grown = os.path.getsize(wal)
        assert grown > 4 * 1024 * 1024  # every page since the reader's snapshot is still needed
        reader.execute("COMMIT")
        restarts = wal_restarts(wal)
        deadline = time.monotonic() + 10
        n = 0
        while (wal_restarts(wal) == restarts or os.path.getsize(wal) > 1024 * 1024) and time.monotonic() < deadline:
            n += 1
            database.add_campaign("acc-1", "st-1", f"after {n}", {"id": f"cd-after-{n}", "createdAt": "now"})
            time.sleep(0.01)
        assert wal_restarts(wal) > restarts
        assert os.path.getsize(wal) <= 1024 * 1024, f"the -wal is still {os.path.getsize(wal):,} bytes (was {grown:,})"
    finally:
        reader.close()
        database.close()


def test_a_background_thread_finds_its_store_gone_once_the_garbage_collector_has_it():
    """A store discarded without close() is a garbage cycle, and its threads reach it through a weak reference.
    Python 3.15 clears one without a callback only after the cycle's finalizers have run, and a thread running
    meanwhile took up the store being destroyed: a pytest worker crashed (a segmentation fault in a checkpoint) once
    in each of two full runs. owner_ref's reference is cleared before the finalizers on every version."""
    gone = []

    class Owner:
        pass

    class Finalized:
        def __del__(self) -> None:
            gone.append(ref() is None)

    owner, finalized = Owner(), Finalized()
    owner.finalized, finalized.owner = finalized, owner  # type: ignore[attr-defined]
    ref = store_checkpoints.owner_ref(owner)
    del owner, finalized
    gc.collect()
    assert gone == [True]
