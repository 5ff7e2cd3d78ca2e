"""A reset, or a clear of a journal that fills most of the file, gives the space back to the file system: the
database file shrinks to what is left, and the WAL to 0 bytes. Deleted rows only free pages inside the file, and
SQLite built with SECURE_DELETE writes each of them again into the WAL: a reset of 57,000 campaigns left the 82 MB
file as it was and an 83 MB WAL beside it while the workers ran. Two stores on one file stand in for two workers."""

from __future__ import annotations

import os

from mockserver.responses import timestamp
from mockserver.store import JournalEntry, SqliteStore


def size(path: str) -> int:
    return os.path.getsize(path) if os.path.exists(path) else 0


def on_disk(database: str) -> int:
    """The database file and its WAL."""
    return size(database) + size(database + "-wal")


def add_campaigns(store: SqliteStore, count: int) -> None:
    for i in range(count):
        data = {"id": f"cd-{i}", "name": f"Campaign {i}", "createdAt": "2026-01-01T00:00:00.000Z", "pad": "x" * 1000}
        store.add_campaign("acc-1", "st-1", f"campaign {i}", data)


def add_journal(store: SqliteStore, count: int) -> None:
    for _ in range(count):
        store.record(JournalEntry(method="POST", path="/c", query="", headers={}, body="x" * 2000, status=200,
                                  errors=[], latency_ms=1.0, at=timestamp()))
    store.count_journal()  # written


def test_a_reset_shrinks_the_file_and_truncates_the_wal(workers):
    first, second = workers
    database = first.database
    add_campaigns(first, 1500)
    add_journal(second, 300)
    assert second.count_campaigns() == 1500  # the other worker's connection is open, as a worker's is
    full = on_disk(database)
    assert full > 2_000_000
    first.reset()
    assert size(database) < full / 20
    assert size(database + "-wal") == 0
    assert second.count_campaigns() == 0 and second.count_journal() == 0
    add_campaigns(second, 1)  # the other worker writes on as before
    assert first.count_campaigns() == 1 and first.integrity_check() == "ok"


def test_a_clear_of_a_journal_filling_most_of_the_file_shrinks_it_and_keeps_the_campaigns(workers):
    first, second = workers
    database = first.database
    add_campaigns(first, 100)
    add_journal(second, 1000)
    full = on_disk(database)
    assert first.clear_journal() == 1000
    assert size(database) < full / 5
    assert size(database + "-wal") == 0
    assert second.count_campaigns() == 100 and first.integrity_check() == "ok"



def test_serve_cuts_a_journal_beyond_a_lowered_limit_before_any_request_and_gives_the_room_back(tmp_path, monkeypatch):
    from mockserver import app
    from mockserver.commands.serve import check_config

    database = str(tmp_path / "mock.sqlite3")
    store = SqliteStore(database)
    add_journal(store, 1000)
    store.close()
    full = on_disk(database)
    with monkeypatch.context() as patched:  # a journal longer than the default limit, served with --no-journal
        patched.setitem(app.DEFAULTS, "JOURNAL_LIMIT", 10)
        assert check_config({"DATABASE": database, "JOURNAL": False}) == "no journal"
    assert on_disk(database) == full  # no limit was chosen: every entry is kept for one given again
    assert check_config({"DATABASE": database, "JOURNAL_LIMIT": 10}).startswith("journal 10 of 10 entries")
    assert size(database) < full / 5
    store = SqliteStore(database, journal_limit=10)
    try:
        assert store.journal_span() == (10, 991) and store.integrity_check() == "ok"
    finally:
        store.close()
