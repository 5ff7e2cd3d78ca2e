"""The rest of steps 2 and 3: every header and query parameter the generated schemas declare that intake's own checks
do not read, held to its schema (present when required, then the constraints on its value).

A row added to the page's Headers or Query table is then enforced once `mockserver schemas` has run, without a
change here. The parameters intake checks by hand (HAND_CHECKED) keep their own checks and messages: a JWT, the
account the token belongs to, the stream in the path, `voice`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request

from mockserver.auth import TOKEN_HEADER
from mockserver.contract import Contract
from mockserver.errors import ConfigError
from mockserver.failures import failure
from mockserver.intake import Refusal, came_elsewhere, other_case, query_value, with_words
from mockserver.shown_text import header_text
from mockserver.validation import SchemaValidator

# contract part -> the names intake.caller, check_scope and check_query read themselves
HAND_CHECKED = {
    "headers": frozenset({TOKEN_HEADER, "accountid", "iid"}),
    "query": frozenset({"accountId", "campaignType"}),
}
WIRE_TYPES = ("string", "integer", "number", "boolean")  # what a header or query value can be read as
_INTEGER = re.compile(r"-?[0-9]{1,300}")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,300})(?:\.[0-9]{1,300})?(?:[eE][+-]?[0-9]{1,4})?")


def as_typed(text: str, kind: str | None) -> Any:
    """A value as its schema's type reads it: on the wire every value is text, so "5" is the integer 5 of a parameter
    declared an integer. Text that is not of that type stays text, for the schema's `type` to refuse."""
    if kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        value = float(text)
        if math.isinf(value):
            return text
        return int(text) if _INTEGER.fullmatch(text) else value
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


@dataclass(frozen=True)
class Declared:
    """The parameters of one part (headers or query) that no hand-written check reads, and their schema."""

    where: str  # "header" or "query": the failure classes' prefix
    types: dict[str, str | None]  # name -> its schema's type
    required: frozenset[str]
    validator: SchemaValidator
    elsewhere: frozenset[str] = frozenset()  # the other part's names, lowercased: one sent there is no mistake

    def given(self, request: Request) -> dict[str, Any]:
        """The parameters the request sent, typed; a required one sent empty counts as not sent, as intake's do."""
        found: dict[str, Any] = {}
        for name, kind in self.types.items():
            text = (header_text(request.headers.get(name)) if self.where == "header"
                    else query_value(request, name))
            if text is None or (text == "" and name in self.required):
                continue
            found[name] = as_typed(text, kind)
        return found

    def misplaced(self, request: Request, name: str) -> str:
        """Words for a missing parameter sent in another case (`AccountId=`), or in the other place (`?region=` for a
        header, a `region` header for a query parameter) unless the other place declares that name too."""
        case = other_case(request, name) if self.where == "query" else ""
        return case or ("" if name.lower() in self.elsewhere else came_elsewhere(request, name, self.where))

    def errors(self, request: Request) -> list[tuple[str, dict[str, Any]]]:
        """(failure key, error entry) for each violation, by name then rule."""
        given = self.given(request)
        out = []
        for violation in self.validator.violations(given):
            key = f"{self.where}.{'invalid' if violation.field in given else 'missing'}"
            item = failure(key).item(violation.field, rule=violation.rule)
            if key.endswith(".missing") and violation.field:
                item = with_words(item, self.misplaced(request, violation.field))
            out.append((key, item))
        return out


def declared(contract: Contract, part: str, where: str) -> Declared | None:
    """The part's parameters beyond HAND_CHECKED, compiled; None when there are none (the usual case: no cost)."""
    schema = contract.schemas[part]
    properties = {name: prop for name, prop in schema.get("properties", {}).items()
                  if name not in HAND_CHECKED[part]}
    if not properties:
        return None
    for name, prop in properties.items():
        kind = prop.get("type")
        if kind is not None and kind not in WIRE_TYPES:
            folder = contract.folder / f"{part}.schema.json" if contract.folder else f"{part}.schema.json"
            raise ConfigError(f"{where} {name!r} is declared {kind!r}: the mock reads a {where} value as one of"
                              f" {', '.join(WIRE_TYPES)} (the page changed what the endpoint takes, which the"
                              " mock's code has to follow: mockserver/parameters.py)", where=str(folder))
    required = frozenset(name for name in schema.get("required", []) if name in properties)
    own = {"$schema": schema.get("$schema"), "type": "object", "properties": properties, "required": sorted(required)}
    other = contract.schemas["query" if part == "headers" else "headers"].get("properties", {})
    return Declared(where, {name: prop.get("type") for name, prop in properties.items()}, required,
                    SchemaValidator({key: value for key, value in own.items() if value is not None}),
                    frozenset(name.lower() for name in other))


@dataclass(frozen=True)
class ParameterChecks:
    """Every declared header, then every declared query parameter; all their violations answered at once."""

    parts: tuple[Declared, ...]

    def check(self, request: Request) -> None:
        found = [entry for part in self.parts for entry in part.errors(request)]
        if found:
            raise Refusal(found[0][0], [item for _, item in found])


def parameter_checks(contract: Contract) -> ParameterChecks | None:
    """The checks, built once at start-up; None when the schemas declare nothing beyond HAND_CHECKED."""
    parts = tuple(part for part in (declared(contract, "headers", "header"), declared(contract, "query", "query"))
                  if part is not None)
    return ParameterChecks(parts) if parts else None
