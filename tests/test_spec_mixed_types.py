"""Descriptions whose words say a measure or a type other than the field's: each read right or refused, never read
as something else without a word."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec

STRING, INTEGER = TypeSpec("string"), TypeSpec("integer")
STRINGS = TypeSpec("array", "string")

# A rule's words said again for other keywords: the first match alone was read, the second dropped without a word.
OTHER_KEYWORDS_AGAIN = [
    ("Between 1 and 48 characters. Between 2 and 5.", STRING, "Between 2 and 5"),
    ("Between 2 and 5. Between 1 and 48 characters.", INTEGER, "Between 1 and 48 characters"),
    ("Minimum is 1 and maximum is 48 characters. Minimum is 2 and maximum is 5.", STRING,
     "Minimum is 2 and maximum is 5"),
]


@pytest.mark.parametrize(("text", "type_", "phrase"), OTHER_KEYWORDS_AGAIN, ids=[c[0] for c in OTHER_KEYWORDS_AGAIN])
def test_a_rules_words_said_again_for_other_keywords_are_refused(text: str, type_: TypeSpec, phrase: str) -> None:
    with pytest.raises(phrases.Repeated, match=f'says "{phrase}" after'):
        phrases.apply(text, type_)


def test_a_rules_words_said_again_with_the_same_keywords_are_read_once() -> None:
    assert phrases.apply("Between 2 and 5. Must be between 2 and 5.", INTEGER) == [
        phrases.Constraint("minimum", 2), phrases.Constraint("maximum", 5)]


INTEGERS, ANY_ITEMS = TypeSpec("array", "integer"), TypeSpec("array")

# Bounds on an array that may be other than its number of items: read as minItems and maxItems, "Each value between 1
# and 5" allowed a list of 9s, "Between 1 and 10 minutes" counted items in minutes; "between 1 and 48 characters"
# gave the array a minLength, which constrains no array.
ARRAY_BOUNDS_REFUSED = [
    ("Each value between 1 and 10.", INTEGERS, "between 1 and 10", '"Each" before them says they bound each item'),
    ("Each must be between 1 and 5.", STRINGS, "between 1 and 5", '"Each" before them'),
    ("Values between 1 and 1440 minutes.", INTEGERS, "between 1 and 1440 minutes", '"minutes" measures a value'),
    ("Between 1 and 10 minutes.", STRINGS, "Between 1 and 10 minutes", "each item's value, or the number of items?"),
    ("Between 1 and 10.", INTEGERS, "Between 1 and 10", "of an array of integers they may be each item's value"),
    ("Minimum is 1 and maximum is 5.", TypeSpec("array", "number"), "Minimum is 1 and maximum is 5",
     "of an array of numbers"),
    ("Between 1 and 10.", ANY_ITEMS, "Between 1 and 10", "of an array of any items"),
    ("Between 1 and 100 dollars.", INTEGERS, "Between 1 and 100 dollars", "of an array of integers"),
    ("Between 1 and 48 characters.", STRINGS, "Between 1 and 48 characters", '"characters" measures a string'),
    ("Each name between 1 and 48 characters.", STRINGS, "between 1 and 48 characters", "its items' length"),
    ("Between 1 and 10 lists. Each name between 1 and 48 characters.", STRINGS, "between 1 and 48 characters",
     '"characters" measures a string'),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), ARRAY_BOUNDS_REFUSED,
                         ids=[f"{c[0]} ({c[1].items})" for c in ARRAY_BOUNDS_REFUSED])
def test_array_bounds_that_may_not_count_items_are_refused(text: str, type_: TypeSpec, phrase: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.written == phrase
    assert why in str(caught.value)


ARRAY_BOUNDS_READ = [
    ("Between 1 and 10.", STRINGS),
    ("Between 1 and 10 lists. Each list is dialed in order.", STRINGS),
    ("Between 1 and 10 items.", INTEGERS),
    ("Minimum is 1 and maximum is 10 values.", INTEGERS),
    ("Between 1 and 10 entries.", ANY_ITEMS),
]


@pytest.mark.parametrize(("text", "type_"), ARRAY_BOUNDS_READ,
                         ids=[f"{c[0]} ({c[1].items})" for c in ARRAY_BOUNDS_READ])
def test_array_bounds_that_count_items_are_read(text: str, type_: TypeSpec) -> None:
    assert phrases.apply(text, type_) == [phrases.Constraint("minItems", 1), phrases.Constraint("maxItems", 10)]


# A list's values were set on the list itself (typed as its items): no list equals "voice", so every value was refused.
ITEMS_VALUES = [
    ("Valid values are “voice” and “sms”.", STRINGS, "enum", ["voice", "sms"]),
    ("Must be one of: 1, 2, 3.", INTEGERS, "enum", [1, 2, 3]),
    ("Must be either voice or sms.", STRINGS, "enum", ["voice", "sms"]),
    ("MO, TU, WE, TH, FR, SA or SU", STRINGS, "enum", ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
    ("Use “voice”", STRINGS, "enum", ["voice"]),
    ("Example: 5", INTEGERS, "examples", [5]),
]


@pytest.mark.parametrize(("text", "type_", "keyword", "values"), ITEMS_VALUES, ids=[c[0] for c in ITEMS_VALUES])
def test_a_lists_values_are_its_items(text: str, type_: TypeSpec, keyword: str, values: list[object]) -> None:
    assert phrases.apply(text, type_) == [phrases.Constraint(keyword, values, "[]")]


# Values no value of the field can be: "either voice or sms" and day codes of an integer gave it an enum of strings.
VALUES_OF_ANOTHER_TYPE = [
    ("Must be either voice or sms.", INTEGER, "either voice or sms", '"voice" is no value an integer field can take'),
    ("MO, TU, WE, TH, FR, SA or SU", INTEGER, "MO, TU, WE, TH, FR, SA or SU", '"MO" is no value an integer field'),
    ("Valid values are “voice” and “sms”.", TypeSpec("object"), "Valid values are “voice” and “sms”",
     '"voice" is no value an object field can take'),
    ("Must be one of: 1, 2.5.", INTEGER, "Must be one of: 1, 2.5", "2.5 is no value an integer field can take"),
    ("Must be one of: a, b.", TypeSpec("array", "object"), "one of: a, b",
     '"a" is no value an item of type object can take'),
    # said of a list of integers as of an integer field, "an integer field", where the field is a list
    ("Must be one of: a, b.", TypeSpec("array", "integer"), "one of: a, b",
     '"a" is no value an item of type integer can take'),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), VALUES_OF_ANOTHER_TYPE,
                         ids=[f"{c[0]} ({c[1].name})" for c in VALUES_OF_ANOTHER_TYPE])
def test_values_of_another_type_are_refused(text: str, type_: TypeSpec, phrase: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.written == phrase
    assert why in str(caught.value)


@pytest.mark.parametrize(("text", "sentence"), [
    ("Between 1 and 100. The sms limit, between 1 and 50.", "The sms limit, between 1 and 50"),
])
def test_bounds_said_again_are_refused_quoting_their_sentence(text: str, sentence: str) -> None:
    """The refusal quoted "between 1 and 50" alone, leaving out the words that made them another case."""
    with pytest.raises(phrases.Repeated, match=f'says "{sentence}" after "Between 1 and 100"'):
        phrases.apply(text, INTEGER)


@pytest.mark.parametrize(("text", "lead"), [
    ("Between 1 and 100. For sms campaigns, between 1 and 50.", '"For sms campaigns," comes before it'),
    ("Between 1 and 100; for sms campaigns, between 1 and 50.", '"Between 1 and 100; for sms campaigns," comes'),
])
def test_bounds_said_again_on_a_condition_are_refused_naming_it(text: str, lead: str) -> None:
    with pytest.raises(phrases.UnreadPhrase, match=lead):
        phrases.apply(text, INTEGER)


# Examples no value of the field (or of its items) can be: they were kept, as words, on objects and integers.
EXAMPLES_OF_ANOTHER_TYPE = [
    ("Example: 5", TypeSpec("object"), "Example: 5", '"5" is no value an object field can take'),
    ("Example: FIFO", TypeSpec("array", "object"), "Example: FIFO", '"FIFO" is no value an item of type object'),
    ("First In First Out (FIFO), Last In First Out (LIFO), etc.", TypeSpec("object"),
     "First In First Out (FIFO), Last In First Out (LIFO), etc", '"FIFO" is no value an object field can take'),
    ("Example: 2.5", INTEGER, "Example: 2.5", "2.5 is no value an integer field can take"),
    # split at their commas, '["a", "b"]' gave the items the examples '["a' and 'b"]'
    ('Example: ["a", "b"]', STRINGS, 'Example: ["a", "b"]', '"["a", "b"]" is a JSON array'),
    ('Example: {"a": 1}', TypeSpec("object"), 'Example: {"a": 1}', '"{"a": 1}" is a JSON object'),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), EXAMPLES_OF_ANOTHER_TYPE,
                         ids=[f"{c[0]} ({c[1].name})" for c in EXAMPLES_OF_ANOTHER_TYPE])
def test_examples_of_another_type_are_refused(text: str, type_: TypeSpec, phrase: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.written == phrase
    assert why in str(caught.value)


# A placeholder or a tag in brackets is no JSON array or object: "Example: {firstName}" was refused as one.
@pytest.mark.parametrize(("text", "examples"), [
    ("Example: {firstName}", ["{firstName}"]),
    ("Example: {{streamId}}", ["{{streamId}}"]),
    ("e.g. {name}, {phone}", ["{name}", "{phone}"]),
])
def test_examples_in_braces_that_are_no_json_are_read(text: str, examples: list[str]) -> None:
    assert phrases.apply(text, STRING) == [phrases.Constraint("examples", examples)]


def test_words_after_a_bracket_are_not_called_a_json_array() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Example: [Promo] Spring sale", STRING)
    assert "JSON" not in str(caught.value)
