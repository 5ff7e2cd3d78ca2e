"""Types from the type column: a "number" whose bounds and samples are whole numbers is an integer."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import overrides
from mockserver.spec.model import FieldSpec, Sample, Source, Table, TypeSpec
from mockserver.spec.resolve import resolve_table


def _type(description: str, sample: Any, type_: str = "number") -> str:
    spec = FieldSpec("n", TypeSpec(type_), True, description, Source("p.md", 3))
    table = Table("body", "Body Parameters", Source("p.md", 1), [spec])
    [prop] = resolve_table(table, overrides.none(), Sample(sample, Source("p.md", 9)), "p.md")
    return prop.keywords["type"].value


@pytest.mark.parametrize(
    ("description", "sample", "expected"),
    [
        ("Must be between 1 and 1440.", {"n": 10}, "integer"),
        ("Minimum is 1 and maximum is 100.", {}, "integer"),
        ("A count.", {"n": 3}, "integer"),
        ("Must be between 0.5 and 2.", {"n": 1}, "number"),
        ("Must be between 1 and 2.", {"n": 1.5}, "number"),
        ("A ratio.", {}, "number"),  # nothing says it is whole
        ("A flag.", {"n": True}, "number"),  # a boolean sample is no evidence of a whole number
    ],
)
def test_number_or_integer(description: str, sample: Any, expected: str) -> None:
    assert _type(description, sample) == expected


def test_other_types_are_kept() -> None:
    assert _type("Must be between 1 and 5.", {"n": "3"}, type_="string") == "string"
