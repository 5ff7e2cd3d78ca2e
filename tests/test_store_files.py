"""A --db the mock cannot write (a folder, a read-only file or folder, a read-only file left beside it) is refused
in one line naming what to change, before SQLite makes anything beside it."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import threading
import time

import pytest
from commands import mockserver_command

from mockserver.app import open_store
from mockserver.errors import ConfigError


def refusal(path, thorough: bool = False) -> str:
    with pytest.raises(ConfigError) as refused:
        open_store(str(path), thorough=thorough)
    return str(refused.value)


def test_a_folder_given_as_db_is_refused_saying_so(tmp_path):
    """It was refused as SQLite's 'unable to open database file'."""
    (tmp_path / "mock.sqlite3").mkdir()
    assert refusal(tmp_path / "mock.sqlite3") == (
        f"{tmp_path}/mock.sqlite3: cannot open the database: it is a folder: give --db the path of a file, in it or"
        " elsewhere")


def test_a_device_or_pipe_given_as_db_is_refused_saying_so(tmp_path):
    """`--db /dev/null` was refused as SQLite's "disk I/O error", which sent its user looking at the disk."""
    os.mkfifo(tmp_path / "pipe")
    for path in ("/dev/null", tmp_path / "pipe"):
        assert refusal(path) == (f"{path}: cannot open the database: it is not a regular file (a device, pipe or"
                                 " socket): give --db the path of a file")


def unwritable(monkeypatch, *paths) -> None:
    """As if `paths` could not be written (a root user can write anything, so chmod would not show it)."""
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (not (os.fspath(path) in map(str, paths)
                                                                    and mode & os.W_OK) and real(path, mode, **kw)))


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


@pytest.mark.parametrize(("name", "words"), [
    ("mock.sqlite3", "it cannot be read: make it readable and writable (chmod u+rw), or give --db another file"),
    ("mock.sqlite3-wal", "mock.sqlite3-wal beside it cannot be read: make it readable and writable (chmod u+rw)"),
])
def test_a_database_or_file_beside_it_that_cannot_be_read_is_refused_naming_it(tmp_path, monkeypatch, name, words):
    """A file of mode 000 was called read-only, and once `chmod u+w` had made it writable, refused again with
    SQLite's 'unable to open database file'."""
    path = tmp_path / "mock.sqlite3"
    open_store(str(path)).close()
    (tmp_path / name).touch()
    real = os.access
    monkeypatch.setattr(os, "access", lambda where, mode, **kw: (not (os.fspath(where) == str(tmp_path / name)
                                                                       and mode & os.R_OK)
                                                                  and real(where, mode, **kw)))
    assert refusal(path) == f"{path}: cannot open the database: {words}"


@pytest.mark.parametrize("name", ["mock.sqlite3", "mock.sqlite3-shm"])
def test_another_uids_read_only_database_is_refused_naming_both_uids(tmp_path, monkeypatch, name):
    """A container restarted under another uid: the advice was `chmod u+w`, which the file's owner may have done
    already, and which this uid cannot do."""
    path = tmp_path / "mock.sqlite3"
    open_store(str(path)).close()
    (tmp_path / name).touch()
    unwritable(monkeypatch, tmp_path / name)
    owner = os.stat(tmp_path / name).st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 4242)
    said = refusal(path)
    assert f"is read-only for uid {owner + 4242}, as it belongs to uid {owner}" in said, said
    assert f"run the mock as uid {owner}, or give the file to uid {owner + 4242} (chown {owner + 4242})" in said, said
    assert "chmod" not in said


def test_a_database_in_a_folder_that_cannot_be_written_is_refused_naming_the_folder(tmp_path, monkeypatch):
    """'attempt to write a readonly database', of a file that could be written: SQLite could not make its -wal."""
    path = tmp_path / "mock.sqlite3"
    path.touch()
    unwritable(monkeypatch, tmp_path)
    assert refusal(path) == (f"{path}: cannot open the database: its folder {tmp_path} cannot be written: SQLite makes"
                             " the database's -wal and -shm files beside it, and the mock its .lock file: make it"
                             " writable (chmod u+wx), or give --db a file in a folder the mock can write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mock.sqlite3"]


def test_a_database_in_another_uid_s_folder_is_refused_naming_both_uids(tmp_path, monkeypatch):
    """An old --db kept on a volume that another uid owns (a container restarted under another one): chmod u+wx, by
    this uid, changes nothing, and the line said nothing of what to do."""
    path = tmp_path / "mock.sqlite3"
    path.touch()
    unwritable(monkeypatch, tmp_path)
    owner = os.stat(tmp_path).st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 4242)
    said = refusal(path)
    assert said.endswith(f"the mock its .lock file: it belongs to uid {owner}, who may let uid {owner + 4242} write in"
                         " it, or give --db a file in a folder the mock can write"), said
    assert "chmod" not in said


def read_only_mount(monkeypatch, *paths) -> None:
    """As if `paths` were on a file system mounted read-only: nothing there can be written, whatever its mode."""
    unwritable(monkeypatch, *paths)
    real = os.statvfs
    flags = type("Flags", (), {"f_flag": os.ST_RDONLY})
    monkeypatch.setattr(os, "statvfs", lambda path: flags() if os.fspath(path) in map(str, paths) else real(path))


@pytest.mark.parametrize("unwritten", ["folder", "file"])
def test_a_database_on_a_read_only_mount_is_not_told_to_chmod(tmp_path, monkeypatch, unwritten):
    """A container's read-only root (`docker run --read-only`) refuses every write, a root user's too: the line said
    "make it writable (chmod u+wx)" of the folder, "(chmod u+w)" of the file, and chmod fails there."""
    path = tmp_path / "mock.sqlite3"
    path.touch()
    read_only_mount(monkeypatch, tmp_path if unwritten == "folder" else path)
    said = refusal(path)
    assert "chmod" not in said and said.endswith({
        "folder": "the mock its .lock file: it is on a file system mounted read-only: give --db a file in a"
                  " folder the mock can write",
        "file": "cannot open the database: it is on a file system mounted read-only: copy it to one the mock can"
                " write, or give --db another file"}[unwritten]), said


def test_a_database_in_a_folder_that_does_not_exist_is_refused_naming_the_folder(tmp_path):
    path = tmp_path / "missing" / "mock.sqlite3"
    assert refusal(path) == f"{path}: cannot open the database: its folder {path.parent} does not exist"


@pytest.mark.parametrize("given", ["plain/mock.sqlite3", "plain/deeper/mock.sqlite3"])
def test_a_database_under_a_file_is_refused_naming_the_file(tmp_path, monkeypatch, given):
    """The folder was said not to exist, where `serve` and `openapi -o` say a file stands in its place."""
    (tmp_path / "plain").touch()
    monkeypatch.chdir(tmp_path)
    assert refusal(given) == f"{given}: cannot open the database: {tmp_path}/plain is a file, not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="a root user writes read-only files")
def test_a_read_only_database_opens_once_it_is_made_writable(tmp_path):
    path = tmp_path / "mock.sqlite3"
    open_store(str(path)).close()
    path.chmod(0o444)
    assert refusal(path).endswith("it is read-only: make it writable (chmod u+w), or give --db another file")
    path.chmod(0o644)
    open_store(str(path)).close()


def damaged(path, at: int, size: int) -> None:
    with open(path, "r+b") as file:
        file.seek(at)
        file.write(b"\x07" * size)


def a_database(tmp_path):
    path = tmp_path / "mock.sqlite3"
    store = open_store(str(path))
    store.add_campaign("acc", "st", "kept", {"id": "cd-1", "createdAt": "2020-01-01T00:00:00.000Z"})
    store.close()
    return path


DAMAGED = ("the file is damaged (cut short, or written over) and will not mend: keep a copy, and serve a new file, or"
           " one recovered from it (sqlite3 FILE .recover | sqlite3 NEW)")


@pytest.mark.parametrize(("harm", "words"), [
    (lambda path: os.truncate(path, 3000), f"database disk image is malformed; {DAMAGED}"),
    (lambda path: damaged(path, 0, 16), "file is not a database; it is not an SQLite database, or is damaged from its"
                                        " start: give --db a new file, or one the mock made"),
])
def test_a_damaged_file_is_refused_saying_what_to_do(tmp_path, harm, words):
    """SQLite's words alone ('database disk image is malformed') said neither that the file would stay so nor what
    to do."""
    path = a_database(tmp_path)
    harm(path)
    assert refusal(path) == f"{path}: cannot open the database: {words}"


def test_a_database_held_by_another_program_at_start_is_refused_saying_so(tmp_path, monkeypatch):
    from mockserver import store_lock

    monkeypatch.setattr(store_lock, "LOCK_WAIT_S", 0.2)  # the one value the store's modules read
    path = a_database(tmp_path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        assert refusal(path, thorough=True) == (  # serve's check at start
            f"{path}: cannot open the database: database is locked; another program holds a write lock on it (a"
            " transaction left open in the sqlite3 shell, say): end that, then start the mock again")
    finally:
        other.close()


def test_a_worker_opening_a_database_another_program_holds_opens_at_once(tmp_path):
    """Each worker removed stale journal announcements as it opened the file, waiting 15 s for the lock and then
    failing: a worker gunicorn replaced (or all of them, after a SIGHUP) while a sqlite3 shell held a transaction
    open stopped the whole server. Creates wait for the lock as before, and are answered 503 if it outlasts them."""
    path = a_database(tmp_path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        store = open_store(str(path))
        try:
            assert time.monotonic() - started < 2 and store.count_campaigns() == 1
        finally:
            store.close()
    finally:
        other.close()


@pytest.mark.parametrize(("at", "harm", "words"), [
    (4096, b"\x07" * 200, "database disk image is malformed"),  # the campaigns table's root page
    # the header's count of free pages; SQLite's words: "Main freelist" up to 3.4x, "Freelist" in 3.53
    (36, (3).to_bytes(4, "big"), "PRAGMA quick_check found: (Main f|F)reelist: size is 0 but should be 3"),
])
def test_serve_finds_damage_inside_the_file_before_it_starts(tmp_path, at, harm, words):
    """The campaigns table's first page written over: the mock started, said its health was ok, and answered every
    create and listing 503 'cannot be used just now'."""
    from mockserver.commands.serve import check_config

    path = a_database(tmp_path)
    with open(path, "r+b") as file:
        file.seek(at)
        file.write(harm)
    with pytest.raises(ConfigError) as refused:
        check_config({"DATABASE": str(path), "RATE_LIMIT": None})
    assert re.fullmatch(f"{re.escape(f'{path}: cannot open the database: ')}{words}; {re.escape(DAMAGED)}",
                        str(refused.value))


def test_damage_met_while_serving_is_answered_as_lasting(tmp_path):
    from mockserver.store import StoreUnavailable

    path = a_database(tmp_path)
    store = open_store(str(path))
    try:
        damaged(path, 4096, 200)
        with pytest.raises(StoreUnavailable) as refused:
            store.add_campaign("acc", "st", "more", {"id": "cd-2", "createdAt": "2020-01-01T00:00:00.000Z"})
        assert str(refused.value) == f"database disk image is malformed; {DAMAGED}"
    finally:
        store.close()


def test_a_file_beside_it_that_cannot_be_made_is_named_after_the_db_path():
    """A folder that exists, and that even a root user cannot make files in: the line named only the store's
    lock file (`/proc/x.sqlite3.lock: cannot open...`), not the --db path that was given."""
    if os.access("/proc", os.W_OK | os.X_OK):  # a root user: the folder lets it in, and only the lock file fails
        why = "x.sqlite3.lock beside it: No such file or directory"
    else:  # any other user is told of the folder first
        why = ("its folder /proc cannot be written: SQLite makes the database's -wal and -shm files beside it, and the"
               f" mock its .lock file: it belongs to uid 0, who may let uid {os.geteuid()} write in it, or give --db a"
               " file in a folder the mock can write")
    assert refusal("/proc/x.sqlite3") == f"/proc/x.sqlite3: cannot open the database: {why}"


def test_a_database_whose_name_is_not_utf8_opens_again(tmp_path):
    """A file name with a byte that is not UTF-8 (made under LANG=C, say, and given as typed) opened when new, then
    ended each later start in a traceback: its URI for the read-only check was quoted as text."""
    path = os.path.join(str(tmp_path), os.fsdecode(b"mock-\xff.sqlite3"))
    for _ in range(2):  # made, then opened again as an existing database
        store = open_store(path)
        store.close()
    assert os.path.exists(path)


def test_a_relative_db_path_is_the_file_it_named_at_start_whatever_the_directory_is_later(tmp_path, monkeypatch,
                                                                                          make_app, url, headers,
                                                                                          sample_body):
    """Each thread opens its own connection, by the path as given: once a test had changed directory, a create
    answered on a new thread got 503 "the database file was removed or replaced while the mock ran"."""
    (tmp_path / "first").mkdir()
    (tmp_path / "later").mkdir()
    monkeypatch.chdir(tmp_path / "first")
    client = make_app({"DATABASE": "mock.sqlite3"}).test_client()
    monkeypatch.chdir(tmp_path / "later")
    answers: list[int] = []
    thread = threading.Thread(target=lambda: answers.append(client.post(url, json=sample_body,
                                                                        headers=headers).status_code))
    thread.start()
    thread.join(30)
    assert answers == [200] and os.listdir(tmp_path / "later") == []


def test_a_store_pinned_to_a_file_refuses_one_removed_or_replaced_and_makes_none(tmp_path):
    """serve's workers open the file serve checked at start (DATABASE_FILE_ID): one started after it was removed
    made a new, empty file and served from it."""
    path = a_database(tmp_path)
    found = os.stat(path)
    pinned = (found.st_dev, found.st_ino)
    open_store(str(path), file_id=pinned).close()
    os.link(path, tmp_path / "kept")  # holds the inode, which a file made in its place could otherwise be given
    path.unlink()
    assert refusal_pinned(path, pinned).endswith("the database file was removed or replaced while the mock ran:"
                                                 " restart the mock to use the files now there")
    assert not path.exists()
    open_store(str(path)).close()  # a file made in its place
    assert "removed or replaced" in refusal_pinned(path, pinned)


def refusal_pinned(path, file_id) -> str:
    with pytest.raises(ConfigError) as refused:
        open_store(str(path), file_id=file_id)
    return str(refused.value)


@pytest.mark.parametrize(("code", "words"), [
    (errno.EROFS, "Read-only file system; the file system refuses writes, though not mounted read-only (a disk error"
                  " made it so, say): give --db a file on one the mock can write"),
    (errno.ENOSPC, "No space left on device; its disk is full: free some room, then start the mock again"),
])
def test_a_file_beside_it_refused_by_its_file_system_says_what_to_do(tmp_path, monkeypatch, code, words):
    """ext4 gone read-only after an error (errors=remount-ro) still says it is mounted read-write, so the start's
    check let the file through, and the refusal ended in the system's words alone: "mock.sqlite3.lock beside it:
    Read-only file system"."""
    from mockserver import store

    def refused(database, **kwargs):  # the lock file beside it cannot be made
        raise OSError(code, os.strerror(code), database + ".lock")

    monkeypatch.setattr(store, "WriteLock", refused)
    path = tmp_path / "mock.sqlite3"
    assert refusal(path) == f"{path}: cannot open the database: mock.sqlite3.lock beside it: {words}"


def test_a_database_on_a_file_system_gone_read_only_says_so(tmp_path, monkeypatch):
    """Its lock file, made by an earlier start, cannot be opened for writing (ext4 gone read-only after an error,
    still mounted read-write in its flags): the start was refused with SQLite's 'unable to open database file'."""
    path = tmp_path / "mock.sqlite3"
    open_store(str(path)).close()
    (tmp_path / "mock.sqlite3-shm").unlink(missing_ok=True)  # SQLite cannot make it there: its read fails first
    real = os.open

    def read_only(where, flags, *args, **kwargs):
        if os.fspath(where).startswith(str(path)) and flags & (os.O_RDWR | os.O_WRONLY):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(where))
        return real(where, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    assert refusal(path) == (
        f"{path}: cannot open the database: mock.sqlite3.lock beside it: Read-only file system; the file system refuses"
        " writes, though not mounted read-only (a disk error made it so, say): give --db a file on one the mock can"
        " write")


LOOP_WORDS = "is a loop of symbolic links (each leads to the next, and round again): point the link at"


@pytest.mark.parametrize(("given", "words"), [
    ("loop", f"it {LOOP_WORDS} a file, or give --db another path"),
    ("loop/mock.sqlite3", "its folder {tmp_path}/loop " + LOOP_WORDS + " a folder, or give --db another path"),
    ("mock.sqlite3", f"mock.sqlite3-wal beside it {LOOP_WORDS} a file, or give --db another path"),
])
def test_a_loop_of_symbolic_links_is_refused_naming_it(tmp_path, given, words):
    """A --db (or its folder, or a file beside it) that leads round a loop of links (`ln -s a b; ln -s b a`): `serve`
    stopped with a traceback (RuntimeError: Symlink loop, from Path.resolve on 3.11 and 3.12), and the store was
    refused in SQLite's words alone ("unable to open database file"), or told its folder does not exist."""
    (tmp_path / "loop").symlink_to("back")
    (tmp_path / "back").symlink_to("loop")
    (tmp_path / "mock.sqlite3-wal").symlink_to("mock.sqlite3-wal")
    words = words.format(tmp_path=tmp_path)
    assert refusal(tmp_path / given) == f"{tmp_path / given}: cannot open the database: {words}"
    served = mockserver_command("serve", "--port", "0", "--db", given, cwd=tmp_path)
    assert (served.returncode, served.stderr) == (2, f"mockserver serve: error: {given}: cannot open the database:"
                                                     f" {words}\n")


@pytest.mark.parametrize(("given", "words"), [
    ("mock.sqlite3/", "it ends in a slash, as a folder's path does, but names a file: give the file's path without it"),
    ("a" * 300 + ".sqlite3", "File name too long"),
    ("/".join(["b" * 200] * 25) + "/mock.sqlite3", "File name too long"),
])
def test_a_path_that_cannot_name_a_file_is_refused_before_anything_is_made(tmp_path, given, words):
    """`serve --db mock.sqlite3/` made mock.sqlite3 and then stopped with a traceback (NotADirectoryError), and a
    path too long to look up with another (OSError, in serve's look-up of its folders); a name too long was
    refused naming the .lock beside it."""
    served = mockserver_command("serve", "--port", "0", "--db", given, cwd=tmp_path)
    assert served.returncode == 2 and served.stderr.endswith(f": cannot open the database: {words}\n"), served.stderr
    assert "\n" not in served.stderr.rstrip("\n")
    assert refusal(tmp_path / given if not given.endswith("/") else f"{tmp_path}/{given}").endswith(words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("side", ["-wal", "-shm", ".lock", "-faults"])
def test_a_folder_where_a_file_beside_it_goes_is_refused_naming_it(tmp_path, side):
    """A -wal folder was refused as SQLite's "disk I/O error" (the disk is full, or failing?), a .lock folder as
    "Is a directory", and a -faults folder was served, read as the marker of rules that may not be there."""
    (tmp_path / f"mock.sqlite3{side}").mkdir()
    assert refusal(tmp_path / "mock.sqlite3") == (
        f"{tmp_path}/mock.sqlite3: cannot open the database: mock.sqlite3{side} beside it is a folder, where the mock"
        " or SQLite keeps a file: move it away, or give --db another file")


def test_a_database_whose_folder_cannot_be_reached_is_refused_saying_so(tmp_path, monkeypatch):
    """A folder above it that may not be searched (chmod -x): it was said not to exist, and `serve` stopped with a
    traceback (PermissionError, in its look-up of the folders to make)."""
    folder = tmp_path / "closed" / "inner"
    real_stat = os.stat

    def closed(path, *args, **kwargs):
        if os.fspath(path).startswith(str(folder)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", closed)
    assert refusal(folder / "mock.sqlite3") == (
        f"{folder}/mock.sqlite3: cannot open the database: its folder {folder} cannot be reached (Permission denied): a"
        " folder above it may not be searched; make it searchable (chmod u+x), or give --db a file elsewhere")


@pytest.mark.parametrize("given", ["file:mock.sqlite3", "file:mock.sqlite3?mode=ro"])
def test_serve_refuses_an_sqlite_uri_as_db_in_one_line(tmp_path, given):
    """SQLite opened it as a URI (making mock.sqlite3, without the mock's checks or its WAL mode), and serve then
    stopped with a traceback looking for a file named `file:mock.sqlite3`; `?mode=ro` said only "attempt to write a
    readonly database"."""
    served = mockserver_command("serve", "--port", "0", "--db", given, cwd=tmp_path)
    assert (served.returncode, served.stderr) == (2, f"mockserver serve: error: {given}: cannot open the database: an"
                                                     " SQLite URI (file:...) is not taken: give the file's path"
                                                     " (./file:... for a file of that name), or :memory:\n")
    assert list(tmp_path.iterdir()) == []
