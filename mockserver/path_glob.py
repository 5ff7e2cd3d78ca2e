"""The path glob of the journal's `path` filter and of a fault rule's `path`, one meaning for both.

`*` matches any run of characters, `/` included, and every other character stands for itself (`?`, `[` and `]` too,
which a path may hold: `/a[1]` matches the path `/a[1]` alone).
"""

from __future__ import annotations

import fnmatch
import re

MEANING = "a glob, `*` matching any run of characters, `/` included, and every other character itself"
STARTS = ("/", "*")  # a glob starting otherwise (campaign/*, a whole URL) could match no request's path
WANTED = "a path glob starting with / or *, e.g. /campaign/*"  # what a refusal of one says is wanted
SQL_NAME = "path_matches"  # matches() in SQL, as the store's connections know it (SQLite's GLOB stops at a U+0000)
SPECIAL = "?["  # the other characters SQLite's GLOB and fnmatch read as wildcards; `]` alone is already literal


def as_glob(pattern: str) -> str:
    """The pattern in the GLOB syntax SQLite and fnmatch both read, with `*` its only wildcard: each of `?` and `[`
    in a class of its own (`[?]`, `[[]`), which matches that one character. Bound as the journal's `path GLOB ?`."""
    return "".join(f"[{char}]" if char in SPECIAL else char for char in pattern)


def matches(path: str, pattern: str) -> bool:
    """Whether a request's path matches a pattern, as the journal's filter matches it (case and all)."""
    return fnmatch.fnmatchcase(path, as_glob(pattern))


def covers(pattern: str | None, other: str | None) -> bool:
    """Whether `pattern` matches every request path `other` matches (None: any path), exactly: never True when some
    path `other` matches is left out. A request's path starts with `/`, so `other` is read as the paths it matches
    that do (`*/x` as `/*/x` and `/x` alone: `/*` covers it, `/*/x` does not)."""
    if pattern is None:
        return True
    other = "*" if other is None else re.sub(r"\*+", "*", other)  # `**` matches what `*` does
    if not other.startswith("*"):
        return _covers_every(pattern, other)
    rest = other[1:]  # the paths where the leading `*` matches nothing: none unless what follows starts with `/`
    return _covers_every(pattern, "/" + other) and (not rest.startswith("/") or _covers_every(pattern, rest))


def _covers_every(pattern: str, other: str) -> bool:
    """Whether `pattern` matches every string `other` matches. `other` with each `*` made a character that neither
    holds is one such string, and `pattern` matches it only with its own `*`s taking each of those characters, which
    they would take whatever run of characters stood there: so it matches them all, or one of them not."""
    fresh = next((char for char in map(chr, range(0xE000, 0x110000)) if char not in pattern and char not in other),
                 None)
    return fresh is not None and matches(other.replace("*", fresh), pattern)  # None: told nothing, never wrongly
