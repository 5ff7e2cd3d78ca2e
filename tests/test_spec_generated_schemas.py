"""The generated JSON Schemas on the vendor's samples: the request schema accepts the sample request and rejects each
bad value with an error naming the field; the sample response matches the response schema."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mockserver.contract import PARTS, Contract
from mockserver.paths import CONTRACT, SCHEMAS_DIR


def _errors(schema: dict[str, Any], instance: Any) -> list[Any]:
    return list(Draft202012Validator(schema).iter_errors(instance))


@pytest.mark.parametrize("part", PARTS)
def test_every_schema_is_valid_draft_2020_12(contract: Contract, part: str) -> None:
    schema = contract.schemas[part]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_sample_request_is_accepted(contract: Contract) -> None:
    assert _errors(contract.request, contract.sample_request) == []


def test_the_sample_response_is_accepted(contract: Contract) -> None:
    assert _errors(contract.response, contract.sample_response) == []


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(body: dict[str, Any]) -> None:
        node: Any = body
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value

    return change


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda body: body.pop(key)


# (what is wrong, the change, the field the error must name)
BAD = [
    ("name-49-characters", _set("name", "x" * 49), "name"),
    ("priority-6", _set("priority", "6"), "priority"),
    ("maxRingTime-121", _set("dialingStrategy.maxRingTime", 121), "maxRingTime"),
    ("maxAttemptsPerRecord-0", _set("dialingStrategy.maxAttemptsPerRecord", 0), "maxAttemptsPerRecord"),
    ("defaultRetryPeriod-1441", _set("dialingStrategy.defaultRetryPeriod", 1441), "defaultRetryPeriod"),
    ("day-MON", _set("dialingStrategy.callingHours.days.0.day", "MON"), "day"),
    ("start-13:00-PM", _set("dialingStrategy.callingHours.days.0.start", "13:00 PM"), "start"),
    ("contactLists-empty", _set("contactLists", []), "contactLists"),
    ("queue_name-missing", _drop("queue_name"), "queue_name"),
]


@pytest.mark.parametrize(("change", "field"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_request_is_rejected_naming_the_field(contract: Contract, change: Any, field: str) -> None:
    body = copy.deepcopy(contract.sample_request)
    change(body)
    errors = _errors(contract.request, body)
    assert len(errors) == 1, [e.message for e in errors]
    [error] = errors
    # A missing property is reported at its parent, so its name is in the message rather than the path.
    named = field in error.json_path if error.validator != "required" else f"'{field}'" in error.message
    assert named, (error.json_path, error.message)


def test_integers_are_integers(contract: Contract) -> None:
    body = copy.deepcopy(contract.sample_request)
    body["dialingStrategy"]["maxRingTime"] = 30.5
    [error] = _errors(contract.request, body)
    assert list(error.absolute_path) == ["dialingStrategy", "maxRingTime"] and error.validator == "type"


def test_unknown_request_fields_are_not_rejected(contract: Contract) -> None:
    assert "additionalProperties" not in contract.request
    assert _errors(contract.request, {**contract.sample_request, "somethingNew": 1}) == []


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    return [p for value in node for p in _patterns(value)] if isinstance(node, list) else []


def test_no_generated_pattern_holds_a_control_character() -> None:
    # openapi-generator copies patterns into string literals: a raw newline there is a SyntaxError.
    files = sorted((SCHEMAS_DIR / CONTRACT).glob("*.json")) + [SCHEMAS_DIR / "openapi.json"]
    patterns = [p for path in files for p in _patterns(json.loads(path.read_text(encoding="utf-8")))]
    assert patterns
    assert [p for p in patterns if re.search(r"[\x00-\x1f\x7f]", p)] == []
