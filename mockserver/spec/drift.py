"""What differs between a generated JSON file on disk and what the page generates now, in words a maintainer can act
on: the first difference that changes the contract, with the page line it comes from, then the paths of a few more.

Differences are ranked: a keyword that validates first, then annotations (descriptions, examples), then `x-source`
lines, which move whenever rows are added or removed above them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mockserver.shown_text import clipped

_MISSING = object()
_ANNOTATIONS = {"description", "title", "examples"}
_NAMED = 3  # differences named by path, the first of them described


def describe(on_disk: bytes, generated: str) -> str:
    """One clause: what differs, e.g. "properties.name.maxLength is 48 here, 64 from page.md:106"."""
    try:
        old = json.loads(on_disk.decode("utf-8"))
    except ValueError:
        return "not valid JSON"
    new = json.loads(generated)
    found = sorted(_differences(old, new, ()), key=lambda found: _rank(found[0]))
    if not found:
        return "the same JSON, written otherwise (line ends, indentation or key order)"
    if all(_rank(path) == 2 for path, _, _ in found):
        return f"only the page lines (x-source) moved: {len(found)} of them, as when rows are added or removed above"
    path, was, now = found[0]
    said = _said(path, was, now, _source(new, path))
    others = [_shown(path) for path, _, _ in found[1:_NAMED] if _rank(path) < 2]
    more = len(found) - 1 - len(others)
    if others:
        said += f"; {', '.join(others)} {'differs' if len(others) == 1 else 'differ'} too"
    if more:
        said += f" (and {more} more)"
    return said


def _differences(old: Any, new: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*new, *(key for key in old if key not in new)]:
            yield from _differences(old.get(key, _MISSING), new.get(key, _MISSING), (*path, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (was, now) in enumerate(zip(old, new, strict=True)):
            yield from _differences(was, now, (*path, index))
    elif old != new or type(old) is not type(new):
        yield path, old, new


def _rank(path: tuple) -> int:
    """0: a keyword a validator reads, 1: an annotation, 2: an x-source line (a field named "description" is a
    field: only a keyword outside `properties` is one)."""
    keywords = [key for index, key in enumerate(path) if index == 0 or path[index - 1] != "properties"]
    if "x-source" in keywords:
        return 2
    return 1 if any(key in _ANNOTATIONS for key in keywords) else 0


def _said(path: tuple, was: Any, now: Any, source: str | None) -> str:
    where = f"from {source}" if source else "from the page"
    if was is _MISSING:
        return f"{_shown(path)} is new, {where}" if isinstance(now, dict | list) else \
            f"{_shown(path)} is missing here, {_value(now)} {where}"
    if now is _MISSING:
        return f"{_shown(path)} is here, the page no longer generates it"
    if _scalars(was) and _scalars(now):  # an enum or a required list: what it gains and loses
        gains = [_value(item) for item in now if item not in was]
        loses = [_value(item) for item in was if item not in now]
        change = " and ".join(f"{verb} {', '.join(items)}" for verb, items in (("gains", gains), ("loses", loses))
                              if items) or "is in another order"
        return f"{_shown(path)} {change} {where}"
    return f"{_shown(path)} is {_value(was)} here, {_value(now)} {where}"


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and not any(isinstance(item, dict | list) for item in value)


def _source(document: Any, path: tuple) -> str | None:
    """The x-source line of what the page generates at `path`: its parent's entry for the key, or its own."""
    nodes = [document]  # the document, then what it holds along `path`, as far as it goes
    for key in path:
        held = nodes[-1]
        if isinstance(held, dict) and key in held or isinstance(held, list) and isinstance(key, int) \
                and key < len(held):
            nodes.append(held[key])
        else:
            return None  # the page no longer generates it
    notes = nodes[-2].get("x-source", {}) if path and isinstance(nodes[-2], dict) else {}
    if path and isinstance(notes, dict) and isinstance(notes.get(path[-1]), str):
        return notes[path[-1]]
    own = nodes[-1].get("x-source") if isinstance(nodes[-1], dict) else None
    return next((line for line in own.values() if isinstance(line, str)), None) if isinstance(own, dict) else None


def _shown(path: tuple) -> str:
    text = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")
    return text or "the whole document"


def _value(value: Any) -> str:
    return clipped(value, 60, lambda item: json.dumps(item, ensure_ascii=False))
