"""The contract suite run by its package name, as from a regular install: `pytest --pyargs contract_tests` with the
suite's options. pytest reads a conftest's options only from the paths on its command line, before it turns
--pyargs names into paths, so they were refused as unrecognised arguments."""

from __future__ import annotations

import json

import pytest

ONE_CASE = ("-k", "sample/vendor-request")


@pytest.fixture
def run_by_name(pytester, monkeypatch, no_contract_target):
    """`pytest --pyargs contract_tests ARGS` in a subprocess, from a folder outside the checkout, with the entry-point
    plugins a user's environment loads (the kore_mock one among them)."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)

    def run(*args: str) -> pytest.RunResult:
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=120)

    return run


def test_the_suite_takes_its_options_when_run_by_its_package_name(run_by_name, pytester):
    report = pytester.path / "report.json"
    result = run_by_name("--pyargs", "contract_tests", "--contract-report", str(report), "--contract-timeout", "10",
                         *ONE_CASE)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str() + result.stdout.str()
    assert [r["id"] for r in json.loads(report.read_text(encoding="utf-8"))["records"]] == ["sample/vendor-request"]


def test_the_suite_named_by_a_module_takes_its_options_too(run_by_name):
    result = run_by_name("--pyargs", "contract_tests.test_contract", "--contract-timeout", "10", *ONE_CASE)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str() + result.stdout.str()


def test_the_plugin_named_with_p_is_loaded_once(run_by_name, monkeypatch):
    """Where plugins are not auto-loaded, `-p contract_tests.plugin` gives the options; the suite's conftest then
    registers nothing twice (its options were added twice, and pytest stopped)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = run_by_name("-p", "contract_tests.plugin", "--pyargs", "contract_tests", "--contract-timeout", "10",
                         *ONE_CASE)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str() + result.stdout.str()


def test_a_teams_ini_may_hold_the_suites_settings_in_its_own_runs(run_by_name, pytester):
    """A team's ini file names its cases and sandbox for `pytest --pyargs contract_tests`; its runs of its own tests,
    which load no contract suite, refused the two settings as unknown under --strict-config (an error under
    filterwarnings = error, a warning on every run otherwise). The package's pytest plugin declares them."""
    pytester.makefile(".ini", pytest="[pytest]\naddopts = --strict-config\nfilterwarnings = error\n"
                                     "contract_cases = contract-cases\ncontract_base_url = http://127.0.0.1:9\n")
    pytester.makepyfile(test_ours="def test_ours(kore_mock):\n    assert kore_mock.campaigns() == []\n")
    result = run_by_name("test_ours.py")
    assert result.ret == pytest.ExitCode.OK, result.stderr.str() + result.stdout.str()
    result.assert_outcomes(passed=1)


def test_the_plugin_declares_the_ini_settings_the_suite_reads():
    from contract_tests.settings import BASE_URL, CASES
    from mockserver.pytest_plugin import CONTRACT_INI

    assert [(name, kind) for name, kind, _ in CONTRACT_INI] == [
        (setting.ini, "paths" if setting.several else "string") for setting in (BASE_URL, CASES)]
