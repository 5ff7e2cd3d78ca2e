"""A list of values after a negation in its sentence names values refused: "Must not be one of the following: admin,
root." was read as the enum [admin, root], the schema allowing those values alone, exactly the ones the page refuses."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING = TypeSpec("string")


@pytest.mark.parametrize(("text", "negation"), [
    ("Must not be one of the following: admin, root.", '"not"'),
    ("Cannot be one of the following: admin, root.", '"Cannot"'),
    ("Mustn't be one of the following: admin, root.", '"Mustn\'t"'),
    ("Never one of the following: admin, root.", '"Never"'),
    ("Do not use one of the following values: admin, root.", '"not"'),
])
def test_a_list_after_a_negation_is_refused(text: str, negation: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.why.endswith(f"{negation} before it may name the values refused, not those allowed")


@pytest.mark.parametrize("text", ["Must be one of the following: admin, root.",
                                  "Not required. One of the following: admin, root."])  # another sentence's
def test_a_list_without_a_negation_before_it_in_its_sentence_is_read(text: str) -> None:
    assert phrases.apply(text, STRING) == [Constraint("enum", ["admin", "root"])]
