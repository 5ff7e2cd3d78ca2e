"""A failing case, as a developer reads it in the terminal and in JUnit XML: no token, not even one the target
quotes back."""

from __future__ import annotations

import json

import pytest
from flask import Response, request

from mockserver.app import create_app
from mockserver.testing import serve


def token_quoting_app(tmp_path, received: list[str]):
    """The mock, refusing every create it would accept with a 400 whose message quotes the token it was sent, and
    pads the message to 5 KB: a service that echoes what it read, at length."""
    app = create_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

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
def failed_run(run_contract_suite, tmp_path):
    received: list[str] = []
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    with serve(token_quoting_app(tmp_path, received)) as url:
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
