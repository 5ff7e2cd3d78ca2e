"""Each phrase rule of the registry, on the vendor's own wording."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE, generated_with

from mockserver import ecma_pattern
from mockserver.cli import main
from mockserver.paths import CONTRACT
from mockserver.spec import phrases
from mockserver.spec.markdown import clean_cell, parse_type
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import CLOCK_TIME_PATTERN, Constraint

STRING, NUMBER, ARRAY = TypeSpec("string"), TypeSpec("number"), TypeSpec("array", "string")

# (rule name, description, field type, the constraints it yields)
CASES = [
    ("maximum-characters", "The name must be a maximum of 48 characters.", STRING, [Constraint("maxLength", 48)]),
    ("maximum-items", "Names of the lists to dial. Maximum of 10 items.", ARRAY, [Constraint("maxItems", 10)]),
    ("at-most-characters", "The name must not exceed 64 characters.", STRING, [Constraint("maxLength", 64)]),
    ("one-of-the-following", "Priority must be one of the following: 1, 2, 3, 4, or 5.", STRING,
     [Constraint("enum", ["1", "2", "3", "4", "5"])]),
    ("any-of-the-following", "Channels to dial on. Any of the following: voice, sms.", ARRAY,
     [Constraint("enum", ["voice", "sms"], "[]")]),
    ("valid-values-are", "Valid values are: Agentless, Progressive, or Preview.", STRING,
     [Constraint("enum", ["Agentless", "Progressive", "Preview"])]),
    ("must-be-one-of", "Frequency of calling hours must be one of: WEEKLY, DAILY, or CUSTOM.", STRING,
     [Constraint("enum", ["WEEKLY", "DAILY", "CUSTOM"])]),
    ("must-be-either", "Type of campaign. Must be either voice or sms.", STRING,
     [Constraint("enum", ["voice", "sms"])]),
    ("use-literal", "Type of campaign. Use “voice”", STRING, [Constraint("enum", ["voice"])]),
    ("quoted-values", "Indicates the overall response status: “success” or “failure”.", STRING,
     [Constraint("enum", ["success", "failure"])]),
    ("minimum-and-maximum", "Minimum is 1 and maximum is 100.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("between", "Time (in minutes) to wait between retries. Must be between 1 and 1440.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("values-above-rejected", "Max time (in seconds) the phone should ring. Values above 120 are rejected.", NUMBER,
     [Constraint("maximum", 120)]),
    ("values-below-rejected", "Contacts dialed at once. Values less than 1 are not allowed.", NUMBER,
     [Constraint("minimum", 1)]),
    ("interval", "Max time (in seconds) the phone should ring. Must be in (0, 120].", NUMBER,
     [Constraint("exclusiveMinimum", 0), Constraint("maximum", 120)]),
    ("lower-bound", "Contacts dialed at once. Must be at least 1.", NUMBER, [Constraint("minimum", 1)]),
    ("must-be-from-to", "Time (in minutes) to wait between retries. Must be from 1 to 1440.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("range-to", "Time (in minutes) to wait between retries. Range: 1 to 1440.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("at-least-one", "At least one contact list name is required.", ARRAY, [Constraint("minItems", 1)]),
    ("required-for", "Name of the agent queue. Required for Progressive dialing.", STRING,
     [Constraint("required", True)]),
    ("required-or-optional", "Name of the agent queue. Mandatory.", STRING, [Constraint("required", True)]),
    ("must-exist", "List of contact list names to be dialed. Must exist in the system.", ARRAY,
     [Constraint("x-reference", "exists", "[]")]),
    ("verified-number", "Caller ID number shown to the recipient. Must be a verified number.", STRING,
     [Constraint("x-reference", "verified")]),
    ("day-codes", "day: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'", STRING,
     [Constraint("enum", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])]),
    ("clock-time", 'start: "9:00 AM"', STRING,
     [Constraint("pattern", CLOCK_TIME_PATTERN), Constraint("examples", ["9:00 AM"])]),
    ("clock-time-form", "Start time of calling window. (hh:mm AM/PM)", STRING,
     [Constraint("pattern", CLOCK_TIME_PATTERN)]),
    ("time-zone", "Timezone in which calling hours are defined.", STRING, [Constraint("format", "iana-time-zone")]),
    ("iso-8601-time", "Campaign creation timestamp. (ISO 8601)", STRING, [Constraint("format", "date-time")]),
    ("open-ended-list", "Order in which contacts are dialed: First In First Out (FIFO), Last In First Out (LIFO), etc.",
     STRING, [Constraint("examples", ["FIFO", "LIFO"])]),
    ("example", 'Day of the week. Example: "MO", "TU"', STRING, [Constraint("examples", ["MO", "TU"])]),
    ("letter-code", 'Day of the week. (2-letter) Example: "MO", "TU"', STRING,
     [Constraint("examples", ["MO", "TU"]), Constraint("pattern", "^[A-Za-z]{2}$")]),
    ("each-object-includes", "Each object should include: • day: 'MO', 'TU', 'WE' • start: \"9:00 AM\"", ARRAY, [
        Constraint("type", "string", "[].day"), Constraint("required", True, "[].day"),
        Constraint("enum", ["MO", "TU", "WE"], "[].day"),
        Constraint("type", "string", "[].start"), Constraint("required", True, "[].start"),
        Constraint("pattern", CLOCK_TIME_PATTERN, "[].start"), Constraint("examples", ["9:00 AM"], "[].start"),
    ]),
]


@pytest.mark.parametrize(("rule", "text", "type_", "expected"), CASES, ids=[case[0] for case in CASES])
def test_each_phrase_rule_turns_the_vendors_wording_into_its_keywords(rule: str, text: str, type_: TypeSpec,
                                                                      expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


def test_every_rule_has_a_case() -> None:
    assert sorted(rule.name for rule in phrases.RULES) == sorted(case[0] for case in CASES)


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in phrases.RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("type_", "expected"), [(TypeSpec("string"), "5"), (TypeSpec("integer"), 5),
                                                  (TypeSpec("number"), 5)])
def test_enum_values_take_the_fields_type(type_: TypeSpec, expected: object) -> None:
    [constraint] = phrases.apply("Must be one of: 4 or 5.", type_)
    assert constraint.value[-1] == expected and type(constraint.value[-1]) is type(expected)


def test_enum_values_no_value_of_the_field_can_be_are_refused() -> None:
    """A boolean field's "one of: 4 or 5" was an enum of the strings "4" and "5", which no true or false meets."""
    with pytest.raises(phrases.UnreadPhrase, match='"4" is no value a boolean field can take'):
        phrases.apply("Must be one of: 4 or 5.", TypeSpec("boolean"))


def test_a_fractional_bound_stays_a_float() -> None:
    assert phrases.apply("Must be between 0.5 and 2.", NUMBER) == [Constraint("minimum", 0.5), Constraint("maximum", 2)]


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("Must be between 1 and 10,000.", NUMBER, [Constraint("minimum", 1), Constraint("maximum", 10000)]),
    ("Minimum is 1,000 and maximum is 3,000.", NUMBER, [Constraint("minimum", 1000), Constraint("maximum", 3000)]),
    ("Must be between 0.5 and 1,000.25.", NUMBER, [Constraint("minimum", 0.5), Constraint("maximum", 1000.25)]),
    ("The description must be a maximum of 1,024 characters.", STRING, [Constraint("maxLength", 1024)]),
    ("Must be one of: 1,000, 2,500 or 10,000.", NUMBER, [Constraint("enum", [1000, 2500, 10000])]),
    ("Must be one of: 1,2,3.", NUMBER, [Constraint("enum", [1, 2, 3])]),  # no thousands there: a list
])
def test_thousands_separators_are_read_whole(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


@pytest.mark.parametrize(("text", "phrase", "why"), [
    ("Must be between 1 and 1.440.", "between 1 and 1.440",
     '"1.440" may be 1440 (a period between thousands) or 1.44: the rules read thousands separated by commas alone '
     "(1,440)"),
    ("The name must be a maximum of 1.024 characters.", "maximum of 1.024 characters",
     '"1.024" may be 1024 (a period between thousands) or 1.024: the rules read thousands separated by commas alone '
     "(1,024)"),
    ("Must be between 1 and 100.000.", "between 1 and 100.000",  # 100, not 1E+2
     '"100.000" may be 100000 (a period between thousands) or 100: the rules read thousands separated by commas alone '
     "(100,000)"),
    ("Must be between 1 and 1.000.000.", "between 1 and 1.000.000",
     '"1.000.000" has periods between thousands: the rules read thousands separated by commas alone'),
    ("Must be between 1 and 1 440 minutes.", "between 1 and 1 440 minutes",
     '"1 440" has spaces between thousands: the rules read thousands separated by commas alone'),
    ("Must be between 1 and 1'440.", "between 1 and 1'440",
     "\"1'440\" has apostrophes between thousands: the rules read thousands separated by commas alone"),
    ("Must be one of: 1.000, 2.000.", "Must be one of: 1.000, 2.000",
     '"1.000" may be 1000 (a period between thousands) or 1: the rules read thousands separated by commas alone '
     "(1,000)"),
    ("Retry period. Example: 1.440", "Example: 1.440",
     '"1.440" may be 1440 (a period between thousands) or 1.44: the rules read thousands separated by commas alone '
     "(1,440)"),
])
def test_thousands_separated_otherwise_than_by_commas_are_refused(text: str, phrase: str, why: str) -> None:
    """ "between 1 and 1.440" (1440, as much of Europe writes it) was a maximum of 1.44 without a word, "1 440" the
    maximum 1 (refused as "Must be 440", words the page never wrote) and "Example: 1.440" the example 1.44."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, NUMBER)
    assert caught.value.phrase == phrase
    assert caught.value.why.endswith(f"cannot read it for certain: {why}")


@pytest.mark.parametrize(("text", "expected"), [
    ("Must be between 0.125 and 1,440.5.", [Constraint("minimum", 0.125), Constraint("maximum", 1440.5)]),
    ("Must be between 1 and 1.4400.", [Constraint("minimum", 1), Constraint("maximum", 1.44)]),
    ("Must be between 1 and 1.44.", [Constraint("minimum", 1), Constraint("maximum", 1.44)]),
])
def test_a_decimal_point_before_other_than_three_digits_is_read(text: str, expected: list[Constraint]) -> None:
    assert phrases.apply(text, NUMBER) == expected


def test_a_bound_with_a_period_between_thousands_is_refused_at_its_line(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The page's "between 1 and 1440" written "1.440" gave a maximum of 1.44: only the sample's 10 above it
    stopped the generator, as a contradiction at the sample's line."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("between 1 and 1440.", "between 1 and 1.440."), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(
        f'mockserver schemas: error: {page}:119: cannot read "between 1 and 1.440" as a constraint: the phrase rule '
        '"between" cannot read it for certain: "1.440" may be 1440 (a period between thousands) or 1.44')


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("Must be between 1 and 48 characters.", STRING, [Constraint("minLength", 1), Constraint("maxLength", 48)]),
    ("Minimum is 2 and maximum is 10 chars.", STRING, [Constraint("minLength", 2), Constraint("maxLength", 10)]),
    ("Between 1 and 10 lists.", ARRAY, [Constraint("minItems", 1), Constraint("maxItems", 10)]),
    ("Must be between 1 and 10.", ARRAY, [Constraint("minItems", 1), Constraint("maxItems", 10)]),
    ("Must be between 1 and 1440 minutes.", NUMBER, [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("Minimum is 5 and maximum is 120 seconds.", NUMBER, [Constraint("minimum", 5), Constraint("maximum", 120)]),
    ("Must be between 1 and 24 hours.", NUMBER, [Constraint("minimum", 1), Constraint("maximum", 24)]),
    ("Must be between 1 and 10.", NUMBER, [Constraint("minimum", 1), Constraint("maximum", 10)]),
    # of a string ("priority": a string of digits, or a length?) the rule does not guess: tests/test_spec_types.py
])
def test_bounds_take_the_keywords_of_the_fields_type(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


def test_examples_of_day_codes_are_not_an_enum() -> None:
    # The response table shows two day codes as examples: the day-code rule must not read them again.
    found = phrases.apply('Day of the week. Example: "MO", "TU", "WE"', STRING)
    assert [c.keyword for c in found] == ["examples"]


@pytest.mark.parametrize("text", ["Day of the week: MO, TU, WE, TH, FR, SA or SU.",
                                  "Day of the week: MO, TU, WE, TH, FR, SA, or SU.",
                                  "Day of the week: MO, TU, WE, TH, FR, SA and SU."])
def test_day_codes_joined_by_or_are_all_values(text: str) -> None:
    # the enum left out the last day, "or SU", without a word
    assert phrases.apply(text, STRING) == [Constraint("enum", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])]


@pytest.mark.parametrize(("text", "phrase", "said"), [
    ("Day of the week: MO, TU, WE, etc.", "MO, TU, WE, etc", "etc."),
    ("Day of the week: MO, TU, WE and more.", "MO, TU, WE and more", "and more"),
    ("Day of the week: MO, TU, WE and others.", "MO, TU, WE and others", "and others"),
])
def test_day_codes_that_name_only_some_are_refused(text: str, phrase: str, said: str) -> None:
    # read as the enum of the days named
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase
    assert caught.value.why == (f'the phrase rule "day-codes" cannot read it for certain: "{said}" says the list does '
                                "not name every day")


@pytest.mark.parametrize("text", ["Campaign creation timestamp (ISO-8601).", "Campaign creation timestamp (ISO8601)."])
def test_iso_8601_with_a_hyphen_or_no_space_is_a_date_time(text: str) -> None:
    # no rule read it, nor did any cue find it: the format was dropped without a word
    assert phrases.apply(text, STRING) == [Constraint("format", "date-time")]


def test_at_least_one_is_not_required_for() -> None:
    assert phrases.apply("At least one contact list name is required.", ARRAY) == [Constraint("minItems", 1)]


def test_plain_prose_yields_nothing() -> None:
    assert phrases.apply("Name of the campaign. Used to identify it in the Kore.ai platform.", STRING) == []


@pytest.mark.parametrize("text", ["Each object should include: day, start and end",
                                  "Each item must contain: day, start, end"])
def test_item_properties_without_bullets(text: str) -> None:
    found = phrases.apply(text, TypeSpec("array", "object"))
    assert [c.target for c in found if c.keyword == "required"] == ["[].day", "[].start", "[].end"]


@pytest.mark.parametrize("bullet", ["-", "*", "·", "◦"])
def test_item_properties_with_an_exports_bullets_on_one_line(bullet: str) -> None:
    """An export that writes the page's "•" as another bullet, in a cell's one line: read as "•" is, not split at
    commas, which made "time" of "time slots" a required property and dropped day, start and end."""
    text = (f"Each object should include: {bullet} day: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU' {bullet} start: "
            f'"9:00 AM" {bullet} end: "6:00 PM" You can define entries for different days and time slots.')
    found = phrases.apply(text, TypeSpec("array", "object"))
    assert found == phrases.apply(text.replace(f"{bullet} ", "• "), TypeSpec("array", "object"))
    assert [c.target for c in found if c.keyword == "required"] == ["[].day", "[].start", "[].end"]


def test_list_items_drop_quotes_and_conjunctions() -> None:
    assert phrases.list_items("“A”, 'B', or \"C\".") == ["A", "B", "C"]


def test_the_clock_pattern_is_one_line_of_text() -> None:
    # A raw newline in a pattern ends up in generated clients' string literals (openapi-generator's Python
    # client: SyntaxError, unterminated string literal); the pattern says `\n` as an escape instead.
    assert not any(ord(char) < 0x20 or ord(char) == 0x7F for char in CLOCK_TIME_PATTERN)
    assert "(?" not in CLOCK_TIME_PATTERN  # no lookaround: RE2 and Rust's regex have none


@pytest.mark.parametrize(("value", "valid"), [("9:00 AM", True), ("12:59 PM", True), ("9:00 AM\n", False),
                                               ("13:00 PM", False), ("9:00AM", False)])
def test_the_clock_pattern_in_python(value: str, valid: bool) -> None:
    # As the mock's validators apply it: `$` is the end of the text, where re.search's would take a trailing newline.
    assert bool(ecma_pattern.compiled(CLOCK_TIME_PATTERN).search(value)) is valid


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_clock_pattern_in_ecma_262() -> None:
    script = ("const p = new RegExp(process.argv[1], 'u');"
              "console.log(JSON.stringify(['9:00 AM', '12:59 PM', '9:00 AM\\n', '13:00 PM'].map(v => p.test(v))))")
    result = subprocess.run(["node", "-e", script, CLOCK_TIME_PATTERN], capture_output=True, encoding="utf-8",
                            check=True)
    assert json.loads(result.stdout) == [True, True, False, False]


# ---------------------------------------------------------------- wording no rule reads is refused

# (description, the phrase the refusal quotes): constraint wording that no rule reads.
UNREAD = [
    ("The name must be up to 48 chars.", "up to 48 chars"),
    ("The name must be max. 48 characters.", "max. 48 characters"),
    ("The name must not exceed 48 bytes.", "must not exceed 48 bytes"),
    ("Max time (in seconds). min 5 max 120.", "min 5 max 120"),
    ("Time to wait between retries. Can be from 1 to 1440.", "from 1 to 1440"),  # after "must be" alone it is read
    ("Time to wait between retries. Range: 1–1440.", "Range: 1–1440"),
    ("Dialing mode. Allowed values include Agentless, Progressive, or Preview.",
     "Allowed values include Agentless, Progressive, or Preview"),
    ("List of contact list names. Must exist in the account.", "Must exist in the account"),
    ("The description must be a maximum of 256 characters and a minimum of 10 characters.",
     "minimum of 10 characters"),
    ("The name must be a maximum of <b>48</b> characters.", "maximum of <b>48</b> characters"),
    ("At least 2 contact list names are required.", "At least 2 contact list names are required"),
    ("No more than 5 lists.", "No more than 5 lists"),
    ("Retries, 10 or fewer.", "10 or fewer"),
    ("Max ring time. Values over 120 are ignored.", "Values over 120 are ignored"),
    ("Max ring time. Anything above 120 is rejected.", "Anything above 120 is rejected"),
    ("The name: 48 characters or less.", "48 characters or less"),
    ("Must be one of A, B or C.", "one of A, B or C"),
    ("Must be either voice, sms or email.", "either voice, sms or email"),
    ("Must be <= 120.", "<= 120"),
    ("The caller id must be in 'E.164' form.", "must be in 'E.164' form"),
    ("Frequency. Values: WEEKLY, DAILY.", "Values: WEEKLY, DAILY"),
    # values, forms and conditions said in words, with no number or quote for the limit cues above to find
    ("Type of campaign. Must be voice or sms.", "Must be voice or sms"),
    ("Type of campaign. Can be voice or sms.", "Can be voice or sms"),
    ("Type of campaign. Set to voice.", "Set to voice"),
    ("Type of campaign. Allowed: voice, sms.", "Allowed: voice, sms"),
    ("Dialing mode. Supported modes are Agentless, Progressive, and Preview.",
     "Supported modes are Agentless, Progressive, and Preview"),
    ("Type of campaign. Only voice is supported.", "Only voice is supported"),
    ("The name. Must be unique within the account.", "Must be unique within the account"),
    ("Names of lists. Duplicates are ignored.", "Duplicates are ignored"),
    ("The name. Cannot be empty.", "Cannot be empty"),
    ("The name. Must not contain spaces.", "Must not contain spaces"),
    ("Attempts. Must be a positive integer.", "Must be a positive integer"),
    ("Attempts. Whole numbers only.", "Whole numbers only"),
    ("Caller ID. In E.164 format.", "E.164 format"),
    ("The address. Must be a valid email address.", "Must be a valid email address"),
    ("Ring time. 5 seconds minimum.", "5 seconds minimum"),
    ("Contact lists. One or more list names.", "One or more list names"),
    ("Ring time. Defaults to 30.", "Defaults to 30"),
    ("The queue. Optional for Agentless mode.", "Optional for Agentless mode"),
    ("The queue. Required when dialingMode is Progressive.", "Required when dialingMode is Progressive"),
    ("The queue. Not required for Agentless dialing.", "Not required for Agentless dialing"),  # not "required for"
    # required or optional on a condition said otherwise: each was dropped
    ("The queue. For Progressive, required.", "For Progressive, required"),
    ("The queue. When dialingMode is Progressive, this field is required.",
     "When dialingMode is Progressive, this field is required"),
    ("The queue. Required in Progressive mode.", "Required in Progressive mode"),
    ("The queue. Mandatory in Progressive mode.", "Mandatory in Progressive mode"),
    ("The queue. Optional in Agentless mode.", "Optional in Agentless mode"),
    ("The queue. Required (Progressive only).", "Required (Progressive only)"),
    # "required for" inside a sentence made the field required: a question a flag answers, or a subject's
    ("Whether a queue is required for Progressive dialing.", "required for Progressive dialing"),
    ("The queue is required for Progressive dialing.", "required for Progressive dialing"),
    ("Start time. (hh:mm)", "(hh:mm)"),  # a clock form, not the one the pattern reads
    ("Start time. (h:mm AM/PM)", "(h:mm AM/PM)"),  # no rule reads it: it was dropped without a word
    ("Creation time. (ISO 8601, UTC)", "(ISO 8601, UTC)"),  # a format no rule reads: dropped too
    ("Creation time, ISO 8601.", "ISO 8601"),
    ("The queue. Can be null.", "null"),
    # a form, a state, a default or a list, each said with its words of form around it: the same words alone are
    # prose (test_a_word_alone_is_not_refused)
    ("The owner. A valid email.", "valid email"),
    ("The list id. UUID format.", "UUID format"),
    ("Caller ID. Format: E.164.", "Format: E.164"),
    ("The sender. As defined by RFC 5322.", "RFC 5322"),
    ("The list id. Expects a UUID.", "Expects a UUID"),
    ("The list id. UUID v4 string.", "UUID v4 string"),
    ("Creation time. ISO 8601 format.", "ISO 8601 format"),
    ("Phone number. Uses the format +<country><number>.", "Uses the format +<country><number>"),
    ("Phone number. Follows the pattern ^[0-9]+$.", "Follows the pattern ^[0-9]+$"),
    ("The start date. In YYYY-MM-DD format.", "YYYY-MM-DD format"),
    ("The name. Pattern: ^[a-z]+$", "Pattern: ^[a-z]+$"),
    ("The code. Matches the regex ^[0-9]+$.", "Matches the regex ^[0-9]+$"),
    ("The phone number of the contact in numeric digits without any special characters or alphabets.",
     "in numeric digits without any special characters or alphabets"),
    ("Custom identifier for the agent. Supports special characters except space.",
     "Supports special characters except space"),
    ("Phone number. Digits only.", "Digits only"),
    ("The code. Lowercase letters only.", "Lowercase letters only"),
    ("The name. No spaces.", "No spaces"),
    ("Null when the campaign has not started.", "Null when the campaign has not started"),  # null widens the type
    ("The agent's nullable nickname.", "nullable nickname"),
    ("The name. Empty values are not allowed.", "Empty values are not allowed"),
    ("The name. Non-empty.", "Non-empty"),
    ("Names of lists. No duplicate names.", "No duplicate names"),
    ("Names of lists. Duplicated entries are rejected.", "Duplicated entries are rejected"),
    ("Contacts. Allows duplicate names with different numbers.", "Allows duplicate names with different numbers"),
    ("Names of lists. A list of distinct names.", "distinct names"),
    ("Retries. A positive number.", "positive number"),
    ("Retries. Non-negative.", "Non-negative"),
    ("Ring time. The bounds are exclusive.", "exclusive"),
    ("Ring time. Default: 30.", "Default: 30"),
    ("Ring time. The default value is 30.", "default value is 30"),
    ("Ring time. A default of 30 seconds applies.", "default of 30 seconds applies"),
    ("Ring time. By default, 30 seconds.", "By default, 30 seconds"),
    ("Type of campaign. Always set to voice.", "Always set to voice"),
    ("Email address of the agent. Must be unique.", "Must be unique"),
    ("The campaign name. A 48-character limit applies.", "48-character limit applies"),  # a bound said before
    ("Country of the contact. A 3-letter code.", "3-letter code"),  # a form out of the rule's parentheses
    ("The extension. 4-digit.", "4-digit"),
    # a range as a pair of numbers, with no limit word: dropped without a word
    ("Max time (in seconds) the phone should ring. 5-120.", "5-120"),
    ("Campaign priority. 1 - 5.", "1 - 5"),
    ("Max time (in seconds) the phone should ring. 5 to 120.", "5 to 120"),
    ("Campaign priority, from 1 (lowest) to 5 (highest).", "from 1 (lowest) to 5 (highest)"),
    # one word after a label: the one value allowed, or what the label names? It was dropped without a word
    ("Type: voice.", "Type: voice"),
    ("Campaign type: “voice”.", "type: “voice”"),
    ("The channel (Type: voice).", "Type: voice)"),
    # after a label's dash as after its colon (it was dropped), and a list joined by "or" there
    ("Channel — voice.", "Channel — voice"),
    ("Channel - voice.", "Channel - voice"),
    ("Channel – voice.", "Channel – voice"),
    ("Channel—“voice”.", "Channel—“voice”"),
    ("Channel — voice or sms.", "voice or sms"),
]


@pytest.mark.parametrize(("text", "phrase"), UNREAD, ids=[case[1] for case in UNREAD])
def test_constraint_wording_no_rule_reads_is_refused(text: str, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase
    assert str(caught.value) == (f'cannot read "{phrase}" as a constraint: no phrase rule matches it; add a rule to '
                                 "mockserver/spec/phrases.py, or a [[read]] entry to the page's overrides file")


def test_wording_inside_an_item_bullet_is_refused_too() -> None:
    with pytest.raises(phrases.UnreadPhrase, match='"up to 7 days"'):
        phrases.apply("Each object should include: • day: 'MO', 'TU', 'WE' • start: up to 7 days", ARRAY)


@pytest.mark.parametrize("text", [
    "Maximum number of call attempts per contact.",  # a limit word, no number
    "Time (in minutes) to wait between retries.",
    "Max time (in seconds) the phone should ring before disconnecting.",
    "Higher values indicate higher execution priority.",
    "Used to identify it in the Kore.ai platform.",
    "One of the lists the campaign dials.",
    "Lowercase name of the campaign, used internally.",  # a word of form that describes, and asks nothing
    "Unique identifier for the campaign.",
    "List of allowed calling time blocks.",
    "Defines the allowed calling hours and schedule.",
    "Bot ID or Stream ID. You can get it from the general settings page.",
    "It can be used to group campaigns.",
    "Default wait time between retries. (minutes)",
])
def test_prose_with_a_limit_word_or_a_number_alone_is_not_refused(text: str) -> None:
    assert phrases.apply(text, NUMBER) == []


# Descriptions in the style of the vendor's pages whose words of form, state or default name a thing, ask a question
# or count, and ask nothing of the value.
PLAIN = [
    "Email of the person who owns it.",
    "Email address of the agent.",
    "Email ID of the user being added.",
    "Whether email notifications are enabled.",
    "UUID of the list.",
    "Unique ID of the campaign. (UUID)",
    "GUID of the queue the agent belongs to.",
    "The pattern used for matching caller numbers.",
    "Name of the regex entity.",
    "Regular expression used to match utterances.",
    "Format of the exported report.",
    "Date format used in the report.",
    "The formatted display name of the agent.",
    "How the phone number is formatted in reports.",
    "Indicates whether the list is empty.",
    "Number of empty records skipped.",
    "Empty if the campaign has no description.",
    "Agent disposition codes. Empty array if none were set.",
    "Blank when no agent picked up.",
    "Count of duplicate contacts found.",
    "Number of duplicates removed from the list.",
    "Whether duplicate contacts are allowed.",
    "Number of distinct contacts dialed.",
    "Count of positive dispositions.",
    "Whether the sentiment was positive or negative.",
    "Exclusive access flag for the queue.",
    "Whether the queue is exclusive to preferred agents.",
    "Used exclusively for Progressive campaigns.",
    "The default value of the disposition.",
    "Whether this is the default queue.",
    "Set to true to enable scheduling.",
    "The name set to the queue.",
    "The allowed calling hours, as configured for the queue.",
    "Whether the agent is available for voice or chat.",
    "Possible outcomes of the call, such as busy or answered.",
    "Day the campaign was created, such as 2025-12-04.",  # a date, not a range
    "Support line of the tenant, such as 816-555-0100.",
    "Country of the tenant, an ISO 3166-1 alpha-2 code.",  # a standard's part, not a range
    "Language of the prompts, an ISO 639-1 code.",
    "Indicates if the contact list is required.",  # a question a flag answers, not a condition
    "Calls start at 9:00.",  # a clock time, not a label and its value
    "Described at https://example.com/a:b.",
    "Note: dialingStrategy.maxRingTime is in seconds.",  # a label before a sentence
    "The campaign's name - shown in the UI.",  # words after a dash that say more than one value
    "Offset from UTC -5.",  # a hyphen before a number, not a dash
    "A well-known name.",
]


@pytest.mark.parametrize("text", PLAIN)
def test_a_word_alone_is_not_refused(text: str) -> None:
    assert phrases.apply(text, STRING) == []


def test_every_description_of_the_vendored_pages_is_read() -> None:
    # Calibration: the detector must not fire on any cell the repository's pages (and test pages) hold.
    pages = [FROZEN_SOURCE / f"{CONTRACT}.md", *sorted((Path(__file__).parent / "pages").glob("*.md"))]
    rows = [row.split("|") for page in pages for row in page.read_text(encoding="utf-8").splitlines()
            if row.startswith("| `")]
    assert len(rows) > 40
    for row in rows:  # as a field of the row's type: bounds on a string, a pattern on an integer are refused
        phrases.apply(row[2], _row_type(row[3:]))


def _row_type(cells: list[str]) -> TypeSpec:
    """The type a row's cells say (the first one read as a type), or a string."""
    for cell in cells:
        try:
            return parse_type(cell)[0]
        except ValueError:
            continue
    return STRING


# The QA pass's mutations of the vendored page: (line, old, new, the phrase the refusal quotes).
PAGE_EDITS = [
    (106, "maximum of 48 characters", "up to 48 chars", "up to 48 chars"),
    (106, "maximum of 48 characters", "max. 48 characters", "max. 48 characters"),
    (106, "must be a maximum of 48 characters", "must not exceed 48 bytes", "must not exceed 48 bytes"),
    (106, "maximum of 48 characters", "maximum of <b>48</b> characters", "maximum of <b>48</b> characters"),
    (107, "256 characters", "256 characters and a minimum of 10 characters", "minimum of 10 characters"),
    (108, "Must exist in the system", "Must exist in the account", "Must exist in the account"),
    (112, "Valid values are:", "Allowed values include", "Allowed values include Agentless, Progressive, or Preview"),
    (119, "Must be between 1 and 1440", "Can be from 1 to 1440", "from 1 to 1440"),
    (119, "Must be between 1 and 1440", "Range: 1–1440", "Range: 1–1440"),
    (120, "Must be between 5 and 120.", "min 5 max 120.", "min 5 max 120"),
    (120, "Must be between 5 and 120.", "5-120.", "5-120"),
    (120, "Must be between 5 and 120.", "From 5 to 120.", "From 5 to 120"),
    (111, "must be one of the following: 1, 2, 3, 4, or 5.", "is 1 - 5.", "1 - 5"),
    # wording a rule reads in part: what it leaves of the sentence is refused, not dropped
    (120, "between 5 and 120.", "between 5 and 120, exclusive.", "exclusive"),
    (113, "verified number.", "verified number in E.164 format.", "E.164 format"),
    (122, "Must be either voice or sms.", "Must be voice or sms.", "Must be voice or sms"),
    (112, "Valid values are: Agentless, Progressive, or Preview.",
     "Supported modes are Agentless, Progressive, and Preview.",
     "Supported modes are Agentless, Progressive, and Preview"),
]


@pytest.mark.parametrize(("line", "old", "new", "phrase"), PAGE_EDITS, ids=[edit[2] for edit in PAGE_EDITS])
def test_the_page_line_no_rule_reads_is_one_line(line: int, old: str, new: str, phrase: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    page.write_text("".join(lines), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    field = re.match(r"\| `([^`]+)`", lines[line - 1])[1]
    assert capsys.readouterr().err == (
        f'mockserver schemas: error: {page}:{line}: cannot read "{phrase}" as a constraint: no phrase rule matches '
        f'it; add a rule to mockserver/spec/phrases.py, or a [[read]] entry (table = "body", field = "{field}", '
        f'words = "{phrase}") to {CONTRACT}.overrides.toml\n')
    assert not (tmp_path / "out").exists()


def test_a_new_row_of_plain_prose_is_generated(tmp_path: Path) -> None:
    # A row whose description names a form ("Email") without asking for it: read as prose, not refused.
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[121].startswith("| `campaignType` |")
    lines.insert(122, "| `ownerEmail` | Email of the person who owns it. | string |\n")
    page.write_text("".join(lines), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    request = json.loads((tmp_path / "out" / CONTRACT / "request.schema.json").read_text(encoding="utf-8"))
    assert request["properties"]["ownerEmail"] == {
        "description": "Email of the person who owns it.", "type": "string",
        "x-source": {"description": f"{CONTRACT}.md:123", "type": f"{CONTRACT}.md:123"}}


@pytest.mark.parametrize(
    ("written", "value"),
    [("10,000", 10000), ("1,440", 1440), ("99999999999999999999999", 99999999999999999999999),
     ("9007199254740993", 9007199254740993), ("0.5", 0.5), ("-3", -3), ("2.0", 2)],
)
def test_a_number_is_read_exactly(written: str, value: int | float) -> None:
    """A whole number keeps every digit (through a float, 9007199254740993 became ...992)."""
    read = phrases.number(written)
    assert read == value and type(read) is type(value)


@pytest.mark.parametrize("value", ['"1,440:00 AM"', '"9.00 AM"', "'Monday'", "“13:00 PM”"])
def test_an_item_bullet_value_no_rule_reads_is_refused(value: str) -> None:
    """A bullet's value, quoted as the page quotes what a field holds ("start: "9:00 AM""), that no rule reads was
    dropped: a typo in the page's time took the clock pattern out of the schema without a word."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(f"Each object should include: • day: 'MO', 'TU', 'WE' • start: {value} • end: \"6:00 PM\"",
                      ARRAY)
    assert caught.value.phrase == f"start: {value}" and caught.value.inside == "each-object-includes"


# ---------------------------------------------------------------- lists of values, read whole or refused

@pytest.mark.parametrize(("cell", "values"), [
    ("Priority must be one of the following values: 1, 2, 3, 4, or 5.", ["1", "2", "3", "4", "5"]),
    ("Valid values are: Agentless, Progressive, or Preview (case-sensitive).", ["Agentless", "Progressive", "Preview"]),
    ("Detection mode. Valid values are:<br>- OFF<br>- DETECT<br>- HANGUP", ["OFF", "DETECT", "HANGUP"]),
    # every value holds the colon and the space, so neither says that words went into one
    ("Must be one of: 9:00 AM, 12:00 PM (case-sensitive).", ["9:00 AM", "12:00 PM"]),
], ids=["a-word-before-the-list", "case-sensitive", "bullets", "values-with-spaces"])
def test_a_list_of_values_is_read_whole(cell: str, values: list[str]) -> None:
    """The list ran to the end of its sentence: "one of the following values: 1, ..." gave the value "values: 1",
    "(case-sensitive)" went into the last value, and a bullet list became one value, "• OFF • DETECT • HANGUP"."""
    assert phrases.apply(clean_cell(cell), STRING) == [Constraint("enum", values)]


def test_values_that_are_words_of_a_list_stay_values() -> None:
    assert phrases.apply("Valid values are: all, none, default.", STRING) == [
        Constraint("enum", ["all", "none", "default"])]


@pytest.mark.parametrize(("cell", "phrase", "why"), [
    ("Valid values are: Agentless, Progressive, Preview, etc.",
     "Valid values are: Agentless, Progressive, Preview, etc", '"etc" says the list does not name every value'),
    ("Valid values are: Agentless, Progressive, or Preview &amp; more.",
     "Valid values are: Agentless, Progressive, or Preview & more",
     '"Preview & more" says the list does not name every value'),
    ("Priority must be one of the following numbers: 1, 2, 3.", "must be one of the following numbers: 1, 2, 3",
     '"numbers: 1" holds a colon, which the other values do not: words that are no value may be in it'),
    ("Valid values are: Agentless, Progressive, or Preview (beta).",
     "Valid values are: Agentless, Progressive, or Preview (beta)",
     '"Preview (beta)" holds a space, which the other values do not: words that are no value may be in it'),
    ("Valid values are:<br>- OFF<br>- DETECT<br>- HANGUP<br>Defaults to OFF",
     "Valid values are: • OFF • DETECT • HANGUP Defaults to OFF",
     '"HANGUP Defaults to OFF" holds a space, which the other values do not: words that are no value may be in it'),
    # values split as the page shows them, but not by a comma or a bullet: read as one value, the field took only it
    ("Frequency must be one of: WEEKLY \\| DAILY \\| CUSTOM.", "must be one of: WEEKLY | DAILY | CUSTOM",
     '"WEEKLY | DAILY | CUSTOM" is the one value of the list and holds a space: values may run together in it'),
    ("Valid values are:<br>Agentless<br>Progressive<br>Preview", "Valid values are: Agentless Progressive Preview",
     '"Agentless Progressive Preview" is the one value of the list and holds a space: values may run together in it'),
    ("Valid values are: Agentless/Progressive/Preview.", "Valid values are: Agentless/Progressive/Preview",
     '"Agentless/Progressive/Preview" is the one value of the list and holds a slash: values may run together in it'),
    ("Priority must be one of the following: 1-5.", "1-5", '"1-5" is a range, not a value'),
    # split at its "and" or "or", the list's end was a value: "voice, sms, and more" gave the enum [voice, sms, more]
    ("One of the following: voice, sms, and more.", "One of the following: voice, sms, and more",
     '"and more" says the list does not name every value'),
    ("Valid values are: voice, sms, and others.", "Valid values are: voice, sms, and others",
     '"and others" says the list does not name every value'),
    ("Valid values are: voice, sms or others.", "Valid values are: voice, sms or others",
     '"or others" says the list does not name every value'),
    ("One of the following: voice, sms, etc.", "One of the following: voice, sms, etc",
     '"etc" says the list does not name every value'),
    ("Must be one of: voice or sms, lowercase.", "one of: voice or sms, lowercase",
     '"lowercase" may say a case or a form of the values, not be one'),
], ids=["etc", "and-more", "a-word-before-the-first-value", "a-note-after-the-last-value", "prose-after-the-bullets",
        "values-split-by-pipes", "values-split-by-br", "values-split-by-slashes", "a-range", "and-more-split",
        "and-others", "or-others", "one-of-etc", "a-word-said-of-the-values"])
def test_a_list_of_values_not_read_for_certain_is_refused(cell: str, phrase: str, why: str) -> None:
    """The rule took what followed the last value into it ("Preview, etc" gave the value "etc", "Preview & more"
    one value), and the schema refused the page's own values, or allowed one the page never named."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(cell), STRING)
    assert caught.value.phrase == phrase
    assert caught.value.why.endswith(f"cannot read it for certain: {why}")


@pytest.mark.parametrize(("text", "follows"), [
    ("Type of campaign. Must be either voice or sms or email.", "or email"),
    ("Type of campaign. Must be either voice or sms (lowercase).", "(lowercase)"),
])
def test_either_with_more_after_its_two_values_is_refused(text: str, follows: str) -> None:
    """"Must be either voice or sms or email" gave the enum ["voice", "sms"], dropping "or email" without a word."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.why.endswith(f'cannot read it for certain: "{follows}" follows the two values')
    assert phrases.apply("Type of campaign. Must be either voice or sms (case-sensitive).", STRING)[0].value == [
        "voice", "sms"]


@pytest.mark.parametrize("text", [
    'Order in which records are dialed. Example: "FIFO"', 'Order in which records are dialed, e.g. "FIFO"',
    'Order in which records are dialed (e.g. "FIFO").', "Order in which records are dialed (e.g., FIFO).",
    "Order in which records are dialed. E.g.: FIFO.", "Order in which records are dialed. For example, FIFO.",
])
def test_e_g_and_for_example_give_examples_as_example_does(text: str) -> None:
    """ `e.g. "FIFO"` gave no example where `Example: "FIFO"` gave one: the same page said the same thing to a
    schema's reader or not, by its wording."""
    assert phrases.apply(text, STRING) == [Constraint("examples", ["FIFO"])]


@pytest.mark.parametrize(("text", "phrase", "why"), [
    ("The name. Example: at most 48 characters.", "at most 48 characters",
     '"at most 48 characters" reads like a constraint, not an example'),
    ("The name, e.g. no more than 48 characters.", "no more than 48 characters",
     '"no more than 48 characters" reads like a constraint, not an example'),
    ("Start time of calling window. (hh:mm AM/PM) Example: 9:00am", "9:00am",
     '"9:00am" is not in the form the pattern reads, "9:00 AM" (a space, then AM or PM in capitals)'),
])
def test_an_example_that_is_no_example_is_refused(text: str, phrase: str, why: str) -> None:
    """The example rule took whatever followed "Example:": a limit became an example and was dropped as a
    constraint, and "9:00am" an example the field's own pattern refuses."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase
    assert caught.value.why == f'the phrase rule "example" cannot read it for certain: {why}'


WORDS = '"{}" reads as words, not a value: an example is a value in quotes, one word or a name in capitals'


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), [
    ("Name of the queue. Use for example the agent's queue name.", STRING, "for example the agent's queue name",
     WORDS.format("the agent's queue name")),
    ("Order in which records are dialed; for example, FIFO dials the oldest first.", STRING,
     "for example, FIFO dials the oldest first", WORDS.format("FIFO dials the oldest first")),
    ("Order in which records are dialed. Example: FIFO dials the oldest first.", STRING,
     "Example: FIFO dials the oldest first", WORDS.format("FIFO dials the oldest first")),
    ("Number of retries, e.g. 3 apples.", TypeSpec("integer"), "e.g. 3 apples",
     '"3 apples" is no number, as an example of an integer field must be'),
    ("Wait time, e.g. 10 minute-ish.", TypeSpec("integer"), "e.g. 10 minute-ish",
     '"10 minute-ish" is no number, as an example of an integer field must be'),
    ("Wait time (in minutes). Example: 1e3", TypeSpec("integer"), "Example: 1e3",
     '"1e3" is no number, as an example of an integer field must be'),
    ("Wait time (in minutes). Example: 1e3 minutes", TypeSpec("integer"), "Example: 1e3 minutes",
     '"1e3 minutes" is no number, as an example of an integer field must be'),
    ("Ratio, e.g. half.", NUMBER, "e.g. half", '"half" is no number, as an example of a number field must be'),
    ("Whether to retry, e.g. yes.", TypeSpec("boolean"), "e.g. yes",
     '"yes" is neither true nor false, as an example of a boolean field must be'),
])
def test_an_example_in_prose_that_is_no_value_of_the_field_is_refused(text: str, type_: TypeSpec, phrase: str,
                                                                       why: str) -> None:
    """"for example" and "e.g." are ordinary wording too: the words after them were taken whole for examples, the
    agent's queue name and a sentence about FIFO as strings, and "10 minutes" as an integer field's example."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.phrase == phrase
    assert caught.value.why == f'the phrase rule "example" cannot read it for certain: {why}'


@pytest.mark.parametrize(("text", "type_", "examples"), [
    ('Order in which records are dialed, e.g. "oldest record first".', STRING, ["oldest record first"]),
    ("Display label, for example India Standard Time.", STRING, ["India Standard Time"]),
    ("Start of the window, e.g. 9:00 AM.", STRING, ["9:00 AM"]),
    ("Wait time in minutes, e.g. 10,000.", TypeSpec("integer"), [10000]),
    ("Whether to retry, e.g. true.", TypeSpec("boolean"), [True]),
])
def test_an_example_in_prose_that_is_a_value_of_the_field_is_read(text: str, type_: TypeSpec,
                                                                   examples: list[object]) -> None:
    found = [constraint for constraint in phrases.apply(text, type_) if constraint.keyword == "examples"]
    assert found == [Constraint("examples", examples)]


@pytest.mark.parametrize(("text", "type_", "examples"), [
    ("Max time the phone should ring. e.g. 30 seconds", TypeSpec("integer"), [30]),
    ("Max time the phone should ring. Example: 30 seconds", TypeSpec("integer"), [30]),
    ("Max time the phone should ring, for example 30 seconds.", TypeSpec("integer"), [30]),
    ("Wait time e.g. 10 minutes.", TypeSpec("integer"), [10]),
    ("Wait time, e.g. 1,500 ms or 2,000 MS.", TypeSpec("integer"), [1500, 2000]),
    ("Wait time, e.g. 1.5 days.", NUMBER, [1.5]),
    ("Maximum retry attempts for each record, e.g. 3 attempts.", TypeSpec("integer"), [3]),
    ("Maximum retry attempts for each record, e.g. 1 attempt.", TypeSpec("integer"), [1]),
    ("Contacts dialed at once (a batch of contacts). Example: 20 contacts", NUMBER, [20]),
    ("Time to wait between retries, e.g. 10 minutes. Must be between 1 and 1440 minutes.", TypeSpec("integer"),
     [10]),
])
def test_an_example_number_followed_by_its_unit_is_the_number(text: str, type_: TypeSpec,
                                                                examples: list[object]) -> None:
    """ "e.g. 30 seconds" on an integer field was refused as no number, where "between 1 and 1440 minutes" read
    past its unit: a plain unit of time, or a word the description uses elsewhere, after the number is its unit."""
    found = [constraint for constraint in phrases.apply(text, type_) if constraint.keyword == "examples"]
    assert found == [Constraint("examples", examples)]


def strategy_generated_with(tmp_path: Path, old: str, new: str) -> dict[str, Any]:
    """The response schema's dialingStrategy properties, generated from the frozen page with `old` written `new`."""
    response = generated_with(tmp_path, old, new)
    return response["properties"]["data"]["properties"]["dialingStrategy"]["properties"]


def test_e_g_on_the_page_gives_the_example_example_gives(tmp_path: Path) -> None:
    order = strategy_generated_with(tmp_path, 'Order in which records are dialed. Example: `"FIFO"`',
                                    'Order in which records are dialed, e.g. `"FIFO"`')["dialingOrder"]
    assert order["examples"] == ["FIFO"] and order["x-source"]["examples"] == f"{CONTRACT}.md:218"


def test_an_example_with_its_unit_on_the_page_gives_the_number(tmp_path: Path) -> None:
    ring = strategy_generated_with(tmp_path, "| Maximum ring time before hanging up. (seconds) |",
                                   "| Maximum ring time before hanging up, e.g. 30 seconds. |")["maxRingTime"]
    assert ring["type"] == "integer" and ring["examples"] == [30]


@pytest.mark.parametrize("text", ["Order in which records are dialed, for example:",
                                  "Order in which records are dialed, e.g.:",
                                  "Order in which records are dialed (for example:)"])
def test_e_g_or_for_example_with_nothing_after_gives_no_example(text: str) -> None:
    """ "for example:" ending a cell (its examples in a list under the table) gave the example ":"."""
    assert phrases.apply(text, STRING) == []


@pytest.mark.parametrize("end", ["etc.", "and more.", "and so on."])
def test_an_example_list_that_names_only_some_gives_no_example_of_its_end(end: str) -> None:
    """"Example: FIFO, LIFO, etc." gave the example "etc", which a schema's reader takes for a value."""
    assert phrases.apply(f"Dialing order. Example: FIFO, LIFO, {end}", STRING)[0].value == ["FIFO", "LIFO"]


def test_a_read_entry_settles_a_list_the_rule_cannot_read() -> None:
    # The rule reads nothing of such a list, so the overrides file's [[read]] entry can state the values itself.
    words = "Valid values are: Agentless, Progressive, Preview, etc"
    assert phrases.apply(f"Dialing mode. {words}.", STRING, [words]) == []


def test_a_list_not_read_for_certain_is_one_line_naming_the_page_line(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The page's "Valid values are: Agentless, Progressive, Preview, etc." was written as the enum
    ["Agentless", "Progressive", "Preview", "etc"], exit status 0."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Agentless, Progressive, or Preview.", "Agentless, Progressive, Preview, etc."),
                    encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    words = "Valid values are: Agentless, Progressive, Preview, etc"
    assert capsys.readouterr().err == (
        f'mockserver schemas: error: {page}:112: cannot read "{words}" as a constraint: the phrase rule '
        '"valid-values-are" cannot read it for certain: "etc" says the list does not name every value; add a rule '
        f'to mockserver/spec/phrases.py, or a [[read]] entry (table = "body", field = "dialingMode", words = '
        f'"{words}") to {CONTRACT}.overrides.toml\n')
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("cell", "values"), [
    ("Type of campaign. Use `“voice”` or `“sms”`", ["voice", "sms"]),
    ('Type of campaign. Use "voice", "sms" or "email".', ["voice", "sms", "email"]),
])
def test_every_quoted_value_after_use_is_read(cell: str, values: list[str]) -> None:
    """The rule read the first quoted value alone: `Use "voice" or "sms"` gave the enum ["voice"], and a client
    sending sms was refused by a schema the page never asked for."""
    assert phrases.apply(clean_cell(cell), STRING) == [Constraint("enum", values)]


def test_use_with_a_value_out_of_quotes_after_it_is_refused() -> None:
    """ "Use “voice” or sms" gave ["voice"]; "or sms" was dropped without a word."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Type of campaign. Use “voice” or sms.", STRING)
    assert caught.value.phrase == "Use “voice” or sms"


def test_required_for_on_a_row_that_says_optional_is_refused(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """ "Required for Progressive dialing." made a row the type cell calls optional required, without a word: the
    two came from one line, so the check of two rows that disagree did not look."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[120].startswith("| `queue_name` |") and "Required for Progressive dialing." in lines[120]
    lines[120] = lines[120].replace("string, required", "string, optional")
    page.write_text("".join(lines), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f'mockserver schemas: error: {page}:121: cannot read "Required for Progressive dialing" as a constraint: the '
        'phrase rule "required-for" cannot read it for certain: the row says optional, and the rule would make the '
        "field always required; add a rule to mockserver/spec/phrases.py, or a [[read]] entry (table = \"body\", "
        f'field = "queue_name", words = "Required for Progressive dialing") to {CONTRACT}.overrides.toml\n')


def test_a_read_entry_settles_required_for_on_an_optional_row() -> None:
    # The rule reads nothing there, so the overrides file can read the condition as prose (the row stays optional).
    words = "Required for Progressive dialing"
    assert phrases.apply(f"The queue. {words}.", STRING, [words], required=False) == []


@pytest.mark.parametrize(("text", "type_"), [
    ("Display label shown for the time zone, for example India Standard Time.", STRING),
    ("Time zone offset from UTC, for example +05:30.", STRING),
    ("Whether to dial each contact in their own time zone.", TypeSpec("boolean")),
])
def test_a_time_zone_mentioned_is_not_the_format(text: str, type_: TypeSpec) -> None:
    """Any "time zone" in a description gave the format iana-time-zone: a label's own example was then refused,
    and a boolean row was refused as "format does not apply to a field of type boolean"."""
    assert [c.keyword for c in phrases.apply(text, type_)] in ([], ["examples"])



@pytest.mark.parametrize("value", ['"9:00AM"', '"9:00 am"', "“9:00 Pm”"])
def test_an_item_bullet_time_in_another_form_than_the_pattern_is_refused(value: str) -> None:
    """The clock rule read "9:00AM" and "9:00 am" (any case, the space optional) and gave the pattern, which needs
    both: the schema's own example failed its pattern, and the page's samples in that form failed the tables."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(f"Each object should include: • day: 'MO', 'TU', 'WE' • start: {value} • end: \"6:00 PM\"",
                      ARRAY)
    assert caught.value.inside == "each-object-includes"
    assert caught.value.why == (f'the phrase rule "clock-time" cannot read it for certain: "{value[1:-1]}" is not in '
                                'the form the pattern reads, "9:00 AM" (a space, then AM or PM in capitals)')


@pytest.mark.parametrize(("text", "phrase"), [
    ("Start time of calling window. (hh:mm am/pm)", "(hh:mm am/pm)"),
    ("Start time of calling window. (hh:mmAM/PM)", "(hh:mmAM/PM)"),
    ("Start time of calling window. (hh:mm AM/PM), for example 9:00am", "9:00am"),
])
def test_a_clock_time_or_form_in_another_form_than_the_pattern_is_refused(text: str, phrase: str) -> None:
    """ "(hh:mm am/pm)" gave the pattern of "9:00 AM", and "for example 9:00am" an example that pattern refuses."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase and "is not" in caught.value.why


@pytest.mark.parametrize(("text", "phrase"), [
    ("Start time of calling window. (hh:mm AM/PM) Must be between 9:00 AM and 6:00 PM.", "between 9:00 AM and 6:00 PM"),
    ("Start time of calling window, no later than 6:00 PM.", "no later than 6:00 PM"),
    ("Start time of calling window, not before 9:00 AM.", "not before 9:00 AM"),
    ("Start time of calling window, from 9:00 AM to 6:00 PM.", "from 9:00 AM to 6:00 PM"),
    ("Start time of calling window, 9:00 AM - 6:00 PM.", "9:00 AM - 6:00 PM"),
    ("Start time of calling window, 9:00 AM or later.", "9:00 AM or later"),
    ("Timezone in which calling hours are defined. Calls start after 9:00 AM.", "after 9:00 AM"),
])
def test_a_clock_time_that_bounds_the_value_is_refused(text: str, phrase: str) -> None:
    """The clock rule read any time as the field's form: "no later than 6:00 PM" gave the pattern and the example
    "6:00 PM", the bound dropped without a word (on a time zone's row, a clock pattern the zone fails), and "between
    9:00 AM and 6:00 PM" was refused as the time said twice."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase
    assert caught.value.why == (f'the phrase rule "clock-time" cannot read it for certain: "{phrase}" bounds the time: '
                                "the pattern reads its form alone, and no keyword compares clock times")


def test_a_calling_window_in_a_description_is_refused_at_its_line(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    old = "| Start time of calling window. (hh:mm AM/PM) |"
    page.write_text(text.replace(old, "| Start time of calling window, no later than 6:00 PM. (hh:mm AM/PM) |"),
                    encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(
        f'mockserver schemas: error: {page}:214: cannot read "no later than 6:00 PM" as a constraint: the phrase rule '
        '"clock-time" cannot read it for certain')


@pytest.mark.parametrize(("text", "required", "expected"), [
    ("Name of the agent queue. Required.", None, [Constraint("required", True)]),
    ("Name of the agent queue. This field is mandatory.", None, [Constraint("required", True)]),
    ("Name of the agent queue (optional).", None, [Constraint("required", False)]),
    ("Name of the agent queue. Optional.", False, [Constraint("required", False)]),
    ("Whether the queue is required.", None, []),  # a flag's meaning, not this field's
    ("A token is required to call it.", None, []),
    ("Valid values are: A, B. Required.", None, [Constraint("enum", ["A", "B"]), Constraint("required", True)]),
])
def test_a_sentence_that_says_required_or_optional_is_read(text: str, required: bool | None,
                                                           expected: list[Constraint]) -> None:
    """ "Mandatory." in a description gave nothing: a row whose type cell said neither stayed optional."""
    assert phrases.apply(text, STRING, required=required) == expected


@pytest.mark.parametrize(("text", "required", "phrase", "why"), [
    ("Name of the agent queue. This field is required.", False, "This field is required",
     "the row says optional, and the rule would make the field always required"),
    ("Name of the agent queue. Optional.", True, "Optional",
     "the row says required, and the rule would make the field optional"),
    # after a sentence a rule read to its period: the sentence's end went with it, and the word was dropped
    ("Valid values are: A, B. Optional.", True, "Optional",
     "the row says required, and the rule would make the field optional"),
    ("Dialing mode. Example: Preview. Required.", False, "Required",
     "the row says optional, and the rule would make the field always required"),
])
def test_a_sentence_that_says_otherwise_than_the_type_cell_is_refused(text: str, required: bool, phrase: str,
                                                                      why: str) -> None:
    """ "This field is required." on a row whose type cell says optional was dropped: the field stayed optional, the
    page contradicting itself without a word."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING, required=required)
    assert caught.value.phrase == phrase
    assert caught.value.why == f'the phrase rule "required-or-optional" cannot read it for certain: {why}'


@pytest.mark.parametrize(("text", "required", "said"), [
    ("Name of the agent queue. Required. Optional.", None, 'true ("Required") and false ("Optional")'),
    ("Name of the agent queue. Required. Optional.", True, 'true ("Required") and false ("Optional")'),
    ("Name of the agent queue (optional). This field is mandatory.", None,
     'false ("optional") and true ("This field is mandatory")'),
])
def test_two_sentences_that_say_required_and_optional_are_refused(text: str, required: bool | None,
                                                                  said: str) -> None:
    """The rule read its first match alone: "Required. Optional." was required, its "Optional" dropped unsaid."""
    with pytest.raises(phrases.Repeated, match=re.escape(f"the description gives required twice, {said}: say it")):
        phrases.apply(text, STRING, required=required)
    assert phrases.apply("Name of the agent queue. Required. Mandatory.", STRING) == [Constraint("required", True)]


@pytest.mark.parametrize(("text", "words", "type_", "expected"), [
    ("Ring time, between 5 and 120. Legacy clients: between 10 and 60.", "Legacy clients: between 10 and 60",
     NUMBER, [Constraint("minimum", 5), Constraint("maximum", 120)]),
    ("Ring time, between 5 and 120. Legacy clients: between 10 and 60.", "between 10 and 60",
     NUMBER, [Constraint("minimum", 5), Constraint("maximum", 120)]),
    ("Name of the agent queue. Required. Optional.", "Optional", STRING, [Constraint("required", True)]),
])
def test_a_read_entry_settles_a_rule_said_again_otherwise(text: str, words: str, type_: TypeSpec,
                                                          expected: list[Constraint]) -> None:
    """Words an overrides entry reads are not refused: the second "between 10 and 60", settled so, was refused as
    giving minimum twice, and "Optional" could not be settled at all (nothing in it read as a constraint)."""
    assert phrases.apply(text, type_, [words]) == expected


def test_mandatory_in_a_description_makes_the_field_required(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    old = "| Timezone in which calling hours are defined. | string, required |"
    assert old in text
    page.write_text(text.replace(old, "| Timezone in which calling hours are defined. Mandatory. | string |"),
                    encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    request = json.loads((tmp_path / "out" / CONTRACT / "request.schema.json").read_text(encoding="utf-8"))
    hours = request["properties"]["dialingStrategy"]["properties"]["callingHours"]
    assert "timezone" in hours["required"]


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("Required. Required.", STRING, [Constraint("required", True)]),
    ("Must exist in the system. Must exist in the system.", STRING, [Constraint("x-reference", "exists")]),
    ("Must be between 1 and 5. Must be between 1 and 5.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 5)]),
])
def test_a_rule_said_twice_with_one_value_is_read_once(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    """"Required. Required." passed, "Must exist in the system." twice was refused "say it once": one value said
    twice is read, whatever the rule."""
    assert phrases.apply(text, type_) == expected


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("Maximum of 48 characters. Must not exceed 48 characters.", STRING, [Constraint("maxLength", 48)]),
    ("Up to 48 characters. Maximum length is 48 characters.", STRING, [Constraint("maxLength", 48)]),
    ("Must be at least 1. Minimum 1, maximum 100.", NUMBER, [Constraint("minimum", 1), Constraint("maximum", 100)]),
])
def test_two_rules_that_agree_give_the_keyword_once(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    """"Maximum of 48 characters. Must not exceed 48 characters." gave maxLength 48 twice, one from each rule."""
    assert phrases.apply(text, type_) == expected


def test_two_rules_that_agree_give_one_keyword_from_the_row(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / "create-voice-campaign-progressive-v2.md"
    said = "The name must be a maximum of 48 characters."
    page.write_text(page.read_text(encoding="utf-8").replace(said, f"{said} Must not exceed 48 characters."),
                    encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    request = json.loads((tmp_path / "out" / CONTRACT / "request.schema.json").read_text(encoding="utf-8"))
    name = request["properties"]["name"]
    assert name["maxLength"] == 48
    assert name["x-source"]["maxLength"] == "create-voice-campaign-progressive-v2.md:106"


@pytest.mark.parametrize(("text", "again"), [
    ("Must be between 1 and 5. Must be between 10 and 60.", "Must be between 10 and 60"),
])
def test_a_rule_said_twice_otherwise_is_still_refused(text: str, again: str) -> None:
    with pytest.raises(phrases.Repeated, match=re.escape(f'the description says "{again}" after')):
        phrases.apply(text, NUMBER)


@pytest.mark.parametrize(("text", "phrase", "pointer"), [
    ("Required (see below).", "Required (see below)", "(see below)"),
    ("The queue. Optional (refer to section 3).", "Optional (refer to section 3)", "(refer to section 3)"),
])
def test_required_or_optional_with_a_pointer_is_refused(text: str, phrase: str, pointer: str) -> None:
    """"Required (see below)." gave nothing, the field staying as its type cell said: what the pointer names may be a
    case the word does not hold in."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase
    assert caught.value.why.endswith(f'"{pointer}" after it may point at a case it does not hold in')
