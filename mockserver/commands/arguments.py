"""What the commands' parsers share: value types for their options, and the layout of their --help."""

from __future__ import annotations

import argparse
import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockserver.errors import ToolError
from mockserver.paths import lookup_problem
from mockserver.regular_files import SLASHED, SLASHES
from mockserver.shown_text import clip


def given(value: str) -> str:
    """A value that is not empty. `--db "$DB"` with DB unset was read as no option at all, or as the current folder:
    `serve --db ''` kept a private throwaway database per connection, `--certfile ''` served plain HTTP, and
    `--tenant ''` the default tenant, each without a word."""
    if not value:
        raise argparse.ArgumentTypeError("empty value (a variable in the command line that is not set?)")
    return value


# As config SEED is read: int() and float() also take 1_0, +5 and \u0661, float() 1e3, inf and nan, so that a typo
# (`--port 80_80`) was served as another number without a word. A minus sign is read, for the range check to name.
WHOLE_NUMBER = re.compile(r" *(-?[0-9]+) *")
DECIMAL_NUMBER = re.compile(r" *(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)) *")
MAX_NUMBER_CHARS = 40


def _read(pattern: re.Pattern[str], text: str) -> str:
    """The number `pattern` reads in `text`, spaces around it left out; ValueError for anything else."""
    matched = pattern.fullmatch(text) if len(text) <= MAX_NUMBER_CHARS else None
    if matched is None:
        raise ValueError(text)
    return matched[1]


def read_whole(text: str) -> int:
    """An optional minus sign and the digits 0-9, spaces around them ignored; ValueError for anything else."""
    return int(_read(WHOLE_NUMBER, text))


def read_decimal(text: str) -> float:
    """As read_whole, with a decimal point and a fraction allowed: 2.5, .5 or 2."""
    return float(_read(DECIMAL_NUMBER, text))


def _option_type(read: Callable[[str], Any], wanted: str) -> Callable[[str], Any]:
    """An argparse type: `read`'s number, else refused naming what it must be."""
    def option(value: str) -> Any:
        try:
            return read(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {wanted} (got {value[:MAX_NUMBER_CHARS]!r})") from None
    return option


# A whole number option: read_whole's; a number option that may have a fraction: read_decimal's
whole_number = _option_type(read_whole, "a whole number, an optional minus sign and the digits 0-9")
decimal_number = _option_type(read_decimal, "a number, an optional minus sign, the digits 0-9 and a decimal point")


def given_path(value: str) -> Path:
    """A file or folder name that is not empty (Path('') is the current folder), and that the system can look up: a
    name too long (a file's text pasted in its place) is refused here, not reported as missing or out of date."""
    path = Path(given(value))
    problem = lookup_problem(path)
    if problem:
        raise argparse.ArgumentTypeError(f"cannot be looked up ({len(value):,} characters): {problem}")
    return path


def given_file_path(value: str) -> Path:
    """given_path's, for a file to write: one ending in a slash, as a folder's path does, is refused (a Path drops
    the slash: `openapi -o out.json/` wrote out.json, where a shell's `echo > out.json/` is refused)."""
    if value.endswith(SLASHES):
        raise argparse.ArgumentTypeError(SLASHED)
    return given_path(value)


def described(description: str, *examples: str) -> dict:
    """add_parser's keywords for a command's --help: what it does, wrapped, then examples kept line by line."""
    return {
        "description": textwrap.fill(description, width=79, break_on_hyphens=False),
        "epilog": "examples:\n" + "\n".join(f"  {example}" for example in examples) if examples else None,
        "formatter_class": argparse.RawDescriptionHelpFormatter,
    }


def typed_text(option: str, value: str) -> str:
    """An option's text as typed. Python reads a command line in the locale's encoding, each byte it cannot decode
    kept as a lone surrogate, which no request can carry: in an ASCII locale (LANG=C) the UTF-8 a terminal sends
    for `/café*` came out as a traceback. Its bytes are read again as UTF-8; others are refused in one line."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    raw = os.fsencode(value)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        shown = clip(raw.decode("utf-8", "surrogateescape"), 60,  # cut where a character ends, not in an escape
                     lambda text: text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
        raise ToolError(f"{option} must be UTF-8 text (got '{shown}': a byte that is not UTF-8, as a Latin-1 terminal"
                        " sends it)") from None
