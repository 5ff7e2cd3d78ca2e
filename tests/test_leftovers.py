"""tests/leftovers.py, the plugin that fails a run whose tests leave files in its temporary directory."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the plugin alone: the installed ones cost seconds
    root = pytester.mkdir("temp-root")  # the machine's temporary directory, as the run sees it
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.delenv("PYTEST_DEBUG_TEMPROOT")  # pytester's own, which would hide where the plugin puts tmp_path

    def run(body: str, *options: str) -> tuple[pytest.RunResult, str | None]:
        pytester.makepyfile(test_it=body)
        # a plain run: runpytest_subprocess would give it a --basetemp, and hide where tmp_path goes
        result = pytester.run(sys.executable, "-m", "pytest", "-p", "leftovers", "-p", "no:cacheprovider", *options)
        named = re.search(r"in their temporary directory (\S+):", result.stdout.str())
        if named:  # kept for a look at what was left: this test's own leftover, removed
            shutil.rmtree(named[1])
        return result, named[1] if named else None
    run.root = root
    return run


def test_a_test_that_leaves_a_folder_behind_fails_the_run_naming_it(run):
    result, folder = run("import tempfile\n\ndef test_leaks():\n    tempfile.mkdtemp(prefix='left-')\n")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["the tests left 1 entry in their temporary directory *: left-*", "*1 passed*"])
    assert folder is not None and Path(folder).name.startswith("kore-mock-tests-")


def test_a_run_that_cleans_up_passes_and_its_folder_goes(run):
    result, folder = run("import tempfile\n\ndef test_tidy(tmp_path):\n    with tempfile.TemporaryDirectory() as d:\n"
                         "        (tmp_path / 'f').write_text('x')\n")
    assert result.ret == pytest.ExitCode.OK and folder is None
    assert "temporary directory" not in result.stdout.str()


def test_a_failing_run_that_left_nothing_removes_its_folder_and_keeps_tmp_path_where_pytest_keeps_it(run):
    # pytest keeps the last three runs' tmp_path folders for a look at a failure; the run's own folder would
    # otherwise stay behind, one more on every failing run
    result, folder = run("import os\n\ndef test_fails(tmp_path):\n"
                         "    print('TMPDIR=' + os.environ['TMPDIR'] + ' TMP_PATH=' + str(tmp_path))\n"
                         "    assert False\n")
    assert result.ret == pytest.ExitCode.TESTS_FAILED and folder is None
    seen = re.search(r"TMPDIR=(\S+) TMP_PATH=(\S+)", result.stdout.str())
    assert seen is not None, result.stdout.str()
    own, tmp_path = Path(seen[1]), Path(seen[2])
    assert own.name.startswith("kore-mock-tests-") and not own.exists()
    assert tmp_path.exists() and own.parent in tmp_path.parents and own not in tmp_path.parents


@pytest.mark.parametrize("option", ["--help", "--markers"])
def test_a_run_of_no_tests_removes_its_folder(run, option):
    # pytest configures and stops without a session: each such run had left an empty folder behind
    result, folder = run("def test_unrun():\n    pass\n", option)
    assert result.ret == pytest.ExitCode.OK and folder is None
    assert not [path.name for path in run.root.iterdir() if path.name.startswith("kore-mock-tests-")]
