"""A refusal made before a large body is read reaches a client that goes on sending that body, as Java's HttpClient
and Node's fetch do (they write the body and read the answer at once): the mock reads and drops the rest of the body
before it closes the connection, so the close is no reset that takes the answer with it (RFC 9112, 9.6)."""

from __future__ import annotations

import contextlib
import select
import socket

import pytest
from network import parsed

WORKER_KINDS = {"sync": ("--threads", "1"), "gthread": ("--threads", "2")}
BODY = 32_000_000  # past the kernel's buffers, the 1 MiB the mock reads and drops, and gunicorn's drain (64 KiB)


@pytest.fixture(params=list(WORKER_KINDS))
def mock(request, shared_mock):
    return shared_mock("--db", ":memory:", *WORKER_KINDS[request.param])


def sent_after_the_answer(mock, head: bytes) -> bytes:
    """Send `head`, wait for the answer to arrive (unread, as a client busy writing leaves it), then send the body
    `head` announced, whole, and read the answer."""
    with socket.create_connection(mock.address, timeout=10) as sock:
        sock.sendall(head)
        assert select.select([sock], [], [], 10)[0], "no answer"
        sock.sendall(b"x" * BODY)  # a broken pipe or reset here is where Java's and Node's clients give up
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def create_head(minted: dict[str, str], token: str) -> bytes:
    path = f"/campaign/api/v2/public/{minted['streamId']}/campaign?accountId={minted['accountId']}&campaignType=voice"
    return (f"POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nauth: {token}\r\n"
            f"accountid: {minted['accountId']}\r\niid: {minted['streamId']}\r\nContent-Length: {BODY}\r\n\r\n").encode()


@pytest.mark.parametrize("refused", ["token", "size"])
def test_a_refusal_on_the_headers_reaches_a_client_still_sending_a_large_body(mock, minted, refused):
    """The 401 of a bad token and the 413 of a body past --max-body were lost now and then by Java's HttpClient
    ("fixed content-length: 166, bytes received: 0") and Node's fetch (EPIPE): the mock closed after gunicorn read
    64 KiB of the rest, and the kernel reset the connection for the bytes still coming."""
    answer = sent_after_the_answer(mock, create_head(minted, "not-a-token" if refused == "token" else minted["token"]))
    status, headers, body = parsed(answer)
    assert (status, headers["connection"]) == ({"token": 401, "size": 413}[refused], "close")
    assert body.startswith(b'{"errors":')


@pytest.mark.parametrize("sending", [False, True])
def test_a_client_that_does_not_close_holds_the_worker_no_longer_than_the_drain(monkeypatch, sending):
    """After the drain's 2 s, gunicorn's own close (util.close_graceful, which both worker kinds call) waited 2 s
    more for a client that neither closed nor stopped sending: a sync worker was held 4 s, twice gunicorn's."""
    import threading
    import time

    from gunicorn import util

    from mockserver import linger

    monkeypatch.setattr(linger, "LINGER_S", 0.3)
    with socket.create_server(("127.0.0.1", 0)) as listener, \
            socket.create_connection(listener.getsockname()) as client:
        server, _ = listener.accept()
        done = threading.Event()

        def send() -> None:
            with contextlib.suppress(OSError):
                while not done.wait(0.05):
                    client.sendall(b"x" * 10)

        sender = threading.Thread(target=send, daemon=True)
        if sending:
            sender.start()
        try:
            started = time.monotonic()
            linger.end_and_drain(server)
            util.close_graceful(server)
            held = time.monotonic() - started
        finally:
            done.set()
    assert held < 0.3 + 1.0, held
