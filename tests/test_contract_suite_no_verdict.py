"""Answers that are the infrastructure's, not the service's: a gateway's page, a rate limit that does not lift, no
answer at all. Each is "no verdict" (failed, so a run is not green, but not a contract failure), recorded as such in
the report and not compared by `mockserver parity`; several cases in a row without an answer stop the run."""

from __future__ import annotations

import json
import re
import threading

import pytest
from fronts import answering_every, answering_then, canned, envelope, rate_limited

from contract_tests.runner import MAX_WAIT_SECONDS, RATE_LIMIT_RETRIES, UNANSWERED_STOP, too_long_a_wait
from mockserver.cli import main as mockserver_main
from mockserver.failures import RATE_LIMIT_MESSAGE
from mockserver.testing import serve

SELECTION = ("-k", "scope or auth")


def case_lines(out: str, said: str) -> list[str]:
    """The lines of the run's failures section that report a case as `said`: "<case id>: <said>..."."""
    return re.findall(rf"^[\w./-]+: {re.escape(said)}.*$", out, re.MULTILINE)


# a gateway's own pages, in front of a service that is down or overloaded
GATEWAY_503 = canned("503 Service Unavailable", [("Content-Type", "text/html")],
                     b"<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>")
GATEWAY_502 = canned("502 Bad Gateway", [("Content-Type", "text/html")],
                     b"<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
# a single sign-on whose session expired, and a web filter that blocks the address: their own pages, not the API's
SIGN_IN_PAGE = canned("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                      b"<!doctype html><html><head><title>Sign in</title></head><body><form>...</form></body></html>")
BLOCK_PAGE = canned("403 Forbidden", [("Content-Type", "text/html")],
                    b"<html><head>\n<title>\n  Access denied by policy\n</title></head><body>Blocked</body></html>")
# the service's own failure, in its error envelope
SERVICE_503 = envelope("503 Service Unavailable", "Service unavailable", 503)
# an hourly quota used up: 429, come back in an hour
QUOTA_SPENT = envelope("429 Too Many Requests", RATE_LIMIT_MESSAGE, 4029, ("Retry-After", "3600"))


def test_a_gateway_page_is_no_verdict_and_parity_counts_it_apart(run_contract_suite, tmp_path, capsys, make_app):
    """Each was a contract failure ("expected status 400, got 503", "the body is not JSON"), and parity a difference.
    A run whose only cases not passed got no verdict exits 4, as one the infrastructure stopped does: it exited 1, as
    for a service that broke the contract."""
    plain, gated = tmp_path / "plain.json", tmp_path / "gated.json"
    with serve(make_app({"DATABASE": str(tmp_path / "a.sqlite3")})) as url:
        run_contract_suite("--base-url", url, "--contract-report", str(plain), *SELECTION)
    with serve(answering_every(make_app({"DATABASE": str(tmp_path / "b.sqlite3")}), 3, GATEWAY_503)) as url:
        result = run_contract_suite("--base-url", url, "--contract-report", str(gated), *SELECTION)
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    records = json.loads(gated.read_text(encoding="utf-8"))["records"]
    no_verdict = [r for r in records if r["verdict"] == "no-verdict"]
    assert len(no_verdict) >= 3 and {r["verdict"] for r in records} == {"pass", "skip", "no-verdict"}
    assert all(r["status"] == 503 and r["reason"].startswith("no verdict: gateway 503 (body: '<html>")
               for r in no_verdict)
    assert result.parseoutcomes()["failed"] == len(no_verdict)
    assert len(case_lines(out, "no verdict: gateway 503 (body: '<html><body><h1>503 Service")) == len(no_verdict)
    assert "expected status" not in out and "the body is not JSON" not in out
    result.stdout.fnmatch_lines([f"{len(no_verdict)} case(s) got no verdict (*): not contract failures*",
                                 "exit status 4: no case failed the contract, but some got no verdict: the"
                                 " infrastructure got in the way of the run"])
    assert mockserver_main(["parity", str(plain), str(gated)]) == 3  # the compared cases agree, some got no verdict
    skipped = sum(r["verdict"] == "skip" for r in records)  # the cases that would create, without --allow-writes
    assert skipped >= 5
    assert f"not compared ({skipped} skipped, {len(no_verdict)} no verdict)\n" in capsys.readouterr().out


@pytest.mark.parametrize(("after", "said"), [
    # each case waited 5 times Retry-After, then failed as a contract failure "expected status 400, got 429"
    (rate_limited, f"still rate limited after {RATE_LIMIT_RETRIES} waits"),
    # each case got a fast "no verdict: gateway 502", and the run went on through every case
    (GATEWAY_502, "gateway 502"),
    # each case failed the contract: "the body is not JSON", "expected status 401, got 200"
    (SIGN_IN_PAGE, "200 with a page, not the API's JSON (text/html; charset=utf-8: 'Sign in'): a sign-in page, a"
                   " captive portal or a gateway in front of the service?"),
    (BLOCK_PAGE, "403 with a page, not the API's JSON (text/html: 'Access denied by policy')"),
], ids=["rate limit that does not lift", "service down behind its gateway", "sign-in once a session expired",
        "a web filter's block page"])
def test_a_target_giving_no_verdict_case_after_case_stops_the_run(run_contract_suite, tmp_path, after, said, make_app):
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(answering_then(app, 2, after)) as url:
        result = run_contract_suite("--base-url", url, *SELECTION)
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    assert len(case_lines(out, f"no verdict: {said}")) == UNANSWERED_STOP - 1
    result.stdout.fnmatch_lines([f"*contract suite: *: {UNANSWERED_STOP} cases in a row got no answer, a gateway's"
                                 f" page or a rate limit that did not lift (last: {said}*): the target is down or"
                                 " throttling this run*"])
    outcomes = result.parseoutcomes()
    assert (outcomes["passed"], outcomes["failed"]) == (2, UNANSWERED_STOP - 1), outcomes
    assert "expected status" not in out


def test_a_wait_longer_than_the_suite_waits_is_no_verdict_at_once(run_contract_suite, tmp_path, make_app):
    """Retry-After: 3600 made each case wait 65 s five times before its no verdict: 16 silent minutes before the run
    stopped (past this test's 120 s), for a wait the suite knew at the first answer it would not make."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(answering_then(app, 2, QUOTA_SPENT)) as url:
        result = run_contract_suite("--base-url", url, *SELECTION)
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    assert result.duration < 30, out
    said = (f"no verdict: rate limited: the target asks to wait 3600 s (Retry-After), longer than the"
            f" {MAX_WAIT_SECONDS:g} s")
    assert len(case_lines(out, said)) == UNANSWERED_STOP - 1, out
    assert "rate limited 0 time(s)" not in out and "waited" not in out


@pytest.mark.parametrize(("wait", "said"), [(3600.0, "3600 s"), (65.4, "65.4 s"), (3599.87, "3599.9 s")])
def test_the_wait_asked_is_quoted_as_asked(wait, said):
    """Retry-After: 65.4 read 'asks to wait 65 s ..., longer than the 65 s the suite waits'."""
    assert too_long_a_wait(wait).startswith(f"rate limited: the target asks to wait {said} (Retry-After), longer than")


def test_a_target_that_stops_answering_stops_the_run_after_a_few_cases_each_waiting_the_timeout(run_contract_suite,
                                                                                                 tmp_path, make_app):
    """A service that hung kept each case 30 s (the timeout was fixed) and the run went on for every case."""
    app, release = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}), threading.Event()

    def hanging(environ, start_response):
        release.wait(10)
        start_response("504 Gateway Timeout", [])
        return [b""]

    with serve(answering_then(app, 2, hanging)) as url:
        try:
            result = run_contract_suite("--base-url", url, "--contract-timeout", "0.2", *SELECTION)
        finally:
            release.set()
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    assert len(case_lines(out, "no verdict: no answer from http://127.0.0.1:")) == UNANSWERED_STOP - 1
    result.stdout.fnmatch_lines([f"*contract suite: *: {UNANSWERED_STOP} cases in a row got no answer, a gateway's"
                                 " page or a rate limit that did not lift (last: no answer from"
                                 " http://127.0.0.1:* within --contract-timeout 0.2 s: give a slow service more)*"])
    outcomes = result.parseoutcomes()
    assert (outcomes["passed"], outcomes["failed"]) == (2, UNANSWERED_STOP - 1), outcomes


@pytest.mark.parametrize("value", ["0", "1e300", "3600.5", "abc", "nan", "-1", "1_0"])
def test_a_timeout_that_is_not_a_positive_number_is_one_usage_line(run_contract_suite, value):
    """1e300 passed the check and ended the first case in a traceback: the socket's timeout overflowed. The line
    quotes what was typed, in the project's "(got ...)" form: it said "not 0.0" for 0, and argparse's "invalid float
    value" for abc."""
    result = run_contract_suite("--contract-timeout", value)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: contract suite: --contract-timeout must be a number of seconds above 0, at"
                                 f" most 3600 (got {value!r})"])


def test_a_report_of_a_run_that_stopped_early_says_why_and_parity_mentions_it(run_contract_suite, tmp_path, capsys,
                                                                              make_app):
    """The report of a stopped run looked like one of a run that had selected fewer cases."""
    whole, stopped = tmp_path / "whole.json", tmp_path / "stopped.json"
    with serve(make_app({"DATABASE": str(tmp_path / "a.sqlite3")})) as url:
        run_contract_suite("--base-url", url, "--contract-report", str(whole), *SELECTION)
    with serve(answering_then(make_app({"DATABASE": str(tmp_path / "b.sqlite3")}), 2, rate_limited)) as url:
        run_contract_suite("--base-url", url, "--contract-report", str(stopped), *SELECTION)
    assert json.loads(whole.read_text(encoding="utf-8"))["stopped"] is None
    reason = json.loads(stopped.read_text(encoding="utf-8"))["stopped"]
    assert reason.endswith(f"{UNANSWERED_STOP} cases in a row got no answer, a gateway's page or a rate limit"
                           f" that did not lift (last: still rate limited after {RATE_LIMIT_RETRIES} waits): the target"
                           " is down or throttling this run, and every further case would get no verdict either; run"
                           " again later")
    assert mockserver_main(["parity", str(whole), str(stopped)]) == 3
    out = capsys.readouterr().out
    assert f"B stopped early, so it lacks the cases after: {reason}\n" in out
    assert out.splitlines()[-1].startswith("incomplete (B stopped early): 0 of ")



def test_a_5xx_in_the_error_envelope_is_the_services_answer_and_judged(run_contract_suite, tmp_path, make_app):
    """Only a gateway's own page is no verdict: a 503 in the envelope is the service failing the case."""
    report = tmp_path / "report.json"
    with serve(answering_every(make_app({"DATABASE": str(tmp_path / "a.sqlite3")}), 3, SERVICE_503)) as url:
        result = run_contract_suite("--base-url", url, "--contract-report", str(report), *SELECTION)
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED, out
    records = json.loads(report.read_text(encoding="utf-8"))["records"]
    failed = [r for r in records if r["status"] == 503]
    assert len(failed) >= 3 and {r["verdict"] for r in failed} == {"fail"}, failed
    assert "no verdict" not in out and "expected status" in out


def test_a_run_with_contract_failures_and_cases_without_a_verdict_exits_1(run_contract_suite, tmp_path, make_app):
    """Contract failures decide the exit status: 4 is for a run that only the infrastructure kept from passing."""
    app = answering_every(make_app({"DATABASE": str(tmp_path / "a.sqlite3")}), 4, SERVICE_503)
    with serve(answering_every(app, 5, GATEWAY_503)) as url:
        result = run_contract_suite("--base-url", url, *SELECTION)
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED, out
    assert "expected status" in out and "no verdict: gateway 503" in out
    assert "exit status 4" not in out
    # pytest's "N failed" counts both kinds: the summary tells them apart
    outcomes, no_verdict = result.parseoutcomes(), len(case_lines(out, "no verdict: gateway 503"))
    failed = len(re.findall(r"^[\w./-]+: [\w.()]+: expected status", out, re.MULTILINE))
    assert failed and no_verdict and outcomes["failed"] == failed + no_verdict, outcomes
    result.stdout.fnmatch_lines([f"{failed} case(s) failed the contract",
                                 f"{no_verdict} case(s) got no verdict (*): not contract failures; run them again"])
