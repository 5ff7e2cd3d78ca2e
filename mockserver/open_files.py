"""How many connections a gthread worker can hold at once within its limit on open files (`ulimit -n`), and
whether a worker has any file left.

gunicorn's gthread worker takes up to `worker_connections` (1,000) at once, a file each. Past the limit, its accept
failed with "Too many open files" and the worker died with a traceback, and the one started in its place as soon as
the connections came again; a connection taken with the last file had its request refused by gunicorn with another
traceback, as the thread waiting for its first bytes could not open a selector. Held to what the limit leaves room
for, the connections beyond wait in the listening socket's queue until a worker takes them.
"""

from __future__ import annotations

import errno
import os

try:
    import resource
except ImportError:  # Windows: no such limit to read
    resource = None

# A request's thread opens a file or two of its own: its SQLite connection (the database, its -wal) and gunicorn's
# selector while it waits for a new connection's first bytes.
FILES_PER_THREAD = 3
# The store's background threads' connections (journal, checkpoints: two files each), a log file reopened, a
# certificate read again for a TLS handshake.
SPARE_FILES = 8
# A worker's own files: its standard streams, the listening socket, gunicorn's pipes and heartbeat file, the store's
# connections and lock file: 19 measured on a sync worker that had served creates and journal listings. Below this
# and a thread's, the worker could not take a connection once its store's threads had opened theirs.
WORKER_FILES = 24
FOLDERS_OF_OPEN_FILES = ("/proc/self/fd", "/dev/fd")


def limit() -> int | None:
    """This process's (soft) limit on open files; None where there is none or it cannot be read."""
    if resource is None:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else soft


def open_now() -> int | None:
    """How many files this process has open; None where that cannot be told."""
    for folder in FOLDERS_OF_OPEN_FILES:
        try:
            return len(os.listdir(folder)) - 1  # listing the folder opens one
        except OSError:
            continue
    return None


def connection_room(wanted: int, threads: int) -> tuple[int, int | None]:
    """(how many connections a worker with `threads` threads, and the files it has open now, can hold at once, at
    most `wanted` and at least 1; its limit on open files, or None where it cannot be read)."""
    most, held = limit(), open_now()
    if most is None or held is None:
        return wanted, most
    return max(1, min(wanted, most - held - threads * FILES_PER_THREAD - SPARE_FILES)), most


def short_of_files(threads: int) -> str | None:
    """Why a worker of `threads` threads cannot run under this process's limit on open files, or None if it can."""
    most, needed = limit(), WORKER_FILES + FILES_PER_THREAD * threads
    if most is None or most >= needed:
        return None
    fewer = "" if threads == 1 else ", or give fewer --threads"
    return (f"the limit on open files (ulimit -n) is {most}, and a worker of {threads} thread{'s' * (threads > 1)}"
            f" needs {needed} at least: raise it{fewer}")


def none_left() -> str | None:
    """Whether this process can open no more files (its limit on open files, or the whole system's, reached), in
    words for whoever runs the mock; None if it can. A try at opening one, which says it at once: SQLite, at the
    limit, says only "unable to open database file"."""
    try:
        os.close(os.open(os.devnull, os.O_RDONLY))
    except OSError as exc:
        if exc.errno == errno.EMFILE:
            return (f"the worker has as many files open as its limit allows (ulimit -n {limit()}): whoever runs the"
                    " mock can raise it, and it answers again once files are free")
        if exc.errno == errno.ENFILE:
            return "the system has as many files open as it allows: whoever runs the mock can look"
    return None
