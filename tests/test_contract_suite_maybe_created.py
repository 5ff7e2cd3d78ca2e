"""Creates that got no clear answer: a gateway's 504 or a cut connection after the service stored the campaign.

They are listed as "may have created <name>", and --delete-created looks their names up and deletes what it finds.
"""

from __future__ import annotations

import itertools
import socket

import pytest

from mockserver.testing import serve


def committing_then_failing(app):
    """The mock behind a gateway that passes every create on, but answers the first 504 (an HTML page) and cuts
    the connection of the second once the mock has stored the campaign."""
    posts = itertools.count(1)

    def middleware(environ, start_response):
        number = next(posts) if environ["REQUEST_METHOD"] == "POST" else 0
        if number not in (1, 2):
            return app(environ, start_response)
        b"".join(app(environ, lambda *args: None))  # the backend commits
        if number == 1:
            start_response("504 Gateway Timeout", [("Content-Type", "text/html")])
            return [b"<html><body><h1>504 Gateway Time-out</h1></body></html>"]
        environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
        start_response("500 Dropped", [])
        return [b""]

    return middleware


def test_creates_without_a_clear_answer_are_listed_and_deleted_by_name(run_contract_suite, tmp_path, make_app):
    """A gateway answered 504 after the backend committed: "deleted 75 of 75" while 96 existed."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(committing_then_failing(app)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "--delete-created",
                                    "-k", "sample or (name and maxLength)")
        left = app.extensions["mock"].store.count_campaigns()
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out  # the two cases without a clear answer got no verdict
    result.stdout.fnmatch_lines([
        "1 campaign(s) on http://127.0.0.1:*, all named ct-*",
        "  ct-*  id=cd-*  case=boundary/name/maxLength/inside",
        "2 create(s) got no clear answer; the service may have stored them:",
        "  may have created ct-*  case=sample/vendor-request (answered 504)",
        "  may have created ct-*  case=sample/base-request (no answer)",
        "deleted 3 of 3 through http://127.0.0.1:*/__admin",
        "  2 of them found by name among the 2 create(s) that got no clear answer*",
    ])
    assert left == 0


def committing_then_500(app):
    """The mock, answering its first create 500 in its error envelope after storing the campaign."""
    posts = itertools.count(1)

    def middleware(environ, start_response):
        if environ["REQUEST_METHOD"] != "POST" or next(posts) != 1:
            return app(environ, start_response)
        b"".join(app(environ, lambda *args: None))  # the backend commits
        start_response("500 Internal Server Error", [("Content-Type", "application/json")])
        return [b'{"errors": [{"msg": "Internal error", "code": 500}]}']

    return middleware


def test_a_create_answered_500_is_listed_as_maybe_created_and_deleted(run_contract_suite, tmp_path, make_app):
    """A 500 is a 5xx as a gateway's 504 is: the service may have stored the campaign before it failed."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(committing_then_500(app)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "--delete-created", "-k", "sample")
        left = app.extensions["mock"].store.count_campaigns()
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED, out
    result.stdout.fnmatch_lines(["1 create(s) got no clear answer; the service may have stored them:",
                                 "  may have created ct-*  case=sample/* (answered 500)"])
    assert left == 0, out
