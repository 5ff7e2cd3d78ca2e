"""Words before a constraint in its sentence that may make it hold in some cases only, or not at all.

"For sms campaigns, between 1 and 50." was read as a minimum of 1 and a maximum of 50 for every campaign, and "Must not
be between 1 and 5." as the very values it refuses: the words after bounds were looked at, the words before them
not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, INTEGER = TypeSpec("string"), TypeSpec("integer")
NAMES = TypeSpec("array", "string")

# (a description, the field's type, the phrase the refusal quotes, the words it names before it); each was read
CONDITIONAL = [
    ("For sms campaigns, between 1 and 50.", INTEGER, "between 1 and 50", '"For sms campaigns,"'),
    ("Since version 3, must be between 5 and 120.", INTEGER, "between 5 and 120", '"Since version 3, must be"'),
    ("When retries are enabled, between 1 and 5.", INTEGER, "between 1 and 5", '"When retries are enabled,"'),
    ("If dialingMode is Progressive, must be between 5 and 120.", INTEGER, "between 5 and 120", '"If"'),
    ("In preview mode between 1 and 10.", INTEGER, "between 1 and 10", '"In preview mode"'),
    ("For voice: between 1 and 50.", INTEGER, "between 1 and 50", '"For voice:"'),
    ("Voice: between 1 and 50.", INTEGER, "between 1 and 50", '"Voice:" comes before it'),
    ("Progressive mode: between 5 and 120.", INTEGER, "between 5 and 120", '"Progressive mode:"'),
    ("After the first attempt, between 1 and 10.", INTEGER, "between 1 and 10", '"After"'),
    ("Unless disabled, between 1 and 5.", INTEGER, "between 1 and 5", '"Unless"'),
    ("Except for preview mode, between 1 and 10.", INTEGER, "between 1 and 10", '"Except"'),
    ("Applies to sms campaigns, between 1 and 50.", INTEGER, "between 1 and 50", '"Applies"'),
    ("For sms (i.e. text), between 1 and 50.", INTEGER, "between 1 and 50", '"For sms (i.e. text),"'),
    ("As of v2, between 1 and 50.", INTEGER, "between 1 and 50", '"As of"'),
    ("Exclusively between 1 and 50.", INTEGER, "between 1 and 50", '"Exclusively"'),  # exclusive bounds?
    # a case named by a noun alone, no condition word before it
    ("Voice campaigns, between 1 and 50.", INTEGER, "between 1 and 50", '"campaigns" may name the case'),
    ("Progressive mode, must be between 5 and 120.", INTEGER, "between 5 and 120", '"mode" may name the case'),
    ("Enterprise plans, one of the following: A, B.", STRING, "one of the following: A, B", '"plans" may name'),
    # not at all, or beside another value
    ("Must not be between 1 and 5.", INTEGER, "between 1 and 5", '"not"'),
    ("Cannot be between 1 and 5.", INTEGER, "between 1 and 5", '"Cannot"'),
    ("0 to disable, otherwise between 5 and 120.", INTEGER, "between 5 and 120", '"0"'),
    # a number before them is named whole, not its first digit ("1" of "10")
    ("Maximum of 10 items, each up to 48 characters.", NAMES, "up to 48 characters", 'and "10" may make it hold'),
    # the other rules that read bounds
    ("For Progressive campaigns the minimum is 1 and maximum is 100.", INTEGER, "minimum is 1 and maximum is 100",
     '"For"'),
    ("For sms, in [1, 100].", INTEGER, "[1, 100]", '"For sms,"'),
    ("For voice campaigns, maximum of 48 characters.", STRING, "maximum of 48 characters", '"For"'),
    ("Once the campaign starts, values above 100 are rejected.", INTEGER, "values above 100 are rejected", '"Once"'),
    # lists of values, and the rules that require or refer
    ("For voice campaigns, valid values are: A, B.", STRING, "valid values are: A, B", '"For"'),
    ("If dialingMode is Progressive, must be one of: A, B.", STRING, "one of: A, B", '"If"'),
    ("For voice campaigns, must be one of the following: A, B.", STRING, "one of the following: A, B", '"For"'),
    ("For voice campaigns, must be either A or B.", STRING, "either A or B", '"For"'),
    ("For voice campaigns use “voice”.", STRING, "use “voice”", '"For"'),
    ("For sms campaigns: “a” or “b”.", STRING, "“a” or “b”", '"For"'),
    ("When dialing, at least one contact list name is required.", NAMES,
     "at least one contact list name is required", '"When"'),
    ("For voice campaigns it must exist in the system.", STRING, "must exist in the system", '"For"'),
    ("For voice campaigns the number must be a verified number.", STRING, "must be a verified number", '"For"'),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "named"), CONDITIONAL, ids=[case[0] for case in CONDITIONAL])
def test_a_constraint_after_a_condition_is_refused(text: str, type_: TypeSpec, phrase: str, named: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.phrase == phrase
    assert named in str(caught.value) and "comes before it in its sentence" in str(caught.value)


BOUNDS = [Constraint("minimum", 5), Constraint("maximum", 120)]
# a subject, a verb, a unit, a label of the range or of the value, or a condition every value sent meets
PLAIN = [
    ("Must be between 5 and 120.", INTEGER, BOUNDS),
    ("The number of seconds, between 5 and 120.", INTEGER, BOUNDS),
    ("Number of campaigns, between 5 and 120.", INTEGER, BOUNDS),  # counted: the value itself
    ("Calls per agent, between 5 and 120.", INTEGER, BOUNDS),
    ("Concurrent calls, between 5 and 120.", INTEGER, BOUNDS),  # the value's name
    ("Maximum ring time in seconds. Must be between 5 and 120.", INTEGER, BOUNDS),
    ("Value must be between 5 and 120", INTEGER, BOUNDS),
    ("Ring time, in seconds, between 5 and 120.", INTEGER, BOUNDS),
    ("Time (in minutes), between 5 and 120.", INTEGER, BOUNDS),
    ("Range: between 5 and 120.", INTEGER, BOUNDS),
    ("Maximum ring time: between 5 and 120.", INTEGER, BOUNDS),
    ("If provided, must be between 5 and 120.", INTEGER, BOUNDS),
    ("When set, between 5 and 120.", INTEGER, BOUNDS),
    ("Time to wait, e.g. 10 minutes. Must be between 5 and 120.", INTEGER, [Constraint("examples", [10]), *BOUNDS]),
    ("Maximum ring time before hanging up, in [5, 120].", INTEGER, BOUNDS),
    ("Attempts per record [5, 120].", INTEGER, BOUNDS),
    ("The name must be a maximum of 48 characters.", STRING, [Constraint("maxLength", 48)]),
    ("Priority must be one of the following: 1, 2, or 3.", STRING, [Constraint("enum", ["1", "2", "3"])]),
    ("Frequency of calling hours must be one of: WEEKLY, DAILY.", STRING, [Constraint("enum", ["WEEKLY", "DAILY"])]),
    ("Indicates the overall response status: “success” or “failure”.", STRING,
     [Constraint("enum", ["success", "failure"])]),
    ("Type of campaign. Use “voice”", STRING, [Constraint("enum", ["voice"])]),
]


@pytest.mark.parametrize(("text", "type_", "expected"), PLAIN, ids=[case[0] for case in PLAIN])
def test_a_constraint_after_plain_words_is_read(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


def test_a_condition_before_bounds_is_refused_at_their_line(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / "create-voice-campaign-progressive-v2.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Must be between 5 and 120.", "For Progressive dialing, must be between 5 and 120."),
                    encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(
        f'mockserver schemas: error: {page}:120: cannot read "between 5 and 120" as a constraint: the phrase rule '
        '"between" cannot read it for certain: "For Progressive dialing, must be" comes before it in its sentence')


# a condition after the words of a rule that reads a sentence's start alone: it was dropped
AFTER = [
    ("At least one contact list name is required for voice campaigns.", NAMES, '"for voice campaigns" follows'),
    ("At least one contact list name is required unless dncLists is set.", NAMES, '"unless dncLists is set"'),
    ("Must exist in the system for Progressive campaigns.", STRING, '"for Progressive campaigns" follows'),
    ("Must exist in the system, unless dialingMode is Agentless.", STRING, '", unless dialingMode is Agentless"'),
    ("Must exist in the system (Progressive only).", STRING, '"(Progressive only)" follows'),
    ("Must be a verified number for voice campaigns.", STRING, '"for voice campaigns" follows'),
]


@pytest.mark.parametrize(("text", "type_", "named"), AFTER, ids=[case[0] for case in AFTER])
def test_a_constraint_before_a_condition_is_refused(text: str, type_: TypeSpec, named: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert named in str(caught.value)


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("At least one contact list name is required.", NAMES, [Constraint("minItems", 1)]),
    ("Name of the list (must exist in the system).", STRING, [Constraint("x-reference", "exists")]),
    ("Caller ID. Must be a verified number.", STRING, [Constraint("x-reference", "verified")]),
])
def test_a_constraint_that_ends_its_sentence_is_read(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


def test_words_a_cue_refuses_after_them_are_refused_as_they_stand() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Caller ID. Must be a verified number in E.164 format.", STRING)
    assert caught.value.phrase == "E.164 format"
