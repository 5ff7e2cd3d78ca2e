"""Boundary cases derived from the generated schemas: for every constraint, a value just inside and just outside.

Nothing here names a field of this endpoint. The schema says which fields carry which constraints; the base
request supplies the value each boundary starts from. Adding a constraint to the vendor's page therefore adds
cases without touching the suite. A boundary that cannot be built (for example a 48-character contact-list name
the tenant does not have) still becomes a case, one that skips and says why.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from jsonschema import FormatChecker

from contract_tests.cases import MISSING, Case, Expectation, characters, only_placeholder, placeholder
from mockserver.ecma_pattern import Validator
from mockserver.journal_filters import is_date_time  # RFC 3339, as the admin API reads `since`
from mockserver.validation import is_iana_zone  # the mock's reading of a zone name, which the README documents

INSIDE, OUTSIDE = "inside", "outside"
REMOVE = object()  # the value of a "required ... outside" boundary: the field is left out

# JSON Schema assertion keywords; those without a rule below still show up, as skipped cases.
ASSERTIONS = (
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
    "maxProperties", "minProperties", "required", "dependentRequired", "format",
)


@dataclass(frozen=True)
class Node:
    """One place in a schema: its dotted path, its subschema and the base request's value there."""

    path: str
    schema: dict[str, Any]
    base: Any  # MISSING when the base request has no value here
    text_only: bool = False  # headers and query parameters: every value on the wire is a string
    # the nearest object or array above this node that the base request does not send (an optional one): a value
    # here would go into a parent made of it alone, without its required fields, or be removed from nothing
    lacking: str | None = None

    @property
    def reference(self) -> bool:
        return "x-reference" in self.schema


@dataclass(frozen=True)
class Boundary:
    side: str  # INSIDE or OUTSIDE
    value: Any  # REMOVE to leave the field out
    note: str  # what the value is, in words
    skip: str | None = None
    tag: str | None = None  # tells apart several values on one side: an enum's other values, by their own


def _skip(side: str, why: str) -> Boundary:
    return Boundary(side, None, why, skip=why)


# --- values ---------------------------------------------------------------------------------------------


def sized_text(node: Node, length: int, side: str) -> Any:
    """A string of exactly `length` characters in the spirit of the base value; None if it cannot be made.

    A placeholder base keeps its kind: the run's name stays prefixed on both sides (a broken service may accept
    the outside value and create a campaign), and a tenant resource of that length is asked of the target for
    the inside value. Outside a tenant resource's limit any text will do.
    """
    held = only_placeholder(node.base)
    if held is not None and (held[0].startswith("run.") or side == INSIDE):
        return placeholder(held[0], length)
    if node.reference and side == INSIDE:
        return None
    text = node.base if isinstance(node.base, str) and node.base and held is None else "x"
    return (text * (length // len(text) + 1))[:length]


def sized_list(node: Node, count: int) -> list[Any] | None:
    items = node.base if isinstance(node.base, list) else []
    if count and not items:
        return None
    return [items[i % len(items)] for i in range(count)]


def step(node: Node) -> int | float:
    return 1 if node.schema.get("type") == "integer" or isinstance(node.base, int) else 0.5


WRONG_TYPES: dict[str, Callable[[Any], Any]] = {
    "string": lambda base: int(base) if isinstance(base, str) and base.isdigit() else 12345,
    "integer": lambda base: (base if isinstance(base, int | float) else 1) + 0.5,
    "number": lambda base: str(base) if isinstance(base, int | float) else "1",
    "boolean": lambda base: "true",
    "array": lambda base: base[0] if isinstance(base, list) and base else "x",
    "object": lambda base: "x",
    "null": lambda base: 0,
}


# format -> (value just outside, why it is outside, checker)
FORMATS: dict[str, tuple[str, str, Callable[[object], bool]]] = {
    "iana-time-zone": ("Etc/GMT+13", "no such zone (Etc/GMT+12 is the last one west)", is_iana_zone),
    "date-time": ("2025-12-04T10:50:56", "no zone (RFC 3339 asks for Z or an offset)", is_date_time),
}


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, (_, _, check) in FORMATS.items():
        checker.checks(name)(check)
    return checker


# --- one rule per keyword -------------------------------------------------------------------------------


def _length(node: Node, side: str, length: int) -> Boundary:
    value = sized_text(node, length, side)
    if value is None:
        return _skip(side, f"a value of {characters(length)} must exist in the tenant, and the base has none")
    return Boundary(side, value, characters(length))


def max_length(node: Node, limit: int) -> list[Boundary]:
    return [_length(node, INSIDE, limit), _length(node, OUTSIDE, limit + 1)]


def min_length(node: Node, limit: int) -> list[Boundary]:
    below = [_length(node, OUTSIDE, limit - 1)] if limit > 0 else [_skip(OUTSIDE, "no string is shorter than 0")]
    return [_length(node, INSIDE, limit), *below]


def _count(node: Node, side: str, count: int) -> Boundary:
    value = sized_list(node, count)
    if value is None:
        return _skip(side, "the base request has no item to repeat")
    return Boundary(side, value, f"{count} item{'s' if count != 1 else ''}")


def min_items(node: Node, limit: int) -> list[Boundary]:
    below = [_count(node, OUTSIDE, limit - 1)] if limit > 0 else [_skip(OUTSIDE, "no array has fewer than 0 items")]
    return [_count(node, INSIDE, limit), *below]


def max_items(node: Node, limit: int) -> list[Boundary]:
    return [_count(node, INSIDE, limit), _count(node, OUTSIDE, limit + 1)]


def minimum(node: Node, limit: int | float) -> list[Boundary]:
    return [Boundary(INSIDE, limit, f"{limit}"), Boundary(OUTSIDE, limit - step(node), f"{limit - step(node)}")]


def maximum(node: Node, limit: int | float) -> list[Boundary]:
    return [Boundary(INSIDE, limit, f"{limit}"), Boundary(OUTSIDE, limit + step(node), f"{limit + step(node)}")]


def exclusive_minimum(node: Node, limit: int | float) -> list[Boundary]:
    return [Boundary(INSIDE, limit + step(node), f"{limit + step(node)}"), Boundary(OUTSIDE, limit, f"{limit}")]


def exclusive_maximum(node: Node, limit: int | float) -> list[Boundary]:
    return [Boundary(INSIDE, limit - step(node), f"{limit - step(node)}"), Boundary(OUTSIDE, limit, f"{limit}")]


def enum_outside(values: list[Any], base: Any) -> Any:
    if values and all(isinstance(v, str) and v.isdigit() for v in values):
        return str(max(int(v) for v in values) + 1)
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return max(values) + 1
    start = base if isinstance(base, str) else str(values[0] if values else "")
    return start + "X"


def enum(node: Node, values: list[Any]) -> list[Boundary]:
    """The base value, every other value the list gives (each is as valid as the page says), and one not listed."""
    inside = node.base if node.base in values else values[0]
    outside = enum_outside(values, node.base)
    others = [Boundary(INSIDE, v, f"{v!r}, another of {values}", tag=str(v)) for v in values if v != inside]
    return [Boundary(INSIDE, inside, f"{inside!r}"), *others,
            Boundary(OUTSIDE, outside, f"{outside!r}, not one of {values}")]


def const(node: Node, value: Any) -> list[Boundary]:
    return [Boundary(INSIDE, value, f"{value!r}"), Boundary(OUTSIDE, enum_outside([value], value), "another value")]


def types(node: Node, wanted: str | list[str]) -> list[Boundary]:
    allowed = [wanted] if isinstance(wanted, str) else list(wanted)
    inside = Boundary(INSIDE, node.base, f"the base value, {' or '.join(allowed)}")
    if node.text_only:  # every value on the wire is text: one that does not read as the type is outside it
        if "string" in allowed:
            return [inside, _skip(OUTSIDE, "every header and query value is a string on the wire")]
        return [inside, Boundary(OUTSIDE, "x", f"'x', which does not read as {' or '.join(allowed)}")]
    make = WRONG_TYPES.get(allowed[0])
    if make is None:
        return [inside, _skip(OUTSIDE, f"no wrong-type value for {allowed}")]
    value = make(node.base)
    return [inside, Boundary(OUTSIDE, value, f"{value!r}, not {' or '.join(allowed)}")]


def pattern(node: Node, regex: str) -> list[Boundary]:
    base = node.base if isinstance(node.base, str) else ""
    candidates = [base + "X", "X" + base, "", "x"]
    outside = next((c for c in candidates if not re.search(regex, c)), None)
    found = [Boundary(INSIDE, node.base, f"{node.base!r}")]
    if outside is None:
        return [*found, _skip(OUTSIDE, f"no near value fails {regex}")]
    return [*found, Boundary(OUTSIDE, outside, f"{outside!r}")]


def format_(node: Node, name: str) -> list[Boundary]:
    if name not in FORMATS:
        return [_skip(INSIDE, f"no boundary rule for format {name!r}"), _skip(OUTSIDE, f"no rule for {name!r}")]
    outside, why = FORMATS[name][:2]
    return [Boundary(INSIDE, node.base, f"{node.base!r}"), Boundary(OUTSIDE, outside, f"{outside!r}: {why}")]


# The registry: keyword -> rule. Adding a keyword here is the only change a new kind of constraint needs.
RULES: dict[str, Callable[[Node, Any], list[Boundary]]] = {
    "maxLength": max_length,
    "minLength": min_length,
    "maxItems": max_items,
    "minItems": min_items,
    "minimum": minimum,
    "maximum": maximum,
    "exclusiveMinimum": exclusive_minimum,
    "exclusiveMaximum": exclusive_maximum,
    "enum": enum,
    "const": const,
    "type": types,
    "pattern": pattern,
    "format": format_,
}


def required(node: Node, name: str) -> list[Boundary]:
    """`name` is required in the object at `node`: present (inside), left out (outside)."""
    present = isinstance(node.base, dict) and name in node.base
    inside = Boundary(INSIDE, MISSING, "present, as in the base request") if present else (
        _skip(INSIDE, "the base request does not send it"))
    return [inside, Boundary(OUTSIDE, REMOVE, "left out")]


# --- walking the schema ---------------------------------------------------------------------------------


def child_path(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def walk(schema: dict[str, Any], base: Any, path: str = "", text_only: bool = False,
         lacking: str | None = None) -> Iterator[Node]:
    """Every node of the schema below the root, in document order, with the base value at it."""
    for name, sub in schema.get("properties", {}).items():
        value = base.get(name, MISSING) if isinstance(base, dict) else MISSING
        here = child_path(path, name)
        yield Node(here, sub, value, text_only, lacking)
        yield from walk(sub, value, here, text_only, lacking or (here if value is MISSING else None))
    if isinstance(schema.get("items"), dict):
        first = base[0] if isinstance(base, list) and base else MISSING
        here = child_path(path, 0)
        yield Node(here, schema["items"], first, text_only, lacking)
        yield from walk(schema["items"], first, here, text_only, lacking or (here if first is MISSING else None))


# --- turning boundaries into cases ----------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part of the request the schemas describe: body, query or headers."""

    name: str  # "request", "query" or "headers" (a key of Contract.schemas)
    label: str  # prefix of case ids: "" for the body, "query." or "header."
    base: dict[str, Any]
    outside_status: int = 400

    @property
    def text_only(self) -> bool:
        return self.name != "request"


@dataclass(frozen=True)
class Settings:
    """fixtures/cases/_boundaries.json: expected answers that differ from the default, by case id pattern."""

    expect: list[dict[str, Any]] = field(default_factory=list)

    def override(self, case_id: str) -> dict[str, Any] | None:
        return next((rule for rule in self.expect if fnmatch.fnmatchcase(case_id, rule["match"])), None)


def _request(part: Part, path: str, value: Any) -> dict[str, Any]:
    if part.name == "request":
        return {"remove": [path]} if value is REMOVE else ({} if value is MISSING else {"set": {path: value}})
    key = "query" if part.name == "query" else "headers"
    if value is MISSING:
        return {}
    return {key: {path: None if value is REMOVE else wire_text(value)}}


def wire_text(value: Any) -> Any:
    """A header's or query parameter's value as it is sent, as text: the mock reads it back by its schema's type
    (mockserver.parameters). A header declared an integer was given the integer 9, which the HTTP library refused
    to send, and each of its cases got no verdict until the run stopped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return value


def _expectation(part: Part, side: str, path: str, override: dict[str, Any] | None) -> Expectation:
    if override:
        return Expectation(override["status"], tuple(override.get("fields", [path])), (), override.get("code"))
    if side == INSIDE:
        return Expectation(status=200)
    return Expectation(status=part.outside_status, fields=(path,))


def stand_in(value: Any) -> Any:
    """A concrete value to validate in place of a placeholder; MISSING when there is none to make."""
    held = only_placeholder(value)
    if held is None:
        return MISSING if isinstance(value, str) and "{{" in value else value
    return "x" * held[1] if held[1] is not None else MISSING


def misfit(node: Node, boundary: Boundary) -> str | None:
    """Why the boundary's value is on the wrong side of the node's own schema, if it is."""
    if boundary.skip or boundary.value in (REMOVE, MISSING):
        return None
    value = stand_in(boundary.value)
    if value is MISSING:
        return None
    errors = list(Validator(node.schema, format_checker=format_checker()).iter_errors(value))
    if boundary.side == INSIDE and errors:
        return f"no value just inside also satisfies the rest of the schema ({errors[0].message})"
    if boundary.side == OUTSIDE and not errors:
        return f"the derived value {boundary.value!r} is not outside the schema"
    return None


def lacking_skip(node: Node) -> str | None:
    """A field inside an object or array the base request does not send (a new optional one) has no case that can be
    built: its value would go into a parent of it alone, which lacks the parent's required fields (an inside value
    refused), and its removal would remove nothing."""
    if node.lacking is None:
        return None
    return f"the base request does not send {node.lacking}, which holds it"


def reference_skip(node: Node, boundary: Boundary) -> str | None:
    """An inside value of a field that must name a tenant resource has to come from the tenant."""
    if boundary.side != INSIDE or not node.reference or boundary.skip or boundary.value in (REMOVE, MISSING):
        return None
    values = boundary.value if isinstance(boundary.value, list) else [boundary.value]
    if all(only_placeholder(v) or v == node.base for v in values):
        return None
    return f"{boundary.value!r} would have to exist in the tenant (x-reference), and the tenant is not asked"


def to_case(part: Part, node: Node, keyword: str, boundary: Boundary, settings: Settings) -> Case:
    label = f"{part.label}{node.path}"
    case_id = f"boundary/{label}/{keyword}/{boundary.side}" + (f"/{boundary.tag}" if boundary.tag else "")
    limit = f" {node.schema[keyword]!r}" if keyword in node.schema and keyword != "required" else ""
    skip = lacking_skip(node) or boundary.skip or misfit(node, boundary) or reference_skip(node, boundary)
    override = settings.override(case_id)
    return Case(
        id=case_id,
        description=f"{label}: {keyword}{limit}, {boundary.side}: {boundary.note}",
        subject=label if part.name == "request" else node.path,
        request={} if skip else _request(part, node.path, boundary.value),
        expect=_expectation(part, boundary.side, node.path, override),
        may_create=bool(override and override.get("may_create")),
        skip=skip,
        source=f"schemas: {part.name}.schema.json",
    )


def node_boundaries(node: Node) -> Iterator[tuple[str, Boundary]]:
    for keyword in ASSERTIONS:
        if keyword not in node.schema or keyword == "required":
            continue
        rule = RULES.get(keyword)
        if rule is None:
            yield keyword, _skip(INSIDE, f"no boundary rule for {keyword!r}")
            continue
        for boundary in rule(node, node.schema[keyword]):
            yield keyword, boundary


def required_boundaries(node: Node) -> Iterator[tuple[Node, Boundary]]:
    for name in node.schema.get("required", []):
        child = Node(child_path(node.path, name), node.schema.get("properties", {}).get(name, {}),
                     node.base.get(name, MISSING) if isinstance(node.base, dict) else MISSING, node.text_only,
                     node.lacking or (node.path if node.base is MISSING else None))
        for boundary in required(node, name):
            yield child, boundary


def part_cases(part: Part, schema: dict[str, Any], settings: Settings) -> list[Case]:
    root = Node("", schema, part.base, part.text_only)
    cases = [to_case(part, child, "required", b, settings) for child, b in required_boundaries(root)]
    for node in walk(schema, part.base, text_only=part.text_only):
        cases += [to_case(part, node, keyword, b, settings) for keyword, b in node_boundaries(node)]
        cases += [to_case(part, child, "required", b, settings) for child, b in required_boundaries(node)]
    return cases


def derive(parts: list[Part], schemas: dict[str, dict[str, Any]], settings: Settings) -> list[Case]:
    """Boundary cases for every constraint in every part; ids are unique and stable across runs."""
    cases = [case for part in parts for case in part_cases(part, schemas[part.name], settings)]
    return _unique(cases)


def _unique(cases: list[Case]) -> list[Case]:
    seen: dict[str, int] = {}
    out = []
    for case in cases:
        count = seen[case.id] = seen.get(case.id, 0) + 1
        out.append(case if count == 1 else replace(case, id=f"{case.id}-{count}"))
    return out
