"""HTTP/1.1 on the wire, as the in-process mock (mockserver.testing, werkzeug's server in a thread) speaks it: the
same refusals, in the same envelope, as `mockserver serve` makes before its app sees a request
(tests/test_http_wire.py holds the served mock to them)."""

from __future__ import annotations

import json
import socket
import struct
import time

import pytest
import requests
from network import exchange, parsed, until_closed

from mockserver.app import DEFAULTS
from mockserver.failures import failure
from mockserver.testing import STOP_WAIT_S, running_mock
from mockserver.wire import FIELD_SIZE_MAX, FIELDS_MAX, REQUEST_LINE_MAX

IDLE = 2  # IDLE_TIMEOUT: how long a body may stop arriving before a 408


@pytest.fixture(scope="module")
def served():
    with running_mock(IDLE_TIMEOUT=IDLE) as mock:
        yield mock


@pytest.fixture(params=["in-process", "served"])
def either(request, served, shared_mock):
    """The in-process mock, or a `mockserver serve` (sync workers) to hold it to."""
    if request.param == "in-process":
        return served
    return shared_mock("--db", ":memory:", "--idle-timeout", str(IDLE))


def address(mock) -> tuple[str, int]:
    host, port = mock.url.removeprefix("http://").split(":")
    return host, int(port)


def health(*lines: str, version: str = "HTTP/1.1") -> bytes:
    return "\r\n".join([f"GET /__admin/health {version}", *lines, "", ""]).encode("latin-1")


def create_head(mock, *lines: str, token: str | None = None) -> bytes:
    path = mock.endpoint.split(mock.url, 1)[1]
    sent = {**mock.headers, **({"auth": token} if token else {})}
    head = [f"POST {path} HTTP/1.1", "Host: mock", "Connection: close", "Content-Type: application/json",
            *(f"{name}: {value}" for name, value in sent.items()), *lines, "", ""]
    return "\r\n".join(head).encode("latin-1")


HOST_INVALID = "Invalid HTTP Header: 'HOST' (given more than once, or its value holds a control character)"
# what gunicorn's "Invalid HTTP Header: 'X-NOTE'" leaves unsaid: a control character in the value, or a line
# that is no `name: value` (the rest of a value split over two lines)
CONTROL = (" (its value holds a control character, such as a carriage return or line break at its end: send the value"
           " alone, on one line)")
NO_FIELD = (" (not a header line, which is name: value: is this the rest of a value split over two lines? send it"
            " on one line)")
REFUSED = {  # request, failure row, detail: each as `mockserver serve` refuses it
    "expectation": (health("Host: mock", "Expect: foo"), "http.expectation", "'foo'"),
    "no-host": (health("Connection: close"), "http.malformed", "an HTTP/1.1 request needs a Host header"),
    "two-hosts": (health("Host: a", "Host: b"), "http.malformed",
                  "Invalid HTTP Header: 'HOST' (given more than once, or its value holds a control character)"),
    "two-lengths": (health("Host: mock", "Content-Length: 1", "Content-Length: 2"), "http.malformed",
                    "Invalid HTTP Header: 'CONTENT-LENGTH' (given more than once, not a whole number, or sent with"
                    " Transfer-Encoding)"),
    "length-not-a-number": (health("Host: mock", "Content-Length: -1"), "http.malformed",
                            "Invalid HTTP Header: 'CONTENT-LENGTH' (given more than once, not a whole number, or"
                            " sent with Transfer-Encoding)"),
    "length-and-chunked": (health("Host: mock", "Content-Length: 5", "Transfer-Encoding: chunked"),
                           "http.malformed", "Invalid HTTP Header: 'CONTENT-LENGTH' (given more than once, not a whole"
                                             " number, or sent with Transfer-Encoding)"),
    "chunked-in-1.0": (health("Transfer-Encoding: chunked", version="HTTP/1.0"), "http.malformed",
                       "Invalid HTTP Header: 'TRANSFER-ENCODING' (chunked given twice or not last, no chunked, or"
                       " chunked in HTTP/1.0)"),
    "folded": (health("Host: mock", "X-Note: a", " b"), "http.malformed",
               "Obsolete line folding is unacceptable: 'X-NOTE'"),
    "control-character": (health("Host: mock", "X-Note: a\x01b"), "http.malformed",
                          f"Invalid HTTP Header: 'X-NOTE'{CONTROL}"),
    "token-read-with-its-crlf": (health("Host: mock", "auth: eyJ.e30.c2ln\r"), "http.malformed",
                                 f"Invalid HTTP Header: 'AUTH'{CONTROL}"),
    "space-before-colon": (health("Host : mock"), "http.malformed", "Invalid HTTP header name: 'Host '"),
    "no-colon": (health("Host: mock", "X-Note"), "http.malformed", f"Invalid HTTP Header: 'X-Note'{NO_FIELD}"),
    # the rest of a token that went on to a line of its own: quoted in its first characters, not whole
    "token-split-over-two-lines": (health("Host: mock", "auth: eyJhbGciOiJIUzI1NiJ9.", "eyJhcHBJZCI6ImNzLTUifQ.c2ln"),
                                   "http.malformed", f"Invalid HTTP Header: 'eyJhcHBJZCI6...{NO_FIELD}"),
    # the rest of a token in capitals and digits reads as a field's name: quoted as briefly, and told it has no colon
    "capital-rest-of-a-token": (health("Host: mock", "x-api-key: 8F3A9C", "0D4E7B21A6C95F3E8D7B2A1C"), "http.malformed",
                                f"Invalid HTTP Header: '0D4E7B21A6C9...{NO_FIELD}"),
    # a line of capitals alone, a name without its colon, was told its value held a control character
    "no-colon-in-capitals": (health("Host: mock", "X-NOTE"), "http.malformed",
                             f"Invalid HTTP Header: 'X-NOTE'{NO_FIELD}"),
    "host-alone": (health("Host: mock", "HOST"), "http.malformed", f"Invalid HTTP Header: 'HOST'{NO_FIELD}"),
    "long-name-with-a-control-character": (health("Host: mock", "X-" + "N" * 4000 + ": a\x01"), "http.malformed",
                                           f"Invalid HTTP Header: 'X-NNNNNNNNNN...{CONTROL}"),
    "lower-case-method": (b"get /__admin/health HTTP/1.1\r\nHost: mock\r\n\r\n", "http.malformed",
                          "Invalid HTTP method: 'get'"),
    "non-ascii-target": ("GET /caf\u00e9 HTTP/1.1\r\nHost: mock\r\n\r\n".encode(), "http.malformed",
                         "Invalid HTTP request line: 'GET /caf\u00e9 HTTP/1.1': a request target is ASCII:"
                         " %-encode other characters as UTF-8 (\u00e9 is %C3%A9)"),
    "bare-lf-request-line": (b"GET /__admin/health HTTP/1.1\nHost: mock\r\n\r\n", "http.malformed",
                             "Invalid HTTP request line: 'bare LF as line terminator'"),
    "bare-lf-in-a-field": (health("Host: mock\nX-Note: a"), "http.malformed", HOST_INVALID),
    "bare-cr-in-a-field": (health("Host: mock\rX-Note: a"), "http.malformed", HOST_INVALID),
    "bare-lf-in-a-name": (health("X-Note\nHost: mock"), "http.malformed", "Invalid HTTP header name: 'X-Note\\nHost'"),
    "bare-lf-before-a-colon": (health("Host: mock", "X-Note\n: a"), "http.malformed",
                               "Invalid HTTP header name: 'X-Note\\n'"),
    "two-empty-lines-first": (b"\r\n\r\n" + health("Host: mock"), "http.malformed",
                              "Invalid HTTP request line: ''"),
    "version-1.10": (health("Host: mock", version="HTTP/1.10"), "http.malformed", "Invalid HTTP Version: 'HTTP/1.10'"),
    "version-01.1": (health("Host: mock", version="HTTP/01.1"), "http.malformed", "Invalid HTTP Version: 'HTTP/01.1'"),
    "version-lower-case": (health("Host: mock", version="http/1.1"), "http.malformed",
                           "Invalid HTTP Version: 'http/1.1'"),
    "space-in-target": (b"GET /a b HTTP/1.1\r\nHost: mock\r\n\r\n", "http.malformed",
                        "Invalid HTTP Version: 'b HTTP/1.1'"),
    "space-after-version": (health("Host: mock", version="HTTP/1.1 "), "http.malformed",
                            "Invalid HTTP Version: 'HTTP/1.1 '"),
    "tab-for-space": (b"GET\t/__admin/health HTTP/1.1\r\nHost: mock\r\n\r\n", "http.malformed",
                      "Invalid HTTP request line: 'GET\\t/__admin/health HTTP/1.1'"),
    "authority-form": (b"GET mock:80 HTTP/1.1\r\nHost: mock\r\n\r\n", "http.malformed",
                       "Invalid HTTP request line: 'GET mock:80 HTTP/1.1'"),
    "asterisk-form-get": (b"GET * HTTP/1.1\r\nHost: mock\r\n\r\n", "http.malformed",
                          "Invalid HTTP request line: 'GET * HTTP/1.1'"),
    "bare-lf-before-the-request-line": (b"\n" + health("Host: mock"), "http.malformed",
                                        "Invalid HTTP request line: 'bare LF as line terminator'"),
    "no-name-before-the-colon": (health("Host: mock", ": a"), "http.malformed",
                                 f"Invalid HTTP Header: ': a'{NO_FIELD}"),
    "space-before-the-first-field": (health(" Host: mock"), "http.malformed", "Invalid HTTP header name: ' Host'"),
    "control-character-before-a-bad-name": (health("Host: mock", "X-A: a\x01", "X B: c"), "http.malformed",
                                            f"Invalid HTTP Header: 'X-A'{CONTROL}"),
    "http-9.9": (health("Host: mock", version="HTTP/9.9"), "http.version", "'HTTP/9.9'"),
    "http-2.0": (health("Host: mock", version="HTTP/2.0"), "http.version", "'HTTP/2.0'"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_request_the_served_mock_refuses_before_its_app_is_refused_alike(either, case):
    """The in-process mock served `Expect: foo`, HTTP/1.1 without Host and two Content-Lengths, and answered HTTP/9.9
    with Python's HTML error page; it served lines ended by a bare LF, which Python's parser takes as line ends (serve
    refuses them), and closed the connection without a word on a second empty line before the request line; it served
    HTTP/1.10 and HTTP/01.1, and a target in authority form, and said "Bad request version" where serve says "Invalid
    HTTP Version"."""
    raw, key, detail = REFUSED[case]
    status, headers, body = parsed(exchange(either.url, raw))
    row = failure(key)
    assert (status, headers["content-type"], headers["connection"]) == (row.status, "application/json", "close")
    assert json.loads(body) == {"errors": [row.item(detail=detail)]}
    assert headers["date"].endswith(" GMT")


def padded_line(length: int) -> str:
    """A request line of `length` bytes (its CRLF not counted) for the OpenAPI document, padded in its query."""
    return "GET /openapi.json?pad=" + "p" * (length - len("GET /openapi.json?pad= HTTP/1.1")) + " HTTP/1.1"


def fields(count: int) -> list[str]:
    """`count` header lines, Host and Connection: close among them."""
    return ["Host: mock", "Connection: close", *(f"X-{n}: v" for n in range(count - 2))]


def field_line(length: int) -> str:
    """A header line of `length` bytes, its CRLF not counted."""
    return "X-Big: " + "b" * (length - len("X-Big: "))


LIMITS = {  # request, failure row, detail: at gunicorn's limits (mockserver.wire) and a byte or a field past them
    "line-over": (f"{padded_line(REQUEST_LINE_MAX + 1)}\r\nHost: mock\r\n\r\n", "http.line_too_long",
                  f"Request Line is too large ({REQUEST_LINE_MAX + 1} > {REQUEST_LINE_MAX})"),
    "line-of-5000": (f"{padded_line(5000)}\r\nHost: mock\r\n\r\n", "http.line_too_long",
                     f"Request Line is too large (5000 > {REQUEST_LINE_MAX})"),
    "fields-over": ("\r\n".join([padded_line(40), *fields(FIELDS_MAX + 1), "", ""]), "http.headers_too_large",
                    "limit request headers fields"),
    "field-over": ("\r\n".join([padded_line(40), "Host: mock", field_line(FIELD_SIZE_MAX - 1), "", ""]),
                   "http.headers_too_large", "limit request headers fields size"),
}
AT_LIMITS = {
    "line": f"{padded_line(REQUEST_LINE_MAX)}\r\nHost: mock\r\nConnection: close\r\n\r\n",
    "fields": "\r\n".join([padded_line(40), *fields(FIELDS_MAX), "", ""]),
    "field": "\r\n".join([padded_line(40), "Host: mock", "Connection: close", field_line(FIELD_SIZE_MAX - 2), "",
                           ""]),
}


@pytest.mark.parametrize("case", LIMITS)
def test_a_head_past_the_served_mock_s_limits_is_refused_alike(either, case):
    """The in-process mock held a request line and a header line to Python's 64 KiB, and a request to 99 header
    fields: a request line of 5,000 bytes, or a header of 8,190, was served in-process and refused by `mockserver
    serve` (414, 431), so a client's test passed against one mock and failed against the other."""
    raw, key, detail = LIMITS[case]
    status, headers, body = parsed(exchange(either.url, raw.encode("latin-1")))
    row = failure(key)
    assert (status, headers["content-type"], headers["connection"]) == (row.status, "application/json", "close")
    assert json.loads(body) == {"errors": [row.item(detail=detail)]}


@pytest.mark.parametrize("case", AT_LIMITS)
def test_a_head_at_the_served_mock_s_limits_is_served(either, case):
    """100 header fields were refused in-process (Python's http.client counts the empty line ending them)."""
    assert parsed(exchange(either.url, AT_LIMITS[case].encode("latin-1")))[0] == 200


CUT_OFF = {  # a head the client stops sending and closes its side of the connection on, still reading
    "in-the-request-line": b"GET /__admin/health HTT",
    "in-a-field": b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nX-Note: a",
    "before-the-empty-line": b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\n",
    "in-http-1.0": b"POST /__admin/reset HTTP/1.0\r\nX-Note: a",
}


def half_closed(url: str, raw: bytes) -> bytes:
    """What the server at `url` sends back to `raw` sent, then the connection's sending side shut (a FIN)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        return until_closed(sock)


@pytest.mark.parametrize("case", CUT_OFF)
def test_a_head_cut_off_by_the_client_is_answered_nothing(either, case):
    """`mockserver serve` closes a connection whose head the client cut off (gunicorn's "premature client
    disconnection"); the in-process mock read what had come as the whole head and served it, `POST /__admin/reset`
    in HTTP/1.0 included."""
    assert half_closed(either.url, CUT_OFF[case]) == b""


def test_a_head_cut_off_after_a_bare_lf_is_refused_for_the_lf(either):
    """gunicorn refuses a bare LF as it reads it, before the head is whole: so does the in-process mock."""
    status, _, body = parsed(half_closed(either.url, b"GET /__admin/health HTTP/1.1\r\nHost: mock\nX-Note: a"))
    assert status == 400
    assert json.loads(body)["errors"][0]["msg"].endswith("Invalid HTTP Header: 'bare LF as line terminator'")


def test_a_body_past_max_body_that_never_comes_is_a_413_once_the_idle_timeout_passes(either):
    """Its announced length (at most 1 MiB) is read and dropped, to keep the connection; when it does not come,
    `mockserver serve` answered 413 after --idle-timeout and the in-process mock 408, as if the body were wanted."""
    head = (f"POST /__admin/faults HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
            f"Content-Length: {DEFAULTS['MAX_BODY_BYTES'] + 1}\r\n\r\n").encode()
    started = time.monotonic()
    status, headers, body = parsed(exchange(either.url, head))
    assert (status, headers["connection"]) == (413, "close"), body
    assert IDLE - 0.5 < time.monotonic() - started < IDLE + 5


def test_a_refusal_quoting_the_request_line_does_not_repeat_a_credential(either):
    """A request line refused as malformed was quoted whole in the answer, a query parameter named as a credential
    included, though the server's warning about it said `<redacted>`: a client that logs the error body put its own
    token in its CI log."""
    raw = b"GET /nope?access_token=QSECRET\x01&x=1 HTTP/1.1\r\nHost: mock\r\n\r\n"
    status, _, body = parsed(exchange(either.url, raw))
    message = json.loads(body)["errors"][0]["msg"]
    assert status == 400 and "QSECRET" not in message and "access_token=<redacted>" in message, message


@pytest.mark.parametrize("lines, version", [(("Host: ",), "HTTP/1.1"), ((), "HTTP/1.0"),
                                            (("Host: mock", "Expect: 100-continue"), "HTTP/1.1")],
                         ids=["empty-host", "1.0", "100-continue"])
def test_what_the_served_mock_serves_is_served(either, lines, version):
    assert parsed(exchange(either.url, health(*lines, "Connection: close", version=version)))[0] == 200


@pytest.mark.parametrize("target", ["//__admin/health", "///__admin/health", "//%2F__admin/health?x=1"])
def test_a_path_starting_with_a_doubled_slash_is_no_endpoint_on_either(either, target):
    """The in-process server read `//__admin/health` as host `__admin` and path `/health`, and served the health
    check (and a create sent to a base URL ending in a slash) where `mockserver serve` answers 404. Its 404 then
    named the path with one slash, `No such endpoint: GET /__admin/health`, a path the mock serves."""
    raw = f"GET {target} HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n".encode()
    status, _, body = parsed(exchange(either.url, raw))
    [error] = json.loads(body)["errors"]
    assert (status, error["code"], error["msg"]) == (404, 4004, f"No such endpoint: GET {target.split('?')[0]}")


def test_an_empty_content_type_sent_is_journaled_on_either(either):
    """It was left out of the entry's headers, though the 415 such a create gets quotes it (`got ''`)."""
    raw = b"POST /empty-type HTTP/1.1\r\nHost: mock\r\nContent-Type: \r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    assert parsed(exchange(either.url, raw))[0] == 404
    [entry] = requests.get(f"{either.url}/__admin/requests?path=/empty-type", timeout=10).json()["requests"]
    assert (entry["headers"]["content-type"], entry["headers"]["content-length"]) == ("", "0")


def test_an_empty_line_before_the_request_line_is_passed_over(either):
    """RFC 9112 (2.2): a server ignores at least one empty line before the request line, as gunicorn does; the
    connection was closed without an answer."""
    assert parsed(exchange(either.url, b"\r\n" + health("Host: mock", "Connection: close")))[0] == 200


def test_100_continue_is_sent_once_and_only_when_the_body_is_read(served):
    """werkzeug's server sent `100 Continue` twice, and sent it before a request it then refused without reading the
    body: a server can refuse without asking for the body (RFC 9110, 10.1.1)."""
    body = json.dumps(served.sample_request(name="Asked first")).encode()
    good = create_head(served, "Expect: 100-continue", f"Content-Length: {len(body)}")
    with socket.create_connection(address(served), timeout=10) as sock:
        sock.sendall(good)
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        answer = until_closed(sock)
    assert parsed(answer)[0] == 200 and b"100 Continue" not in answer

    answer = exchange(served.url, create_head(served, "Expect: 100-continue", f"Content-Length: {len(body)}",
                                          token="not-a-token"))
    assert answer.startswith(b"HTTP/1.1 401 "), answer
    assert parsed(answer)[1]["connection"] == "close"


def test_a_body_announced_past_the_limit_is_refused_without_asking_for_it(either, served):
    """A Content-Length over the body limit, with `Expect: 100-continue`, was answered `100 Continue` (to drain the
    body) and the 413 only once the body came, or after the idle timeout: the length alone decides the 413."""
    head = create_head(served, "Expect: 100-continue", f"Content-Length: {DEFAULTS['MAX_BODY_BYTES'] + 1}")  # the
    # default tenant's create: both serve it
    started = time.monotonic()
    with socket.create_connection(address(either), timeout=10) as sock:
        sock.sendall(head)
        answer = until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert parsed(answer)[1]["connection"] == "close" and time.monotonic() - started < IDLE


def test_100_continue_is_not_sent_to_http_1_0(served):
    """RFC 9110 (10.1.1): a server ignores a 100-continue expectation in an HTTP/1.0 request."""
    body = json.dumps(served.sample_request(name="Old client")).encode()
    raw = create_head(served, "Expect: 100-continue", f"Content-Length: {len(body)}").replace(b"HTTP/1.1", b"HTTP/1.0")
    answer = exchange(served.url, raw + body)
    assert answer.startswith(b"HTTP/1.0 200 "), answer


@pytest.mark.parametrize("target, status", [("/__admin/health", 200), ("/nope", 404)])
def test_an_http_1_0_request_is_answered_in_http_1_0_on_either(either, target, status):
    """gunicorn's status line names the request's version; the in-process server's said HTTP/1.1 to every one."""
    answer = exchange(either.url, f"GET {target} HTTP/1.0\r\nHost: mock\r\n\r\n".encode())
    assert answer.startswith(f"HTTP/1.0 {status} ".encode()), answer
    assert exchange(either.url, health("Host: mock", "Connection: close")).startswith(b"HTTP/1.1 200 ")


def test_a_listing_to_http_1_0_is_sent_until_the_close_not_chunked_on_either(either):
    """A body of no announced length (a listing's) went to an HTTP/1.0 request chunked, under an HTTP/1.0 status
    line: a framing HTTP/1.0 has not, which its client takes for faulty (RFC 9112, 6.1); `mockserver serve` sends it
    until the close."""
    status, headers, body = parsed(exchange(either.url, b"GET /__admin/campaigns HTTP/1.0\r\nHost: mock\r\n\r\n"))
    assert (status, "transfer-encoding" in headers, headers["connection"]) == (200, False, "close")
    assert isinstance(json.loads(body)["campaigns"], list)  # the body alone, no chunk sizes in it


def test_a_chunked_body_that_stalls_is_answered_408(served):
    """It held the connection, and a thread, for as long as the client kept it open."""
    started = time.monotonic()
    answer = exchange(served.url, create_head(served, "Transfer-Encoding: chunked") + b"ff\r\n{\"name\":")
    status, headers, body = parsed(answer)
    assert (status, headers["connection"]) == (408, "close")
    assert json.loads(body)["errors"] == [failure("body.timeout_chunked").item(seconds=f"{IDLE:g}")]
    assert IDLE <= time.monotonic() - started < IDLE + 5


def test_a_body_short_of_its_content_length_is_answered_408(served):
    answer = exchange(served.url, create_head(served, "Content-Length: 1000") + b'{"name":')
    status, _, body = parsed(answer)
    assert status == 408
    assert json.loads(body)["errors"] == [failure("body.timeout").item(expected=1000, seconds=f"{IDLE:g}")]


@pytest.mark.parametrize("stalled", [b"Content-Length: 1000", b"Transfer-Encoding: chunked"], ids=["length", "chunked"])
def test_a_stop_after_a_body_that_stopped_arriving_does_not_wait_for_it(stalled, caplog):
    """The 408 left its request counted in hand: a read after the one that timed out raised "cannot read from timed
    out object" in werkzeug's clean-up, before it closed the answer, so the mock's stop waited STOP_WAIT_S (5 s) for
    a request long answered, and logged that error's traceback."""
    with running_mock(IDLE_TIMEOUT=1) as mock:
        head = create_head(mock, stalled.decode())
        status, _, _ = parsed(exchange(mock.url, head + (b"ff\r\n" if b"chunked" in stalled else b"") + b'{"name":'))
        assert status == 408
        started = time.monotonic()
    assert time.monotonic() - started < STOP_WAIT_S / 2
    assert "Error on request" not in caplog.text, caplog.text


def test_a_connection_that_sends_nothing_is_closed(served):
    started = time.monotonic()
    assert exchange(served.url, b"") == b""
    assert time.monotonic() - started < IDLE + 5
def test_a_forbidden_trailer_is_refused_as_the_served_mock_refuses_it(served):
    body = json.dumps(served.sample_request(name="Trailer")).encode()
    chunks = b"%x\r\n%s\r\n0\r\nContent-Length: 5\r\n\r\n" % (len(body), body)
    status, _, answer = parsed(exchange(served.url, create_head(served, "Transfer-Encoding: chunked") + chunks))
    assert status == 400
    assert json.loads(answer)["errors"] == [failure("http.malformed").item(detail=TRAILER_DETAIL)]


TRAILER_DETAIL = ("the chunked body's trailer section holds Content-Length, which a trailer may not carry (RFC 9110,"
                  " 6.5.1): send it in the headers, or not at all")


def chunked_rule(chunks: bytes) -> bytes:
    """A fault rule sent to the admin API (which reads its body) as a chunked body of `chunks`."""
    return (b"POST /__admin/faults HTTP/1.1\r\nHost: mock\r\nConnection: close\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n") + chunks


BAD_CHUNKS = {  # chunked framing serve refuses (400 http.malformed), and its detail
    "extension-with-a-control-character": (b"3;\x01\r\nabc\r\n0\r\n\r\n",
                                           "Invalid chunk extension: invalid chunk extension"),
    "space-after-the-size": (b"3 \r\nabc\r\n0\r\n\r\n", "Invalid chunk size: b'3 '"),
    "size-ended-by-a-bare-lf": (b"3\nabc\r\n0\r\n\r\n", "Invalid chunk size: b'3\\nabc'"),
    "data-past-its-size": (b"3\r\nabcX0\r\n\r\n", "Invalid chunk terminator is not '\\r\\n': b'X0'"),
    "trailer-name-no-token": (b"3\r\nabc\r\n0\r\nX Y: z\r\n\r\n", "Invalid HTTP header name: 'X Y'"),
    "trailer-control-character": (b"3\r\nabc\r\n0\r\nX-Y: a\x01b\r\n\r\n", f"Invalid HTTP Header: 'X-Y'{CONTROL}"),
    "trailer-bare-lf": (b"3\r\nabc\r\n0\r\nX-Y: a\nX-Z: b\r\n\r\n", f"Invalid HTTP Header: 'X-Y'{CONTROL}"),
    "trailer-folded": (b"3\r\nabc\r\n0\r\nX-Y: a\r\n b\r\n\r\n", "Obsolete line folding is unacceptable: 'X-Y'"),
}


@pytest.mark.parametrize("case", BAD_CHUNKS)
def test_chunked_framing_the_served_mock_refuses_is_refused_alike(either, case):
    """The in-process mock read past a chunk extension holding a control character, a space after a chunk's size and
    a trailer field that is no header field, and said "chunk data runs past its announced size" and "a chunk line is
    not ended by CRLF" where serve names the chunk size and terminator it read."""
    chunks, detail = BAD_CHUNKS[case]
    status, headers, body = parsed(exchange(either.url, chunked_rule(chunks)))
    assert (status, headers["connection"]) == (400, "close")
    assert json.loads(body) == {"errors": [failure("http.malformed").item(detail=detail)]}


def test_chunk_extensions_serve_takes_are_taken(either):
    rule = b'{"fault": "drop", "path": "/nothing"}'
    chunks = b"%x ; name=value;flag\r\n%s\r\n0\r\nX-Note: kept\r\n\r\n" % (len(rule), rule)
    assert parsed(exchange(either.url, chunked_rule(chunks)))[0] == 201


def test_a_refusal_that_leaves_the_body_unread_closes_the_connection_at_once(either, served):
    """After its answer, werkzeug's server read what the app had left of the body 10 MB at a time, each read waiting
    for that much or the client's close, with no time limit once the app had read from the body: a 413 to a 2 MB
    body sent whole held the connection, and a thread, for as long as the client waited for the close."""
    body = b'{"name": "' + b"n" * (2 * 1024 * 1024) + b'"}'
    started = time.monotonic()
    answer = exchange(either.url, create_head(served, f"Content-Length: {len(body)}") + body, timeout=IDLE + 3)
    status, headers, _ = parsed(answer)
    assert (status, headers["connection"]) == (413, "close")
    assert time.monotonic() - started < IDLE


def test_blanks_after_a_header_s_value_are_no_part_of_it_on_either(either, served):
    """The in-process mock kept them (Python's parser leaves them on): `accountid: ID ` was refused as another
    account than the query's (400) and `iid` with a tab after it as another stream, where `mockserver serve` served
    the create, and the journal kept the blanks."""
    body = json.dumps(served.sample_request(name="Blanks after")).encode()
    head = create_head(served, f"Content-Length: {len(body)}", "X-Note: kept  ")
    head = head.replace(f"accountid: {served.account_id}".encode(), f"accountid: {served.account_id} ".encode())
    head = head.replace(f"iid: {served.stream_id}".encode(), f"iid:\t{served.stream_id}\t".encode())
    assert parsed(exchange(either.url, head + body))[0] == 200
    [entry] = requests.get(f"{either.url}/__admin/requests?limit=1", timeout=10).json()["requests"]
    sent = entry["headers"]
    assert (sent["accountid"], sent["iid"], sent["x-note"]) == (served.account_id, served.stream_id, "kept")


def test_a_userinfo_in_an_absolute_target_is_no_part_of_the_host_on_either(either):
    """The in-process mock took `user:secret@mock.example` for the request's host (werkzeug's netloc), where
    `mockserver serve` takes `mock.example`: its journal kept the password, and its OpenAPI document named `/` as
    its server instead of the host."""
    raw = (b"POST http://user:secret@mock.example:81/absolute-userinfo HTTP/1.1\r\nHost: mock\r\nContent-Length: 0\r\n"
           b"Connection: close\r\n\r\n")
    assert parsed(exchange(either.url, raw))[0] == 404
    [entry] = requests.get(f"{either.url}/__admin/requests?path=/absolute-userinfo", timeout=10).json()["requests"]
    assert entry["headers"]["host"] == "mock.example:81" and "secret" not in json.dumps(entry)
    raw = b"GET http://user:secret@mock.example:81/openapi.json HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n"
    status, _, body = parsed(exchange(either.url, raw))
    assert (status, json.loads(body)["servers"][0]["url"]) == (200, "http://mock.example:81")


def test_an_absolute_target_with_a_userinfo_and_no_host_leaves_the_host_header_on_either(either):
    """`http://user@/path` names no host: `mockserver serve` keeps the Host header, where the in-process mock took
    `user@` for the request's host (werkzeug's netloc), a userinfo in its journal."""
    raw = b"GET http://user@/absolute-no-host HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n"
    assert parsed(exchange(either.url, raw))[0] == 404
    [entry] = requests.get(f"{either.url}/__admin/requests?path=/absolute-no-host", timeout=10).json()["requests"]
    assert entry["headers"]["host"] == "mock"


RULE = b'{"fault": "drop", "path": "/nothing"}'
TRAILERS_PAST_LIMITS = {  # a trailer section past gunicorn's limits (431), and its detail
    "fields-over": (b"".join(b"X-%d: v\r\n" % n for n in range(FIELDS_MAX + 1)), "limit request headers fields"),
    "field-over": (b"X-Big: " + b"b" * (FIELD_SIZE_MAX - len("X-Big: ") - 1) + b"\r\n",
                   "limit request headers fields size"),
    "field-of-20000-bytes": (b"X-Big: " + b"b" * 20000 + b"\r\n", "limit request headers fields size"),
}


@pytest.mark.parametrize("case", TRAILERS_PAST_LIMITS)
def test_a_trailer_section_past_the_served_mock_s_limits_is_refused_alike(either, case):
    """The in-process mock took 101 trailer fields, and refused a trailer line of 8,190 bytes or more as a chunk
    size ("Invalid chunk size: b'line over 8190 bytes with no terminator'", 400), where serve holds a trailer
    section to its head's limits (431)."""
    trailers, detail = TRAILERS_PAST_LIMITS[case]
    chunks = b"%x\r\n%s\r\n0\r\n%s\r\n" % (len(RULE), RULE, trailers)
    status, headers, body = parsed(exchange(either.url, chunked_rule(chunks)))
    assert (status, headers["connection"]) == (431, "close")
    assert json.loads(body) == {"errors": [failure("http.headers_too_large").item(detail=detail)]}


@pytest.mark.parametrize("chunks", [
    b"%x\r\n%s\r\n0\r\n%s\r\n" % (len(RULE), RULE, b"".join(b"X-%d: v\r\n" % n for n in range(FIELDS_MAX))),
    b"%x\r\n%s\r\n0\r\nX-Big: %s\r\n\r\n" % (len(RULE), RULE, b"b" * (FIELD_SIZE_MAX - len("X-Big: ") - 2)),
    b"%020x\r\n%s\r\n0\r\n\r\n" % (len(RULE), RULE),
], ids=["100-trailer-fields", "trailer-line-at-the-limit", "size-of-20-digits"])
def test_chunked_bodies_at_the_served_mock_s_limits_are_taken(either, chunks):
    """A chunk size of more than 16 digits (leading zeros: RFC 9112 bounds none) was refused in-process."""
    assert parsed(exchange(either.url, chunked_rule(chunks)))[0] == 201


@pytest.mark.parametrize("cut", [b"", b"\r\n0\r\n", b"\r\n0\r\nX-Note: a\r\n"],
                         ids=["after-a-chunk-s-data", "after-the-last-chunk", "in-the-trailer-section"])
def test_a_chunked_body_the_client_closes_where_a_crlf_was_due_is_cut_short_on_either(either, served, cut):
    """Both mocks said "Not a valid HTTP request: Invalid chunk terminator is not '\\r\\n': b''" (http.malformed) of a
    connection closed after a chunk's data, and `mockserver serve` said so of one closed after the last chunk: the
    client sent nothing invalid, its body ended before it was whole (body.incomplete), as a close inside a chunk is
    answered."""
    body = json.dumps(served.sample_request(name="Closed early")).encode()
    with socket.create_connection(address(either), timeout=10) as sock:
        sock.sendall(create_head(served, "Transfer-Encoding: chunked") + b"%x\r\n%s%s" % (len(body), body, cut))
        sock.shutdown(socket.SHUT_WR)
        status, headers, answer = parsed(until_closed(sock))
    assert (status, headers["connection"]) == (400, "close")
    detail = "the connection closed before the chunked body's end"
    assert json.loads(answer) == {"errors": [failure("body.incomplete").item(detail=detail)]}


def test_a_body_cut_short_by_a_reset_is_journaled_as_a_reset_on_either(either, served):
    """The in-process mock journaled a reset halfway through a body as a close ("the connection closed before the
    1000 bytes Content-Length announced had come"), though it kept no body, as after a reset."""
    def newest() -> list[dict]:
        return requests.get(f"{either.url}/__admin/requests?limit=1", timeout=10).json()["requests"]

    before = [entry["id"] for entry in newest()]
    sock = socket.create_connection(address(either), timeout=10)
    sock.sendall(create_head(served, "Content-Length: 1000") + b'{"name":')
    time.sleep(0.3)  # the mock is reading the body
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    sock.close()
    deadline = time.monotonic() + 5
    while [entry["id"] for entry in newest()] == before:
        assert time.monotonic() < deadline, "the request was not journaled"
        time.sleep(0.05)
    [entry] = newest()
    assert (entry["status"], entry["body"]) == (400, None)
    assert entry["errors"] == [failure("body.incomplete").item(detail="the connection was reset")]


def test_a_stop_after_a_refusal_that_left_a_large_body_unread_does_not_wait_for_it(caplog):
    """A create refused on its token (its body left unread) with a body larger than the server had read with the
    head: werkzeug's drain after the answer waited the idle timeout for 10 MB that never came, then raised before it
    closed the answer, so the connection stayed open that long and the mock's stop waited STOP_WAIT_S (5 s) for a
    request long answered."""
    with running_mock(IDLE_TIMEOUT=2) as mock:
        body = json.dumps(mock.sample_request(description="d" * 60000)).encode()
        started = time.monotonic()
        answer = exchange(mock.url, create_head(mock, f"Content-Length: {len(body)}", token="not-a-token") + body)
        assert parsed(answer)[0] == 401 and time.monotonic() - started < 1
        started = time.monotonic()
    assert time.monotonic() - started < STOP_WAIT_S / 2
    assert "Error on request" not in caplog.text, caplog.text
