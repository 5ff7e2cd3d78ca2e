"""What runs on Windows: the in-process mock and the contract suite.

This machine is Linux, so each test runs its code in a child Python that first takes away what Windows lacks
(WINDOWS_LIKE): the POSIX modules, fork and its hooks, the signals Windows has no number for. sys.platform is left
as it is: libraries would then look for Windows' own modules, which this machine does not have either.
"""

from __future__ import annotations

import subprocess
import sys

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


def test_the_in_process_mock_runs_without_posix():
    """The store registered a fork hook (os.register_at_fork, POSIX only) as it was imported, so `running_mock`
    failed on import on Windows; before that, the app imported gunicorn and the store fcntl."""
    result = windows_like(IN_PROCESS)
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
