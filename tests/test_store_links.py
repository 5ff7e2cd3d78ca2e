"""A --db that is a symbolic link: SQLite keeps its -wal and -shm beside the file the link leads to, and the mock keeps
its .lock (the writers' queue) and -faults (the fault rules' marker) there too, so that every path to one database
(the link, the file, another link) shares them."""

from __future__ import annotations

import fcntl
import os

import pytest

from mockserver.app import open_store
from mockserver.errors import ConfigError
from mockserver.store import StoreUnavailable

RULE = {"fault": "status=503", "method": None, "path": None, "probability": 1.0, "count": None}


@pytest.fixture
def linked(tmp_path):
    """`links/one.sqlite3` and `links/two.sqlite3`, both leading to `real/mock.sqlite3` (not there yet)."""
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    for name in ("one", "two"):
        (tmp_path / "links" / f"{name}.sqlite3").symlink_to("../real/mock.sqlite3")
    return tmp_path


@pytest.mark.parametrize("second", ["real/mock.sqlite3", "links/two.sqlite3"])
def test_apps_on_a_link_and_on_another_path_to_its_file_share_the_fault_rules(linked, make_app, url, headers,
                                                                               sample_body, second):
    """A rule added through the link was kept in a -faults beside it: the app on the file itself (or on another link)
    found no marker beside its path, so answered as if there were no rules, and served the create."""
    first = make_app({"DATABASE": str(linked / "links/one.sqlite3")}).test_client()
    other = make_app({"DATABASE": str(linked / second)}).test_client()
    assert first.post("/__admin/faults", json={"fault": "status=503"}).status_code == 201
    assert other.post(url, json=sample_body, headers=headers).status_code == 503
    assert other.delete("/__admin/faults").status_code == 200
    assert first.post(url, json=sample_body, headers=headers).status_code == 200
    assert sorted(os.listdir(linked / "links")) == ["one.sqlite3", "two.sqlite3"]  # nothing of the store's beside them


def test_stores_on_a_link_and_on_its_file_queue_on_one_lock_file(linked):
    """The write lock taken through the link is on the .lock beside the file: writers on either path wait for each
    other in the kernel's queue. They queued on two lock files, meeting only in SQLite's busy handler (sleeps of up
    to 100 ms), and two starts on a new file could both switch it to WAL, one refused "database is locked"."""
    store = open_store(str(linked / "links/one.sqlite3"))
    try:
        with open(linked / "real/mock.sqlite3.lock", "rb") as lock_file, store._write:
            with pytest.raises(BlockingIOError):
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        store.close()


def test_a_wal_removed_beside_the_file_a_link_leads_to_is_found(linked):
    """The store looked for its -wal beside the link, where there never was one: a -wal removed from beside the file
    went unnoticed, and the creates it held were lost once the mock stopped."""
    store = open_store(str(linked / "links/one.sqlite3"))
    try:
        store.add_fault_rule(RULE)
        os.unlink(linked / "real/mock.sqlite3-wal")
        with pytest.raises(StoreUnavailable, match="^the database's -wal file was removed or replaced"):
            store.check_files()
    finally:
        store.close()


def test_a_folder_where_a_file_beside_the_linked_file_goes_is_refused_naming_it(linked):
    """It was looked for beside the link, and SQLite then refused the start as "disk I/O error"."""
    (linked / "real/mock.sqlite3-wal").mkdir()
    with pytest.raises(ConfigError) as refused:
        open_store(str(linked / "links/one.sqlite3"))
    assert str(refused.value) == (
        f"{linked}/links/one.sqlite3: cannot open the database: {linked}/real/mock.sqlite3-wal beside the file it"
        " links to is a folder, where the mock or SQLite keeps a file: move it away, or give --db another file")


def test_a_link_into_a_folder_that_is_not_there_is_refused_naming_that_folder(linked):
    """It was refused in SQLite's words alone, "unable to open database file", its own folder being there."""
    (linked / "links/gone.sqlite3").symlink_to("../gone/mock.sqlite3")
    with pytest.raises(ConfigError) as refused:
        open_store(str(linked / "links/gone.sqlite3"))
    assert str(refused.value) == (f"{linked}/links/gone.sqlite3: cannot open the database: the folder {linked}/gone"
                                  " of the file it links to does not exist")
