"""Answers the suite cannot read whole or in time: cut off mid-body, compressed wrongly, in a Content-Encoding it did
not ask for, or slower than --contract-timeout. Each is the transport's failure, said as such in one line (the run
stops at the first answer, a later case gets no verdict), never a contract failure, and an answer that came is never
called "no answer"."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable

import pytest
from network import trickling

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
    assert said == f"no answer from {url} within --contract-timeout 0.3 s: give a slow service more"



@pytest.mark.parametrize(("at_once", "length", "said"), [
    (0, True, "no answer from {url} within --contract-timeout 0.5 s: give a slow service more"),
    (100, True, "the answer from {url} (401) was not whole within --contract-timeout 0.5 s"),
    (100, False, "the answer from {url} (401) was not whole within --contract-timeout 0.5 s"),
], ids=["head trickled", "body trickled", "body read to its close trickled"])
def test_an_answer_trickled_a_byte_at_a_time_is_bounded_by_the_timeout_as_a_whole(first_case_answer, serving_heads,
                                                                                   at_once, length, said):
    """Each byte came well within the timeout, which requests applies to each read alone: a case took as long as the
    target liked (a byte a second: for ever), and an answer read to its close was judged on the part that had come."""
    with serving_heads(trickling("401 Unauthorized", ENVELOPE, at_once, length)) as url:
        started = time.monotonic()
        answered = first_case_answer(url, timeout=0.5)
        took = time.monotonic() - started
    assert answered.startswith(said.format(url=url)), answered
    assert took < 3, took


@pytest.mark.parametrize("whose", ["target", "proxy"])
def test_a_name_lookup_that_does_not_end_is_bounded_by_the_timeout_too(first_case_answer, name_lookup_hangs,
                                                                       monkeypatch, whose):
    """The deadline cut the connection's socket, and a name is looked up before there is one: a resolver that did not
    answer held a case for as long as the system's resolver gave it (tens of seconds), whatever --contract-timeout
    said. The target's name and its proxy's alike."""
    url = f"http://{name_lookup_hangs}:8080"
    route = ""
    if whose == "proxy":
        url = "http://mock.example.invalid:8080"  # a name the proxy looks up, not this machine
        monkeypatch.setenv("HTTP_PROXY", f"http://{name_lookup_hangs}:3128")
        route = (f" through the proxy http://{name_lookup_hangs}:3128 (HTTP_PROXY; NO_PROXY lists the hosts reached"
                 " directly)")
    started = time.monotonic()
    said = first_case_answer(url, timeout=0.5)
    took = time.monotonic() - started
    assert said == f"no answer from {url}{route} within --contract-timeout 0.5 s: give a slow service more"
    assert took < 3, took  # the lookup given 60 s by the fixture


def test_a_name_looked_up_at_once_is_answered_as_ever(first_case_answer, serving_heads):
    refusal = answering("401 Unauthorized", {"Content-Type": "application/json",
                                             "Content-Length": str(len(ENVELOPE))}, ENVELOPE)
    with serving_heads(refusal) as url:
        assert first_case_answer(url.replace("127.0.0.1", "localhost"), timeout=5) == "401"
