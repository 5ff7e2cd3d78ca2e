"""Key paths in the contract suite's notation ("data.dialingStrategy.maxRingTime", list items as "[]"): the outermost
of a set of paths, so that an object one side lacks is one entry rather than one per key inside it.

A contract run records a response's shape in them, and `mockserver parity` compares two.
"""

from __future__ import annotations


def _under(path: str, parent: str) -> bool:
    return path.startswith((f"{parent}.", f"{parent}[]"))


def outermost(paths: set[str]) -> list[tuple[str, int]]:
    """The paths no other of them lies under, sorted, each with how many lie under it."""
    tops = sorted(path for path in paths if not any(_under(path, other) for other in paths))
    return [(top, sum(_under(path, top) for path in paths)) for top in tops]


def and_under(count: int) -> str:
    """The words after an outermost path for the count under it ("and 3 keys under it"); empty for none."""
    return f"and {count} key{'s' if count > 1 else ''} under it" if count else ""
