"""The unit after an example number: a word said anywhere in the description was read as the field's unit ("e.g. 5
records" was 5 though "records" belonged to another sentence), and a unit of time was read past where the field
counts another one ("Time (in minutes) ..., e.g. 30 seconds" gave the example 30, half a minute read as 30)."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

INTEGER = TypeSpec("integer")


@pytest.mark.parametrize(("text", "phrase", "why"), [
    ("Calls placed per agent, e.g. 5 records. Records are dialed in order.", "e.g. 5 records",
     '"5 records" is no number, as an example of an integer field must be'),
    ("Time (in minutes) to wait between retries, e.g. 30 seconds.", "e.g. 30 seconds",
     '"30 seconds" is in seconds, where the description counts minutes'),
    ("Wait time in minutes. Example: 2 hours", "Example: 2 hours",
     '"2 hours" is in hours, where the description counts minutes'),
    # two units among the examples themselves: read past them, 1500 and 2 of one field
    ("Wait time, e.g. 1,500 ms or 2 Hours.", "e.g. 1,500 ms or 2 Hours",
     'the examples "1,500 ms" and "2 Hours" are in two units of time (hours and milliseconds), where a number'
     " counts one"),
    # in sentences of their own: each was refused as in a unit "the description counts", the other example's
    ("Delay. Example: 30 seconds. Example: 2 minutes.", "Example: 30 seconds",
     'the examples "30 seconds" and "2 minutes" are in two units of time (minutes and seconds), where a number'
     " counts one"),
    # an example sentence of its own takes its unit from the description, not from another example: 5 and 3 were
    # read, "apples" said by the examples alone
    ("Wait time. Example: 5 apples. Example: 3 apples.", "Example: 5 apples",
     '"5 apples" is no number, as an example of an integer field must be'),
])
def test_a_unit_that_is_not_the_fields_is_refused(text: str, phrase: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, INTEGER)
    assert caught.value.phrase == phrase
    assert caught.value.why == f'the phrase rule "example" cannot read it for certain: {why}'


@pytest.mark.parametrize(("text", "examples"), [
    ("Records dialed per agent, e.g. 5 records.", [5]),  # the example's own sentence says it
    ("Calls placed per agent (e.g. 5 records) of the agent's records.", [5]),
    ("Number of records to dial. Example: 5 records.", [5]),  # an example sentence of its own: the description's
    ("Time (in minutes) to wait between retries, e.g. 30 minutes.", [30]),
    ("Max time the phone should ring (Seconds). Example: 30 seconds", [30]),
    ("Ring time in ms, e.g. 1,500 milliseconds.", [1500]),
    ("Wait time, e.g. 1,500 ms or 2,000 Milliseconds.", [1500, 2000]),  # no unit of time named besides
    ("Delay. Example: 30 seconds. For example, 45 seconds.", [30, 45]),  # one unit, in two example sentences
    ("Records to dial at once. Example: 5 records. Example: 3 records.", [5, 3]),
])
def test_the_fields_unit_is_read_past(text: str, examples: list[object]) -> None:
    assert phrases.apply(text, INTEGER) == [Constraint("examples", examples)]
