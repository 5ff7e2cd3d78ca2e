"""tests/stores_left.py, the plugin that fails a test leaving a mock's store open, and create_app closing the store
of an app it refuses."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mockserver import app as app_module
from mockserver.app import create_app
from mockserver.errors import ConfigError

TESTS = Path(__file__).parent


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the plugin alone: the installed ones cost seconds

    def run(body: str) -> pytest.RunResult:
        pytester.makepyfile(test_it="from mockserver.app import create_app\n\n" + body)
        return pytester.run(sys.executable, "-m", "pytest", "-p", "stores_left", "-p", "no:cacheprovider")
    return run


def test_a_test_leaving_a_store_open_fails_at_teardown_naming_its_database(run):
    result = run("def test_leaks(tmp_path):\n    create_app({'DATABASE': str(tmp_path / 'left.sqlite3')})\n")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*the test left 1 store(s) open: *left.sqlite3*"])


def test_a_test_closing_its_stores_passes_and_one_marked_may_leave_them(run):
    result = run("import pytest\n\n"
                 "def test_tidy():\n"
                 "    create_app({'DATABASE': ':memory:'}).extensions['mock'].store.close()\n\n"
                 "@pytest.mark.leaves_stores_open\n"
                 "def test_marked():\n"
                 "    create_app({'DATABASE': ':memory:'})\n")
    result.assert_outcomes(passed=2)


def test_a_store_made_by_an_earlier_test_is_not_the_next_ones_to_close(run):
    result = run("kept = []\n\n"
                 "def test_first():\n    kept.append(create_app({'DATABASE': ':memory:'}))\n\n"
                 "def test_second():\n    pass\n")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_first*"])


@pytest.mark.parametrize("config", [{"CORS": ""}, {"RATE_LIMIT": "x"}, {"ADMIN_TOKEN": " "}, {"JOURNAL_LIMIT": 0}],
                         ids=["CORS", "RATE_LIMIT", "ADMIN_TOKEN", "JOURNAL_LIMIT"])
def test_a_refused_setting_makes_no_database(tmp_path, config):
    """CORS and RATE_LIMIT were read as their hooks were registered, after the database was made and opened: the
    refused app's store was left open (its thread running, its lock file held), and stores_left fails a test that
    leaves one so."""
    with pytest.raises(ConfigError):
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), **config})
    assert list(tmp_path.iterdir()) == []


def test_an_app_that_cannot_be_built_after_its_database_is_opened_closes_it(tmp_path, monkeypatch):
    stores = []
    opened = app_module.open_store

    def open_store(*args, **kwargs):
        stores.append(opened(*args, **kwargs))
        return stores[-1]

    def broken(app):
        raise RuntimeError("a blueprint that cannot be registered")

    monkeypatch.setattr(app_module, "open_store", open_store)
    monkeypatch.setattr(app_module.faults, "register", broken)
    with pytest.raises(RuntimeError, match="cannot be registered"):
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    assert [store.closed for store in stores] == [True]


def test_a_module_fixture_leaving_a_store_open_fails_the_run_naming_it(run):
    result = run("import pytest\n\n"
                 "@pytest.fixture(scope='module')\n"
                 "def shared(tmp_path_factory):\n"
                 "    return create_app({'DATABASE': str(tmp_path_factory.mktemp('m') / 'shared.sqlite3')})\n\n"
                 "def test_one(shared):\n    pass\n\n"
                 "def test_two(shared):\n    pass\n")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_two*",
                                 "*fixtures of a module or the session left 1 store(s) open: *shared.sqlite3*"])


def test_a_module_fixture_closing_its_store_passes(run):
    result = run("import pytest\n\n"
                 "@pytest.fixture(scope='module')\n"
                 "def shared():\n"
                 "    app = create_app({'DATABASE': ':memory:'})\n"
                 "    yield app\n"
                 "    app.extensions['mock'].store.close()\n\n"
                 "def test_one(shared):\n    pass\n")
    result.assert_outcomes(passed=1)
