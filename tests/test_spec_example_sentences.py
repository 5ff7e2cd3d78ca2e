"""Examples said in more than one place of a description: the example rule read its first sentence alone, and one
rule's examples replaced another's, so "Example: FIFO. For example, LIFO." gave FIFO."""

from __future__ import annotations

from pathlib import Path

import pytest
from frozen_page import generated_with

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, INTEGER = TypeSpec("string"), TypeSpec("integer")


@pytest.mark.parametrize(("text", "type_", "examples"), [
    ("Order in which records are dialed. Example: FIFO. For example, LIFO.", STRING, ["FIFO", "LIFO"]),
    ("Order in which records are dialed, e.g. FIFO. Example: LIFO, SJF.", STRING, ["FIFO", "LIFO", "SJF"]),
    ("Order in which contacts are dialed: First In First Out (FIFO), etc. Example: LIFO.", STRING, ["FIFO", "LIFO"]),
    ("Attempts per record, e.g. 3. Example: 5 attempts.", INTEGER, [3, 5]),
    ("Order in which records are dialed. Example: FIFO. e.g. FIFO.", STRING, ["FIFO"]),  # each value once
])
def test_every_example_sentence_gives_its_examples(text: str, type_: TypeSpec, examples: list[object]) -> None:
    assert phrases.apply(text, type_) == [Constraint("examples", examples)]


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), [
    ("Order in which records are dialed. Example: FIFO. e.g. up to 48 characters.", STRING, "up to 48 characters",
     '"up to 48 characters" reads like a constraint, not an example'),
    ("Attempts per record, e.g. 3. Example: three.", INTEGER, "Example: three",
     '"three" is no number, as an example of an integer field must be'),
])
def test_a_second_example_that_is_no_value_is_refused_saying_why(text: str, type_: TypeSpec, phrase: str,
                                                                 why: str) -> None:
    """It was refused as the rule's words said twice ("say it once"), which they are not."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.phrase == phrase
    assert caught.value.why == f'the phrase rule "example" cannot read it for certain: {why}'


def test_both_example_sentences_on_the_page_are_its_examples(tmp_path: Path) -> None:
    response = generated_with(tmp_path, 'Order in which records are dialed. Example: `"FIFO"`',
                              'Order in which records are dialed. Example: `"FIFO"`. For example, `"LIFO"`.')
    order = response["properties"]["data"]["properties"]["dialingStrategy"]["properties"]["dialingOrder"]
    assert order["examples"] == ["FIFO", "LIFO"]


@pytest.mark.parametrize(("text", "type_", "phrase"), [
    ("Retries. e.g. between 1 and 5.", INTEGER, "between 1 and 5"),
    ("Name of the campaign. e.g. maximum of 48 characters.", STRING, "maximum of 48 characters"),
    ("Dialing mode. E.g. valid values are: A, B.", STRING, "valid values are: A, B"),
])
def test_a_constraint_in_an_example_is_refused(text: str, type_: TypeSpec, phrase: str) -> None:
    """The example rule declined the words, and the rule that reads them then read them as the field's constraint."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.phrase == phrase
    assert "reads like a constraint, not an example" in str(caught.value)
