"""JSON as RFC 8259 has it, for the files and bodies the mock reads: Python's json keeps the last of two equal keys
and reads NaN and Infinity, so half an edit, or a body that says two things, would go unseen."""

from __future__ import annotations

from typing import Any


def no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object_pairs_hook: an object whose keys are each given once."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"duplicate key {key!r}")
        found[key] = value
    return found


def no_constant(name: str) -> Any:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON."""
    raise ValueError(f"{name} is not allowed in JSON")
