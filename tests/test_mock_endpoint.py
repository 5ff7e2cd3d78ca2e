"""The mock serves the endpoint the generated endpoint.json names, as the contract suite and the OpenAPI document
read it: a page that moves the endpoint moves the mock with it, once `mockserver schemas` has run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from mockserver.app import create_app
from mockserver.contract import served_here
from mockserver.errors import ConfigError
from mockserver.paths import CONTRACT, SCHEMAS_DIR
from mockserver.testing import running_mock


def _schemas(tmp_path: Path, **endpoint: str) -> Path:
    """A copy of the generated schemas whose endpoint.json says `endpoint`."""
    shutil.copytree(SCHEMAS_DIR / CONTRACT, tmp_path / CONTRACT)
    facts = tmp_path / CONTRACT / "endpoint.json"
    facts.write_text(json.dumps({**json.loads(facts.read_text(encoding="utf-8")), **endpoint}), encoding="utf-8")
    return tmp_path


def test_a_moved_endpoint_is_served_where_the_page_says(tmp_path: Path, contract) -> None:
    schemas = _schemas(tmp_path, pathTemplate="/campaign/api/v3/public/{streamId}/campaign")
    with running_mock(SCHEMAS_DIR=str(schemas)) as mock:
        assert "/campaign/api/v3/public/" in mock.endpoint
        answer = requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        assert answer.status_code == 200, answer.text
        old = mock.endpoint.replace("/v3/", "/v2/")
        assert requests.post(old, json=contract.sample_request, headers=mock.headers, timeout=10).status_code == 404
        served = requests.get(f"{mock.url}/openapi.json", timeout=10).json()
        assert list(served["paths"]) == ["/campaign/api/v3/public/{streamId}/campaign"]


def test_a_changed_method_is_served(tmp_path: Path, contract) -> None:
    with running_mock(SCHEMAS_DIR=str(_schemas(tmp_path, method="PUT"))) as mock:
        assert requests.put(mock.endpoint, json=contract.sample_request, headers=mock.headers,
                            timeout=10).status_code == 200
        assert requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers,
                             timeout=10).status_code == 405


@pytest.mark.parametrize(("path", "words"), [
    ("/campaign/api/v2/public/{botId}/campaign", "'streamId' (it names 'botId')"),
    ("/campaign/api/v2/public/{streamId}/campaign/{kind}", "'streamId' (it names 'streamId', 'kind')"),
    ("/campaign/api/v2/public/campaign", "'streamId' (it names none)"),
])
def test_an_endpoint_the_mock_cannot_serve_is_one_line(tmp_path: Path, path: str, words: str) -> None:
    schemas = _schemas(tmp_path, pathTemplate=path)
    with pytest.raises(ConfigError) as caught:
        create_app({"SCHEMAS_DIR": str(schemas), "DATABASE": ":memory:"})
    assert str(caught.value) == (f"{schemas / CONTRACT / 'endpoint.json'}: the mock serves a path with one parameter, "
                                 f"{words}: the page changed what the endpoint takes, which the mock's code has to "
                                 "follow (mockserver/routes/campaigns.py)")


def test_the_startup_line_names_the_endpoint_served(tmp_path: Path) -> None:
    schemas = _schemas(tmp_path, pathTemplate="/campaign/api/v3/public/{streamId}/campaign", method="PUT")
    assert served_here() == "POST /campaign/api/v2/public/<streamId>/campaign"
    assert served_here(schemas) == "PUT /campaign/api/v3/public/<streamId>/campaign"


def _without(tmp_path: Path, dotted: str) -> Path:
    """A copy of the generated schemas whose request schema no longer requires the field at `dotted`."""
    schemas = _schemas(tmp_path)
    path = schemas / CONTRACT / "request.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    *parents, name = dotted.replace("[]", ".[]").split(".")
    node = schema
    for key in parents:
        node = node["items"] if key == "[]" else node["properties"][key]
    node["required"].remove(name)
    path.write_text(json.dumps(schema), encoding="utf-8")
    return schemas


@pytest.mark.parametrize("field", ["name", "campaignType", "dialingMode", "dialingStrategy.callingHours.days",
                                   "dialingStrategy.callingHours.days[].end", "dncLists.name"])
def test_a_field_the_mocks_checks_read_must_stay_required(tmp_path: Path, field: str) -> None:
    schemas = _without(tmp_path, field)
    with pytest.raises(ConfigError) as caught:
        create_app({"SCHEMAS_DIR": str(schemas), "DATABASE": ":memory:"})
    assert str(caught.value) == (f"{schemas / CONTRACT / 'request.schema.json'}: the mock's own checks read {field}, "
                                 "which the request schema no longer requires: the page renamed, removed or relaxed "
                                 "it, which the mock's code has to follow (mockserver/semantics.py, responses.py)")
