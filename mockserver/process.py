"""Start `mockserver serve` as a child process on an ephemeral 127.0.0.1 port, and stop it (tests, benchmarks)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

LISTENING = re.compile(r"Listening at: (https?://(?:[\d.]+|\[[\da-fA-F:.]+\]):\d+)")  # IPv4, or IPv6 in brackets


def alive(pid: int) -> bool:
    """Whether a process with this pid runs (someone else's counts). Windows has no signal 0 (os.kill would end the
    process there), and no other process shares a store with this one: only this process is known alive."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: alive
        return True
    return True


@dataclass
class ServerProcess:
    process: subprocess.Popen
    url: str = ""
    output: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """(host, port), for a raw socket.create_connection."""
        parts = urllib.parse.urlsplit(self.url)
        return parts.hostname or "", parts.port or 0

    def kill(self, sig: int = signal.SIGTERM) -> None:
        """Signal the whole process group: the gunicorn master and its workers."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if self.reader is not None:
            self.reader.join(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()


def _pump(server: ServerProcess, found: threading.Event) -> None:
    for line in server.process.stderr:
        server.output.append(line)
        match = LISTENING.search(line)
        if match and not found.is_set():
            server.url = match.group(1)
            found.set()
    found.set()


def _wait_for_workers(server: ServerProcess, deadline: float, verify: bool | str) -> None:
    import requests

    with requests.Session() as session:
        session.trust_env = False  # its own child on this machine: an HTTP_PROXY (without NO_PROXY) cannot reach it
        while time.monotonic() < deadline:
            try:
                if session.get(f"{server.url}/__admin/health", timeout=2, verify=verify).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet; or no worker took it in time
                time.sleep(0.05)
    raise RuntimeError("mock server did not answer its health check:\n" + "".join(server.output))


def start(*serve_args: str, timeout: float = 30.0, verify: bool | str = True) -> ServerProcess:
    """`verify`, as requests takes it, for an HTTPS mock: the CA bundle that trusts its certificate."""
    command = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", "0",
               "--log-level", "info", *serve_args]
    return start_gunicorn(command, timeout, verify)


def start_gunicorn(command: list[str], timeout: float = 30.0, verify: bool | str = True,
                   cwd: str | os.PathLike | None = None) -> ServerProcess:
    """Run a gunicorn command logging at info (its "Listening at" line gives the URL); wait for /__admin/health."""
    # Read as UTF-8 whatever the locale, and whatever the server writes in (PYTHONIOENCODING may name another):
    # a byte that is not UTF-8 is shown as an escape, not the end of the reading thread
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, encoding="utf-8",
                               errors="backslashreplace", start_new_session=True, cwd=cwd)
    server = ServerProcess(process)
    found = threading.Event()
    server.reader = threading.Thread(target=_pump, args=(server, found), daemon=True, name="mockserver-serve-output")
    server.reader.start()
    try:
        found.wait(timeout)
        if not server.url:
            raise RuntimeError("mock server did not start:\n" + "".join(server.output))
        _wait_for_workers(server, time.monotonic() + timeout, verify)
    except BaseException:  # its own failure, or the caller's Ctrl-C or SIGTERM while it started: it must not outlive
        server.kill()  # SIGTERM (its cleanup runs), then SIGKILL if it has not stopped within 10 s
        raise
    return server


@contextmanager
def running(*serve_args: str, verify: bool | str = True) -> Iterator[ServerProcess]:
    server = start(*serve_args, verify=verify)
    try:
        yield server
    finally:
        server.kill()
