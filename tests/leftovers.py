"""A pytest plugin: the run gets a temporary directory of its own, and fails if its tests leave anything in it.

Every test cleans up what it starts; a test that left its files behind (a database in a `tempfile.mkdtemp()` no one
removed) went unseen, one more folder in the machine's temporary directory on each run. TMPDIR is set for the whole
run (xdist's workers and every subprocess inherit it), and the folder is checked once the tests are done: anything
in it but pytest's own `pytest-of-*` fails the run, naming what was left. The folder is kept when something was left
in it, for a look, and removed otherwise, whatever the run's outcome, and after `pytest --help`, which runs no tests.
`tmp_path` folders stay where pytest keeps them (`pytest-of-<user>` in the machine's temporary directory, the last
three runs' kept for a look at a failure): inside the run's folder, each failing run would leave one more folder
behind for good.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

FOLDER = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: its controller has set TMPDIR for it
        return
    # pytest reads the variable when it first makes a tmp_path, so set it before TMPDIR changes (a user's own wins)
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
    folder = tempfile.mkdtemp(prefix="kore-mock-tests-")
    config.stash[FOLDER] = folder
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder  # this process had read TMPDIR already


def left_in(folder: str) -> list[str]:
    """What the tests left in the run's temporary directory, pytest's own folders aside."""
    return sorted(name for name in os.listdir(folder) if not name.startswith("pytest-of-"))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.config.stash.get(FOLDER, None)
    if folder is None or not os.path.isdir(folder):
        return
    left = left_in(folder)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            shown = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
            reporter.write_line("")  # ends the progress line
            reporter.section("files left behind", sep="-", red=True)
            reporter.line(f"the tests left {len(left)} entr{'y' if len(left) == 1 else 'ies'} in their temporary"
                                f" directory {folder}: {shown}", red=True)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    # here rather than at the session's end: `pytest --help` and `--markers` configure and stop without a session
    folder = config.stash.get(FOLDER, None)
    if folder is not None and os.path.isdir(folder) and not left_in(folder):
        shutil.rmtree(folder, ignore_errors=True)
