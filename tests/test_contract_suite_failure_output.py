"""A failing case, as a developer reads it in the terminal and in JUnit XML: the request sent (its credentials
`<redacted>`), the answer received, what was expected and the check that failed, on a few lines, and no token,
not even one the target quotes back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest
from flask import Response, request

from mockserver.testing import serve


def token_quoting_app(make_app, tmp_path, received: list[str]):
    """The mock, refusing every create it would accept with a 400 whose message quotes the token it was sent, and
    pads the message to 5 KB: a service that echoes what it read, at length."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    @app.after_request
    def quote_the_token(response: Response) -> Response:
        token = request.headers.get("auth", "")
        received.append(token)
        if response.status_code == 200 and request.method == "POST":
            message = f"token {token} is not welcome here " + "." * 5000
            response.set_data(json.dumps({"errors": [{"msg": message, "code": 4000}]}))
            response.status_code = 400
        return response

    return app


@pytest.fixture
def failed_run(run_contract_suite, tmp_path, make_app):
    received: list[str] = []
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    with serve(token_quoting_app(make_app, tmp_path, received)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample/base-request",
                                    f"--junitxml={junit}", "--contract-report", str(report))
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    tokens = {token for token in received if len(token) > 20}
    assert tokens, received
    return result, junit.read_text(encoding="utf-8"), report.read_text(encoding="utf-8"), tokens


def test_a_token_the_target_quotes_back_is_redacted_in_every_output(failed_run):
    result, junit, report, tokens = failed_run
    for where, text in {"terminal": result.stdout.str() + result.stderr.str(), "junit": junit,
                        "report": report}.items():
        assert not [token for token in tokens if token in text], where
    assert "token <redacted> is not welcome here" in result.stdout.str()


def test_a_failure_names_the_request_sent_with_its_credentials_redacted(failed_run):
    result, junit, _, _ = failed_run
    result.stdout.fnmatch_lines([
        "sample/base-request: (body): expected status 200, got 400 (body: *)",
        "sample/base-request: sent POST /campaign/api/v2/public/st-*/campaign?accountId=*&campaignType=voice"
        " (headers: auth: <redacted>, accountid: *, iid: st-*, Content-Type: application/json;"
        " body: * bytes: {\"name\": \"ct-*...)",
    ])
    failure = next(ElementTree.fromstring(junit).iter("failure"))
    assert "sample/base-request: sent POST /campaign/api/v2/public/" in failure.text
    assert "auth: <redacted>" in failure.text


def test_a_failure_stays_short_whatever_the_answer_and_request_weigh(failed_run):
    result, junit, _, _ = failed_run
    failure = next(ElementTree.fromstring(junit).iter("failure"))
    assert len(failure.text) < 1500, failure.text  # a 5 KB answer and a 900-byte body, each quoted in part
    lines = [line for line in result.stdout.lines if line.startswith("sample/base-request: ")]
    assert lines and all(len(line) < 800 for line in lines), lines


def test_a_before_request_that_fails_is_named_as_the_case_file_names_it_with_the_request(run_contract_suite,
                                                                                         tmp_path):
    """It was "setup request 1 must succeed first: got 400 ({...}" with the body's line end inside the parentheses:
    counted from 1 where the file's `before` counts from 0, and the line broken in two; and the request it sent was
    not shown, where a failed case's is."""
    cases = {"group": "team", "description": "ours", "cases": [
        {"id": "dup", "description": "d", "subject": "name", "before": [{}, {"set": {"priority": "0"}}],
         "request": {}, "expect": {"status": 409}}]}
    (tmp_path / "team.json").write_text(json.dumps(cases), encoding="utf-8")
    result = run_contract_suite("-q", "--contract-cases", str(tmp_path), "-k", "team/")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    # the first two: pytest repeats the second in its short summary where it does not cut lines (CI=true)
    line, sent = [line for line in result.stdout.lines if line.startswith("team/dup: ")][:2]
    assert line.startswith('team/dup: name: before[1] must succeed first: expected status 200, got 400 (body:'
                           ' {"errors":[{"msg":"priority must be one of '), line
    assert line.endswith('"field":"priority"}]})'), line
    assert sent.startswith("team/dup: before[1]: sent POST /campaign/api/v2/public/st-"), sent
    assert "auth: <redacted>" in sent and "; body: " in sent, sent
