"""Files an option names for the tool to read (a tenant file, a token file, a certificate, a report): only a regular
file (or a link to one) is opened.

Opening a named pipe waits for something to write to it: `serve --tenant FIFO` held its start for ever, with no
word. A device given as a file may wait as long (/dev/tty, or /dev/stdin at a terminal, waits for typing), and a
socket cannot be opened at all ("No such device or address"). A pipe without a name is read: the shell made it with
its writer already running, for `--admin-token-file <(pass show mock)` (a secret kept out of `ps` and of files) or
`cat t.json | mockserver tenant /dev/stdin`. A file redirected to standard input is a regular file, and read. A
folder is left to its opening, which says so ("Is a directory").
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

ANONYMOUS_PIPE = re.compile(r"pipe:\[\d+\]")  # what Linux's /proc/<pid>/fd/N links to for a pipe without a name

# (is it?, what it is, what reading it would do): the kinds of file, other than a regular one or a folder
KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)", " (reading one waits until something writes to it)"),
    (stat.S_ISCHR, "a device", ""),
    (stat.S_ISBLK, "a device", ""),
    (stat.S_ISSOCK, "a socket", ""),
)


SLASHES = tuple(sorted({"/", os.sep, os.altsep or "/"}))  # what ends a folder's path: "/" (and "\\" on Windows)
# Why a file's path is refused, read or written, --db or -o, when it ends in a slash (`--tenant good.json/`)
SLASHED = "it ends in a slash, as a folder's path does, but names a file: give the file's path without it"


def slash_after_a_file(path: str | Path) -> str | None:
    """Why `path` is not read, if it ends in a slash after a file's name (`--tenant good.json/`); None otherwise.
    Opened as given, the system said only "Not a directory"; made a Path first, the slash was dropped and the file
    read, where a shell's `cat good.json/` refuses it."""
    text = os.fspath(path)
    if text.endswith(SLASHES) and not os.path.isdir(text) and os.path.exists(text.rstrip("".join(SLASHES))):
        return SLASHED
    return None


def not_regular(path: str | Path) -> str | None:
    """Why `path` is not read, if it names a file that is neither a regular file nor a folder (links followed):
    "it is a named pipe (FIFO), not a regular file (...)", or if a slash follows a file's name; None otherwise, and
    for a path that cannot be looked at, whose opening then says why ("No such file or directory")."""
    if (slashed := slash_after_a_file(path)) is not None:
        return slashed
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    real = os.path.realpath(path)
    if stat.S_ISFIFO(mode) and ANONYMOUS_PIPE.fullmatch(os.path.basename(real)) and not os.path.lexists(real):
        return None  # `<(...)`, or /dev/stdin piped: its writer runs already (a named pipe named "pipe:[1]" exists)
    kind, why = next(((kind, why) for test, kind, why in KINDS if test(mode)), ("another kind of file", ""))
    return f"it is {kind}, not a regular file{why}"
