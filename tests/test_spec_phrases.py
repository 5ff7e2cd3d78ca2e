"""Each phrase rule of the registry, on the vendor's own wording."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import CLOCK_TIME_PATTERN, Constraint

STRING, NUMBER, ARRAY = TypeSpec("string"), TypeSpec("number"), TypeSpec("array", "string")

# (rule name, description, field type, the constraints it yields)
CASES = [
    ("maximum-characters", "The name must be a maximum of 48 characters.", STRING, [Constraint("maxLength", 48)]),
    ("one-of-the-following", "Priority must be one of the following: 1, 2, 3, 4, or 5.", STRING,
     [Constraint("enum", ["1", "2", "3", "4", "5"])]),
    ("valid-values-are", "Valid values are: Agentless, Progressive, or Preview.", STRING,
     [Constraint("enum", ["Agentless", "Progressive", "Preview"])]),
    ("must-be-one-of", "Frequency of calling hours must be one of: WEEKLY, DAILY, or CUSTOM.", STRING,
     [Constraint("enum", ["WEEKLY", "DAILY", "CUSTOM"])]),
    ("must-be-either", "Type of campaign. Must be either voice or sms.", STRING,
     [Constraint("enum", ["voice", "sms"])]),
    ("use-literal", "Type of campaign. Use “voice”", STRING, [Constraint("enum", ["voice"])]),
    ("minimum-and-maximum", "Minimum is 1 and maximum is 100.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("between", "Time (in minutes) to wait between retries. Must be between 1 and 1440.", NUMBER,
     [Constraint("minimum", 1), Constraint("maximum", 1440)]),
    ("at-least-one", "At least one contact list name is required.", ARRAY, [Constraint("minItems", 1)]),
    ("required-for", "Name of the agent queue. Required for Progressive dialing.", STRING,
     [Constraint("required", True)]),
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
    ("open-ended-list", "Order in which contacts are dialed: First In First Out (FIFO), Last In First Out (LIFO), etc.",
     STRING, [Constraint("examples", ["FIFO", "LIFO"])]),
    ("example", 'Day of the week. (2-letter) Example: "MO", "TU"', STRING, [Constraint("examples", ["MO", "TU"])]),
    ("each-object-includes", "Each object should include: • day: 'MO', 'TU', 'WE' • start: \"9:00 AM\"", ARRAY, [
        Constraint("type", "string", "[].day"), Constraint("required", True, "[].day"),
        Constraint("enum", ["MO", "TU", "WE"], "[].day"),
        Constraint("type", "string", "[].start"), Constraint("required", True, "[].start"),
        Constraint("pattern", CLOCK_TIME_PATTERN, "[].start"), Constraint("examples", ["9:00 AM"], "[].start"),
    ]),
]


@pytest.mark.parametrize(("rule", "text", "type_", "expected"), CASES, ids=[case[0] for case in CASES])
def test_rule(rule: str, text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


def test_every_rule_has_a_case() -> None:
    assert sorted(rule.name for rule in phrases.RULES) == sorted(case[0] for case in CASES)


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in phrases.RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("type_", "expected"), [(TypeSpec("string"), "5"), (TypeSpec("integer"), 5),
                                                  (TypeSpec("number"), 5), (TypeSpec("boolean"), "5")])
def test_enum_values_take_the_fields_type(type_: TypeSpec, expected: object) -> None:
    [constraint] = phrases.apply("Must be one of: 4 or 5.", type_)
    assert constraint.value[-1] == expected and type(constraint.value[-1]) is type(expected)


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


@pytest.mark.parametrize(("text", "type_", "expected"), [
    ("Must be between 1 and 48 characters.", STRING, [Constraint("minLength", 1), Constraint("maxLength", 48)]),
    ("Minimum is 2 and maximum is 10 chars.", STRING, [Constraint("minLength", 2), Constraint("maxLength", 10)]),
    ("Between 1 and 10 lists.", ARRAY, [Constraint("minItems", 1), Constraint("maxItems", 10)]),
    ("Must be between 1 and 10.", ARRAY, [Constraint("minItems", 1), Constraint("maxItems", 10)]),
    ("Must be between 1 and 10.", NUMBER, [Constraint("minimum", 1), Constraint("maximum", 10)]),
    # A string of digits ("priority") or a length? The rule does not guess: resolve refuses a minimum on a string.
    ("Must be between 1 and 5.", STRING, [Constraint("minimum", 1), Constraint("maximum", 5)]),
])
def test_bounds_take_the_keywords_of_the_fields_type(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(text, type_) == expected


def test_examples_of_day_codes_are_not_an_enum() -> None:
    # The response table shows two day codes as examples: the day-code rule must not read them again.
    found = phrases.apply('Day of the week. Example: "MO", "TU", "WE"', STRING)
    assert [c.keyword for c in found] == ["examples"]


def test_at_least_one_is_not_required_for() -> None:
    assert phrases.apply("At least one contact list name is required.", ARRAY) == [Constraint("minItems", 1)]


def test_plain_prose_yields_nothing() -> None:
    assert phrases.apply("Name of the campaign. Used to identify it in the Kore.ai platform.", STRING) == []


@pytest.mark.parametrize("text", ["Each object should include: day, start and end",
                                  "Each item must contain: day, start, end"])
def test_item_properties_without_bullets(text: str) -> None:
    found = phrases.apply(text, TypeSpec("array", "object"))
    assert [c.target for c in found if c.keyword == "required"] == ["[].day", "[].start", "[].end"]


def test_list_items_drop_quotes_and_conjunctions() -> None:
    assert phrases.list_items("“A”, 'B', or \"C\".") == ["A", "B", "C"]


def test_the_clock_pattern_is_one_line_of_text() -> None:
    # A raw newline in a pattern ends up in generated clients' string literals (openapi-generator's Python
    # client: SyntaxError, unterminated string literal); the pattern says `\n` as an escape instead.
    assert not any(ord(char) < 0x20 or ord(char) == 0x7F for char in CLOCK_TIME_PATTERN)
    assert r"(?!\n)" in CLOCK_TIME_PATTERN


@pytest.mark.parametrize(("value", "valid"), [("9:00 AM", True), ("12:59 PM", True), ("9:00 AM\n", False),
                                               ("13:00 PM", False), ("9:00AM", False)])
def test_the_clock_pattern_in_python(value: str, valid: bool) -> None:
    # jsonschema applies a pattern with re.search, where `$` alone would accept a trailing newline.
    assert bool(re.search(CLOCK_TIME_PATTERN, value)) is valid


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_clock_pattern_in_ecma_262() -> None:
    script = ("const p = new RegExp(process.argv[1], 'u');"
              "console.log(JSON.stringify(['9:00 AM', '12:59 PM', '9:00 AM\\n', '13:00 PM'].map(v => p.test(v))))")
    result = subprocess.run(["node", "-e", script, CLOCK_TIME_PATTERN], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [True, True, False, False]
