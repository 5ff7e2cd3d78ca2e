"""The contract suite fails, naming the case and the field, against mocks that break the contract on purpose.

Each broken mock is the real one with one fault: its schema allows a 49-character name, its success answer
renames a key, or it ignores the JWT signature. It is served on an ephemeral 127.0.0.1 port; the suite runs in
a pytest subprocess (pytester) with --base-url, as it would against a remote service.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jwt
import pytest
from flask import Response

from contract_tests.tokens import sign
from mockserver.cli import main as mockserver_main
from mockserver.paths import CONTRACT, SCHEMAS_DIR
from mockserver.tenant import load_tenant
from mockserver.testing import serve


def loose_name_app(make_app, tmp_path: Path):
    """The mock with a schema whose name may be 49 characters long."""
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR / CONTRACT, schemas / CONTRACT)
    request_schema = schemas / CONTRACT / "request.schema.json"
    document = json.loads(request_schema.read_text(encoding="utf-8"))
    document["properties"]["name"]["maxLength"] = 49
    request_schema.write_text(json.dumps(document), encoding="utf-8")
    return make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SCHEMAS_DIR": str(schemas)})


def changed_answer_app(make_app, tmp_path: Path, change):
    """The mock with `change` made to the document of each success answer."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    @app.after_request
    def changed(response: Response) -> Response:
        document = response.get_json(silent=True)
        if response.status_code == 200 and isinstance(document, dict) and "data" in document:
            change(document)
            response.set_data(json.dumps(document))
        return response

    return app


def renamed_key_app(make_app, tmp_path: Path):
    """The mock answering success with `created_at` where the vendor's sample has `createdAt`."""
    def rename(document):
        document["data"]["created_at"] = document["data"].pop("createdAt")

    return changed_answer_app(make_app, tmp_path, rename)


def numbers_as_strings_app(make_app, tmp_path: Path):
    """The mock answering success with its dialing strategy's numbers as strings ("30"), as some gateways do."""
    def stringify(document):
        strategy = document["data"]["dialingStrategy"]
        strategy.update({key: str(value) for key, value in strategy.items() if type(value) is int})

    return changed_answer_app(make_app, tmp_path, stringify)


def failure_in_200_app(make_app, tmp_path: Path):
    """The mock answering each refusal 200, with `"status": "failure"` beside its errors, as some gateways do."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    @app.after_request
    def in_200(response: Response) -> Response:
        document = response.get_json(silent=True)
        if response.status_code == 400 and isinstance(document, dict):
            response.set_data(json.dumps({"status": "failure", "message": "Invalid request", **document}))
            response.status_code = 200
        return response

    return app


def added_key_app(make_app, tmp_path: Path):
    """The mock answering success with a `requestId` beside the vendor sample's keys, as a service adds fields."""
    return changed_answer_app(make_app, tmp_path, lambda document: document.update(requestId="rq-1"))


def signature_blind_app(make_app, tmp_path: Path):
    """The mock behind a middleware that re-signs every token for its appId: signatures no longer matter."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    tenant = load_tenant()

    def middleware(environ, start_response):
        try:
            claims = jwt.decode(environ.get("HTTP_AUTH", ""), options={"verify_signature": False})
        except jwt.PyJWTError:
            claims = None
        found = tenant.app(str(claims.get("appId"))) if claims else None
        if found:
            environ["HTTP_AUTH"] = sign(claims, found[0].client_secret)
        return app(environ, start_response)

    return middleware


def test_a_mock_accepting_a_49_character_name_fails_the_suite(run_contract_suite, tmp_path, make_app):
    with serve(loose_name_app(make_app, tmp_path)) as url:
        result = run_contract_suite("--base-url", url, "-k", "name and maxLength")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*boundary/name/maxLength/outside: name: expected status 400, got 200*",
        "*contract campaigns created*",
        "*ct-*-*x  id=cd-*  case=boundary/name/maxLength/outside",
    ])
    result.assert_outcomes(failed=1, skipped=1)  # the inside case creates, so it waits for --allow-writes
    output = result.stdout.str()
    assert "raise ContractFailure" not in output and "contract_case = " not in output  # the lines, not the suite's code


def test_a_mock_with_a_wrong_response_shape_fails_the_suite(run_contract_suite, tmp_path, make_app):
    with serve(renamed_key_app(make_app, tmp_path)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*sample/vendor-request: data.createdAt: missing from the response (the vendor's sample has it); the response"
        " has data.created_at, which the sample does not: renamed?",
    ])
    assert "data.createdAt: response schema: is required (body: {" in result.stdout.str()


def test_a_success_answered_in_a_list_is_said_in_the_mock_s_words(run_contract_suite, tmp_path, make_app):
    """The line dumped the whole document in Python's notation: "[{'status': 'success', ...}] is not of type
    'object'", some 1,500 characters before the body's own quote."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    @app.after_request
    def listed(response: Response) -> Response:
        if response.status_code == 200 and response.is_json:
            response.set_data(json.dumps([response.get_json()]))
        return response

    with serve(app) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample/base-request")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(['sample/base-request: (response): response schema: must be an object (got an array)'
                                 ' (body: [{"status": "success", *'])
    assert "is not of type" not in result.stdout.str() and "[{'status'" not in result.stdout.str()


def test_a_key_beyond_the_vendor_s_sample_is_no_failure_but_is_said(run_contract_suite, tmp_path, make_app):
    """A client ignores what it does not know: a service adding a field to its answer breaks no client, so it is said
    once in the summary, not failed in every creating case."""
    report = tmp_path / "report.json"
    with serve(added_key_app(make_app, tmp_path)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample", "--contract-report",
                                    str(report))
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "*contract answers beyond the vendor's sample*",
        "requestId: in 2 success answer(s), not in the vendor's sample response (not a failure;*",
    ])
    records = json.loads(report.read_text(encoding="utf-8"))["records"]
    assert [record["beyond_sample"] for record in records] == [["requestId"], ["requestId"]]


def test_a_mock_ignoring_the_jwt_signature_fails_the_suite(run_contract_suite, tmp_path, make_app):
    with serve(signature_blind_app(make_app, tmp_path)) as url:
        result = run_contract_suite("--base-url", url, "-k", "auth")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines_random([
        "*auth/wrong-secret: auth: expected status 401, got 200*",
        "*auth/alg-none: auth: expected status 401, got 200*",
        "*auth/alg-hs512: auth: expected status 401, got 200*",
    ])
    assert "FAILED" not in "".join(line for line in result.outlines if "auth/expired" in line)


def parity_against(run_contract_suite, tmp_path, capsys, app) -> tuple[Path, int, str]:
    """The mock's report of the sample cases, and `mockserver parity`'s exit status and output comparing it with
    the report of the same cases against `app`."""
    good, other = tmp_path / "good.json", tmp_path / "other.json"
    run_contract_suite("-k", "sample", "--contract-report", str(good)).assert_outcomes(passed=2)
    with serve(app) as url:
        run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample", "--contract-report", str(other))
    status = mockserver_main(["parity", str(good), str(other)])
    return good, status, capsys.readouterr().out


def test_parity_reports_the_drift_between_the_mock_and_a_broken_one(run_contract_suite, tmp_path, capsys, make_app):
    _, status, out = parity_against(run_contract_suite, tmp_path, capsys, renamed_key_app(make_app, tmp_path))
    assert status == 1
    assert ("2 cases: response shape: only in A: data.createdAt; only in B: data.created_at (sample/vendor-request,"
            " sample/base-request)\n") in out
    assert "2 of 2 compared case(s) differ" in out


def test_parity_reports_numbers_answered_as_strings(run_contract_suite, tmp_path, capsys, make_app):
    """The suite failed each creating case on "'30' is not of type 'integer'", and parity compared the two reports
    alike (exit 0): the key paths were the same, and a record held nothing of their values' types."""
    good, status, out = parity_against(run_contract_suite, tmp_path, capsys, numbers_as_strings_app(make_app, tmp_path))
    assert status == 1
    assert ("2 cases: value types: data.dialingStrategy.defaultRetryPeriod A number, B string;"
            " data.dialingStrategy.maxAttemptsPerRecord A number, B string; data.dialingStrategy.maxRingTime A number,"
            " B string (sample/vendor-request, sample/base-request)\n") in out
    assert json.loads(good.read_text(encoding="utf-8"))["records"][0]["types"]["data.priority"] == "string"


def test_a_refusal_answered_200_fails_as_a_refusal_and_is_no_campaign(run_contract_suite, tmp_path, make_app):
    """Each such case also failed "'data' is a required property" and "data: missing ...; the response has errors,
    which the sample does not: renamed?"; the summary called the refusals success answers carrying errors and
    status beyond the vendor's sample, and listed each case's name as a create that may have stored its campaign."""
    report = tmp_path / "report.json"
    with serve(failure_in_200_app(make_app, tmp_path)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "priority/enum",
                                    "--contract-report", str(report))
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED, out
    result.stdout.fnmatch_lines(["boundary/priority/enum/outside: priority: expected status 400, got 200 (body:"
                                 " {\"status\": \"failure\", *) -- a refusal all the same: its status is 'failure',"
                                 " not 'success'"])
    assert "renamed?" not in out and "data: response schema: is required" not in out
    assert "beyond the vendor's sample" not in out and "may have created" not in out
    assert all(record["beyond_sample"] == [] for record in json.loads(report.read_text(encoding="utf-8"))["records"])


def test_a_setup_create_refused_in_a_200_fails_the_setup(run_contract_suite, tmp_path, make_app):
    """names/duplicate's first create, refused in a 200 ("status": "failure"), passed as its setup: the case then
    failed "expected status 409, got 200" of a name that had never been taken."""
    def refusing_creates(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"status": "failure", "message": "Campaigns are paused for this account",
                            "errors": [{"msg": "Campaigns are paused for this account", "code": 4000}]}).encode()]

    with serve(refusing_creates) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k",
                                    "duplicate and not other and not refused")
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["names/duplicate: name: before[[]0] must succeed first: a refusal, not the campaign:"
                                 " its status is 'failure', not 'success' (body: *)"])
    assert "expected status 409" not in out


def list_named_app(make_app, tmp_path: Path):
    """The mock naming the list, `contactLists`, in each error about one of its items (`contactLists[0]`), as a real
    service may: a reasonable answer, not a broken one."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    @app.after_request
    def list_named(response: Response) -> Response:
        document = response.get_json(silent=True)
        if response.status_code >= 400 and isinstance(document, dict):
            for error in document.get("errors", []):
                error["field"] = re.sub(r"^(contactLists)\[\d+\].*", r"\1", str(error.get("field")))
            response.set_data(json.dumps(document))
        return response

    return app


def test_a_service_naming_the_list_for_its_items_fault_passes_where_the_list_tells_which(run_contract_suite, tmp_path,
                                                                                            make_app):
    """Each case expecting contactLists[0] named failed against a service whose error names contactLists. Where the
    case expects another item of the list not named (second-contact-list-unknown), the list's name cannot tell the
    two apart, and the case fails as before."""
    with serve(list_named_app(make_app, tmp_path)) as url:
        result = run_contract_suite("--base-url", url, "-k", "contact-list or contactLists or all-unknown", "-rA")
    out = result.stdout.str()
    for passed in ("referential/unknown-contact-list", "referential/contact-list-of-other-account",
                   "referential/all-unknown-reported", "boundary/contactLists[[]0]/type/outside"):
        result.stdout.fnmatch_lines([f"PASSED *{passed}*"])
    result.stdout.fnmatch_lines(["referential/second-contact-list-unknown: contactLists[[]1]: the errors must name this"
                                 " field, but no error names it (errors[[]0]: its field is 'contactLists')*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED, out
