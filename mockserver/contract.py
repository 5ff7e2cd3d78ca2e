"""The generated contract: the schemas and samples under schemas/<page>/, loaded once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.errors import ConfigError
from mockserver.paths import CONTRACT, SCHEMAS_DIR

PARTS = ("path", "query", "headers", "request", "response")
# a value the page's sample request stands in for rather than gives: <token>, {{accountId}}, {accountId}
PLACEHOLDER = re.compile(r"<[^<>]*>|\{[^{}]*\}")
SAMPLE_PARAMETERS = {"headers": "sampleHeaders", "query": "query"}  # part -> endpoint.json's key


@dataclass(frozen=True)
class Contract:
    name: str
    endpoint: dict[str, Any]
    schemas: dict[str, dict[str, Any]]  # part -> JSON Schema, part in PARTS
    sample_request: dict[str, Any]
    sample_response: dict[str, Any]
    folder: Path | None = None  # where the files were read, for messages about them

    @property
    def request(self) -> dict[str, Any]:
        return self.schemas["request"]

    @property
    def response(self) -> dict[str, Any]:
        return self.schemas["response"]

    def with_sample_values(self, part: str, own: dict[str, Any]) -> dict[str, Any]:
        """`own` headers or query parameters (part "headers" or "query"), then each one the page's sample request
        sends with a value of its own that `own` does not set (header names compared whatever their case), with
        that value: a header or parameter the page comes to require is sent without a hand edit. What the sample
        holds a placeholder for (the token, account and stream ids) is the caller's to fill, and Content-Type is the
        body's, not a parameter's."""
        given = {name.lower() if part == "headers" else name for name in own}
        out = dict(own)
        for name, value in self.endpoint.get(SAMPLE_PARAMETERS[part], {}).items():
            key = name.lower() if part == "headers" else name
            if key in given or key == "content-type" or not value or PLACEHOLDER.search(value):
                continue
            out[name] = value
        return out


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        hint = f"cannot read generated file ({exc.strerror}); run `mockserver schemas`"
        raise ConfigError(hint, str(path)) from None
    except ValueError as exc:
        raise ConfigError(f"generated file is not valid JSON: {exc}", str(path)) from None


def load_contract(schemas_dir: str | Path | None = None, name: str = CONTRACT) -> Contract:
    base = Path(schemas_dir or SCHEMAS_DIR) / name
    return Contract(
        name=name,
        endpoint=_read(base / "endpoint.json"),
        schemas={part: _read(base / f"{part}.schema.json") for part in PARTS},
        sample_request=_read(base / "sample-request.json"),
        sample_response=_read(base / "sample-response.json"),
        folder=base,
    )


def served(endpoint: dict[str, Any]) -> str:
    """ "POST /campaign/api/v2/public/<streamId>/campaign": the endpoint as the startup line names it."""
    path = re.sub(r"\{(\w+)\}", r"<\1>", endpoint["pathTemplate"])
    return f"{endpoint['method']} {path}"


def served_here(schemas_dir: str | Path | None = None, name: str = CONTRACT) -> str:
    """`served` for the generated endpoint.json, read alone (gunicorn's master loads none of the rest)."""
    return served(_read(Path(schemas_dir or SCHEMAS_DIR) / name / "endpoint.json"))
