"""A database file with more than one name: hard links (`ln a.sqlite3 b.sqlite3`, `cp -al`).

SQLite names its -wal and -shm, and the mock its .lock (the writers' queue) and -faults, from the name the file is
opened by; a symbolic link is followed to the file (mockserver.store_layout.beside_path), a hard link cannot be, as
each name is the file's own. So a mock on one name and a mock on another share none of them: neither sees the fault
rules the other adds, their writers queue apart, and SQLite's write lock, held in the -shm, lets both write at once,
each into its own -wal and each copying that into the one file, which SQLite's "How To Corrupt An SQLite Database
File" (section 2.5, multiple links to the same file) calls undefined. In one process SQLite shares one index of the
-wal (the -shm, by the file's inode) between the names, and each name reads its own -wal: opening a second name while
the first's -wal holds writes is SQLite's "disk I/O error".

It is warned of, at `serve`'s start and by create_app, not refused: a file served by one name alone comes to no
harm, and a hard link left by a backup tool would stop the mock for nothing. The warning says what to do instead."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import warnings
from collections.abc import Callable
from contextvars import ContextVar

# The files between create_app and the code that started a mock: running_mock's (and contextlib's, between it and
# the caller's `with`), passed over as Python 3.12's skip_file_prefixes would, which 3.11 lacks
PASSED_OVER = tuple(os.path.normcase(path) for path in (os.path.join(os.path.dirname(__file__), "app.py"),
                                                        os.path.join(os.path.dirname(__file__), "testing.py"),
                                                        contextlib.__file__))
# Where the warning goes instead, while set: the kore_mock fixture's test (pytest's Node.warn), whose own line is on
# no frame of the stack that starts its mock
WARNED_BY: ContextVar[Callable[[Warning], None] | None] = ContextVar("WARNED_BY", default=None)

# SQLite's answer to opening, in one process, a second name of a file already open by another (SQLITE_IOERR_*)
SECOND_NAME_ERRORS = (sqlite3.SQLITE_IOERR,)


class HardLinkWarning(UserWarning):
    """The DATABASE file has other names (hard links): a mock on another of them would share neither its fault rules
    nor SQLite's locks, and the two could damage the file. `-W error::mockserver.store_hard_links.HardLinkWarning` makes
    it a failure."""


def other_names(path: str) -> int:
    """How many other names the file at `path` has (where a symbolic link leads): its link count less one; 0 for one
    that is not there or not a file (`:memory:`'s URI)."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return 0
    return max(found.st_nlink - 1, 0) if os.path.isfile(path) else 0


def _names(count: int) -> str:
    return f"{count} other name{'s' if count > 1 else ''}"


def said(path: str) -> str | None:
    """Why a database file with other names is a risk, and what to do, in one line; None for a file with one name."""
    count = other_names(path)
    if not count:
        return None
    return (f"the database file {path} has {_names(count)} (hard links): SQLite keeps its -wal and -shm,"
            " and the mock its .lock and -faults, beside the name it is opened by, so a mock on another name would"
            " see none of this one's fault rules, and the two would write at once, which can damage the file; serve"
            " it by one name (a symbolic link is followed to the file, and shares them), and keep a backup as a copy"
            " (a hard link changes as the mock writes)")


def warn(path: str) -> None:
    """HardLinkWarning, for a file with other names, where create_app's caller called it, or running_mock's."""
    if (text := said(path)) is None:
        return
    if (warned_by := WARNED_BY.get()) is not None:
        warned_by(HardLinkWarning(text))
    else:
        warnings.warn(HardLinkWarning(text), stacklevel=_callers_level())


def _callers_level() -> int:
    """warn()'s stacklevel for the first frame outside create_app and running_mock: create_app's caller's, or the
    line that called running_mock (which pointed at mockserver/testing.py)."""
    frame, level = sys._getframe(2), 2  # create_app's frame, warn()'s stacklevel 2
    while frame.f_back is not None and os.path.normcase(frame.f_code.co_filename) in PASSED_OVER:
        frame, level = frame.f_back, level + 1
    return level


def open_hint(exc: sqlite3.Error, path: str) -> str | None:
    """What to do about SQLite's "disk I/O error" opening a file with other names: this process most likely holds it
    open by another (two running_mock()s, one on each name), whose -wal this name does not read; None otherwise."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None or code & 0xFF not in SECOND_NAME_ERRORS or not (count := other_names(path)):
        return None
    return (f"the database file has {_names(count)} (hard links), and this process may hold it open by another,"
            " whose -wal SQLite does not read by this name: open it by one name")
