"""The kore_mock fixture's plugin was registered as `kore_mock` before it took its module's name: an old command line
naming it is told in one line what to give now."""

from __future__ import annotations

import pytest

NOW = "the kore_mock fixture's plugin is now named mockserver.pytest_plugin"
# pytest 9.1 and later load the entry point PYTEST_PLUGINS and `pytest_plugins` name; earlier ones import a module
NAMES_ENTRY_POINTS = tuple(int(part) for part in pytest.__version__.split(".")[:2]) >= (9, 1)


@pytest.mark.parametrize(("options", "autoload", "said"), [
    (["-p", "kore_mock"], False, f"-p kore_mock: {NOW}; give -p mockserver.pytest_plugin (or nothing, where plugins"
                                 " load on their own)"),
    (["-p", "kore_mock"], True, f"-p kore_mock: {NOW}; give -p mockserver.pytest_plugin*"),
    (["-p", "no:kore_mock"], True, f"-p no:kore_mock: {NOW}, so it was not left out; give"
                                   " -p no:mockserver.pytest_plugin"),
])
def test_the_old_plugin_name_says_what_to_give_now(pytester, monkeypatch, options, autoload, said):
    """`-p kore_mock` ended in pytest's 'Error importing plugin "kore_mock": No module named 'kore_mock'', naming no
    other; `-p no:kore_mock` said nothing and left the plugin in."""
    if autoload:
        monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    else:
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_client="def test_a_create(kore_mock):\n    assert kore_mock.campaigns() == []\n")
    result = pytester.runpytest_subprocess(*options, "-p", "no:cacheprovider", timeout=120)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str() + result.stderr.str()
    result.stderr.fnmatch_lines([f"ERROR: {said}"])
    assert "Traceback" not in result.stderr.str() and "No module named" not in result.stderr.str()


def test_the_new_names_and_a_run_naming_none_are_not_told(pytester, monkeypatch):
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pytester.makepyfile(test_client="def test_a_create(kore_mock):\n    assert kore_mock.campaigns() == []\n")
    assert pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120).ret == pytest.ExitCode.OK
    left_out = pytester.runpytest_subprocess("-p", "no:mockserver.pytest_plugin", "-p", "no:kore_mock", "-p",
                                             "no:cacheprovider", timeout=120)
    left_out.stdout.fnmatch_lines(["*fixture 'kore_mock' not found*"])


@pytest.mark.skipif(not NAMES_ENTRY_POINTS, reason="this pytest imports PYTEST_PLUGINS' names as modules: there is"
                    " no kore_mock module, so it says 'No module named kore_mock' itself")
@pytest.mark.parametrize("named_by", ["environment", "conftest"])
def test_the_old_name_given_where_plugins_do_not_load_on_their_own_says_what_to_give(pytester, monkeypatch, named_by):
    """PYTEST_PLUGINS=kore_mock, or a conftest's `pytest_plugins = ["kore_mock"]`, loaded the old name's entry point,
    which did nothing: each test asking for the fixture failed "fixture 'kore_mock' not found"."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    if named_by == "environment":
        monkeypatch.setenv("PYTEST_PLUGINS", "kore_mock")
        said = "PYTEST_PLUGINS=kore_mock"
    else:
        pytester.makeconftest('pytest_plugins = ["kore_mock"]\n')
        said = 'pytest_plugins = ["kore_mock"]'
    pytester.makepyfile(test_client="def test_a_create(kore_mock):\n    assert kore_mock.campaigns() == []\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str() + result.stderr.str()
    result.stderr.fnmatch_lines([f"ERROR: {said}: {NOW}; name mockserver.pytest_plugin there"])
    assert "not found" not in result.stdout.str()


@pytest.mark.skipif(not NAMES_ENTRY_POINTS, reason="this pytest imports PYTEST_PLUGINS' names as modules: there is"
                    " no kore_mock module, so it says 'No module named kore_mock' itself")
def test_the_fixture_s_plugin_named_beside_the_old_name_is_not_told(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTEST_PLUGINS", "kore_mock,mockserver.pytest_plugin")
    pytester.makepyfile(test_client="def test_a_create(kore_mock):\n    assert kore_mock.campaigns() == []\n")
    assert pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120).ret == pytest.ExitCode.OK
