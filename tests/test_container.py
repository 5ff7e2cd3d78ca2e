"""`mockserver serve` as a container runs it: a read-only root file system but for the --db folder, a limit on
processes, a uid without privileges."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile

import pytest
import requests

from mockserver import process, server
from mockserver.errors import ConfigError

# `mockserver serve` with no usable temporary folder, as under a read-only root file system without a writable /tmp:
# Python's tempfile then fails as it does there (the folder it names cannot be written)
WITHOUT_TEMP = ("import sys, tempfile; tempfile.tempdir = sys.argv.pop(1); from mockserver.cli import main;"
                " sys.exit(main())")


def serve_without_temp(tmp_path, *args: str) -> list[str]:
    return [sys.executable, "-c", WITHOUT_TEMP, str(tmp_path / "no-such-temp"), "serve", "--host", "127.0.0.1",
            "--port", "0", "--log-level", "info", *args]


def test_workers_start_without_a_writable_temporary_folder(tmp_path, contract, minted):
    database = tmp_path / "data" / "mock.sqlite3"
    started = process.start_gunicorn(serve_without_temp(tmp_path, "--db", str(database)))
    try:
        response = requests.post(
            f"{started.url}/campaign/api/v2/public/{minted['streamId']}/campaign",
            params={"accountId": minted["accountId"], "campaignType": "voice"},
            headers={"auth": minted["token"], "accountid": minted["accountId"], "iid": minted["streamId"]},
            json=contract.sample_request, timeout=10,
        )
    finally:
        started.kill()
    assert response.status_code == 200, response.text
    assert started.process.returncode == 0
    assert "Traceback" not in "".join(started.output)


def test_the_heartbeat_folder_is_the_database_folder_when_nothing_else_can_be_written(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "MEMORY_BACKED_FOLDER", str(tmp_path / "no-shm"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-temp"))
    (tmp_path / "data").mkdir()
    assert server.heartbeat_folder(str(tmp_path / "data" / "mock.sqlite3")) == str((tmp_path / "data").resolve())
    (tmp_path / "no-temp").mkdir()
    assert server.heartbeat_folder(str(tmp_path / "data" / "mock.sqlite3")) == str(tmp_path / "no-temp")


def test_a_memory_database_without_a_temporary_folder_is_refused_in_one_line(tmp_path):
    done = subprocess.run(serve_without_temp(tmp_path, "--db", ":memory:"), capture_output=True, text=True,
                          timeout=60, encoding="utf-8")
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "--db :memory: keeps its throwaway database in the temporary folder" in done.stderr
    assert "TMPDIR" in done.stderr


# `mockserver serve` whose second fork of a worker is refused, as under a container's limit on processes (pids.max)
# (the Nth fork by the function named first on the command line; then the command's own arguments)
FORK_REFUSED = """
import errno, os, sys
caller, refused, real_fork, forks = sys.argv.pop(1), int(sys.argv.pop(1)), os.fork, []
def fork():
    if sys._getframe(1).f_code.co_name == caller:
        forks.append(1)
        if len(forks) == refused:
            raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))
    return real_fork()
os.fork = fork
from mockserver.cli import main
sys.exit(main())
"""


def serve_with_a_fork_refused(tmp_path, caller: str, refused: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", FORK_REFUSED, caller, str(refused), "serve", "--port", "0",
                           "--workers", "2", "--db", str(tmp_path / "mock.sqlite3")],
                          capture_output=True, text=True, timeout=60, encoding="utf-8")


def test_a_worker_that_cannot_be_forked_stops_the_server_in_one_line(tmp_path):
    done = serve_with_a_fork_refused(tmp_path, "spawn_worker", 2)
    assert done.returncode == 4, done.stderr
    assert "mockserver: a worker could not start, so the server stops: cannot fork it: Resource temporarily" \
        " unavailable\n" in done.stderr
    assert "Traceback" not in done.stderr
    assert re.search(r"mockserver: stopped \(exit status 4; pid \d+\)\n\Z", done.stderr), done.stderr


def test_a_configuration_check_that_cannot_be_forked_is_refused_in_one_line(tmp_path):
    done = serve_with_a_fork_refused(tmp_path, "in_child", 1)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "mockserver serve: error: cannot fork the process that checks the configuration: Resource" \
        " temporarily unavailable\n"


def test_a_privileged_port_refused_to_a_user_says_why(monkeypatch):
    """A non-root uid (a container's) given --port 80 was told 'Permission denied' alone."""
    import errno
    import socket

    def refused(self, address):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(socket.socket, "bind", refused)
    with pytest.raises(ConfigError) as said:
        server.check_address("127.0.0.1", 80)
    assert str(said.value) == ("cannot listen on 127.0.0.1:80: Permission denied: a port below 1024 needs root, or the"
                               " capability CAP_NET_BIND_SERVICE (choose a --port from 1024, 8080 say)")


# `mockserver serve` as PID 1, sent SIGTERM while its command modules are still being imported (building the
# parser), before serve takes SIGTERM over: the kernel gives PID 1 no default action for it
AS_PID_1 = ("import os, signal, sys; os.getpid = lambda: 1; from mockserver import cli; build = cli.build_parser;"
            " cli.build_parser = lambda: (signal.raise_signal(signal.SIGTERM), build())[1];"
            " sys.exit(cli.main(['serve', '--port', '0', '--db', sys.argv[1]]))")


def test_a_sigterm_to_pid_1_before_serve_takes_it_over_stops_it(tmp_path):
    """A container's orchestrator that stopped the mock in its first second (a rollout undone) had its SIGTERM
    dropped by the kernel, and waited out its grace period to kill it; the stand-in for PID 1 here would die of it
    instead (exit status -15), as an ordinary process does."""
    result = subprocess.run([sys.executable, "-c", AS_PID_1, str(tmp_path / "mock.sqlite3")], capture_output=True,
                            text=True, timeout=60, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # stopped before anything started: no traceback, no folder or file made
    assert list(tmp_path.iterdir()) == []


# The same SIGTERM to an ordinary process (a CI job stopping the mock it has just started), and one sent to another
# command once it runs, which keeps SIGTERM's ordinary end
AS_A_PROCESS = AS_PID_1.replace(" os.getpid = lambda: 1;", "")
TENANT_TERMINATED = ("import signal, sys; from mockserver import cli; from mockserver.commands import tenant;"
                     " tenant.run = lambda args: signal.raise_signal(signal.SIGTERM); sys.exit(cli.main(['tenant']))")


@pytest.mark.parametrize("argv", [["openapi", "--check"], ["tenant"], ["--version"]])
def test_a_sigterm_to_another_command_as_it_starts_ends_it_as_sigterm_does(argv):
    """`mockserver openapi --check` stopped while its modules were imported ended with status 0, as if it had
    passed: a CI job cancelled then read a check that never ran as one that found no difference."""
    starting = AS_A_PROCESS.replace("['serve', '--port', '0', '--db', sys.argv[1]]", repr(argv))
    result = subprocess.run([sys.executable, "-c", starting], capture_output=True, text=True, timeout=60,
                            encoding="utf-8")
    assert result.returncode == -signal.SIGTERM, result.stderr


def test_a_sigterm_before_serve_takes_it_over_stops_it_with_status_0(tmp_path):
    """The README's "SIGTERM stops it, with exit status 0 ..., also while it is still starting": one that came while
    the command modules were imported (0.1 to 0.35 s into the start) killed it, exit status 143 in a shell."""
    result = subprocess.run([sys.executable, "-c", AS_A_PROCESS, str(tmp_path / "mock.sqlite3")],
                            capture_output=True, text=True, timeout=60, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []
    other = subprocess.run([sys.executable, "-c", TENANT_TERMINATED], capture_output=True, text=True, timeout=60,
                           encoding="utf-8")
    assert other.returncode == -signal.SIGTERM, other.stderr
