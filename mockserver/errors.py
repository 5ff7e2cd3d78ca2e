"""The tool's own failures: bad input files, options or environment.

These are distinct from contract failures (a service answering wrongly), which are assertion errors
raised by the contract suite. A ToolError is shown as one line and exits with status 2, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from mockserver.regular_files import not_regular

MAX_WHERE = 300  # characters of a file name (and line) an error quotes whole


class ToolError(Exception):
    """The tool or its input is broken. `where` names the file (and line) at fault, if any."""

    exit_status = 2

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        where = self.where
        if where and len(where) > MAX_WHERE:  # a file's text pasted where its name goes: its start and end tell
            where = f"{where[:MAX_WHERE // 2]}...{where[-MAX_WHERE // 4:]} ({len(where):,} characters)"
        return shown(f"{where}: {self.message}" if where else self.message)


# What a reader cannot see, or sees as a plain space or a line end: control and format characters (a zero-width
# space, a BOM), separators other than the space (a no-break space, U+2028). Python's unicodedata categories.
_INVISIBLE = ("Cc", "Cf", "Zl", "Zp", "Zs")


def shown(text: str) -> str:
    """`text` with each invisible character written as an escape (`\\u200b`), and a note saying so: an error that
    quotes `maxRing<U+200B>Time` as "maxRingTime" names a problem its reader cannot find. One line, always."""
    import unicodedata  # here, not at the top: see mockserver.cli (every command imports this module as it starts)

    escapes = {char: ascii(char)[1:-1] for char in dict.fromkeys(text)
               if char != " " and unicodedata.category(char) in _INVISIBLE}
    if not escapes:
        return text
    marked = "".join(escapes.get(char, char) for char in text)
    if all(unicodedata.category(char) == "Cc" for char in escapes):  # a newline or tab: an escape says it
        return marked
    return f"{marked} (it holds an invisible character, shown as {', '.join(escapes.values())})"


# `serve`'s exit status when a stop killed workers with requests still in hand (see the README); here, not in
# mockserver.server, so that serve's help can name it where gunicorn cannot be imported (Windows)
REQUESTS_CUT = 5


class SpecError(ToolError):
    """A vendor page cannot be parsed."""


class ConfigError(ToolError):
    """A tenant file, option or schema directory is unusable."""


class OptionError(ConfigError):
    """One option's value refused, naming both its spellings: `--clock (config CLOCK) is not an ISO 8601 time: ...`.
    `key` and `said` (what is wrong, after the option's words) let a caller that took the value under another name,
    running_mock's clock=, name that one instead. A key no command-line option sets (SCHEMAS_DIR) has `option` None:
    `config SCHEMAS_DIR must be ...`."""

    def __init__(self, option: str | None, key: str, said: str) -> None:
        super().__init__(f"{option} (config {key}) {said}" if option else f"config {key} {said}")
        self.key = key
        self.said = said


# The largest vendor page or overrides file read (the vendored page is 15 KB): a page of tens of thousands of table
# rows takes the generator minutes, so a file this large is refused as soon as it is found, before it is read.
MAX_TEXT_BYTES = 1_000_000


def read_text(path: Path, what: str, where: str) -> str:
    """A UTF-8 text file's text (without the byte order mark an editor may have put first), or a SpecError naming the
    file (`where`) and why it cannot be read (it is larger than MAX_TEXT_BYTES, too)."""
    if (why := not_regular(path)) is not None:  # a named pipe *.md in the source folder held the run
        raise SpecError(f"cannot read the {what}: {why}", where=where)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise SpecError(f"the {what} is {size:,} bytes, larger than the {MAX_TEXT_BYTES // 1_000_000} MB a {what} "
                            "may be: is it the right file?", where=where)
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SpecError(f"cannot read the {what}: {exc.strerror}", where=where) from None
    except UnicodeDecodeError as exc:
        data, at = exc.object, exc.start
        line_start = data.rfind(b"\n", 0, at) + 1
        line = data.count(b"\n", 0, at) + 1
        column = len(data[line_start:at].decode("utf-8")) + 1  # in characters: what comes before is UTF-8
        message = f"the {what} is not UTF-8 text (byte 0x{data[at]:02x} at column {column}, offset {at})"
        raise SpecError(message, where=f"{where}:{line}") from None


def text_lines(text: str) -> list[str]:
    """A text file's lines as an editor, grep and GitHub number them: split at each newline only (`read_text` has
    made CRLF and CR newlines). Not `str.splitlines()`, which also ends a line at a form feed, a vertical tab,
    U+0085, U+2028 or U+2029 in the middle of one, and so named every line below such a character one too low."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def unknown_names(names: Iterable[str], known: Iterable[str]) -> str:
    """Names a caller gave that are not among `known`, each quoted with the likely meant one:
    "'rate_limit' (did you mean RATE_LIMIT?), 'queue'". Spellings tried: as given, upper case, lower case, and
    camelCase as snake_case (accountId: account_id)."""
    import difflib  # here, not at the top: every command imports this module as it starts (see mockserver.cli)

    known = list(known)
    said = []
    for name in names:
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
        guess = next((found[0] for spelt in (name, name.upper(), name.lower(), snake)
                      if (found := difflib.get_close_matches(spelt, known, 1, 0.6))), None)
        said.append(f"{name!r}" + (f" (did you mean {guess}?)" if guess else ""))
    return ", ".join(said)
