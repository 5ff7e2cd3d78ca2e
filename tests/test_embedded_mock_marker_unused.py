"""A kore_mock marker set on a test that does not use the kore_mock fixture: its options go nowhere, so a warning of
the plugin's own class says so; a class's or module's marker, which may cover tests of both kinds, is left alone."""

from __future__ import annotations

import pytest

CLIENT_TESTS = '''
import pytest

from mockserver.testing import running_mock

pytestmark = pytest.mark.kore_mock(RATE_LIMIT="60/min")  # covers the tests below that do not use the fixture too


@pytest.fixture(scope="module")
def shared_mock():
    with running_mock() as mock:
        yield mock


@pytest.fixture
def client(request):
    return request.getfixturevalue("kore_mock")


@pytest.mark.kore_mock(seed=1)
def test_shared_mock_with_a_marker(shared_mock):
    assert shared_mock.app.config["SEED"] is None


@pytest.mark.parametrize("run", [1, pytest.param(2, marks=pytest.mark.kore_mock(seed=2))])
def test_a_parameter_with_a_marker(shared_mock, run):
    pass


@pytest.mark.kore_mock(seed=3)
def test_the_fixture(kore_mock):
    assert kore_mock.app.config["SEED"] == 3


@pytest.mark.kore_mock(seed=4)
def test_the_fixture_asked_for_as_the_test_runs(request):
    assert request.getfixturevalue("kore_mock").app.config["SEED"] == 4


@pytest.mark.kore_mock(seed=5)
def test_the_fixture_asked_for_by_another(client):
    pass


@pytest.mark.kore_mock(seed=6)
def test_that_fails_before_asking(shared_mock):
    assert False


def test_the_module_marker_alone(shared_mock):
    pass


@pytest.mark.kore_mock(seed=7)
class TestAClass:
    def test_the_class_marker_alone(self, shared_mock):
        pass
'''

WARNED = ["test_shared_mock_with_a_marker", "test_a_parameter_with_a_marker[2]"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:randomly", *args)


def test_a_marker_on_a_test_without_the_fixture_is_warned_of(pytester, monkeypatch):
    """@pytest.mark.kore_mock(seed=1) on a test using a shared mock of its own was ignored without a word, the test
    run unseeded."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    result = run(pytester, "-W", "default::mockserver.pytest_plugin.KoreMockMarkerWarning")  # this run's is error
    # no count of all warnings: in this process, pytest's "Module already imported so cannot be rewritten" of
    # mockserver and contract_tests, which an earlier test imported, counts among the run's; the plugin's own are
    # counted below
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines_random([
        "*KoreMockMarkerWarning: @pytest.mark.kore_mock(seed=1) does nothing on test_shared_mock_with_a_marker: the"
        " test does not use the kore_mock fixture, which reads it (a mock the test starts itself is given its options"
        " there: running_mock(seed=1))",
        "*KoreMockMarkerWarning: @pytest.mark.kore_mock(seed=2) does nothing on test_a_parameter_with_a_marker?2?:*",
    ])
    assert result.stdout.str().count("KoreMockMarkerWarning:") == 2


def test_the_warning_is_a_failure_under_w_error(pytester, monkeypatch):
    """A failure of one line, as a refused marker option is: the plugin's frames say nothing of the test."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    result = run(pytester, "-W", "error::mockserver.pytest_plugin.KoreMockMarkerWarning")
    result.assert_outcomes(passed=6, failed=3)
    # not " - <message>" after each: pytest 8.4 writes none for a failure given as text
    result.stdout.fnmatch_lines_random([f"FAILED test_client.py::{name.replace('[', '[[]')}*" for name in WARNED])
    result.stdout.fnmatch_lines_random(["KoreMockMarkerWarning: @pytest.mark.kore_mock(seed=?) does nothing on"
                                        f" {name.replace('[', '[[]')}: *" for name in WARNED])
    assert "pytest_plugin.py" not in result.stdout.str()
