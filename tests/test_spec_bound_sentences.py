"""Descriptions a vendor may write for a bounded field: each read right or refused, never read in part.

Bounds read alone where their sentence says more of them (a value besides them, an exception, a condition, another
measure, a hedge) refused values the page allows, or allowed values it refuses, without a word."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.spec import phrases
from mockserver.spec.markdown import clean_cell
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, INTEGER, NUMBER = TypeSpec("string"), TypeSpec("integer"), TypeSpec("number")
ARRAY = TypeSpec("array", "string")

READ = [
    ("Ring time in seconds, between 5 and 120 seconds.", INTEGER,
     [Constraint("minimum", 5), Constraint("maximum", 120)]),
    ("Between 1 and 1,440 (minutes).", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("Must be between 1,000 and 10,000.", INTEGER, [Constraint("minimum", 1000), Constraint("maximum", 10000)]),
    ("Must be between -10 and 10.", INTEGER, [Constraint("minimum", -10), Constraint("maximum", 10)]),
    ("Value between 0.5 and 2.5.", NUMBER, [Constraint("minimum", 0.5), Constraint("maximum", 2.5)]),
    ("Minimum is 1 and maximum is 1,440 minutes.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("Maximum of 48 characters.", STRING, [Constraint("maxLength", 48)]),
    ("Must not exceed 64 characters.", STRING, [Constraint("maxLength", 64)]),
    ("Must be at least 1.", INTEGER, [Constraint("minimum", 1)]),
    ("Minimum 1, maximum 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Must be a value between 1 and 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Range 1 to 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("The range is from 1 to 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Values range from 1 to 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Minimum: 1; maximum: 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("At least 1.", INTEGER, [Constraint("minimum", 1)]),
    ("Must be greater than 0.", INTEGER, [Constraint("exclusiveMinimum", 0)]),
    ("Seconds to wait. Greater than 0.5.", NUMBER, [Constraint("exclusiveMinimum", 0.5)]),
    ("The name must not exceed 64 characters.", STRING, [Constraint("maxLength", 64)]),
    ("Up to 64 characters.", STRING, [Constraint("maxLength", 64)]),
    ("Maximum length is 64 characters.", STRING, [Constraint("maxLength", 64)]),
    ("Between 1 and 48 characters long.", STRING, [Constraint("minLength", 1), Constraint("maxLength", 48)]),
    ("Between 1 and 48 characters (inclusive).", STRING, [Constraint("minLength", 1), Constraint("maxLength", 48)]),
    ("Valid values are “voice” and “sms”.", STRING, [Constraint("enum", ["voice", "sms"])]),
    ("Must exist in the system", ARRAY, [Constraint("x-reference", "exists", "[]")]),
    ("Between 0 and 1 (a fraction).", NUMBER, [Constraint("minimum", 0), Constraint("maximum", 1)]),
    ("Between 1 and 48 characters in length.", STRING, [Constraint("minLength", 1), Constraint("maxLength", 48)]),
    ("Between 1 and 1440 (in minutes).", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    # "inclusive", what bounds mean unsaid, after "Must be" too (it was read as what the value must be, and refused)
    *((text, INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]) for text in (
        "Must be between 1 and 100 inclusive.", "Must be between 1 and 100, inclusive.",
        "Must be between 1 and 100 (inclusive).", "Value must be between 1 and 100 inclusive.",
        "Must be from 1 to 100 inclusive.", "Must be from 1 to 100.", "Must be a value between 1 and 100 inclusive.",
        "Minimum is 1 and maximum is 100, inclusive.", "Range: 1 to 100 inclusive.")),
    ("Must be from 1 to 48 characters inclusive.", STRING, [Constraint("minLength", 1), Constraint("maxLength", 48)]),
]


@pytest.mark.parametrize(("text", "type_", "expected"), READ, ids=[case[0] for case in READ])
def test_a_bound_said_whole_is_read(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(clean_cell(text), type_) == expected


# (a description, the field's type, the phrase the refusal quotes); those marked "new" were read as the bounds alone
REFUSED = [
    ("Between 1 and 100, or 0 to disable.", INTEGER, "Between 1 and 100, or 0 to disable"),  # new
    ("Between 1 and 100; 0 means unlimited.", INTEGER, "Between 1 and 100; 0 means unlimited"),  # new
    ("Between 1 and 100 (or 0).", INTEGER, "Between 1 and 100 (or 0)"),  # new
    ("Between 1 and 100 except 50.", INTEGER, "Between 1 and 100 except 50"),  # new
    ("Between 1 and 100, in steps of 5.", INTEGER, "Between 1 and 100, in steps of 5"),  # new
    ("Between 1 and 100 unless dialingMode is Preview.", INTEGER,
     "Between 1 and 100 unless dialingMode is Preview"),  # new
    ("Between 1 and 100 for voice, 1 and 50 for sms.", INTEGER, "Between 1 and 100 for voice, 1 and 50 for sms"),  # new
    ("Between 1 and 60 seconds or 1 and 5 minutes.", INTEGER, "Between 1 and 60 seconds or 1 and 5 minutes"),  # new
    ("Between 1 and 10 in production, any value in test.", INTEGER,
     "Between 1 and 10 in production, any value in test"),  # new
    ("Between 1 and 48 characters, excluding spaces.", STRING, "Between 1 and 48 characters, excluding spaces"),  # new
    ("Maximum of 48 characters per line.", STRING, "Maximum of 48 characters per line"),  # new
    ("Maximum of 48 characters (UTF-8 bytes).", STRING, "Maximum of 48 characters (UTF-8 bytes)"),  # new
    ("Maximum of 48 characters; longer names are truncated.", STRING,
     "Maximum of 48 characters; longer names are truncated"),  # new
    ("Usually between 1 and 100.", INTEGER, "between 1 and 100"),  # new
    ("Recommended: between 5 and 120 seconds.", INTEGER, "between 5 and 120 seconds"),  # new
    ("Between 1 and 100 (approximately).", INTEGER, "Between 1 and 100 (approximately)"),  # new
    # another measure or a case after them, read as the bounds alone
    ("Between 1 and 100 each day.", INTEGER, "Between 1 and 100 each day"),  # new
    ("Between 1 and 100 every hour.", INTEGER, "Between 1 and 100 every hour"),  # new
    ("Between 1 and 100 a day.", INTEGER, "Between 1 and 100 a day"),  # new
    ("Must be between 5 and 120 (preview mode).", INTEGER, "between 5 and 120 (preview mode)"),  # new
    ("Must be between 5 and 120, but see the note below.", INTEGER, "between 5 and 120, but see the note below"),  # new
    ("Maximum of 48 characters in the UI.", STRING, "Maximum of 48 characters in the UI"),  # new
    ("Values above 100 are rejected in preview mode.", INTEGER, "Values above 100 are rejected in preview mode"),  # new
    ("Must be between 5 and 120. Does not apply to preview mode.", INTEGER, "between 5 and 120"),  # new
    # a hedge, or a condition on who enforces them
    ("Between 5 and 120 where possible.", INTEGER, "Between 5 and 120 where possible"),  # new
    ("Between 5 and 120 (soft limit).", INTEGER, "Between 5 and 120 (soft limit)"),  # new
    ("Between 5 and 120 (enforced by the UI).", INTEGER, "Between 5 and 120 (enforced by the UI)"),  # new
    # what is done with so many, not a limit on what is sent
    ("Up to 64 characters are shown.", STRING, "Up to 64 characters are shown"),  # new
    ("Up to 64 characters are displayed; longer names are accepted.", STRING,
     "Up to 64 characters are displayed; longer names are accepted"),  # new
    ("Maximum length is 64 characters after trimming.", STRING,
     "Maximum length is 64 characters after trimming"),  # new
    ("A maximum of 10 items can be shown.", TypeSpec("array", items="string"),
     "maximum of 10 items can be shown"),  # new
    ("Retry interval, 1 to 1,440 minutes.", INTEGER, "1 to 1,440 minutes"),
    ("Retry interval: 1–1,440 minutes.", INTEGER, "1–1,440 minutes"),
    ("Length: 1 – 48.", STRING, "1 – 48"),
    ("Not more than 48 characters.", STRING, "Not more than 48 characters"),
    ("No longer than 48 characters.", STRING, "48 characters"),
    ("Up to and including 48 characters.", STRING, "Up to and including 48 characters"),
    ("At least 1 but no more than 48 characters.", STRING, "At least 1 but no more than 48 characters"),
    ("A maximum of forty-eight characters.", STRING, "maximum of forty-eight characters"),
    ("Max. 48 chars.", STRING, "Max. 48 chars"),
    ("48 characters max.", STRING, "48 characters max"),
    ("Must not exceed 48 chars.", STRING, "Must not exceed 48 chars"),
    ("Up to 64 characters for voice.", STRING, "Up to 64 characters for voice"),
    ("Must be at least 1, or 0 to disable.", INTEGER, "at least 1, or 0 to disable"),
    ("Minimum 1, maximum 100 for voice.", INTEGER, "Minimum 1, maximum 100 for voice"),
    ("Range 1 to 100 for voice.", INTEGER, "Range 1 to 100 for voice"),
    ("Voice range: 1 to 100.", INTEGER, "range: 1 to 100"),  # a case's range
    ("Must be an integer between 1 and 100.", NUMBER, "Must be an integer"),  # a whole number: more than the bounds
    ("For sms, must be at least 1.", INTEGER, "at least 1"),
    ("Values greater than 100 are ignored.", INTEGER, "greater than 100 are ignored"),  # what is done with others
    ("At least 1 second.", INTEGER, "At least 1 second"),
    ("Must be at least 1.", ARRAY, "at least 1"),  # each item's value, or how many?
    ("Must be at most 10 items.", ARRAY, "at most 10 items"),
    ("Defaults to “FIFO”.", STRING, "Defaults to “FIFO”"),
    ("If not set, FIFO is used.", STRING, "If not set, FIFO is used"),
    ("The list must exist in the account.", STRING, "must exist in the account"),
    ("Greater than or equal to 1.", INTEGER, "Greater than or equal to 1"),
    ("Value ≥ 1 and ≤ 100.", INTEGER, "≥ 1 and ≤ 100"),
    ("Maximum is 100, minimum is 1.", INTEGER, "Maximum is 100, minimum is 1"),
    ("Between −1 and 10.", INTEGER, "Between −1 and 10"),  # a minus sign, not a hyphen
    ("‘voice’ or ‘sms’.", STRING, "‘voice’ or ‘sms’"),
    ("From 1 through 10.", INTEGER, "From 1 through 10"),
    ("A non-zero value.", INTEGER, "non-zero value"),
    ("Date in YYYY-MM-DD.", STRING, "YYYY-MM-DD"),  # new
    ("Start date (DD/MM/YYYY).", STRING, "DD/MM/YYYY)"),  # new
    ("The maximum of 48 characters applies to the display name only.", STRING,
     "maximum of 48 characters applies to the display name only"),  # new
    # "exclusive" after bounds the rules read as inclusive; "from ... to" but after "must be"
    ("Must be between 1 and 100 exclusive.", INTEGER, "Must be exclusive"),
    ("Between 1 and 100, exclusive.", INTEGER, "exclusive"),
    ("Must be from 1 to 100 (exclusive).", INTEGER, "exclusive)"),
    ("Must be between 1 and 100 inclusive of tax.", INTEGER, "Must be inclusive of tax"),
    ("From 1 to 100 inclusive.", INTEGER, "From 1 to 100 inclusive"),
    ("Must be from 1 to 5 for voice.", INTEGER, "from 1 to 5 for voice"),
]


@pytest.mark.parametrize(("text", "type_", "phrase"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_bound_said_with_more_than_the_rules_read_is_refused(text: str, type_: TypeSpec, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(text), type_)
    assert caught.value.phrase == phrase


def test_the_refusal_says_what_follows_the_bounds() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Must be between 1 and 5. Must be between 1 and 5 or 7.", NUMBER)
    assert caught.value.why == ('the phrase rule "between" cannot read it for certain: "or 7" follows them in their '
                                'sentence, and "7" may be another value, a condition or another measure, which the '
                                "bounds alone would drop")


def test_a_hedge_is_named() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Typically between 5 and 120 seconds.", INTEGER)
    assert caught.value.why == ('the phrase rule "between" cannot read it for certain: "Typically" says the bounds may '
                                "not hold")


@pytest.mark.parametrize("text", ["Currently between 5 and 120.", "Between 5 and 120 currently."])
def test_currently_is_no_hedge(text: str) -> None:
    """"Currently" says the bounds hold now, which is what a schema states: a page that changes them later changes the
    generated schema, and `mockserver schemas --check` says so. ("Usually" says they may not hold now.)"""
    assert phrases.apply(text, INTEGER) == [Constraint("minimum", 5), Constraint("maximum", 120)]


# A sentence after the bounds' that names another value for the field or an exception to them: the bounds read alone
# refused values the page allows (those marked "new" were read as the bounds alone); (a description, the field's
# type, the phrase the refusal quotes, the sentence it names or None where a cue refuses the words as they stand)
REFUSED_LATER = [
    ("Between 1 and 100. Use -1 for no limit.", INTEGER, "Between 1 and 100", "Use -1 for no limit"),  # new
    ("Between 1 and 100. 0 disables it.", INTEGER, "Between 1 and 100", "0 disables it"),  # new
    ("Maximum of 48 characters. Longer names are cut.", STRING, "Maximum of 48 characters",
     "Longer names are cut"),  # new
    ("Must be between 5 and 120. Zero turns the timeout off.", INTEGER, "between 5 and 120",
     "Zero turns the timeout off"),  # new
    ("Between 1 and 48 characters. Longer names are accepted but truncated.", STRING, "Between 1 and 48 characters",
     "Longer names are accepted but truncated"),  # new
    ("Must be in [1, 100]. Admins may exceed it.", INTEGER, "[1, 100]", "Admins may exceed it"),  # new
    ("Must be in [1, 100]. Use -1 for unlimited.", INTEGER, "[1, 100]", "Use -1 for unlimited"),  # new
    ("Between 1 and 10. Not enforced for Preview campaigns.", INTEGER, "Between 1 and 10",
     "Not enforced for Preview campaigns"),  # new
    ("Between 0.5 and 2.5. Values outside it are clamped.", NUMBER, "Between 0.5 and 2.5",
     "Values outside it are clamped"),  # new
    ("Between 1 and 100. Larger values are allowed for enterprise accounts.", INTEGER, "Between 1 and 100",
     "Larger values are allowed for enterprise accounts"),  # new
    ("Between 1 and 1440 minutes. Leave empty for unlimited.", INTEGER, "Between 1 and 1440 minutes",
     "Leave empty for unlimited"),  # new
    ("Maximum of 256 characters. Except for imported campaigns.", STRING, "Maximum of 256 characters",
     "Except for imported campaigns"),  # new
    ("Between 1 and 100. A value of 0 means the campaign never stops.", INTEGER, "Between 1 and 100",
     "A value of 0 means the campaign never stops"),  # new
    ("Between 1 and 5. The limit is approximate.", INTEGER, "Between 1 and 5", "The limit is approximate"),  # new
    ("Between 1 and 100. Omit it to dial without a cap.", INTEGER, "Between 1 and 100",
     "Omit it to dial without a cap"),  # new
    ("Maximum of 48 characters. Emoji count as two.", STRING, "Maximum of 48 characters",
     "Emoji count as two"),  # new
    ("Maximum of 48 characters. Spaces are not counted.", STRING, "Maximum of 48 characters",
     "Spaces are not counted"),  # new
    ("Between 5 and 120. Values outside the range are replaced.", INTEGER, "Between 5 and 120",
     "Values outside the range are replaced"),  # new
    ("Between 5 and 120. Larger values work too.", INTEGER, "Between 5 and 120", "Larger values work too"),  # new
    ("Between 5 and 120. Not validated by the API.", INTEGER, "Between 5 and 120", "Not validated by the API"),  # new
    ("Between 5 and 120. The API does not check it.", INTEGER, "Between 5 and 120",
     "The API does not check it"),  # new
    ("Between 5 and 120. May be raised on request.", INTEGER, "Between 5 and 120", "May be raised on request"),  # new
    ("Maximum of 48 characters. Contact support to raise it.", STRING, "Maximum of 48 characters",
     "Contact support to raise it"),  # new
    ("Between 5 and 120. Values outside this range will fail silently.", INTEGER, "Between 5 and 120",
     "Values outside this range will fail silently"),  # new
    ("Between 1 and 100. Admins can go higher.", INTEGER, "Between 1 and 100", "Admins can go higher"),  # new
    ("Between 1 and 100. This applies to voice campaigns only.", INTEGER, "Between 1 and 100",
     "This applies to voice campaigns only"),  # new
    ("Between 1 and 10 lists. An empty list dials every contact.", ARRAY, "Between 1 and 10 lists",
     "An empty list dials every contact"),  # new
    ("Range: 1-1440. Set to 0 for no limit.", INTEGER, "Range: 1-1440", None),
    ("Between 1 and 100. Defaults to 10.", INTEGER, "Defaults to 10", None),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "later"), REFUSED_LATER, ids=[case[0] for case in REFUSED_LATER])
def test_bounds_a_later_sentence_says_more_of_are_refused(text: str, type_: TypeSpec, phrase: str,
                                                          later: str | None) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(text), type_)
    assert caught.value.phrase == phrase
    if later:
        assert re.search(f'"{re.escape(later)}" follows them in the description, and "[^"]+" may be another value or '
                         "an exception, which the bounds alone would drop$", caught.value.why)


# Sentences after the bounds' that say nothing more of them, read as before
READ_LATER = [
    ("Between 1 and 100. Required.", INTEGER,
     [Constraint("minimum", 1), Constraint("maximum", 100), Constraint("required", True)]),
    ("Between 1 and 100. Higher values dial faster.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Maximum of 48 characters. Used to identify it in the Kore.ai platform.", STRING, [Constraint("maxLength", 48)]),
    ("Must be between 5 and 120. Example: 30.", INTEGER,
     [Constraint("examples", [30]), Constraint("minimum", 5), Constraint("maximum", 120)]),
    ("Between 1 and 100. Must be between 1 and 100.", INTEGER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
    # the bounds said again in other words: what is beyond them is not taken
    ("Maximum of 48 characters. Longer names are not allowed.", STRING, [Constraint("maxLength", 48)]),
    ("Between 1 and 100. Higher values are not supported.", INTEGER,
     [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Between 1 and 100. Larger values aren't accepted.", INTEGER,
     [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Between 1 and 1440 minutes. The campaign stops when it is reached.", INTEGER,
     [Constraint("minimum", 1), Constraint("maximum", 1440)]),
]


@pytest.mark.parametrize(("text", "type_", "expected"), READ_LATER, ids=[case[0] for case in READ_LATER])
def test_bounds_a_later_sentence_says_nothing_more_of_are_read(text: str, type_: TypeSpec,
                                                                expected: list[Constraint]) -> None:
    assert phrases.apply(clean_cell(text), type_) == expected


# The same sentences before the bounds: read as the bounds alone, the schema refused the value the page gives
REFUSED_EARLIER = [
    ("Set to 0 to ring until answered. Must be between 5 and 120.", INTEGER, "between 5 and 120",
     "Set to 0 to ring until answered"),
    ("Zero turns the timeout off. Between 1 and 100.", INTEGER, "Between 1 and 100", "Zero turns the timeout off"),
    ("Display name. Longer names are cut. Maximum of 48 characters.", STRING, "Maximum of 48 characters",
     "Longer names are cut"),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "earlier"), REFUSED_EARLIER,
                         ids=[case[0] for case in REFUSED_EARLIER])
def test_bounds_an_earlier_sentence_says_more_of_are_refused(text: str, type_: TypeSpec, phrase: str,
                                                             earlier: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(text), type_)
    assert caught.value.phrase == phrase
    assert re.search(f'"{re.escape(earlier)}" comes before them in the description, and "[^"]+" may be another value '
                     "or an exception, which the bounds alone would drop$", caught.value.why)


@pytest.mark.parametrize("text", ["Ring time in seconds. Between 5 and 120.", "Required. Between 1 and 100.",
                                  "Used in the Kore.ai platform. Maximum of 48 characters."])
def test_bounds_an_earlier_sentence_says_nothing_more_of_are_read(text: str) -> None:
    assert [c.keyword for c in phrases.apply(clean_cell(text), INTEGER if "Between" in text else STRING)
            if c.keyword != "required"] in (["minimum", "maximum"], ["maxLength"])


def test_bounds_a_later_sentence_says_more_of_are_refused_at_their_line(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / "create-voice-campaign-progressive-v2.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("between 1 and 1440.", "between 1 and 1440. Use -1 for no limit."), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(
        f'mockserver schemas: error: {page}:119: cannot read "between 1 and 1440" as a constraint: the phrase rule '
        '"between" cannot read it for certain: "Use -1 for no limit" follows them in the description')


# An [[add]] entry's description is read as written: a line end or two spaces inside "not accepted" made it another
# value, and the refusal quoted it as "Larger values are not accepted", which the bounds are read past.
@pytest.mark.parametrize("text", ["Between 1 and 100. Larger values are not\naccepted.",
                                  "Between 1 and 100. Larger values are not  accepted.",
                                  "Between 1 and 100. Larger values aren't\n  allowed."])
def test_bounds_said_again_in_the_negative_across_a_line_end_are_read(text: str) -> None:
    assert phrases.apply(text, INTEGER) == [Constraint("minimum", 1), Constraint("maximum", 100)]
