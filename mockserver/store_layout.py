"""The mock's database layout (its tables, SCHEMA, and the columns added since), its number in the file's header, and
the checks that a --db file can be written and is the mock's, of a layout this version knows.

The checks run before anything in the file or beside it is changed.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sqlite3
import urllib.parse

from mockserver import open_files
from mockserver.paths import file_in_the_way, lookup_problem
from mockserver.regular_files import SLASHED

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    seq INTEGER PRIMARY KEY,  -- no AUTOINCREMENT, no index on id: each costs a page write per create
    id TEXT NOT NULL,  -- unique by construction (a Faker UUID; seeded: one per account and name)
    account_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    lname TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (account_id, lname)
);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    errors TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    body_read INTEGER,  -- 0: answered before its body was read (a refused token, say); NULL (older rows): read
    accounts TEXT,  -- "|id|id|": the account ids the request names, decoded; NULL on rows written before it
    fault_rule INTEGER  -- the id of the fault rule that met the request; NULL: none did (or a row written before it)
);
CREATE INDEX IF NOT EXISTS journal_status ON journal (status);  -- the total of an unfiltered or status listing
-- Listings newest first: each worker writes its entries in batches, so ids follow the writing, not the answering.
CREATE INDEX IF NOT EXISTS journal_at ON journal (at);
CREATE TABLE IF NOT EXISTS marks (  -- values every worker must see: when the journal was last cleared, the last rule id
    name TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_batches (  -- the batches workers hold, so a listing can wait for them
    holder TEXT NOT NULL,  -- the store (one per worker) holding it
    pid INTEGER NOT NULL,  -- its process: a batch of a process that died is not waited for
    since TEXT NOT NULL,  -- when its first entry came
    PRIMARY KEY (holder, since)
);  -- not WITHOUT ROWID: SQLite 3.40's integrity_check then reports NULLs in pid that are not there
CREATE TABLE IF NOT EXISTS fault_rules (
    id INTEGER PRIMARY KEY,
    fault TEXT NOT NULL,  -- the X-Mock-Fault syntax, e.g. "status=503"
    method TEXT,  -- NULL matches any
    path TEXT,  -- a glob; NULL matches any
    probability REAL NOT NULL,
    remaining INTEGER,  -- requests it still applies to; NULL is no limit
    applied INTEGER NOT NULL DEFAULT 0,
    account_id TEXT  -- requests naming this account (accountid header or accountId query); NULL matches any
);
CREATE TABLE IF NOT EXISTS rate_counts (
    account_id TEXT NOT NULL,
    window_start INTEGER NOT NULL,  -- epoch seconds
    hits INTEGER NOT NULL,
    PRIMARY KEY (account_id, window_start)
) WITHOUT ROWID;
"""


# columns added since a table was first created
ADDED_COLUMNS = {("fault_rules", "account_id"): "TEXT", ("journal", "body_read"): "INTEGER",
                 ("journal", "accounts"): "TEXT", ("journal", "fault_rule"): "INTEGER"}
# What the mock writes in the file's header (PRAGMA application_id and user_version), so that a later version can
# tell a file of its own from another program's, and an earlier one a file it cannot know. LAYOUT counts the
# SCHEMAs the mock has had (tests/store_layouts holds each): a change to SCHEMA raises it.
APPLICATION_ID = 0x6B636D6B  # "kcmk"
LAYOUT = 9


def upgrade(conn: sqlite3.Connection) -> None:
    """Bring a database written by an earlier version up to SCHEMA (CREATE TABLE IF NOT EXISTS leaves it as is),
    and say so in its header."""
    for (table, column), kind in ADDED_COLUMNS.items():
        if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    if _header(conn) != (APPLICATION_ID, LAYOUT):  # written only when it changes: each worker opens the file
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {LAYOUT}")


def _header(conn: sqlite3.Connection) -> tuple[int, int]:
    return conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]


DAMAGED = ("the file is damaged (cut short, or written over) and will not mend: keep a copy, and serve a new file, or"
           " one recovered from it (sqlite3 FILE .recover | sqlite3 NEW)")
# What an operator can do when SQLite cannot open a database, by its primary result code
ADVICE = {
    sqlite3.SQLITE_CORRUPT: DAMAGED,
    sqlite3.SQLITE_NOTADB: "it is not an SQLite database, or is damaged from its start: give --db a new file, or one"
                           " the mock made",
    sqlite3.SQLITE_BUSY: "another program holds a write lock on it (a transaction left open in the sqlite3 shell,"
                         " say): end that, then start the mock again",
    sqlite3.SQLITE_FULL: "its disk is full: free some room, then start the mock again",
    # SQLite could not make or grow its -shm or -wal beside the file: on a full disk, this rather than SQLITE_FULL
    sqlite3.SQLITE_IOERR: "SQLite could not write its files beside it (-wal, -shm): is the disk full, or failing?",
}
# What to do when the file system refuses a file beside it (the store's .lock), by the system's error number: the
# start's checks found the folder writable, so a read-only file system here is one that does not say so in its mount
# flags (ext4 with errors=remount-ro, after an error)
FILE_ADVICE = {
    errno.EROFS: "the file system refuses writes, though not mounted read-only (a disk error made it so, say): give"
                 " --db a file on one the mock can write",
    errno.ENOSPC: "its disk is full: free some room, then start the mock again",
}
LASTING = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)  # failures met while serving that no retry gets past


def error_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # an extended code's primary one


# What whoever runs the mock can do about a failure met while serving that may pass, said to the client (a 503's msg)
# and in the log and health check: SQLite's words alone ("database or disk is full") left a tester to guess whose
# disk, and whether to send again
SERVING_ADVICE = {
    sqlite3.SQLITE_FULL: "the disk that holds it is full: whoever runs the mock can free some room, and it answers"
                         " again once there is",
    sqlite3.SQLITE_IOERR: "is the disk that holds it full, or failing? whoever runs the mock can look",
    sqlite3.SQLITE_BUSY: "another program held a write lock on it too long (a transaction left open in the sqlite3"
                         " shell, say): send it again",
}


def explained(exc: sqlite3.Error, serving: bool = False) -> str:
    """SQLite's reason, and what to do about it where that is known: at start (`serving` False), or while serving."""
    code = error_code(exc)
    if serving:
        advice = DAMAGED if code in LASTING else SERVING_ADVICE.get(code)
        if code == sqlite3.SQLITE_CANTOPEN:  # a worker's new thread, or its journal's, opening its connection
            advice = open_files.none_left()
        return f"{exc}; {advice}" if advice else str(exc)
    return f"{exc}; {ADVICE[code]}" if code in ADVICE else str(exc)


def quick_check(conn: sqlite3.Connection) -> None:
    """Read the whole file for damage (PRAGMA quick_check, about 0.4 s for 290 MB), which opening it does not find:
    a table's page written over was met only when a request read it."""
    said = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    if said != ["ok"]:  # each a line, or lines under "*** in database main ***"
        found = "; ".join(line for text in said for line in text.splitlines() if not line.startswith("***"))
        raise sqlite3.DatabaseError(f"PRAGMA quick_check found: {found}; {DAMAGED}")


class UnwritableDatabase(sqlite3.DatabaseError):
    """The mock could open the file only to fail on its first write: it is a folder, or it, its folder or a file
    SQLite keeps beside it cannot be written."""


SIDE_FILES = ("-wal", "-shm", ".lock", "-faults")  # SQLite's beside a database in WAL mode, and the store's


def beside_path(path: str) -> str:
    """The path the files beside the database `path` are named from: where a symbolic link leads, as SQLite names its
    -wal and -shm from the file the link leads to, so that every path to one database (the link, the file, another
    link) shares the mock's .lock (the writers' queue) and -faults too; `path` itself when it is no link. Beside the
    link, a server on the link and one on the file queued their writes on two lock files, and neither saw the other's
    fault rules."""
    return os.path.realpath(path) if os.path.islink(path) else path


def _side_words(path: str, beside: str, side: str) -> str:
    """A file beside the database, named as an error says it."""
    if beside == path:
        return f"{os.path.basename(path)}{side} beside it"
    return f"{beside}{side} beside the file it links to"


def check_writable(path: str) -> None:
    """Refuse, before SQLite opens (and makes files beside) it, a --db the mock could not write: SQLite's own
    words, "attempt to write a readonly database", named neither the file nor the folder at fault, and a refused
    start on a read-only file left a read-only -shm beside it, so making the file writable was not enough."""
    if os.path.isdir(path):
        raise UnwritableDatabase("it is a folder: give --db the path of a file, in it or elsewhere")
    if os.path.exists(path) and not os.path.isfile(path):  # /dev/null, a FIFO, a socket: SQLite said "disk I/O error"
        raise UnwritableDatabase("it is not a regular file (a device, pipe or socket): give --db the path of a file")
    if (denied := _denied(path)) is not None:
        raise UnwritableDatabase(f"it {denied[0]}: {denied[1]}, or give --db another file")
    beside = beside_path(path)
    for side in SIDE_FILES:
        words = _side_words(path, beside, side)
        if os.path.exists(beside + side) and not os.path.isfile(beside + side):  # SQLite said "disk I/O error"
            kind = "a folder" if os.path.isdir(beside + side) else "not a regular file (a device, pipe or socket)"
            raise UnwritableDatabase(f"{words} is {kind}, where the mock or SQLite keeps a file: move it away, or give"
                                     " --db another file")
        if (denied := _denied(beside + side)) is not None:
            left = " (left by a start on a read-only file, say)" if denied[0] == "is read-only" else ""
            raise UnwritableDatabase(f"{words} {denied[0]}{left}: {denied[1]}")
    if (refused := _refused_by_file_system(beside + ".lock")) is not None:
        raise UnwritableDatabase(f"{_side_words(path, beside, '.lock')}: {refused.strerror};"
                                 f" {FILE_ADVICE[refused.errno]}")
    folder = os.path.dirname(os.path.abspath(beside))
    its = f"its folder {folder}" if beside == path else f"the folder {folder} of the file it links to"
    if (blocker := file_in_the_way(folder)) is not None:  # it was said not to exist, where serve's said this
        raise UnwritableDatabase(f"{blocker} is a file, not a folder")
    if not os.path.isdir(folder):  # `serve` makes it; an app built in-process does not
        raise UnwritableDatabase(f"{its} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnwritableDatabase(f"{its} cannot be written: SQLite makes the database's -wal and -shm"
                                 f" files beside it, and the mock its .lock file: {_folder_advice(folder)}")


def home_expanded(path: str) -> tuple[str, str | None]:
    """`path` with a leading `~` or `~user` made that home folder, as a shell does where it is not quoted: `serve --db
    '~/mock.sqlite3'` (or from a script) and DATABASE="~/mock.sqlite3" made the folder ~ names, then opened
    ./~/mock.sqlite3. And why it cannot be, for `~nouser/x` (a misspelt user, or ~ without a home), of which a folder
    named so would be made; else None."""
    expanded = os.path.expanduser(path)
    if not expanded.startswith("~"):
        return expanded, None
    user = expanded.split(os.sep, 1)[0]
    named = "a file" if user == expanded else "a folder"  # `--db ~nouser` names the database file itself
    return expanded, (f"{_plain(user)} names no home folder (no such user here): give the folder's path, or"
                      f" {_plain('./' + path)} for {named} named {_plain(user)}")


def _plain(name: str) -> str:
    """`name` as a message shows it: quoted where a space, or a character that does not print, would not show (`--db
    '~ /x'` was "~  names no home folder", read as ~ naming none)."""
    return name if name.isprintable() and not any(char.isspace() for char in name) else repr(name)


def unusable_path(path: str) -> str | None:
    """Why `path`, as given, cannot name a database file, before anything is made or looked up on its behalf; None
    if nothing does. A path ending in a slash was made a file without it, and `serve` then stopped with a traceback;
    a name too long to look up did too, or was refused naming the .lock file beside it."""
    if path.endswith(("/", os.sep)) and not os.path.isdir(path):
        return SLASHED
    if (looped := symlink_loop(path)) is not None:
        return looped
    folder, denied = os.path.dirname(os.path.abspath(path)), os.strerror(errno.EACCES)
    if (problem := lookup_problem(folder)) == denied:  # it was "its folder ... does not exist", or a traceback
        return (f"its folder {folder} cannot be reached ({denied}): a folder above it may not be searched; make it"
                " searchable (chmod u+x), or give --db a file elsewhere")
    if problem is None and (problem := lookup_problem(path)) == denied:
        return None  # its folder cannot be searched: check_writable says what to do
    return problem


def symlink_loop(path: str) -> str | None:
    """Where looking up `path` (its folder, it, or a file beside it) goes round a loop of symbolic links (`ln -s a b;
    ln -s b a`), in words; None if nowhere. os.path.exists() answers False there, as for a file not there: SQLite
    then said only "unable to open database file", the folder was said not to exist, and `serve`'s own look-up of
    the folder raised (a traceback, on Python 3.11 and 3.12)."""
    folder, files = os.path.dirname(os.path.abspath(path)), beside_path(path)
    beside = [(files + side, _side_words(path, files, side), "a file") for side in SIDE_FILES]
    for where, words, target in [(folder, f"its folder {folder}", "a folder"), (path, "it", "a file"), *beside]:
        try:
            os.stat(where)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return (f"{words} is a loop of symbolic links (each leads to the next, and round again): point the"
                        f" link at {target}, or give --db another path")
        except ValueError:  # a NUL: SQLite refuses it in its own words
            return None
    return None


def _refused_by_file_system(path: str) -> OSError | None:
    """The file system's refusal to open the store's lock file for writing, if it is there: one gone read-only after an
    error (ext4 with errors=remount-ro) says nothing of it in its mount flags, os.access lets it through, and SQLite's
    read of the file said only "unable to open database file". The lock file's, not the database's: closing a file
    SQLite has open in this process would let go of SQLite's locks on it."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_APPEND))
    except OSError as exc:
        return exc if exc.errno == errno.EROFS else None
    return None


def _folder_advice(folder: str) -> str:
    """What to do about a folder the mock cannot make files in: its owner can open it up; or the file moves."""
    elsewhere = "give --db a file in a folder the mock can write"
    if read_only_mount(folder):
        return f"it is on a file system mounted read-only: {elsewhere}"
    if not hasattr(os, "geteuid"):
        return f"make the folder writable, or {elsewhere}"
    owner, uid = os.stat(folder).st_uid, os.geteuid()
    if owner == uid:
        return f"make it writable (chmod u+wx), or {elsewhere}"
    # another uid's folder (a container's volume, say): chmod u+wx by this one changes nothing
    return f"it belongs to uid {owner}, who may let uid {uid} write in it, or {elsewhere}"


def read_only_mount(path: str) -> bool:
    """Whether `path` is on a file system mounted read-only (a container's `--read-only` root, say), where chmod fails
    for every uid; False where that cannot be told (Windows)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):
        return False


def _denied(path: str) -> tuple[str, str] | None:
    """What keeps the mock from using an existing file, and what to do; None if nothing (or no file)."""
    if not os.path.exists(path):
        return None
    if not os.access(path, os.R_OK):  # "read-only" would be wrong, and chmod u+w not enough
        denied = "cannot be read", "make it readable and writable (chmod u+rw)"
    elif not os.access(path, os.W_OK):
        if read_only_mount(path):  # no chmod helps, whoever owns it
            return "is on a file system mounted read-only", "copy it to one the mock can write"
        denied = "is read-only", "make it writable (chmod u+w)"
    else:
        return None
    if not hasattr(os, "geteuid"):  # Windows: no uids, and a file's st_uid is always 0
        return denied
    owner, uid = os.stat(path).st_uid, os.geteuid()
    if owner == uid:
        return denied
    # Another uid's (a container restarted under another one): chmod u+w, by its owner, changes nothing for this one
    return (f"{denied[0]} {'by' if denied[0] == 'cannot be read' else 'for'} uid {uid}, as it belongs to uid {owner}",
            f"run the mock as uid {owner}, or give the file to uid {uid} (chown {uid})")


class NotAMockDatabase(sqlite3.DatabaseError):
    """The file is an SQLite database, but another program's, or a newer mock's: the mock must not change it."""


@functools.cache
def schema_columns() -> dict[str, set[str]]:
    """Each of SCHEMA's tables -> its columns."""
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.executescript(SCHEMA)
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")} for table in tables}


def _unknown(conn: sqlite3.Connection) -> str:
    """What the database holds that the mock does not make (or its tables without their columns), in words; ""
    if nothing. A table of the mock's may lack the columns added since (ADDED_COLUMNS): an earlier version made it."""
    expected = schema_columns()
    found = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    foreign = [table for table in found if table not in expected and not table.startswith("sqlite_")]
    if foreign:
        return f"table(s) {', '.join(foreign)} the mock does not make"
    columns = {table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")} for table in found
               if table in expected}
    unlike = [table for table, have in columns.items()
              if not expected[table] - {column for (where, column) in ADDED_COLUMNS if where == table} <= have]
    if unlike:
        return f"table(s) {', '.join(unlike)} without the mock's columns"
    extra = [f"{table}.{column}" for table, have in columns.items() for column in sorted(have - expected[table])]
    return f"column(s) {', '.join(extra)} the mock does not make" if extra else ""


def check_is_ours(path: str, timeout: float, thorough: bool = False) -> None:
    """Refuse another program's database (`--db` pointed at its file, which the mock would otherwise change: its
    tables, WAL mode, a lock file beside it, then fail on for good), one a newer version of the mock wrote (whose
    layout this version cannot know), and one of the mock's changed since: each holds what the mock does not make,
    a column it does not fill (every create refused) or a table it would answer as another program's. Read only,
    before anything is changed; `thorough`, a damaged one too (quick_check)."""
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        return  # a new database (a folder, or what cannot be read, is refused when it is opened)
    uri = f"file:{urllib.parse.quote(os.fsencode(os.path.abspath(path)))}?mode=ro"  # bytes: a name not UTF-8 too
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=timeout)) as conn:
        application_id, layout = _header(conn)
        if application_id not in (0, APPLICATION_ID):
            raise NotAMockDatabase(f"it is another program's database (its application id is {application_id:#x}):"
                                   " give --db a new file, or one the mock made")
        if application_id == APPLICATION_ID and layout > LAYOUT:
            raise NotAMockDatabase(f"it was written by a newer version of the mock (database layout {layout}; this"
                                   f" version knows layouts 1 to {LAYOUT}): serve it with that version or a later"
                                   " one, or give --db a new file")
        unknown = _unknown(conn)
        if thorough and not unknown:  # the whole file read for damage, before an upgrade writes to it
            quick_check(conn)
    if unknown and application_id == APPLICATION_ID:
        raise NotAMockDatabase(f"it holds {unknown}, though the mock made it (changed since by hand or by another"
                               " program): give --db a new file, or undo the change")
    if unknown:
        raise NotAMockDatabase(f"it is another program's database (it holds {unknown}): give --db a new file, or"
                               " one the mock made")
