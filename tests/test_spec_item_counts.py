"""Bounds of a list of numbers followed by the field's own name count its items: "Between 1 and 10 priorities." of
`priorities`, an array of integers, is 1 to 10 items. It was refused (each item's value, or the number of items?),
as "Between 1 and 10 points." still is, where the word may be the value's unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

INTEGERS = TypeSpec("array", "integer")
ONE_TO_TEN = [Constraint("minItems", 1), Constraint("maxItems", 10)]

# (a description, the field's name)
READ = [
    ("Between 1 and 10 priorities.", "priorities"),
    ("Between 1 and 10 priorities.", "dialingStrategy.retryPriorities"),
    ("Between 1 and 10 IDs.", "contact_list_ids"),
    ("Between 1 and 10 IDs.", "callerIDs"),  # (its last word was taken as "Ds")
    ("Between 1 and 10 statuses.", "HTTPStatuses"),
    ("Minimum is 1 and maximum is 10 priorities.", "priorities"),
    ("Between 1 and 10 integers.", ""),
]


@pytest.mark.parametrize(("text", "field"), READ, ids=[f"{case[0]} ({case[1]})" for case in READ])
def test_bounds_followed_by_the_fields_name_count_its_items(text: str, field: str) -> None:
    assert phrases.apply(text, INTEGERS, field=field) == ONE_TO_TEN


# (a description, the field's name, words of the refusal)
REFUSED = [
    ("Between 1 and 10 priorities.", "scores", '("priorities" after them may be the value\'s unit; the field\'s name '
                                               "there counts items)"),
    ("Between 1 and 10 points.", "scores", '"points" after them may be the value\'s unit'),
    ("Between 1 and 10 priorities.", "", '"priorities" after them'),
    ("Between 1 and 10 priorities, each between 1 and 5.", "priorities", '"each" before them'),
    ("Between 1 and 10 priorities. 0 disables it.", "priorities", '"0" may be another value'),
    ("Between 1 and 10 minutes.", "minutes", '"minutes" measures a value'),
    # a name that ends in a unit of measure: the bounds may be in it (they were read as the number of items)
    ("Between 1 and 100 meters.", "distancesMeters", '("meters" after them is in the field\'s name, and a unit of '
                                                     "measure too)"),
    ("Between 1 and 100 cents.", "prices_cents", '"cents" after them is in the field\'s name'),
    ("Between 1 and 100 percents.", "thresholdPercents", '"percents" after them is in the field\'s name'),
]


@pytest.mark.parametrize(("text", "field", "why"), REFUSED, ids=[f"{case[0]} ({case[1]})" for case in REFUSED])
def test_bounds_followed_by_another_word_are_refused(text: str, field: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, INTEGERS, field=field)
    assert why in caught.value.why


def test_the_page_rows_name_counts_its_items(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / "create-voice-campaign-progressive-v2.md"
    row = "| `contactLists` | List of contact list names to be dialed."
    text = page.read_text(encoding="utf-8")
    assert row in text
    page.write_text(text.replace(row, "| `priorities` | Between 1 and 10 priorities. | array[integer], optional |\n"
                                 + row), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    [request] = (tmp_path / "out").glob("*/request.schema.json")
    priorities = json.loads(request.read_text(encoding="utf-8"))["properties"]["priorities"]
    assert (priorities["minItems"], priorities["maxItems"]) == (1, 10)


@pytest.mark.parametrize(("text", "type_"), [("Maximum of 10 items.", TypeSpec("array", "string")),
                                             ("A maximum of 10 entries.", INTEGERS)])
def test_a_maximum_of_items_is_the_lists_maxitems(text: str, type_: TypeSpec) -> None:
    """It was refused, though "items" says what it counts."""
    assert phrases.apply(text, type_) == [Constraint("maxItems", 10)]


@pytest.mark.parametrize(("text", "type_", "why"), [
    ("Maximum of 10 items for sms.", INTEGERS, '"for sms" follows them'),
    ("Maximum of 10 items.", TypeSpec("string"), "it counts a list's items, and the field is of type string"),
])
def test_a_maximum_of_items_said_with_more_or_of_another_type_is_refused(text: str, type_: TypeSpec, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase, match=why):
        phrases.apply(text, type_)
