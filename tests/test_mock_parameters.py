"""Headers and query parameters the generated schemas declare beyond the hand-checked ones are enforced as generated:
a row added to the page's Headers or Query table needs `mockserver schemas`, not a change to the mock. The contract
suite's base request and the in-process mock's ready-made headers and endpoint send what the page's sample sends."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from contract_tests.cases import read_json
from contract_tests.runner import Runner
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.cli import main
from mockserver.contract import load_contract
from mockserver.errors import ConfigError
from mockserver.intake import Refusal
from mockserver.parameters import as_typed, parameter_checks
from mockserver.paths import CASES_DIR, CONTRACT, SOURCE_DIR
from mockserver.tenant import load_tenant
from mockserver.testing import running_mock

PAGE = f"{CONTRACT}.md"
HEADER_ROW = "| `accountId` | The Account Id. | required |\n"
QUERY_ROW = "| `campaignType` | Type of campaign. Use `“voice”` | string, required |\n"
CURL_IID = "--header 'iid: {{streamId}}' \\\n"
NEW_ROWS = {
    HEADER_ROW: HEADER_ROW + "| `x-request-id` | An id for tracing the request. | string, required |\n",
    QUERY_ROW: QUERY_ROW + "| `region` | Region of the campaign. Valid values are: us, eu, or apac."
                           " | string, required |\n",
    CURL_IID: CURL_IID + "--header 'x-request-id: req-1' \\\n",
    "&campaignType=voice` |": "&campaignType=voice&region=eu` |",  # the Endpoint row's URL
    "&campaignType=voice' \\": "&campaignType=voice&region=eu' \\",  # the sample curl's
}


@pytest.fixture(scope="module")
def grown_schemas(tmp_path_factory) -> Path:
    """The vendored page with a required header and a required query parameter with an enum, both with a value in
    its sample request, regenerated as the README says (`mockserver schemas --source DIR --out DIR`) into a folder of
    its own. Nothing else is edited: not fixtures/cases/_base.json, not the tests' own requests."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("schemas")
    for file in SOURCE_DIR.iterdir():
        shutil.copy(file, source)
    text = (source / PAGE).read_text(encoding="utf-8")
    for old, new in NEW_ROWS.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (source / PAGE).write_text(text, encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(out)]) == 0
    return out


@pytest.fixture
def grown(tmp_path, grown_schemas, make_app):
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SCHEMAS_DIR": str(grown_schemas)})
    return app.test_client()


@pytest.fixture
def send(grown, url, headers, sample_body):
    def post(*, extra_headers=None, query="&region=eu", body=None, **changes):
        sent = {**headers, "x-request-id": "req-1", **(extra_headers or {})}
        sent = {name: value for name, value in sent.items() if value is not None}
        return grown.post(url + query, json=body or sample_body, headers=sent, **changes)
    return post


def test_the_schemas_of_the_page_as_vendored_declare_nothing_beyond_the_hand_checked_parameters():
    assert parameter_checks(load_contract()) is None  # so the hot path does not even call a check


def test_a_request_with_the_new_header_and_a_listed_region_is_created(send, sample_body):
    assert send().status_code == 200
    assert send(query="&region=apac", body={**sample_body, "name": "Another region"}).status_code == 200


def test_the_new_required_query_parameter_is_required(send):
    response = send(query="")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": "region query parameter is required", "code": 4000,
                                              "field": "region"}]


def test_a_query_parameter_sent_in_another_case_is_still_missing_and_said_to_be(send):
    """`Region=eu` was answered "region query parameter is required", without a word of the `Region` it sent."""
    response = send(query="&Region=eu")
    assert response.get_json()["errors"] == [{
        "msg": "region query parameter is required (the query has 'Region'; query parameter names are"
               " case-sensitive, unlike headers: send 'region')", "code": 4000, "field": "region"}]


@pytest.mark.parametrize("value", [None, ""], ids=["left-out", "empty"])
def test_the_new_required_header_is_required(send, value):
    response = send(extra_headers={"x-request-id": value})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": "x-request-id header is required", "code": 4000,
                                              "field": "x-request-id"}]


def test_a_declared_parameter_sent_in_the_other_place_is_refused_saying_where_it_came(send):
    """`?x-request-id=` and a `region` header were answered as if they had not been sent at all."""
    response = send(query="&x-request-id=req-1", extra_headers={"x-request-id": None, "Region": "eu"})
    assert response.status_code == 400
    assert [error["msg"] for error in response.get_json()["errors"]] == [
        "x-request-id header is required (the query has 'x-request-id'; the mock reads it from the headers: send"
        " x-request-id: <value> as a header)",
        "region query parameter is required (it came as a header; the mock reads it from the query: send"
        " region=<value> in the query)"]


def test_a_header_name_is_matched_whatever_its_case(send):
    response = send(extra_headers={"x-request-id": None, "X-Request-ID": "req-2"})
    assert response.status_code == 200


def test_a_query_value_outside_the_enum_is_refused_naming_the_values(send):
    response = send(query="&region=mars")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{
        "msg": "region query parameter must be one of us, eu, apac (got 'mars')", "code": 4000, "field": "region",
    }]


def test_every_problem_with_them_is_answered_at_once_headers_first(send):
    response = send(extra_headers={"x-request-id": None}, query="&region=mars")
    assert [(e["field"], e["msg"]) for e in response.get_json()["errors"]] == [
        ("x-request-id", "x-request-id header is required"),
        ("region", "region query parameter must be one of us, eu, apac (got 'mars')"),
    ]


def test_a_repeated_query_parameter_is_refused_as_the_hand_checked_ones_are(send):
    response = send(query="&region=eu&region=eu")
    assert response.get_json()["errors"] == [{"msg": "region query parameter is given 2 times: give it once",
                                              "code": 4000, "field": "region"}]


def test_they_are_checked_after_the_token_and_the_scope_and_before_the_body(send, account):
    assert send(extra_headers={"x-request-id": None, "auth": "nope"}).status_code == 401
    mismatch = send(extra_headers={"x-request-id": None, "iid": account.streams[1]}).get_json()["errors"]
    assert [e["field"] for e in mismatch] == ["iid"]
    before_body = send(extra_headers={"x-request-id": None}, query="&region=mars", body={"name": 5})
    assert [e["field"] for e in before_body.get_json()["errors"]] == ["x-request-id", "region"]


def _contract_with_query(prop: dict, required: bool = False):
    contract = load_contract()
    schemas = copy.deepcopy(contract.schemas)
    schemas["query"]["properties"]["page"] = prop
    if required:
        schemas["query"]["required"].append("page")
    return type(contract)(contract.name, contract.endpoint, schemas, contract.sample_request,
                          contract.sample_response, contract.folder)


@pytest.mark.parametrize(("text", "answer"), [
    ("3", None),
    ("0", "page query parameter must be between 1 and 100 (got 0)"),
    ("1.5", "page query parameter must be an integer (got '1.5')"),
    ("abc", "page query parameter must be an integer (got 'abc')"),
])
def test_a_typed_query_parameter_is_read_as_its_type(text, answer):
    checks = parameter_checks(_contract_with_query({"type": "integer", "minimum": 1, "maximum": 100}))
    request = Request(EnvironBuilder(query_string={"page": text}).get_environ())
    if answer is None:
        checks.check(request)
        return
    with pytest.raises(Refusal) as refused:
        checks.check(request)
    assert refused.value.items == [{"msg": answer, "code": 4000, "field": "page"}]


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("5", "integer", 5), ("-5", "integer", -5), ("5", "number", 5), ("2.5", "number", 2.5),
    ("1e999", "number", "1e999"),
    ("true", "boolean", True), ("True", "boolean", "True"), ("5", "string", "5"), ("5", None, "5"),
])
def test_wire_text_is_typed_only_when_it_is_of_that_type(text, kind, value):
    assert as_typed(text, kind) == value and type(as_typed(text, kind)) is type(value)


def test_a_parameter_the_mock_cannot_read_from_the_wire_is_refused_at_start_naming_it():
    with pytest.raises(ConfigError, match="query 'page' is declared 'array'"):
        parameter_checks(_contract_with_query({"type": "array", "items": {"type": "string"}}))


def test_the_contract_suite_passes_against_the_regenerated_mock(grown_schemas):
    """The suite derives cases for the new header and parameter from the same schemas, and its base request sends
    them as the page's sample does: fixtures/cases/_base.json, as it is, did not send them, and 189 of the cases
    were answered 400 "x-request-id header is required" until it was edited by hand."""
    suite = load_suite(CASES_DIR, grown_schemas)
    assert (suite.base.headers["x-request-id"], suite.base.query["region"]) == ("req-1", "eu")
    new = {case.id for case in suite.cases if "x-request-id" in case.id or "region" in case.id}
    both_sides = {"boundary/header.x-request-id/required/inside", "boundary/header.x-request-id/required/outside",
                  "boundary/query.region/required/inside", "boundary/query.region/required/outside",
                  "boundary/query.region/enum/inside", "boundary/query.region/enum/outside"}
    assert both_sides <= new
    with running_mock(SCHEMAS_DIR=str(grown_schemas)) as mock:
        runner = Runner(suite, Target(mock.url, tenant_facts(load_tenant(), {}), is_local=True), "ct-0000abcd-",
                        allow_writes=True)
        results = {case.id: runner.run(case) for case in suite.cases}
        runner.close()
    failed = {case_id: [str(p) for p in result.problems] for case_id, result in results.items() if result.problems}
    assert failed == {}
    assert {case_id for case_id in both_sides if results[case_id].skipped} == set()
    assert results["boundary/query.region/enum/outside"].response.status == 400
    assert results["sample/vendor-request"].response.status == 200


def test_the_vendored_page_adds_nothing_to_the_base_request():
    """Its sample's headers and query parameters are placeholders (the token, account and stream) or ones the base
    request sets itself (Content-Type, campaignType): every case sends what it sent before."""
    base = load_suite().base
    written = read_json(CASES_DIR / "_base.json")
    assert (base.headers, base.query) == (written["headers"], written["query"])


def test_the_in_process_mock_sends_what_the_page_sample_sends(grown_schemas):
    """running_mock's (and so kore_mock's) headers and endpoint follow the page: a client test that posts the sample
    with them is created, with no code of its own for the new header or parameter."""
    with running_mock(SCHEMAS_DIR=str(grown_schemas)) as mock:
        assert mock.headers["x-request-id"] == "req-1"
        assert dict(parse_qsl(urlsplit(mock.endpoint).query)) == {
            "accountId": mock.account_id, "campaignType": "voice", "region": "eu"}
        answer = requests.post(mock.endpoint, json=mock.sample_request(), headers=mock.headers, timeout=10)
        assert answer.status_code == 200, answer.text
        assert mock.journal()[0]["headers"]["x-request-id"] == "req-1"


def test_the_in_process_mock_of_the_vendored_page_sends_its_three_headers():
    with running_mock() as mock:
        assert set(mock.headers) == {"auth", "accountid", "iid"}
        assert mock.endpoint == (f"{mock.url}/campaign/api/v2/public/{mock.stream_id}/campaign"
                                 f"?accountId={mock.account_id}&campaignType=voice")
