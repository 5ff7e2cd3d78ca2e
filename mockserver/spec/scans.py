"""Wording found as a pattern `first[^.]*?then` finds it, in time linear in the text.

Such a pattern looks from each place `first` stands to the end of its run of characters other than a period when no
`then` follows, and again from the next `first`: thousands of "one of" in one sentence took seconds. A Scan finds
each part once in the whole text and steps from one to the next by bisection. An Anchored pattern is a phrase rule's,
tried only at the places a Scan (or another look at the whole text) says a match may start."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
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


class Anchored:
    """`pattern`, tried only at the places `starts` gives (in order, from a place on): re.Pattern's search and
    finditer, with their matches, where trying the pattern at each place of the text looked from each to the end of a
    long run (thousands of "at least one" in one sentence, or of "x (Y)", took seconds). `starts` must give every
    place a match search would find may start."""

    def __init__(self, pattern: re.Pattern[str], starts: Callable[[str, int], Iterator[int]]) -> None:
        self.compiled = pattern
        self.pattern = pattern.pattern  # what it finds, for a reader
        self.starts = starts

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return next(filter(None, (self.compiled.match(text, start) for start in self.starts(text, pos))), None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        at = 0
        while match := self.search(text, at):
            yield match
            at = max(match.end(), match.start() + 1)


def scanned(scan: Scan) -> Callable[[str, int], Iterator[int]]:
    """The places a match of `scan` starts, for an Anchored pattern that `scan` finds as it does."""

    def starts(text: str, pos: int) -> Iterator[int]:
        while found := scan.search(text, pos):
            yield found[0]
            pos = found[0] + 1

    return starts
