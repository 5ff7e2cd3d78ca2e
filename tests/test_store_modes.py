"""The files the store makes beside a --db are its owner's alone, whatever the umask lets others read: the journal
keeps request bodies and headers. An existing database keeps its permissions, and the files beside it get them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

import pytest

from mockserver.app import open_store

RULE = {"fault": "status=503", "method": None, "path": None, "probability": 1.0, "count": None}


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, which leaves new files readable by everyone (0644)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(database) -> dict[str, int]:
    """Each file of the store's that is there -> its permissions."""
    names = {suffix: f"{database}{suffix}" for suffix in ("", "-wal", "-shm", ".lock", "-faults")}
    return {suffix: stat.S_IMODE(os.stat(name).st_mode) for suffix, name in names.items() if os.path.exists(name)}


def opened_with_a_rule(database) -> dict[str, int]:
    """The modes of its files while a store that added a fault rule holds them open."""
    store = open_store(str(database))
    try:
        store.add_fault_rule(RULE)
        store.count_campaigns()  # a read: the -wal and -shm are there
        return modes(database)
    finally:
        store.close()


def test_a_new_database_and_every_file_beside_it_are_the_owner_s_alone(tmp_path, umask_022):
    """They were 0644 (the umask's): any local user could read the journal's request bodies."""
    found = opened_with_a_rule(tmp_path / "mock.sqlite3")
    assert found == dict.fromkeys(("", "-wal", "-shm", ".lock", "-faults"), 0o600)


def test_an_existing_database_keeps_its_mode_and_gives_it_to_the_files_beside_it(tmp_path, umask_022):
    """A database shared by a group (0660) stays so, and so do the files the store makes beside it: a lock file of
    the owner's alone would keep the group's mock from writing."""
    database = tmp_path / "mock.sqlite3"
    open_store(str(database)).close()
    database.chmod(0o660)
    (tmp_path / "mock.sqlite3.lock").unlink()
    assert opened_with_a_rule(database) == dict.fromkeys(("", "-wal", "-shm", ".lock", "-faults"), 0o660)


def test_an_existing_database_open_to_all_gives_its_mode_under_a_strict_umask(tmp_path, umask_022):
    """Under umask 077 a database made 0644 before (by an earlier version, or by SQLite) gives 0644 to the files made
    beside it, as SQLite gives it to its -wal and -shm whatever the umask: the -wal holds what the database does, so
    a stricter .lock or -faults would keep nothing private, only a group's mock from writing."""
    database = tmp_path / "mock.sqlite3"
    open_store(str(database)).close()
    database.chmod(0o644)
    (tmp_path / "mock.sqlite3.lock").unlink()
    os.umask(0o077)
    assert opened_with_a_rule(database) == dict.fromkeys(("", "-wal", "-shm", ".lock", "-faults"), 0o644)


def test_an_existing_lock_file_keeps_its_mode(tmp_path, umask_022):
    database = tmp_path / "mock.sqlite3"
    (tmp_path / "mock.sqlite3.lock").touch(mode=0o644)
    assert opened_with_a_rule(database)[".lock"] == 0o644


def test_a_new_database_made_through_a_symbolic_link_is_the_owner_s_alone(tmp_path, umask_022):
    """--db a link to a file not there yet: SQLite made the file it names, 0644 by the umask, with its -wal and -shm."""
    (tmp_path / "mock.sqlite3").symlink_to("kept.sqlite3")
    store = open_store(str(tmp_path / "mock.sqlite3"))
    try:
        store.count_campaigns()
        assert modes(tmp_path / "kept.sqlite3") == dict.fromkeys(("", "-wal", "-shm", ".lock"), 0o600)
    finally:
        store.close()
