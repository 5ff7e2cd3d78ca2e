"""The contract suite run by these tests in their own process (conftest.py's run_contract_suite) has a deadline, as
one in a subprocess has: a run that hangs fails its test in words, not CI's job at the job's own limit."""

from __future__ import annotations

import threading
import time

import pytest


def test_a_run_against_a_target_that_never_answers_fails_at_its_deadline(run_contract_suite, serving_heads):
    released = threading.Event()
    started = time.monotonic()
    with serving_heads(lambda connection, head: released.wait(30)) as url:
        try:
            with pytest.raises(pytest.fail.Exception) as failed:
                run_contract_suite("--base-url", url, "--contract-timeout", "60", timeout=1)
        finally:
            released.set()
    assert time.monotonic() - started < 20
    said = str(failed.value)
    assert said.startswith("the contract suite's run took more than 1 s and was stopped; it was at\n"), said
    assert "contract_tests" in said.split("its output:")[0], said  # where it hung: the suite's own calls


def test_a_run_within_its_deadline_leaves_no_alarm_behind(run_contract_suite):
    import signal

    before = signal.getsignal(signal.SIGALRM)
    result = run_contract_suite("--co", "-q", timeout=60)
    assert result.ret == pytest.ExitCode.OK
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
