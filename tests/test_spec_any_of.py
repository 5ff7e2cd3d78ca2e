"""A list of values said with "any of": "Any of the following: voice, sms." is the values' enum (of a list, its
items'). It was read as no keyword at all, as were "Any of: ...", "All of the following: ..." and "Any combination
of ...", so the schema allowed any value without a word; those no rule reads for certain are now refused."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.markdown import clean_cell
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, STRINGS, INTEGERS = TypeSpec("string"), TypeSpec("array", "string"), TypeSpec("array", "integer")

READ = [
    ("Any of the following values: voice, sms.", STRING, [Constraint("enum", ["voice", "sms"])]),
    ("Any of the following: voice, sms.", STRING, [Constraint("enum", ["voice", "sms"])]),
    ("Must be any of the following: voice, sms.", STRING, [Constraint("enum", ["voice", "sms"])]),
    ("Any of the following: voice, sms.", STRINGS, [Constraint("enum", ["voice", "sms"], "[]")]),
    ("Any of: voice, sms.", STRINGS, [Constraint("enum", ["voice", "sms"], "[]")]),
    ("Can be any of: voice, sms.", STRINGS, [Constraint("enum", ["voice", "sms"], "[]")]),
    ("Each item can be any of the following: voice, sms.", STRINGS, [Constraint("enum", ["voice", "sms"], "[]")]),
    ("Channels to dial on. Any of the following: voice, sms.", STRINGS, [Constraint("enum", ["voice", "sms"], "[]")]),
    ("Any of: 1, 2, 3.", INTEGERS, [Constraint("enum", [1, 2, 3], "[]")]),
    ("Can be: any of the following: voice, sms.", STRING, [Constraint("enum", ["voice", "sms"])]),
]


@pytest.mark.parametrize(("text", "type_", "expected"), READ, ids=[f"{case[0]} ({case[1].name})" for case in READ])
def test_a_list_of_values_said_with_any_of_is_read(text: str, type_: TypeSpec, expected: list[Constraint]) -> None:
    assert phrases.apply(clean_cell(text), type_) == expected


# (a description, the field's type, the phrase the refusal quotes, words of why, or None where no rule matches it)
REFUSED = [
    ("Any combination of: voice, sms.", STRINGS, "Any combination of: voice, sms", None),  # each value once?
    ("Any combination of voice and sms.", STRINGS, "Any combination of voice and sms", None),
    ("All of the following: voice, sms.", STRINGS, "All of the following: voice, sms", None),  # each one in it?
    ("All of: voice, sms.", STRING, "All of: voice, sms", None),
    ("Any of these: voice, sms.", STRING, "Any of these: voice, sms", None),  # read as nothing
    ("All of those: voice, sms.", STRINGS, "All of those: voice, sms", None),
    ("Must not contain any of the following: <, >.", STRING, "any of the following: <, >", '"Must not contain"'),
    ("Do not use any of the following: admin, root.", STRING, "any of the following: admin, root", '"Do not use"'),
    ("May contain any of the following characters: -, _.", STRING, "any of the following characters: -, _",
     '"May contain"'),
    # words before a colon or a semicolon are of the sentence too (they were looked past: an enum of the values
    # refused)
    ("Must not be: any of the following: admin, root.", STRING, "any of the following: admin, root",
     '"Must not be:"'),
    ("If the campaign is voice; any of: voice, sms.", STRINGS, "any of: voice, sms", '"If the campaign is voice;"'),
    ("Any of the following: voice, sms, etc.", STRINGS, "Any of the following: voice, sms, etc",
     '"etc" says the list does not name every value'),
    ("Any of: voice, sms.", INTEGERS, "Any of: voice, sms", '"voice" is no value an item of type integer can take'),
]


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), REFUSED,
                         ids=[f"{case[0]} ({case[1].name})" for case in REFUSED])
def test_a_list_said_with_any_or_all_that_no_rule_reads_for_certain_is_refused(text: str, type_: TypeSpec,
                                                                                phrase: str, why: str | None) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(text), type_)
    assert caught.value.phrase == phrase
    assert (caught.value.why is None) if why is None else why in caught.value.why


@pytest.mark.parametrize("text", ["Returns all of the campaigns, sorted by name.", "Whether any of the lists is empty.",
                                  "Name of any of the queues."])
def test_any_and_all_in_prose_ask_nothing(text: str) -> None:
    assert phrases.apply(clean_cell(text), STRING) == []
