"""Clock times as examples: "9:00 AM and 6:00 PM are examples." was refused as a bound, since the clock rule read
"and" between two times as a range's, as in "between 9:00 AM and 6:00 PM"."""

from __future__ import annotations

from pathlib import Path

import pytest
from frozen_page import generated_with

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import CLOCK_TIME_PATTERN, Constraint

STRING = TypeSpec("string")


@pytest.mark.parametrize("text", ["Start time of calling window. 9:00 AM and 6:00 PM are examples.",
                                  'Start time of calling window, such as "9:00 AM" and "6:00 PM".'])
def test_two_times_joined_by_and_are_two_examples(text: str) -> None:
    assert phrases.apply(text, STRING) == [Constraint("pattern", CLOCK_TIME_PATTERN),
                                           Constraint("examples", ["9:00 AM", "6:00 PM"])]


@pytest.mark.parametrize(("text", "phrase", "why"), [
    ("Calls are made between the hours 9:00 AM and 6:00 PM.", "between the hours 9:00 AM and 6:00 PM",
     '"9:00 AM and 6:00 PM" bounds the time'),
    ("Start time. 9:00 AM and 6:00 PM or later.", "6:00 PM or later", '"9:00 AM and 6:00 PM or later" bounds the time'),
    ("Start time. 9:00 AM and 6:00pm are examples.", "6:00pm are examples", '"6:00pm" is not in the form'),
])
def test_two_times_joined_by_and_that_bound_or_are_misspelt_are_still_refused(text: str, phrase: str,
                                                                               why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase and why in caught.value.why


def test_times_said_to_be_examples_on_the_page_are_its_examples(tmp_path: Path) -> None:
    response = generated_with(tmp_path, "| Start time of calling window. (hh:mm AM/PM) |",
                              "| Start time of calling window. (hh:mm AM/PM) 9:00 AM and 10:30 AM are examples. |")
    days = response["properties"]["data"]["properties"]["dialingStrategy"]["properties"]["callingHours"]
    start = days["properties"]["days"]["items"]["properties"]["start"]
    assert start["pattern"] == CLOCK_TIME_PATTERN and start["examples"] == ["9:00 AM", "10:30 AM"]


@pytest.mark.parametrize(("text", "examples"), [
    ("Start time. (hh:mm AM/PM). Use 9:00 AM. Or 6:00 PM.", ["9:00 AM", "6:00 PM"]),
    ("Start time, 9:00 AM. End time, 6:00 PM.", ["9:00 AM", "6:00 PM"]),
])
def test_times_in_separate_sentences_are_each_an_example(text: str, examples: list[str]) -> None:
    """The rule read its first time alone: "Or 6:00 PM." was dropped without a word."""
    found = phrases.apply(text, STRING)
    assert {c.keyword for c in found} == {"pattern", "examples"}
    assert [c.value for c in found if c.keyword == "examples"] == [examples]


def test_a_bound_in_another_sentence_than_an_example_is_still_refused() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Start (hh:mm AM/PM). 9:00 AM. Not later than 6:00 PM.", STRING)
    assert caught.value.phrase == "Not later than 6:00 PM" and "bounds the time" in caught.value.why
