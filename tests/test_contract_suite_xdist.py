"""The contract suite under pytest-xdist (`-n 2`), as a CI job runs it: one run, however many workers ran its cases.

Each worker runs part of the cases in a pytest session of its own; the report, the list of campaigns created, the
clean-up (--delete-created) and the exit status are the run's, gathered on the controller, as without -n.
"""

from __future__ import annotations

import json
import re

import pytest

from mockserver.testing import serve

XDIST = ("-p", "xdist", "-n", "2")  # the subprocess auto-loads no plugin (see run_contract_suite)


def campaigns_in(app) -> int:
    return app.extensions["mock"].store.count_campaigns()


def record_ids(report) -> list[str]:
    return [record["id"] for record in json.loads(report.read_text(encoding="utf-8"))["records"]]


def test_the_report_holds_every_case_once_in_the_suite_order_as_a_run_without_xdist_does(run_contract_suite,
                                                                                       tmp_path, make_app):
    """Each worker wrote the report over the other's: it held one worker's cases (134 of 223) and that worker's own
    run prefix, so parity counted the rest "missing in one report"."""
    serial, spread = tmp_path / "serial.json", tmp_path / "spread.json"
    with serve(make_app({"DATABASE": ":memory:"})) as url:
        one = run_contract_suite("--base-url", url, "--contract-report", str(serial), "-k", "auth or name")
        two = run_contract_suite(*XDIST, "--base-url", url, "--contract-report", str(spread), "-k", "auth or name")
    assert (one.ret, two.ret) == (pytest.ExitCode.OK, pytest.ExitCode.OK), two.stdout.str()
    assert record_ids(spread) == record_ids(serial) and len(record_ids(serial)) > 20
    outcomes = two.parseoutcomes()
    assert len(record_ids(spread)) == outcomes["passed"] + outcomes["skipped"]
    document = json.loads(spread.read_text(encoding="utf-8"))
    assert re.fullmatch(r"ct-[0-9a-f]{8}-", document["runPrefix"]) and document["stopped"] is None
    assert document["target"] == url


def test_one_run_prefix_names_every_campaign_and_one_clean_up_deletes_them(run_contract_suite, tmp_path, make_app):
    """Under -n 2 the "contract campaigns created" section was missing (the controller had no runner), each worker
    named its campaigns with a prefix of its own, and what --delete-created did was said nowhere."""
    report = tmp_path / "run.json"
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(app) as url:
        result = run_contract_suite(*XDIST, "--base-url", url, "--allow-writes", "--delete-created",
                                    "--contract-report", str(report), "-k", "sample or tolerance")
        left = campaigns_in(app)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    prefix = json.loads(report.read_text(encoding="utf-8"))["runPrefix"]
    listed = re.findall(r"^  (ct-.+?)  id=", result.stdout.str(), re.MULTILINE)
    created = len(listed)
    result.stdout.fnmatch_lines(["*= contract campaigns created =*",
                                 f"{created} campaign(s) on {url}, all named {prefix}...:"])
    assert created > 5 and all(name.startswith(prefix) for name in listed), listed
    numbered = [name for name in listed if re.fullmatch(r"ct-\w+-\d{4}", name)]
    assert numbered == sorted(numbered) and len(numbered) > 5  # in the suite's order, as the names number the cases
    result.stdout.fnmatch_lines([f"deleted {created} of {created} through {url}/__admin"])
    assert result.stdout.str().count("deleted ") == 1 and left == 0


def test_the_in_process_mock_of_each_worker_is_counted_in_the_summary(run_contract_suite, tmp_path):
    report = tmp_path / "run.json"
    result = run_contract_suite(*XDIST, "--contract-report", str(report), "-k", "sample or tolerance")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    created = result.parseoutcomes()["passed"]
    result.stdout.fnmatch_lines([f"{created} campaign(s) in the in-process mocks of 2 workers, discarded with"
                                 " their databases"])
    assert len(record_ids(report)) == created
    assert json.loads(report.read_text(encoding="utf-8"))["target"].startswith("in-process mock")


def test_a_run_that_stops_says_why_in_one_line_with_exit_status_4_not_an_internal_error(run_contract_suite,
                                                                                       tmp_path, free_port):
    """pytest.exit in a worker is an INTERNALERROR in pytest-xdist (its issue 1239): a traceback of its own code,
    exit status 3, and the report's `stopped` named the first case's own no-answer line."""
    gone = f"http://127.0.0.1:{free_port}"
    report = tmp_path / "run.json"
    result = run_contract_suite(*XDIST, "--base-url", gone, "--contract-report", str(report))
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, output
    assert "INTERNALERROR" not in output and "Traceback" not in output
    assert re.search(rf"contract suite: \S+: no answer from {gone}: ConnectionError", output), output
    document = json.loads(report.read_text(encoding="utf-8"))
    assert re.fullmatch(rf"\S+: no answer from {gone}: ConnectionError.*", document["stopped"]), document["stopped"]


def test_a_run_stopped_by_x_exits_1_and_its_report_holds_the_cases_of_every_worker(run_contract_suite, tmp_path,
                                                                                   make_app):
    """With -x, pytest-xdist ends the run as interrupted (exit status 2, as for Ctrl-C), and the report held one
    worker's records."""
    report = tmp_path / "run.json"
    app = make_app({"DATABASE": ":memory:"})

    def no_auth_needed(environ, start_response):  # the case auth/missing fails
        if "HTTP_AUTH" not in environ and environ["PATH_INFO"].startswith("/campaign/"):
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"status": "success", "data": {}}']
        return app(environ, start_response)

    with serve(no_auth_needed) as url:
        result = run_contract_suite(*XDIST, "--base-url", url, "--contract-report", str(report), "-x",
                                    "-k", "auth or name")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 1
    assert len(record_ids(report)) == sum(outcomes.get(key, 0) for key in ("passed", "skipped", "failed"))
    assert re.fullmatch(r"stopping after \d+ failures", json.loads(report.read_text(encoding="utf-8"))["stopped"])
