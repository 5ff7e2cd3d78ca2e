"""The words around a description's examples, and the places its sentences end, found once per description.

What the rule "example" asks of each example (is this word said in its sentence? is it in an example's sentence?)
was found by reading the whole description again for each one, and a description of 2,000 examples took seconds."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+")
# Where a sentence ends, before an example ("e.g." ends none) and after one
_BREAK_BEFORE = re.compile(r"(?<!\be\.g)[.!?]\s+", re.I)
_BREAK_AFTER = re.compile(r"[.!?](?:\s|$)")


class Words:
    """The words of one text, each lowercased with where it stands."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._at: dict[str, list[int]] = {}
        for match in _WORD.finditer(text):
            self._at.setdefault(match[0].lower(), []).append(match.start())
        self._before = [(match.start(), match.end()) for match in _BREAK_BEFORE.finditer(text)]
        self._after = [match.start() for match in _BREAK_AFTER.finditer(text)]

    def said(self, word: str, start: int, end: int) -> bool:
        """Whether `word` stands whole in text[start:end]."""
        at = self._at.get(word, [])
        index = bisect_left(at, start)
        return index < len(at) and at[index] + len(word) <= end

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence around text[start:end] starts and ends (its break before start, after end)."""
        index = bisect_right(self._before, (start - 2, len(self.text)))  # a period and a space before start
        head = min(self._before[index - 1][1], start) if index else 0
        after = bisect_left(self._after, end)
        return head, self._after[after] if after < len(self._after) else len(self.text)


words_of = lru_cache(maxsize=4)(Words)


def around(text: str, start: int, end: int, elsewhere: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a word is said in the sentence of the example text[start:end], outside it; where the example is a
    sentence of its own, `elsewhere` (the description's words outside every example)."""
    words = words_of(text)
    head, tail = words.sentence(start, end)
    tail = end if text[start:end].endswith(".") else tail  # the example ends its sentence
    if not text[head:start].strip(" ("):
        return elsewhere
    return lambda word: words.said(word, head, start) or words.said(word, end, tail)


_EXAMPLE_WORD = re.compile(r"\bexamples?\b|\be\.\s?g\.|\bfor example\b", re.I)


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> list[int]:
    return [match.start() for match in re.finditer(r"\.(?!\S)", text)]


@lru_cache(maxsize=4)
def _example_word_ends(text: str) -> list[int]:
    return [match.end() for match in _EXAMPLE_WORD.finditer(text)]


def in_example(text: str, at: int) -> bool:
    """Whether an example's word ("Example", "e.g.", "for example") stands in the sentence before `at`, no period
    before a space or `at` after it (one look at where sentences and example words end, not a look through all the
    text before `at`: thousands of intervals in one description took seconds)."""
    ends = _sentence_ends(text)
    before = bisect_left(ends, at - 1)  # the sentence ends before the text's last character
    last = at - 1 if at and text[at - 1] == "." else ends[before - 1] if before else -1
    words = _example_word_ends(text)
    nearest = bisect_right(words, last)
    return nearest < len(words) and words[nearest] <= at
