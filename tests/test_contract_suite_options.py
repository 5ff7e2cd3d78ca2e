"""The suite's options, the pytest-base-url way: option over environment over ini, and a header naming the target."""

from __future__ import annotations

import pytest

from mockserver.paths import DEFAULT_TENANT


def header(result: pytest.RunResult) -> str:
    return next(line for line in result.outlines if line.startswith("contract target:"))


def test_without_options_the_target_is_the_in_process_mock(run_contract_suite):
    result = run_contract_suite("--collect-only")
    assert header(result).startswith("contract target: the mock, in-process on 127.0.0.1")
    assert result.ret == pytest.ExitCode.OK


def test_the_option_wins_over_the_environment_which_wins_over_the_ini(run_contract_suite, monkeypatch):
    ini = ("-o", "contract_base_url=http://ini.invalid")
    assert "http://ini.invalid" in header(run_contract_suite("--collect-only", *ini))
    monkeypatch.setenv("CONTRACT_BASE_URL", "http://env.invalid")
    assert "http://env.invalid" in header(run_contract_suite("--collect-only", *ini))
    chosen = run_contract_suite("--collect-only", *ini, "--base-url", "https://user:pw@option.invalid")
    assert header(chosen).startswith(f"contract target: https://***@option.invalid (tenant {DEFAULT_TENANT}")
    assert "pw@" not in chosen.stdout.str()


def test_the_tenant_option_s_help_names_the_default_file_where_it_is(run_contract_suite, monkeypatch):
    """It said "default fixtures/tenant.json" wherever the suite ran: from a regular install (`--pyargs
    contract_tests`) or another folder, the file read is the package's own, not a fixtures/tenant.json there."""
    monkeypatch.setenv("COLUMNS", "1000")  # the path on one line, whatever its length
    result = run_contract_suite("--help")
    assert f"(default {DEFAULT_TENANT})" in result.stdout.str()


def test_the_header_names_the_default_tenant_file_where_it_is(run_contract_suite):
    """The header said "tenant fixtures/tenant.json" run from any folder, where no such file may be: the help's
    fix, the header's too."""
    assert f"(tenant {DEFAULT_TENANT}; " in header(run_contract_suite("--collect-only"))


def test_a_target_that_never_answers_stops_the_run_in_one_line(run_contract_suite, free_port):
    """Not the same failure once per case: nothing can pass against a service that is not there."""
    result = run_contract_suite("--base-url", f"http://127.0.0.1:{free_port}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["*ERROR at setup of test_contract?auth/missing?*",
                                 "contract suite: auth/missing: no answer from http://127.0.0.1:*: ConnectionError: *",
                                 "*contract suite: */*: no answer from http://127.0.0.1:*: ConnectionError: *refused*"])
    # every mention is of the case it stopped at: no more cases ran. How many mentions depends on pytest's
    # short summary, which is cut to the terminal's width except where the CI variable is set.
    mentions = [line for line in result.stdout.lines if "no answer from" in line]
    assert len(mentions) >= 2
    assert all("auth/missing" in line for line in mentions), mentions
    assert result.parseoutcomes() == {"errors": 1}
    assert "Traceback" not in result.stdout.str()
    assert "During handling" not in result.stdout.str()


@pytest.mark.parametrize(("bad_base_url", "reason"), [
    ("platform.example", "must be http:// or https:// and name a host"),
    ("ftp://platform.example", "must be http:// or https:// and name a host"),
    ("https://", "must be http:// or https:// and name a host"),
    ("http://user:secret@[::1", "is not a URL: Invalid IPv6 URL"),
    ("http://user:secret@platform.example:70000", "is not a URL: Port out of range"),
    ("http://127.0.0.1:8080?x=1", "must not have a query (?...) or fragment (#...)"),
    ("http://127.0.0.1:8080/#f", "must not have a query (?...) or fragment (#...)"),
    ("http://127.0.0.1:8080?", "must not have a query (?...) or fragment (#...)"),
    ("http://user:secret@127.0.0.1:8080\n", "has white space or a control character in it"),  # a secret's line end
    (" http://127.0.0.1:8080", "has white space or a control character in it"),
])
def test_a_bad_base_url_is_one_usage_line_without_its_credentials(run_contract_suite, bad_base_url, reason):
    result = run_contract_suite("--base-url", bad_base_url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: base URL '*' {reason}*"])
    assert "secret" not in result.stderr.str() + result.stdout.str()
    assert "Traceback" not in result.stderr.str()


def test_a_report_path_that_cannot_be_written_is_refused_before_any_case_runs(run_contract_suite, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    for path, reason in ((tmp_path, "it is a directory"), (blocker / "report.json", f"{blocker} is not a directory")):
        result = run_contract_suite("--contract-report", str(path), "-k", "sample")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines([f"ERROR: contract suite: {path}: cannot write the contract report: {reason}"])
        assert "passed" not in result.stdout.str()  # nothing ran


def test_a_bad_tenant_file_is_one_usage_line(run_contract_suite, tmp_path):
    broken = tmp_path / "tenant.json"
    broken.write_text('{"accounts": [{"accountId": "a"}]}', encoding="utf-8")
    result = run_contract_suite("--tenant", str(broken))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {broken}: not a valid tenant file*: accounts[[]0[]].apps is"
                                 " required; accounts[[]0[]].streams is required"])


@pytest.mark.parametrize(("args", "variable", "said"), [
    (["--base-url", ""], None, "--base-url is empty"), ([], "", "$CONTRACT_BASE_URL is set but empty"),
    (["--tenant", ""], None, "argument --tenant: empty value"),
    (["--contract-report", ""], None, "argument --contract-report: empty value"),
])
def test_an_empty_option_or_variable_is_refused_not_read_as_left_out(run_contract_suite, monkeypatch, args,
                                                                     variable, said):
    """`--base-url "$URL"` with URL unset, or a CI secret that did not load, tested the in-process mock where the
    service was meant, and passed; `--contract-report ''` wrote no report, `--tenant ''` read the default one."""
    if variable is not None:
        monkeypatch.setenv("CONTRACT_BASE_URL", variable)
    result = run_contract_suite("--collect-only", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert said in result.stderr.str()
