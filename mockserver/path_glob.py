"""The path glob of the journal's `path` filter and of a fault rule's `path`, one meaning for both.

`*` matches any run of characters, `/` included, and every other character stands for itself (`?`, `[` and `]` too,
which a path may hold: `/a[1]` matches the path `/a[1]` alone).
"""

from __future__ import annotations

import fnmatch

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
