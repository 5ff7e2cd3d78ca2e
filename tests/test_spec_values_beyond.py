"""A bound said as what is done with values past it: "Values above 100 are rejected." is a maximum of 100.

It was read as no keyword at all, so the schema allowed values the page refuses, without a word; so were "Values
over 100 are ignored." and "Anything above 100 is rejected.", which no rule reads and are now refused."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.markdown import clean_cell
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, INTEGER, NUMBER = TypeSpec("string"), TypeSpec("integer"), TypeSpec("number")
INTEGERS = TypeSpec("array", "integer")

READ = [
    ("Values above 100 are rejected.", INTEGER, [Constraint("maximum", 100)]),
    ("Values above 100 are rejected.", NUMBER, [Constraint("maximum", 100)]),
    ("Values below 0.5 are rejected.", NUMBER, [Constraint("minimum", 0.5)]),
    ("Values greater than 100 are not allowed.", INTEGER, [Constraint("maximum", 100)]),
    ("Values less than 1 are not accepted.", INTEGER, [Constraint("minimum", 1)]),
    ("Values over 1,440 are invalid.", INTEGER, [Constraint("maximum", 1440)]),
    ("Values above 100 are rejected. Values below 1 are rejected.", INTEGER,
     [Constraint("maximum", 100), Constraint("minimum", 1)]),
    ("Between 1 and 100. Values above 100 are rejected.", INTEGER,  # the bounds said again
     [Constraint("minimum", 1), Constraint("maximum", 100)]),  # once
]


@pytest.mark.parametrize(("text", "type_", "expected"), READ, ids=[f"{case[0]} ({case[1].name})" for case in READ])
def test_values_past_a_bound_said_rejected_give_the_bound(text: str, type_: TypeSpec,
                                                          expected: list[Constraint]) -> None:
    assert phrases.apply(clean_cell(text), type_) == expected


# (a description, the field's type, the phrase the refusal quotes)
REFUSED = [
    ("Values over 100 are ignored.", INTEGER, "Values over 100 are ignored"),
    ("Values above 100 are capped.", INTEGER, "Values above 100 are capped"),
    ("Values below 1 are clamped to 1.", INTEGER, "Values below 1 are clamped to 1"),
    ("Anything above 100 is rejected.", INTEGER, "Anything above 100 is rejected"),
    ("Values of 100 and above are rejected.", INTEGER, "100 and above are rejected"),  # read as nothing
    ("Values of 0 and under are not allowed.", INTEGER, "0 and under are not allowed"),
    ("Values above 100 are rejected, except for admins.", INTEGER, "Values above 100 are rejected, except for admins"),
    ("Values above 100 are rejected. Use 0 for no limit.", INTEGER, "Values above 100 are rejected"),
    ("Values above 100 are rejected.", STRING, "Values above 100 are rejected"),  # a string's value?
    ("Values above 100 are rejected.", INTEGERS, "Values above 100 are rejected"),  # each item's, or how many?
]


@pytest.mark.parametrize(("text", "type_", "phrase"), REFUSED, ids=[f"{case[0]} ({case[1].name})" for case in REFUSED])
def test_values_past_a_bound_said_otherwise_are_refused(text: str, type_: TypeSpec, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(text), type_)
    assert caught.value.phrase == phrase


# (a description, the words the refusal names): other words in the sentence say which values, by what or when
NARROWED = [
    ("Values above 100 are rejected by the UI, but the API accepts them.",
     'by the UI, but the API accepts them" follows them'),
    ("Values above 100 are rejected, but the API accepts them.", 'but the API accepts them" follows them'),
    ("Values above 100 are rejected in the sandbox.", 'in the sandbox" follows them'),
    ("When dialing, values above 100 are rejected.", 'When dialing," comes before it'),
    ("Odd values above 100 are rejected.", 'Odd ..." comes before them'),
]


@pytest.mark.parametrize(("text", "words"), NARROWED, ids=[case[0] for case in NARROWED])
def test_values_past_a_bound_rejected_with_other_words_in_the_sentence_are_refused(text: str, words: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, INTEGER)
    assert f"{words} in" in caught.value.why and " sentence, and " in caught.value.why


def test_values_past_a_bound_rejected_with_a_cross_reference_after_are_read() -> None:
    assert phrases.apply("Values above 100 are rejected (see section 3).", INTEGER) == [Constraint("maximum", 100)]


def test_a_bound_said_twice_otherwise_is_refused() -> None:
    with pytest.raises(phrases.Repeated, match=r'maximum twice, 100 \("Between 1 and 100"\) and 50'):
        phrases.apply("Between 1 and 100. Values above 50 are rejected.", INTEGER)


def test_a_number_after_the_bound_is_named_whole() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Values above 100 are rejected with a 400 error.", INTEGER)
    assert ', and "400" may be another value' in caught.value.why

