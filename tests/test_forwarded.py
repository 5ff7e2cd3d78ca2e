"""Behind a reverse proxy: the X-Forwarded-* headers are read only from the proxies named by --forwarded-allow-ips
(config FORWARDED_ALLOW_IPS), never by default, so a client cannot pass itself off as another address or make
the OpenAPI documents name a server of its choosing."""

from __future__ import annotations

import re

import pytest
import requests

from mockserver import process
from mockserver.errors import ConfigError

PROXIED = {
    "X-Forwarded-For": "198.51.100.9, 203.0.113.7",  # a value the client sent, then the one the proxy appended
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "mock.example:8443",
    "X-Forwarded-Prefix": "/kore-mock",
}
BEHIND = "https://mock.example:8443/kore-mock"


@pytest.fixture
def client_of(tmp_path, make_app):
    """client_of(**config): a test client of an app with the request log on; its store is closed after the test."""
    def client(**config):
        return make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "REQUEST_LOG": True, **config}).test_client()
    return client


def servers(client, peer: str = "127.0.0.1", path: str = "/openapi.json") -> list[str]:
    answer = client.get(path, headers=PROXIED, environ_base={"REMOTE_ADDR": peer})
    assert answer.status_code == 200
    return [server["url"] for server in answer.get_json()["servers"]]


def test_a_trusted_proxy_names_the_documents_server_and_the_client(client_of, capsys):
    client = client_of(FORWARDED_ALLOW_IPS="127.0.0.1, 10.0.0.0/8")
    assert servers(client) == [BEHIND]
    assert servers(client, peer="10.1.2.3", path="/__admin/openapi.json") == [BEHIND]
    capsys.readouterr()
    client.get("/nope", headers=PROXIED, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert re.search(r" GET /nope 404 [\d.]+ ms from 203\.0\.113\.7 via 10\.1\.2\.3$", capsys.readouterr().err, re.M)


@pytest.mark.parametrize("config", [{}, {"FORWARDED_ALLOW_IPS": "10.0.0.1"}])
def test_forwarded_headers_are_ignored_unless_their_sender_is_trusted(client_of, capsys, config):
    client = client_of(**config)
    assert servers(client) == ["http://localhost"]
    capsys.readouterr()
    client.get("/nope", headers=PROXIED)
    assert re.search(r" GET /nope 404 [\d.]+ ms from 127\.0\.0\.1$", capsys.readouterr().err, re.M)


@pytest.mark.parametrize("value", ["10.0.0", "localhost", "10.0.0.1,,", "*, 10.0.0.1", 5])
def test_an_unusable_list_is_refused_naming_the_option(client_of, value):
    with pytest.raises(ConfigError, match=r"^--forwarded-allow-ips \(config FORWARDED_ALLOW_IPS\)"):
        client_of(FORWARDED_ALLOW_IPS=value)


def test_star_trusts_every_peer(client_of):
    assert servers(client_of(FORWARDED_ALLOW_IPS="*"), peer="192.0.2.1") == [BEHIND]


def test_serve_trusts_no_proxy_unless_told(monkeypatch):
    """gunicorn itself takes X-Forwarded-Proto from 127.0.0.1 by default: a local client could make the documents
    name an https:// server the mock does not serve."""
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    with process.running("--db", ":memory:", "--workers", "1") as server:
        answer = requests.get(f"{server.url}/openapi.json", headers=PROXIED, timeout=10)
        assert [entry["url"] for entry in answer.json()["servers"]] == [server.url]
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")  # as gunicorn reads it; the option wins over it
    with process.running("--db", ":memory:", "--workers", "1", "-v") as server:
        answer = requests.get(f"{server.url}/openapi.json", headers=PROXIED, timeout=10)
        assert [entry["url"] for entry in answer.json()["servers"]] == [BEHIND]
        requests.get(f"{server.url}/__admin/health", timeout=10)
    assert "from 203.0.113.7 via 127.0.0.1" in "".join(server.output)
    with process.running("--db", ":memory:", "--workers", "1", "--forwarded-allow-ips", "10.0.0.1") as server:
        answer = requests.get(f"{server.url}/openapi.json", headers=PROXIED, timeout=10)
        assert [entry["url"] for entry in answer.json()["servers"]] == [server.url]


def test_a_forwarded_client_that_is_not_an_address_is_not_logged_as_one(client_of, capsys):
    """The last X-Forwarded-For item was logged as the client whatever it held: a peer in the trusted list that
    passes a client's header on unchanged let it write 'from 6.6.6.6 via 10.9.9.9 ...' (a forged proxy) and a
    line of 8 KB. Only an IP address is taken as the client; anything else leaves the peer's own address."""
    client = client_of(FORWARDED_ALLOW_IPS="127.0.0.1")
    capsys.readouterr()
    client.get("/nope", headers={"X-Forwarded-For": "10.0.0.1, 6.6.6.6 via 10.9.9.9 " + "A" * 500})
    line = capsys.readouterr().err.splitlines()[0]
    assert line.endswith(" ms from 127.0.0.1"), line
    client.get("/nope", headers={"X-Forwarded-For": "10.0.0.1, 2001:db8::7"})
    assert capsys.readouterr().err.splitlines()[0].endswith(" ms from 2001:db8::7 via 127.0.0.1")


@pytest.mark.parametrize("prefix", ["kore-mock", "kore-mock/"])
def test_a_prefix_without_its_leading_slash_is_a_path_still(client_of, prefix):
    """nginx's `proxy_set_header X-Forwarded-Prefix kore-mock;` made the server http://localhostkore-mock, and
    behind a port a 500 with a traceback (werkzeug read 'PORTkore-mock' as the port)."""
    client = client_of(FORWARDED_ALLOW_IPS="127.0.0.1")
    for host in ("mock.example", "mock.example:8443"):
        headers = {**PROXIED, "X-Forwarded-Prefix": prefix, "X-Forwarded-Host": host}
        answer = client.get("/openapi.json", headers=headers)
        assert answer.status_code == 200, answer.get_json()
        assert [server["url"] for server in answer.get_json()["servers"]] == [f"https://{host}/kore-mock"]


def test_a_prefix_holding_braces_is_percent_encoded_in_the_server_url(client_of):
    """`{x}` went into `servers[0].url` as it came, which OpenAPI reads as a server variable the document lacks."""
    client = client_of(FORWARDED_ALLOW_IPS="127.0.0.1")
    answer = client.get("/openapi.json", headers={**PROXIED, "X-Forwarded-Prefix": "/{x}",
                                                   "X-Forwarded-Host": "mock.example"})
    assert answer.get_json()["servers"][0]["url"] == "https://mock.example/%7Bx%7D"


def test_a_forwarded_address_that_is_not_one_is_not_logged(client_of, capsys):
    """With `*` a client reaching the mock directly writes X-Forwarded-For itself: its value went into the -v line as
    sent, an escape sequence and 2,000 characters of it, where every other part a client sends is clipped. What is
    not an address is not taken for the client's (and the address logged is clipped all the same)."""
    client = client_of(FORWARDED_ALLOW_IPS="*")
    capsys.readouterr()
    client.get("/nope", headers={"X-Forwarded-For": "9.9.9.9 \x1b[2J" + "x" * 2000})
    line = next(line for line in capsys.readouterr().err.splitlines() if " GET /nope 404 " in line)
    assert "\x1b" not in line and line.endswith(" ms from 127.0.0.1"), line  # not an address: the peer's stays
