"""Another sentence of a description that says a case where words making a field required, non-empty or a name that
must exist do not hold ("At least one contact list name is required. Not needed for Agentless."), or another form of
a value than its format ("(ISO 8601) Or epoch seconds."): read as the rule's words alone, the schema refused requests
or values the page allows. Such a description is refused, naming the sentence."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING = TypeSpec("string")
NAMES = TypeSpec("array", items="string")


@pytest.mark.parametrize(("text", "type_", "phrase", "sentence", "words"), [
    ("At least one contact list name is required. Not needed for Agentless.", NAMES,
     "At least one contact list name is required", "Not needed for Agentless", "Not needed"),
    ("Must exist in the system. Ignored for Agentless.", STRING, "Must exist in the system", "Ignored for Agentless",
     "Ignored"),
    ("Caller ID shown. Must be a verified number. Optional for Agentless campaigns.", STRING,
     "Must be a verified number", "Optional for Agentless campaigns", "Optional"),
    ("Name of the queue. Required. Not needed unless agents dial.", STRING, "Required",
     "Not needed unless agents dial", "Not needed"),
    ("Required for Progressive dialing. Otherwise ignored.", STRING, "Required for Progressive dialing",
     "Otherwise ignored", "Otherwise"),
    ("Must exist in the system. Created if missing.", STRING, "Must exist in the system", "Created if missing",
     "Created if"),
    ("At least one contact list name is required. Empty for Agentless.", NAMES,
     "At least one contact list name is required", "Empty for Agentless", "Empty"),
    ("Must be a verified number. Unverified numbers are allowed in sandbox.", STRING, "Must be a verified number",
     "Unverified numbers are allowed in sandbox", "allowed"),
], ids=["at-least-one", "must-exist", "verified-number", "required", "required-for", "created-if-missing",
        "empty-for", "allowed-in"])
def test_a_sentence_that_says_a_case_it_does_not_hold_in_is_refused(text: str, type_: TypeSpec, phrase: str,
                                                                    sentence: str, words: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.phrase == phrase
    assert caught.value.why.endswith(f'"{sentence}" stands beside it in the description, and "{words}" may say a case '
                                     "it does not hold in, which the rule alone would drop")


@pytest.mark.parametrize(("text", "phrase", "why"), [
    ("Campaign creation timestamp. (ISO 8601) Or epoch seconds.", "(ISO 8601) Or epoch seconds",
     '"Or" in its sentence may say another form of the value than an ISO 8601 date and time'),
    ("Campaign creation timestamp (ISO 8601) or epoch seconds.", "(ISO 8601) or epoch seconds",
     '"or" in its sentence may say another form of the value than an ISO 8601 date and time'),
    ("Campaign creation timestamp (ISO 8601). Unix time is accepted too.", "(ISO 8601)",
     '"Unix time is accepted too" stands beside it in the description, and "Unix" may say another form of the value '
     "than an ISO 8601 date and time"),
    ("Timezone in which calling hours are defined. Or an offset such as +05:30.", "Timezone",
     '"Or an offset such as +05:30" stands beside it in the description, and "Or" may say another form of the value '
     "than an IANA time zone's name"),
], ids=["or-a-sentence-of-its-own", "or-in-its-sentence", "accepted-too", "time-zone"])
def test_a_format_beside_another_form_is_refused(text: str, phrase: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase
    assert caught.value.why.endswith(f"{why}, which the format alone would drop")


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("List of contact list names to be dialed. Must exist in the system. At least one contact list name is required.",
     NAMES, [Constraint("minItems", 1), Constraint("x-reference", "exists", "[]")]),
    ("Name of the agent queue used to route calls when agents are needed. Required for Progressive dialing.", STRING,
     [Constraint("required", True)]),
    ("Campaign creation timestamp. (ISO 8601)", STRING, [Constraint("format", "date-time")]),
    ("Timezone in which calling hours are defined.", STRING, [Constraint("format", "iana-time-zone")]),
], ids=["contact-lists", "queue", "timestamp", "time-zone"])
def test_the_pages_own_wording_is_read(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected
