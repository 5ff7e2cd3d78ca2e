"""A reader that holds an old snapshot of the database (an `sqlite3` shell or DB Browser with a transaction open, a
backup) keeps every checkpoint from copying past it, and the -wal grows for as long as it holds: the server's log
says so once, and once more when the checkpoints catch up; `GET /__admin/health` gives the -wal's size and whether
it is held back."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager

import pytest

from mockserver import store_checkpoints
from mockserver.app import create_app
from mockserver.store import SqliteStore

THRESHOLD = 1_000_000  # the tests' WAL_HELD_BACK_BYTES: a hundred creates or so, where the server's is 64 MB
ABOVE = THRESHOLD * 6 // 5  # how far behind the creates take the -wal: past the threshold, well short of twice it
WAIT_S = 10.0  # for the checkpoint thread, which runs every 0.02 s here: a loaded machine can hold it back seconds
HELD = "because another connection holds a read snapshot"
CAUGHT_UP = "caught up again"
SIZE = r"[\d,]+(?:\.\d)? MB"  # 1.2 MB, 64 MB, 1,024 MB


@pytest.fixture(autouse=True)
def quick_checkpoints(monkeypatch):
    monkeypatch.setattr(store_checkpoints, "CHECKPOINT_EVERY_S", 0.02)
    monkeypatch.setattr(store_checkpoints, "WAL_HELD_BACK_BYTES", THRESHOLD, raising=False)


@pytest.fixture
def app(tmp_path, quick_checkpoints):
    """The mock on a file of its own, made once the checkpoints are quick (the thread reads that as it starts)."""
    app = create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SEED": 7})
    yield app
    app.extensions["mock"].store.close()


def lines(caplog, words: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mockserver" and words in r.getMessage()]


def wait_until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        assert time.monotonic() < deadline, f"waited {WAIT_S:g} s for {what}"
        time.sleep(0.02)


@contextmanager
def snapshot_held(database: str) -> Iterator[sqlite3.Connection]:
    """Another program's connection inside a read transaction, as an `sqlite3` session after `BEGIN; SELECT ...`."""
    with closing(sqlite3.connect(database, isolation_level=None)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM campaigns").fetchall()  # the snapshot is taken here, held until COMMIT
        yield reader


def grow(create: Callable[[int], None], database: str, behind: int, first: int = 0) -> int:
    """Create campaigns one at a time until the -wal holds `behind` bytes no checkpoint can copy back, as a checkpoint
    of the test's own finds (so that the test, not the store's thread, says when the creates stop: a thread held up
    on a loaded machine finds the -wal where they left it); the number of the next campaign."""
    n, deadline = first, time.monotonic() + WAIT_S
    with closing(sqlite3.connect(database, isolation_level=None)) as own:
        while True:
            [(busy, logged, copied)] = own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            if not busy and (logged - copied) * 4096 >= behind:
                return n
            assert time.monotonic() < deadline, f"{n - first} creates in {WAIT_S:g} s: the -wal not {behind:,} behind"
            create(n)
            n += 1


def settle() -> None:
    """Time for the checkpoint thread to run a few more times (every 0.02 s here), so a line it would repeat shows."""
    time.sleep(0.3)


def test_a_held_snapshot_is_told_once_in_the_log_and_in_health_and_so_is_its_release(app, client, post, sample_body,
                                                                                     caplog):
    database = app.config["DATABASE"]
    caplog.set_level(logging.WARNING, logger="mockserver")
    wal = client.get("/__admin/health").get_json()["wal"]
    assert wal == {"bytes": os.path.getsize(database + "-wal"), "heldBack": False}

    def create(n: int) -> None:
        assert post(dict(sample_body, name=f"Held back {n}")).status_code == 200

    with snapshot_held(database):
        grow(create, database, ABOVE)
        wait_until(lambda: lines(caplog, HELD), "the warning")
        settle()
        [told] = lines(caplog, HELD)  # once, not at every checkpoint
        assert told.startswith(f"the database's -wal file {os.path.abspath(database)}-wal has grown to ")
        assert re.search(rf"to {SIZE} {HELD} on {re.escape(os.path.abspath(database))} \(", told)
        assert "end that transaction (COMMIT or ROLLBACK) or close that program" in told
        wal = client.get("/__admin/health").get_json()["wal"]
        assert wal["heldBack"] is True and wal["bytes"] >= THRESHOLD
        assert lines(caplog, CAUGHT_UP) == []
    wait_until(lambda: lines(caplog, CAUGHT_UP), "the line saying the checkpoints caught up")
    settle()
    [caught_up] = lines(caplog, CAUGHT_UP)
    assert caught_up.startswith(f"checkpoints of {os.path.abspath(database)} caught up again: ")
    assert len(lines(caplog, HELD)) == 1
    wal = client.get("/__admin/health").get_json()["wal"]
    assert wal == {"bytes": os.path.getsize(database + "-wal"), "heldBack": False}


def megabytes(told: str) -> float:
    return float(re.search(rf"grown to ({SIZE})", told)[1][:-3].replace(",", ""))


def add_campaign(store: SqliteStore, n: int) -> None:
    data = {"id": f"cd-{n}", "createdAt": "2026-01-01T00:00:00.000Z", "pad": "x" * 2000}
    store.add_campaign("acc-1", "st-1", f"campaign {n}", data)


def test_a_wal_that_keeps_growing_is_told_again_each_time_it_doubles(tmp_path, caplog):
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    caplog.set_level(logging.WARNING, logger="mockserver")
    try:
        with snapshot_held(store.database):
            n = grow(lambda n: add_campaign(store, n), store.database, ABOVE)
            wait_until(lambda: lines(caplog, HELD), "the warning")
            settle()
            assert len(lines(caplog, HELD)) == 1
            grow(lambda n: add_campaign(store, n), store.database, 2 * ABOVE, n)
            wait_until(lambda: len(lines(caplog, HELD)) == 2, "the warning again")
            settle()
            first, second = lines(caplog, HELD)
            sizes = [megabytes(line) for line in (first, second)]
            assert sizes[0] >= THRESHOLD / 1e6 and sizes[1] >= 2 * THRESHOLD / 1e6
        wait_until(lambda: lines(caplog, CAUGHT_UP), "the line saying the checkpoints caught up")
        settle()
        assert len(lines(caplog, CAUGHT_UP)) == 1 and len(lines(caplog, HELD)) == 2
    finally:
        store.close()


def test_workers_on_one_file_tell_it_once_between_them(tmp_path, caplog):
    """Each worker's checkpoint thread finds the -wal held back; one of them tells it, and one its release."""
    path = str(tmp_path / "mock.sqlite3")
    workers = [SqliteStore(path), SqliteStore(path)]
    caplog.set_level(logging.WARNING, logger="mockserver")
    try:
        with snapshot_held(path):
            grow(lambda n: add_campaign(workers[0], n), path, ABOVE)
            wait_until(lambda: all(worker.wal_state()["heldBack"] for worker in workers), "both to find it held back")
            settle()
            assert len(lines(caplog, HELD)) == 1
        wait_until(lambda: not any(worker.wal_state()["heldBack"] for worker in workers), "both to catch up")
        settle()
        assert len(lines(caplog, CAUGHT_UP)) == 1 and len(lines(caplog, HELD)) == 1
    finally:
        for worker in workers:
            worker.close()


def test_a_server_stopped_while_held_back_does_not_silence_the_next_time(tmp_path, caplog):
    """The workers agree through the database file on which of them tells: a server stopped while a reader held
    the -wal back leaves that there, and the next time a reader holds it back is told all the same."""
    path = str(tmp_path / "mock.sqlite3")
    caplog.set_level(logging.WARNING, logger="mockserver")
    first = SqliteStore(path)
    with snapshot_held(path):
        try:
            n = grow(lambda n: add_campaign(first, n), path, ABOVE)
            wait_until(lambda: lines(caplog, HELD), "the warning")
        finally:
            first.close()
    second = SqliteStore(path)
    try:
        with snapshot_held(path):
            grow(lambda k: add_campaign(second, k), path, ABOVE, n)
            wait_until(lambda: len(lines(caplog, HELD)) == 2, "the warning of the second time")
    finally:
        second.close()


def test_health_of_a_database_in_memory_says_it_has_no_wal():
    app = create_app({"DATABASE": ":memory:"})
    try:
        assert app.test_client().get("/__admin/health").get_json()["wal"] == "none"
    finally:
        app.extensions["mock"].store.close()
