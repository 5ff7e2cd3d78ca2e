"""The permissions of the files the store makes: a new database file is its owner's alone (0600), and each file
beside it gets the database file's.

As tools that keep request logs make theirs; the .lock and -faults files as SQLite makes its -wal and -shm. An
existing file keeps its permissions.

Made by SQLite, under the usual umask 022, the database (and so its -wal and -shm) was 0644: any local user could
read the journal's request bodies and headers.
"""

from __future__ import annotations

import contextlib
import os
import stat

NEW_DATABASE_MODE = 0o600


def make_database(path: str) -> None:
    """Make `path`, an empty database file (SQLite takes one as a new database), readable by its owner alone, unless
    it exists. What the umask leaves of 0600: a stricter umask is the user's choice."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_DATABASE_MODE))
    except FileExistsError:  # O_EXCL refuses a symbolic link too: one to no file yet had SQLite make it, by the umask
        if os.path.islink(path) and not os.path.exists(path):
            with contextlib.suppress(OSError):  # its folder missing, say: SQLite's refusal says so
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, NEW_DATABASE_MODE))


def database_mode(database: str) -> int:
    """The permissions of the database file, which the files beside it get; 0600 if it cannot be read."""
    try:
        return stat.S_IMODE(os.stat(database).st_mode) & 0o666
    except OSError:
        return NEW_DATABASE_MODE


def open_beside(path: str, database: str, flags: int) -> int:
    """A descriptor of `path`, a file the store keeps beside `database`, opened with `flags` (O_CREAT is added):
    made, when missing, with the database file's permissions whatever the umask, as SQLite makes its -wal and -shm
    (a database shared by a group keeps its lock file usable by the group)."""
    mode = database_mode(database)
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return os.open(path, flags | os.O_CREAT, mode)  # kept its own permissions (made by the umask if removed since)
    with contextlib.suppress(OSError):  # a file system without permissions (vfat) keeps its own
        os.chmod(path, mode)
    return fd
