"""The OpenAPI 3.1 document: valid, complete, served, committed, and its drift detected."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from mockserver import ecma_pattern, openapi
from mockserver.auth import mint_token
from mockserver.cli import main
from mockserver.commands.openapi import DEFAULT_OUT
from mockserver.contract import load_contract
from mockserver.failures import FAILURES
from mockserver.paths import PROJECT_ROOT, SCHEMAS_DIR


@pytest.fixture(scope="module")
def document(contract):
    return openapi.build_document(contract)


def operation(document):
    [item] = document["paths"].values()
    return item["post"]


def test_document_is_valid_openapi_3_1(document, tenant):
    validate(document)
    validate(openapi.narrowed(document, tenant.default_account))
    assert document["openapi"].startswith("3.1")


def test_both_documents_carry_the_license_the_project_declares():
    """They had no `info.license` (redocly lint's one warning), though pyproject.toml declares MIT: a client
    generated from them carries none."""
    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    for name in ("openapi.json", "admin-openapi.json"):
        info = json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))["info"]
        assert info["license"] == {"name": declared, "identifier": declared}, name


def test_component_schemas_are_valid_2020_12(document):
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert not {"$schema", "$id"} & schema.keys(), name
        assert "x-source" not in json.dumps(schema), name


def test_every_failure_status_is_documented_with_the_envelope(document):
    responses = operation(document)["responses"]
    endpoint_rows = [row for row in FAILURES.values() if not row.key.startswith("admin.")]
    for row in endpoint_rows:
        documented = responses[str(row.status)]
        assert row.key in documented["content"]["application/json"]["examples"]
        assert documented["content"]["application/json"]["schema"]["$ref"].endswith(openapi.ENVELOPE)
    assert set(responses) == {"200"} | {str(row.status) for row in endpoint_rows}
    assert "admin.parameter" not in json.dumps(responses)  # the admin API's own, not the endpoint's


def test_parameters_cover_path_query_and_headers_but_the_token(document):
    found = {(p["in"], p["name"], p["required"]) for p in operation(document)["parameters"]}
    assert found == {("path", "streamId", True), ("query", "accountId", True), ("query", "campaignType", True),
                     ("header", "accountid", True), ("header", "iid", True)}


def test_the_iid_header_says_it_carries_the_stream_id(document):
    """The page's header table calls iid "The application ID"; the mock (after the sample curl) wants the path's
    streamId there. A client written from the document alone sent its app's client id and met 400 iid.mismatch."""
    [iid] = [p for p in operation(document)["parameters"] if p["name"] == "iid"]
    assert "streamId" in iid["description"] and "iid.mismatch" in iid["description"], iid["description"]


def test_the_token_header_is_a_required_security_scheme(document):
    """As a plain header parameter, client generators made it an argument of every call and Schemathesis's
    `ignored_auth` check had nothing to check."""
    schemes = document["components"]["securitySchemes"]
    assert operation(document)["security"] == [{name: []} for name in schemes]
    [scheme] = schemes.values()
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "auth")
    assert "mockserver token" in scheme["description"]


def test_examples_validate_against_their_schemas(document):
    registry = Registry().with_resource("urn:endpoint", DRAFT202012.create_resource(document))
    op = operation(document)
    media = [op["requestBody"]["content"]["application/json"]] + [
        response["content"]["application/json"] for response in op["responses"].values()]
    checked = 0
    for content in media:
        validator = Draft202012Validator({"$ref": "urn:endpoint" + content["schema"]["$ref"]}, registry=registry)
        if "example" in content:
            values = [content["example"]]
        else:  # each a `$ref` to the document's own examples
            values = [document["components"]["examples"][named["$ref"].rsplit("/", 1)[1]]["value"]
                      for named in content["examples"].values()]
        for value in values:
            validator.validate(value)
            checked += 1
    assert len(media) == 1 + len(op["responses"])
    assert checked == 2 + len([row for row in FAILURES.values() if not row.key.startswith("admin.")])


def test_narrowed_document_only_allows_the_accounts_names(document, tenant, contract):
    account = tenant.default_account
    request = openapi.narrowed(document, account)["components"]["schemas"][openapi.REQUEST]
    validator = Draft202012Validator(request)
    assert validator.is_valid(contract.sample_request)
    assert request["properties"]["contactLists"]["items"]["enum"] == sorted(account.contact_lists)
    assert "+14155550199" not in request["properties"]["dialingStrategy"]["properties"]["callerId"][
        "properties"]["phoneNumber"]["enum"]  # not verified
    assert not validator.is_valid({**contract.sample_request, "contactLists": ["Nope"]})
    assert "enum" not in document["components"]["schemas"][openapi.REQUEST]["properties"]["contactLists"]["items"]


def test_narrowed_clock_patterns_are_one_line_of_text(document, tenant):
    # A fuzzer's client generator copies patterns into string literals: no raw newline in them.
    days = openapi.narrowed(document, tenant.default_account)["components"]["schemas"][openapi.REQUEST][
        "properties"]["dialingStrategy"]["properties"]["callingHours"]["properties"]["days"]["items"]["properties"]
    for end, meridiem in (("start", "AM"), ("end", "PM")):
        pattern = days[end]["pattern"]
        assert "\n" not in pattern and "(?" not in pattern
        read = ecma_pattern.compiled(pattern)  # as the mock reads it: `$` is the end of the text
        assert read.search(f"9:00 {meridiem}") and not read.search(f"9:00 {meridiem}\n")


def test_served_document_is_the_committed_one_naming_the_mock_as_its_server(client):
    committed = json.loads(DEFAULT_OUT.read_text(encoding="utf-8"))
    for base in ("http://localhost", "http://127.0.0.1:41234", "https://qa-mock.internal:8443"):
        response = client.get("/openapi.json", base_url=base)
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        served = response.get_json()
        assert [server["url"] for server in served.pop("servers")] == [base]
        for parameter in (p for item in served["paths"].values() for op in item.values() for p in op["parameters"]):
            parameter.pop("example")
            parameter["schema"].pop("default")
        served["components"]["schemas"][openapi.REQUEST].pop("default")
        assert served == {key: value for key, value in committed.items() if key != "servers"}


def test_the_served_document_s_parameter_examples_reach_the_mock_s_default_account(client, tenant, token,
                                                                                    sample_body):
    """Swagger UI's try-it-out and Postman's import (set to use examples) fill each parameter in from its example:
    with none, a tester typed the account and stream ids by hand. The served document's examples are this mock's
    default account and its first stream (those `mockserver token` mints for) and the page's campaignType, so a
    request built from the document alone, with the token added, is created."""
    served = client.get("/openapi.json").get_json()
    (path, item), = served["paths"].items()
    operation = item["post"]
    values = {(p["in"], p["name"]): p["example"] for p in operation["parameters"]}
    account = tenant.default_account
    assert values == {("path", "streamId"): account.streams[0], ("query", "accountId"): account.account_id,
                      ("query", "campaignType"): "voice", ("header", "accountid"): account.account_id,
                      ("header", "iid"): account.streams[0]}
    url = path.replace("{streamId}", values[("path", "streamId")])
    query = {name: value for (where, name), value in values.items() if where == "query"}
    headers = {name: value for (where, name), value in values.items() if where == "header"}
    body = operation["requestBody"]["content"]["application/json"]["example"]
    answer = client.post(url, query_string=query, json=body, headers={**headers, "auth": token})
    assert answer.status_code == 200, answer.get_json()


def test_the_served_document_s_defaults_alone_make_a_request_the_mock_creates(client, token):
    """Postman's import by default (parameter generation "Schema") reads no example: it fills a parameter or a body
    in from its schema's `default`, else `<string>` and random enum values, which the mock refused (403 for
    account `<string>`, then 400 and 422 for the body). The served document's defaults are its examples."""
    served = client.get("/openapi.json").get_json()
    (path, item), = served["paths"].items()
    operation = item["post"]
    values = {(p["in"], p["name"]): p["schema"]["default"] for p in operation["parameters"]}
    assert values == {(p["in"], p["name"]): p["example"] for p in operation["parameters"]}
    request = served["components"]["schemas"][openapi.REQUEST]
    body = request["default"]
    assert body == operation["requestBody"]["content"]["application/json"]["example"]
    schema = {"$ref": f"#/components/schemas/{openapi.REQUEST}", "components": served["components"]}
    assert list(Draft202012Validator(schema).iter_errors(body)) == []
    answer = client.post(path.replace("{streamId}", values[("path", "streamId")]),
                         query_string={name: v for (where, name), v in values.items() if where == "query"},
                         json=body, headers={**{name: v for (where, name), v in values.items() if where == "header"},
                                             "auth": token})
    assert answer.status_code == 200, answer.get_json()


def test_the_committed_document_has_no_defaults_naming_an_account(document):
    """A default on a required parameter is an argument's default in a generated client (openapi-python-client's
    `account_id: str = '65f1...'`): the committed document, which clients are built from, names no account."""
    assert [p["name"] for p in operation(document)["parameters"] if "default" in p["schema"]] == []
    assert "default" not in document["components"]["schemas"][openapi.REQUEST]


def test_an_account_s_document_carries_its_ids_as_examples(tenant):
    account = tenant.accounts[-1]
    narrowed = openapi.narrowed(openapi.build_document(load_contract(SCHEMAS_DIR)), account)
    examples = {p["name"]: p.get("example") for item in narrowed["paths"].values() for op in item.values()
                for p in op["parameters"]}
    assert examples == {"streamId": account.streams[0], "accountId": account.account_id, "campaignType": "voice",
                        "accountid": account.account_id, "iid": account.streams[0]}


def test_an_account_s_document_gives_a_body_example_the_mock_creates_for_that_account(tenant, client):
    """Its body example was the vendor's sample, naming the default account's contact list, DNC list, caller ID and
    queue: its own schema refused it, and so did the mock (400, 4 unknown references)."""
    account = tenant.accounts[-1]
    narrowed = openapi.narrowed(openapi.build_document(load_contract(SCHEMAS_DIR)), account)
    (path, item), = narrowed["paths"].items()
    operation = item["post"]
    body = operation["requestBody"]["content"]["application/json"]["example"]
    schema = {"$ref": f"#/components/schemas/{openapi.REQUEST}", "components": narrowed["components"]}
    assert list(Draft202012Validator(schema).iter_errors(body)) == []
    values = {(p["in"], p["name"]): p["example"] for p in operation["parameters"]}
    app = account.apps[0]
    answer = client.post(path.replace("{streamId}", values[("path", "streamId")]),
                         query_string={name: v for (where, name), v in values.items() if where == "query"},
                         json=body, headers={**{name: v for (where, name), v in values.items() if where == "header"},
                                             "auth": mint_token(app.client_id, app.client_secret)})
    assert answer.status_code == 200, answer.get_json()


def test_served_documents_for_many_hosts_do_not_grow_the_cache(app):
    client = app.test_client()
    for number in range(100):
        assert client.get("/openapi.json", base_url=f"http://host-{number}.example").get_json()["servers"][0]["url"] \
            == f"http://host-{number}.example"
    assert len(app.extensions["openapi"]) <= 16


def test_check_passes_on_the_committed_document(capsys):
    assert main(["openapi", "--check"]) == 0


def test_check_fails_on_drift_naming_the_file(tmp_path, capsys, document):
    stale = tmp_path / "openapi.json"
    stale.write_text(openapi.render({**document, "info": {"title": "old", "version": "1"}}), encoding="utf-8")
    assert main(["openapi", "--check", "-o", str(stale)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"mockserver openapi: out of date: {stale}",
        f"mockserver openapi: run `mockserver openapi --out {stale}` and commit the result"]  # the file checked
    assert main(["openapi", "--check", "-o", str(tmp_path / "missing.json")]) == 1
    assert f"mockserver openapi: missing: {tmp_path / 'missing.json'}" in capsys.readouterr().err


def test_check_of_standard_output_is_refused_in_one_line(capsys):
    assert main(["openapi", "--check", "-o", "-"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("mockserver openapi: error: --check compares a file"), line


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_the_document_on_standard_output_is_the_files_utf8_whatever_the_locale(encoding):
    """In an ASCII locale (LANG=C without Python's UTF-8 mode) `-o -` ended at the first curly quote with a
    traceback; in a Latin-1 one it wrote a document no JSON reader takes as the UTF-8 it must be."""
    result = subprocess.run([sys.executable, "-m", "mockserver", "openapi", "-o", "-"], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": encoding}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == DEFAULT_OUT.read_bytes()


def test_write_then_check(tmp_path, capsys):
    out = tmp_path / "doc.json"
    assert main(["openapi", "-o", str(out)]) == 0
    assert main(["openapi", "--check", "-o", str(out)]) == 0
    validate(json.loads(out.read_text(encoding="utf-8")))


def test_a_copy_with_crlf_line_ends_is_drift_as_the_schemas_check_says(tmp_path, capsys):
    """`--check` read the file as text, which turns CRLF into LF: a checkout that had rewritten the line ends passed,
    though its bytes are not what the command writes (`mockserver schemas --check` calls the same bytes drift)."""
    crlf = tmp_path / "openapi.json"
    crlf.write_bytes(DEFAULT_OUT.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["openapi", "--check", "-o", str(crlf)]) == 1
    assert f"mockserver openapi: out of date: {crlf}" in capsys.readouterr().err


def test_the_written_file_has_lf_line_ends_whatever_the_systems(tmp_path, capsys, monkeypatch):
    """Written in text mode, the file got the system's line ends: CRLF on Windows, drift in every diff there."""
    real_write_text = Path.write_text

    def windows_write_text(self, data, encoding=None, errors=None, newline=None):  # text mode on Windows
        return real_write_text(self, data, encoding, errors, "\r\n" if newline is None else newline)

    monkeypatch.setattr(Path, "write_text", windows_write_text)
    out = tmp_path / "doc.json"
    assert main(["openapi", "-o", str(out)]) == 0
    assert out.read_bytes() == DEFAULT_OUT.read_bytes()


def test_unknown_account_is_one_line_and_status_2(capsys, tenant):
    """It named the account it did not find, not those it could have been: the tenant file had to be opened."""
    assert main(["openapi", "-o", "-", "--account", "acc-nobody"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "acc-nobody" in err
    assert err.rstrip().endswith(f"its accounts are {', '.join(a.account_id for a in tenant.accounts)}"), err


def test_tenant_without_account_is_one_line_and_status_2(capsys):
    assert main(["openapi", "-o", "-", "--tenant", "fixtures/tenant.json"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "mockserver openapi: error: --tenant names the tenant file for --account: give --account too"


def test_the_openapi_server_is_relative_when_the_host_header_is_unreadable(client):
    """`Host: a b` made the served document name its server "http:"."""
    assert client.get("/openapi.json", headers={"Host": "a b"}).get_json()["servers"][0]["url"] == "/"


def test_the_headers_a_refusal_can_carry_are_declared_under_its_status(document):
    """With --rate-limit every counted answer carries X-RateLimit-*, a forced 503 its fault's Retry-After, a 405
    its Allow: the document declared them on the 200 and the 429 alone, so a generated client did not expose them."""
    responses = operation(document)["responses"]
    for status in ("400", "403", "409", "413", "415", "422"):
        assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(responses[status]["headers"])
    for status in ("401", "404", "405"):  # no valid token, no such route or method: counted against no one
        assert "X-RateLimit-Limit" not in responses[status].get("headers", {}), status
    assert "Retry-After" in responses["503"]["headers"] and "Allow" in responses["405"]["headers"]
    assert "429 only" not in json.dumps(document)


def test_a_header_every_answer_of_its_status_carries_is_declared_required(document, make_app, tmp_path, url,
                                                                           headers):
    """A 405 always says what the path takes (`Allow`, RFC 9110) and a 429 when to retry (`Retry-After`: the end of
    the rate limit's window, or a forced 429's), but the document declared both optional: openapi-typescript typed
    the 429's `"Retry-After"?: number`, and Schemathesis's `response_headers_conformance` check could not hold the
    mock to sending them."""
    limited = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "RATE_LIMIT": "1/hour"}).test_client()
    answers = {"405": [limited.get(url, headers=headers)],
               "429": [limited.post(url, json={}, headers=headers) for _ in range(2)][1:]
               + [limited.post(url, json={}, headers={**headers, "X-Mock-Fault": "status=429"})]}
    responses = operation(document)["responses"]
    for status, name in (("405", "Allow"), ("429", "Retry-After")):
        assert [answer.status_code for answer in answers[status]] == [int(status)] * len(answers[status])
        assert all(answer.headers.get(name) for answer in answers[status]), status
        declared = responses[status]["headers"][name]
        declared = document["components"]["headers"][name] if "$ref" in declared else declared
        assert declared.get("required") is True, (status, name)


def test_retry_after_is_declared_only_where_a_status_is_forced(document):
    """A forced status carries its fault's Retry-After; the refusal of an X-Mock-Fault header, 400 `fault.invalid`
    or 401 `fault.unauthorized`, never does, but the document declared the header on the 400 and the 401 too, as
    if a client could be told when to retry a malformed request or a missing token."""
    responses = operation(document)["responses"]
    assert sorted(status for status, response in responses.items()
                  if "Retry-After" in response.get("headers", {})) == ["429", "500", "502", "503", "504"]
