"""Clients that send slowly through `mockserver serve`: silent, stalled, or trickling a byte at a time.

Each read waits at most --idle-timeout; the headers must be whole within --idle-timeout of their first byte, and the
body within --body-timeout of the mock starting to read it, so no client holds a worker (sync) or thread (gthread)
longer. Over HTTPS the same holds inside TLS.
"""

from __future__ import annotations

import gzip
import json
import select
import socket
import ssl
import time

import pytest
import requests
from network import until_closed

from mockserver import process
from mockserver.failures import failure

WORKER_KINDS = {"sync": ("--threads", "1"), "gthread": ("--threads", "2")}


def _raw_create(minted: dict[str, str], body: bytes, announced: int) -> bytes:
    path = (f"/campaign/api/v2/public/{minted['streamId']}/campaign"
            f"?accountId={minted['accountId']}&campaignType=voice")
    head = (f"POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nauth: {minted['token']}\r\n"
            f"accountid: {minted['accountId']}\r\niid: {minted['streamId']}\r\nContent-Length: {announced}\r\n\r\n")
    return head.encode() + body


def _trickle(sock: socket.socket, data: bytes, every: float) -> tuple[bytes | None, float]:
    """Send `data` a byte every `every` seconds until the mock answers or closes: (what it sent back, or None if
    it never did; seconds waited)."""
    started = time.monotonic()
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except OSError:  # closed by the mock
            return b"", time.monotonic() - started
        if select.select([sock], [], [], every)[0] and (answer := _answer(sock)) is not None:
            return answer, time.monotonic() - started
    return None, time.monotonic() - started


def _answer(sock: socket.socket) -> bytes | None:
    """All the mock sent, to the close, if it has sent anything; None if not (a TLS session ticket, say, which
    makes the socket readable without a byte for the client)."""
    timeout = sock.gettimeout()
    sock.settimeout(0)
    try:
        answer = sock.recv(65536)
    except (ssl.SSLWantReadError, BlockingIOError):
        return None
    except OSError:  # reset
        return b""
    finally:
        sock.settimeout(timeout)
    return answer + until_closed(sock) if answer else answer


def _serve(kind: str, *args: str, pems=None):
    """The mock, plain or over HTTPS (pems), with one worker of the kind and short timeouts, for one test alone: a
    test that looks for a warning in the log needs a worker that has not logged it in the last minute (the workers
    log a warning once a minute, mockserver.worker_log.RepeatedWarnings)."""
    return process.running(*_serve_args(kind, *args, pems=pems), verify=pems["ca"] if pems else True)


def _serve_args(kind: str, *args: str, pems=None) -> tuple[str, ...]:
    tls = ("--certfile", pems["both"]) if pems else ()
    return ("--db", ":memory:", "--workers", "1", *WORKER_KINDS[kind], "--idle-timeout", "1", *tls, *args)


@pytest.fixture
def serve(shared_mock):
    """`serve(kind, *args, pems=None)`: the mock, plain or over HTTPS (pems), with one worker of the kind and short
    timeouts; shared by the module's tests that ask for the same (conftest.py's shared_mock)."""

    def get(kind: str, *args: str, pems=None):
        return shared_mock(*_serve_args(kind, *args, pems=pems), verify=pems["ca"] if pems else True)

    return get


def _connect(server, pems=None) -> socket.socket:
    sock = socket.create_connection(server.address, timeout=10)
    if pems:
        sock = ssl.create_default_context(cafile=pems["ca"]).wrap_socket(sock, server_hostname="127.0.0.1")
    return sock


def _check_still_serving(server, pems=None) -> None:
    health = requests.get(f"{server.url}/__admin/health", timeout=10, verify=pems["ca"] if pems else True)
    assert health.status_code == 200
    time.sleep(0.2)  # a log line is written as a connection closes
    output = "".join(server.output)
    assert "Traceback" not in output and "WORKER TIMEOUT" not in output, output


@pytest.fixture(params=["http", "https"])
def scheme_pems(request):
    """None for plain HTTP; the test certificates for HTTPS."""
    return request.getfixturevalue("pems") if request.param == "https" else None


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_headers_trickled_a_byte_at_a_time_do_not_hold_the_worker(kind, scheme_pems):
    """Each byte within --idle-timeout of the last, but the headers not whole within it of the first: a sync worker
    once read such a request for as long as the client kept it coming, as did a gthread thread, and over HTTPS both."""
    request = b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\nX-Slow: " + b"x" * 200 + b"\r\n\r\n"
    with _serve(kind, pems=scheme_pems) as server:
        with _connect(server, scheme_pems) as sock:
            answer, waited = _trickle(sock, request, every=0.1)  # 23 s for the whole request
        _check_still_serving(server, scheme_pems)
    assert answer == b"", answer  # closed, unanswered: the request never arrived
    assert 0.9 < waited < 3, waited
    assert "from ip=127.0.0.1 whose request did not arrive in time" in "".join(server.output)


def _client_hello(pems) -> bytes:
    """The first flight of a TLS client that trusts the test certificate, as bytes to send however slowly."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ssl.create_default_context(cafile=pems["ca"]).wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):  # it waits for the server's answer
        tls.do_handshake()
    return outgoing.read()


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_a_tls_handshake_trickled_a_byte_at_a_time_is_cut_off_at_the_idle_timeout(kind, pems):
    """OpenSSL reads the handshake itself, not through the deadline reads: what bounds it is the TLS socket's own
    timeout, which CPython applies to the handshake as a whole."""
    hello = _client_hello(pems)
    with _serve(kind, pems=pems) as server:
        with socket.create_connection(server.address, timeout=10) as sock:
            answer, waited = _trickle(sock, hello, every=0.1)  # about 50 s for the whole ClientHello
        _check_still_serving(server, pems)
    assert answer == b"", answer[:100] if answer else answer  # closed, no ServerHello: the handshake never finished
    assert 0.9 < waited < 3, waited
    assert "from ip=127.0.0.1 whose request did not arrive in time" in "".join(server.output)


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_a_body_trickled_a_byte_at_a_time_gets_a_408_at_the_body_timeout(kind, scheme_pems, contract, serve, minted):
    """Each byte within --idle-timeout of the last: the body was read for as long as the client kept it coming."""
    body = json.dumps(dict(contract.sample_request, name="Slow Outreach")).encode()
    server = serve(kind, "--body-timeout", "2", pems=scheme_pems)
    with _connect(server, scheme_pems) as sock:
        sock.sendall(_raw_create(minted, b"", announced=len(body)))
        answer, waited = _trickle(sock, body, every=0.2)  # about 5 minutes for the whole body
    _check_still_serving(server, scheme_pems)
    assert answer is not None, "no answer to the whole body"
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), answer[:300]
    [error] = json.loads(payload)["errors"]
    assert error["code"] == 4008 and "did not arrive whole within 2 s" in error["msg"], error
    assert 1.9 < waited < 3.5, waited


def _chunked_answer(serve, minted, kind: str, chunks: bytes) -> tuple[bytes, bytes]:
    """A create whose body is `chunks` as sent after chunked headers: the answer's head and body, read to the close."""
    head = _raw_create(minted, b"", announced=0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    server = serve(kind)
    with _connect(server) as sock:
        sock.sendall(head + chunks)
        answer = sock.makefile("rb").read()
    _check_still_serving(server)
    head, _, payload = answer.partition(b"\r\n\r\n")
    return head, payload


def test_a_chunked_body_that_stops_arriving_gets_a_408_without_a_length_in_it(serve, minted):
    head, payload = _chunked_answer(serve, minted, "sync", b"10\r\n{\"name\": ")
    assert head.startswith(b"HTTP/1.1 408 "), head
    [error] = json.loads(payload)["errors"]
    assert error["msg"] == "Request body stopped arriving: no more of it came for 1 s"


def test_a_chunked_body_is_read_whole(contract, serve, minted):
    """Clients that stream a body (no Content-Length) send it chunked."""
    body = json.dumps(dict(contract.sample_request, name="Chunked Outreach")).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:100], body[100:])) + b"0\r\n\r\n"
    head, payload = _chunked_answer(serve, minted, "sync", chunks)
    assert head.startswith(b"HTTP/1.1 200 "), head
    assert json.loads(payload)["data"]["name"] == "Chunked Outreach"


def test_a_transfer_coding_other_than_chunked_gets_501_and_nothing_is_created(contract, serve, minted):
    """gunicorn lets gzip, deflate and compress before chunked through undecoded: a gzipped body was judged "not
    valid UTF-8", and a plain one labelled gzip was created."""
    body = json.dumps(dict(contract.sample_request, name="Coded Outreach")).encode()
    head = _raw_create(minted, b"", announced=0)
    server = serve("sync")
    for coding, payload in (("gzip", gzip.compress(body)), ("gzip", body), ("deflate", body), ("br", body)):
        chunked = head.replace(b"Content-Length: 0", f"Transfer-Encoding: {coding}, chunked".encode())
        with _connect(server) as sock:
            sock.sendall(chunked + b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload))
            status, _, answer = sock.makefile("rb").read().partition(b"\r\n\r\n")
        assert status.startswith(b"HTTP/1.1 501 "), (coding, status)
        assert json.loads(answer) == {"errors": [failure("body.transfer_coding").item(
            detail=f"Unsupported transfer coding: '{coding}, chunked'")]}
    assert requests.get(f"{server.url}/__admin/health", timeout=10).json()["campaigns"] == 0


@pytest.mark.parametrize("worker_args", WORKER_KINDS.values(), ids=WORKER_KINDS)
def test_a_body_shorter_than_its_content_length_gets_a_408_not_a_hang(worker_args, contract, shared_mock, minted):
    """A Content-Length computed for another version of the payload once hung a worker 30 s, then got a 500."""
    body = json.dumps(dict(contract.sample_request, name="Café Outreach"), ensure_ascii=False).encode()
    server = shared_mock("--db", ":memory:", "--idle-timeout", "1", *worker_args)
    with socket.create_connection(server.address, timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(_raw_create(minted, body, announced=len(body) + 10))
        answer = sock.makefile("rb").read()  # to the close: the connection must not be kept
        waited = time.monotonic() - started
    health = requests.get(f"{server.url}/__admin/health", timeout=10)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), head
    assert b"\r\nConnection: close\r\n" in head  # gthread said keep-alive, then closed: a reused connection failed
    [error] = json.loads(payload)["errors"]
    assert error["code"] == 4008
    assert f"announced {len(body) + 10} bytes" in error["msg"] and "1 s" in error["msg"]
    assert waited < 4
    assert health.status_code == 200
    assert "Traceback" not in "".join(server.output)


@pytest.mark.parametrize("worker_args", WORKER_KINDS.values(), ids=WORKER_KINDS)
def test_headers_that_stop_arriving_free_the_worker_without_a_traceback(worker_args):
    """Half a request line and header: the sync worker once waited for the rest until gunicorn killed it, and a
    gthread thread until the client went away."""
    with process.running("--db", ":memory:", "--workers", "1", "--idle-timeout", "1", *worker_args) as server:
        with socket.create_connection(server.address, timeout=10) as sock:
            sock.sendall(b"POST /__admin/health HTTP/1.1\r\nHost: mo")
            started = time.monotonic()
            assert sock.recv(1024) == b""  # closed, without an answer to a request never finished
            waited = time.monotonic() - started
        health = requests.get(f"{server.url}/__admin/health", timeout=10)
        time.sleep(0.2)  # the log line is written as the connection closes
    assert waited < 3
    assert health.status_code == 200
    output = "".join(server.output)
    assert "Traceback" not in output and "WORKER TIMEOUT" not in output
    assert "from ip=127.0.0.1 whose request did not arrive in time" in output


@pytest.mark.parametrize("kind", WORKER_KINDS)
@pytest.mark.parametrize("request_bytes", [b"GET /__admin/health HTTP/1.1\nHost: mock\n\n",
                                           b"GET /__admin/health HTTP/1.1\r\nHost: mock\n\n",
                                           b"GET /__admin/health HTTP/1.1\nHost: mock\n"],
                         ids=["bare-lf", "mixed", "bare-lf-unfinished"])
def test_headers_ending_in_a_bare_lf_get_a_400_at_once(kind, request_bytes, serve):
    """A blank line after a bare LF ends the headers too: the sync worker once waited for a CRLF that never came,
    then closed the connection without a word after --idle-timeout."""
    server = serve(kind, "--idle-timeout", "5")
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(request_bytes)
        answer = sock.makefile("rb").read()
        waited = time.monotonic() - started
    _check_still_serving(server)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), answer[:300]
    assert "bare LF" in json.loads(payload)["errors"][0]["msg"]
    assert waited < 2, waited


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_a_malformed_chunk_is_refused_with_connection_close(kind, serve, minted):
    """The rest of the body cannot be found, so no request can follow on the connection, and the answer says so."""
    head, payload = _chunked_answer(serve, minted, kind, b"zz\r\n{}\r\n0\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), head
    assert b"\r\nConnection: close\r\n" in head
    assert "Invalid chunk size" in json.loads(payload)["errors"][0]["msg"]


def test_a_body_announced_too_large_is_refused_at_once_with_connection_close(serve, minted):
    """Not read (it may never come), so the connection cannot carry another request."""
    server = serve("gthread", "--idle-timeout", "5")  # a wait for the body would be 5 s, far from the bound below
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(_raw_create(minted, b'{"name": "', announced=2 * 1024 * 1024))
        answer = sock.makefile("rb").read()
        waited = time.monotonic() - started
    _check_still_serving(server)
    head, _, _ = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), answer[:300]
    assert b"\r\nConnection: close\r\n" in head
    assert waited < 3  # before --idle-timeout: nothing was waited for


def test_a_chunked_body_larger_than_the_drain_is_refused_with_connection_close(serve, minted):
    """After the 413 the mock reads and drops 1 MiB of a body so the connection can carry another request; a chunked
    body still coming after that may never end, so the answer closes the connection rather than wait for it."""
    head = _raw_create(minted, b"", announced=0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    size = 1024 * 1024 + 200 * 1024  # more than the limit and the drain together; no last chunk follows
    server = serve("gthread")
    with _connect(server) as sock:
        sock.sendall(head + f"{size:x}\r\n".encode() + b" " * size)
        answer = b""
        while b"\r\n\r\n" not in answer and (data := sock.recv(4096)):  # the head alone: no waiting for a close
            answer += data
    _check_still_serving(server)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
    assert b"\r\nConnection: close\r\n" in answer.partition(b"\r\n\r\n")[0], answer[:300]


@pytest.mark.parametrize(("workers", "threads"), [("2", "1"), ("1", "4")], ids=["sync", "gthread"])
def test_a_client_that_stops_reading_a_long_answer_holds_no_worker(tmp_path, minted, workers, threads):
    """A client that asks for a long journal listing and reads none of it held a sync worker until gunicorn's
    arbiter killed it a minute later (a traceback in the log, 'Perhaps out of memory?'), and a gthread thread until
    the client closed the connection: two such clients and a two-worker mock answered nothing for that minute. A
    write the client takes nothing of for `--idle-timeout` now ends the answer, as a client gone away does.
    The gthread case has one worker: with two, the kernel may hand every stalled client to one worker's threads
    and the other answer the health check, so the case would pass without the fix."""
    database = str(tmp_path / "mock.sqlite3")
    with process.running("--db", database, "--workers", workers, "--threads", threads, "--idle-timeout", "1") as server:
        endpoint = f"{server.url}/campaign/api/v2/public/{minted['streamId']}/campaign"
        headers = {"auth": minted["token"], "accountid": minted["accountId"], "iid": minted["streamId"],
                   "Content-Type": "application/json"}
        # refused (not JSON) and journaled: the journal keeps a body's first 8 KiB, and the listing writes each of
        # these bytes as \u0001, 48 KB an entry (a JSON string of them sent escaped kept 8 KiB of its escapes: 10 KB)
        body = b"\x01" * 8192
        with requests.Session() as session:
            for _ in range(200):  # 9.8 MB of listing: more than the sockets' buffers hold (Linux grows one to 4 MiB)
                session.post(endpoint, data=body, params={"accountId": minted["accountId"], "campaignType": "voice"},
                             headers=headers, timeout=30)
        stalled = []
        try:
            for _ in range(int(workers) * int(threads)):  # every thread of every worker
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.connect(server.address)
                sock.sendall(b"GET /__admin/requests?limit=10000 HTTP/1.1\r\nHost: mock\r\n\r\n")
                stalled.append(sock)
            time.sleep(3)  # the idle timeout, and room
            began = time.monotonic()
            assert requests.get(f"{server.url}/__admin/health", timeout=30).status_code == 200
            # before: a minute (sync), or no answer at all (gthread). A slow machine running another suite beside
            # this one took 8 s here, each thread building its 9.8 MB listing until the idle timeout cut it off
            assert time.monotonic() - began < 20
        finally:
            for sock in stalled:
                sock.close()
    assert "Traceback" not in "".join(server.output), "".join(server.output)[-3000:]
