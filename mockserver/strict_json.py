"""JSON as RFC 8259 has it, for the files and bodies the mock reads: Python's json keeps the last of two equal keys
and reads NaN and Infinity, so half an edit, or a body that says two things, would go unseen.

And walks over a parsed document, none recursive (it may be nested nearly to the parser's limit): its depth, its
first lone surrogate and where it is, a path written as messages write it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


class RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object_pairs_hook: an object whose keys are each given once."""
    found = _mark_repeated(pairs)
    if isinstance(found, _Repeated):
        raise RepeatedKey(found.key)
    return found


def no_constant(name: str) -> Any:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON."""
    raise ValueError(f"{name} is not allowed in JSON")


class Mark:
    """What a json.loads hook returns in place of raising, when the text is read again to find where it went wrong;
    `problem` says what, in words; `key` is a repeated key's."""

    key: str | None = None

    def __init__(self, problem: str) -> None:
        self.problem = problem


class _Repeated(Mark):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _mark_repeated(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Repeated:
    """The object, or a mark naming its first repeated key."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            return _Repeated(key)
        found[key] = value
    return found


def first_mark(text: str, **loads: Any) -> tuple[list[str | int], Mark] | None:
    """Where `text`, which json.loads refused, first goes wrong: the keys and indexes to the first Mark in document
    order (a repeated key's object ends in that key), and the mark; None if it cannot be told (the text goes wrong
    in a way no hook marks). `loads` are json.loads's hooks, each returning a Mark rather than raising. The
    object_pairs_hook has no path, so the text is read again, each such object read as a mark."""
    try:
        document = json.loads(text, **{**loads, "object_pairs_hook": _mark_repeated})
    except (ValueError, RecursionError):
        return None
    for path, item in walked(document):
        if isinstance(item, Mark):
            return ([*path, item.key] if item.key is not None else list(path)), item
    return None


def walked(document: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every value of a parsed document, the document first, with the keys and indexes to it, in document order (an
    object before the values of its keys)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:  # a loop, not recursion: the document may be nested nearly to the parser's limit
        path, item = stack.pop()
        yield path, item
        children = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        stack.extend(reversed([((*path, key), value) for key, value in children]))


def depth(document: Any) -> int:
    """How deep the document is nested: 0 for a scalar, 1 for a flat object or array (walked, not recursed)."""
    return max(len(path) for path, _ in walked(document))


def dotted(path: Iterable[str | int]) -> str:
    """A path of keys and indexes as messages write it: `dialingStrategy.callingHours.days[0].start`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def lone_surrogate(document: Any) -> str | None:
    """The first string (key or value) holding a \\uD800-\\uDFFF escape that is not half of a pair: JSON's
    grammar allows it, but it is no Unicode character, and UTF-8 (the store, most clients) cannot carry it."""
    stack = [document]
    while stack:  # a loop, not recursion: the document may be nested nearly to the parser's limit
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(item.keys())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not item.isascii() and not _utf8(item):
            return item
    return None


def lone_surrogate_path(document: Any) -> list[str | int]:
    """Where the first string lone_surrogate finds is, in document order (a key's path ends in the key); looked for
    only once one is found, so that a body of escaped non-ASCII text does not pay for the paths."""
    for path, item in walked(document):
        if isinstance(item, dict):
            for key in item:
                if not key.isascii() and not _utf8(key):
                    return [*path, key]
        elif isinstance(item, str) and not item.isascii() and not _utf8(item):
            return list(path)
    return []


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
