"""JSON as RFC 8259 has it, for the files and bodies the mock reads: Python's json keeps the last of two equal keys
and reads NaN and Infinity, so half an edit, or a body that says two things, would go unseen."""

from __future__ import annotations

import json
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


class _Repeated:
    def __init__(self, key: str) -> None:
        self.key = key


def _mark_repeated(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Repeated:
    """The object, or a mark naming its first repeated key."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            return _Repeated(key)
        found[key] = value
    return found


def repeated_key_path(text: str, **loads: Any) -> list[str | int] | None:
    """Where a key is repeated in `text`, which no_repeated_keys refused: the keys and indexes to it, the key last;
    None if it cannot be told (the text goes wrong in another way after it). The object_pairs_hook has no path, so
    the text is read again, each such object read as a mark, and the marks looked for in document order."""
    try:
        document = json.loads(text, **{**loads, "object_pairs_hook": _mark_repeated})
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:  # a loop, not recursion: the document may be nested nearly to the parser's limit
        path, item = stack.pop()
        if isinstance(item, _Repeated):
            return [*path, item.key]
        children = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        stack.extend(reversed([((*path, key), value) for key, value in children]))
    return None
