"""The kore_mock fixture's plugin was registered as `kore_mock` before it took its module's name: an old command line
naming it is told in one line what to give now."""

from __future__ import annotations

import pytest

NOW = "the kore_mock fixture's plugin is now named mockserver.pytest_plugin"


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
