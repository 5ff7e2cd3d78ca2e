"""A refusal made before a large body is read reaches a client that goes on sending that body, as Java's HttpClient
and Node's fetch do (they write the body and read the answer at once): the mock reads and drops the rest of the body
before it closes the connection, so the close is no reset that takes the answer with it (RFC 9112, 9.6)."""

from __future__ import annotations

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
