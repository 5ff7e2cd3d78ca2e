"""A report path is tried for real before the run; one that still fails at the end says so on a line of its own."""

from __future__ import annotations

import pytest

# Makes the report path a directory once the up-front check has passed, so the write at the end fails.
PATH_TAKEN_MID_RUN = '''
import os


def pytest_collection_finish(session):
    os.mkdir(os.environ["TAKE_REPORT_PATH"])
'''


def test_a_report_path_that_passes_the_checks_but_cannot_be_created_is_refused_before_any_case(run_contract_suite):
    """/proc/r.json passed the folder checks and failed after the run, glued to its progress line, exit status 3."""
    result = run_contract_suite("--contract-report", "/proc/r.json", "-k", "sample")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: contract suite: /proc/r.json: cannot write the contract report: *"])
    assert "passed" not in result.stdout.str()


def test_the_up_front_check_leaves_no_file_behind(run_contract_suite, tmp_path):
    report = tmp_path / "new" / "report.json"
    result = run_contract_suite("--contract-report", str(report), "--collect-only")
    assert result.ret == pytest.ExitCode.OK
    assert not report.exists()


def test_a_report_that_cannot_be_written_at_the_end_is_said_on_its_own_line(run_contract_suite, pytester, tmp_path,
                                                                            monkeypatch):
    report = tmp_path / "report.json"
    pytester.makepyfile(take_report_path=PATH_TAKEN_MID_RUN)
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    monkeypatch.setenv("TAKE_REPORT_PATH", str(report))
    result = run_contract_suite("-p", "take_report_path", "--contract-report", str(report), "-k", "sample", "-q")
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    result.stdout.fnmatch_lines([f"contract suite: {report}: cannot write the contract report: Is a directory"])
