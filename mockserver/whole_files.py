"""Files written whole or not at all: a write that fails (a full disk, Ctrl-C) leaves the file as it was.

Written in place, a full disk left a generated document or a contract report cut off mid-string, and the file it
replaced gone with it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from mockserver.paths import file_in_the_way


def _mode_for(path: Path) -> int:
    """The permissions a written file gets: those of the file it replaces, or what the umask leaves of 0666, as
    for any new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask. Linux shows it in /proc; elsewhere it is read by setting it, which for an instant gives
    any file another thread creates (the in-process mock's database, its WAL) no umask at all."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0)
    os.umask(umask)
    return umask


def written_beside(path: Path, data: bytes) -> Path:
    """`data` in a new temporary file in `path`'s folder (so os.replace can move it onto `path`), flushed to disk."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(name, _mode_for(path))  # mkstemp makes it 0600, which os.replace would have kept
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def in_place(path: str | Path) -> bool:
    """Whether `path` is written in place rather than replaced: what is not a regular file (/dev/null, a pipe), a
    name under /dev or /proc (/dev/stdout, /dev/fd/3: its target resolves to /proc/PID/fd/pipe:[N], or to the file
    the shell redirected to), and the process's own standard output or error. Replaced, the redirected file would
    have become a new one, and every line printed after it gone to the old, unlinked one."""
    if str(path).startswith(("/dev/", "/proc/")):
        return True
    try:
        found = os.stat(path)  # through links
    except OSError:
        return False
    if stat.S_ISDIR(found.st_mode):
        return False  # no stream: the caller says what a folder is
    return not stat.S_ISREG(found.st_mode) or _standard_stream(path) is not None


def _standard_stream(path: str | Path) -> int | None:
    """1 or 2 where `path` is the file this process's standard output or error is (/dev/stdout, or its target)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    for stream in (1, 2):
        with contextlib.suppress(OSError):
            held = os.fstat(stream)
            if (held.st_dev, held.st_ino) == (found.st_dev, found.st_ino):
                return stream
    return None


def write_whole(path: Path, data: bytes) -> None:
    """`data` as the content of `path`, whole or not at all: written beside it, then moved onto it (os.replace).
    A symbolic link is written through (its target gets the data, and the link stays a link); what `in_place` names
    is written where it is, as a stream (a folder raises IsADirectoryError, as a write to it would)."""
    stream = _standard_stream(path)
    if stream is not None:  # through the process's own descriptor, after what it printed before: another opening of
        # the file the shell redirected to would start at its beginning, and write over that
        sys.stdout.flush()
        sys.stderr.flush()
        while data:
            data = data[os.write(stream, data):]
        return
    if in_place(path) or os.path.isdir(path):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    target = Path(os.path.realpath(path))
    temporary = written_beside(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_problem(path: str | Path, exc: OSError) -> str:
    """Why write_whole could not write `path`, in words. The system's "No such file or directory" and "Not a
    directory" are of its folder, though they read as of the file, which need not be there: named so."""
    # absolute, as the store's refusals name a folder: the line already begins with the path as given
    folder = Path(os.path.abspath(os.path.realpath(path) if os.path.islink(path) else path)).parent
    if exc.errno == errno.ENOTDIR and (blocker := file_in_the_way(folder)) is not None:
        return f"{blocker} is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return "it is a folder: name a file, in it or elsewhere"
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return f"its folder {folder} does not exist"
    return exc.strerror or str(exc)
