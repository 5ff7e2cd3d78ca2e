"""Files written whole or not at all: a write that fails (a full disk, Ctrl-C) leaves the file as it was.

Written in place, a full disk left a generated document or a contract report cut off mid-string, and the file it
replaced gone with it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _mode_for(path: Path) -> int:
    """The permissions a written file gets: those of the file it replaces, or what the umask leaves of 0666, as
    for any new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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


def write_whole(path: Path, data: bytes) -> None:
    """`data` as the content of `path`, whole or not at all: written beside it, then moved onto it (os.replace).
    A symbolic link is written through (its target gets the data, and the link stays a link); what is not a regular
    file (/dev/stdout, /dev/null, a FIFO) is written in place, since replacing it would put a file where it was."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        with target.open("wb") as handle:  # a folder raises IsADirectoryError here, as a write to it would
            handle.write(data)
        return
    temporary = written_beside(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
