"""Dotted names become nested schemas; parents implied by deeper rows are created."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frozen_page import FROZEN_SOURCE

from mockserver.contract import load_contract
from mockserver.spec import build, emit
from mockserver.spec.model import Keyword, Property, Source
from mockserver.spec.resolve import name_tokens, sample_values

PAGE = FROZEN_SOURCE / "create-voice-campaign-progressive-v2.md"
OVERRIDES = FROZEN_SOURCE / "create-voice-campaign-progressive-v2.overrides.toml"


def _prop(name: str, line: int, type_: str | None = "string", required: bool | None = None) -> Property:
    prop = Property(name)
    if type_:
        prop.keywords["type"] = Keyword(type_, Source("p.md", line))
    if required is not None:
        prop.required = Keyword(required, Source("p.md", line))
    return prop


def _schema(*props: Property) -> dict[str, Any]:
    root = Source("p.md", 1)
    return emit.schema(list(props), title="t", schema_id="urn:t", sources={"title": root, "type": root})


def test_name_tokens() -> None:
    assert name_tokens("data.dialingStrategy.callingHours.days[].start") == [
        "data", "dialingStrategy", "callingHours", "days", "[]", "start"]


def test_implied_parents_are_objects_required_when_a_child_is() -> None:
    schema = _schema(_prop("a.b.c", 5, required=True), _prop("a.b.d", 6, required=False))
    a = schema["properties"]["a"]
    b = a["properties"]["b"]
    assert schema["required"] == ["a"] and a["required"] == ["b"] and b["required"] == ["c"]
    assert a["type"] == b["type"] == "object"
    assert a["x-source"] == b["x-source"] == {"type": "p.md:5", "required": "p.md:5"}


def test_an_implied_parent_of_optional_children_is_optional() -> None:
    schema = _schema(_prop("a.b", 5, required=False))
    assert schema["required"] == [] and schema["properties"]["a"]["required"] == []


def test_a_documented_parent_keeps_its_own_requiredness() -> None:
    schema = _schema(_prop("a", 4, type_="object", required=False), _prop("a.b", 5, required=True))
    assert schema["required"] == [] and schema["properties"]["a"]["required"] == ["b"]


def test_array_items_from_bracketed_names() -> None:
    schema = _schema(_prop("days", 4, type_="array", required=True), _prop("days[]", 4, type_="object"),
                     _prop("days[].start", 5, required=True), _prop("days[].end", 6, required=True))
    days = schema["properties"]["days"]
    assert days["type"] == "array" and days["items"]["type"] == "object"
    assert list(days["items"]["properties"]) == ["start", "end"] and days["items"]["required"] == ["start", "end"]


def test_an_implied_array() -> None:
    days = _schema(_prop("days[].start", 5))["properties"]["days"]
    assert days["type"] == "array" and days["items"]["type"] == "object"


def test_rows_in_any_order() -> None:
    schema = _schema(_prop("a.b", 5, required=True), _prop("a", 6, type_="object", required=True))
    assert schema["properties"]["a"]["x-source"]["type"] == "p.md:6"


def test_the_vendor_pages_nesting() -> None:
    request = load_contract().request
    hours = request["properties"]["dialingStrategy"]["properties"]["callingHours"]
    assert hours["required"] == ["frequency", "timezone", "days"]
    item = hours["properties"]["days"]["items"]
    assert item["type"] == "object" and item["required"] == ["day", "start", "end"]
    assert item["properties"]["day"]["enum"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def test_sample_values_walk_arrays() -> None:
    sample = {"a": {"days": [{"start": 1}, {"start": 2}, {}]}}
    assert list(sample_values(sample, "a.days[].start")) == [1, 2]
    assert list(sample_values(sample, "a.missing")) == []


def test_a_parameters_name_is_read_as_written(tmp_path: Path) -> None:
    """A query parameter or header is one value named as the table writes it ("filter.status", "ids[]"): read as
    nesting, it became an object the mock refused to start with."""
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    lines[98:98] = ["| `x-trace.id` | A trace id. | string, optional |"]
    lines[25:25] = ["| `filter.status` | A status. | string, optional |", "| `ids[]` | Ids. | string, optional |"]
    (tmp_path / PAGE.name).write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / OVERRIDES.name).write_bytes(OVERRIDES.read_bytes())
    build.write(tmp_path, tmp_path / "out")
    query = json.loads((tmp_path / "out" / PAGE.stem / "query.schema.json").read_text(encoding="utf-8"))
    headers = json.loads((tmp_path / "out" / PAGE.stem / "headers.schema.json").read_text(encoding="utf-8"))
    assert query["properties"]["filter.status"]["type"] == "string" and "filter" not in query["properties"]
    assert query["properties"]["ids[]"]["type"] == "string" and "ids" not in query["properties"]
    assert headers["properties"]["x-trace.id"]["x-source"]["type"] == f"{PAGE.name}:101"
    load_contract(tmp_path / "out")  # the mock starts on them
