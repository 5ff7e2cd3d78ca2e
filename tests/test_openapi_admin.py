"""The admin API's OpenAPI document (GET /__admin/openapi.json, schemas/admin-openapi.json): valid; with the
endpoint's document, it declares every route the app serves; and every answer the admin API gives, success and
refusal alike, matches what it declares for that path, method and status (content type and body), as a client
generated from it in another language expects. Checked with Schemathesis's conformance checks, and fuzzed."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import textwrap
import tomllib
import urllib.parse
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from commands import SCHEMATHESIS_CLI_TIMEOUT
from hypothesis import HealthCheck, assume, given, settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from mockserver import admin_openapi, ecma_pattern, faults, openapi, process
from mockserver.app import create_app
from mockserver.cli import main
from mockserver.commands.openapi import ADMIN_OUT
from mockserver.failures import FAILURES
from mockserver.paths import PROJECT_ROOT
from mockserver.routes import own_path
from mockserver.routes.admin import MAX_ID
from mockserver.tenant import load_tenant

CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ADMIN_TOKEN = "admin-token-for-the-document-tests"
REJECTED = sorted({str(row.status) for row in FAILURES.values() if 400 <= row.status < 500})
CONFIG = {"checks": {"positive_data_acceptance": {"expected-statuses": ["200", "201", "404"]},
                     "negative_data_rejection": {"expected-statuses": REJECTED}}}


@pytest.fixture(scope="module")
def document(contract):
    return admin_openapi.build_document(contract)


@pytest.fixture(scope="module")
def schema(document):
    return schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(CONFIG))


def test_document_is_valid_openapi_3_1(document):
    validate(document)
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def _shape(path: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_the_two_documents_declare_every_route_the_app_serves(app, contract, document):
    served = {(method, _shape(rule.rule)) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    declared = {(method.upper(), _shape(path)) for doc in (openapi.build_document(contract), document)
                for path, item in doc["paths"].items() for method in item}
    assert served == declared


def test_every_admin_failure_class_is_declared_under_its_status(document):
    operations = [op for item in document["paths"].values() for op in item.values()]
    for row in (row for key, row in FAILURES.items() if key.startswith("admin.")):
        assert any(row.key in op["responses"].get(str(row.status), {}).get("content", {}).get(
            "application/json", {}).get("examples", {}) for op in operations), row.key


def test_operation_ids_name_each_operation_once(document):
    ids = Counter(op["operationId"] for item in document["paths"].values() for op in item.values())
    assert ids and max(ids.values()) == 1, ids


def test_examples_validate_against_their_schemas(document):
    registry = Registry().with_resource("urn:admin", DRAFT202012.create_resource(document))
    rule = document["paths"]["/__admin/faults"]["post"]["requestBody"]["content"]["application/json"]
    Draft202012Validator({"$ref": "urn:admin" + rule["schema"]["$ref"]}, registry=registry).validate(rule["example"])
    for parameter in (p for item in document["paths"].values() for op in item.values()
                      for p in op.get("parameters", [])):
        for example in parameter["schema"].get("examples", []):
            Draft202012Validator(parameter["schema"]).validate(example)


def test_a_fault_rule_s_default_is_its_example_which_the_mock_adds(document, client):
    """Postman's import by default (parameter generation "Schema") reads no example, only a schema's `default`:
    its "Add a fault rule" sent a made-up rule (`"fault": "<string>"`, random patterns), refused 400. The rule's
    schema gives the example as its `default`."""
    media = document["paths"]["/__admin/faults"]["post"]["requestBody"]["content"]["application/json"]
    rule = document["components"]["schemas"][media["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert rule["default"] == media["example"]
    answer = client.post("/__admin/faults", json=rule["default"])
    assert answer.status_code == 201, answer.get_json()


RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def test_every_time_is_declared_a_date_time(document):
    """A generated client reads a `date-time` as its language's time (Go's time.Time); a bare string it would
    leave the client to parse. Every property or parameter whose examples are times says so."""
    schemas = [*document["components"]["schemas"].values()]
    properties = [prop for schema in schemas for prop in schema.get("properties", {}).values()]
    parameters = [p["schema"] for item in document["paths"].values() for op in item.values()
                  for p in op.get("parameters", [])]
    times = [schema for schema in properties + parameters
             if schema.get("examples") and all(RFC3339.fullmatch(str(e)) for e in schema["examples"])]
    assert len(times) >= 2  # the journal entry's `at`, the `since` filter
    assert [schema for schema in times if schema.get("format") != "date-time"] == []


def test_the_committed_document_is_current_and_served(client, capsys):
    assert main(["openapi", "--admin", "--check"]) == 0
    committed = json.loads(ADMIN_OUT.read_text(encoding="utf-8"))
    response = client.get("/__admin/openapi.json", base_url="http://qa-mock.internal:8080")
    assert (response.status_code, response.mimetype) == (200, "application/json")
    served = response.get_json()
    assert served.pop("servers") == [{"url": "http://qa-mock.internal:8080",
                                      "description": "this mock, at the address this document was fetched from"}]
    assert served == {key: value for key, value in committed.items() if key != "servers"}


def test_check_names_the_admin_option_in_its_fix(tmp_path, capsys, document):
    stale = tmp_path / "admin.json"
    stale.write_text(openapi.render({**document, "info": {"title": "old", "version": "0"}}), encoding="utf-8")
    assert main(["openapi", "--admin", "--check", "-o", str(stale)]) == 1
    assert f"run `mockserver openapi --admin --out {stale}`" in capsys.readouterr().err


@pytest.mark.parametrize("options", [["--account", "65f1c0ffee0ddba11a5e0001"], ["--tenant", "fixtures/tenant.json"]])
def test_the_admin_document_is_not_narrowed_to_an_account(capsys, options):
    """`--admin --tenant FILE` was told to give --account too, which --admin then refused."""
    assert main(["openapi", "--admin", *options, "-o", "-"]) == 2
    assert capsys.readouterr().err == (f"mockserver openapi: error: {options[0]} narrows the endpoint's document to an"
                                       " account: the admin API's has no names to narrow (leave it out)\n")


# -- every answer the admin API gives, against the document ------------------------------------------------

# (id, method, path as the document names it, its parameters' values, request options, status, failure key).
# "{created}" is the id of a campaign the app holds; "{rule}" that of a fault rule.
ANSWERS = [
    ("health", "GET", "/__admin/health", {}, {}, 200, None),
    ("health with a parameter", "GET", "/__admin/health", {}, {"query_string": {"x": "1"}}, 400,
     "admin.unknown_parameter"),
    ("tenant", "GET", "/__admin/tenant", {}, {}, 200, None),
    ("campaigns", "GET", "/__admin/campaigns", {}, {"query_string": {"limit": "5", "offset": "0"}}, 200, None),
    ("campaigns by name", "GET", "/__admin/campaigns", {}, {"query_string": {"name": "SERVICE renewal outreach"
                                                                                     " campaign61"}}, 200, None),
    ("campaigns limit=all", "GET", "/__admin/campaigns", {}, {"query_string": {"limit": "all"}}, 400,
     "admin.parameter"),
    ("campaigns name empty", "GET", "/__admin/campaigns", {}, {"query_string": {"name": ""}}, 400, "admin.filter"),
    ("campaign", "GET", "/__admin/campaigns/{campaignId}", {"campaignId": "{created}"}, {}, 200, None),
    ("campaign unknown", "GET", "/__admin/campaigns/{campaignId}", {"campaignId": "cd-nope"}, {}, 404,
     "admin.not_found"),
    ("delete campaign", "DELETE", "/__admin/campaigns/{campaignId}", {"campaignId": "{created}"}, {}, 200, None),
    ("delete campaign unknown", "DELETE", "/__admin/campaigns/{campaignId}", {"campaignId": "cd-nope"}, {}, 404,
     "admin.not_found"),
    ("requests", "GET", "/__admin/requests", {}, {}, 200, None),
    ("requests filtered", "GET", "/__admin/requests", {}, {"query_string": {
        "status": "4xx", "method": "post", "path": "/campaign/*", "accountId": "65f1c0ffee0ddba11a5e0001",
        "since": "2020-01-01T00:00:00Z", "after": "0", "limit": "10", "offset": "0"}}, 200, None),
    ("requests status=4**", "GET", "/__admin/requests", {}, {"query_string": {"status": "4**"}}, 400,
     "admin.filter"),
    ("requests limit=-1", "GET", "/__admin/requests", {}, {"query_string": {"limit": "-1"}}, 400, "admin.parameter"),
    ("requests misspelt filter", "GET", "/__admin/requests", {}, {"query_string": {"acountId": "x"}}, 400,
     "admin.unknown_parameter"),
    ("request", "GET", "/__admin/requests/{requestId}", {"requestId": "1"}, {}, 200, None),
    ("request unknown", "GET", "/__admin/requests/{requestId}", {"requestId": "99"}, {}, 404, "admin.not_found"),
    ("request not an id", "GET", "/__admin/requests/{requestId}", {"requestId": "x"}, {}, 400, "admin.id"),
    ("request beyond the maximum", "GET", "/__admin/requests/{requestId}", {"requestId": str(MAX_ID + 1)}, {}, 400,
     "admin.id"),
    ("delete request", "DELETE", "/__admin/requests/{requestId}", {"requestId": "1"}, {}, 200, None),
    ("delete request unknown", "DELETE", "/__admin/requests/{requestId}", {"requestId": "99"}, {}, 404,
     "admin.not_found"),
    ("delete request not an id", "DELETE", "/__admin/requests/{requestId}", {"requestId": "0"}, {}, 400, "admin.id"),
    ("delete request beyond the maximum", "DELETE", "/__admin/requests/{requestId}", {"requestId": str(MAX_ID + 1)},
     {}, 400, "admin.id"),
    ("clear requests", "DELETE", "/__admin/requests", {}, {}, 200, None),
    ("clear requests of an account", "DELETE", "/__admin/requests", {}, {"query_string": {"accountId": "x"}}, 200,
     None),
    ("clear requests of an empty account id", "DELETE", "/__admin/requests", {}, {"query_string": {"accountId": ""}},
     400, "admin.filter"),
    ("clear requests misspelt", "DELETE", "/__admin/requests", {}, {"query_string": {"acountId": "x"}}, 400,
     "admin.unknown_parameter"),
    ("reset", "POST", "/__admin/reset", {}, {}, 200, None),
    ("reset of an account", "POST", "/__admin/reset", {}, {"query_string": {"accountId": "65f1c0ffee0ddba11a5e0001"}},
     200, None),
    ("reset of an account the tenant lacks", "POST", "/__admin/reset", {}, {"query_string": {"accountId": "nope"}},
     200, None),
    ("campaigns of an account the tenant lacks", "GET", "/__admin/campaigns", {},
     {"query_string": {"accountId": "nope"}}, 200, None),
    ("requests of an account the tenant lacks", "GET", "/__admin/requests", {},
     {"query_string": {"accountId": "nope"}}, 200, None),
    ("clear fault rules of an account the tenant lacks", "DELETE", "/__admin/faults", {},
     {"query_string": {"accountId": "nope"}}, 200, None),
    ("reset of an empty account id", "POST", "/__admin/reset", {}, {"query_string": {"accountId": ""}}, 400,
     "admin.filter"),
    ("fault rules", "GET", "/__admin/faults", {}, {}, 200, None),
    ("add fault rule", "POST", "/__admin/faults", {}, {"json": {
        "fault": "latency=1-5;status=503", "method": "post", "path": "/campaign/*", "probability": 0.5, "count": 2,
        "accountId": "65f1c0ffee0ddba11a5e0001"}}, 201, None),
    ("add fault rule, defaults", "POST", "/__admin/faults", {}, {"json": {"fault": "drop", "path": None}}, 201,
     None),
    ("add fault rule unknown directive", "POST", "/__admin/faults", {}, {"json": {"fault": "slow"}}, 400,
     "fault.invalid"),
    ("add fault rule not JSON", "POST", "/__admin/faults", {}, {"data": b"{", "content_type": "application/json"},
     400, "body.malformed"),
    ("add fault rule not UTF-8", "POST", "/__admin/faults", {}, {"data": b'{"fault": "\xff"}'}, 400,
     "body.encoding"),
    ("add fault rule gzip", "POST", "/__admin/faults", {}, {"data": gzip.compress(b'{"fault": "drop"}'),
                                                           "headers": {"Content-Encoding": "gzip"}}, 415,
     "body.content_encoding"),
    ("add fault rule too large", "POST", "/__admin/faults", {}, {"data": b" " * 70_000}, 413, "body.too_large"),
    ("clear fault rules", "DELETE", "/__admin/faults", {}, {}, 200, None),
    ("clear fault rules of an account", "DELETE", "/__admin/faults", {},
     {"query_string": {"accountId": "65f1c0ffee0ddba11a5e0001"}}, 200, None),
    ("clear fault rules of an empty account id", "DELETE", "/__admin/faults", {}, {"query_string": {"accountId": ""}},
     400, "admin.filter"),
    ("fault rule", "GET", "/__admin/faults/{ruleId}", {"ruleId": "{rule}"}, {}, 200, None),
    ("fault rule unknown", "GET", "/__admin/faults/{ruleId}", {"ruleId": "999999"}, {}, 404, "admin.not_found"),
    ("fault rule not a number", "GET", "/__admin/faults/{ruleId}", {"ruleId": "x"}, {}, 400, "admin.id"),
    ("replace fault rule", "PUT", "/__admin/faults/{ruleId}", {"ruleId": "{rule}"},
     {"json": {"fault": "drop=reset", "count": 3}}, 200, None),
    ("replace fault rule unknown", "PUT", "/__admin/faults/{ruleId}", {"ruleId": "999999"}, {"json": {"fault": "drop"}},
     404, "admin.not_found"),
    ("replace fault rule beyond the maximum", "PUT", "/__admin/faults/{ruleId}", {"ruleId": str(MAX_ID + 1)},
     {"json": {"fault": "drop"}}, 400, "admin.id"),
    ("replace fault rule not a number", "PUT", "/__admin/faults/{ruleId}", {"ruleId": "x"}, {"json": {"fault": "drop"}},
     400, "admin.id"),
    ("replace fault rule unknown directive", "PUT", "/__admin/faults/{ruleId}", {"ruleId": "{rule}"},
     {"json": {"fault": "slow"}}, 400, "fault.invalid"),
    ("delete fault rule", "DELETE", "/__admin/faults/{ruleId}", {"ruleId": "{rule}"}, {}, 200, None),
    ("delete fault rule not a number", "DELETE", "/__admin/faults/{ruleId}", {"ruleId": "x"}, {}, 400, "admin.id"),
    ("delete fault rule beyond the maximum", "DELETE", "/__admin/faults/{ruleId}", {"ruleId": str(MAX_ID + 1)}, {},
     400, "admin.id"),
    ("delete fault rule unknown", "DELETE", "/__admin/faults/{ruleId}", {"ruleId": "999999"}, {}, 200, None),
    ("admin document", "GET", "/__admin/openapi.json", {}, {}, 200, None),
    ("endpoint document", "GET", "/openapi.json", {}, {}, 200, None),
]
OPERATIONS = [(method.upper(), path) for path, method, *_ in admin_openapi.OPERATIONS]
GUARDED = [(method.upper(), path) for path, method, *_, failures in admin_openapi.OPERATIONS
           if "admin.unauthorized" in failures]


@pytest.fixture
def busy_app(tmp_path, sample_body, url, headers, make_app):
    """A mock holding a campaign, a fault rule and journal entries of a create, a refusal, a dropped request and one
    dropped once served."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SEED": 7, "MAX_BODY_BYTES": 65536})
    client = app.test_client()
    created = client.post(url, json=sample_body, headers=headers).get_json()["data"]["id"]
    client.post(url, json=sample_body, headers=headers)  # 409
    client.post(url, json=sample_body, headers=headers | {"X-Mock-Fault": "drop"})
    client.post(url, json={}, headers=headers | {"X-Mock-Fault": "drop=after"})  # a 400's errors, then the drop's
    rule = client.post("/__admin/faults", json={"fault": "status=503", "path": "/nowhere"}).get_json()["id"]
    app.config["answers"] = {"created": created, "rule": str(rule)}
    return app


def _values(values: dict[str, str], known: dict[str, str]) -> dict[str, str]:
    return {name: value.format(**known) for name, value in values.items()}


def _filled(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace(f"{{{name}}}", value)
    return path


@pytest.mark.parametrize(("method", "path", "values", "options", "status", "key"),
                         [pytest.param(*rest, id=label) for label, *rest in ANSWERS])
def test_every_answer_matches_the_document(busy_app, schema, method, path, values, options, status, key):
    values = _values(values, busy_app.config["answers"])
    response = busy_app.test_client().open(_filled(path, values), method=method, **options)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if key is not None:
        assert response.get_json()["errors"][0]["code"] == FAILURES[key].code
    schema[path][method].Case(path_parameters=values).validate_response(response, checks=CONFORMANCE)


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_refused_for_want_of_the_admin_token_as_the_document_says(tmp_path, schema, method, path, make_app):
    guarded = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": ADMIN_TOKEN}).test_client()
    values = {"campaignId": "cd-x", "ruleId": "1", "requestId": "1"}
    response = guarded.open(_filled(path, values), method=method)
    assert response.status_code == 401
    operation = schema[path][method]
    wanted = {name: value for name, value in values.items() if f"{{{name}}}" in path}
    checks = [*CONFORMANCE, response_headers_conformance]
    operation.Case(path_parameters=wanted).validate_response(response, checks=checks)
    declared = operation.definition.raw["responses"]["401"]
    assert "admin.unauthorized" in declared["content"]["application/json"]["examples"]
    # RFC 6750: how to authenticate, which a generated client can read from the document as from the answer
    assert declared["headers"]["WWW-Authenticate"]["required"] is True
    assert response.headers["WWW-Authenticate"] == declared["headers"]["WWW-Authenticate"]["schema"]["const"]


def test_a_mock_with_an_admin_token_serves_a_document_that_requires_it(tmp_path, make_app):
    """Each guarded operation declared `[{}, {"adminToken": []}]` (the token optional) on every mock, so a fuzzer's
    check that the token is needed (Schemathesis's ignored_auth) skipped every operation, and could not have found
    a mock that ignored the token."""
    guarded = make_app({"DATABASE": str(tmp_path / "guarded.sqlite3"), "ADMIN_TOKEN": ADMIN_TOKEN}).test_client()
    served = guarded.get("/__admin/openapi.json", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).get_json()
    open_api = make_app({"DATABASE": str(tmp_path / "open.sqlite3")}).test_client().get("/__admin/openapi.json")
    for path, method, *_, failures in admin_openapi.OPERATIONS:
        if "admin.unauthorized" in failures:
            assert served["paths"][path][method]["security"] == [{"adminToken": []}], (method, path)
            assert open_api.get_json()["paths"][path][method]["security"] == [{}, {"adminToken": []}], (method, path)


CHANGES = [(method.upper(), path) for path, method, *_ in admin_openapi.OPERATIONS if method != "get"]


def test_every_change_and_no_read_declares_the_refusal_of_another_origin(document):
    declares = {(method.upper(), path) for path, item in document["paths"].items() for method, op in item.items()
                if "`admin.cross_origin`" in op["responses"].get("403", {}).get("description", "")}
    assert declares == set(CHANGES)


@pytest.mark.parametrize(("method", "path"), CHANGES)
def test_refused_from_another_origin_as_the_document_says(busy_app, schema, method, path):
    values = {"campaignId": "cd-x", "ruleId": "1", "requestId": "1"}
    response = busy_app.test_client().open(_filled(path, values), method=method,
                                           headers={"Origin": "http://evil.example"})
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.get_json()["errors"][0]["code"] == FAILURES["admin.cross_origin"].code
    wanted = {name: value for name, value in values.items() if f"{{{name}}}" in path}
    schema[path][method].Case(path_parameters=wanted).validate_response(response, checks=CONFORMANCE)


def lying(app: Any, status: str | None = None, rename: tuple[bytes, bytes] | None = None) -> Any:
    """A WSGI middleware: the real answer with another status, or with a key of its body renamed."""

    def wsgi(environ: dict, start_response: Any) -> Any:
        def start(real: str, headers: list, *rest: Any) -> Any:
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            return start_response(status or real, headers, *rest)

        body = b"".join(app(environ, start))
        return [body.replace(*rename) if rename else body]

    return wsgi


@pytest.mark.parametrize(("status", "rename", "caught"), [
    ("418 I'M A TEAPOT", None, "UndefinedStatusCode"),
    (None, (b'"latencyMs"', b'"latency_ms"'), "JsonSchemaError"),
], ids=["undeclared status", "renamed key"])
def test_the_checks_catch_an_admin_api_at_odds_with_the_document(busy_app, schema, status, rename, caught):
    operation = schema["/__admin/requests"]["GET"]
    case = operation.Case()
    response = case.call(app=lying(busy_app, status, rename))
    with pytest.raises(FailureGroup) as raised:
        case.validate_response(response, checks=CONFORMANCE)
    assert caught in {type(failure).__name__ for failure in raised.value.exceptions}


# -- fuzzed ------------------------------------------------------------------------------------------------

EXAMPLES = 15  # per operation and mode
# Data the document calls valid that the mock refuses, by design: a rule's `accountId` must be one of the tenant's
# (the document is not the tenant's, so it says this in words), and a latency range must run from low to high (no
# pattern can say that). In-process, the rule's accountId is narrowed to the tenant's accounts, as a document
# written for the tenant would, and a reversed range is left out, so every other valid rule must be accepted; the
# CLI run cannot do either, and leaves the check out for the two operations that take a rule.
POSITIVE_SKIPPED = {("POST", "/__admin/faults"), ("PUT", "/__admin/faults/{ruleId}")}


@pytest.fixture(scope="module")
def tenant_schema(document, contract):
    """The document with a rule's accountId narrowed to the default tenant's accounts."""
    narrowed = json.loads(json.dumps(document))
    accounts = [account.account_id for account in load_tenant(None).accounts]
    narrowed["components"]["schemas"]["FaultRuleInput"]["properties"]["accountId"]["enum"] = [*accounts, None]
    return schemathesis.openapi.from_dict(narrowed, config=SchemathesisConfig.from_dict(CONFIG))


def _reversed_latency(body: Any) -> bool:
    fault = body.get("fault") if isinstance(body, dict) else None
    return isinstance(fault, str) and any(
        int(low) > int(high) for low, high in re.findall(r"=[ \t]*([0-9]+)-([0-9]+)", fault))


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """One mock for the module's fuzzed requests; its store is closed once they are done."""
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("admin-fuzz") / "mock.sqlite3")})
    yield app
    app.extensions["mock"].store.close()


def _breakable(operation_id: str, parameters: list[dict[str, Any]]) -> bool:
    """Whether a request can be made invalid: it has a body, a query parameter or a path parameter not just text."""
    return operation_id in admin_openapi.REQUEST_BODIES or any(
        p["in"] == "query" or p["schema"]["type"] != "string" for p in parameters)


FUZZED = [(method.upper(), path, mode) for path, method, operation_id, _, _, parameters, *_ in admin_openapi.OPERATIONS
          for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
          if mode.is_positive or _breakable(operation_id, parameters)]


@pytest.mark.parametrize(("method", "path", "mode"), FUZZED)
def test_fuzzed_requests_get_answers_the_document_declares(fuzz_app, schema, tenant_schema, method, path, mode):
    narrowed = mode.is_positive and (method, path) in POSITIVE_SKIPPED
    operation = (tenant_schema if narrowed else schema)[path][method]
    checks = CONFORMANCE + ([positive_data_acceptance] if mode.is_positive else [negative_data_rejection])

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(case=operation.as_strategy(mode))
    def case_passes(case):
        assume(not (narrowed and _reversed_latency(case.body)))
        case.validate_response(case.call(app=fuzz_app), checks=checks)

    case_passes()


def _readme_fuzz_config() -> str:
    """The README's schemathesis.toml for fuzzing the admin API: the operations' exceptions as above."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- admin-fuzz-config:start -->\n", 1)[1].split("<!-- admin-fuzz-config:end -->", 1)[0]
    return textwrap.dedent(block).strip() + "\n"


def test_the_readme_config_turns_off_positive_data_acceptance_where_the_mock_refuses_valid_data():
    """A user fuzzing the admin API with the CLI met "schema-valid request rejected" on the two operations that take
    a fault rule, and the README did not say it was a false alarm, nor how to silence it."""
    operations = tomllib.loads(_readme_fuzz_config())["operations"]
    assert {(op["include-method"], op["include-path"]) for op in operations} == POSITIVE_SKIPPED
    assert all(op["checks"] == {"positive_data_acceptance": {"enabled": False}} for op in operations)


def _cli_config(campaign_id: str) -> str:
    """schemathesis.toml for the CLI run: every check (its default), the statuses the document declares for a
    refusal, a stored campaign and journal entry to ask for, and the README's exceptions, as a user runs them."""
    rejected = ", ".join(f'"{status}"' for status in REJECTED)
    lines = ["[checks]", 'positive_data_acceptance.expected-statuses = ["200", "201", "404"]',
             f"negative_data_rejection.expected-statuses = [{rejected}]", "",
             "[parameters]", f'"path.campaignId" = "{campaign_id}"', '"path.requestId" = "1"', ""]
    return "\n".join(lines) + "\n" + _readme_fuzz_config()


def test_schemathesis_cli_with_every_check_finds_nothing_on_a_running_mock(tmp_path, sample_body, url, headers):
    """Over HTTP, as a client generated in another language meets it: the Schemathesis CLI loads the document a
    `mockserver serve` with an admin token serves, and runs its examples, coverage, fuzzing and stateful phases with
    every check (the token's `ignored_auth` among them) against that server, holding a campaign and a journal entry."""
    with process.running("--db", str(tmp_path / "mock.sqlite3"), "--admin-token", ADMIN_TOKEN) as server:
        created = requests.post(server.url + url, json=sample_body, headers=headers, timeout=10)
        assert created.status_code == 200, created.text
        (tmp_path / "schemathesis.toml").write_text(_cli_config(created.json()["data"]["id"]), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(tmp_path / "schemathesis.toml"), "run",
             f"{server.url}/__admin/openapi.json", "-H", f"Authorization: Bearer {ADMIN_TOKEN}",
             "--max-examples", "10", "--no-color"],
            capture_output=True, text=True, timeout=SCHEMATHESIS_CLI_TIMEOUT, cwd=tmp_path, encoding="utf-8",
        )
        health = requests.get(f"{server.url}/__admin/health", timeout=10)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"Operations: +17 selected / 17 total", result.stdout), result.stdout[-2000:]
    generated = re.search(r"(\d+) generated, \1 passed", result.stdout)
    assert generated and int(generated.group(1)) >= 150, result.stdout[-2000:]
    assert health.status_code == 200


def test_the_token_check_of_that_run_fails_on_a_mock_that_ignores_the_token(shared_mock, tmp_path,
                                                                              make_app):
    """The known-bad input for the check above: the document of a mock guarded by a token, run against one that
    takes every request without it, must fail `ignored_auth` (with the token declared optional, as it was on
    every mock, the check skipped every operation and passed)."""
    guarded = make_app({"DATABASE": str(tmp_path / "guarded.sqlite3"), "ADMIN_TOKEN": ADMIN_TOKEN}).test_client()
    document = tmp_path / "guarded.json"
    document.write_text(guarded.get("/__admin/openapi.json").get_data(as_text=True), encoding="utf-8")
    server = shared_mock("--db", ":memory:")  # no --admin-token
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", str(document), "--url", server.url,
         "-H", f"Authorization: Bearer {ADMIN_TOKEN}", "--checks", "ignored_auth", "--phases", "examples",
         "--include-method", "GET", "--max-examples", "5", "--no-color"],
        capture_output=True, text=True, timeout=SCHEMATHESIS_CLI_TIMEOUT, cwd=tmp_path, encoding="utf-8",
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "API accepts requests without authentication" in result.stdout or "ignored_auth" in result.stdout, \
        result.stdout[-3000:]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_undeclared_query_parameter_is_refused_or_documented_as_ignored(busy_app, document, method, path):
    """A client generated from the document sends only what it declares; one that adds a parameter (a misspelt
    filter) must either hear so, as the document says (400 `admin.unknown_parameter`), or read there that it is
    ignored: nothing else tells it whether the parameter did anything."""
    values = {"campaignId": busy_app.config["answers"]["created"], "ruleId": busy_app.config["answers"]["rule"],
              "requestId": "1"}
    response = busy_app.test_client().open(_filled(path, values) + "?undeclared=1", method=method)
    operation = document["paths"][path][method.lower()]
    if response.status_code == 400:
        assert response.get_json()["errors"][0]["code"] == FAILURES["admin.unknown_parameter"].code
        assert "admin.unknown_parameter" in operation["responses"]["400"]["content"]["application/json"]["examples"]
    else:
        assert response.status_code < 300, response.get_data(as_text=True)[:300]
        assert "query parameters are ignored" in operation.get("description", "").lower(), operation


# -- every request the document calls valid fits the server's request line ----------------------------------

REQUEST_LINE_LIMIT = 4094  # gunicorn's limit_request_line, the mock's: beyond it, 414 `http.line_too_long`
WIDEST = "\U0001f600"  # 4 bytes of UTF-8, 12 once %-encoded: the most any one character can take
# The longest value of each parameter whose pattern or format says more than its length
LONGEST = {"status": "5XX", "method": "P" * 20, "since": f"2026-11-26T09:00:00.{'1' * 38}+01:00"}


def _longest(parameter: dict[str, Any]) -> str:
    schema = parameter["schema"]
    if parameter["name"] in LONGEST:
        value = LONGEST[parameter["name"]]
        assert len(value) == schema.get("maxLength", len(value)) or "pattern" in schema, parameter["name"]
        return value
    if schema["type"] == "integer":
        return str(schema["maximum"])
    first = "/" if schema.get("pattern") == "^[/*]" else WIDEST
    return first + WIDEST * (schema["maxLength"] - 1)  # text with no maxLength could be any length


def _longest_request(path: str, parameters: list[dict[str, Any]]) -> str:
    """The target of the request with every parameter at its longest, %-encoded as clients encode it."""
    values = {p["name"]: urllib.parse.quote(_longest(p), safe="") for p in parameters}
    query = "&".join(f"{p['name']}={values[p['name']]}" for p in parameters if p["in"] == "query")
    return _filled(path, values) + (f"?{query}" if query else "")


def test_every_request_the_document_calls_valid_fits_the_request_line(shared_mock, document):
    """A journal filter at the documented 500 characters, %-encoded (12 bytes for each 4-byte character), made a
    request line far beyond gunicorn's 4,094 bytes: a documented-valid listing was refused 414. Each operation is
    sent with every parameter at its longest to a `mockserver serve`, and answered as the document says."""
    operations = [(path, method.upper(), op) for path, item in document["paths"].items() for method, op in item.items()
                  if op.get("parameters")]
    assert len(operations) >= 9
    server = shared_mock("--db", ":memory:")
    for path, method, operation in operations:
        target = _longest_request(path, operation["parameters"])
        line = f"{method} {target} HTTP/1.1"
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
        response = requests.request(method, server.url + target, json=body, timeout=10)
        assert response.status_code in (200, 404), (len(line), line[:200], response.text[:300])
        if response.status_code == 404:
            assert "{" in path, (line[:200], response.text[:300])  # an id nothing has
        assert len(line) <= REQUEST_LINE_LIMIT, (len(line), line[:200])


def test_the_readme_and_the_document_say_alike_that_deleting_a_missing_rule_answers_200(busy_app, document):
    """Every other admin delete answers 404 for an id it does not hold; one of a fault rule answers 200 with
    `{"deleted": 0}`. The README's row said only `{"deleted": N}`, so a reader took it for 404 as the rest."""
    response = busy_app.test_client().delete("/__admin/faults/999999")
    assert (response.status_code, response.get_json()) == (200, {"deleted": 0})
    operation = document["paths"]["/__admin/faults/{ruleId}"]["delete"]
    assert "404" not in operation["responses"]
    said = '`{"deleted": 0}`'
    assert said in operation["responses"]["200"]["description"]
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| `DELETE /__admin/faults`")]
    assert said in row and "not 404" in row, row


def test_the_document_says_as_the_readme_how_the_journal_keeps_a_body_and_header_values(document):
    """The journal cuts a body where a character ends and keeps bytes that are not UTF-8 as `\\xNN` escapes, in the
    body and in header values alike; the document said only "the first 8 KiB", so a client generated from it took
    the body for the bytes sent."""
    entry = document["components"]["schemas"]["JournalEntry"]["properties"]
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| `GET /__admin/requests?")]
    for said in ("first 8 KiB, cut where a character ends", "`\\xNN`"):
        assert said in row and said in entry["body"]["description"], said
    assert "`\\xNN`" in entry["headers"]["description"] and "UTF-8" in entry["headers"]["description"]


# -- HEAD and OPTIONS, which the document leaves out ---------------------------------------------------------


@pytest.mark.parametrize("path", sorted({path for path, *_ in admin_openapi.OPERATIONS}))
def test_options_answers_200_with_the_methods_the_document_declares(busy_app, path):
    """Flask's own answer was 200 with `Content-Type: text/html` and no body: neither what a JSON API answers nor
    what the document, which declares no OPTIONS, would lead a client to parse. RFC 9110: no content and `Allow`."""
    values = {"campaignId": busy_app.config["answers"]["created"], "ruleId": busy_app.config["answers"]["rule"],
              "requestId": "1"}
    response = busy_app.test_client().options(_filled(path, values))
    declared = {method.upper() for declared_path, method, *_ in admin_openapi.OPERATIONS if declared_path == path}
    assert response.status_code == 200
    assert response.get_data() == b"" and "Content-Type" not in response.headers
    head = {"HEAD"} if "GET" in declared else set()
    assert set(response.headers["Allow"].split(", ")) == declared | head | {"OPTIONS"}


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if op[0] == "GET"])
def test_head_answers_as_get_does_without_a_body(busy_app, method, path):
    values = {"campaignId": busy_app.config["answers"]["created"], "requestId": "1"}
    client = busy_app.test_client()
    got, head = client.get(_filled(path, values)), client.head(_filled(path, values))
    assert (head.status_code, head.mimetype, head.get_data()) == (got.status_code, got.mimetype, b"")


def test_the_document_says_how_head_and_options_are_answered(document):
    said = document["info"]["description"]
    assert "`HEAD`" in said and "`OPTIONS`" in said and "200, no content" in said


@pytest.mark.parametrize("path", ["/__admin", "/__admin/", "/__admin/faults", "/openapi.json", "/campaign/*",
                                  "/__adminx", "/openapi.json/", "/openapi.jsonx", "/openapi-json", "*", "/__admin\n"])
def test_a_rules_path_in_the_document_is_refused_exactly_when_it_is_the_mocks_own(document, path):
    """The document says "never the mock's own paths" with `not` (portable), not a lookahead; read with `$` as the
    end of the text, as ECMA-262 reads it, it refuses what routes.own_path names."""
    validator = ecma_pattern.Validator(document["components"]["schemas"]["FaultRuleInput"]["properties"]["path"])
    assert validator.is_valid(path) is not own_path(path)
    assert validator.is_valid(None)


@pytest.mark.parametrize("spec", ["drop", "latency=5;status=503", "drop;drop", "Status=500,status=503",
                                  "latency=1;latency=2", "drop\n", "latency=5,,drop", "retry-after=5",
                                  "status=503;retry-after=5", "RETRY-AFTER=0,Status=429", "drop;retry-after=1",
                                  "status=503;retry-after=1;retry-after=2", "drop;status=503",
                                  "status=503;retry-after=1;latency=5;drop=after"])
def test_a_rules_fault_in_the_document_is_the_syntax(document, spec):
    validator = ecma_pattern.Validator(document["components"]["schemas"]["FaultRuleInput"]["properties"]["fault"])
    assert validator.is_valid(spec) is faults.in_syntax(spec)
    assert validator.is_valid(spec) is (spec in ("drop", "latency=5;status=503", "latency=5,,drop",
                                                 "status=503;retry-after=5", "RETRY-AFTER=0,Status=429"))
