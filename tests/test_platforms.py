"""What runs on Windows: everything but `mockserver serve`, which says so in one line.

This machine is Linux, so each test runs its code in a child Python that first takes away what Windows lacks
(WINDOWS_LIKE): the POSIX modules, fork and its hooks, the signals Windows has no number for. sys.platform is left
as it is: libraries would then look for Windows' own modules, which this machine does not have either.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests

from mockserver.paths import PROJECT_ROOT

WINDOWS_LIKE = """
import os, signal, sys
for name in ("fcntl", "termios", "pwd", "grp", "resource"):
    sys.modules[name] = None
for name in ("fork", "forkpty", "register_at_fork", "killpg", "getpgid", "setsid", "getuid", "geteuid", "getgid"):
    if hasattr(os, name):
        delattr(os, name)
for name in ("SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGKILL", "SIGPIPE", "SIGALRM", "SIGCHLD", "SIGWINCH",
             "SIGTTIN", "SIGTTOU", "pthread_sigmask", "pthread_kill", "setitimer", "alarm", "siginterrupt"):
    if hasattr(signal, name):
        delattr(signal, name)
"""

CLI = "from mockserver.cli import main\nraise SystemExit(main())\n"  # `mockserver ARGS`


def windows_like(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WINDOWS_LIKE + code, *args], capture_output=True, text=True,
                          encoding="utf-8", errors="backslashreplace", timeout=timeout)


def test_the_simulation_takes_away_what_windows_lacks():
    """Without this, the tests below would pass on a POSIX system whatever the code needs."""
    result = windows_like("import os\ntry:\n    import fcntl\nexcept ImportError:\n    print(hasattr(os, 'fork'))\n")
    assert result.stdout.split() == ["False"], result.stderr


IN_PROCESS = """
import requests
from mockserver.contract import load_contract
from mockserver.testing import running_mock
body = load_contract().sample_request
with running_mock(seed=1) as mock:
    first = requests.post(mock.endpoint, json=body, headers=mock.headers, timeout=10)
    again = requests.post(mock.endpoint, json=body, headers=mock.headers, timeout=10)
    chunked = requests.post(mock.endpoint, data=iter([b"{"]), timeout=10,
                            headers={**mock.headers, "Content-Type": "application/json"})
    print(first.status_code, again.status_code, chunked.status_code, [e["status"] for e in mock.journal()])
"""


@pytest.mark.parametrize("gunicorn", ["installed", "absent"])
def test_the_in_process_mock_runs_without_posix(gunicorn):
    """The store registered a fork hook (os.register_at_fork, POSIX only) as it was imported, so `running_mock`
    failed on import on Windows; before that, the app imported gunicorn and the store fcntl. pip installs gunicorn
    there too (it imports, but not its server, which needs fcntl); a client may have left it out."""
    result = windows_like(("import sys\nsys.modules['gunicorn'] = None\n" if gunicorn == "absent" else "") + IN_PROCESS)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("[")[0].split() == ["200", "409", "400"], result.stdout


def test_the_contract_suite_runs_in_process_without_posix(no_contract_target):
    result = windows_like("import pytest\nraise SystemExit(pytest.main())\n", str(PROJECT_ROOT / "contract_tests"),
                          "-p", "no:cacheprovider", "-q", "-k", "names", timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1], result.stdout[-2000:]


READ_ONLY_DATABASE = """
import os, tempfile
from mockserver.testing import running_mock
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "mock.sqlite3")
    open(path, "wb").close()
    access = os.access  # read-only as a user sees it: root may write any file, so chmod would not do
    os.access = lambda name, mode, **kw: False if name == path and mode & os.W_OK else access(name, mode, **kw)
    try:
        with running_mock(database=path):
            pass
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def test_a_read_only_database_is_refused_saying_why_without_posix():
    """Which user owns the file was asked of os.geteuid, which Windows has not: an AttributeError."""
    result = windows_like(READ_ONLY_DATABASE)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ConfigError ") and "is read-only: make it writable" in result.stdout, result.stdout


def test_the_contract_suite_runs_against_a_base_url_without_posix(no_contract_target):
    from mockserver.testing import running_mock

    with running_mock() as mock:
        result = windows_like("import pytest\nraise SystemExit(pytest.main())\n",
                              str(PROJECT_ROOT / "contract_tests"), "-p", "no:cacheprovider", "-q", "-k", "names",
                              "--base-url", mock.url, "--allow-writes", "--delete-created", timeout=120)
        left = mock.campaigns()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1] and left == [], result.stdout[-2000:]


@pytest.mark.parametrize("args", [["--help"], ["token"], ["openapi", "--check"], ["schemas", "--check"],
                                  ["serve", "--help"]])
def test_the_commands_run_without_posix(args):
    """Every command imported serve's module, and so gunicorn and fcntl: on Windows each ended in a traceback."""
    result = windows_like(CLI, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout and "Traceback" not in result.stderr


def test_the_journal_of_an_in_process_mock_is_read_without_posix():
    from mockserver.testing import running_mock

    with running_mock() as mock:
        requests.post(mock.endpoint, json=mock.sample_request(), headers=mock.headers, timeout=10)
        result = windows_like(CLI, "journal", "--url", mock.url, "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [json.loads(line)["status"] for line in result.stdout.splitlines()] == [200], result.stdout


def test_serve_says_in_one_line_that_it_needs_posix():
    result = windows_like(CLI, "serve", "--port", "0", "--db", ":memory:")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("mockserver serve: error: serve needs a POSIX system (Linux, macOS)"), line
    assert "WSL" in line and "running_mock" in line, line
