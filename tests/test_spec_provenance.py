"""Every generated keyword names the page (or overrides) line it came from, and that line is about the field."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.spec import build

STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"
OVERRIDES = FROZEN_SOURCE / f"{STEM}.overrides.toml"
SCHEMAS = ["path", "query", "headers", "request", "response"]
# Keys that are structure or identity, not generated from a line.
STRUCTURE = {"$schema", "$id", "properties", "required", "items", "x-source"}


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return {name: json.loads(text) for name, text in build.generate_page(PAGE).items()}


def _nodes(node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """(field path, node) for every schema node; items carry their array's path."""
    yield path, node
    for child_name, child in node.get("properties", {}).items():
        yield from _nodes(child, (*path, child_name))
    if "items" in node:
        yield from _nodes(node["items"], path)


def _all_nodes(generated: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(part, field name, node); the name is "" for a root."""
    for part in SCHEMAS:
        for path, node in _nodes(generated[f"{part}.schema.json"], ()):
            yield part, ".".join(path), node


def _line(path: Path, number: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


def _override_block(number: int) -> str:
    """The overrides entry (from its [header] to the line) that holds line `number`."""
    lines = OVERRIDES.read_text(encoding="utf-8").splitlines()[:number]
    start = max(i for i, line in enumerate(lines) if line.startswith("["))
    return "\n".join(lines[start:])


def test_every_keyword_has_a_source(generated: dict[str, Any]) -> None:
    for part, name, node in _all_nodes(generated):
        missing = set(node) - STRUCTURE - set(node.get("x-source", {}))
        assert not missing, (part, name, missing)


def test_every_required_field_has_a_source(generated: dict[str, Any]) -> None:
    for _, _, node in _all_nodes(generated):
        for child in node.get("required", []):
            assert "required" in node["properties"][child]["x-source"], child


def test_page_lines_name_the_field(generated: dict[str, Any]) -> None:
    checked = 0
    for part, name, node in _all_nodes(generated):
        for keyword, source in node.get("x-source", {}).items():
            file, number = source.rsplit(":", 1)
            if file != PAGE.name or not name:
                continue
            name = name.rsplit(".", 1)[-1]
            assert name.lower() in _line(PAGE, int(number)).lower(), (part, name, keyword, source)
            checked += 1
    assert checked > 150


def test_override_lines_are_in_an_entry_for_the_field(generated: dict[str, Any]) -> None:
    checked = 0
    for part, name, node in _all_nodes(generated):
        for keyword, source in node.get("x-source", {}).items():
            file, number = source.rsplit(":", 1)
            if file != OVERRIDES.name:
                continue
            block = _override_block(int(number))
            table = "body" if part == "request" else part
            field = re.search(r'^field = "(?:.*\.)?([^".]+)"', block, re.M)
            # An entry names the field, or an ancestor it moved together with its children, or the table.
            named = field is not None and field[1] in name.split(".")
            assert named or f"[tables.{table}]" in block, (part, name, keyword, source)
            checked += 1
    assert checked > 20


def test_roots_point_at_the_title_and_the_table_heading(generated: dict[str, Any]) -> None:
    request = generated["request.schema.json"]["x-source"]
    assert request == {"title": f"{PAGE.name}:3", "type": f"{PAGE.name}:102"}
    assert _line(PAGE, 102) == "## Body Parameters"


def test_endpoint_sources(generated: dict[str, Any]) -> None:
    sources = generated["endpoint.json"]["x-source"]
    assert "{{streamId}}" in _line(PAGE, int(sources["pathTemplate"].rsplit(":", 1)[1]))
    assert _line(PAGE, int(sources["sampleHeaders"].rsplit(":", 1)[1])).startswith("curl")


@pytest.mark.parametrize(
    ("path", "keyword", "line"),
    [
        ("name", "maxLength", 106),
        ("priority", "enum", 111),
        ("contactLists.[]", "x-reference", 108),
        ("dialingStrategy.callingHours.days.[].day", "enum", 116),
        ("dialingStrategy.callingHours.days.[].start", "pattern", 116),
        ("dialingStrategy.maxRingTime", "maximum", 120),
        ("queue_name", "required", 121),
    ],
)
def test_known_request_lines(generated: dict[str, Any], path: str, keyword: str, line: int) -> None:
    node = generated["request.schema.json"]
    for key in path.split("."):
        node = node["items"] if key == "[]" else node["properties"][key]
    assert node["x-source"][keyword] == f"{PAGE.name}:{line}"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c"])
def test_only_a_newline_ends_a_line(tmp_path: Path, separator: str) -> None:
    """A character Python's splitlines() also breaks at (a line separator pasted from a word processor, a form feed)
    is not a line end to an editor, grep or GitHub: the lines named are theirs, above and within a table."""
    text = PAGE.read_text(encoding="utf-8").replace("Use this API", f"Use{separator}this API")
    text = text.replace("Helps teams understand", f"Helps{separator}teams understand")
    (tmp_path / PAGE.name).write_text(text, encoding="utf-8")
    (tmp_path / OVERRIDES.name).write_bytes(OVERRIDES.read_bytes())
    request = json.loads(build.generate_page(tmp_path / PAGE.name)["request.schema.json"])
    assert request["properties"]["name"]["x-source"]["maxLength"] == f"{PAGE.name}:106"
    assert request["properties"]["description"]["x-source"]["maxLength"] == f"{PAGE.name}:107"


def test_lines_follow_rows_inserted_above(tmp_path: Path) -> None:
    """Rows added above a field (to its table and to one before it) move its x-source with it, keyword by keyword."""
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    lines[105:105] = [f"| `extra{i}` | An extra field. Must be between 1 and 9. | number, optional |" for i in range(3)]
    lines[98:98] = ["| `x-trace` | A trace id. | string, optional |"]
    (tmp_path / PAGE.name).write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / OVERRIDES.name).write_bytes(OVERRIDES.read_bytes())
    generated = {name: json.loads(text) for name, text in build.generate_page(tmp_path / PAGE.name).items()}
    request = generated["request.schema.json"]["properties"]
    assert request["name"]["x-source"]["maxLength"] == f"{PAGE.name}:110"
    assert request["extra2"]["x-source"]["maximum"] == f"{PAGE.name}:109"
    assert request["dialingStrategy"]["properties"]["maxRingTime"]["x-source"]["maximum"] == f"{PAGE.name}:124"
    assert generated["headers.schema.json"]["properties"]["x-trace"]["x-source"]["type"] == f"{PAGE.name}:99"
    assert generated["headers.schema.json"]["properties"]["auth"]["x-source"]["type"] == f"{PAGE.name}:98"
    for part, name, node in _all_nodes(generated):
        for source in node.get("x-source", {}).values():
            file, number = source.rsplit(":", 1)
            if file == PAGE.name and name:
                assert name.rsplit(".", 1)[-1].lower() in lines[int(number) - 1].lower(), (part, name, source)
