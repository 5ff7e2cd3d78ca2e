"""Answers the suite cannot read whole or in time: cut off mid-body, compressed wrongly, in a Content-Encoding it did
not ask for, or slower than --contract-timeout. Each is the transport's failure, said as such in one line (the run
stops at the first answer, a later case gets no verdict), never a contract failure, and an answer that came is never
called "no answer"."""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

ENVELOPE = b'{"errors":[{"msg":"auth is required","field":"auth","code":4002}]}'


@contextmanager
def raw_target(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A server on an ephemeral 127.0.0.1 port that reads each request's head and lets `answer` write bytes back."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed: the test is over
                return
            with client:
                client.settimeout(5)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = client.recv(65536)
                    if not chunk:
                        break
                    head += chunk
                answer(client)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in its thread, which close() alone does not
        listener.close()
        thread.join(timeout=10)


def answering(status: str, headers: dict[str, str], body: bytes) -> Callable[[socket.socket], None]:
    def answer(client: socket.socket) -> None:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        client.sendall(f"HTTP/1.1 {status}\r\n{head}Connection: close\r\n\r\n".encode() + body)

    return answer


def test_a_connection_cut_mid_answer_is_an_answer_cut_short_not_no_answer(first_case_answer):
    """It read "no answer from ...: ChunkedEncodingError: IncompleteRead(...)", though the target had answered."""
    cut = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Length": "100"}, ENVELOPE[:10])
    with raw_target(cut) as url:
        said = first_case_answer(url)
    assert said == (f"the answer from {url} was cut short (the connection closed mid-answer): ChunkedEncodingError:"
                    " IncompleteRead(10 bytes read, 90 more expected)")


def test_a_body_that_is_not_the_gzip_it_claims_is_an_answer_that_could_not_be_decoded(first_case_answer):
    broken = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                            "Content-Length": str(len(ENVELOPE))}, ENVELOPE)
    with raw_target(broken) as url:
        said = first_case_answer(url)
    assert said.startswith(f"the answer from {url} could not be decoded (its Content-Encoding does not match its"
                           " body): ContentDecodingError: "), said


@pytest.mark.parametrize("encoding", ["br", "compress", "gzip, zstd-fancy"])
def test_a_content_encoding_the_suite_cannot_decode_is_not_judged_as_a_body_that_is_not_json(encoding,
                                                                                             first_case_answer):
    """A gateway that compressed with br regardless (requests decodes it only with the brotli package) gave every
    case a contract failure: "the body is not JSON"."""
    body = gzip.compress(ENVELOPE) if encoding.startswith("gzip") else b"\x8b\x1f\x80compressed"
    undecodable = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Encoding": encoding,
                                                 "Content-Length": str(len(body))}, body)
    with raw_target(undecodable) as url:
        said = first_case_answer(url)
    assert said.startswith(f"{url} answered 401 with Content-Encoding {encoding!r}, which the suite cannot decode (it"
                           " asks for gzip,deflate"), said


def test_a_gzip_answer_is_read_as_its_json(first_case_answer):
    body = gzip.compress(ENVELOPE)
    compressed = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                                "Content-Length": str(len(body))}, body)
    with raw_target(compressed) as url:
        assert first_case_answer(url) == "401"


def test_an_answer_slower_than_the_timeout_names_the_option_that_sets_it(first_case_answer):
    """It said "ReadTimeout: Read timed out. (read timeout=0.3)", naming no option to give a slow service longer."""
    release = threading.Event()
    with raw_target(lambda client: release.wait(5)) as url:
        try:
            said = first_case_answer(url, timeout=0.3)
        finally:
            release.set()
    assert said == (f"no answer from {url}: ReadTimeout: Read timed out. (read timeout=0.3) (no answer within"
                    " --contract-timeout 0.3 s: give a slow service more)")
