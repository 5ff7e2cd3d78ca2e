"""A contract run interrupted with Ctrl-C (SIGINT) while the service holds a create it has already stored.

The run still lists what it created, that create among the ones that may have stored a campaign, cleans up with
--delete-created and writes its report (`stopped`: interrupted), with or without pytest-xdist.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mockserver.testing import serve

CONTRACT_SUITE = str(Path(__file__).resolve().parent.parent / "contract_tests")


class Holding:
    """The mock behind a front that passes every request on, but holds the answer to the `held`th create, once the
    mock has stored its campaign, until the test has interrupted the run."""

    def __init__(self, app, held: int) -> None:
        self.app, self.held = app, held
        self.posts = itertools.count(1)
        self.in_hand, self.released = threading.Event(), threading.Event()

    def __call__(self, environ, start_response):
        number = next(self.posts) if environ["REQUEST_METHOD"] == "POST" else 0
        if number != self.held:
            return self.app(environ, start_response)
        answer = b"".join(self.app(environ, lambda *args: None))  # the mock commits
        self.in_hand.set()
        self.released.wait(60)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [answer]


@pytest.fixture
def interrupted_run(pytester, monkeypatch, no_contract_target):
    """interrupted_run(front, *args, group=False): the suite run with ARGS in a subprocess, sent SIGINT once `front`
    holds its create (the whole process group with `group`, as Ctrl-C in a terminal sends it); (exit status,
    output)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("COLUMNS", "80")

    def run(front: Holding, *args: str, group: bool = False) -> tuple[int, str]:
        command = [sys.executable, "-m", "pytest", CONTRACT_SUITE, "-p", "no:cacheprovider", *args]
        # SIGINT as a terminal leaves it: a test run started in the background of a shell would have it ignored
        child = pytester.popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            assert front.in_hand.wait(60), "the run never sent the create to hold"
            if group:
                os.killpg(child.pid, signal.SIGINT)
            else:
                child.send_signal(signal.SIGINT)
            front.released.set()
            output, _ = child.communicate(timeout=120)
        finally:
            front.released.set()
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        return child.returncode, output.decode("utf-8", "replace")

    return run


def test_a_create_interrupted_before_its_answer_is_listed_and_deleted_by_name(interrupted_run, tmp_path,
                                                                                make_app):
    """Ctrl-C while the service held a create it had stored: the summary said "none on ...", and --delete-created
    left the campaign on the sandbox without a word."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    report = tmp_path / "run.json"
    front = Holding(app, held=1)
    with serve(front) as url:
        status, out = interrupted_run(front, "--base-url", url, "--allow-writes", "--delete-created",
                                      "--contract-report", str(report), "-k", "sample/vendor-request")
    left = app.extensions["mock"].store.count_campaigns()
    assert status == pytest.ExitCode.INTERRUPTED, out
    assert "may have created ct-" in out and "case=sample/vendor-request (interrupted before its answer)" in out, out
    assert f"deleted 1 of 1 through {url}/__admin" in out and left == 0, out
    assert json.loads(report.read_text(encoding="utf-8"))["stopped"] == "interrupted"


def test_under_xdist_an_interrupted_run_still_lists_cleans_up_and_reports(interrupted_run, tmp_path, make_app):
    """Under -n 2, Ctrl-C left the run without its "contract campaigns created" section, its clean-up and its
    report: pytest-xdist hands the controller no worker's part once its loop has stopped."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    report = tmp_path / "run.json"
    front = Holding(app, held=4)
    with serve(front) as url:
        status, out = interrupted_run(front, "-p", "xdist", "-n", "2", "--base-url", url, "--allow-writes",
                                      "--delete-created", "--contract-report", str(report), "-k",
                                      "sample or tolerance", group=True)
    left = app.extensions["mock"].store.count_campaigns()
    assert status == pytest.ExitCode.INTERRUPTED, out
    assert "contract campaigns created" in out and "(interrupted before its answer)" in out, out
    assert "deleted " in out and left == 0, out
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["stopped"] == "interrupted" and document["records"], document


def test_a_create_interrupted_after_its_setup_created_the_same_name_is_listed(monkeypatch):
    """A duplicate case's setup creates the campaign its own create names again: a Ctrl-C while that create waited
    went unlisted, the name being among those created, though a service that takes duplicates stores a second."""
    from contract_tests.calls import build_call
    from contract_tests.runner import Runner
    from contract_tests.suite import load_suite
    from contract_tests.target import Target, tenant_facts
    from mockserver.tenant import load_tenant
    from mockserver.testing import running_mock

    suite = load_suite()
    case = next(case for case in suite.cases if case.id == "names/duplicate")
    with running_mock() as mock:
        target = Target(mock.url, tenant_facts(load_tenant(), {}), is_local=True)
        runner = Runner(suite, target, "ct-0000abcd-", allow_writes=True, timeout=10)
        try:
            seq = suite.numbers[case.id]
            [step] = [build_call(suite.base, target, step, runner.prefix, seq) for step in case.before]
            call = build_call(suite.base, target, case.request, runner.prefix, seq)
            assert runner.send(step, case).status == 200 and [c.name for c in runner.created] == [call.campaign_name]

            def interrupted(*args, **kwargs):
                raise KeyboardInterrupt

            monkeypatch.setattr(runner.http, "request", interrupted)
            with pytest.raises(KeyboardInterrupt):
                runner.send(call, case)
        finally:
            runner.close()
    assert [(maybe.name, maybe.why) for maybe in runner.maybe_created] == [
        (call.campaign_name, "interrupted before its answer")]
