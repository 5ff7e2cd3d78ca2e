"""The generated JSON Schema files as a team's own tools load them (README, Where the contract comes from): each
names its draft and an id of its own, refers to nothing (so it loads offline), and every `x-source` names a line
of a file in schemas/source/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from mockserver.contract import PARTS
from mockserver.paths import CONTRACT, SCHEMAS_DIR, SOURCE_DIR

SOURCE = re.compile(r"(?P<file>[^/:]+):(?P<line>[1-9][0-9]*)")


def _schemas() -> dict[str, dict[str, Any]]:
    return {part: json.loads((SCHEMAS_DIR / CONTRACT / f"{part}.schema.json").read_text(encoding="utf-8"))
            for part in PARTS}


def _sources(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from (child.values() if key == "x-source" else _sources(child))
    elif isinstance(value, list):
        for child in value:
            yield from _sources(child)


def test_each_schema_names_its_draft_and_an_id_of_its_own():
    schemas = _schemas()
    assert {part: schema["$schema"] for part, schema in schemas.items()} == {
        part: "https://json-schema.org/draft/2020-12/schema" for part in PARTS}
    assert {part: schema["$id"] for part, schema in schemas.items()} == {
        part: f"urn:kore-campaign-mock:{CONTRACT}:{part}" for part in PARTS}


def test_the_schemas_load_offline_and_take_the_samples_by_their_ids():
    schemas = _schemas()
    assert "$ref" not in json.dumps(schemas)
    registry = Registry().with_resources((schema["$id"], DRAFT202012.create_resource(schema))
                                         for schema in schemas.values())
    for part in ("request", "response"):
        sample = json.loads((SCHEMAS_DIR / CONTRACT / f"sample-{part}.json").read_text(encoding="utf-8"))
        Draft202012Validator({"$ref": schemas[part]["$id"]}, registry=registry).validate(sample)


def test_every_source_is_a_line_of_a_file_in_the_source_folder():
    lines = {path.name: path.read_text(encoding="utf-8").count("\n") + 1 for path in SOURCE_DIR.iterdir()}
    sources = [source for schema in _schemas().values() for source in _sources(schema)]
    assert len(sources) > 50
    wrong = [source for source in sources if not (match := SOURCE.fullmatch(source))
             or int(match["line"]) > lines.get(match["file"], 0)]
    assert wrong == []
