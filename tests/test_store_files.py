"""A --db the mock cannot write (a folder, a read-only file or folder, a read-only file left beside it) is refused
in one line naming what to change, before SQLite makes anything beside it."""

from __future__ import annotations

import os

import pytest

from mockserver.app import open_store
from mockserver.errors import ConfigError


def refusal(path) -> str:
    with pytest.raises(ConfigError) as refused:
        open_store(str(path))
    return str(refused.value)


def test_a_folder_given_as_db_is_refused_saying_so(tmp_path):
    """It was refused as SQLite's 'unable to open database file'."""
    (tmp_path / "mock.sqlite3").mkdir()
    assert refusal(tmp_path / "mock.sqlite3") == (
        f"{tmp_path}/mock.sqlite3: cannot open the database: it is a folder: give --db the path of a file, in it or"
        " elsewhere")


def unwritable(monkeypatch, *paths) -> None:
    """As if `paths` could not be written (a root user can write anything, so chmod would not show it)."""
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (os.fspath(path) not in map(str, paths)
                                                               and real(path, mode, **kw)))


@pytest.mark.parametrize(("name", "words"), [
    ("mock.sqlite3", "it is read-only: make it writable (chmod u+w), or give --db another file"),
    ("mock.sqlite3-shm", "mock.sqlite3-shm beside it is read-only (left by a start on a read-only file, say): make it"
                         " writable (chmod u+w)"),
])
def test_a_read_only_database_or_file_beside_it_is_refused_naming_it(tmp_path, monkeypatch, name, words):
    """'attempt to write a readonly database', which went on after `chmod u+w mock.sqlite3`: SQLite had made the
    -shm file beside it read-only too, as the database was when the refused start opened it."""
    path = tmp_path / "mock.sqlite3"
    open_store(str(path)).close()
    (tmp_path / name).touch()
    unwritable(monkeypatch, tmp_path / name)
    assert refusal(path) == f"{path}: cannot open the database: {words}"


def test_a_database_in_a_folder_that_cannot_be_written_is_refused_naming_the_folder(tmp_path, monkeypatch):
    """'attempt to write a readonly database', of a file that could be written: SQLite could not make its -wal."""
    path = tmp_path / "mock.sqlite3"
    path.touch()
    unwritable(monkeypatch, tmp_path)
    assert refusal(path) == (f"{path}: cannot open the database: its folder {tmp_path} cannot be written: SQLite makes"
                             " the database's -wal and -shm files beside it, and the mock its .lock file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mock.sqlite3"]


def test_a_database_in_a_folder_that_does_not_exist_is_refused_naming_the_folder(tmp_path):
    path = tmp_path / "missing" / "mock.sqlite3"
    assert refusal(path) == f"{path}: cannot open the database: its folder {path.parent} does not exist"


@pytest.mark.skipif(os.geteuid() == 0, reason="a root user writes read-only files")
def test_a_read_only_database_opens_once_it_is_made_writable(tmp_path):
    path = tmp_path / "mock.sqlite3"
    open_store(str(path)).close()
    path.chmod(0o444)
    assert refusal(path).endswith("it is read-only: make it writable (chmod u+w), or give --db another file")
    path.chmod(0o644)
    open_store(str(path)).close()
