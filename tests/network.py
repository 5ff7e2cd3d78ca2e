"""A pytest plugin of what several test files share to work with bare sockets and names: fixtures for an IPv6
loopback, a bare HTTP server and a name whose lookup does not end, and functions to send raw bytes and parse answers.

The server (serving_heads) reads each request's head and leaves the answer to the test. The functions are imported
by name, `from network import exchange, parsed`, as tests/conftest.py loads this module.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from urllib.parse import urlsplit

import pytest


def _binds_ipv6_loopback() -> bool:
    """Whether this machine serves on ::1: a container without IPv6 (Docker's default network) cannot bind it."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def ipv6_loopback() -> str:
    """The IPv6 loopback address, "::1"; the test is skipped on a machine that cannot serve on it."""
    if not _binds_ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback address (::1) to serve on")
    return "::1"


def _read_head(client: socket.socket) -> bytes | None:
    """What `client` sends up to the blank line that ends a request's head (with any bytes read past it); None if it
    closes before the head is whole."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(65536)
        if not chunk:
            return None
        head += chunk
    return head


def _linger(client: socket.socket) -> None:
    """End the connection the way a web server does: send FIN after what was written, then read and drop what the
    client still sends until it closes (or 5 s pass). Closing with request bytes unread (a body sent after its head)
    makes the kernel send a reset, which can reach the client before the answer does and make it "reset by peer"."""
    try:
        client.shutdown(socket.SHUT_WR)
        while client.recv(65536):
            pass
    except OSError:  # the handler closed it, the client reset it, or the 5 s ran out
        pass


@contextmanager
def _serving_heads(handle: Callable[[socket.socket, bytes], None]) -> Iterator[str]:
    """Serve on an ephemeral 127.0.0.1 port until the block ends, handing each connection and its request's head to
    `handle` in a thread of its own (the connection is ended when `handle` returns); yields the server's URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def take(client: socket.socket) -> None:
        with client:
            client.settimeout(5)
            head = _read_head(client)
            if head is not None:
                handle(client, head)
            _linger(client)

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed: the test is over
                return
            threading.Thread(target=take, args=(client,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in its thread, which close() alone does not
        listener.close()
        thread.join(timeout=10)


@pytest.fixture(name="serving_heads")
def serving_heads_fixture() -> Callable[[Callable[[socket.socket, bytes], None]], AbstractContextManager[str]]:
    """`with serving_heads(handle) as url:` a bare HTTP server for a test to answer as no real server would: it reads
    each request's head and calls `handle(connection, head)`, which writes what it likes (or nothing) back."""
    return _serving_heads


def listening_port(pid: int) -> int | None:
    """The TCP port process `pid` listens on, read from /proc (Linux), or None while it listens on none: for a server
    started on port 0 that cannot say which port it took (its stderr closed)."""
    sockets = set()
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:  # the process has ended
        return None
    for fd in descriptors:
        with contextlib.suppress(OSError):  # a descriptor closed meanwhile
            sockets.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
    for table in ("tcp", "tcp6"):
        with open(f"/proc/{pid}/net/{table}", encoding="ascii") as rows:
            for row in list(rows)[1:]:  # sl local_address rem_address st ... inode
                local, state, inode = (row.split()[index] for index in (1, 3, 9))
                if state == "0A" and f"socket:[{inode}]" in sockets:  # 0A: LISTEN
                    return int(local.rsplit(":", 1)[1], 16)
    return None


HANGING_NAME = "lookup.hangs.invalid"


@pytest.fixture(name="name_lookup_hangs")
def name_lookup_hangs_fixture(monkeypatch) -> Iterator[str]:
    """A host name whose lookup (socket.getaddrinfo, in this process) does not end until the test does, as with a
    resolver that does not answer; other names are looked up as ever. Yields the name; no proxy variable names a
    proxy for it."""
    released = threading.Event()
    look_up = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host == HANGING_NAME:
            released.wait(60)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return look_up(host, *args, **kwargs)

    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, ",".join(filter(None, [os.environ.get(name, ""), HANGING_NAME])))
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield HANGING_NAME
    released.set()  # the lookups still waiting end: their threads with them


def trickling(status: str, body: bytes, at_once: int, length: bool) -> Callable[[socket.socket, bytes], None]:
    """A handler for serving_heads that writes the first `at_once` bytes of an answer with `status` ("401
    Unauthorized") and the JSON `body`, then the rest a byte every 0.05 s (its body's length given, or read to the
    connection's close), until the client goes away."""
    framing = f"Content-Length: {len(body)}\r\n" if length else ""
    whole = (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{framing}Connection: close\r\n\r\n".encode()
             + body)

    def answer(client: socket.socket, head: bytes) -> None:
        client.sendall(whole[:at_once])
        for byte in whole[at_once:]:
            time.sleep(0.05)
            try:
                client.sendall(bytes([byte]))
            except OSError:  # the client gave up
                return

    return answer


def until_closed(sock: socket.socket) -> bytes:
    """All the server sends on `sock` until it closes the connection."""
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer


def exchange(url: str, raw: bytes, *, timeout: float = 10) -> bytes:
    """Send `raw` on a connection of its own to the server at `url` (http://host:port) and return all it sends back
    until it closes the connection. `timeout` bounds each wait for bytes, so it must outlast any idle timeout the
    server is given to close on."""
    target = urlsplit(url)
    with socket.create_connection((target.hostname, target.port), timeout=timeout) as sock:
        sock.sendall(raw)
        return until_closed(sock)


def parsed(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    """The first final response in `answer` (past any 100 Continue): status, headers (names lowercased), body."""
    head, _, rest = answer.partition(b"\r\n\r\n")
    while head.startswith(b"HTTP/1.1 1"):
        head, _, rest = rest.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, rest[: int(headers.get("content-length", len(rest)))]
