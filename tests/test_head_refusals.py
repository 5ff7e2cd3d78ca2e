"""A HEAD request refused before the app sees it is answered with the refusal's head alone, on both servers.

RFC 9110 (9.3.2) and RFC 9112 (6.3): an answer to HEAD ends with its header section, whatever its Content-Length
says. The app's own answers were stripped of their body (Flask), but the refusals the workers and the in-process
server make themselves (a bad header, a line too long, `HEAD *`) carried the envelope after the head, which a client
reading no body takes for the start of the next answer."""

from __future__ import annotations

import json

import pytest
from network import exchange, parsed

HEAD_REFUSED = {
    "asterisk": (b"HEAD * HTTP/1.1\r\nHost: mock\r\n\r\n", 400),
    "control-character": (b"HEAD /__admin/health HTTP/1.1\r\nHost: mock\r\nX-Note: a\x01b\r\n\r\n", 400),
    "no-host": (b"HEAD /__admin/health HTTP/1.1\r\n\r\n", 400),
    "line-too-long": (b"\r\nHEAD /__admin/health?x=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: mock\r\n\r\n", 414),
    "too-many-headers": (b"HEAD /__admin/health HTTP/1.1\r\nHost: mock\r\n" + b"X-B: 1\r\n" * 101 + b"\r\n", 431),
    "expectation": (b"HEAD /__admin/health HTTP/1.1\r\nHost: mock\r\nExpect: 200-ok\r\n\r\n", 417),
    "version": (b"HEAD /__admin/health HTTP/2.0\r\nHost: mock\r\n\r\n", 505),
    # refused as gunicorn reads the body's framing, once the head is parsed and before a request is made of it
    "content-length": (b"HEAD /__admin/health HTTP/1.1\r\nHost: mock\r\nContent-Length: x\r\n\r\n", 400),
    "length-and-chunked": (b"HEAD /__admin/health HTTP/1.1\r\nHost: mock\r\nContent-Length: 1\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n", 400),
}


@pytest.fixture(params=["sync", "gthread", "in-process"])
def url(request, shared_mock):
    if request.param == "in-process":
        from mockserver.testing import running_mock

        with running_mock() as served:
            yield served.url
        return
    yield shared_mock("--db", ":memory:", "--threads", "1" if request.param == "sync" else "2").url


@pytest.mark.parametrize("raw, status", HEAD_REFUSED.values(), ids=HEAD_REFUSED.keys())
def test_a_head_request_refused_before_the_app_gets_the_head_alone(url, raw, status):
    answer = exchange(url, raw)
    head, _, after = answer.partition(b"\r\n\r\n")
    got, headers, _ = parsed(answer)
    assert (got, headers["content-type"], after) == (status, "application/json", b"")
    assert int(headers["content-length"]) > 0  # what a GET's refusal would carry


def test_a_get_refused_so_still_gets_the_envelope(url):
    _, _, body = parsed(exchange(url, b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nX-Note: a\x01b\r\n\r\n"))
    assert json.loads(body)["errors"][0]["code"] == 4000
