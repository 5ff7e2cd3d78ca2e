"""Bounds beside a number that is recognisably no value of the field: a cross-reference, the API's version, a year.

A sentence with a number beside a description's bounds made them refused ("Set to 0 to ring until answered." gives
the field another value), and so did "Version 2 of the API." or "See section 3.", where the reading is certain. The
number is looked past in those forms alone; said otherwise it still makes the bounds refused, the refusal naming it."""

from __future__ import annotations

import pytest

from mockserver.spec import phrases
from mockserver.spec.markdown import clean_cell
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, INTEGER = TypeSpec("string"), TypeSpec("integer")
FIVE_TO_120 = [Constraint("minimum", 5), Constraint("maximum", 120)]

# each was refused
READ = [
    ("Version 2 of the API. Must be between 5 and 120.", INTEGER, FIVE_TO_120),
    ("See section 3. Must be between 5 and 120.", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120. See section 3.", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120 (see section 3).", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120. Refer to section 4.2 for details.", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120. See § 4.", INTEGER, FIVE_TO_120),
    ("Introduced in version 2. Must be between 5 and 120.", INTEGER, FIVE_TO_120),
    ("Available since API version 2.1. Must be between 5 and 120.", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120. Added in 2024.", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120. Deprecated since March 3, 2025.", INTEGER, FIVE_TO_120),
    ("Must be between 5 and 120. This field was added in 2024.", INTEGER, FIVE_TO_120),
    ("Must be in [5, 120] (see section 3).", INTEGER, FIVE_TO_120),
    ("Maximum of 48 characters (see section 2).", STRING, [Constraint("maxLength", 48)]),
]


@pytest.mark.parametrize(("text", "type_", "expected"), READ, ids=[case[0] for case in READ])
def test_bounds_beside_a_section_a_version_or_a_year_are_read(text: str, type_: TypeSpec,
                                                               expected: list[Constraint]) -> None:
    assert phrases.apply(clean_cell(text), type_) == expected


# (a description, the words the refusal names as the cause); a number said otherwise may be a value of the field, or
# the bounds' condition
REFUSED = [
    ("Version 0 is the legacy API. Must be between 1 and 3.", '"0" (a number is known to be no value'),
    ("Must be between 1 and 3. In version 1 of the API, 0 was allowed.", '"0" (a number is known to be no value'),
    ("Must be between 5 and 120 since version 2.", '"2" (a number is known to be no value'),  # a condition
    ("Must be between 5 and 120 in version 2 of the API.", '"2" (a number is known to be no value'),
    ("Before 2024, use 0. Must be between 5 and 120.", '"2024" (a number is known to be no value'),
    ("Must be between 2000 and 2100. Not before 2020.", '"2020" (a number is known to be no value'),
    ("Must be between 5 and 120. See section 3 for 0.", '"0" (a number is known to be no value'),
    ("Must be between 5 and 120 (see section 3 for exceptions).", '"for" may be'),
    ("Must be between 5 and 120 (section 3).", '"3" (a number is known to be no value'),
    ("Must be between 5 and 120. Added in 2024, 0 disables it.", '"0" (a number is known to be no value'),
    ("Must be between 5 and 120. Page 0 returns everything.", '"0" (a number is known to be no value'),
    ("Set to 0 to ring until answered. Must be between 5 and 120.", '"0" may be'),
    # a sentence that says more of the field beside its section, version or year (the number was looked past, and
    # the bounds read alone)
    ("Must be between 5 and 120. See section 3 for other values.", '"3" (a number is known to be no value'),
    ("Must be between 5 and 120. API version 2.1 allows larger values.", '"2.1" (a number is known to be no value'),
    ("Must be between 5 and 120. Version 2 of the API accepts any value.", '"2" (a number is known to be no value'),
    ("Must be between 5 and 120. Added in 2024 for larger values.", '"2024" (a number is known to be no value'),
    ("Between 5 and 120. Other values are described in section 3.", '"3" (a number is known to be no value'),
    ("Between 5 and 120 (others are described in section 3).", '"3" (a number is known to be no value'),
    ("Between 1 and 100, or 0 to disable.", '"0" may be'),
]


@pytest.mark.parametrize(("text", "cause"), REFUSED, ids=[case[0] for case in REFUSED])
def test_bounds_beside_a_number_said_otherwise_are_refused_naming_it(text: str, cause: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(text), INTEGER)
    assert f", and {cause}" in caught.value.why


def test_a_number_that_may_be_a_version_is_named_with_the_forms_looked_past() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Version 0 is the legacy API. Must be between 1 and 3.", INTEGER)
    assert caught.value.why.endswith(
        '"Version 0 is the legacy API" comes before them in the description, and "0" (a number is known to be no '
        'value of the field only as a section, a version or a year said as in "see section 3", "version 2 of the API" '
        'or "added in 2024") may be another value or an exception, which the bounds alone would drop')


@pytest.mark.parametrize("text", ["Maximum (see section 3).", "Maximum length (see section 3)."])
def test_a_limit_said_only_by_a_cross_reference_stays_refused(text: str) -> None:
    with pytest.raises(phrases.UnreadPhrase):
        phrases.apply(clean_cell(text), INTEGER)
