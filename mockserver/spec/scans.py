"""Wording found as a pattern `first[^.]*?then` finds it, in time linear in the text.

Such a pattern looks from each place `first` stands to the end of its run of characters other than a period when no
`then` follows, and again from the next `first`: thousands of "one of" in one sentence took seconds. A Scan finds
each part once in the whole text and steps from one to the next by bisection; a Run does the same for a run of
characters after each of many heads ("1.1.1...", "“a “a ..."), and Either for an alternation holding one of them. An
Anchored pattern is a phrase rule's, tried only at the places a Scan (or another look at the whole text) says a match
may start."""

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


class Run:
    """`head`, a run of `run` characters after it (`least` of them at least), then `tail`: the pattern
    `head[run]*tail` (or `head[run]+tail`, `least` 1), where `head` is one character (with a lookaround, as `\\b\\d`).
    Such a pattern looks from each head to the end of the run after it, and a run of thousands of heads ("1.1.1...",
    "“a “a ...") took seconds; a Run finds the runs and where `tail` matches once, in time linear in the text. `tail`
    may start inside a run only where `inside` finds (the run's characters given back, as "1..5" is matched);
    elsewhere it starts where the run ends."""

    def __init__(self, head: str, run: str, tail: str, inside: str | None = None, least: int = 0) -> None:
        self.head, self.tail, self.run = re.compile(head, re.I), re.compile(tail, re.I), re.compile(f"[{run}]+")
        self.inside = re.compile(f"(?={inside})", re.I) if inside else None
        self.least = least
        self.pattern = f"{head}[{run}]{'*+'[least]}{tail}"  # what it finds, for a reader

    def search(self, text: str, pos: int = 0) -> tuple[int, int] | None:
        """The span of the first match starting at `pos` or after, as re.Pattern.search would find it."""
        found = _run_found(self, text)
        for start in found.heads[bisect_left(found.heads, pos):]:
            end = found.run_end(start + 1)
            if end - start - 1 < self.least:
                continue
            tail = found.tail_at(end) or found.inside_before(end, start + 1 + self.least)
            if tail:
                return start, tail
        return None


class _RunFound:
    """Where a Run's heads and runs are in one text, and where its tail matches (found once for each place)."""

    def __init__(self, run: Run, text: str) -> None:
        self.run, self.text = run, text
        self.heads = [match.start() for match in run.head.finditer(text)]
        spans = [match.span() for match in run.run.finditer(text)]
        self.starts, self.ends = [start for start, _ in spans], [end for _, end in spans]
        self._tails: dict[int, int | None] = {}
        inside = [match.start() for match in run.inside.finditer(text)] if run.inside else []
        self.inside = [(place, end) for place in inside if (end := self.tail_at(place))]

    def run_end(self, at: int) -> int:
        """Where the run of characters from `at` on ends (`at` if none is there)."""
        index = bisect_left(self.starts, at + 1) - 1
        return self.ends[index] if index >= 0 and self.ends[index] > at else at

    def tail_at(self, place: int) -> int | None:
        """Where the tail matched from `place` ends, or None."""
        if place not in self._tails:
            match = self.run.tail.match(self.text, place)
            self._tails[place] = match.end() if match else None
        return self._tails[place]

    def inside_before(self, end: int, least: int) -> int | None:
        """Where the tail ends matched from the last place inside a run before `end`, `least` or after, or None."""
        index = bisect_left(self.inside, (end, -1)) - 1
        return self.inside[index][1] if index >= 0 and self.inside[index][0] >= least else None


_run_found = lru_cache(maxsize=64)(_RunFound)


class Either:
    """The first of `parts` (patterns, Scans or Runs) that matches at the leftmost place one does: the pattern
    `part|part|...`, where one of them is a Scan or a Run. Each part is looked for once from a place on, not again
    for each match of the others."""

    def __init__(self, *parts: re.Pattern[str] | Scan | Run) -> None:
        self.parts = parts
        self.pattern = "|".join(part.pattern for part in parts)  # what it finds, for a reader
        self._last: dict[int, tuple[str, int, tuple[int, int] | None]] = {}

    def search(self, text: str, pos: int = 0) -> tuple[int, int] | None:
        """The span of the first match starting at `pos` or after, as re.Pattern.search would find it."""
        found = [self._search(index, text, pos) for index in range(len(self.parts))]
        return min(filter(None, found), key=lambda span: span[0], default=None)

    def _search(self, index: int, text: str, pos: int) -> tuple[int, int] | None:
        last = self._last.get(index)
        if last and last[0] is text and last[1] <= pos and (last[2] is None or last[2][0] >= pos):
            return last[2]  # the part's first match from an earlier place is its first from this one too
        part = self.parts[index]
        if isinstance(part, re.Pattern):
            match = part.search(text, pos)
            found = match.span() if match else None
        else:
            found = part.search(text, pos)
        self._last[index] = (text, pos, found)
        return found
