"""The sentences after a description's bounds, or before them, that say more of them, found once for all its bounds.

Such a sentence names another value for the field ("Between 1 and 100. Use -1 for no limit.", "Set to 0 to ring until
answered. Must be between 5 and 120.") or an exception to them ("Maximum of 48 characters. Longer names are cut."):
read as the bounds alone, the schema refused values the page allows. A sentence of other words ("Required.", "Higher
values dial faster.") leaves the bounds as they are. The sentences beside a list of values, a required or existing
value and a format are looked at alike, each for the words that say more of it (beside)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache

from mockserver.spec import unrelated_numbers

# A number standing alone ("Use -1", "0 disables it", "50%"; not "v2", "9:00 AM", "E.164", "(2-letter)", "UTF-8",
# "ISO 8601"), a value said in words, or an exception (values beyond the bounds taken, "Longer names are accepted";
# not "are not accepted", a line end or two spaces between, which says the bounds again)
SAYS_MORE = re.compile(
    r"(?<![\w.:/+-])(?<!ISO )(?<!RFC )[-−]?\d+(?:[.,]\d+)*(?![\w:/-])"
    r"|\b(?:zero|unlimited|no limit|without (?:a |any )?limit|infinite|unbounded|disables?|disabled|disabling"
    r"|turns? (?:it |this )?off|except|excluding|unless|otherwise|instead|truncated|truncates?|cut|cuts|capped|caps"
    r"|clamped|trimmed|rounded|shortened|ignored|exceed(?:s|ed|ing)?|not enforced|approximate(?:ly)?|roughly"
    r"|soft limit|no cap|uncapped|without (?:a |any )?cap|empty|blank|only|counted|counts? as|appl(?:y|ies|icable)"
    r"|replaced|raised|increased|on request|contact support|silently|not (?:validated|checked|verified)"
    r"|(?:does|do|is|are)(?: not|n['’]t) (?:check(?:ed)?|validate(?:d)?|verif(?:y|ied))"
    r"|(?:go|goes|going) (?:higher|lower|over|beyond|above|below))\b"
    r"|\b(?:longer|shorter|larger|smaller|higher|lower|bigger|greater|more|fewer|less)\b(?:[^.]|\.(?=\S)){0,60}?"
    r"(?P<negated>(?:\bnot|\bnever|n['’]t)\s+)?\b(?:accepted|allowed|permitted|supported|valid|used|kept|sent|work"
    r"|works)\b",
    re.I)
_SENTENCE_END = re.compile(r"\.(?!\S)")  # a period before a space or the end; "Kore.ai", "0.5" run on

Spans = Callable[[str], Iterable[tuple[int, int]]]


def sentence_after(text: str, at: int, restated: Spans, refused: Callable[[str], bool]) -> str | None:
    """The first sentence of `text` after the one `at` stands in that says more of bounds (SAYS_MORE), as written;
    None if none does. A sentence that states bounds itself (`restated`: where they are said) is left to the rules
    that read them (said again, bounds are read once or refused as two), and one refused as it stands (`refused`:
    "Defaults to 10") to that refusal."""
    sentences = _sentences(text, restated)
    return sentences.said(sentences.first(bisect_left(sentences.found, bisect_left(sentences.ends, at) + 1), refused))


def sentence_before(text: str, at: int, restated: Spans, refused: Callable[[str], bool]) -> str | None:
    """The first sentence of `text` before the one `at` stands in that says more of bounds, as sentence_after finds
    them ("Set to 0 to ring until answered. Must be between 5 and 120."); None if none does."""
    sentences = _sentences(text, restated)
    first = sentences.first(0, refused)
    return sentences.said(first) if first is not None and first < bisect_left(sentences.ends, at) else None


def cause(sentence: str) -> str:
    """The words of `sentence` (one sentence_after or sentence_before found) that say more of bounds: "0" of "Set to 0
    to ring until answered", for a refusal to name."""
    for text in (unrelated_numbers.blanked(sentence, anywhere=True), sentence):  # a version's number the last
        found = next((match for match in SAYS_MORE.finditer(text) if not match["negated"]), None)
        if found:
            return " ".join(found[0].split())
    return sentence


class _Sentences:
    """Where each sentence of a text ends, and the sentences (by index, in order) that say more of bounds and state
    none; each looked at once for every bound of the text (`first` remembers where it looked from)."""

    def __init__(self, text: str, restated: Spans) -> None:
        self.text = text
        self.ends = [match.start() for match in _SENTENCE_END.finditer(text)] + [len(text)]
        stating = {bisect_left(self.ends, start) for start, _ in restated(text)}
        # (a section, a version or a year, "See section 3.", is no value: unrelated_numbers)
        found = dict.fromkeys(bisect_left(self.ends, match.start())
                              for match in SAYS_MORE.finditer(unrelated_numbers.blanked(text)) if not match["negated"])
        self.found = [sentence for sentence in found if sentence not in stating]
        self._first: dict[int, int | None] = {}

    def first(self, index: int, refused: Callable[[str], bool]) -> int | None:
        """The first sentence (its number in the text) from self.found[index] on that `refused` leaves, or None."""
        looked = []
        while index < len(self.found) and index not in self._first:
            looked.append(index)
            if not refused(self.said(self.found[index])):
                self._first[index] = self.found[index]
                break
            index += 1
        answer = self._first.get(index)
        self._first.update(dict.fromkeys(looked, answer))
        return answer

    def said(self, sentence: int | None) -> str | None:
        if sentence is None:
            return None
        start = self.ends[sentence - 1] + 1 if sentence else 0
        return " ".join(self.text[start : self.ends[sentence]].split())


@lru_cache(maxsize=8)
def _sentences(text: str, restated: Spans) -> _Sentences:
    return _Sentences(text, restated)


# A sentence beside a list of values that says more of them: another value ("C is also accepted.", "Deprecated: C."),
# a case ("B is for sms only.") or another form of them ("Case-insensitive.", "Lowercase is accepted too.", "Other
# values are ignored."): read as the list alone, the schema refused values the page allows
SAYS_MORE_OF_VALUES = re.compile(
    r"\b(?:also|too|deprecated|legacy|alias(?:es)?|synonyms?|case[- ]?insensitive|any case|lower-?case|upper-?case"
    r"|other values?|others|new values?|unknown values?|otherwise|except|unless|only|ignored|instead|accepted|supported"
    r"|allowed|any(?: other)? values?|sandbox)\b", re.I)


# A sentence beside words that make a field required or non-empty, or say a value must exist ("At least one ... is
# required.", "Must exist in the system."), that says a case where they do not hold: "Not needed for Agentless.",
# "Optional in preview mode.", "Ignored unless ...", "Created if missing.". Read alone, the schema refused requests
# the page allows.
SAYS_OTHERWISE = re.compile(
    r"\b(?:not (?:needed|required|necessary|mandatory|used|applicable|checked|validated)|n/a|optional(?:ly)?|unless"
    r"|except|excluding|otherwise|instead|ignored|only|may be (?:empty|omitted|skipped)|can be (?:empty|omitted"
    r"|skipped)|(?:leave|left) (?:it )?(?:empty|blank|out)|missing|absent|not found|auto-?created"
    r"|created (?:if|when|automatically|on)|empty|blank)\b|(?<!not )(?<!never )\b(?:allowed|accepted|permitted)\b",
    re.I)
# A sentence beside a format ("(ISO 8601)") that says another form of the value: "Or epoch seconds.", "Unix time is
# accepted too.": read alone, the schema refused the other form.
SAYS_ANOTHER_FORM = re.compile(
    r"\b(?:epoch|unix|seconds|milliseconds|millis|ms|numeric|integers?|offsets?|abbreviations?|other formats?"
    r"|any format|also|too|alternatively|legacy|deprecated|accepted)\b|^\W*or\b", re.I)


def beside_list(written: str, text: str, start: int, end: int) -> tuple[str, str] | None:
    """The first sentence of `text` other than the one a list of values stands in (`start`..`end`) that says more of
    its values, as `written` has it, with the words that do; None if none does. Sentences end where `written` ends
    them (`text` is it with words other rules read blanked, which hold no more: "Example: C.")."""
    return beside(written, text, start, end, SAYS_MORE_OF_VALUES)


def beside(written: str, text: str, start: int, end: int, says: re.Pattern[str],
           skip: Callable[[str], object] | None = None) -> tuple[str, str] | None:
    """As beside_list, for the words `says` finds in a sentence; a sentence `skip` is true of is passed over."""
    for at, stop, words in _saying(written, text, says, skip):
        if not (at <= start < stop + 1 or at < end <= stop + 1):
            return " ".join(written[at:stop].split()), words
    return None


@lru_cache(maxsize=8)
def _saying(written: str, text: str, says: re.Pattern[str],
            skip: Callable[[str], object] | None) -> list[tuple[int, int, str]]:
    """Each sentence of `text` (its start and end, as `written` ends it) in which `says` finds words, with those
    words, in order: found once for every list of the text (looked for again for each, thousands of quoted values in
    one description took seconds)."""
    ends = [match.start() for match in _SENTENCE_END.finditer(written)] + [len(written)]
    found, at = [], 0
    for stop in ends:
        sentence = text[at:stop].strip()
        words = says.search(sentence) if not (skip and skip(sentence)) else None
        if words:
            found.append((at, stop, words[0]))
        at = stop + 1
    return found
