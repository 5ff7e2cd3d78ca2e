"""The path glob of the journal's `path` filter and of a fault rule's `path`, one meaning for both.

`*` matches any run of characters, `/` included, and every other character stands for itself (`?`, `[` and `]` too,
which a path may hold: `/a[1]` matches the path `/a[1]` alone).

A glob is matched by finding its fixed parts in turn, each as early as it can be (str.find): with `*` the only
wildcard, that is exact, and its time grows with the path's length, never with the number of ways the `*`s could
split it. fnmatch's regex and SQLite's GLOB try each place a fixed part after a `*` could start: `*`, 2,000 `a`s and
`b` took 12 ms against the longest path of `a`s, each request, and SQLite a minute to filter a full journal of 4 KB
paths of `a`s by `*`, 98 `a`s and `b` (0.2 s now); telling whether a 100 KB glob covered itself took 3 s.
"""

from __future__ import annotations

import re

from mockserver.wire import REQUEST_LINE_MAX

MEANING = "a glob, `*` matching any run of characters, `/` included, and every other character itself"
STARTS = ("/", "*")  # a glob starting otherwise (campaign/*, a whole URL) could match no request's path
WANTED = "a path glob starting with / or *, e.g. /campaign/*"  # what a refusal of one says is wanted
SQL_NAME = "path_matches"  # matches() in SQL, as the store's connections know it (SQLite's GLOB stops at a U+0000)
SPECIAL = "?["  # the other characters SQLite's GLOB and fnmatch read as wildcards; `]` alone is already literal
# The longest path a request can have: its request line is at most REQUEST_LINE_MAX bytes, on both servers, and holds
# a method of 3 letters at least (`GET`), a space, the target, a space and `HTTP/1.1`; the path it decodes to has a
# character for each byte at most. A glob with more fixed characters (all but its `*`s) matches no request.
LONGEST_PATH = REQUEST_LINE_MAX - len("GET  HTTP/1.1")
STARS = re.compile(r"\*+")


def as_glob(pattern: str) -> str:
    """The pattern in the GLOB syntax SQLite and fnmatch both read, with `*` its only wildcard: each of `?` and `[`
    in a class of its own (`[?]`, `[[]`), which matches that one character. Bound as the journal's `path GLOB ?`."""
    return "".join(f"[{char}]" if char in SPECIAL else char for char in pattern)


def one_pass(pattern: str) -> bool:
    """Whether SQLite's GLOB matches a path to the pattern in one pass: a whole path, or a start of one (`/campaign/*`,
    the most common filter, which it matches twice as fast as matches() called from SQL). After a `*`, it tries
    each place a fixed part could start: `*`, 98 `a`s and `b` took 0.6 ms against a path of 4,000 `a`s."""
    return "*" not in pattern.rstrip("*")


def fixed(pattern: str) -> int:
    """How many characters of a path a glob's fixed characters take: all but its `*`s."""
    return len(pattern) - pattern.count("*")


def too_long(pattern: str) -> str:
    """Why a glob with more fixed characters than LONGEST_PATH is refused."""
    return (f"matches no request: its {fixed(pattern):,} characters besides * are more than the {LONGEST_PATH:,} of"
            f" the longest path a request can carry (a request line is at most {REQUEST_LINE_MAX:,} bytes)")


def matches(path: str, pattern: str) -> bool:
    """Whether a request's path matches a pattern, as the journal's filter matches it (case and all): its first
    part starts the path, its last ends it, and each part between is found after the one before it, where it comes
    first (any later place leaves less room for what follows, never more)."""
    if "*" not in pattern:
        return path == pattern
    # `**` matches what `*` does: the regex makes 64 KiB of `*`s one (str.split, the faster on a glob without `**`,
    # made 64 K empty parts to loop over)
    parts = STARS.split(pattern) if "**" in pattern else pattern.split("*")
    first, last = parts[0], parts[-1]
    if len(path) < len(first) + len(last) or not path.startswith(first) or not path.endswith(last):
        return False
    at, end = len(first), len(path) - len(last)
    for part in parts[1:-1]:
        found = path.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


def covers(pattern: str | None, other: str | None) -> bool:
    """Whether `pattern` matches every request path `other` matches (None: any path), exactly: never True when some
    path `other` matches is left out. A request's path starts with `/`, so `other` is read as the paths it matches
    that do (`*/x` as `/*/x` and `/x` alone: `/*` covers it, `/*/x` does not)."""
    if pattern is None:
        return True
    other = "*" if other is None else STARS.sub("*", other)  # `**` matches what `*` does
    if not other.startswith("*"):
        return _covers_every(pattern, other)
    rest = other[1:]  # the paths where the leading `*` matches nothing: none unless what follows starts with `/`
    return _covers_every(pattern, "/" + other) and (not rest.startswith("/") or _covers_every(pattern, rest))


def _covers_every(pattern: str, other: str) -> bool:
    """Whether `pattern` matches every string `other` matches. `other` with each `*` made a character that neither
    holds is one such string, and `pattern` matches it only with its own `*`s taking each of those characters, which
    they would take whatever run of characters stood there: so it matches them all, or one of them not."""
    held = set(pattern) | set(other)  # looked up once, not each string searched for each character tried
    fresh = next((char for char in map(chr, range(0xE000, 0x110000)) if char not in held), None)
    return fresh is not None and matches(other.replace("*", fresh), pattern)  # None: told nothing, never wrongly
