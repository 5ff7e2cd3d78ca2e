"""Wording found as a pattern `first[^.]*?then` finds it, in time linear in the text.

Such a pattern looks from each place `first` stands to the end of its run of characters other than a period when no
`then` follows, and again from the next `first`: thousands of "one of" in one sentence took seconds. A Scan finds
each part once in the whole text and steps from one to the next by bisection."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache


class Scan:
    """`parts[0]`, then the first `parts[1]` after it with no period between, and so on: the pattern
    `parts[0](?>[^.]*?parts[1])...[^.]*?parts[-1]`. Each part is a word or a character that cannot overlap itself."""

    def __init__(self, *parts: str) -> None:
        self.parts = tuple(re.compile(part, re.I) for part in parts)
        self.pattern = r"[^.]*?".join(f"(?:{part})" for part in parts)  # what it finds, for a reader

    def search(self, text: str, pos: int = 0) -> tuple[int, int] | None:
        """The span of the first match starting at `pos` or after, as re.Pattern.search would find it."""
        found = _found(self, text)
        first = found[0]
        for index in range(bisect_left(first, (pos, -1)), len(first)):
            start, end = first[index]
            for spans in found[1:]:
                nearest = bisect_left(spans, (end, -1))
                if nearest == len(spans) or _period_between(text, end, spans[nearest][0]):
                    end = -1
                    break
                end = spans[nearest][1]
            if end >= 0:
                return start, end
        return None


@lru_cache(maxsize=64)
def _found(scan: Scan, text: str) -> tuple[list[tuple[int, int]], ...]:
    return tuple([match.span() for match in part.finditer(text)] for part in scan.parts)


def _period_between(text: str, start: int, end: int) -> bool:
    periods = _periods(text)
    index = bisect_left(periods, start)
    return index < len(periods) and periods[index] < end


@lru_cache(maxsize=4)
def _periods(text: str) -> list[int]:
    return [match.start() for match in re.finditer(r"\.", text)]
