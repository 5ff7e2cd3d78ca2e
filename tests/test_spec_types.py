"""Types from the type column: a "number" the page shows whole values of, with whole bounds, is an integer; a
keyword that does not apply to the field's type is refused, naming its line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.errors import SpecError
from mockserver.spec import build, overrides
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
        ("Minimum is 1 and maximum is 100.", {"n": 3}, "integer"),
        ("A count. Example: 3", {}, "integer"),
        ("A count.", {"n": 3}, "integer"),
        ("Must be between 0.5 and 2.", {"n": 1}, "number"),
        ("Must be between 1 and 2.", {"n": 1.5}, "number"),
        ("A ratio.", {}, "number"),  # nothing says it is whole
        ("A flag.", {"n": True}, "number"),  # a boolean sample is no evidence of a whole number
    ],
)
def test_number_or_integer(description: str, sample: Any, expected: str) -> None:
    assert _type(description, sample) == expected


@pytest.mark.parametrize("description", ["A ratio. Must be between 0 and 1.", "Minimum is 1 and maximum is 100.",
                                         "Must be one of: 1, 2 or 3."])
def test_whole_bounds_alone_leave_a_number_a_number(description: str) -> None:
    """A "number" row with whole bounds and no value shown became an "integer": "Must be between 0 and 1." then
    refused every ratio between its bounds."""
    assert _type(description, {}) == "number"


def test_other_types_are_kept() -> None:
    assert _type("Must be between 1 and 5 characters.", {"n": "3"}, type_="string") == "string"


@pytest.mark.parametrize(
    ("description", "type_", "words", "rule", "keyword", "why"),
    [
        ("Must be between 1 and 5.", "string", '"between 1 and 5"', "between", "minimum",
         "integer and number values only, and the field is of type string"),
        ("Must be a maximum of 48 characters.", "number", '"maximum of 48 characters"', "maximum-characters",
         "maxLength", "string values only, and the field is of type number"),
        ("Must be a maximum of 48 characters.", "array", '"maximum of 48 characters"', "maximum-characters",
         "maxLength", "string values only, and the field is of type array"),
        ("Must be between 1 and 5.", "boolean", '"between 1 and 5"', "between", "minimum",
         "integer and number values only, and the field is of type boolean"),
        ("Start time. (hh:mm AM/PM)", "object", '"(hh:mm AM/PM)"', "clock-time-form", "pattern",
         "string values only, and the field is of type object"),
        ("Between 1 and 1440. Starts counting at 9:00 AM.", "integer", '"9:00 AM"', "clock-time", "pattern",
         "string values only, and the field is of type integer"),
        ("Time zone of the campaign, as an offset in minutes.", "integer", '"Time zone"', "time-zone", "format",
         "string values only, and the field is of type integer"),
        ("Must exist in the system", "integer", '"Must exist in the system"', "must-exist", "x-reference",
         "string values only, and the field is of type integer"),
    ],
)
def test_a_keyword_the_type_ignores_is_refused_quoting_its_words(description: str, type_: str, words: str, rule: str,
                                                                 keyword: str, why: str) -> None:
    """A phrase's keyword of another type (a clock-time pattern on an integer) was refused as "pattern does not apply
    to a field of type integer", without the words that gave it: now those words are quoted, as an enum of words on an
    integer is, and a [[read]] entry may settle them."""
    with pytest.raises(SpecError) as caught:
        _type(description, {}, type_=type_)
    assert caught.value.where == "p.md:3"
    assert caught.value.message.startswith(f'cannot read {words} as a constraint: the phrase rule "{rule}" cannot read'
                                           f" it for certain: it gives {keyword}, which constrains {why}; ")


STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"


def _page_copy(tmp_path: Path, line: int, old: str, new: str) -> Path:
    """The vendored page and its overrides under tmp_path/source, with `old` replaced by `new` on `line`."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    lines = PAGE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    (source / PAGE.name).write_text("".join(lines), encoding="utf-8")
    return source


def test_bounds_on_a_string_and_an_array_are_lengths_and_counts(tmp_path: Path) -> None:
    source = _page_copy(tmp_path, 106, "must be a maximum of 48 characters", "must be between 1 and 48 characters")
    lines = (source / PAGE.name).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[107] = lines[107].replace("At least one contact list name is required.", "Between 1 and 10 lists.")
    (source / PAGE.name).write_text("".join(lines), encoding="utf-8")
    fixes = source / PAGE.with_suffix(".overrides.toml").name
    text = fixes.read_text(encoding="utf-8")
    entry = re.search(r'\[\[set\]\]\ntable = "body"\nfield = "name"\nminLength = 1\n.*\n', text)
    assert entry  # the page gives the name's minLength now: its [[set]] is stale
    fixes.write_text(text.replace(entry[0], ""), encoding="utf-8")
    request = json.loads(build.generate_page(source / PAGE.name)["request.schema.json"])["properties"]
    name, lists = request["name"], request["contactLists"]
    assert (name["maxLength"], name["x-source"]["maxLength"]) == (48, f"{PAGE.name}:106")
    assert (name["minLength"], name["x-source"]["minLength"]) == (1, f"{PAGE.name}:106")
    assert "minimum" not in name and "maximum" not in name
    assert (lists["minItems"], lists["maxItems"], lists["x-source"]["maxItems"]) == (1, 10, f"{PAGE.name}:108")
    assert "minimum" not in lists and "maximum" not in lists


def test_a_refused_keyword_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _page_copy(tmp_path, 111, "must be one of the following: 1, 2, 3, 4, or 5", "must be between 1 and 5")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f'mockserver schemas: error: {source / PAGE.name}:111: cannot read "between 1 and 5" as a '
                          'constraint: the phrase rule "between" cannot read it for certain: it gives minimum, which '
                          "constrains integer and number values only, and the field is of type string")


@pytest.mark.parametrize(
    ("description", "type_", "message"),
    [
        ("Retries. Must be between 10 and 1.", "number", "minimum 10 is greater than maximum 1 (n)"),
        ("Minimum is 1,000 and maximum is 100.", "number", "minimum 1000 is greater than maximum 100 (n)"),
        ("Must be between 48 and 1 characters.", "string", "minLength 48 is greater than maxLength 1 (n)"),
        ("Between 10 and 1 items.", "array", "minItems 10 is greater than maxItems 1 (n)"),
    ],
)
def test_a_minimum_above_its_maximum_is_refused(description: str, type_: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        _type(description, {}, type_=type_)
    assert caught.value.where == "p.md:3"
    assert caught.value.message == f"{message}: no value satisfies both"


def test_equal_bounds_are_kept() -> None:
    assert _type("Must be between 3 and 3.", {"n": 3}) == "integer"


def test_a_row_whose_minimum_is_above_its_maximum_is_one_line(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    lines = PAGE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[121].startswith("| `campaignType`")
    lines.insert(122, "| `retryLimit` | Retries. Must be between 10 and 1. | number, optional |\n")
    (source / PAGE.name).write_text("".join(lines), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == (f"mockserver schemas: error: {source / PAGE.name}:123: minimum 10 is greater than maximum 1 "
                   "(retryLimit): no value satisfies both\n")
    assert not (tmp_path / "out").exists()
