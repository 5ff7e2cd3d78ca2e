"""HTTP/1.1 on the wire, as `mockserver serve` speaks it: requests sent byte for byte over a socket, and each answer
held to what RFC 9110 and RFC 9112 ask of a server (a Host header, the Expect and Connection fields, a Date on every
4xx) and to the mock's own rule that every refusal comes in the vendor's envelope."""

from __future__ import annotations

import email.utils
import json
import os
import socket
import struct
import subprocess
import sys
import time

import pytest
import requests
from network import exchange, parsed, until_closed

from mockserver.failures import failure

WORKER_KINDS = {"sync": ("--threads", "1"), "gthread": ("--threads", "2")}
IDLE = 3  # --idle-timeout: a connection kept open longer than this was kept alive


@pytest.fixture(params=list(WORKER_KINDS))
def mock(request, shared_mock):
    return shared_mock("--db", ":memory:", "--idle-timeout", str(IDLE), *WORKER_KINDS[request.param])


def get(path: str, *header_lines: str, version: str = "HTTP/1.1") -> bytes:
    return "\r\n".join([f"GET {path} {version}", *header_lines, "", ""]).encode("latin-1")


def test_an_expectation_other_than_100_continue_is_refused_in_the_envelope(mock):
    """gunicorn answered `Expect: 200-ok` with its own HTML page."""
    status, headers, body = parsed(exchange(mock.url, get("/__admin/health", "Host: mock", "Expect: 200-ok")))
    row = failure("http.expectation")
    assert (status, headers["content-type"]) == (417, "application/json")
    assert json.loads(body) == {"errors": [row.item(detail="'200-ok'")]}


def test_100_continue_is_still_met(mock):
    status, _, body = parsed(exchange(mock.url, get("/__admin/health", "Host: mock", "Expect: 100-continue",
                                                    "Connection: close")))
    assert status == 200 and json.loads(body)["status"] == "ok"


@pytest.mark.parametrize("raw", [
    b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",  # 400
    b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: mock\r\n\r\n",  # 414
    b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nX-Big: " + b"b" * 8200 + b"\r\n\r\n",  # 431
    b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nExpect: 200-ok\r\n\r\n",  # 417
], ids=["malformed", "line-too-long", "headers-too-large", "expectation"])
def test_a_refusal_made_before_the_app_carries_a_date_as_the_app_s_answers_do(mock, raw):
    """RFC 9110 (6.6.1): an origin server with a clock sends Date in every 4xx; the workers' own refusals had none."""
    status, headers, _ = parsed(exchange(mock.url, raw))
    assert 400 <= status < 500
    sent = email.utils.parsedate_to_datetime(headers["date"])
    assert abs(sent.timestamp() - time.time()) < 60
    assert headers["date"].endswith(" GMT") and headers["server"] == "gunicorn"


@pytest.mark.parametrize("lines", [("Connection: keep-alive, close",), ("Connection: Upgrade, close", "Upgrade: h2c"),
                                   ("Connection: TE", "Connection: close"), ("Connection: close, TE", "TE: trailers")],
                         ids=["keep-alive-close", "upgrade-close", "second-line", "close-first"])
def test_a_close_option_among_others_closes_the_connection_after_the_answer(mock, lines):
    """RFC 9112 (9.6): a server that receives the "close" option closes the connection after its answer, and says so.
    gunicorn heeded it only as the first Connection line's whole value, so on gthread workers `keep-alive, close`
    was answered `Connection: keep-alive` and a request sent after it on the connection was served too."""
    first = get("/__admin/health", "Host: mock", *lines)
    started = time.monotonic()
    answer = exchange(mock.url, first + get("/__admin/health", "Host: mock", "Connection: close"))
    held = time.monotonic() - started
    status, headers, _ = parsed(answer)
    assert (status, headers["connection"]) == (200, "close")
    assert answer.count(b"HTTP/1.1 200") == 1 and held < IDLE


def test_keep_alive_is_still_kept_on_gthread_workers(shared_mock):
    mock = shared_mock("--db", ":memory:", "--idle-timeout", str(IDLE), *WORKER_KINDS["gthread"])
    answer = exchange(mock.url, get("/__admin/health", "Host: mock") + get("/__admin/health", "Host: mock",
                                                                           "Connection: close"))
    assert answer.count(b"HTTP/1.1 200") == 2


def test_an_answer_says_how_long_its_connection_is_kept_where_it_is_kept(mock, request):
    """gthread workers keep a connection --idle-timeout seconds and did not say so: a client pooling connections
    (Node's undici keeps one 4 s unless told) could send a request on one just as the worker closed it, and meet a
    reset. An answer after which the connection closes, and every sync worker's, says nothing more."""
    answer = exchange(mock.url, get("/__admin/health", "Host: mock") + get("/__admin/health", "Host: mock",
                                                                           "Connection: close"))
    heads = [parsed(b"HTTP/1.1 " + part)[1] for part in answer.split(b"HTTP/1.1 ")[1:]]
    said = [(head["connection"], head.get("keep-alive")) for head in heads]
    kept = {"sync": [("close", None)], "gthread": [("keep-alive", f"timeout={IDLE}"), ("close", None)]}
    assert said == kept[request.node.callspec.params["mock"]]


CREATE = b"POST /campaign/api/v2/public/st-1/campaign?accountId=a&campaignType=voice HTTP/1.1\r\nHost: mock\r\n"


@pytest.mark.parametrize("framing, body", [
    (b"Transfer-Encoding: chunked", b"ZZ\r\nab\r\n0\r\n\r\n"),  # malformed: gunicorn's own 400 followed the 401
    (b"Transfer-Encoding: chunked", b"2\r\nab\r\n0\r\n\r\n"),
    (b"Content-Length: 100000000", b"{}"),  # never sent whole: the next request would have been read as its body
], ids=["malformed-chunks", "chunked", "length-past-the-drain"])
def test_a_refusal_on_the_headers_that_leaves_a_body_closes_the_connection(mock, framing, body):
    """On gthread workers a 401 said keep-alive, and gunicorn then read the body left: a malformed one's 400 came
    after the answer, unasked, and one that never came whole swallowed the next request until the idle timeout."""
    started = time.monotonic()
    answer = exchange(mock.url, CREATE + framing + b"\r\nContent-Type: application/json\r\n\r\n" + body
                      + get("/__admin/health", "Host: mock", "Connection: close"))
    status, headers, _ = parsed(answer)
    assert (status, headers["connection"], headers.get("keep-alive")) == (401, "close", None)
    assert answer.count(b"HTTP/1.1 ") == 1 and time.monotonic() - started < IDLE


def test_a_refusal_on_the_headers_keeps_the_connection_of_a_short_whole_body(shared_mock):
    """gunicorn reads and drops it before the next request: the connection is still kept."""
    mock = shared_mock("--db", ":memory:", "--idle-timeout", str(IDLE), *WORKER_KINDS["gthread"])
    answer = exchange(mock.url, CREATE + b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                      + get("/__admin/health", "Host: mock", "Connection: close"))
    assert (parsed(answer)[1]["connection"], parsed(answer)[1]["keep-alive"]) == ("keep-alive", f"timeout={IDLE}")
    assert answer.count(b"HTTP/1.1 401 ") == 1 and answer.count(b"HTTP/1.1 200 ") == 1


def test_an_http_1_1_request_without_host_is_refused(mock):
    """RFC 9112 (3.2): a server MUST answer 400 to an HTTP/1.1 request without a Host header; it was served."""
    status, headers, body = parsed(exchange(mock.url, get("/__admin/health", "Connection: close")))
    assert (status, headers["content-type"]) == (400, "application/json")
    assert json.loads(body) == {"errors": [failure("http.malformed").item(
        detail="an HTTP/1.1 request needs a Host header")]}
    deadline = time.monotonic() + 5  # the server's output is read as it comes
    while not any("Invalid request from ip=127.0.0.1: an HTTP/1.1 request needs a Host header" in line
                  for line in mock.output):
        assert time.monotonic() < deadline, mock.output
        time.sleep(0.05)


@pytest.mark.parametrize("lines, version", [(("Host: ",), "HTTP/1.1"), ((), "HTTP/1.0")], ids=["empty-host", "1.0"])
def test_an_empty_host_or_http_1_0_without_one_is_served(mock, lines, version):
    assert parsed(exchange(mock.url, get("/__admin/health", *lines, "Connection: close", version=version)))[0] == 200


@pytest.mark.parametrize("method, path", [
    ("POST", "/campaign/api/v2/public//{stream}/campaign"), ("POST", "/campaign/api/v2//public/{stream}/campaign"),
    ("GET", "/__admin//health"), ("GET", "/__admin/campaigns/%2Fcd-1"), ("DELETE", "/__admin/campaigns//cd-1"),
])
def test_a_path_with_an_empty_segment_is_no_endpoint(client, account, method, path):
    """werkzeug merged the slashes and answered 308 with an HTML page sending the client elsewhere (the campaign
    '/cd-1' to 'cd-1'): the mock serves its paths as written, and answers any other in the envelope."""
    path = path.format(stream=account.streams[0])
    response = client.open(path, method=method)
    assert (response.status_code, response.get_json()["errors"][0]["code"]) == (404, 4004)
    assert "Location" not in response.headers




@pytest.mark.parametrize("where, unsupported, named", [
    ("endpoint", {"Content-Type": "text/plain"}, {"Accept": "application/json"}),
    ("endpoint", {"Content-Encoding": "gzip"}, {"Accept-Encoding": "identity"}),
    ("/__admin/faults", {"Content-Encoding": "br"}, {"Accept-Encoding": "identity"}),
], ids=["media-type", "content-encoding", "admin-content-encoding"])
def test_a_415_says_what_would_have_been_accepted(client, url, unsupported, where, named, token, account):
    """RFC 9110 (15.5.16; RFC 7694 for codings): a 415 names what the server takes in Accept or Accept-Encoding;
    it named neither."""
    sent = {"auth": token, "accountid": account.account_id, "iid": account.streams[0],
            "Content-Type": "application/json", **unsupported}
    response = client.post(url if where == "endpoint" else where, data=b"{}", headers=sent)
    assert response.status_code == 415
    assert {name: response.headers.get(name) for name in named} == named


def test_a_later_http_1_minor_version_is_answered_in_http_1_1(mock):
    """RFC 9110 (2.5): a server answers in the highest version it conforms to; `HTTP/1.2` was answered `HTTP/1.2`."""
    answer = exchange(mock.url, get("/__admin/health", "Host: mock", "Connection: close", version="HTTP/1.2"))
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_a_body_sent_without_content_length_or_chunked_is_named_and_not_read_as_a_request(mock, minted, contract):
    """Without Content-Length or Transfer-Encoding a request has no body (RFC 9112, 6.3): the mock said only that the
    body was empty, and a gthread worker then read the JSON sent after it as the next request, answering a second
    400 ("Invalid HTTP method: '{...'") and logging it."""
    path = (f"/campaign/api/v2/public/{minted['streamId']}/campaign"
            f"?accountId={minted['accountId']}&campaignType=voice")
    head = (f"POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nauth: {minted['token']}\r\n"
            f"accountid: {minted['accountId']}\r\niid: {minted['streamId']}\r\n\r\n")
    started = time.monotonic()
    answer = exchange(mock.url, head.encode() + json.dumps(contract.sample_request).encode())
    held = time.monotonic() - started
    status, headers, body = parsed(answer)
    assert (status, headers["connection"], answer.count(b"HTTP/1.1 ")) == (400, "close", 1)
    assert json.loads(body)["errors"] == [failure("body.malformed").item(
        detail="the request has no body: it sent neither Content-Length nor Transfer-Encoding: chunked")]
    assert held < IDLE
    assert not any("Invalid request" in line for line in mock.output)


def test_a_body_sent_to_a_reset_is_refused_unread_and_the_connection_closed(mock):
    """What the client sent after the head is left unread, so no next request can follow it on the connection."""
    body = b'{"accountId": "65f1c0ffee0ddba11a5e0001"}'
    answer = exchange(mock.url, b"POST /__admin/reset HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
                                b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    status, headers, _ = parsed(answer)
    assert (status, headers["connection"], answer.count(b"HTTP/1.1 ")) == (400, "close", 1)


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_fault_rule_sent_without_content_length_or_chunked_is_named_and_not_read_as_a_request(mock, method):
    """The fault API said only "a rule is a JSON object", and a gthread worker kept the connection, read the rule
    sent after the head as a next request and held the connection until the idle timeout."""
    rule_id = requests.post(f"{mock.url}/__admin/faults", json={"fault": "status=503", "path": "/x"}, timeout=10)
    target = "/__admin/faults" if method == "POST" else f"/__admin/faults/{rule_id.json()['id']}"
    started = time.monotonic()
    answer = exchange(mock.url, f"{method} {target} HTTP/1.1\r\nHost: mock\r\n\r\n".encode() + b'{"fault": "drop"}')
    status, headers, body = parsed(answer)
    assert (status, headers["connection"], answer.count(b"HTTP/1.1 ")) == (400, "close", 1)
    assert json.loads(body)["errors"] == [failure("body.malformed").item(
        detail="the request has no body: it sent neither Content-Length nor Transfer-Encoding: chunked")]
    assert time.monotonic() - started < IDLE


@pytest.mark.parametrize("target, shown", [
    ("/campaign/api/v2/public/st%2F1/campaign?accountId=a", "POST /campaign/api/v2/public/st%2F1/campaign"),
    ("/caf%C3%A9", "POST /caf%C3%A9"),
    ("http://mock/nope%2Fx?q=1", "POST /nope%2Fx"),
    ("/https://{host}/campaign?q=1", "POST /https://{host}/campaign"),  # the page's host left in: named as the path
    ("//campaign/api/v2/public/st-1/campaign", "POST //campaign/api/v2/public/st-1/campaign"),  # served as one /
    ("*", "OPTIONS *"),  # asterisk-form: it was named "/*"
    ("example.com:443", "CONNECT example.com:443"),  # authority-form: it was named "/443"
])
def test_a_path_no_endpoint_serves_is_named_as_sent(mock, target, shown):
    """It was named %-decoded: `st%2F1` came back as `st/1`, a path with a slash the client never sent."""
    method = shown.split()[0]
    raw = f"{method} {target} HTTP/1.1\r\nHost: mock\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
    status, _, body = parsed(exchange(mock.url, raw))
    near = " (the campaign endpoint is POST /campaign/api/v2/public/{streamId}/campaign)" if "campaign" in shown else ""
    assert (status, json.loads(body)["errors"][0]["msg"]) == (404, f"No such endpoint: {shown}{near}")


def create_head(minted: dict[str, str], framing: str) -> bytes:
    path = (f"/campaign/api/v2/public/{minted['streamId']}/campaign"
            f"?accountId={minted['accountId']}&campaignType=voice")
    return (f"POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nauth: {minted['token']}\r\n"
            f"accountid: {minted['accountId']}\r\niid: {minted['streamId']}\r\n{framing}\r\n\r\n").encode()


def journaled(mock) -> dict:
    """The one journal entry the test's request left, once its worker has written it."""
    deadline = time.monotonic() + 5
    while not (entries := requests.get(f"{mock.url}/__admin/requests", timeout=10).json()["requests"]):
        assert time.monotonic() < deadline, "the request was not journaled"
        time.sleep(0.05)
    [entry] = entries
    return entry


CUT_SHORT = {  # framing, what came of the body, what the answer says of it
    "length": ("Content-Length: 1000", b'{"name":',
               "the connection closed after 8 of the 1000 bytes Content-Length announced"),
    "chunked": ("Transfer-Encoding: chunked", b'ff\r\n{"name":',
                "the connection closed before the chunked body's end"),
}


@pytest.mark.parametrize("kind", CUT_SHORT)
def test_a_body_cut_short_by_the_client_closing_is_a_400_saying_so(mock, minted, kind):
    """A chunked body the client stopped sending (closing its side) was a 500, "Internal error in the mock:
    NoMoreData", with a traceback in the log; one short of its Content-Length was judged as JSON that stops, and
    then journaled without the part that came (`body` null, as of a request answered before its body was read)."""
    framing, part, detail = CUT_SHORT[kind]
    with socket.create_connection(mock.address, timeout=10) as sock:
        sock.sendall(create_head(minted, framing) + part)
        sock.shutdown(socket.SHUT_WR)
        answer = until_closed(sock)
    status, headers, body = parsed(answer)
    assert (status, headers["connection"]) == (400, "close")
    assert json.loads(body)["errors"] == [failure("body.incomplete").item(detail=detail)]
    entry = journaled(mock)
    assert entry["status"] == 400 and entry["errors"] == [failure("body.incomplete").item(detail=detail)]
    # what came before the close, where the mock holds it: a chunked body cut in its chunk is lost with the chunk
    assert entry["body"] == (part.decode() if kind == "length" else None)
    assert not any("Traceback" in line or "unhandled error" in line for line in mock.output)


@pytest.mark.parametrize("kind", CUT_SHORT)
def test_a_body_cut_short_by_a_reset_is_journaled_as_the_client_s_doing_without_a_traceback(mock, minted, kind):
    """A reset halfway through the body was journaled as the mock's 500 (ConnectionResetError), and its traceback
    logged as a bug in the mock."""
    framing, part, _ = CUT_SHORT[kind]
    sock = socket.create_connection(mock.address, timeout=10)
    sock.sendall(create_head(minted, framing) + part)
    time.sleep(0.3)  # the mock is reading the body
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    sock.close()
    entry = journaled(mock)
    assert entry["status"] == 400
    assert entry["errors"] == [failure("body.incomplete").item(detail="the connection was reset")]
    assert not any("Traceback" in line or "unhandled error" in line for line in mock.output)


@pytest.fixture(scope="module")
def in_process():
    """The in-process mock (mockserver.testing, werkzeug's server), as a client's own tests run it."""
    from mockserver.testing import running_mock

    with running_mock() as served:
        yield served


def chunked_create(served, chunks: bytes) -> tuple[int, dict[str, str], bytes]:
    where = served.url.removeprefix("http://").split(":")
    head = (f"POST {served.endpoint.split(served.url, 1)[1]} HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in served.headers.items())
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    with socket.create_connection((where[0], int(where[1])), timeout=10) as sock:
        sock.sendall(head.encode() + chunks)
        answer = until_closed(sock)
    return parsed(answer)


def test_the_in_process_mock_takes_chunk_extensions_and_trailers_as_served_does(in_process, caplog):
    """werkzeug's chunked reader took `1f;name=value` and a trailer for a broken body: a 500, "Internal error in
    the mock: OSError", logged with a traceback."""
    body = json.dumps(in_process.sample_request(name="Chunked with extras")).encode()
    chunks = b"%x;note=\"a;b\"\r\n%s\r\n0\r\nX-Checksum: 1\r\n\r\n" % (len(body), body)
    status, _, answer = chunked_create(in_process, chunks)
    assert status == 200, answer
    assert "unhandled error" not in caplog.text


@pytest.mark.parametrize("chunks", [b"zz\r\n{}\r\n0\r\n\r\n", b"2\r\n{}XX0\r\n\r\n"], ids=["size", "terminator"])
def test_the_in_process_mock_refuses_malformed_chunks_in_the_envelope(in_process, chunks, caplog):
    status, headers, answer = chunked_create(in_process, chunks)
    assert (status, headers["connection"]) == (400, "close")
    [error] = json.loads(answer)["errors"]
    assert error["code"] == 4000 and error["msg"].startswith("Not a valid HTTP request: ")
    assert "unhandled error" not in caplog.text


ALLOW_PROBE = """
import json, os, sys
from mockserver.app import create_app
app = create_app({"DATABASE": os.path.join(os.getcwd(), f"m{os.environ['PYTHONHASHSEED']}.sqlite3")})
client = app.test_client()
seen = {}
for path in ("/campaign/api/v2/public/st-1/campaign", "/__admin/health", "/__admin/faults"):
    seen[path] = [client.open(path, method=method).headers.get("Allow") for method in ("PUT", "OPTIONS")]
app.extensions["mock"].store.close()
print(json.dumps(seen))
"""


def test_allow_names_the_methods_in_one_order_whatever_the_process(tmp_path):
    """A 405's Allow, and an OPTIONS answer's, listed the methods in the order of a set of strings, which changes
    with Python's hash seed: from one start of the mock (or one worker) to the next."""
    answers = [json.loads(subprocess.run([sys.executable, "-c", ALLOW_PROBE], capture_output=True, text=True,
                                         check=True, timeout=60, env={**os.environ, "PYTHONHASHSEED": seed},
                                         cwd=tmp_path, encoding="utf-8").stdout) for seed in ("1", "2")]
    assert answers[0] == answers[1] == {
        "/campaign/api/v2/public/st-1/campaign": ["OPTIONS, POST"] * 2,
        "/__admin/health": ["GET, HEAD, OPTIONS"] * 2,
        "/__admin/faults": ["DELETE, GET, HEAD, OPTIONS, POST"] * 2,
    }


@pytest.mark.parametrize("version", ["HTTP/9.9", "HTTP/2.0"])
def test_an_http_major_version_other_than_1_is_answered_505(mock, version):
    """RFC 9110 (15.6.6): 505 names a major version the server does not support; it was a 400 "Invalid HTTP Version:
    (9, 9)", and the in-process mock's Python HTML page said 505."""
    status, headers, body = parsed(exchange(mock.url, get("/__admin/health", "Host: mock", version=version)))
    assert (status, headers["content-type"]) == (505, "application/json")
    assert json.loads(body) == {"errors": [failure("http.version").item(detail=repr(version))]}


@pytest.mark.parametrize("path, allowed", [("/campaign/api/v2/public/st-1/campaign", "OPTIONS, POST"),
                                           ("/__admin/health", "GET, HEAD, OPTIONS")], ids=["endpoint", "admin"])
def test_options_is_answered_with_allow_and_no_html(mock, path, allowed):
    """OPTIONS was answered `Content-Type: text/html` with an empty body: no page, and not HTML."""
    raw = f"OPTIONS {path} HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n".encode()
    status, headers, body = parsed(exchange(mock.url, raw))
    assert (status, headers["allow"], headers["content-length"], body) == (200, allowed, "0", b"")
    assert "content-type" not in headers


def test_options_is_answered_alike_in_process(client):
    response = client.options("/__admin/faults")
    assert (response.status_code, response.headers["Allow"], response.data) == (200, "DELETE, GET, HEAD, OPTIONS, POST",
                                                                                b"")
    assert "Content-Type" not in response.headers


@pytest.mark.parametrize("coding", ["identity, identity", "Identity,identity", "identity,\tIDENTITY", ""])
def test_identity_repeated_is_still_identity(client, url, headers, sample_body, coding):
    """`Content-Encoding: identity, identity` was refused 415 as a coding the mock does not decode."""
    response = client.post(url, data=json.dumps(sample_body), headers={**headers, "Content-Encoding": coding},
                           content_type="application/json")
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("coding", ["identity, gzip", "gzip, identity", "identity,,br"])
def test_a_coding_beside_identity_is_still_refused(client, url, headers, sample_body, coding):
    response = client.post(url, data=json.dumps(sample_body), headers={**headers, "Content-Encoding": coding},
                           content_type="application/json")
    assert response.status_code == 415
    assert response.get_json()["errors"] == [failure("body.content_encoding").item(got=repr(coding))]


def test_a_request_refused_on_its_headers_gets_no_100_continue(mock, minted):
    """`100 Continue` was sent before the 401 of a request with a bad token: the client was asked for a body the mock
    would not read. A server may refuse without asking (RFC 9110, 10.1.1), and closes the connection, whose unsent
    body would otherwise be read as the next request."""
    bad = dict(minted, token="not-a-token")
    started = time.monotonic()
    answer = exchange(mock.url, create_head(bad, "Expect: 100-continue\r\nContent-Length: 500"))
    held = time.monotonic() - started
    status, headers, _ = parsed(answer)
    assert answer.startswith(b"HTTP/1.1 401 "), answer
    assert (status, headers["connection"]) == (401, "close")
    assert held < IDLE


def test_100_continue_is_sent_once_the_body_is_wanted(mock, minted, contract):
    body = json.dumps({**contract.sample_request, "name": "Asked first"}).encode()
    with socket.create_connection(mock.address, timeout=10) as sock:
        sock.sendall(create_head(minted, f"Expect: 100-continue\r\nContent-Length: {len(body)}\r\nConnection: close"))
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        answer = until_closed(sock)
    assert parsed(answer)[0] == 200 and b" 100 " not in answer


def test_a_kept_alive_connection_goes_on_after_a_100_continue_and_its_body(shared_mock, minted, contract):
    mock = shared_mock("--db", ":memory:", "--idle-timeout", str(IDLE), *WORKER_KINDS["gthread"])
    body = json.dumps({**contract.sample_request, "name": "Kept alive"}).encode()
    first = create_head(minted, f"Expect: 100-continue\r\nContent-Length: {len(body)}") + body
    answer = exchange(mock.url, first + get("/__admin/health", "Host: mock", "Connection: close"))
    assert answer.count(b"HTTP/1.1 200") == 2 and answer.count(b"100 Continue") == 1


@pytest.mark.parametrize("field, spelt", [("Content-Length: 5", "Content-Length"), ("host: elsewhere", "Host"),
                                          ("TE: trailers", "TE")])
def test_a_field_a_trailer_may_not_carry_is_named_as_such(mock, minted, contract, field, spelt):
    """gunicorn refuses Content-Length in a chunked body's trailer section, rightly, but said "Invalid HTTP header
    name: 'CONTENT-LENGTH'", of a name that is valid."""
    body = json.dumps({**contract.sample_request, "name": "Trailer"}).encode()
    chunks = b"%x\r\n%s\r\n0\r\n%s\r\n\r\n" % (len(body), body, field.encode())
    answer = exchange(mock.url, create_head(minted, "Transfer-Encoding: chunked\r\nConnection: close") + chunks)
    status, _, text = parsed(answer)
    assert status == 400
    assert json.loads(text)["errors"] == [failure("http.malformed").item(
        detail=f"the chunked body's trailer section holds {spelt}, which a trailer may not carry (RFC 9110, 6.5.1):"
               " send it in the headers, or not at all")]


def test_a_target_in_absolute_form_names_the_host_in_place_of_host(mock):
    """RFC 9112 (3.2.2): a server that receives an absolute-form target ignores Host and uses the target's host. The
    served OpenAPI document named the Host header's."""
    raw = b"GET http://other.example:1234/openapi.json HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n"
    status, _, body = parsed(exchange(mock.url, raw))
    assert status == 200
    assert json.loads(body)["servers"][0]["url"] == "http://other.example:1234"


def test_the_in_process_mock_takes_the_host_of_an_absolute_target_too(in_process):
    where = in_process.url.removeprefix("http://").split(":")
    raw = b"GET http://other.example:1234/openapi.json HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n"
    with socket.create_connection((where[0], int(where[1])), timeout=10) as sock:
        sock.sendall(raw)
        answer = until_closed(sock)
    assert json.loads(parsed(answer)[2])["servers"][0]["url"] == "http://other.example:1234"


@pytest.mark.parametrize("target, host", [
    ("http://a.example/x", "a.example"), ("https://[::1]:8443/x?q=1", "[::1]:8443"),
    ("http://user@b.example/", "b.example"), ("http://c.example?q=1", "c.example"), ("/x", None), ("*", None),
    ("/x?next=http://e.example/", None),
])
def test_the_host_of_a_target_is_read_only_from_absolute_form(target, host):
    from mockserver.wire import target_host

    assert target_host(target) == host


def test_a_body_announced_beyond_max_body_is_refused_without_asking_for_it(mock, minted):
    """The case Expect: 100-continue is for (RFC 9110, 10.1.1): a body the server will refuse is not sent at all."""
    started = time.monotonic()
    answer = exchange(mock.url, create_head(minted, "Expect: 100-continue\r\nContent-Length: 10000000"))
    held = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert parsed(answer)[1]["connection"] == "close" and held < IDLE


@pytest.mark.parametrize(("host", "shown"), [("a..b", "'a..b'"), ("x" * 70 + ".example", "'" + "x" * 58 + "...")])
def test_a_host_header_that_is_no_host_name_is_named_in_the_answer(client, host, shown):
    """werkzeug's generic "The browser (or proxy) sent a request that this server could not understand" said
    nothing of what was wrong, and is in no row of the failure table."""
    response = client.get("/__admin/health", headers={"Host": host})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": f"Not a valid HTTP request: the Host header is not a host name"
                                                     f" (got {shown})", "code": 4000}]  # a long one cut, saying so


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/__admin//health"), ("GET", "//__admin/campaigns"), ("DELETE", "/__admin/faults//1"),
    ("POST", "/campaign/api/v2/public/st-1//campaign"), ("GET", "//openapi.json"),
])
def test_a_doubled_slash_is_no_such_endpoint_in_the_envelope(client, method, path):
    """Werkzeug answered 308 with an HTML page sending the client to the path with the slashes merged: the only
    answer of the mock's outside the error envelope, and one no document declares (a POST to be sent again). The path
    is set as a server sets it: the test client reads a leading `//x` as a host."""
    response = client.open("/", method=method, environ_overrides={"PATH_INFO": path, "RAW_URI": path})
    assert (response.status_code, response.mimetype) == (404, "application/json")
    assert response.get_json()["errors"][0]["code"] == 4004
