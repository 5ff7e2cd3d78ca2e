"""gthread workers under a low limit on open files (`ulimit -n 64` on a shared sandbox): connections past what the
limit leaves room for wait to be taken, and an accept refused for want of a file pauses the worker's taking of
connections; neither stops the worker, and no traceback is logged."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests

from mockserver import process, workers

resource = pytest.importorskip("resource")
pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")


def serve_under_limit(files: int, *serve_args: str) -> process.ServerProcess:
    """`mockserver serve` with its limit on open files lowered to `files` first (`ulimit -n` in its shell)."""
    run = ("import resource, runpy, sys; hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1];"
           f" resource.setrlimit(resource.RLIMIT_NOFILE, ({files}, hard)); sys.argv[0] = 'mockserver';"
           " runpy.run_module('mockserver', run_name='__main__')")
    return process.start_gunicorn([sys.executable, "-c", run, "serve", "--host", "127.0.0.1", "--port", "0",
                                   "--log-level", "info", *serve_args])


def worker_pids(server: process.ServerProcess) -> set[int]:
    with open(f"/proc/{server.process.pid}/task/{server.process.pid}/children", encoding="ascii") as children:
        return {int(pid) for pid in children.read().split()}


def assert_no_worker_lost(server: process.ServerProcess, workers: set[int]) -> None:
    output = "".join(server.output)
    assert "Traceback" not in output and "exited with code" not in output, output
    assert worker_pids(server) == workers


def test_connections_past_the_limit_wait_to_be_taken(tmp_path, minted, sample_body):
    """300 connections opened at once, then 16 clients creating, on 2 workers of 8 threads under `ulimit -n 64`: each
    worker died on 'Too many open files' in gunicorn's accept, and the ones started in their place too, with a
    traceback each time, and gunicorn logged 45 more ('Socket error processing request.') for connections it had
    taken but could not wait on."""
    server = serve_under_limit(64, "--threads", "8", "--db", str(tmp_path / "mock.sqlite3"))
    try:
        workers = worker_pids(server)
        silent = [socket.create_connection(server.address) for _ in range(300)]
        time.sleep(1)  # the workers take what they take of them
        for sock in silent:
            sock.close()
        url = (f"{server.url}/campaign/api/v2/public/{minted['streamId']}/campaign?accountId={minted['accountId']}"
               "&campaignType=voice")
        headers = {"auth": minted["token"], "accountid": minted["accountId"], "iid": minted["streamId"]}
        statuses: list[int] = []

        def create(first: int) -> None:
            with requests.Session() as session:
                session.trust_env = False
                for n in range(first, 80, 16):
                    body = dict(sample_body, name=f"Limit {n}")
                    statuses.append(session.post(url, json=body, headers=headers, timeout=30).status_code)

        clients = [threading.Thread(target=create, args=(first,)) for first in range(16)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        assert statuses == [200] * 80
        assert_no_worker_lost(server, workers)
        assert "leaves room for: the others wait to be taken; raise the limit for more" in "".join(server.output)
    finally:
        server.kill()


@pytest.mark.skipif(not hasattr(resource, "prlimit"), reason="lowers a running worker's limit (Linux)")
@pytest.mark.parametrize("threads", ["1", "2"], ids=["sync", "gthread"])
def test_an_accept_refused_for_want_of_a_file_pauses_the_worker_rather_than_stop_it(tmp_path, threads):
    """Every file the limit allows held (another file open meanwhile, or the whole system's limit reached; a sync
    worker under `ulimit -n 16` once its store's threads opened their connections): the worker died on gunicorn's
    accept with a traceback, and its connections with it."""
    server = process.start("--threads", threads, "--workers", "1", "--db", str(tmp_path / "mock.sqlite3"))
    try:
        [worker] = workers = worker_pids(server)
        limits = resource.prlimit(worker, resource.RLIMIT_NOFILE)
        resource.prlimit(worker, resource.RLIMIT_NOFILE, (3, limits[1]))  # it holds 0 to 2 and more: no new one
        answered: list[int] = []
        asking = threading.Thread(target=lambda: answered.append(
            requests.get(f"{server.url}/__admin/health", timeout=20).status_code))
        asking.start()
        time.sleep(0.5)  # the accept is refused meanwhile
        resource.prlimit(worker, resource.RLIMIT_NOFILE, limits)
        asking.join()
        assert answered == [200]
        assert_no_worker_lost(server, workers)
        needs = {"1": "1 thread needs 27 at least: raise it", "2": "2 threads needs 30 at least: raise it, or give"
                 " fewer --threads"}[threads]
        assert ("A worker could not take a connection: Too many open files: the limit on open files (ulimit -n) is 3,"
                f" and a worker of {needs}; it takes none until then (it tries again every 1 s)") in "".join(
            server.output)
    finally:
        server.kill()


class Said:
    """A logger's stand-in that keeps the lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def warning(self, message: str, *args: object) -> None:
        self.lines.append(message % args)


@pytest.mark.parametrize(("limit", "words"), [
    (4096, "Too many open files; it takes none for 1 s (raise ulimit -n)"),  # another file held meanwhile: it passes
    (20, "Too many open files: the limit on open files (ulimit -n) is 20, and a worker of 4 threads needs 36 at least:"
         " raise it, or give fewer --threads; it takes none until then (it tries again every 1 s)"),
])
def test_an_accept_refused_for_want_of_a_file_says_whether_the_pause_lasts(monkeypatch, limit, words):
    """A limit lowered under the worker below what its own files need keeps it paused, each accept refused, until
    the limit is raised; the line said "it takes none for 1 s", and no other line came (a repeated line is logged
    once a minute)."""
    monkeypatch.setattr(workers.open_files, "limit", lambda: limit)
    said = Said()
    assert workers.files_full(said, OSError(errno.EMFILE, os.strerror(errno.EMFILE)), 4)
    assert not workers.files_full(said, OSError(errno.ECONNABORTED, os.strerror(errno.ECONNABORTED)), 4)
    assert said.lines == [f"A worker could not take a connection: {words}"]


def lowest_free_file(pid: int) -> int:
    """The number the process's next file gets: the lowest not in use."""
    held = {int(name) for name in os.listdir(f"/proc/{pid}/fd")}
    return next(number for number in range(len(held) + 1) if number not in held)


@pytest.mark.skipif(not hasattr(resource, "prlimit"), reason="lowers a running worker's limit (Linux)")
def test_a_gthread_worker_with_one_file_left_answers_the_connection_it_takes(tmp_path):
    """The limit lowered under a running worker (`prlimit --pid PID --nofile=N`) to leave room for one file: the
    accepted connection took it, and gunicorn's wait for its first bytes could not make its selector (an epoll
    file), so the connection was closed unanswered with 'Socket error processing request' and a traceback."""
    server = process.start("--threads", "4", "--workers", "1", "--db", str(tmp_path / "mock.sqlite3"))
    try:
        [worker] = workers = worker_pids(server)
        with requests.Session() as session:
            session.trust_env = False
            for _ in range(8):  # the threads' and the store's own files are open before the limit is lowered
                assert session.get(f"{server.url}/__admin/health", timeout=20).status_code == 200
        time.sleep(0.5)  # the journal's batch is written
        limits = resource.prlimit(worker, resource.RLIMIT_NOFILE)
        resource.prlimit(worker, resource.RLIMIT_NOFILE, (lowest_free_file(worker) + 1, limits[1]))
        try:
            status = requests.get(f"{server.url}/__admin/health", timeout=20).status_code
        finally:
            resource.prlimit(worker, resource.RLIMIT_NOFILE, limits)
        assert status in (200, 503)  # 503: a thread that had not opened the database could not
        assert_no_worker_lost(server, workers)
        assert "Socket error" not in "".join(server.output)
    finally:
        server.kill()


def test_serve_refuses_a_limit_on_open_files_too_low_for_a_worker(tmp_path):
    """Under `ulimit -n 16` the server started, and each sync worker, once its store's threads had opened their
    connections, died on 'Too many open files' in gunicorn's accept, with a traceback, at each request that came."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    serve = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--db",
                              str(tmp_path / "mock.sqlite3")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, encoding="utf-8", start_new_session=True,
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (16, hard)))
    try:
        _, said = serve.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.communicate(timeout=30)
        pytest.fail("serve started under ulimit -n 16")
    assert (serve.returncode, said) == (2, "mockserver serve: error: the limit on open files (ulimit -n) is 16, and"
                                           " a worker of 1 thread needs 27 at least: raise it\n")
    assert not (tmp_path / "mock.sqlite3").exists()


@pytest.mark.parametrize(("code", "advice"), [
    (errno.EMFILE, "; the worker has as many files open as its limit allows (ulimit -n 20): whoever runs the mock can"
                   " raise it, and it answers again once files are free"),
    (errno.ENFILE, "; the system has as many files open as it allows: whoever runs the mock can look"),
    (None, ""),  # a file that cannot be opened for another reason: SQLite's words alone, as before
])
def test_a_database_that_cannot_be_opened_for_want_of_a_file_says_so(monkeypatch, code, advice):
    """A worker's thread opening its connection at the limit (lowered under it by prlimit) was answered 503 with
    SQLite's "unable to open database file" alone, which sent its reader to the file."""
    from mockserver import store_layout

    def refused(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    if code is not None:
        monkeypatch.setattr(os, "open", refused)
    monkeypatch.setattr(workers.open_files, "limit", lambda: 20)
    exc = sqlite3.OperationalError("unable to open database file")
    exc.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN
    assert store_layout.explained(exc, serving=True) == f"unable to open database file{advice}"
