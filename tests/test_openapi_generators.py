"""What client generators and mock servers read from the two OpenAPI documents, the endpoint's and the admin API's:
the names of the classes they make, the modules they group operations in, one class per shape, and the header
values a mock built from a document answers with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from mockserver import admin_openapi, openapi


@pytest.fixture(scope="module", params=["endpoint", "admin"])
def document(request, contract):
    build = openapi.build_document if request.param == "endpoint" else admin_openapi.build_document
    return build(contract)


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation



def _nodes(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    yield where, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, f"{where}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nodes(child, f"{where}/{index}")



def test_component_schemas_are_named_by_their_key(document):
    """openapi-python-client names a component's class after its `title` when it has one: the request body became
    `CreateVoiceCampaignAPIProgressiveModeV2RequestBody` (and every nested class after it), not
    `CreateVoiceCampaignRequest`, the name the document gives it."""
    titled = {name: schema["title"] for name, schema in document["components"]["schemas"].items()
              if schema.get("title", name) != name}
    assert titled == {}


def test_no_component_is_copied_inline(document):
    """A schema written out again where the document could point at its component becomes a second class of the
    same shape: the admin API's `Error` beside the envelope's `ErrorEnvelopeErrorsItem`."""
    components = document["components"]["schemas"]
    copies = [(where, name) for where, node in _nodes(document, "#") for name, schema in components.items()
              if node == schema and where != f"#/components/schemas/{name}"]
    assert copies == []


def test_no_schema_beside_a_type_is_a_union(document):
    """Generators read an `anyOf`, `oneOf` or `allOf` as the property's type, whatever `type` says beside it: the
    admin API's rule `fault`, a string whose retry-after needs a status (an `anyOf` of two untyped branches), became
    `Any` (openapi-python-client), `unknown | unknown` (@hey-api/openapi-ts), `fault: ;`, which TypeScript does not
    compile (openapi-typescript-codegen), and a pydantic union whose second branch took any text holding "status"
    (datamodel-code-generator). A constraint that is no type goes under `not`, which they leave out."""
    mixed = [where for where, node in _nodes(document, "#") if isinstance(node, dict) and "type" in node
             and {"anyOf", "oneOf", "allOf"} & node.keys()]
    assert mixed == []


def test_every_object_schema_says_what_it_holds(document):
    """An object schema with neither `properties` nor `additionalProperties` is read as an empty object: the admin
    API's `OpenApiDocument` became `Record<string, never>` (openapi-typescript 7), every field of it `never`, and a
    pydantic model with no field, which kept nothing of the document it read (datamodel-code-generator)."""
    bare = [where for where, node in _nodes(document, "#") if isinstance(node, dict) and node.get("type") == "object"
            and not {"properties", "additionalProperties"} & node.keys()]
    assert bare == []


def test_every_enum_and_const_says_its_type(document):
    """An `enum` or `const` with no `type` beside it leaves a generator to guess the type from its values:
    openapi-typescript 7 documented the journal's `"on" | "off"` as `@enum {unknown}`, the line an editor shows on
    hover."""
    untyped = [where for where, node in _nodes(document, "#") if isinstance(node, dict) and "/example" not in where
               and {"enum", "const"} & node.keys() and "type" not in node]
    assert untyped == []


def test_every_operation_is_tagged_with_a_declared_tag(document):
    """Generators group operations in a module per tag; an untagged one landed in `api/default`, and Spectral's
    `operation-tags` rule warned."""
    declared = {tag["name"] for tag in document.get("tags", [])}
    untagged = [name for name, operation in _operations(document)
                if not operation.get("tags") or not set(operation["tags"]) <= declared]
    assert declared and untagged == []


def test_every_response_header_has_an_example(document):
    """A mock built from the document (Prism) answers a header with no example with 0: `X-RateLimit-Remaining: 0`
    on every 200, which tells a client it must stop."""
    def resolved(spec: dict[str, Any]) -> dict[str, Any]:  # a shared header: components.headers
        return document["components"]["headers"][spec["$ref"].rsplit("/", 1)[1]] if "$ref" in spec else spec

    bare = [f"{name} {status} {header}" for name, operation in _operations(document)
            for status, response in operation["responses"].items()
            for header, spec in response.get("headers", {}).items()
            if "example" not in resolved(spec) and not {"examples", "const", "enum"} & resolved(spec)["schema"].keys()]
    assert bare == []


def _uncovered_patterns(document: dict[str, Any], node: Any, where: str, seen: frozenset[str]) -> Iterator[str]:
    """Where `node` (a schema, its `$ref`s followed) has a `pattern` that no example on it or above it shows."""
    if isinstance(node, dict) and "examples" not in node and "example" not in node:
        if "$ref" in node and node["$ref"] not in seen:
            target = document
            for key in node["$ref"].removeprefix("#/").split("/"):
                target = target[key]
            yield from _uncovered_patterns(document, target, node["$ref"], seen | {node["$ref"]})
        if "pattern" in node:
            yield where
        for key, child in node.items():
            yield from _uncovered_patterns(document, child, f"{where}/{key}", seen)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _uncovered_patterns(document, child, f"{where}/{index}", seen)


def test_a_mock_of_every_answer_shows_values_its_patterns_accept(document):
    """A mock built from the document (Prism) answers with the response's example or, without one, an example made
    from the schema: `"string"` for a string with no example, whatever its pattern. The admin API's stored campaign
    had none, so Prism answered `"start": "string"` for a day block and flagged its own answer."""
    uncovered = [f"{name} {status}: {where}" for name, operation in _operations(document)
                 for status, response in operation["responses"].items()
                 for media in response.get("content", {}).values() if "example" not in media
                 for where in _uncovered_patterns(document, media["schema"], "schema", frozenset())]
    assert uncovered == []


def test_every_schema_example_is_valid_for_its_schema(document):
    registry = Registry().with_resource("urn:document", DRAFT202012.create_resource(document))
    examples = [(where, example) for where, node in _nodes(document, "#") if isinstance(node, dict)
                and where.startswith("#/components/schemas/") and isinstance(node.get("examples"), list)
                for example in node["examples"]]
    assert len(examples) >= (3 if "__admin" in json.dumps(document["paths"]) else 1)
    for where, example in examples:
        Draft202012Validator({"$ref": "urn:document" + where}, registry=registry).validate(example)
