"""The suite run from a network whose way out is a forward proxy named by HTTPS_PROXY / HTTP_PROXY (NO_PROXY for the
hosts reached directly), as requests reads them: a proxy that is down, refuses the run or wants credentials is named
in the line that stops the run, without its credentials, and its answer is never taken for the service's."""

from __future__ import annotations

import importlib.util
import select
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from mockserver.testing import serve

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
                   "no_proxy")
SECRET = "pr0xy-s3cret"
SQUID_PAGE = ("<!DOCTYPE html>\n<html><head><title>ERROR: The requested URL could not be retrieved</title></head>"
              "<body><p>Access control configuration prevents your request from being allowed.</p></body></html>")


@dataclass
class ForwardProxy:
    """A forward proxy (its `handle` served by serving_heads): CONNECT tunnels for https:// targets, absolute URIs for
    http:// ones; or, with `refuse` ("407 Proxy Authentication Required"), that answer to every request."""

    refuse: str | None = None
    requests: list[str] = field(default_factory=list)  # each request line it was sent
    own: str | None = None  # the status it answers an http:// target's request with itself, with a page of its own
    challenge: str = 'Basic realm="corp"'  # the Proxy-Authenticate of its refusal

    def handle(self, client: socket.socket, head: bytes) -> None:
        line, _, rest = head.partition(b"\r\n")
        self.requests.append(line.decode("latin-1"))
        method, target, _ = line.decode("latin-1").split(" ", 2)
        if self.refuse:
            client.sendall(f"HTTP/1.1 {self.refuse}\r\nProxy-Authenticate: {self.challenge}\r\n"
                           "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
            return
        if self.own and method != "CONNECT":  # as Squid answers: its policy, or a target it cannot reach
            page = SQUID_PAGE.encode()
            client.sendall(f"HTTP/1.1 {self.own}\r\nContent-Type: text/html;charset=utf-8\r\nX-Squid-Error:"
                           f" ERR_ACCESS_DENIED 0\r\nContent-Length: {len(page)}\r\nConnection: close\r\n\r\n"
                           .encode() + page)
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            url = urlsplit(target)
            upstream = socket.create_connection((url.hostname, url.port or 80), timeout=10)
            path = url.path + (f"?{url.query}" if url.query else "")
            upstream.sendall(f"{method} {path} HTTP/1.1\r\n".encode() + rest)
        with upstream:
            pipe(client, upstream)


def pipe(one: socket.socket, other: socket.socket) -> None:
    """Carry bytes both ways until either side closes (or resets: a client that gave up on a certificate) or both are
    quiet for 5 s."""
    while True:
        ready, _, _ = select.select([one, other], [], [], 5)
        if not ready:
            return
        for side in ready:
            try:
                chunk = side.recv(65536)
                if chunk:
                    (other if side is one else one).sendall(chunk)
            except ConnectionError:
                return
            if not chunk:
                return


@pytest.fixture
def forward_proxy(serving_heads):
    """`with forward_proxy(refuse=None, own=None, challenge=...) as (url, proxy):` a running ForwardProxy and its URL;
    closed on exit."""

    @contextmanager
    def start(refuse: str | None = None, own: str | None = None,
              challenge: str = 'Basic realm="corp"') -> Iterator[tuple[str, ForwardProxy]]:
        proxy = ForwardProxy(refuse, own=own, challenge=challenge)
        with serving_heads(proxy.handle) as url:
            yield url, proxy

    return start


@pytest.fixture
def stopped_through_proxy(run_contract_suite, no_proxy_settings, monkeypatch, forward_proxy, make_app):
    """`stopped_through_proxy(**proxy_options)`: the auth cases run against an in-process mock through a
    forward_proxy set in HTTP_PROXY; the run must stop (usage error) after the proxy was asked, without judging a
    case. Returns (the run's output, the mock's URL, the proxy's URL)."""

    def run(**proxy_options: str) -> tuple[pytest.RunResult, str, str]:
        with forward_proxy(**proxy_options) as (proxy_url, proxy):
            monkeypatch.setenv("HTTP_PROXY", proxy_url)
            with serve(make_app({"DATABASE": ":memory:"})) as url:
                result = run_contract_suite("--base-url", url, "-k", "auth")
        out = result.stdout.str()
        assert result.ret == pytest.ExitCode.USAGE_ERROR, out
        assert proxy.requests and "expected status" not in out
        return result, url, proxy_url

    return run


@pytest.fixture
def no_proxy_settings(monkeypatch):
    """No proxy variable of this machine (nor the tests' own NO_PROXY for loopback hosts) reaches the test."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_a_proxy_that_is_down_is_named_with_its_variable_without_its_credentials(run_contract_suite, free_port,
                                                                                  no_proxy_settings, monkeypatch,
                                                                                  variable, make_app):
    """The line said "no answer from http://127.0.0.1:...: ProxyError: Failed to establish a new connection", naming
    neither the proxy nor the variable that chose it."""
    monkeypatch.setenv(variable, f"http://corp:{SECRET}@127.0.0.1:{free_port}")
    with serve(make_app({"DATABASE": ":memory:"})) as url:
        result = run_contract_suite("--base-url", url, "-k", "auth")
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    result.stdout.fnmatch_lines([f"! Interrupted: contract suite: auth/*: no answer from http://127.0.0.1:* through"
                                 f" the proxy http://***@127.0.0.1:{free_port} ({variable}; NO_PROXY lists the hosts"
                                 " reached directly): ProxyError: *Connection refused !"])
    assert SECRET not in out


def test_no_proxy_sends_the_target_past_the_proxy(no_proxy_settings, monkeypatch, free_port, first_case_answer,
                                                  make_app):
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{free_port}")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with serve(make_app({"DATABASE": ":memory:"})) as url:
        assert first_case_answer(url) == "401"


def test_an_https_target_is_reached_through_a_connect_tunnel_with_a_private_ca(no_proxy_settings, monkeypatch, pems,
                                                                               first_case_answer, forward_proxy,
                                                                               make_app):
    with forward_proxy() as (proxy_url, proxy), serve(make_app({"DATABASE": ":memory:"}),
                                                      ssl_context=(pems["cert"], pems["key"])) as url:
        monkeypatch.setenv("HTTPS_PROXY", proxy_url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", pems["ca"])
        answered = first_case_answer(url)
    assert answered == "401"
    # http.client asks for the tunnel in HTTP/1.0 on Python 3.11, in HTTP/1.1 on newer ones (3.13)
    assert proxy.requests in ([f"CONNECT {urlsplit(url).netloc} HTTP/1.{minor}"] for minor in (0, 1)), proxy.requests


@pytest.mark.parametrize("refusal", ["407 Proxy Authentication Required", "403 Forbidden"])
def test_a_proxy_refusing_the_tunnel_is_named(no_proxy_settings, monkeypatch, pems, refusal, first_case_answer,
                                              forward_proxy, make_app):
    with forward_proxy(refuse=refusal) as (proxy_url, _), serve(make_app({"DATABASE": ":memory:"}),
                                                                ssl_context=(pems["cert"], pems["key"])) as url:
        monkeypatch.setenv("HTTPS_PROXY", proxy_url.replace("http://", f"http://corp:{SECRET}@"))
        said = first_case_answer(url)
    port = urlsplit(proxy_url).port
    assert said.startswith(f"no answer from {url} through the proxy http://***@127.0.0.1:{port} (HTTPS_PROXY; NO_PROXY"
                           " lists the hosts reached directly): ProxyError: "), said
    assert refusal in said and SECRET not in said


def test_a_proxy_wanting_credentials_for_an_http_target_stops_the_run_not_fails_a_case(stopped_through_proxy):
    """A forward proxy answers an http:// target's request itself: its 407 was judged as the service's answer, a
    contract failure "expected status 401, got 407" for every case."""
    result, _, proxy_url = stopped_through_proxy(refuse="407 Proxy Authentication Required")
    result.stdout.fnmatch_lines([f"! Interrupted: contract suite: auth/*: http://127.0.0.1:* through the proxy"
                                 f" {proxy_url} (HTTP_PROXY; NO_PROXY lists the hosts reached directly) answered 407"
                                 " Proxy Authentication Required: the proxy wants credentials; give them in the"
                                 " proxy's URL, http://user:password@host:port !"])


def test_a_407_without_a_proxy_named_says_a_proxy_on_the_way_wants_credentials(no_proxy_settings, first_case_answer):
    """A proxy the network puts in the way unasked (a transparent one) answers 407 too: only a proxy does."""
    def proxy_in_the_way(environ, start_response):
        start_response("407 Proxy Authentication Required", [("Proxy-Authenticate", "Basic realm=\"corp\"")])
        return [b""]

    with serve(proxy_in_the_way) as url:
        said = first_case_answer(url)
    assert said == (f"{url} answered 407 Proxy Authentication Required: a proxy on the way wants credentials; name it"
                    " with its credentials in HTTP_PROXY, http://user:password@host:port")


def test_a_socks_proxy_without_pysocks_says_what_to_install(no_proxy_settings, monkeypatch, free_port,
                                                            first_case_answer, make_app):
    """requests' words, "Missing dependencies for SOCKS support.", named neither the package nor the proxy."""
    if importlib.util.find_spec("socks") is not None:
        pytest.skip("PySocks is installed here: requests can speak SOCKS")
    monkeypatch.setenv("HTTP_PROXY", f"socks5h://127.0.0.1:{free_port}")
    with serve(make_app({"DATABASE": ":memory:"})) as url:
        said = first_case_answer(url)
    assert said == (f"no answer from {url} through the proxy socks5h://127.0.0.1:{free_port} (HTTP_PROXY; NO_PROXY"
                    " lists the hosts reached directly): InvalidSchema: Missing dependencies for SOCKS support. (a"
                    " SOCKS proxy needs PySocks: pip install 'requests[socks]')")


@pytest.mark.parametrize(("no_proxy", "through"), [
    ("", " through the proxy http://***@127.0.0.1:3128 (HTTPS_PROXY; NO_PROXY lists the hosts reached directly)"),
    ("kore.example.invalid", ""),
], ids=["through the proxy", "NO_PROXY"])
def test_the_report_header_says_which_proxy_the_target_is_reached_through(run_contract_suite, no_proxy_settings,
                                                                         monkeypatch, no_proxy, through):
    """A CI log said what was tested but not how it was reached: which of the machine's proxy settings applied."""
    monkeypatch.setenv("HTTPS_PROXY", f"http://corp:{SECRET}@127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    result = run_contract_suite("--base-url", "https://kore.example.invalid/gateway/kore", "--collect-only")
    result.stdout.fnmatch_lines([f"contract target: https://kore.example.invalid/gateway/kore{through} (tenant *"])
    assert SECRET not in result.stdout.str()


@contextmanager
def dropping_connections() -> Iterator[str]:
    """An address whose connections are never taken, as behind a firewall that drops them: a listener whose queue
    of one is full, so the kernel drops each further SYN."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    queued = [socket.socket() for _ in range(3)]
    try:
        for client in queued:
            client.setblocking(False)
            client.connect_ex(address)
        yield f"http://127.0.0.1:{address[1]}"
    finally:
        for client in queued:
            client.close()
        listener.close()


def test_a_connection_never_taken_suggests_a_firewall_or_a_missing_proxy(no_proxy_settings, first_case_answer):
    """It said "ConnectTimeout: (<HTTPConnection(host='127.0.0.1', port=...) at 0x7f...>, 'Connection to 127.0.0.1
    timed out. (connect timeout=0.5)')", which on a network whose way out is a proxy is what going direct looks like."""
    with dropping_connections() as url:
        said = first_case_answer(url, timeout=0.5)
    assert said == (f"no answer from {url}: ConnectTimeout: Connection to 127.0.0.1 timed out. (connect timeout=0.5)"
                    " (nothing took the connection within --contract-timeout 0.5 s: a firewall that drops it? On a"
                    " network whose way out is a proxy, name it in HTTP_PROXY)")


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("HTTPS_PROXY", f"http://corp:{SECRET}@proxy.corp:port", "'http://***@proxy.corp:port' is not a proxy's URL"),
    ("https_proxy", "not a url", "'not a url' is not a proxy's URL"),
    ("ALL_PROXY", "http://:3128", "'http://:3128' names no host"),
    ("HTTPS_PROXY", "ftp://proxy.corp:21", "'ftp://proxy.corp:21' has the scheme ftp://, which requests cannot use"
                                           " for a proxy"),
], ids=["port not a number", "not a URL", "no host", "unsupported scheme"])
def test_a_malformed_proxy_variable_is_one_usage_line_before_any_case(run_contract_suite, no_proxy_settings,
                                                                      monkeypatch, variable, value, said):
    """Each was found at the first case only, in requests' words ("InvalidURL: Failed to parse: 'proxy.corp:port'
    ...", "ProxySchemeUnknown"), and one quoted the proxy's password."""
    monkeypatch.setenv(variable, value)
    result = run_contract_suite("--base-url", "https://kore.example.invalid", "--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {variable} {said}*: give the proxy as http://host:port*"])
    assert len([line for line in result.stderr.lines if line]) == 1
    assert SECRET not in result.stderr.str() + result.stdout.str()


def test_a_malformed_proxy_variable_for_the_other_scheme_or_a_host_no_proxy_lists_is_not_used(
        run_contract_suite, no_proxy_settings, monkeypatch):
    """requests reads HTTP_PROXY for http:// targets alone, and no proxy for a host NO_PROXY lists: neither stops a
    run it plays no part in."""
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp:port")
    monkeypatch.setenv("ALL_PROXY", "not a url")
    monkeypatch.setenv("NO_PROXY", ".example.invalid")
    result = run_contract_suite("--base-url", "https://kore.example.invalid", "--collect-only")
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_that_never_takes_the_connection_is_named_as_what_timed_out(no_proxy_settings, monkeypatch, scheme,
                                                                            first_case_answer):
    """A proxy behind a firewall that drops the connection: the line named the proxy but said neither that the proxy
    (not the target) took no connection nor which option's time ran out."""
    variable = f"{scheme.upper()}_PROXY"
    with dropping_connections() as proxy_url:
        monkeypatch.setenv(variable, proxy_url)
        said = first_case_answer(f"{scheme}://kore.example.invalid", timeout=0.5)
    assert said == (f"no answer from {scheme}://kore.example.invalid through the proxy {proxy_url} ({variable};"
                    " NO_PROXY lists the hosts reached directly): ProxyError: Connection to 127.0.0.1 timed out."
                    " (connect timeout=0.5) (the proxy took no connection within --contract-timeout 0.5 s: an address"
                    " this network does not reach, or a firewall that drops it?)")


@pytest.mark.parametrize(("own", "why"), [
    ("403 Forbidden", "its policy refuses the request"),
    ("502 Bad Gateway", "it could not reach the target"),
    ("504 Gateway Timeout", "the target did not answer it in time"),
])
def test_a_forward_proxy_answering_an_http_target_itself_is_named_not_judged(stopped_through_proxy, own, why):
    """A forward proxy answers an http:// target's request itself when its policy refuses it or it cannot reach the
    target: its 403 page stopped the run as "something in front of that address refuses the run", naming no proxy,
    and its 502 and 504 were "gateway 502", naming none either."""
    result, url, proxy_url = stopped_through_proxy(own=own)
    result.stdout.fnmatch_lines([f"! Interrupted: contract suite: auth/*: {url} through the proxy {proxy_url}"
                                 f" (HTTP_PROXY; NO_PROXY lists the hosts reached directly) answered {own[:3]} itself,"
                                 " not the service (text/html;charset=utf-8: 'ERROR: The requested URL could not be"
                                 f" retrieved'): {why}*"])



def test_a_certificate_not_trusted_through_a_proxy_says_the_proxy_may_re_sign_tls(no_proxy_settings, monkeypatch,
                                                                                    pems, first_case_answer,
                                                                                    forward_proxy, make_app):
    """Behind a proxy that intercepts TLS, the certificate the suite sees is the proxy's, signed by a corporate CA:
    the line said to add "the CA that issued the server's certificate", sending the user to the service's owners."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    with forward_proxy() as (proxy_url, _), serve(make_app({"DATABASE": ":memory:"}),
                                                  ssl_context=(pems["cert"], pems["key"])) as url:
        monkeypatch.setenv("HTTPS_PROXY", proxy_url)
        said = first_case_answer(url)
    assert said.startswith(f"no answer from {url} through the proxy {proxy_url} (HTTPS_PROXY; NO_PROXY lists the"
                           " hosts reached directly): SSLError: "), said
    assert said.endswith("; through a proxy that re-signs TLS, the certificate is the proxy's: trust the CA that"
                         " signs it (your network's own), in the same way)"), said


def test_a_tunnel_refused_407_says_how_to_give_the_proxy_credentials(no_proxy_settings, monkeypatch, pems,
                                                                     first_case_answer, forward_proxy, make_app):
    """The line ended with requests' words, "Tunnel connection failed: 407 Proxy Authentication Required", saying
    neither where credentials go nor what to do for a proxy that takes only a Windows sign-in."""
    with forward_proxy(refuse="407 Proxy Authentication Required") as (proxy_url, _), serve(
            make_app({"DATABASE": ":memory:"}), ssl_context=(pems["cert"], pems["key"])) as url:
        monkeypatch.setenv("HTTPS_PROXY", proxy_url)
        said = first_case_answer(url)
    assert said.endswith("Tunnel connection failed: 407 Proxy Authentication Required (the proxy wants credentials:"
                         " give them in its URL, http://user:password@host:port; one that takes only a Windows"
                         " sign-in, Negotiate or NTLM, needs a local relay that speaks it, such as cntlm or px, named"
                         " in the variable instead)"), said


def test_a_407_offering_only_a_windows_sign_in_says_to_use_a_relay(stopped_through_proxy):
    """requests gives Basic credentials alone: to a proxy that offers only Negotiate or NTLM, the advice to put
    credentials in its URL could not work."""
    result, _, proxy_url = stopped_through_proxy(refuse="407 Proxy Authentication Required", challenge="Negotiate")
    result.stdout.fnmatch_lines(["! Interrupted: contract suite: auth/*: http://127.0.0.1:* through the proxy"
                                 f" {proxy_url} (HTTP_PROXY; NO_PROXY lists the hosts reached directly) answered 407"
                                 " Proxy Authentication Required: the proxy wants a sign-in requests cannot give"
                                 " (Proxy-Authenticate: Negotiate; requests gives Basic alone): run a local relay that"
                                 " speaks it, such as cntlm or px, and name it in HTTP_PROXY !"])


@pytest.mark.parametrize(("no_proxy", "url", "direct"), [
    (".example.invalid", "https://kore.example.invalid", True),
    ("*", "https://kore.example.invalid", True),
    ("10.0.0.0/8", "https://10.1.2.3", True),
    ("10.0.0.0/8", "https://kore.example.invalid", False),
    (" other.invalid , kore.example.invalid ", "https://kore.example.invalid", True),
], ids=["leading dot", "star", "CIDR", "CIDR for a host name", "spaces"])
def test_the_no_proxy_forms_are_read_as_requests_reads_them(no_proxy_settings, monkeypatch, no_proxy, url, direct):
    from mockserver.http_client import proxy_route

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert (proxy_route(url) == "") == direct
