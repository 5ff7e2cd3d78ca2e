"""The one registry of prose-to-keyword rules.

Each entry is one phrase form the vendor writes in a description cell, with a builder that turns the
match into JSON Schema keywords. Adding a phrase form is adding one entry to RULES. Rules run in order
and each consumes the text it matched, so a later rule never reads the same words twice (an "Example:"
list of day codes is examples, not an enum). What is left over must not read like a constraint
(UNREAD_CONSTRAINT): wording no rule understands is refused, never dropped, unless a [[read]] entry of the
page's overrides file reads those words for that one field.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence, Set
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from typing import Any

from mockserver.spec import conditions, example_words, later_sentences, unrelated_numbers
from mockserver.spec.model import APPLIES_TO, TypeSpec
from mockserver.spec.scans import Anchored, Either, Run, Scan, scanned

# "9:00 AM": the clock form the page uses for calling-hour bounds. Only syntax ECMA-262, RE2 and Rust's regex share
# (no lookaround): its `$` is the end of the text, as the mock's validators read it (mockserver/ecma_pattern.py).
CLOCK_TIME_PATTERN = r"^(0?[1-9]|1[0-2]):[0-5][0-9] (AM|PM)$"
# A format name the mock registers a checker for (the tzdata package lists the zone).
TIME_ZONE_FORMAT = "iana-time-zone"
# "(ISO 8601)" of a timestamp: JSON Schema's date-time, RFC 3339's profile of ISO 8601 (the sample's
# 2025-12-04T10:50:56.762Z is one), which the contract suite checks and every schema tool knows.
DATE_TIME_FORMAT = "date-time"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_QUOTES = "\"'“”‘’`"
_LIST_END = r"(?:\.(?=\s|$)|$)"  # a list runs to the end of its sentence
_TIME_UNIT = r"(?:milliseconds?|ms|seconds?|minutes?|hours?|days?)"
# "between 1 and 48 characters": a length; "between 1 and 1440 minutes": a value in that unit, as without one
_LENGTH_UNIT = rf"(?:\s+(?P<unit>characters?|chars?)\b|\s+(?P<time>{_TIME_UNIT})\b)?"
# "between 1 and 100 inclusive", ", inclusive", "(inclusive)": what a pair of bounds means unsaid, read with them (left
# after "Must be", the word read as what the value must be, and the bounds were refused)
_INCLUSIVE = r"(?:\s*,?\s*(?:\(inclusive\)|inclusive\b(?!\s+of\b)))?"
# What a pair of bounds constrains -> its keywords ("characters": the bounds said so; else the field's type).
_BOUND_KEYWORDS = {"characters": ("minLength", "maxLength"), "array": ("minItems", "maxItems")}
# A count as written: "1440", or with thousands separators, "10,000" (read whole, never as 10). Groups of three
# digits after a space, an apostrophe or a period ("1 440", "1'440", "1.440") are taken whole too, for number() to
# refuse: read in part, "between 1 and 1 440" was a maximum of 1 and "1.440" the decimal 1.44.
_COUNT = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ '’.]\d{3})+(?!\d)|\d+)"
# A number as written, whole: not the "1" of "1e3" nor the "48" of "48abc", which a rule would read as a bound and
# leave the rest ("Must be e3") for a refusal that quotes words the page never wrote.
_NUMBER = rf"-?{_COUNT}(?:\.\d+)?(?![.,]?\w)"
# A comma between items, not one inside a number ("1,000"): lists split here.
_ITEM_COMMA = r"\s*,(?!(?<=\d,)\d{3}(?!\d))\s*"


@dataclass(frozen=True)
class Constraint:
    """One generated keyword. `target` is relative to the field: "" the field, "[]" its items,
    "[].day" a property of its items. The keyword "required" marks the target required."""

    keyword: str
    value: Any
    target: str = ""


Builder = Callable[[re.Match[str], TypeSpec], list[Constraint]]


@dataclass(frozen=True)
class PhraseRule:
    name: str
    pattern: re.Pattern[str] | Anchored
    build: Builder
    every: bool = False  # reads each match, not the first alone (which said again is read once, or refused)


class UnreadPhrase(ValueError):
    """Description wording that reads like a constraint, left over once every rule has consumed its words."""

    def __init__(self, phrase: str, inside: str | None = None, written: str | None = None,
                 why: str | None = None) -> None:
        said = why or "no phrase rule matches it"
        super().__init__(f'cannot read {quoted(phrase)} as a constraint: {said}; add a rule to '
                         "mockserver/spec/phrases.py, or a [[read]] entry to the page's overrides file")
        self.phrase = phrase  # what the rules left of it: the words a [[read]] entry gives
        self.inside = inside  # the rule whose words hold it (an item's bullet): only a rule can read it there
        self.written = written or phrase  # as the page writes it, with the words a rule read in its middle
        self.why = why  # why the rule that matches the words did not read them, if one does


def quoted(words: str) -> str:
    """Words in double quotes for a refusal, unless the page already quotes them ("9:00AM" in a bullet): quoted
    again they read ""9:00AM""."""
    if len(words) > 1 and words[0] in "\"“" and words[-1] in "\"”":
        return words
    return f'"{words}"'


class Declined(ValueError):
    """Raised by a builder for words its pattern matches but it cannot read for certain ("Preview, etc.": which
    values?). The rule then reads nothing, so its words stay for UNREAD_CONSTRAINT to refuse and for a [[read]]
    entry to settle; the reason goes into the refusal."""


class Repeated(ValueError):
    """A description that states one keyword twice: two values (the page contradicts itself) or one rule's words
    again. Refused rather than letting the last rule to run win."""


class StaleWords(ValueError):
    """Words an overrides entry reads that leave nothing to settle (`hint`: what else the entry may want)."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.hint = hint


def apply(text: str, type_: TypeSpec, read: Sequence[str] = (), required: bool | None = None,
          field: str = "") -> list[Constraint]:
    """All constraints the description `text` states, for a field of type `type_`; UnreadPhrase if words no rule
    read still state one (see UNREAD_CONSTRAINT), rather than dropping them. `read`: words the overrides file reads
    for the field (as prose, or as its own keywords): wording inside them is not refused, and StaleWords says when
    they are no longer in the description, a rule reads them, or they hold no wording to refuse. `required`: what
    the row's type cell says (None: nothing). `field`: the field's name, which names a list's items ("between 1 and
    10 priorities" of `priorities` counts them)."""
    called, written = _ITEMS_CALLED.set(_items_called(field)), _WRITTEN.set(text)
    try:
        return _apply(text, type_, read, required)
    finally:
        _ITEMS_CALLED.reset(called)
        _WRITTEN.reset(written)


# The words the field's name calls its items, for the rules' builders (which see the match and the type alone)
_ITEMS_CALLED: ContextVar[frozenset[str]] = ContextVar("items_called", default=frozenset())
# The description as written, for the builders that look at the words before their match: in the text a builder sees,
# what earlier rules read is blanked, a sentence's end with it ("e.g. 10 minutes. Must be between ...")
_WRITTEN: ContextVar[str] = ContextVar("written", default="")


def _items_called(field: str) -> frozenset[str]:
    """ "dialingStrategy.retryPriorities[]" -> {"retrypriorities", "priorities"}: the name's last part, and its last
    word (camelCase, snake_case or kebab-case), as plural words that may count the list's items."""
    last = re.sub(r"\[\]", "", field).rsplit(".", 1)[-1]
    words = re.findall(r"[A-Z]+s(?![a-z])|[A-Z]?[a-z]+|[A-Z]+(?![a-z])", last)  # "IDs" of "callerIDs" whole
    return frozenset(word.lower() for word in (last, *words[-1:]) if len(word) > 2 and word.lower().endswith("s"))


def _apply(text: str, type_: TypeSpec, read: Sequence[str], required: bool | None) -> list[Constraint]:
    found: list[tuple[Constraint, str, str]] = []  # each with the rule that gave it and the words it read
    first = _FirstOfEachRule()
    consumed: Consumed = []  # each rule's match; the text keeps its positions (blanked)
    declined: Consumed = []  # matches a rule did not read, with why (in `reasons`)
    reasons: list[str] = []
    starts: list[int] = []  # where the words each constraint of `found` comes from start
    original = text
    for rule in RULES:
        read_here: list[tuple[int, int]] = []  # blanked once the rule has read them all (each copy of the text took
        # as long as the text: thousands of examples took seconds)
        for match in rule.pattern.finditer(text) if rule.every else filter(None, [rule.pattern.search(text)]):
            try:
                built = _built(rule, match, type_, required)
            except UnreadPhrase as exc:
                _stale_inside(original, read, [(rule.name, *match.span())])
                raise UnreadPhrase(exc.phrase, exc.inside or rule.name, why=exc.why) from None
            except Declined as exc:
                declined.append((rule.name, *match.span()))
                reasons.append(f'the phrase rule "{rule.name}" cannot read it for certain: {exc}')
                continue
            _once(built, first.others(built, rule.name), _phrase_at(original, *match.span()))
            found += [(constraint, rule.name, _phrase_at(original, *match.span())) for constraint in built]
            first.add(found[len(found) - len(built):])
            starts += [match.start()] * len(built)
            consumed.append((rule.name, *match.span()))
            read_here.append(match.span())
        text = _blanked(text, read_here)
    text = _blanked(text, _pointers_after_bounds(text, consumed))
    spans = [_spans(words, original, text, consumed) for words in read]
    cues = list(_cues(text))
    reach = _Reach([(cue.start("cue"), cue.end("cue")) for cue in cues])
    cues += [_declined(text, start, end) for _, start, end in declined  # words a rule matched are not dropped either
             if text[start:end] == original[start:end]  # unless a later rule read them
             and not reach.beyond(end, start)]  # (a cue standing in them)
    again = _again(text, consumed, found, type_)
    contradicting = [(match, repeated) for match, repeated in again if repeated]
    # a rule's words said again with the same value are read (as "Required. Required." always was), not refused as
    # said twice: wording of a cue past them ("between 1 and 5 or 7") is still refused
    reach = _Reach([match.span() for match, repeated in again if not repeated])
    cues = [cue for cue in cues if not reach.beyond(cue.end("cue"), cue.end() - 1)]  # (a match holding the cue's end)
    for words, settled in zip(read, spans, strict=True):
        if not any(_within(cue, settled) for cue in cues) and not any(
                start <= again.start() and again.end() <= end for again, _ in contradicting for start, end in settled):
            raise StaleWords(f'nothing in "{words}" reads as a constraint', ", or give it the words a refusal quotes")
    unread = next((cue for cue in cues if not any(_within(cue, settled) for settled in spans)), None)
    if unread:
        why = _said_again(unread, text, original, consumed, type_) or next(
            (why for (_, start, end), why in zip(declined, reasons, strict=True)
             if start < unread.end() and unread.start() < end), None)
        raise UnreadPhrase(_phrase(unread), written=_phrase_at(original, *unread.span()).rstrip("."), why=why)
    for again, repeated in contradicting:  # unless an overrides entry reads those words
        if not any(start <= again.start() and again.end() <= end for settled in spans for start, end in settled):
            raise repeated
    return _each_once(_examples_joined([constraint for constraint, _, _ in found], starts))


def _each_once(constraints: list[Constraint]) -> list[Constraint]:
    """The constraints, each once: two rules that agree ("Maximum of 48 characters. Must not exceed 48 characters.")
    gave maxLength 48 twice, and a thousand clock times a thousand patterns."""
    kept: dict[tuple[str, str, str], Constraint] = {}
    for constraint in constraints:  # (a value may be a list, which no set holds: its JSON text stands for it)
        kept.setdefault((constraint.keyword, constraint.target, _json(constraint.value)), constraint)
    return list(kept.values())


class _Reach:
    """Spans, asked whether one of those starting before a place ends after another: whether words overlap, without
    setting each span against each other (thousands of cues and as many repeated words took seconds)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [start for start, _ in spans]
        self._ends = list(accumulate((end for _, end in spans), max))  # the farthest end of each and those before

    def beyond(self, before: int, after: int) -> bool:
        """Whether a span starting before `before` ends after `after`."""
        index = bisect_left(self._starts, before)
        return index > 0 and self._ends[index - 1] > after


# A cross-reference in parentheses, "(see section 3)": right after bounds a rule read, it says where they are explained
_POINTER = re.compile(rf"\s*\(\s*(?:{unrelated_numbers.REFERENCE.pattern})\s*\)", re.I)


def _pointers_after_bounds(text: str, consumed: Consumed) -> list[tuple[int, int]]:
    """Where a cross-reference in parentheses stands right after bounds a rule read ("between 5 and 120 (see section
    3)"): left in the text, the number in it made "Must be" before the bounds read like a constraint."""
    found = (_POINTER.match(text, end) for name, _, end in sorted(consumed, key=lambda read: read[1])
             if name in _BOUND_RULES)
    return [match.span() for match in found if match]


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the words at `spans` (in order, apart) blanked: the text keeps its positions, and the period that
    ends a sentence (blanked, "Valid values are: A, B. Optional." left "Optional." in no sentence of its own, and it
    was dropped)."""
    pieces, at = [], 0
    for start, end in spans:
        kept = "." if end > start and text[end - 1] == "." and (end == len(text) or text[end].isspace()) else ""
        pieces += [text[at:start], " " * (end - start - len(kept)), kept]
        at = end
    return "".join(pieces) + text[at:]


class _FirstOfEachRule:
    """The first constraint each rule gave of each keyword's slot and target, in the order found: what _once sets a
    rule's new constraints against, without looking through every constraint found before (thousands of clock times
    took seconds)."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], dict[str, tuple[Constraint, str]]] = {}

    def add(self, found: list[tuple[Constraint, str, str]]) -> None:
        for constraint, rule, words in found:
            self._first.setdefault(_slot(constraint), {}).setdefault(rule, (constraint, words))

    def others(self, built: list[Constraint], rule: str) -> list[tuple[Constraint, str]]:
        """Those of other rules than `rule`, of the slots `built` sets."""
        slots = dict.fromkeys(_slot(constraint) for constraint in built if constraint.keyword != "examples")
        return [first for slot in slots for name, first in self._first.get(slot, {}).items() if name != rule]


def _slot(constraint: Constraint) -> tuple[str, str]:
    return _SLOTS.get(constraint.keyword, constraint.keyword), constraint.target


def _examples_joined(constraints: list[Constraint], starts: list[int]) -> list[Constraint]:
    """The constraints with every example of one target in one `examples`, in the order the description gives them
    (`starts`: where each constraint's words start), each once: "Example: FIFO. For example, LIFO." gives both, where
    the field kept the last rule's alone."""
    joined: dict[str, list[Any]] = {}
    for _, constraint in sorted(zip(starts, constraints, strict=True), key=lambda pair: pair[0]):
        if constraint.keyword == "examples":
            values = joined.setdefault(constraint.target, [])
            values += [value for value in constraint.value if value not in values]
    kept, seen = [], set()
    for constraint in constraints:
        if constraint.keyword != "examples" or constraint.target not in seen:
            kept.append(constraint)
        if constraint.keyword == "examples":
            seen.add(constraint.target)
    return [replace(c, value=joined[c.target]) if c.keyword == "examples" else c for c in kept]


def _built(rule: PhraseRule, match: re.Match[str], type_: TypeSpec, required: bool | None) -> list[Constraint]:
    """The rule's keywords; Declined where the row says optional and the rule would make the field required:
    "Required for Progressive dialing" on an optional row is a condition, which a schema cannot state (the row
    is not overruled without a word, nor the words dropped)."""
    built = _targeted(rule.build(match, type_), type_)
    _applies(built, type_)
    said = next((c.value for c in built if c.keyword == "required" and not c.target), None)
    if required is False and said is True:
        raise Declined("the row says optional, and the rule would make the field always required")
    if required is True and said is False:
        raise Declined("the row says required, and the rule would make the field optional")
    return built


def _targeted(built: list[Constraint], type_: TypeSpec) -> list[Constraint]:
    """An array's values and examples on its items: "Valid values are “voice” and “sms”." of a list of strings gave the
    list itself an enum of strings (read as the items' type), which no list is equal to, so every value was refused."""
    if type_.name != "array":
        return built
    return [replace(c, target="[]") if c.keyword in ("enum", "examples") and not c.target else c for c in built]


def _applies(built: list[Constraint], type_: TypeSpec) -> None:
    """Declined where a keyword the rule gives constrains values of another type than its target's (APPLIES_TO): "Starts
    counting at 9:00 AM" gave an integer field a clock-time pattern, refused later without the words that gave it."""
    for constraint in built:
        kind = type_.name if not constraint.target else type_.items if constraint.target == "[]" else None
        types = APPLIES_TO.get(constraint.keyword)
        if kind and types and kind not in types:
            whose = "the field is" if not constraint.target else "its items are"
            raise Declined(f"it gives {constraint.keyword}, which constrains {' and '.join(types)} values only, and "
                           f"{whose} of type {kind}")
        wrong = next((value for value in constraint.value if not _is_a(value, kind)), None) if kind and (
            constraint.keyword in ("enum", "examples")) else None
        if wrong is not None:
            whose = f"{_ARTICLES.get(kind, 'a')} {kind} field" if not constraint.target else f"an item of type {kind}"
            raise Declined(f"{_json(wrong)} is no value {whose} can take")


_ARTICLES = {"integer": "an", "array": "an", "object": "an"}
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict, "array": list}


def _is_a(value: Any, kind: str) -> bool:
    """Whether `value` is one of the JSON type `kind` (True is no integer)."""
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, _JSON_TYPES.get(kind, object))


def _once(built: list[Constraint], found: list[tuple[Constraint, str]], words: str) -> None:
    """Repeated if a rule gives a keyword (of one target) another value than an earlier rule did (`found`, each with
    the words it read): "Minimum is 1 and maximum is 100. Must be between 2 and 50." Examples are not a constraint,
    and two rules may agree."""
    for constraint in built:
        if constraint.keyword == "examples":
            continue
        slot = _SLOTS.get(constraint.keyword, constraint.keyword)
        earlier = next(((c, w) for c, w in found
                        if (_SLOTS.get(c.keyword, c.keyword), c.target) == (slot, constraint.target)), None)
        if earlier and (earlier[0].keyword, earlier[0].value) != (constraint.keyword, constraint.value):
            of = f" of {constraint.target}" if constraint.target else ""
            if earlier[0].keyword == constraint.keyword:
                raise Repeated(f'the description gives {constraint.keyword}{of} twice, {_json(earlier[0].value)}'
                               f' ("{earlier[1]}") and {_json(constraint.value)} ("{words}"): say it once')
            raise Repeated(f'the description gives {slot}{of} twice, {earlier[0].keyword} {_json(earlier[0].value)}'
                           f' ("{earlier[1]}") and {constraint.keyword} {_json(constraint.value)} ("{words}"): say it'
                           " once")


# Keywords that set one thing two ways: an inclusive and an exclusive bound of a number's value
_SLOTS = {"minimum": "a lower bound", "exclusiveMinimum": "a lower bound",
          "maximum": "an upper bound", "exclusiveMaximum": "an upper bound"}


def _again(text: str, consumed: Consumed, found: list[tuple[Constraint, str, str]],
           type_: TypeSpec) -> list[tuple[re.Match[str], Repeated | None]]:
    """A rule's words standing again in what the rules left, each with its refusal if they say otherwise (None if
    they say the same): each rule reads its first match only, and "Name. Required. Optional." was required, its
    "Optional" dropped without a word."""
    contradicting: list[tuple[re.Match[str], Repeated | None]] = []
    for name in dict.fromkeys(name for name, _, _ in consumed):  # each rule once, however many matches it read
        rule = next(rule for rule in RULES if rule.name == name)
        its = [(c, w) for c, r, w in found if r == name]
        for again in rule.pattern.finditer(text):
            try:
                built = _targeted(rule.build(again, type_), type_)
            except (Declined, UnreadPhrase):  # words it cannot read: no value to set against the first
                continue
            try:
                _once(built, its, _phrase_at(text, *again.span()))
            except Repeated as exc:
                contradicting.append((again, exc))
            else:
                if _same(built, [c for c, _ in its]):  # other keywords ("between 2 and 5" after "between 1 and 48
                    contradicting.append((again, None))  # characters") are not read: their cue refuses them
    return contradicting


def _same(built: list[Constraint], found: list[Constraint]) -> bool:
    """Whether each constraint of `built` but its examples is one of `found`."""
    return all(constraint in found for constraint in built if constraint.keyword != "examples")


def _phrase_at(original: str, start: int, end: int) -> str:
    return " ".join(original[start:end].split())


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _said_again(cue: Hit, text: str, original: str, consumed: Consumed, type_: TypeSpec) -> str | None:
    """Repeated if the wording a rule did not read is that rule's own, said a second time ("between 5 and 120 ...
    between 10 and 60"): each rule reads its first match only. Where the rule could not read the wording itself
    ("[1, 2]" in an example's sentence, after "in [0, 10]"), why not, as a declined match's refusal says: it was
    refused as said twice."""
    for name, start, end in consumed:
        rule = next(rule for rule in RULES if rule.name == name)
        if rule.every:  # it read every match it could: one it left, it declined (its reason is the refusal's)
            continue
        again = next((match for match in rule.pattern.finditer(text)
                      if match.start() < cue.end("cue") and cue.start("cue") < match.end()), None)
        if again:
            try:
                rule.build(again, type_)
            except Declined as exc:
                return f'the phrase rule "{name}" cannot read it for certain: {exc}'
            raise Repeated(f'the description says "{_sentence_at(original, *again.span())}" after '
                           f'"{_phrase_at(original, start, end)}", which the phrase rule "{name}" read: say it once')
    return None


_CLAUSE_END = re.compile(r"[.;](?!\S)")  # a sentence's end, or a semicolon's


def _sentence_at(original: str, start: int, end: int) -> str:
    """The sentence the words at `start`..`end` stand in, as written: the words alone left out what made them another
    case ("For sms campaigns, between 1 and 50" was quoted "between 1 and 50")."""
    before = [match.end() for match in _CLAUSE_END.finditer(original, 0, start)]
    after = _CLAUSE_END.search(original, end)
    return _phrase_at(original, before[-1] if before else 0, after.start() if after else len(original)).rstrip(".")


def unread_constraint(text: str) -> str | None:
    """The phrase of `text` that reads like a constraint (its cue to the end of its sentence; the first pattern
    of UNREAD_CONSTRAINT that matches names it), or None."""
    return next((_phrase(cue) for cue in _cues(text)), None)


@dataclass(frozen=True)
class Cue:
    """Wording that reads like a constraint: where its cue stands in the text, and the phrase a refusal quotes."""

    start: int
    end: int
    phrase: str


def cues(text: str) -> list[Cue]:
    """Every cue of UNREAD_CONSTRAINT in `text`, earliest first (at one place, in pattern order), no rule run first:
    for prose no rule reads, the page's outside its tables."""
    found = (Cue(cue.start("cue"), cue.end("cue"), _phrase(cue)) for cue in _cues(text))
    return sorted(found, key=lambda cue: cue.start)


def said(words: str, text: str) -> list[tuple[int, int]]:
    """Where `text` says `words`, as an overrides entry's words are found: any case, any run of white space."""
    return [match.span() for match in _words(words).finditer(text)]


def _cues(text: str) -> Iterator[Hit]:
    """Every match of UNREAD_CONSTRAINT in `text`, pattern by pattern, one starting at each place a cue does."""
    ends = [match.start() for match in _SENTENCE_END.finditer(text)]
    for pattern in UNREAD_CONSTRAINT:
        at = 0
        while found := _search(pattern, text, at):
            yield Hit(text, *found, _sentence_end(ends, found[1], len(text)))
            at = found[0] + 1


def _search(pattern: re.Pattern[str] | Scan | Run | Either, text: str, at: int) -> tuple[int, int] | None:
    if not isinstance(pattern, re.Pattern):
        return pattern.search(text, at)
    match = pattern.search(text, at)
    return match.span() if match else None


def _sentence_end(ends: list[int], at: int, size: int) -> int:
    index = bisect_left(ends, at)
    return ends[index] if index < len(ends) else size


@dataclass(frozen=True)
class Hit:
    """A cue found in a text, as a match of `(?P<cue>...)` and the rest of its sentence would be: the cue's words
    are found by the pattern, and the sentence's end after them by one look at where sentences end (matched with the
    cue, the rest of a sentence was read again from each cue in it, as long as the sentence each time)."""

    string: str
    cue_start: int
    cue_end: int
    sentence_end: int

    def start(self, group: str | int = 0) -> int:
        return self.cue_start

    def end(self, group: str | int = 0) -> int:
        return self.cue_end if group == "cue" else max(self.cue_end, self.sentence_end)

    def span(self) -> tuple[int, int]:
        return self.start(), self.end()

    def __getitem__(self, group: int) -> str:
        return self.string[self.start() : self.end()]


def _declined(text: str, start: int, end: int) -> Hit:
    """The words a rule matched and declined ("Example: 1.440"), as a cue: no pattern of UNREAD_CONSTRAINT may
    find them, and dropped they would take what the page says away without a word."""
    return Hit(text, start, end, end)


def _phrase(cue: Hit) -> str:
    return " ".join(cue[0].split()).rstrip(".")


def _within(cue: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(start <= cue.start("cue") and cue.end("cue") <= end for start, end in spans)


def _words(words: str) -> re.Pattern[str]:
    """`words` as written in a description: any run of white space between them, any case, whole words."""
    edges = (r"(?<!\w)" if re.match(r"\w", words) else "", r"(?!\w)" if re.search(r"\w$", words) else "")
    return re.compile(edges[0] + r"\s+".join(map(re.escape, words.split())) + edges[1], re.I)


Consumed = list[tuple[str, int, int]]  # (rule name, start, end) of what each rule read


def _spans(words: str, original: str, text: str, consumed: Consumed) -> list[tuple[int, int]]:
    """Where `words` stand in what the rules left of the description; StaleWords if nowhere."""
    spans = [match.span() for match in _words(words).finditer(text)]
    if not spans:
        _stale_inside(original, [words], consumed)
        raise StaleWords(f'the description no longer says "{words}"')
    return spans


def _stale_inside(original: str, read: Sequence[str], consumed: Consumed) -> None:
    """StaleWords if words of `read` stand in the description where a rule's match does (the rule reads them)."""
    for words in read:
        for match in _words(words).finditer(original):
            rule = next((name for name, start, end in consumed if start < match.end() and match.start() < end), None)
            if rule:
                raise StaleWords(f'the phrase rule "{rule}" reads "{words}"')


# ---------------------------------------------------------------- value helpers


def typed(value: str, type_: TypeSpec) -> Any:
    """A value written in prose, as the field's JSON type (enum values of a string field stay strings)."""
    kind = type_.items if type_.name == "array" and type_.items else type_.name
    if kind in ("integer", "number") and re.fullmatch(_NUMBER, value):
        return number(value)
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def number(text: str) -> int | float:
    """ "10,000" -> 10000, "0.5" -> 0.5: a number as written in prose (thousands separated by commas). Declined for
    thousands separated otherwise, which the page may mean as another number: "1.440" is 1440 in much of Europe and
    1.44 in English."""
    if re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text):
        said = f"{text.replace('.', '')} (a period between thousands) or {Decimal(text).normalize():f}"
        raise Declined(f'"{text}" may be {said}: the rules read thousands separated by commas alone ({_commas(text)})')
    grouped = re.fullmatch(r"-?\d{1,3}((?:[ '’.]\d{3})+)(?:\.\d+)?", text)
    if grouped and not re.fullmatch(r"-?0\.\d{3}", text):  # "0.125": no thousands start with 0
        marks = set(re.findall(r"[ '’.]", grouped[1]))
        name = _MARK_NAMES[marks.pop()] if len(marks) == 1 else "other marks than commas"
        raise Declined(f'"{text}" has {name} between thousands: the rules read thousands separated by commas alone')
    value = Decimal(text.replace(",", ""))  # not float: a whole number keeps every digit (2**53 + 1, 10**22)
    return int(value) if value == value.to_integral_value() else float(value)


_MARK_NAMES = {" ": "spaces", "'": "apostrophes", "’": "apostrophes", ".": "periods"}


def _commas(text: str) -> str:
    return f"{int(re.sub(r'[^0-9-]', '', text)):,}"


def list_items(text: str) -> list[str]:
    """ "1, 2, 3, 4, or 5" -> ["1", "2", "3", "4", "5"]; quotes and a final period are dropped."""
    return [_unquoted(part) for part in quoted_items(text)]


def quoted_items(text: str) -> list[str]:
    """list_items, each item with its quotes, if it has them."""
    parts = re.split(_ITEM_COMMA + r"(?:(?:or|and)\s+)?|\s+(?:or|and)\s+", text.strip().rstrip("."))
    return [part.strip() for part in parts if _unquoted(part)]


def _unquoted(item: str) -> str:
    return item.strip().strip(_QUOTES).strip()


def _values(text: str, type_: TypeSpec) -> list[Any]:
    return [typed(item, type_) for item in list_items(text)]


# A list's end that says it names only some values: "..., Preview, etc.", "... or Preview & more", "..., and others"
_OPEN_END = re.compile(r"(?:^|\s)(?:etc\.?|and so on|(?:and|&|or) (?:many )?(?:more|others)|(?:and|or) the like"
                       r"|(?:and|or) (?:other|similar) values|among others|\.\.\.|…)$", re.I)
# An item of a list that says something of the others rather than being a value: "voice or sms, lowercase" (not
# "all", "none" or "default", which an enum may hold)
_SAYS_OF_VALUES = re.compile(r"(?:lower|upper)-?case|case[- ]?(?:in)?sensitive|respectively|only|deprecated|legacy",
                             re.I)
# Characters a value holds that a value of a list rarely does: where one value holds one and another does not, the
# list took words that are not a value ("values: 1", "Preview (beta)").
_ODD = re.compile(r"[^\w.+-]")


def value_list(text: str) -> list[str]:
    """The values a list states, one per bullet ("• OFF • DETECT") or as list_items splits them; Declined where
    the list cannot be read for certain: it says it names only some, or a value holds a character (a space, a
    colon) the others do not, so the rule took words that are no value into it."""
    text = text.strip()
    if "•" in text:
        head, *bullets = text.split("•")
        if head.strip():
            raise Declined(f'"{head.strip()}" stands before the first bullet')
        items = [bullet.strip().rstrip(".,;").strip().strip(_QUOTES).strip() for bullet in bullets]
    else:
        items = list_items(text)
    # (an item, "Preview & more"; or the list's end, split at its "and": "..., sms, and more" gave the value "more")
    said = next((item for item in items if _SAYS_OF_VALUES.fullmatch(item)), None)
    if said:  # "voice or sms, lowercase" gave the value "lowercase"
        raise Declined(f'"{said}" may say a case or a form of the values, not be one')
    open_end = next((item for item in items if _OPEN_END.search(item)), None) or (
        (found := _OPEN_END.search(" ".join(text.split()).rstrip("."))) and found[0].strip())
    if open_end:
        raise Declined(f'"{open_end}" says the list does not name every value')
    span = next((item for item in items if re.fullmatch(rf"{_NUMBER}\s*[-–]\s*{_NUMBER}", item)), None)
    if span:  # "one of the following: 1-5" was the one value "1-5"
        raise Declined(f'"{span}" is a range, not a value')
    if len(items) == 1 and _ODD.search(items[0]):  # "one of: WEEKLY DAILY CUSTOM", its values split by <br> or "|"
        odd = _ODD.search(items[0])[0]
        raise Declined(f'"{items[0]}" is the one value of the list and holds {_CHAR_NAMES.get(odd, repr(odd))}: '
                       "values may run together in it")
    for item in items:
        odd = next((char for char in _ODD.findall(item) if not all(char in other for other in items)), None)
        if odd:
            raise Declined(f'"{item}" holds {_CHAR_NAMES.get(odd, repr(odd))}, which the other values do not: '
                           "words that are no value may be in it")
    return items


_CHAR_NAMES = {" ": "a space", ":": "a colon", "&": "an ampersand", "(": "a parenthesis", ")": "a parenthesis",
               ",": "a comma", "|": "a pipe", "/": "a slash"}


# ---------------------------------------------------------------- builders


def _enum_of_list(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """A list of values -> its enum; Declined after a negation in its sentence ("Must not be one of the following:
    admin, root." names the values refused, and read as the enum allowed those alone), or as _list_alone says."""
    negation = _NEGATION.search(_sentence_around(match)[0])
    if negation:
        raise Declined(f'"{negation[0]}" before it may name the values refused, not those allowed')
    _list_alone(match)
    return [Constraint("enum", _values_of(value_list(match["list"]), type_))]


_NEGATION = re.compile(r"\b(?:not|never|cannot|none)\b|\b\w+n['’]t\b", re.I)


def _unconditional(match: re.Match[str], labels: bool = False) -> None:
    """Declined where words before the match in its sentence may make it hold in some cases only, or not at all ("For
    sms campaigns, between 1 and 50.", "If dialingMode is Progressive, must be one of: A, B.", "Must not be between 1
    and 5."): read alone, the schema refused values the page allows (see mockserver/spec/conditions.py)."""
    why = conditions.condition_before(_written(match), match.start(), labels)
    if why:
        raise Declined(why)
    if example_words.in_example(_written(match), match.start()):  # "e.g. between 1 and 5": an example's words
        raise Declined("it stands in an example, which shows a value rather than stating a constraint")


def _written(match: re.Match[str]) -> str:
    """The description as written, which the match's text is with the words earlier rules read blanked."""
    written = _WRITTEN.get()
    return written if len(written) == len(match.string) else match.string


def _list_alone(match: re.Match[str]) -> None:
    """_unconditional, and Declined where another sentence of the description says more of the list's values ("C is
    also accepted.", "B is for sms only.", "Case-insensitive."), as bounds are where one says more of them."""
    _unconditional(match)
    beside = later_sentences.beside_list(_written(match), match.string, match.start(), match.end())
    if beside:
        sentence, words = beside
        raise Declined(f'"{sentence}" stands beside the list in the description, and "{words}" may say another value, '
                       "a case or another form of them, which the list alone would drop")


def _any_of_list(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """ "Any of the following: voice, sms." -> its enum, where nothing but "can be" or "must be" stands before it in
    its sentence; Declined otherwise: "Must not contain any of the following: <, >" names values refused, "May
    contain any of: -, _" characters a string may hold."""
    # (the sentence's words: "Must not be: any of ..." and "If voice; any of ..." say no less before a colon)
    head = " ".join(_sentence_around(match)[0].split())
    if head and not _MAY_BE.fullmatch(head):
        raise Declined(f'"{head}" before it may say otherwise of the values ("must not contain any of ..."): the rule '
                       'reads "any of" alone or after "can be" or "must be"')
    return _enum_of_list(match, type_)


# What may stand before "any of" in its sentence for the list to be the values': "Each item can be", "Must be:"
_MAY_BE = re.compile(r"(?:(?:the |each |every )?(?:value|item|entry)s? )?(?:must|can|may|should|shall) be:?", re.I)


def _values_of(items: list[str], type_: TypeSpec) -> list[Any]:
    """A list's values as the field's type; Declined where one cannot be a value of it: `“success” or “failure”` of
    an integer field gave it an enum of strings, which no value of the field meets."""
    values = [typed(item, type_) for item in items]
    kind = type_.items if type_.name == "array" and type_.items else type_.name
    wrong = next((value for value in values if isinstance(value, str)), None) if kind in (
        "integer", "number", "boolean") else None
    if wrong is not None:
        field = ({"integer": "an integer", "number": "a number", "boolean": "a boolean"}[kind] + " field"
                 if kind == type_.name else f"an item of type {kind}")  # as _applies says it of a list's items
        raise Declined(f'"{wrong}" is no value {field} can take')
    return values


# A JSON array or object as written: its bracket, then a value, a key or its end ('["a", "b"]', '{"a": 1}', "[1, 2]");
# not a placeholder or a tag in words ("{firstName}", "{{streamId}}", "[Promo] Spring sale"), read as before
_JSON_START = re.compile(r"""\s*(?:(?P<array>\[)\s*(?:["'“‘\d\-\[\]{]|(?:true|false|null)\b)|\{\s*["'“‘}])""")


def _examples_of_list(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    # "Example: FIFO, LIFO, etc.": examples may name only some values, but "etc" is none of them. Wording that reads
    # like a constraint is no example ("e.g. up to 48 characters"), nor is a clock time the pattern refuses.
    clock = re.search(r"\b(?:1[0-2]|0?[1-9]):[0-5]\d ?[AaPp][Mm]\b", match["list"])
    if clock and not re.fullmatch(CLOCK_TIME_PATTERN, clock[0]):
        raise Declined(f'"{clock[0]}" is not in the form the pattern reads, "9:00 AM" (a space, then AM or PM in '
                       "capitals)")
    cue = unread_constraint(match["list"])
    if cue:
        raise Declined(f'"{cue}" reads like a constraint, not an example')
    json_value = _JSON_START.match(match["list"])
    if json_value:  # '["a", "b"]' was split at its comma into the examples '["a' and 'b"]'
        kind = "array" if json_value["array"] else "object"
        raise Declined(f'"{" ".join(match["list"].split())}" is a JSON {kind}, and the rule reads examples of one '
                       "value each, as words")
    items = [_OPEN_END.sub("", item).strip() for item in quoted_items(match["list"])]
    elsewhere, times, two_units = _examples_said(match.string, _kind(type_))
    if two_units:
        raise Declined(two_units)
    # a unit word is the field's when its sentence says it, or the description, the example being a sentence of
    # its own
    units = example_words.around(match.string, match.start(), match.end(), elsewhere.__contains__)
    return [Constraint("examples", [_example(item, type_, (units, times)) for item in items
                                    if _unquoted(item) and _unquoted(item).lower() not in MORE])]


@lru_cache(maxsize=4)
def _examples_said(text: str, kind: str) -> tuple[frozenset[str], frozenset[str], str | None]:
    """What every example of the description `text` shares, found once for all of them: the description's words
    outside every example (another example's unit, "Example: 5 apples. Example: 3 apples.", is no word of the
    field's), the units of time among them, and why its examples cannot be read if they are in two units."""
    elsewhere = _words_of(re.sub(_EXAMPLE, " ", text, flags=re.I))
    times = frozenset(_time_unit(word) for word in elsewhere if re.fullmatch(_TIME_UNIT, word))
    items = [item for example in re.finditer(_EXAMPLE, text, re.I) for item in quoted_items(example["list"])]
    return frozenset(elsewhere), times, _two_units_of_time(items, kind)


def _kind(type_: TypeSpec) -> str:
    return type_.items if type_.name == "array" and type_.items else type_.name


def _two_units_of_time(items: list[str], kind: str) -> str | None:
    """Why a number's examples, all the description gives, cannot be read where they are in two units of time ("e.g.
    30 seconds or 2 minutes", "Example: 30 seconds. Example: 2 minutes."): read past their units, they were 30 and 2,
    one of them in a unit the field does not count."""
    timed = {item: _time_unit(found["unit"]) for item in items
             if (found := re.fullmatch(rf"{_NUMBER}\s+(?P<unit>{_TIME_UNIT})", item, re.I))}
    if kind not in ("integer", "number") or len(set(timed.values())) < 2:
        return None
    said = " and ".join(f'"{item}"' for item in timed)
    return (f"the examples {said} are in two units of time "
            f"({' and '.join(sorted({f'{unit}s' for unit in timed.values()}))}), where a number counts one")


def _words_of(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W\d_]+", text)}


def _time_unit(word: str) -> str:
    """ "Minutes" -> "minute", "ms" -> "millisecond": a unit of time, however written."""
    word = word.lower()
    return "millisecond" if word == "ms" else word.removesuffix("s")


MORE = ("more", "many more", "so on", "others")  # what "..., LIFO and more" leaves once the list is split at "and"
# Words that may be a value as they stand: one word ("FIFO", "+05:30", "https://platform.kore.ai"), or a name in
# capitals ("India Standard Time"). Other words after "for example" are prose ("for example the agent's queue name").
_BARE_VALUE = re.compile(r"\S+|[A-Z0-9]\S*(?:\s+[A-Z0-9]\S*)*")


def _example(item: str, type_: TypeSpec, units: tuple[Callable[[str], bool], Set[str]] = (
        lambda word: False, frozenset())) -> Any:
    """An example item as a value of the field's type: a number of a number field ("e.g. 10 minutes" gave an integer
    field the example "10 minutes"; now 10, see _without_unit), true or false of a boolean; of any other, a value in
    quotes or words that may be one as they stand (_BARE_VALUE). Declined otherwise: words read as an example were
    prose. `units`: the words a unit may be, and the units of time the description names (see _without_unit)."""
    value, kind = _unquoted(item), type_.items if type_.name == "array" and type_.items else type_.name
    if kind in ("integer", "number") and value == item:
        value = _without_unit(value, *units)
    if kind in ("integer", "number") and not re.fullmatch(_NUMBER, value):
        field = "an integer" if kind == "integer" else "a number"
        raise Declined(f'"{value}" is no number, as an example of {field} field must be')
    if kind == "boolean" and value.lower() not in ("true", "false"):
        raise Declined(f'"{value}" is neither true nor false, as an example of a boolean field must be')
    if value == item and not _BARE_VALUE.fullmatch(value):
        raise Declined(f'"{value}" reads as words, not a value: an example is a value in quotes, one word or a name'
                       " in capitals")
    return typed(value, type_)


def _without_unit(value: str, units: Callable[[str], bool], times: Set[str]) -> str:
    """ "30 seconds" -> "30": a number followed by its unit, as bounds read past one ("between 1 and 1440 minutes"). A
    unit is a unit of time, unless the description names others only (`times`: "Time (in minutes) ..., e.g. 30
    seconds" is Declined), or a word of `units`: of the example's sentence ("Maximum retry attempts ..., e.g. 3
    attempts"), or of the description where the example is a sentence of its own ("Contacts dialed at once. Example:
    20 contacts"). Other words stay, for the example to be refused as no number ("e.g. 3 apples")."""
    match = re.fullmatch(rf"(?P<n>{_NUMBER})\s+(?P<unit>[^\W\d_]+)", value)
    if match is None:
        return value
    unit = match["unit"].lower()
    if re.fullmatch(_TIME_UNIT, unit):
        if times and _time_unit(unit) not in times:
            raise Declined(f'"{value}" is in {_time_unit(unit)}s, where the description counts '
                           f'{" or ".join(sorted(f"{time}s" for time in times))}')
        return match["n"]
    return match["n"] if any(map(units, {unit, unit + "s", unit.removesuffix("s")})) else value


def _either_or(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    # "Must be either voice or sms or email", "... or sms (lowercase)": more follows the two values, which the enum
    # of two would drop without a word
    _list_alone(match)
    rest = match["rest"].strip()
    if rest and not re.fullmatch(r"\(case[- ]sensitive\)", rest, re.I):
        raise Declined(f'"{rest}" follows the two values')
    return [Constraint("enum", [typed(match["a"].strip(_QUOTES), type_), typed(match["b"].strip(_QUOTES), type_)])]


def _quoted_values(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """The values in quotes; Declined where more follows them in their sentence: "Use “voice” for voice campaigns." (a
    condition), "Use “voice” (or “sms” for sms campaigns)." (another value) were read as “voice” alone."""
    _list_alone(match)
    _nothing_after(match, "the values", r"\(case[- ]sensitive\)")
    return [Constraint("enum", _values_of(re.findall(_QUOTED, match["list"]), type_))]


def _nothing_after(match: re.Match[str], what: str, allowed: str = "") -> None:
    """Declined where words follow the match in its sentence (but a closing parenthesis, or `allowed`): "Must exist in
    the system for Progressive campaigns.", "At least one ... is required unless ..." were read whole, the condition
    dropped. Words a cue finds ("in E.164 format") are left to it: refused as they stand, or read by a rule."""
    ends = _SENTENCE_END.search(match.string, match.end())
    rest = " ".join(match.string[match.end() : ends.start() if ends else len(match.string)].split())
    if rest and not re.fullmatch(r"\)*" if not allowed else rf"\)*|{allowed}", rest, re.I) and (
            unread_constraint(rest) is None):
        raise Declined(f'"{rest}" follows {what} in their sentence, and may be another value or a condition, which '
                       f"{what} alone would drop")


def _bounds(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """Bounds on a length ("... 48 characters"), on an array's size, or else on a number's value. A string's
    bounds without "characters" stay minimum/maximum (a string of digits, or a length?), which _applies declines."""
    if type_.name == "array":
        _counted(match, type_)
    _bounds_alone(match)
    kind = "characters" if match["unit"] else type_.name
    low, high = _BOUND_KEYWORDS.get(kind, ("minimum", "maximum"))
    return [Constraint(low, number(match["min"])), Constraint(high, number(match["max"]))]


# Words before an array's bounds in their sentence that make them each item's ("Each value between 1 and 10"), and a
# word after them that makes them the number of items ("between 1 and 10 items"; of numbers, "1 and 10 dollars" or
# "points" would be a value's unit)
_EACH = re.compile(r"\b(?:each|every|any|all)\b", re.I)
_COUNTED = re.compile(r"\s+(?:items|entries|elements|values|numbers|integers)\b", re.I)
# A unit of measure that may end a field's name ("distancesMeters", "pricesCents"): after bounds, the values' unit
_UNIT = re.compile(r"percents?|points?|cents?|dollars?|euros?|pounds?|(?:kilo|centi|milli)?met(?:er|re)s|miles|feet"
                   r"|inches|(?:kilo|mega|giga)?bytes|degrees|grams|kilograms|lit(?:er|re)s|calories|units", re.I)


def _counted(match: re.Match[str], type_: TypeSpec) -> None:
    """Declined where an array's bounds may be other than its number of items: in characters or a unit of time (its
    items' length or value), after "each" in their sentence, or of an array of numbers (or of any items) without a
    word after them that says they count items ("Between 1 and 10." of a list of priorities: how many, or each one?).
    Read as minItems and maxItems, "Each value between 1 and 5" allowed a list of 9s and refused six values."""
    head = re.split(r"\.\s", match.string[max(0, match.start() - _SENTENCE_REACH) : match.start()])[-1]
    each = _EACH.search(head)
    if match["unit"]:
        raise Declined(f'"{match["unit"]}" measures a string, and the field is an array: its items\' length, which no '
                       "keyword of the array constrains (a [[set]] of the items' field, the name with [], gives it)")
    if match["time"]:
        raise Declined(f'"{match["time"]}" measures a value, and the field is an array: each item\'s value, or the '
                       "number of items?")
    if each:
        raise Declined(f'"{each[0]}" before them says they bound each item, and the rule reads an array\'s bounds as '
                       "its number of items")
    noun = re.match(r"\s+([^\W\d_]+)", match.string[match.end() :])
    named = noun and noun[1].lower() in _ITEMS_CALLED.get()
    counted = _COUNTED.match(match.string, match.end()) or named and not _UNIT.fullmatch(noun[1])
    if type_.items in ("integer", "number", None) and not counted:
        items = f"an array of {type_.items}s" if type_.items else "an array of any items"
        unit = (f' ("{noun[1]}" after them is in the field\'s name, and a unit of measure too)' if named else
                f' ("{noun[1]}" after them may be the value\'s unit; the field\'s name there counts items)' if noun else
                "")
        raise Declined(f"of {items} they may be each item's value or the number of items{unit}: say what they count, "
                       '"between 1 and 10 items"')


def _interval(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """Bounds of a number's value, each inclusive or exclusive as its bracket says. Declined where the brackets may
    be something else: on a field of another type (a list's items, a length?), in an example's sentence (a JSON
    array), or as "(0, 60)" with no word before it that says a range (a pair of numbers in parentheses)."""
    pair = match["open"] + match["close"] == "()" and not match["lead"]
    if type_.name not in ("integer", "number"):
        if pair:  # "Codes (1, 2)" of a string: prose, as it was
            return []
        raise Declined(f"an interval bounds a number's value, and the field is of type {type_.name}")
    if example_words.in_example(match.string, match.start()):
        raise Declined("it stands in an example, where it may be a JSON array")
    if pair:
        raise Declined('two numbers in parentheses may be a pair, not an interval: say "in (0, 60)" if it is one')
    _bounds_alone(match)
    low = "minimum" if match["open"] == "[" else "exclusiveMinimum"
    high = "maximum" if match["close"] == "]" else "exclusiveMaximum"
    return [Constraint(low, number(match["min"])), Constraint(high, number(match["max"]))]


def _max_length(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    _bounds_alone(match)
    return [Constraint("maxLength", number(match["n"]))]


# After bounds in their sentence: another number (a value besides them or an exception: "or 0 to disable", "; 0
# means unlimited", "except 50", "in steps of 5", "1 and 50 for sms"), a condition, or another measure ("unless
# ...", "for voice campaigns", "in preview mode", "(preview mode)", "per line", "each day", "a day", "excluding
# spaces", "(UTF-8 bytes)", ", but see below"); and anywhere in it, a hedge ("Usually between ...", "(approximately)").
# Read as the bounds alone, the schema refused values the page allows, or allowed values it refuses. ("in" a unit or
# "in length" says the bounds' own measure.)
_AFTER_BOUNDS = re.compile(r"\d+(?:[.,]\d+)*|\b(?:except|excluding|unless|when|if|only|per|for|multiples?|steps?"
                           r"|increments?|otherwise|any|truncated|trimmed|clamped|bytes?|words?|lines?|each|every|but"
                           r"|however|although|though|note|below|appl(?:y|ies|icable)|modes?|campaigns?|accounts?"
                           r"|plans?|tenants?|channels?)\b|\ban?\s+(?:day|week|month|year|hour|minute|second|call"
                           r"|contact|record|campaign)\b", re.I)
# (looked for last too: a verb that says what is done with so many, "Up to 64 characters are shown", "... can be
# stored", "after trimming": read as a limit, the schema refused what the page accepts)
_DONE_WITH = re.compile(r"\b(?:are|is|was|were|can|could|will|would|may|might|gets?|after|before|shown|displayed"
                        r"|stored|visible|saved|kept|trimming|truncating|enforced|checked|validated|where|wherever"
                        r"|whenever)\b", re.I)
# (looked for once nothing else is found: "in version 2 of the API" names the number)
_IN_A_CASE = re.compile(r"\bin\b(?!\s+(?:length|size|total|characters|milliseconds?|ms|seconds?|minutes?|hours?|days?)"
                        r"\b)", re.I)
_HEDGE = re.compile(r"\b(?:usually|typically|roughly|approximately|about|around|ideally|recommended|suggested"
                    r"|normally|generally|preferably|soft|where possible|if possible|advisory)\b", re.I)
_SENTENCE_REACH = 300  # characters looked at each side of the bounds: a sentence's words, not a long text's


def _bounds_alone(match: re.Match[str]) -> None:
    """Declined where the bounds' sentence says more of them than the bounds: a condition before them (or a label of
    a case, "Voice:"), words after them (_AFTER_BOUNDS) that no cue of UNREAD_CONSTRAINT finds ("and a minimum of 10
    characters" is refused as it stands), or a hedge (_HEDGE)."""
    _unconditional(match, labels=True)
    text, start, end = match.string, match.start(), match.end()
    head, rest = _sentence_around(match)
    looked = unrelated_numbers.blanked(rest, unrelated_numbers.REFERENCE)  # "(see section 3)"
    found = _AFTER_BOUNDS.search(looked) or _IN_A_CASE.search(looked) or _DONE_WITH.search(looked)
    if found and unread_constraint(rest) is None:  # (wording a cue finds is refused as it stands, or a rule reads it)
        # (named: "for" of "(see section 3 for exceptions)", not the section's number)
        found = _AFTER_BOUNDS.search(unrelated_numbers.blanked(rest, unrelated_numbers.REFERENCE, True)) or found
        rest = " ".join(rest.split())
        raise Declined(f'"{rest}" follows them in their sentence, and {_cause(found[0], rest)} may be another value, '
                       "a condition or another measure, which the bounds alone would drop")
    hedge = _HEDGE.search(f"{head} {rest}")
    if hedge:
        raise Declined(f'"{hedge[0]}" says the bounds may not hold')
    later = later_sentences.sentence_after(text, end, _bounds_said, _cued)
    if later:
        cause = _cause(later_sentences.cause(later), later)
        raise Declined(f'"{later}" follows them in the description, and {cause} may be another value or an exception, '
                       "which the bounds alone would drop")
    earlier = later_sentences.sentence_before(text, start, _bounds_said, _cued)
    if earlier:
        cause = _cause(later_sentences.cause(earlier), earlier)
        raise Declined(f'"{earlier}" comes before them in the description, and {cause} may be another value or an '
                       "exception, which the bounds alone would drop")


def _sentence_around(match: re.Match[str]) -> tuple[str, str]:
    """The words of `match`'s sentence before it and after it (each within _SENTENCE_REACH), as written."""
    text, start, end = match.string, match.start(), match.end()
    ends = _SENTENCE_END.search(text, end, end + _SENTENCE_REACH)
    return (re.split(r"\.\s", text[max(0, start - _SENTENCE_REACH) : start])[-1],
            text[end : ends.start() if ends else end + _SENTENCE_REACH])


def _cause(words: str, sentence: str) -> str:
    """Words of `sentence` that made bounds refused, quoted; a number that may be a section, a version or a year with
    the forms in which one is known to be no value of the field (unrelated_numbers)."""
    if not re.fullmatch(r"[-−]?\d[\d.,]*", words) or not _NAMED_NUMBER.search(sentence):
        return f'"{words}"'
    return (f'"{words}" (a number is known to be no value of the field only as a section, a version or a year said as '
            'in "see section 3", "version 2 of the API" or "added in 2024")')


# Words that may make a number in a sentence something other than a value of the field: a section's, a version's
_NAMED_NUMBER = re.compile(r"\b(?:version|v|section|chapter|appendix|figure|table|step|page|release|API|RFC)\b"
                           r"|§|\b(?:19|20)\d\d\b", re.I)


_BOUND_RULES = ("minimum-and-maximum", "between", "must-be-from-to", "range-to", "maximum-items", "interval",
                "maximum-characters", "at-most-characters", "values-above-rejected", "values-below-rejected",
                "lower-bound")


def _cued(sentence: str) -> bool:
    return unread_constraint(sentence) is not None


def _bounds_said(text: str) -> list[tuple[int, int]]:
    """Where `text` states bounds, as a rule that reads them finds them."""
    return [match.span() for rule in RULES if rule.name in _BOUND_RULES for match in rule.pattern.finditer(text)]


def _max_items(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """ "Maximum of 10 items." -> maxItems 10, of a list; Declined of another type (a string's items?)."""
    if type_.name != "array":
        raise Declined(f"it counts a list's items, and the field is of type {type_.name}")
    _bounds_alone(match)
    return [Constraint("maxItems", number(match["n"]))]


def _lower_bound(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """ "Must be at least 1" -> minimum 1, "Must be greater than 0" -> exclusiveMinimum 0: a number's lower bound.
    Declined on a list (each item's value, or the number of items?); on a string, _applies declines it."""
    if type_.name == "array":
        raise Declined("of an array it may bound each item's value or the number of items")
    _bounds_alone(match)
    return [Constraint("minimum" if match["side"].lower() == "at least" else "exclusiveMinimum", number(match["n"]))]


def _rejected_beyond(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """ "Values above 100 are rejected" -> maximum 100, "Values below 1 are rejected" -> minimum 1: the bound itself is
    allowed. Declined on a list (each item's value, or the number of items?); on a string, _applies declines it."""
    if type_.name == "array":
        raise Declined("of an array they may bound each item's value or the number of items")
    _bounds_alone(match)
    _rejected_alone(match)
    keyword = "minimum" if match["side"].lower() in _BELOW else "maximum"
    return [Constraint(keyword, number(match["n"]))]


def _rejected_alone(match: re.Match[str]) -> None:
    """Declined where other words share the sentence of "Values above 100 are rejected": "by the UI, but the API
    accepts them", "in the sandbox", "Odd values ..." or "When dialing, ..." say which values, by whom or when, which
    the bound alone would drop (but for a cross-reference after it, "(see section 3)")."""
    head, rest = _sentence_around(match)
    head = " ".join(head.split())
    rest = " ".join(rest[_POINTER.match(rest).end() if _POINTER.match(rest) else 0 :].split()).lstrip(",;: ")
    if head or rest:
        words, where = (f"{head} ...", "comes before") if head else (rest, "follows")
        raise Declined(f'"{words}" {where} them in their sentence, and may say which values are rejected, by what or '
                       'when: the rule reads "Values above 100 are rejected." as a sentence of its own')


_BELOW = ("below", "under", "less than", "lower than", "smaller than", "fewer than")


def _min_items(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    _unconditional(match)
    _nothing_after(match, "the words")
    _always(match)
    return [Constraint("minItems", 1)]


def _required(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    _always(match)
    return [Constraint("required", True)]


def _required_or_optional(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    if match["pointer"]:  # "Required (see below).": dropped, the field stayed as the type cell said
        raise Declined(f'"{match["pointer"].strip()}" after it may point at a case it does not hold in')
    _always(match)
    return [Constraint("required", match["word"].lower() != "optional")]


def _always(match: re.Match[str]) -> None:
    """Declined where another sentence of the description says a case the words do not hold in: "At least one contact
    list name is required. Not needed for Agentless." was minItems 1 for every campaign."""
    beside = later_sentences.beside(_written(match), match.string, match.start(), match.end(),
                                    later_sentences.SAYS_OTHERWISE, _REQUIRED_ALONE.fullmatch)
    if beside:
        sentence, words = beside
        raise Declined(f'"{sentence}" stands beside it in the description, and "{words}" may say a case it does not '
                       "hold in, which the rule alone would drop")


# A sentence that says required or optional alone: beside another, the rule reads both (the same) or refuses them (two)
_REQUIRED_ALONE = re.compile(r"(?:(?:this|the) (?:field|parameter|property|value|header) is |it is )?(?:always )?"
                             r"(?:required|mandatory|optional)", re.I)


def _one_form(match: re.Match[str], what: str) -> None:
    """Declined where the description says another form of the value than the format (`what`), in the format's
    sentence or another: "Campaign creation timestamp. (ISO 8601) Or epoch seconds." was a date-time alone."""
    head, rest = _sentence_around(match)
    found = later_sentences.SAYS_ANOTHER_FORM.search(rest.strip()) or later_sentences.SAYS_ANOTHER_FORM.search(head)
    if found:
        raise Declined(f'"{" ".join(found[0].split())}" in its sentence may say another form of the value than '
                       f"{what}, which the format alone would drop")
    beside = later_sentences.beside(_written(match), match.string, match.start(), match.end(),
                                    later_sentences.SAYS_ANOTHER_FORM)
    if beside:
        sentence, words = beside
        raise Declined(f'"{sentence}" stands beside it in the description, and "{words}" may say another form of the '
                       f"value than {what}, which the format alone would drop")


def _reference(kind: str) -> Builder:
    def build(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
        # The element must exist: for a list of names, each item.
        _unconditional(match)
        _nothing_after(match, "the words")
        _always(match)
        return [Constraint("x-reference", kind, "[]" if type_.name == "array" else "")]

    return build


def _day_codes(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    if match["open"]:
        raise Declined(f'"{match["open"].strip(" ,")}" says the list does not name every day')
    return [Constraint("enum", list_items(match["list"]))]


def _clock_time(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    # "(hh:mm am/pm)" or "(hh:mmAM/PM)" says another form than the pattern's "9:00 AM", the one the mock reads.
    if not re.search(r"(?i:mm) AM/PM", match[0]):
        raise Declined(f'"{match[0].strip("()")}" is not the form the pattern reads, "hh:mm AM/PM" (a space, then AM '
                       "or PM in capitals)")
    return [Constraint("pattern", CLOCK_TIME_PATTERN)]


def _clock_time_example(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    # The page's own time ("9:00 AM") is the example an error message shows, rather than the pattern; a time in
    # another form ("9:00AM", "9:00 am") would be an example its own pattern refuses, and the mock reads one form.
    # Two times joined by "and" are two examples ("9:00 AM and 6:00 PM are examples"), and a range only after
    # "between" in their sentence ("between the hours 9:00 AM and 6:00 PM").
    if match["bound"] or match["open"] or match["range"] and not (match["also"] and not _after_between(match)):
        raise Declined(f'"{" ".join(match[0].split())}" bounds the time: the pattern reads its form alone, and no '
                       "keyword compares clock times")
    times = re.findall(_CLOCK, match[0], re.I) if match["also"] else [match[0]]
    for time in (time.strip(_QUOTES + " ") for time in times):
        if not re.fullmatch(CLOCK_TIME_PATTERN, time):
            raise Declined(f'"{time}" is not in the form the pattern reads, "9:00 AM" (a space, then AM or PM in '
                           "capitals)")
    return [Constraint("pattern", CLOCK_TIME_PATTERN),
            Constraint("examples", [time.strip(_QUOTES + " ") for time in times])]


def _after_between(match: re.Match[str]) -> bool:
    """ "between" stands before the match in its sentence: "and" then joins the bounds of a range."""
    sentence = re.split(r"\.(?=\s)", match.string[: match.start()])[-1]
    return re.search(r"\bbetween\b", sentence, re.I) is not None


def _letter_code(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    # "(2-letter)" says the value's form, as "(hh:mm AM/PM)" does; it says nothing of case ("MO", "mo" alike).
    return [Constraint("pattern", f"^[A-Za-z]{{{int(match['n'])}}}$")]


def _time_zone(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    if type_.name == "string":  # (of another type, _applies declines the format itself)
        _one_form(match, "an IANA time zone's name")
    return [Constraint("format", TIME_ZONE_FORMAT)]


def _date_time(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    if type_.name == "string":
        _one_form(match, "an ISO 8601 date and time")
    return [Constraint("format", DATE_TIME_FORMAT)]


def _open_ended(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    # "First In First Out (FIFO), Last In First Out (LIFO), etc." lists examples, not every value.
    # Codes are words: of a number or boolean field, _example declines them.
    codes = re.findall(r"[A-Z][A-Z0-9_]+", match["codes"]) if match["codes"] else re.findall(
        r"\(([A-Z][A-Z0-9_]*)\)", match["list"])
    return [Constraint("examples", [_example(code, type_) for code in codes])]


def _item_properties(match: re.Match[str], type_: TypeSpec) -> list[Constraint]:
    """ "Each object should include: • day: 'MO', ... • start: "9:00 AM" • end: ..." -> required item
    properties, each with the constraints its own bullet states. Declined where a property's bullet lists
    properties of its own: the property is read as a string, and a list of them nested a few hundred deep took
    Python past its recursion limit."""
    body = match["body"]
    nested = _EACH_INCLUDES.search(body)
    if nested:
        raise Declined(f'"{" ".join(nested[0].split())}" lists the properties of a property, and the rule reads the '
                       "properties of the items alone")
    if "•" in body:
        bullets = body.split("•")
    else:  # an export's bullets in one line, "- day: ... - start: ...", or a list of names, "day, start and end"
        bullets = _INLINE_BULLET.split(body) if _INLINE_BULLET.search(body) else re.split(r",|\band\b", body)
    found: list[Constraint] = []
    for bullet in bullets:
        item = re.match(r"\s*([A-Za-z_]\w*)\s*:?\s*(.*)", bullet, re.S)
        if item is None:
            continue
        target = f"[].{item[1]}"
        found += [Constraint("type", "string", target), Constraint("required", True, target)]
        own = apply(item[2], TypeSpec("string"))
        quoted = re.match(rf"\s*([{_QUOTES}][^{_QUOTES}]*[{_QUOTES}])", item[2])
        if quoted and not own:  # what the field holds, as the page quotes it ("9:00 AM"), and no rule reads it
            raise UnreadPhrase(f"{item[1]}: {quoted[1]}")
        found += [replace(c, target=target + c.target) for c in own]
    return found


# A bullet other than "•" before a property's name and colon, as a cell shows a list written on one line.
_INLINE_BULLET = re.compile(r"(?:^|\s)[-*·◦▪‣]\s+(?=[A-Za-z_]\w*\s*:)")


def _rule(name: str, pattern: str, build: Builder, flags: int = re.I, every: bool = False,
          starts: Callable[[str, int], Iterator[int]] | None = None) -> PhraseRule:
    compiled = re.compile(pattern, flags)
    return PhraseRule(name, Anchored(compiled, starts) if starts else compiled, build, every)


def _list_starts(text: str, pos: int) -> Iterator[int]:
    places = _list_places(text)
    return iter(places[bisect_left(places, pos):])


@lru_cache(maxsize=4)
def _list_places(text: str) -> list[int]:
    """Where a list of names with codes ("First In First Out (FIFO), ..., etc.") may start: the text's start, and after
    a period, a colon or a parenthesis, but not the parenthesis that closes a code: a list from there is the one from
    before the code's name, and tried from each code too, a long list was looked through as many times as it has
    codes."""
    codes = {match.end() for match in re.finditer(r"\([A-Z][A-Z0-9_]*\)", text)}
    return [0, *(match.end() for match in re.finditer(r"[.:()]", text) if match.end() not in codes)]


# A value in quotes, as a description quotes one: "voice", “voice”, 'voice'.
_QUOTED = r"[\"“'‘]([^\"”'’]+)[\"”'’]"
# The end of a list of values: the list's end, or a note that it is case-sensitive, which every enum is.
_VALUES_END = r"(?:\s*\(case[- ]sensitive\))?" + _LIST_END
_CLOCK = r"[\"“]?\b(?:1[0-2]|0?[1-9]):[0-5]\d ?(?:AM|PM)\b[\"”]?"
# Words before a clock time that make it a bound of the value, not its form or an example of it.
_TIME_BOUND = (r"(?:between|from|after|before|until|till|through|since|by|(?:no|not) (?:later|earlier|sooner) than"
               r"|not (?:before|after)|at or (?:after|before)|(?:at the )?(?:earliest|latest)|(?:starting|ending) (?:at"
               r"|from|by)|up to)")
# "[1, 100]", "(0, 60]": two numbers in brackets, not a list's index ("ids[1, 2]") nor part of a longer list or call
_INTERVAL = (r"(?<![\w\]])(?P<open>[\[(])\s*(?P<min>-?\d+(?:\.\d+)?)\s*,\s*(?P<max>-?\d+(?:\.\d+)?)\s*"
             r"(?P<close>[\])])(?![\w\[(])")
# What a value beyond a bound is said to be, "are rejected": no value past it is allowed
_REJECTED = (r"(?:are|is|will be)\s+(?:rejected|refused|invalid|disallowed|not (?:allowed|accepted|permitted|valid))"
             r"\b")
# "Example: FIFO", "e.g. FIFO", "(e.g. FIFO)", "for example, FIFO": a list in parentheses ends with them
_EXAMPLE = (r"(?:\bexamples?:|\be\.\s?g\.?(?=[\s,:])|\bfor example\b)[,:]?\s*(?![\s,:])"  # not ":" alone
            r"(?P<list>(?:[^()]|\([^()]*\))+?)(?:(?<=\()(?=\))|(?=\))|" + _LIST_END + ")")
_NOT_A_DAY = r"(?!(?:" + "|".join(DAY_CODES) + r")\b)"
_DAY = r"[" + _QUOTES + r"]?\b(?:" + "|".join(DAY_CODES) + r")\b[" + _QUOTES + r"]?"

_EACH_INCLUDES = re.compile(r"\beach (?:object|item|entry) (?:should|must) (?:include|contain|have)", re.I)

RULES: list[PhraseRule] = [
    _rule("each-object-includes", _EACH_INCLUDES.pattern + r":?(?P<body>.+)$", _item_properties),
    # "Example: FIFO. For example, LIFO.": each sentence's examples
    _rule("example", _EXAMPLE, _examples_of_list, every=True),
    # "...: First In First Out (FIFO), Last In First Out (LIFO), etc." or "...: FIFO, LIFO, etc.", codes in capitals
    # (day codes are the rule "day-codes"'s, which refuses them: a list of days that names only some)
    # (each name runs from the code before it, no parenthesis in it: "(?:[^.:]*\(X\),?\s*)+" split the words between
    # codes every way it could, and a dozen codes with no "etc." after them took minutes)
    # (a list starts where a run of its name's characters does: from inside one, each place looked to the run's end)
    _rule("open-ended-list", r"(?:^|(?<=[.:()]))(?P<list>(?:[^.:()]*+\([A-Z][A-Z0-9_]*\))++),?\s*etc\."
          r"|(?<=:)\s*(?P<codes>(?:" + _NOT_A_DAY + r"[A-Z][A-Z0-9_]+\b,\s*)*" + _NOT_A_DAY
          + r"[A-Z][A-Z0-9_]+\b,?\s*)etc\.", _open_ended, flags=0, starts=_list_starts),
    _rule("one-of-the-following",
          r"\bone of the following(?: values| options| choices)?:?\s*(?P<list>.+?)" + _VALUES_END, _enum_of_list),
    # "Any of the following values: voice, sms.", "Can be any of: voice, sms." (of a list, its items'); not "Must not
    # contain any of the following: <, >", which names values refused, or characters a string may hold
    _rule("any-of-the-following", r"\bany of(?: the following(?: values| options| choices)?:?|:)\s*(?P<list>.+?)"
          + _VALUES_END, _any_of_list),
    # "Valid values are: ...", "Possible values are A and B", "Allowed values: ..." (not "... include", which may
    # name only some)
    _rule("valid-values-are", r"\b(?:valid|allowed|accepted|acceptable|permitted|possible|supported) values"
          r"(?:\s+are:?|:)\s*(?P<list>.+?)" + _VALUES_END, _enum_of_list),
    _rule("must-be-one-of", r"\bmust be one of:\s*(?P<list>.+?)" + _VALUES_END, _enum_of_list),
    _rule("must-be-either", r"\bmust be either\s+(?P<a>[^\s,.]+)\s+or\s+(?P<b>[^\s,.]+)(?P<rest>[^.]*)", _either_or),
    # "Use “voice”", "Use “voice” or “sms”"; not when more follows that is not in quotes ("or sms"): left to refuse
    _rule("use-literal", rf"\buse\s+(?P<list>{_QUOTED}(?:\s*(?:,\s*(?:or\s+)?|or\s+){_QUOTED})*)"
          r"(?!\s*(?:,|\b(?:or|and)\b))", _quoted_values),
    # "Indicates the overall response status: “success” or “failure”.": the values after a colon, each in quotes as
    # "use-literal" reads them, the last joined by "or", to the end of the sentence; one alone is left to refuse
    _rule("quoted-values", rf"(?<=:)\s*(?P<list>{_QUOTED}(?:\s*,\s*{_QUOTED})*\s*+,?\s*+\bor\s+{_QUOTED})"
          r"(?=\s*(?:\(case[- ]sensitive\))?" + _LIST_END + ")", _quoted_values),
    # "Minimum is 1 and maximum is 100", "Minimum 1, maximum 100", "Minimum: 1; maximum: 100"
    _rule("minimum-and-maximum", rf"\bminimum(?: is|:)? (?P<min>{_NUMBER})(?:,| and|;|, and)? maximum(?: is|:)? "
          rf"(?P<max>{_NUMBER}){_LENGTH_UNIT}{_INCLUSIVE}", _bounds),
    # "between 1 and 100", "a value between 1 and 100" (after "must be", whose cue needs a word after the article; not
    # "an integer between": of a number field, the words say more than the bounds)
    _rule("between", rf"\b(?:a value )?between (?P<min>{_NUMBER}) and (?P<max>{_NUMBER})"
          rf"{_LENGTH_UNIT}{_INCLUSIVE}", _bounds),
    # "Must be from 1 to 100", "Value must be from 1 to 100 characters": after "must be" alone (a sentence that starts
    # "From 1 to 5" may go on "... calls a minute")
    _rule("must-be-from-to", r"(?:(?<=\bmust be )|(?<=\bshould be )|(?<=\bshall be ))"
          rf"from (?P<min>{_NUMBER}) to (?P<max>{_NUMBER})"
          rf"{_LENGTH_UNIT}{_INCLUSIVE}", _bounds),
    # "Range 1 to 100", "Range: 1 to 100", "The range is from 1 to 100" (not "1–100" nor "1-100": a pair of numbers
    # with a dash may be other things, and stays refused; nor after a word that may name a case, "Voice range: ...")
    _rule("range-to", r"(?:(?<![\w,] )(?<![\w,])|(?<=\bthe )|(?<=\ballowed )|(?<=\bvalid )|(?<=\bcan )|(?<=\bmay )"
          rf"|(?<=\bmust )|(?<=\bvalues ))range(?: is|:)? (?:from )?(?P<min>{_NUMBER}) to (?P<max>{_NUMBER})"
          rf"{_LENGTH_UNIT}{_INCLUSIVE}", _bounds),
    # "in [1, 100]", "(0, 60]": interval notation, a square bracket an inclusive bound, a parenthesis an exclusive one
    _rule("interval", rf"(?P<lead>\b(?:in|within|(?:in\s+)?(?:the\s+)?(?:range|interval)(?:\s+of)?:?)\s+)?{_INTERVAL}",
          _interval),
    _rule("maximum-characters", rf"\bmaximum of (?P<n>{_NUMBER}) characters", _max_length),
    _rule("maximum-items", rf"\bmaximum of (?P<n>{_NUMBER}) (?:items|entries|elements)\b", _max_items),
    # "Must not exceed 64 characters.", "Up to 64 characters.", "Maximum length is 64 characters." (not "chars", nor
    # "up to and including")
    _rule("at-most-characters", r"\b(?:(?:must|should|shall|cannot|can['’]t|may) not exceed|up to|maximum length is)"
          rf" (?P<n>{_NUMBER}) characters\b", _max_length),
    # "Values above 100 are rejected", "Values less than 1 are not allowed": the value's bound, itself allowed (one rule
    # for each side, so that both sides are read, and one side said twice is read once or refused)
    _rule("values-above-rejected", rf"\b(?:values?|numbers?)\s+(?P<side>above|over|greater than|higher than|larger than"
          rf"|more than)\s+(?P<n>{_NUMBER})\s+{_REJECTED}", _rejected_beyond),
    _rule("values-below-rejected", rf"\b(?:values?|numbers?)\s+(?P<side>below|under|less than|lower than|smaller than"
          rf"|fewer than)\s+(?P<n>{_NUMBER})\s+{_REJECTED}", _rejected_beyond),
    # "Must be at least 1.", "Must be greater than 0.", "Greater than 0.": after "must be" or as a sentence's start
    # alone ("Values greater than 100 are ignored" says what is done with others), a number with no word after it
    # ("at least 2 contact list names": of what?)
    _rule("lower-bound", r"(?:\b(?:must|should|shall) be |^|(?<=[.;(]\s)|(?<=\())(?P<side>at least|greater than)"
          rf" (?P<n>{_NUMBER})(?!\s*[^\W\d_])", _lower_bound),
    # (each "at least one" looked to the end of its sentence: the Scan finds the "is required" after it)
    _rule("at-least-one", r"\bat least one\b[^.]*?\bis required", _min_items,
          starts=scanned(Scan(r"\bat least one\b", r"\bis required"))),
    # "Required for Progressive dialing.", a sentence that starts with it (not "Not required for ...", a condition,
    # nor "Whether a queue is required for ...", a question a flag answers)
    _rule("required-for", r"(?:^|(?<=[.;]\s)|(?<=\())(?:(?:this|the) (?:field|parameter|property|value|header) is "
          r"|it is )?required for [^.]*", _required),
    # "Required.", "This field is mandatory.", "(optional)": a sentence of its own that says it, as a type cell does
    _rule("required-or-optional", r"(?:^|(?<=[.;]\s)|(?<=\())(?:(?:this|the) (?:field|parameter|property|value|header)"
          r" is |it is )?(?:always )?(?P<word>required|mandatory|optional)(?P<pointer>\s*\(\s*(?:see|refer)\b[^()]*\))?"
          r"(?=\s*(?:[.;)]|$))", _required_or_optional),
    _rule("must-exist", r"\bmust exist in the system", _reference("exists")),
    _rule("verified-number", r"\bmust be a verified (?:phone )?number", _reference("verified")),
    # "MO, TU, WE, TH, FR, SA or SU": the last joined by "or" or "and" too (it was left out of the enum); "MO, TU,
    # WE, etc." names only some, and is declined
    _rule("day-codes", rf"(?P<list>{_DAY}(?:(?:\s*,\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+){_DAY}){{2,}})"
          r"(?P<open>\s*+,?\s*+(?:etc\b\.?|and so on\b|(?:and|&|or) (?:many )?(?:more|others)\b|among others\b"
          r"|\.\.\.|…))?",
          _day_codes, flags=0),
    # Any case and spacing, so that a time in another form than the pattern's is declined, and refused; with the
    # words that make it a bound ("no later than 6:00 PM", "between 9:00 AM and 6:00 PM"), declined too.
    _rule("clock-time", rf"(?P<bound>\b{_TIME_BOUND}\s+(?:at\s+)?)?{_CLOCK}"
          rf"(?P<range>\s*(?:-|–|—|\bto\b|\b(?P<also>and)\b|\buntil\b|\btill\b|\bthrough\b)\s*{_CLOCK})?"
          r"(?P<open>\s+or\s+(?:later|earlier|after|before)\b)?", _clock_time_example, every=True),
    _rule("clock-time-form", r"\(?\bhh:mm ?AM/PM\)?", _clock_time),
    _rule("letter-code", r"\((?P<n>[1-9]\d?)-letter\)", _letter_code),  # "Day of the week. (2-letter)"
    # The value is a time zone when the description starts by saying so ("Timezone in which calling hours are
    # defined"); "Display label shown for the time zone" or "dial each contact in their own time zone" is prose.
    _rule("time-zone", r"^(?:(?:the|an?)\s+)?(?:IANA\s+)?time ?zone\b(?!\s+(?:label|offset|abbreviation|display)\b)",
          _time_zone),
    _rule("iso-8601-time", r"\(ISO[- ]?8601\)", _date_time),  # "(ISO-8601)" too
]

# ---------------------------------------------------------------- wording no rule read

# A sentence runs on through a period inside a word or number ("Kore.ai", "0.5", "max. 48"): only a period
# before a space or the end ends it.
_SENTENCE = r"(?:[^.]|\.(?=\S))"
_SOME_NUMBER = r"(?:\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
_LIMIT_WORDS = (r"(?:must|should|shall|cannot|can't|may) not exceed|exceed(?:s|ing)?|maximum|minimum|max|min|"
                r"at most|at least|up to|no more than|no less than|not more than|not less than|fewer than|"
                r"less than|more than|greater than|limit(?:ed)?(?: to)?|between|range")


# An item of a list of values as written: a word, in quotes or not ("voice", “voice”, +05:30 is no item); a code.
_ITEM = r"[\"“'‘]?[\w+-]+[\"”'’]?"
_CAPS = r"(?-i:\b[A-Z][A-Z0-9_]+\b)"
# A value's code in parentheses after its name, "(FIFO)", in capitals whatever the case of the cues around it.
_CODE = r"\((?-i:[A-Z][A-Z0-9_]*)\)"


def _cue(pattern: str | Scan | Run | Either) -> re.Pattern[str] | Scan | Run | Either:
    # The phrase quoted is the cue and the rest of its sentence (_cues finds where the sentence ends).
    return re.compile(pattern, re.I) if isinstance(pattern, str) else pattern


# Where a sentence ends: at a period before a space or the end (see _SENTENCE)
_SENTENCE_END = re.compile(r"\.(?!\S)")


# Words that name a form of value. Alone they name a thing ("Email of the owner", "UUID of the list"); they ask for
# the form only in a construction: "a valid email", "UUID format", "in E.164 format", "Format: ...".
_FORM_WORD = r"(?:e-?mail|UUID|GUID)"
# Characters as a value's form is said in them: "digits only", "without special characters".
_CHARS = (r"(?:(?:lower-?case|upper-?case|numeric|alphabetic|ascii)\s+)?"
          r"(?:digits?|numbers|letters|alphabets?|characters|lower-?case|upper-?case)")
_BARE_CHARS = r"(?:any\s+)?(?:spaces?|whitespace|special characters?|alphabets?|letters|digits?|symbols?)"
# A statement of what is done with a kind of value ("Empty values are not allowed", "Duplicates are ignored"),
# unless a question asks it ("Whether duplicate contacts are allowed": a flag's meaning).
_NOT_ASKED = r"(?<!whether )(?<!whether the )(?<!whether any )(?<!if )"
_TREATED = (r"(?:\s+[\w-]+){0,2}?\s+(?:(?:is|are|will be)\s+(?:not\s+)?(?:allowed|accepted|permitted|rejected|refused"
            r"|invalid|ignored|removed|dropped|merged|skipped)|not\s+(?:allowed|accepted|permitted)|disallowed"
            r"|rejected|refused)\b")


# Once the rules have consumed what they read, any of these left in a description is a constraint no rule
# understood: the generator refuses it (UnreadPhrase) instead of dropping it. In order: the first that
# matches names the phrase. Calibrated both ways (tests/test_spec_phrases.py): nothing the vendored page says
# fires, nor a word of form or state that only names a thing ("Email of the owner", "Count of duplicate contacts"),
# while each wording that asks something does. A new rule in RULES makes its wording pass.
UNREAD_CONSTRAINT: list[re.Pattern[str] | Scan | Run | Either] = [_cue(pattern) for pattern in (
    # a limit word with a number in the same sentence: "up to 48", "min 5 max 120", "maximum of <b>48</b>"
    rf"\b(?:{_LIMIT_WORDS})\b\.?(?:(?!{_SOME_NUMBER}){_SENTENCE}){{0,40}}?{_SOME_NUMBER}",
    r"\bfrom\s+-?\d[\d,.]*(?:\s*\([^)]*\))?\s+(?:to|through|until)\s+-?\d",  # "from 1 to 1440", "from 1 (lowest) to 5"
    # "5-120", "1 - 48", "5 to 120": a range as a pair of numbers (not a date, "2025-12-04", "+1-816-555-0100", nor a
    # standard's part, "ISO 3166-1")
    r"(?<![\w.,+\[-])(?<!\bISO )\d[\d,]*(?:\.\d+)?\s*(?:-|\s(?:to|through)\s)\s*\d[\d,]*(?:\.\d+)?"
    r"(?![\w:/\]]|\.\d|\s*-\s*\d)",
    # (a number's digits, commas and periods a Run: "1.1.1..." looked from each digit to the end of all of them)
    Run(r"\b\d", r"\d,.", r"\s*(?:characters?|chars?)\b"),  # "48 characters"
    r"\b\d+[-–—](?:letters?|digits?|characters?|chars?)\b",  # "a 48-character limit", "a 3-letter code", "(2–letter)"
    # "10 or fewer", "Values of 100 and above are rejected"
    Run(r"\b\d", r"\d,.", r"\s+(?:or|and)\s+(?:fewer|less|more|greater|above|below|higher|lower|over|under)\b"),
    # "Values over 100 are ignored", "Anything above 100 is rejected"
    r"(?:\b(?:values?|numbers?|anything)\s+)?\b(?:above|below|over|under|beyond|exceeding)\s+-?\d",
    Run(r"\b\d", r"\d,.", r"\s*(?:–|—|\.\.)\s*-?\d", inside=r"\.\."),  # "1–1440", "1..1440"
    # "[1, 100]", "(0, 60]" the rule "interval" did not read (not "(1, 2)", which of a string field is prose)
    r"(?<![\w\]])(?:\[\s*-?\d[\d.]*\s*,\s*-?\d[\d.]*\s*[\])]|\(\s*-?\d[\d.]*\s*,\s*-?\d[\d.]*\s*\])(?![\w\[(])",
    r"(?<![\w/\"'])(?:<=?|>=?|≤|≥)\s*-?\d",  # "<= 120"
    Scan(r"\b(?:must|should|shall) be\b", r"[\d\"“'‘`]"),  # "must be 5", "must be 'E.164'"
    r"\b(?:valid|allowed|accepted|acceptable|permitted|possible|supported) (?:values?|options?|choices?)\b",
    r"\b(?:values?|options?|choices?)(?:\s+(?:are|include))?\s*:",  # "Values: A, B"
    Scan(r"\bone of\b", r",|\bor\b"),  # "one of A, B or C"
    # "Any of: A, B", "All of the following: A, B", "Any combination of A and B", "Any of these: A, B": the values of a
    # list no rule read
    r"\b(?:any|all)(?:\s+combination)?\s+of(?:\s+the\s+following)?(?:\s+(?:values|options|choices))?\s*:"
    r"|\b(?:any|all)\s+of\s+the\s+following\b|\bany\s+combination\s+of\b|\b(?:any|all)\s+of\s+(?:these|those)\s*:",
    Scan(r"\beither\b", r"\bor\b"),  # "either voice, sms or email"
    r"\bmust (?:already )?exist\b",  # "Must exist in the account"
    r"\bmust be (?:an? )?(?:existing|registered|verified)\b",
    # what a value must be, said in words: "must be voice or sms", "must be unique", "cannot be empty", "must be a
    # positive integer" (not "must be a" left before a phrase a rule read: an article needs a word after it)
    r"\b(?:must|should|shall|cannot|can't|may not)(?: not)?(?: only| always)? be\s+(?:(?:an?|the)\s+)?"
    r"(?!(?:an?|the)\b)[a-z]",
    Scan(r"\bcan be\b", r"\bor\b"),  # "can be voice or sms"
    r"\buse\s+[\"“'‘]",  # "Use “voice” or sms": quoted values the rule "use-literal" did not read
    # one value said to be the only one, "Always “success” on a 200", "is always true": a constant (on a condition?)
    Either(re.compile(
        r"""\balways\s+(?:(?:be|equals?|equal to|is)\s+)?(?:["“'‘]|(?:true|false|-?\d)\b|(?-i:[A-Z][A-Z0-9_]+\b))"""
        # "Always voice." (and "Always `voice`.", whose backticks are gone before the rules run), a sentence of one
        # word after it; not "Always returned.", "Always sent.": what is done with the field
        r"|(?:^|(?<=[.:;]\s))always\s+(?:(?:be|equals?|equal to|is)\s+)?"
        r"(?!\w+ed\b|(?:sent|set|shown|given|known|present|there|here)\b)[\w+-]+\s*(?=[.;]|$)", re.I),
        # a value for a case, "“success” on success, “failure” otherwise", "“voice” when ...": a constant on a
        # condition (the value in quotes, {_QUOTED}, a Run: an opening quote never closed was looked past to the end
        # of the text from each one)
        Run(r"(?:^|(?<=[.:;]\s))[\"“'‘]", "^\"”'’", r"[\"”'’]\s+(?:on|when|if|for|unless)\b", least=1),
        Run(r"[\"“'‘]", "^\"”'’", r"[\"”'’]\s*+,?\s*+(?:otherwise|else)\b", least=1)),
    # names each with a code in parentheses as a closed list, "First In First Out (FIFO) or Last In First Out (LIFO)":
    # the value may be the name or the code ("open-ended-list" reads the codes of one that ends in "etc." as examples)
    rf"(?<=:)[^.:(),]*{_CODE}(?:(?>\s*,\s*(?:or\s+)?|\s+or\s+)[^.:(),]*{_CODE})+"
    rf"|{_CODE}\s*+,?\s*+or\s+[^.:(]*{_CODE}",
    # a closed list after a colon or a dash, of words, quoted values or codes: "Type of campaign: voice or sms",
    # "Channel — voice or sms", "Dialing order: FIFO/LIFO", "Status: success | failure" (and "Dialing order: FIFO,
    # LIFO", below); codes joined by "or" ending a sentence, "Dialing order, FIFO or LIFO"
    # (to the sentence's end, or words after a comma or in parentheses: "..., depending on the plan", "(voice only)")
    rf"(?:(?<=:)|(?<=\s[-–—]))\s*(?!(?:true|false)\s+or\s+(?:true|false)\b){_ITEM}(?:\s*,\s*{_ITEM})*(?:(?:\s*+,)?\s++or\s+|\s*[/|]\s*){_ITEM}(?:\s*[/|]\s*{_ITEM})*\s*(?=[.;,(]|$)"
    rf"|{_CAPS}(?:\s*+,)?\s++or\s+{_CAPS}\s*(?=[.;]|$)"
    # a sentence that is a list of words alone, "Type of campaign. voice or sms." (not "True or false.": a boolean's),
    rf"|(?:^|(?<=[.:;]\s))(?!(?:true|false)\s+or\s+(?:true|false)\b){_ITEM}(?:\s*,\s*{_ITEM})*(?:\s*+,)?\s++or\s+{_ITEM}"
    r"\s*(?=[.;]|$)"
    # "Supports voice and sms.", "Supported types: voice and sms.": the values said in words, joined by "and"
    rf"|\bsupport(?:s|ed)?\b[^.:]{{0,40}}?:?\s+{_ITEM}(?:\s*,\s*{_ITEM})*(?:\s*+,)?\s++(?:and|or)\s+{_ITEM}\s*(?=[.;]|$)",
    # one value said to be the one: "Only “Progressive”", "Only Progressive.", "Progressive only.", "Constant: voice",
    # "Hard-coded to voice", "Must equal voice", "Equals voice.", "Takes the value “voice”", "Send “voice”", "voice
    # (default) or sms", "Supported: voice"
    r"""\bonly\s+["“'‘]|(?:^|(?<=[.:;]\s))only\s+\S+\s*(?=[.;]|$)|(?:^|(?<=[.:;]\s))["“'‘]?[\w-]+["”'’]?\s+only"""
    r"(?=\s*(?:[.;]|$))|\bconstant\s*:|\bhard-?coded\b|\bfixed\s+(?:to|at|as)\b|\b(?:must|should|shall)\s+equal\b"
    r"""|\bequals?\s+(?:to\s+)?(?:["“'‘]|\S+\s*(?=[.;]|$))|\(default\)"""
    # (not "Pass “true” to enable ...": what a value does, as "Set to true to enable ...")
    rf"|(?:\bthe value|\b(?:send|pass|enter|specify|supply))\s+{_QUOTED}(?!\s+(?:to|if|when)\b)"
    r"|\b(?:allowed|accepted|acceptable|permitted|possible|supported|valid)\s*:",
    # quoted values joined by "or" that no rule read: "Status is “success” or “failure”", "(“voice” or “sms”)"; an
    # apostrophe between letters is no closing quote ("“don’t” or “do”" was dropped); a value is 200 characters at
    # most, so that an opening quote never closed is not looked past to the end of the text from each one
    r"(?:\b\w+\s+\(?)?(?<!\w)[\"“'‘](?:[^\"”'’]|(?<=\w)['’](?=\w)){1,200}[\"”'’]\s*+,?\s*+\bor\s+[\"“'‘]",
    # a clock time or form in another form than the clock pattern's ("9:00am", "(hh:mm am/pm)"), which the clock
    # rules decline (one in the pattern's form is theirs: said twice, the refusal is "say it once")
    r"(?-i:[\"“]?\b(?:1[0-2]|0?[1-9]):[0-5]\d(?! [AP]M\b) ?[AaPp][Mm]\b|\(?\b[Hh][Hh]:[Mm][Mm](?! AM/PM)"
    r"|\(?\b[Hh]:[Mm][Mm]\b)",  # "(h:mm AM/PM)": a form the rule "clock-time-form" does not read
    # a clock time as a bound: "no later than 6:00 PM", "9:00 AM - 6:00 PM", "9:00 AM or later"
    rf"\b{_TIME_BOUND}\s+(?:at\s+)?{_CLOCK}|{_CLOCK}\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*{_CLOCK}"
    rf"|{_CLOCK}\s+or\s+(?:later|earlier|after|before)\b",
    # "Set to voice.", "accepts only digits" (not "The name set to the queue", in a sentence of its own, nor "Set to
    # true to enable ...": what a value does, not the one allowed)
    r"(?:(?<![a-z,] )(?<![a-z,])|\balways )set (?:it |this |this field |this value )?to\b(?!\s+\S+\s+(?:to|if|when)\b)"
    r"|\b(?:accepts?|allows?|takes?) only\b",
    Either(Run(r"\b\d", r"\d,.", r"(?:\s+\w+)?\s+(?:minimum|maximum|max|min)\b"),  # "5 seconds minimum"
           re.compile(r"\b(?:one|1) or more\b", re.I)),
    # a list of values under another word: "Allowed: voice, sms", "Supported modes are A, B, and C" (not "allowed
    # calling hours, as configured" nor "available for voice or chat": no list is said to be what is allowed)
    # (the first "are" or colon alone: from a later one, a comma or "or" after it is no nearer, and trying each took
    # minutes on "supported: supported: ...")
    Scan(r"\b(?:allowed|accepted|acceptable|permitted|possible|supported|valid|available)\b",
         r":|\b(?:are|is|include|includes)\b", r",|\bor\b"),
    Scan(r"\bonly\b", r"\b(?:is|are) (?:supported|allowed|accepted|permitted|valid)\b"),  # "only voice is supported"
    r"\b(?:must|should|shall|cannot|can't|may not)(?: not)? (?:contain|include|start|begin|end|match|have|consist"
    r"|repeat)\b",  # "must not contain spaces", "must start with a letter"
    # a form: "E.164", "alphanumeric" (nothing else is meant by them), "a valid email", "UUID format", "in
    # YYYY-MM-DD format", "Format: ...", "matches the regex ...", "digits only", "without special characters"
    # ("Lowercase name of the campaign", "Email of the owner", "The pattern used for ..." describe, and ask nothing)
    Either(re.compile(
        r"\bE\.164\b|\balphanumeric\b|\bRFC\s?\d+"
        # a date's form said by its fields alone, "in YYYY-MM-DD", "(DD/MM/YYYY)": a form, as "in YYYY-MM-DD format" is
        r"|(?-i:\b(?:YYYY|yyyy)[-/.](?:MM|mm)[-/.](?:DD|dd)\b|\b(?:DD|dd|MM|mm)[-/.](?:MM|mm|DD|dd)[-/.](?:YYYY|yyyy)\b)"
        rf"|\b(?:valid|well-?formed)\s+{_FORM_WORD}\b|\b{_FORM_WORD}\s+v\d"
        rf"|\b(?:expects?|requires?|takes?)\s+(?:an?\s+)?{_FORM_WORD}"
        rf"|\b(?:{_FORM_WORD}|ISO[- ]?8601)(?:\s+address)?\s+(?:format|form|syntax)\b|\(?\bISO[- ]?8601\b\)?"
        r"|(?<=\bin\s)(?:(?:the|an?)\s+)?(?:\S+\s+){0,3}?format\b|\bformatted\s+(?:as|like|per|according to|using)\b"
        r"|\b(?:format(?:ted)?|pattern|regex|regular expression)(?:\s*[:=]|\s+(?:is|must|should|shall)\b)"
        r"|\b(?:match(?:es|ing)?|uses?|follows?|expects?)\s+(?:the\s+|a\s+|this\s+)?(?:following\s+)?"
        r"(?:format|pattern|regex|regular expression)\b"
        rf"|(?<!whole )\b{_CHARS}\s+only\b|\bonly\s+{_CHARS}\b|\b(?:without|no|except)\s+{_BARE_CHARS}\b"
        r"|\b(?:in|as)\s+(?:numeric\s+)?digits\b", re.I),
        # (a Scan: "supports a supports a ..." looked from each to the end of its sentence)
        Scan(r"\b(?:supports?|accepts?|allows?|permits?)\s", r"\b(?:except|excluding)\b")),
    # "unique within the account", "no duplicate names", "Duplicates are ignored", "allows duplicate names", "distinct
    # names" (not "Number of duplicates removed", "Count of distinct contacts")
    r"\bunique (?:within|across|in|per|among)\b|\b(?:no|without)\s+duplicates?\b"
    rf"|{_NOT_ASKED}\bduplicat(?:es?|ed)\b{_TREATED}"
    r"|\b(?:allows?|accepts?|permits?|rejects?|refuses?|ignores?|removes?|prevents?)\s+(?:\w+\s+)?duplicat(?:es?|ed)\b"
    r"|(?<!number of )(?<!count of )\bdistinct\b",
    # "between 5 and 120, exclusive", "exclusive of the bounds": the bounds a rule read are inclusive ("exclusive to
    # preferred agents", "Exclusive access" and "used exclusively for" say something else)
    r"\bexclusive\b(?=\s*(?:[,;.)]|$)|\s+(?:of|bounds?|minimum|maximum|range|limits?|upper|lower|at both)\b)",
    # "Defaults to 30", "Default: 30", "The default value is 30", "a default of 30" (not "the default value of the
    # disposition", "the default queue")
    r"\bdefaults?\s+to\b|\bdefault(?:s|\s+value)?(?:\s*[:=]|\s+(?:is|will be)\b)"
    r"""|\bdefault(?:\s+value)?\s+of\s+(?=[-\d"“'‘`])|\bby default\b"""
    r"|\bif (?:omitted|absent|not (?:given|set|provided|sent))\b",
    # required or not on a condition: "required when dialingMode is Progressive", "optional for Agentless", "Required
    # in Progressive mode", "Required (Progressive only)"
    r"\b(?:required|mandatory|optional)\s+(?:when|if|unless|only)\b|\b(?:not\s+)?(?:required|optional|mandatory)"
    r" for\b"
    r"|\b(?:required|mandatory|optional)\s+(?:in|during|with|on|except|outside|before|after|until|while|once|since"
    r"|unless|per)\b|\b(?:required|mandatory|optional)\s+\("
    r"|\b(?:only|ignored) (?:when|if|unless)\b",
    # a condition that starts the sentence a required or optional ends: "For Progressive, required.", "When
    # dialingMode is Progressive, this field is required." (the rule reads the word as a sentence of its own alone)
    Scan(r"(?:^|(?<=[.;]\s))(?:for|when|whenever|if|unless|in|during|while|once|after|before|with|without|only"
         r"|except|since|on)\b", r"\b(?:required|mandatory|optional)\b(?=\s*(?:[.;)]|$))"),
    # signs, integers, emptiness and null: "non-negative", "a positive number", "whole numbers only", "non-empty",
    # "Empty values are not allowed", "Can be null" ("Count of positive dispositions", "Empty if the campaign has no
    # description", "Whether the list is empty" describe). Null stays refused wherever it is said: a value the page
    # says may be null ("Null when ...") is one a schema of the field's type refuses.
    r"\bnon-?(?:negative|positive|zero|empty|blank)\b|\bwhole numbers?\b"
    r"|\b(?:positive|negative)\s+(?:(?:whole|real|decimal)\s+)?(?:integers?|numbers?|values?|decimals?|amounts?)\b"
    r"|\b(?:positive|negative)\s+only\b|\bonly\s+(?:positive|negative)\b"
    r"|\b(?:not|never)\s+(?:be\s+)?(?:empty|blank)\b|\b(?:no|without)\s+(?:empty|blank)\b"
    rf"|{_NOT_ASKED}\b(?:empty|blank)\b{_TREATED}"
    r"|\bnull(?:able)?\b",
    # words joined by commas or "and" alone to a sentence's end after a colon or a dash, "Dialing order: FIFO, LIFO",
    # "Type: voice, sms", "Channel - voice and sms", or by commas after another sentence, "Type of campaign. voice,
    # sms." (without an "or" they were dropped); last, so that a cue before them names them ("Allowed: voice, sms");
    # not from the text's start, where an example's list ("MO", "TU") is looked at alone
    rf"(?:(?<=:)|(?<=\s[-–—]))\s*{_ITEM}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_ITEM})+\s*(?=[.;,(]|$)"
    rf"|(?<=[.;]\s){_ITEM}(?:\s*,\s*(?:and\s+)?{_ITEM})+\s*(?=[.;]|$)",
    # one word alone after a label's colon to the sentence's end, "Type: voice.", "Campaign type: “voice”": the one
    # value allowed, or what the label names? (dropped, the field took any value; not "at 9:00.", a clock time), or
    # after a label's dash, "Channel — voice.", "Channel - voice." (a hyphen with a space each side: not "-5", nor a
    # word's "well-known"), as after its colon; not "The campaign's name - shown in the UI.", words that say more
    rf"(?<![^\s(])[\w-]+(?<=[^\W\d])(?::\s*|\s+-\s+|\s*[–—]\s*){_ITEM}\s*(?=[.;](?!\S)|\)|$)",
)]
