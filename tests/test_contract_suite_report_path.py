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


@pytest.mark.parametrize("option", ["--help", "--markers"])
def test_asking_for_help_keeps_an_earlier_report_and_checks_nothing(run_contract_suite, tmp_path, option):
    """`--help` ran the up-front checks: it removed the report an earlier run had left at the path."""
    report = tmp_path / "report.json"
    assert run_contract_suite("--contract-report", str(report), "-k", "sample", "-q").ret == pytest.ExitCode.OK
    kept = report.read_bytes()
    result = run_contract_suite("--contract-report", str(report), "--contract-cases", str(tmp_path / "none"), option)
    assert result.ret == pytest.ExitCode.OK
    assert report.read_bytes() == kept


def test_a_report_that_cannot_be_written_at_the_end_is_said_on_its_own_line(run_contract_suite, pytester, tmp_path,
                                                                            monkeypatch):
    report = tmp_path / "report.json"
    pytester.makepyfile(take_report_path=PATH_TAKEN_MID_RUN)
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    monkeypatch.setenv("TAKE_REPORT_PATH", str(report))
    result = run_contract_suite("-p", "take_report_path", "--contract-report", str(report), "-k", "sample", "-q",
                                subprocess=True)  # PYTHONPATH names the plugin
    # 4, the tool's: it was 3, which says --delete-created left campaigns, and it hid a case's failure (1)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines([f"contract suite: {report}: cannot write the contract report: Is a directory"])


FAILING_CASE = '''{"group": "team", "cases": [{"id": "wrong-on-purpose", "description": "expects what no mock answers",
  "request": {"body": {"json": {}}}, "expect": {"status": 200}}]}
'''


def test_a_report_that_cannot_be_written_keeps_the_exit_status_of_a_broken_contract(run_contract_suite, pytester,
                                                                                    tmp_path, monkeypatch):
    report, cases = tmp_path / "report.json", tmp_path / "cases"
    cases.mkdir()
    (cases / "team.json").write_text(FAILING_CASE, encoding="utf-8")
    pytester.makepyfile(take_report_path=PATH_TAKEN_MID_RUN)
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    monkeypatch.setenv("TAKE_REPORT_PATH", str(report))
    result = run_contract_suite("-p", "take_report_path", "--contract-report", str(report), "--contract-cases",
                                str(cases), "-k", "wrong-on-purpose", "-q", subprocess=True)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*cannot write the contract report*"])


EARLIER_REPORT = '{"format": "kore-contract-report/1", "target": "x", "records": [{"id": "a", "status": 200}]}\n'


@pytest.mark.parametrize("refusal", [
    ("--base-url", "ftp://nowhere"),
    ("--base-url", "http://127.0.0.1:9", "--tenant", "no-such-tenant.json"),
], ids=["bad-base-url", "bad-tenant"])
def test_a_run_refused_before_its_cases_leaves_no_report_of_an_earlier_run(run_contract_suite, tmp_path, refusal):
    """A nightly job whose live run was refused at start (exit status 4) found last night's report at the path,
    and `mockserver parity` compared that one, exiting 0, as if tonight's run had matched."""
    report = tmp_path / "live.json"
    report.write_text(EARLIER_REPORT, encoding="utf-8")
    result = run_contract_suite(*refusal, "--contract-report", str(report))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert not report.exists()


@pytest.mark.parametrize("held", ['{"mine": true}\n', "not JSON at all\n"])
def test_a_file_at_the_report_path_that_is_not_a_report_is_refused_and_left_as_it_was(run_contract_suite, tmp_path,
                                                                                       held):
    """`--tenant my.json --contract-report my.json` replaced the tenant file, credentials and all, with the report."""
    report = tmp_path / "notes.json"
    report.write_text(held, encoding="utf-8")
    result = run_contract_suite("--contract-report", str(report), "-k", "sample")
    assert result.ret == pytest.ExitCode.USAGE_ERROR and report.read_text(encoding="utf-8") == held
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {report}: the file there is not a contract report, and the"
                                 " report would replace it: *"])


def test_an_empty_file_at_the_report_path_takes_the_report(run_contract_suite, tmp_path):
    """As `mktemp` makes one for a job to pass on."""
    report = tmp_path / "made.json"
    report.touch()
    written = run_contract_suite("--contract-report", str(report), "-k", "sample")
    assert written.ret == pytest.ExitCode.OK and '"records"' in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("earlier", [EARLIER_REPORT, None], ids=["to-a-report", "dangling"])
def test_a_report_path_that_is_a_symbolic_link_is_written_through(run_contract_suite, tmp_path, earlier):
    """The link was replaced by a file and its target kept last night's report; a dangling one left an empty file
    where it pointed."""
    target, link = tmp_path / "nightly.json", tmp_path / "latest.json"
    if earlier is not None:
        target.write_text(earlier, encoding="utf-8")
    link.symlink_to(target.name)
    written = run_contract_suite("--contract-report", str(link), "-k", "sample")
    assert written.ret == pytest.ExitCode.OK and link.is_symlink()
    assert '"records"' in target.read_text(encoding="utf-8") and '"id": "a"' not in target.read_text(encoding="utf-8")
