"""`mockserver serve --certfile/--keyfile`: HTTPS, for clients whose base URL must be https://."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import requests
from commands import mockserver_command

from mockserver import process
from mockserver.errors import ConfigError
from mockserver.failures import failure
from mockserver.tls import bounded_socket_class, check_tls, plain_http_on_tls

WORKER_KINDS = {"sync": (), "gthread": ("--threads", "4")}


def _client_context(pems) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=pems["ca"])


def _https_args(pems, kind: str, *serve_args: str) -> tuple[str, ...]:
    return ("--db", ":memory:", "--certfile", pems["both"], *WORKER_KINDS[kind], *serve_args)


def https_mock(pems, kind: str = "sync", *serve_args: str):
    """`mockserver serve` over HTTPS with a throwaway database, trusted through the test CA, for one test alone: a
    test that looks for a warning in the log needs workers that have not logged it in the last minute (they log a
    warning once a minute, mockserver.worker_log.RepeatedWarnings)."""
    return process.running(*_https_args(pems, kind, *serve_args), verify=pems["ca"])


@pytest.fixture
def shared_https(shared_mock, pems):
    """`shared_https(kind, *serve_args)`: as https_mock, shared by the module's tests that ask for the same
    (conftest.py's shared_mock)."""

    def get(kind: str = "sync", *serve_args: str):
        return shared_mock(*_https_args(pems, kind, *serve_args), verify=pems["ca"])

    return get


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_the_sample_request_succeeds_over_https(kind, pems, tmp_path, contract, minted):
    args = ("--db", str(tmp_path / "mock.sqlite3"), "--certfile", pems["cert"], "--keyfile", pems["key"])
    with process.running(*args, *WORKER_KINDS[kind], verify=pems["ca"]) as server:
        assert server.url.startswith("https://127.0.0.1:")
        with requests.Session() as session:  # one connection for both: gthread keeps it alive between them
            created = session.post(
                f"{server.url}/campaign/api/v2/public/{minted['streamId']}/campaign",
                params={"accountId": minted["accountId"], "campaignType": "voice"},
                headers={"auth": minted["token"], "accountid": minted["accountId"], "iid": minted["streamId"]},
                json=contract.sample_request, timeout=10, verify=pems["ca"],
            )
            listed = session.get(f"{server.url}/__admin/campaigns", timeout=10, verify=pems["ca"]).json()
    assert created.status_code == 200, created.text
    assert created.json()["status"] == "success"
    assert listed["total"] == 1


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_plain_http_to_the_https_port_is_told_to_use_https(kind, pems, shared_https):
    row = failure("http.tls_required")
    server = shared_https(kind)
    plain = requests.get(server.url.replace("https://", "http://") + "/__admin/health", timeout=10)
    still = requests.get(f"{server.url}/__admin/health", timeout=10, verify=pems["ca"])
    assert plain.status_code == row.status == 400
    assert plain.json() == {"errors": [{"msg": row.message, "code": row.code}]}
    assert "https://" in row.message
    assert still.status_code == 200
    assert "Traceback" not in "".join(server.output)


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_a_client_that_does_not_trust_the_certificate_fails_its_handshake_and_nothing_else(kind, pems):
    with https_mock(pems, kind) as server:
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{server.url}/__admin/health", timeout=10)  # the system's CAs do not include ours
        with socket.create_connection(server.address, timeout=10) as sock:  # a handshake record of garbage
            sock.sendall(b"\x16\x03\x01\x00\x05garbage, not a ClientHello\r\n\r\n")
            answer = sock.recv(1000)
        still = requests.get(f"{server.url}/__admin/health", timeout=10, verify=pems["ca"])
    assert not answer.startswith(b"HTTP/")  # a TLS alert (or nothing), never gunicorn's plain-text page
    assert still.status_code == 200
    output = "".join(server.output)
    assert "TLS handshake with ip=127.0.0.1 failed" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_a_client_that_keeps_failing_its_handshake_is_logged_once_not_each_time(kind, pems):
    """A client retrying with a certificate it does not trust wrote a warning per attempt."""
    with https_mock(pems, kind, "--workers", "1") as server:
        for _ in range(5):
            with pytest.raises(requests.exceptions.SSLError):
                requests.get(f"{server.url}/__admin/health", timeout=10)
        still = requests.get(f"{server.url}/__admin/health", timeout=10, verify=pems["ca"])
    assert still.status_code == 200
    output = "".join(server.output)
    assert output.count("TLS handshake with ip=127.0.0.1 failed") == 2, output  # the first, and the count at exit
    assert "(and 4 more like it in the " in output, output  # the client gave up: the worker tells as it stops


@pytest.mark.parametrize("kind", WORKER_KINDS)
@pytest.mark.parametrize("sent", [b"", b"GET /__admin/health HTTP/1.1\r\nHost: mock\r\n"], ids=["nothing", "half"])
def test_a_tls_client_that_stops_sending_is_dropped_after_the_idle_timeout(kind, sent, pems, shared_https):
    """A blocking TLS socket ignores SO_RCVTIMEO: without bounded sockets this held a gthread thread for ever."""
    server = shared_https(kind, "--idle-timeout", "1")
    raw = socket.create_connection(server.address, timeout=10)
    with _client_context(pems).wrap_socket(raw, server_hostname="127.0.0.1") as sock:
        sock.sendall(sent)
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the mock, not our 10 s timeout
        waited = time.monotonic() - started
    assert waited < 4
    assert "Traceback" not in "".join(server.output)


def test_a_body_that_stops_arriving_over_tls_gets_408(pems, shared_https, minted):
    head = (f"POST /campaign/api/v2/public/{minted['streamId']}/campaign?accountId={minted['accountId']}"
            f"&campaignType=voice HTTP/1.1\r\nHost: mock\r\nauth: {minted['token']}\r\n"
            f"accountid: {minted['accountId']}\r\niid: {minted['streamId']}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    server = shared_https("sync", "--idle-timeout", "1")
    raw = socket.create_connection(server.address, timeout=10)
    with _client_context(pems).wrap_socket(raw, server_hostname="127.0.0.1") as sock:
        sock.sendall(head.encode() + b'{"name": ')  # 9 of the 100 bytes announced
        answer = sock.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["errors"][0]["code"] == failure("body.timeout").code


@pytest.mark.parametrize(("which", "expected"), [
    ({"certfile": "missing"}, "cannot read --certfile: No such file"),
    ({"certfile": "folder"}, "cannot read --certfile: Is a directory"),
    ({"keyfile": "key"}, "--keyfile needs --certfile"),
    ({"certfile": "cert"}, "--certfile holds no private key: give the key with --keyfile"),
    ({"certfile": "key", "keyfile": "cert"}, "--certfile holds no PEM certificate"),
    ({"certfile": "cert", "keyfile": "ca"}, "--keyfile holds no PEM private key"),
    ({"certfile": "cert", "keyfile": "missing"}, "cannot read --keyfile: No such file"),
    ({"certfile": "other", "keyfile": "key"}, "the certificate and the key do not go together: key values mismatch"),
    ({"certfile": "cert", "keyfile": "encrypted"}, "the private key is encrypted, and the mock cannot ask for its"),
    ({"certfile": "cert", "keyfile": "encrypted-traditional"}, "the private key is encrypted"),
])
def test_a_wrong_certificate_or_key_is_refused_in_one_line(which, expected, pems, tmp_path):
    """An encrypted key made start-up wait at OpenSSL's passphrase prompt (or, without a terminal, fail with
    "Invalid argument")."""
    paths = {**pems, "missing": str(tmp_path / "missing.pem"), "folder": str(tmp_path),
             "encrypted": _encrypted_key(pems, tmp_path), "encrypted-traditional": _encrypted_key(pems, tmp_path, True)}
    with pytest.raises(ConfigError, match=expected):
        check_tls(paths[which["certfile"]] if "certfile" in which else None,
                  paths[which["keyfile"]] if "keyfile" in which else None)


def _encrypted_key(pems, folder: Path, traditional: bool = False) -> str:
    """The test key under a passphrase: PKCS#8 ("ENCRYPTED PRIVATE KEY"), or OpenSSL's older "Proc-Type" form."""
    out = folder / f"encrypted{'-traditional' if traditional else ''}.pem"
    command = ["openssl", "rsa", "-traditional"] if traditional else ["openssl", "pkey"]
    subprocess.run([*command, "-in", pems["key"], "-aes128", "-passout", "pass:secret", "-out", str(out)],
                   check=True, capture_output=True, timeout=60)
    return str(out)


def test_a_renewal_with_an_encrypted_key_keeps_the_previous_certificate(pems, tmp_path):
    """OpenSSL would ask for the passphrase on the terminal, holding the worker: the new key is not loaded."""
    from types import SimpleNamespace

    from mockserver import tls

    key = tmp_path / "key.pem"
    shutil.copy(pems["key"], key)
    conf = SimpleNamespace(certfile=pems["cert"], keyfile=str(key), keepalive=5)
    built = []

    def factory() -> ssl.SSLContext:
        built.append(True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(conf.certfile, conf.keyfile, password=lambda: pytest.fail("asked for a passphrase"))
        return context

    first = tls.server_context(conf, factory)
    try:
        shutil.copy(_encrypted_key(pems, tmp_path), key)
        assert tls.server_context(conf, factory) is first and len(built) == 1
    finally:
        tls._contexts.clear()


def test_a_wrong_certificate_stops_serve_before_it_listens(pems):
    result = mockserver_command("serve", "--port", "0", "--db", ":memory:", "--certfile", pems["key"],
                                "--keyfile", pems["cert"])
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"mockserver serve: error: {pems['key']}: --certfile holds no PEM certificate (-----BEGIN CERTIFICATE-----)"]


def test_a_certificate_with_its_key_in_one_file_or_two_is_accepted(pems):
    check_tls(pems["both"], None)
    check_tls(pems["cert"], pems["key"])
    check_tls(None, None)  # plain HTTP


def _served_certificate(server) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # which certificate, not whether it is trusted
    with socket.create_connection(server.address, timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as sock:
            return sock.getpeercert(binary_form=True)


def _der(path: str) -> bytes:
    return ssl.PEM_cert_to_DER_cert(Path(path).read_text(encoding="utf-8"))


def test_a_renewed_certificate_is_served_from_the_next_handshake_by_every_worker(pems, tmp_path):
    """Each worker loaded the certificate once: after renewal, workers served old and new ones until a HUP."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    shutil.copy(pems["cert"], cert)
    shutil.copy(pems["key"], key)
    with process.running("--db", ":memory:", "--workers", "2", "--certfile", str(cert), "--keyfile", str(key),
                         verify=pems["ca"]) as server:
        before = {_served_certificate(server) for _ in range(6)}
        # half way through a renewal: the old one stays in use
        cert.write_text("not a certificate yet\n", encoding="utf-8")
        during = {_served_certificate(server) for _ in range(6)}
        shutil.copy(pems["other_key"], key)
        shutil.copy(pems["other"], cert)
        after = {_served_certificate(server) for _ in range(6)}
    assert before == during == {_der(pems["cert"])}
    assert after == {_der(pems["other"])}
    output = "".join(server.output)
    assert "did not load" in output and "still serving the previous one" in output
    assert "Traceback" not in output


def test_a_worker_whose_first_handshake_comes_during_a_renewal_serves_the_certificate_checked_at_start(pems, tmp_path):
    """Each worker built its context at its first handshake: one that had served none yet when the certificate
    file was half written had nothing to fall back on, and failed every handshake until the file loaded."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    shutil.copy(pems["cert"], cert)
    shutil.copy(pems["key"], key)
    with process.running("--db", ":memory:", "--workers", "2", "--certfile", str(cert), "--keyfile", str(key),
                         verify=pems["ca"]) as server:
        cert.write_text("not a certificate yet\n", encoding="utf-8")  # before any handshake
        during = {_served_certificate(server) for _ in range(6)}
    assert during == {_der(pems["cert"])}
    assert "Traceback" not in "".join(server.output)


def test_the_first_bytes_tell_plain_http_from_tls():
    verdicts = {}
    for sent in (b"GET / HTTP/1.1\r\n", b"\x16\x03\x01", b""):
        left, right = socket.socketpair()
        with left, right:
            left.sendall(sent)
            verdicts[sent] = plain_http_on_tls(right, wait=0.2)
            if sent:
                assert right.recv(100) == sent  # left unread for the server
    assert verdicts == {b"GET / HTTP/1.1\r\n": True, b"\x16\x03\x01": False, b"": False}


def test_bounded_tls_sockets_never_block_without_a_limit(pems):
    bounded = bounded_socket_class(2)
    assert bounded is bounded_socket_class(2)  # one class per setting, not one per connection
    server_side, client_side = socket.socketpair()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pems["both"])
    context.sslsocket_class = bounded
    with client_side, context.wrap_socket(server_side, server_side=True, do_handshake_on_connect=False) as sock:
        assert sock.gettimeout() == 2.0  # wrapped from a blocking socket
        sock.setblocking(False)
        assert sock.gettimeout() == 0.0
        sock.setblocking(True)
        assert sock.gettimeout() == 2.0
        sock.settimeout(None)
        assert sock.gettimeout() == 2.0
        sock.settimeout(0.5)
        assert sock.gettimeout() == 0.5


# drop=reset and drop=after-reset: the client's read fails with ECONNRESET on the wire, but Python's ssl module (3.11)
# reports a reset under TLS as the end of the stream, so requests says "Remote end closed" here; a plain connection
# says "reset" (tests/test_faults_server.py)
@pytest.mark.parametrize(("spec", "words"),
                         [("drop", "closed"), ("drop=after", "closed"), ("drop=reset", "closed|reset"),
                          ("drop=after-reset", "closed|reset")])
def test_a_dropped_connection_fault_drops_a_tls_connection_too(spec, words, pems, shared_https):
    server = shared_https("sync")
    with pytest.raises(requests.exceptions.ConnectionError, match=words):
        requests.get(f"{server.url}/campaign/x", headers={"X-Mock-Fault": spec}, timeout=10, verify=pems["ca"])
    still = requests.get(f"{server.url}/__admin/health", timeout=10, verify=pems["ca"])
    assert still.status_code == 200
    assert "Traceback" not in "".join(server.output)


@pytest.mark.parametrize("kind", WORKER_KINDS)
def test_malformed_http_inside_tls_is_refused_in_the_envelope(kind, pems, shared_https):
    server = shared_https(kind)
    too_long = requests.get(f"{server.url}/__admin/health?{'a' * 6000}", timeout=10, verify=pems["ca"])
    bad_length = requests.get(f"{server.url}/__admin/health", headers={"Content-Length": "abc"}, timeout=10,
                              verify=pems["ca"])
    assert too_long.status_code == 414
    assert too_long.json()["errors"][0]["code"] == failure("http.line_too_long").code
    assert bad_length.status_code == 400
    assert bad_length.json()["errors"][0]["msg"].startswith("Not a valid HTTP request")


def test_a_certificate_gone_before_the_master_loads_it_is_one_line(tmp_path):
    """check_tls reads the files a moment before gunicorn starts; if they go meanwhile, a ConfigError, not a
    traceback from gunicorn's start-up hook."""
    import types

    from mockserver.errors import ConfigError
    from mockserver.tls import preload_context, server_context

    cfg = types.SimpleNamespace(certfile=str(tmp_path / "gone.pem"), keyfile=None, ca_certs=None, cert_reqs=0,
                                ciphers=None, keepalive=5, ssl_context=server_context, http_protocols="h1")
    with pytest.raises(ConfigError, match="cannot load --certfile/--keyfile"):
        preload_context(types.SimpleNamespace(cfg=cfg))
