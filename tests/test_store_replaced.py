"""The database file removed or replaced while the mock runs, its -wal left beside the path: what the -wal held goes
into the file the mock opened, and nothing of it into the file now there."""

from __future__ import annotations

import json
import os
import time

import pytest

from mockserver import store_checkpoints
from mockserver.store import SqliteStore, StoreUnavailable

BODY = {"id": "cd-1", "createdAt": "2020-01-01T00:00:00.000Z"}


def ids(path) -> list[str]:
    store = SqliteStore(str(path))
    try:
        assert store.integrity_check() == "ok"
        return [listed["campaign"]["id"] for listed in store.campaigns()]
    finally:
        store.close()


def a_database_of_its_own(path) -> None:
    store = SqliteStore(str(path))
    store.add_campaign("acc", "st", "its own", dict(BODY, id="cd-new"))
    store.close()


def wal_emptied(path, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while os.path.getsize(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    return os.path.getsize(path) == 0


@pytest.mark.parametrize("noticed", ["by a write", "at close", "by the checkpoints"])
@pytest.mark.parametrize("how", ["replaced", "removed"])
def test_a_database_file_gone_under_the_mock_keeps_what_was_acknowledged_and_spoils_nothing(tmp_path, monkeypatch,
                                                                                           how, noticed):
    """`mv other.sqlite3 mock.sqlite3` (a backup put back) under a running server: SQLite copies no -wal into a file
    that moved, so the campaigns acknowledged since the last checkpoint stayed in the -wal beside the path, lost to
    the file the mock had open; and SQLite read that -wal as the new file's, which was then 'database disk image is
    malformed', and refused as damaged by the next `serve`. The checkpoints copy it within CHECKPOINT_EVERY_S, before
    a server started on the file now there reads that -wal; a write or the store's close, if they come first."""
    every = 0.02 if noticed == "by the checkpoints" else 60  # else the create stays in the -wal
    monkeypatch.setattr(store_checkpoints, "CHECKPOINT_EVERY_S", every)
    database = tmp_path / "mock.sqlite3"
    running = SqliteStore(str(database))
    try:
        with running._write:  # the checkpoints wait: the create is in the -wal as the file goes
            running._conn().execute("INSERT INTO campaigns (id, account_id, stream_id, lname, created_at, data)"
                                    " VALUES ('cd-1', 'acc', 'st', 'acknowledged', '', ?)", (json.dumps(BODY),))
            os.link(database, tmp_path / "kept.sqlite3")  # the file the mock opened, where its operator keeps it
            if how == "replaced":
                a_database_of_its_own(tmp_path / "new.sqlite3")
                os.replace(tmp_path / "new.sqlite3", database)
            else:
                database.unlink()
        if noticed == "by a write":
            with pytest.raises(StoreUnavailable, match="^the database file was removed or replaced while the mock"):
                running.add_campaign("acc", "st", "after", BODY)
        elif noticed == "by the checkpoints":
            assert wal_emptied(tmp_path / "mock.sqlite3-wal")
    finally:
        running.close()
    assert ids(tmp_path / "kept.sqlite3") == ["cd-1"]
    assert ids(database) == (["cd-new"] if how == "replaced" else [])
