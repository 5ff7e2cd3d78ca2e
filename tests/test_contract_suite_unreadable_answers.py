"""Answers the suite cannot read whole or in time: cut off mid-body, compressed wrongly, in a Content-Encoding it did
not ask for, or slower than --contract-timeout. Each is the transport's failure, said as such in one line (the run
stops at the first answer, a later case gets no verdict), never a contract failure, and an answer that came is never
called "no answer"."""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Callable

import pytest

ENVELOPE = b'{"errors":[{"msg":"auth is required","field":"auth","code":4002}]}'


def answering(status: str, headers: dict[str, str], body: bytes) -> Callable[[socket.socket, bytes], None]:
    """A handler for serving_heads that writes this answer, then closes the connection."""

    def answer(client: socket.socket, head: bytes) -> None:
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        client.sendall(f"HTTP/1.1 {status}\r\n{lines}Connection: close\r\n\r\n".encode() + body)

    return answer


def test_a_connection_cut_mid_answer_is_an_answer_cut_short_not_no_answer(first_case_answer, serving_heads):
    """It read "no answer from ...: ChunkedEncodingError: IncompleteRead(...)", though the target had answered."""
    cut = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Length": "100"}, ENVELOPE[:10])
    with serving_heads(cut) as url:
        said = first_case_answer(url)
    assert said == (f"the answer from {url} was cut short (the connection closed mid-answer): ChunkedEncodingError:"
                    " IncompleteRead(10 bytes read, 90 more expected)")


def test_a_body_that_is_not_the_gzip_it_claims_is_an_answer_that_could_not_be_decoded(first_case_answer,
                                                                                     serving_heads):
    broken = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                            "Content-Length": str(len(ENVELOPE))}, ENVELOPE)
    with serving_heads(broken) as url:
        said = first_case_answer(url)
    assert said.startswith(f"the answer from {url} could not be decoded (its Content-Encoding does not match its"
                           " body): ContentDecodingError: "), said


@pytest.mark.parametrize("encoding", ["br", "compress", "gzip, zstd-fancy"])
def test_a_content_encoding_the_suite_cannot_decode_is_not_judged_as_a_body_that_is_not_json(encoding,
                                                                                             first_case_answer,
                                                                                             serving_heads):
    """A gateway that compressed with br regardless (requests decodes it only with the brotli package) gave every
    case a contract failure: "the body is not JSON"."""
    body = gzip.compress(ENVELOPE) if encoding.startswith("gzip") else b"\x8b\x1f\x80compressed"
    undecodable = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Encoding": encoding,
                                                 "Content-Length": str(len(body))}, body)
    with serving_heads(undecodable) as url:
        said = first_case_answer(url)
    assert said.startswith(f"{url} answered 401 with Content-Encoding {encoding!r}, which the suite cannot decode (it"
                           " asks for gzip,deflate"), said


def test_a_gzip_answer_is_read_as_its_json(first_case_answer, serving_heads):
    body = gzip.compress(ENVELOPE)
    compressed = answering("401 Unauthorized", {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                                "Content-Length": str(len(body))}, body)
    with serving_heads(compressed) as url:
        assert first_case_answer(url) == "401"


def test_an_answer_slower_than_the_timeout_names_the_option_that_sets_it(first_case_answer, serving_heads):
    """It said "ReadTimeout: Read timed out. (read timeout=0.3)", naming no option to give a slow service longer."""
    release = threading.Event()
    with serving_heads(lambda client, head: release.wait(5)) as url:
        try:
            said = first_case_answer(url, timeout=0.3)
        finally:
            release.set()
    assert said == (f"no answer from {url}: ReadTimeout: Read timed out. (read timeout=0.3) (no answer within"
                    " --contract-timeout 0.3 s: give a slow service more)")
