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
    ("Between 1 and 10 lists. Each name between 1 and 48 characters.", STRINGS, "between 1 and 48 characters"),
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
