"""Whether the database's files are still the ones the store opened: the database, and SQLite's -wal and -shm
beside it. Writes are refused once one was removed or replaced, and what a removed -wal held is copied back first.
"""

from __future__ import annotations

import logging
import os
import sqlite3

from mockserver.store_checkpoints import truncate_wal

# The files a store holds open: the database, and SQLite's beside it in WAL mode; each is named in a refusal
OPEN_FILES = ("", "-wal", "-shm")
OPEN_FILE_NAMES = ("the database file", "the database's -wal file", "the database's -shm file")
FileIds = tuple[tuple[int, int] | None, ...]  # (device, inode) of each, or None where it is not there


def stat_id(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def moved_error(which: int) -> sqlite3.OperationalError:
    return sqlite3.OperationalError(f"{OPEN_FILE_NAMES[which]} was removed or replaced while the mock ran: restart"
                                    " the mock to use the files now there")


CHECKPOINT_WAIT_S = 2.0  # a reset's or clear's checkpoint waits this long at most for readers (see _give_back_space)


class FileChecks:
    """SqliteStore's checks of its files, mixed into it: they use its `database`, `beside`, `_file_id` (the files'
    identities once open), `_wal_saved`, `_keeper` (the connection held for the store's life) and `_write` (its write
    lock)."""

    def _identity(self) -> FileIds | None:
        if self.database.startswith("file:"):
            return None
        # SQLite's -wal and -shm are beside the file a link leads to (`beside`); a link led elsewhere is "replaced"
        return (stat_id(self.database), *(stat_id(self.beside + suffix) for suffix in OPEN_FILES[1:]))

    def _same_file(self) -> None:
        """Refuse to write when the database file, or SQLite's -wal or -shm beside it, was removed or replaced
        while the mock ran (three stats, about 1 us each). A new database file: the writes would go to one no one
        can read any more (a worker started since writes to the new one). A new -wal: to the removed one, which
        held every write since the last checkpoint, and which no one reads again either; a new -shm: with an index
        of the -wal other processes no longer share. What the removed -wal held is copied into the database file
        first (_save_wal); a database file removed or replaced is given what its -wal holds (_save_moved_file)."""
        if (moved := self._moved()) is not None:
            which, found = moved
            if which == 1:
                self._save_wal(found)
            elif which == 0:
                self._save_moved_file(found)
            raise moved_error(which)

    def _moved(self) -> tuple[int, FileIds] | None:
        """Which of OPEN_FILES is not the one the store opened (the first), and the files there now; None when
        each is (or the store is in memory, or closed)."""
        if self._file_id is None or (found := self._identity()) == self._file_id:
            return None
        return next(index for index, (was, now) in enumerate(zip(self._file_id, found, strict=True))
                    if was != now), found

    def check_files(self) -> None:
        """Refuse (as a write would) when the database's files were removed or replaced since the store opened
        them, for the health check: reads go on through the files the store holds open, so they tell nothing. No
        write lock: nothing is copied here (_save_wal)."""
        self._check_files()

    def _check_files(self) -> None:  # check_files, raising sqlite3's error: for the store's own use
        if (moved := self._moved()) is not None:
            raise moved_error(moved[0])

    def _save_wal(self, found: FileIds) -> None:
        """Copy what a removed -wal holds into the database file, once, through the connection held since the
        store opened: the removed -wal is open there (each connection opened since has a new, empty one) and so is
        the index of it in the -shm this process shares. Only while no other process can have opened the database
        since: it would make a new -shm (a new -wal it may write to under the write lock, which this holds), and
        pages it read before the copy would no longer be those in the file."""
        if self._wal_saved:
            return
        self._wal_saved = True
        log = logging.getLogger("mockserver")
        try:
            written = os.path.getsize(self.beside + "-wal") > 0
        except OSError:
            written = False
        if written or found[2] not in (None, self._file_id[2]):  # type: ignore[index]
            log.error("the database's -wal file was removed while the mock ran, and another process opened the"
                      " database since: what the removed one held since the last checkpoint is lost")
            return
        reason = self._copy_wal()
        if reason:
            log.error("the database's -wal file was removed while the mock ran, and what it held could not all be"
                      " copied into the database file: %s", reason)
        else:
            log.warning("the database's -wal file was removed while the mock ran: what it held is copied into the"
                        " database file")

    def _copy_wal(self) -> str | None:
        """Copy the -wal into the database file the store opened, by its keeper, and start it over; None once done,
        else why not (a reader held it CHECKPOINT_WAIT_S, or SQLite's own reason)."""
        keeper = self._keeper.conn
        try:
            keeper.execute(f"PRAGMA busy_timeout = {round(CHECKPOINT_WAIT_S * 1000)}")
            busy, _, _ = truncate_wal(keeper, CHECKPOINT_WAIT_S)
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return f"a reader held it for {CHECKPOINT_WAIT_S:g} s" if busy else None

    def _save_if_moved(self) -> None:
        """What a write does on finding the database file removed or replaced (_same_file), for the store's
        checkpoint thread and close(): a store with no write since would leave the -wal beside the path, read as
        the new file's by the next server to open it."""
        moved = self._moved()
        if moved is None or moved[0] != 0 or self._wal_saved:
            return
        try:
            with self._write:  # its check (_same_file) makes the copy, then refuses the write
                pass
        except sqlite3.Error:
            pass

    def _save_moved_file(self, found: FileIds) -> None:
        """Copy what the -wal holds into the database file the store opened, once it was removed or replaced, and
        leave the -wal empty. SQLite copies nothing into a file that moved, not even as its last connection closes,
        so the creates acknowledged since the last checkpoint stayed in the -wal alone, lost to the file the mock
        had open; and the -wal, left beside the path, was read as the new file's own (a file put back from a
        backup was then "database disk image is malformed"). Only while the -wal and -shm are still the ones the
        store opened (or gone): another's are not the store's to copy or to empty. Under the write lock."""
        if self._wal_saved:
            return
        self._wal_saved = True
        if any(now not in (None, was) for was, now in zip(self._file_id[1:], found[1:], strict=True)):  # type: ignore[index]
            return
        log = logging.getLogger("mockserver")
        reason = self._copy_wal()
        if reason:
            log.error("the database file was removed or replaced while the mock ran, and what its -wal held could"
                      " not all be copied into the file the mock opened: %s; stop the mock before serving the file"
                      " now there", reason)
        else:
            log.warning("the database file was removed or replaced while the mock ran: what its -wal held is copied"
                        " into the file the mock opened, not into the one now there")
