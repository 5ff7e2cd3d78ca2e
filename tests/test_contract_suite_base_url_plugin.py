"""The suite next to pytest-base-url (which pytest-playwright and pytest-selenium bring): it shares `--base-url`.

Both registered `--base-url`, and pytest stopped at start-up with "option dest 'base_url' already used". The plugin
below registers the option as pytest-base-url 2.1.0 does, so the test needs neither the package nor a network.
"""

from __future__ import annotations

import pytest

PYTEST_BASE_URL_LIKE = '''
import os


def pytest_addoption(parser):
    parser.addini("base_url", help="base url for the application under test.")
    parser.addoption("--base-url", metavar="url", default=os.getenv("PYTEST_BASE_URL", None),
                     help="base url for the application under test.")


def pytest_configure(config):
    base_url = config.getoption("base_url") or config.getini("base_url")
    if base_url is not None:
        config.option.base_url = base_url
'''


@pytest.fixture
def with_base_url_plugin(pytester, run_contract_suite, monkeypatch):
    pytester.makepyfile(fake_base_url=PYTEST_BASE_URL_LIKE)
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))

    def run(*args: str) -> pytest.RunResult:
        return run_contract_suite("-p", "fake_base_url", *args, subprocess=True)  # PYTHONPATH names the plugin

    return run


def header(result: pytest.RunResult) -> str:
    return next(line for line in result.outlines if line.startswith("contract target:"))


def test_the_suite_runs_when_pytest_base_url_registered_the_option_first(with_base_url_plugin):
    result = with_base_url_plugin("-k", "sample")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str() + result.stderr.str()
    assert header(result).startswith("contract target: the mock, in-process")
    assert result.parseoutcomes()["passed"] >= 1


def test_its_option_is_the_suites_and_the_environment_still_follows(with_base_url_plugin, monkeypatch):
    """The same precedence as without it (test_contract_suite_options), through the other plugin's option."""
    monkeypatch.setenv("CONTRACT_BASE_URL", "http://env.invalid")
    assert "http://env.invalid" in header(with_base_url_plugin("--collect-only"))
    chosen = with_base_url_plugin("--collect-only", "--base-url", "http://option.invalid")
    assert header(chosen).startswith("contract target: http://option.invalid (")
