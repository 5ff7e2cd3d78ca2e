"""Numbers a description names that are no value of its field, for the bounds' checks to look past.

A sentence with a number beside a description's bounds may give the field another value ("Set to 0 to ring until
answered."), and the bounds read alone would drop it, so such bounds are refused. Some numbers are recognisably
something else: a cross-reference ("See section 3.", "(see section 4.2)"), the API's version ("Version 2 of the API.",
"Introduced in version 2.", "API version 2.1"), and the year something happened to the field ("Added in 2024.",
"Deprecated since March 2025."). Only these forms are looked past; a number said otherwise ("Version 0 is the
legacy one.", "Before 2024, use 0."), or in a sentence that says more beside it ("See section 3 for other values.",
"API version 2.1 allows larger values."), still makes the bounds refused."""

from __future__ import annotations

import re
from bisect import bisect_right

_NUMBER = r"(?P<n>\d+(?:\.\d+)*)(?![\w-]|\.\d)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
# Said by the page as a cross-reference, anywhere, the bounds' own sentence too: "(see section 3)"
REFERENCE = re.compile(
    r"\b(?:see|refer to|described in|defined in|explained in|listed in|documented in)\s+(?:the\s+)?"
    rf"(?:section|chapter|appendix|figure|table|step|note|§)\s*{_NUMBER}", re.I)
# Said in a sentence of its own: in the bounds' sentence, "between 5 and 120 since version 2" is a condition
ELSEWHERE = re.compile(
    rf"{REFERENCE.pattern}"
    rf"|\bversion\s+{_NUMBER.replace('<n>', '<v>')}\s+of\s+(?:the|this)\s+(?:API|endpoint|platform|service)\b"
    rf"|\bAPI\s+version\s+{_NUMBER.replace('<n>', '<a>')}"
    r"|\b(?:introduced|added|deprecated|removed|changed|released|updated|new|available|supported)"
    r"\s+(?:in|since|as of|from|with)\s+(?:the\s+)?(?:API\s+)?"
    rf"(?:version\s+{_NUMBER.replace('<n>', '<i>')}"
    rf"|(?:{_MONTH}\s+(?:(?P<day>\d{{1,2}}),?\s+)?)?(?P<year>(?:19|20)\d\d)(?![\w-]|\.\d))", re.I)
_GROUPS = ("n", "v", "a", "i", "day", "year")


def blanked(text: str, pattern: re.Pattern[str] = ELSEWHERE, anywhere: bool = False) -> str:
    """`text` with each number `pattern` finds (a section, a version, a year) blanked, keeping its positions, where
    its sentence says nothing else: "See section 3 for other values." or "API version 2.1 allows larger values." says
    more of the field, and its number, kept, makes bounds beside it refused. `anywhere`: in any sentence (for a
    refusal to name the words that made it, "0" of "In version 1 of the API, 0 was allowed", not the "1")."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    alone: dict[int, bool] = {}  # each sentence's answer, found once
    pieces, at = [], 0
    for match in pattern.finditer(text):
        index = bisect_right(ends, match.start())
        if not anywhere and index not in alone:
            alone[index] = _says_nothing_else(text, ends, index, pattern)
        if not anywhere and not alone[index]:
            continue
        for group in _GROUPS:
            if group in pattern.groupindex and match[group] is not None:
                start, end = match.span(group)
                pieces += [text[at:start], " " * (end - start)]
                at = end
    return "".join(pieces) + text[at:]


# A sentence's end, as later_sentences finds it: a period before a space or the end ("Kore.ai", "0.5" run on)
_SENTENCE_END = re.compile(r"\.(?!\S)")
# What a sentence that names a section, a version or a year may hold besides: "This field was added in 2024.",
# "Refer to section 4.2 for details.", "(see section 3)"
_NOTHING_ELSE = re.compile(r"(?:[\s,;:()]|\.|\bfor (?:more |further )?(?:details|information)\b"
                           r"|\b(?:this|the) (?:field|parameter|property|option|setting)(?: (?:is|was))?\b)*", re.I)


def _says_nothing_else(text: str, ends: list[int], index: int, pattern: re.Pattern[str]) -> bool:
    """Whether sentence `index` of `text` (by its `ends`) holds nothing but what `pattern` finds and _NOTHING_ELSE."""
    sentence = text[ends[index - 1] if index else 0 : ends[index] if index < len(ends) else len(text)]
    return _NOTHING_ELSE.fullmatch(pattern.sub(" ", sentence)) is not None
