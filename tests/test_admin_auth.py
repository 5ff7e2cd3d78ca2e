"""The admin API's optional token (serve --admin-token, config ADMIN_TOKEN)."""

from __future__ import annotations

import pytest
import requests
from commands import mockserver_command

from mockserver import process
from mockserver.app import create_app
from mockserver.errors import ConfigError
from mockserver.failures import failure
from mockserver.testing import running_mock

TOKEN = "s3cret-Admin_token.42"
ADMIN_REQUESTS = [
    ("GET", "/__admin/campaigns"),
    ("GET", "/__admin/campaigns/cd-nope"),
    ("GET", "/__admin/requests"),
    ("DELETE", "/__admin/requests"),
    ("POST", "/__admin/reset"),
    ("GET", "/__admin/faults"),
    ("GET", "/__admin/faults/1"),
    ("DELETE", "/__admin/faults"),
    ("GET", "/__admin/no-such-thing"),  # an unknown admin path does not reveal that it is unknown
    ("GET", "/__admin"),
]


@pytest.fixture
def guarded(tmp_path, make_app):
    return make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": TOKEN}).test_client()


@pytest.mark.parametrize(("method", "path"), ADMIN_REQUESTS)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer", f"Bearer {TOKEN}x",
                                           f"Bearer {TOKEN[:-1]}", TOKEN, "Bearer s3cret-Admin_token.4\u00e9"])
def test_admin_requests_without_the_token_are_refused(guarded, method, path, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = guarded.open(path, method=method, headers=headers)
    row = failure("admin.unauthorized")
    assert response.status_code == row.status == 401
    [error] = response.get_json()["errors"]
    assert {"msg": error["msg"], "code": error["code"]} == {"msg": row.message, "code": row.code}
    assert TOKEN not in error["hint"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


@pytest.mark.parametrize(("authorization", "hint"), [
    (None, "no Authorization header (the admin token is read from no other header, nor from the query)"),
    ("", "the Authorization header is empty (is MOCK_ADMIN_TOKEN set in this shell?)"),
    ("Bearer", "the Authorization header holds 'Bearer' and no token (is MOCK_ADMIN_TOKEN set in this shell?)"),
    ("Bearer  ", "the Authorization header holds 'Bearer' and no token (is MOCK_ADMIN_TOKEN set in this shell?)"),
    (TOKEN, "the Authorization header holds no 'Bearer ' before the token"),
    (f"{TOKEN} x", "the Authorization header holds no 'Bearer ' before the token"),  # no scheme: not quoted
    (f"Basic {TOKEN}", "the Authorization header uses the scheme 'Basic': send Bearer <token>"),
    (f'Bearer "{TOKEN}"', "the admin token is in quotes: send it without them"),
    (f"Bearer '{TOKEN}'", "the admin token is in quotes: send it without them"),
    ("Bearer wrong", "the token is not this mock's admin token (the one serve was given: --admin-token,"
                     " --admin-token-file or MOCK_ADMIN_TOKEN)"),
])
def test_an_admin_refusal_says_what_was_wrong_with_the_token(guarded, sample_body, headers, url, authorization, hint):
    """The endpoint's 401s name the check that failed; so do the admin API's, and a fault header's, without
    showing the token."""
    sent = {"Authorization": authorization} if authorization is not None else {}
    listing = guarded.get("/__admin/requests", headers=sent)
    faulted = guarded.post(url, json=sample_body, headers=headers | sent | {"X-Mock-Fault": "status=503"})
    assert listing.get_json()["errors"][0]["hint"] == hint
    assert faulted.get_json() == {"errors": [{**failure("fault.unauthorized").item(), "hint": hint}]}


@pytest.mark.parametrize("authorization", [f"Bearer {TOKEN}", f"bearer {TOKEN}", f"  Bearer   {TOKEN}  "])
def test_the_token_opens_every_admin_request(guarded, authorization):
    headers = {"Authorization": authorization}
    assert guarded.get("/__admin/campaigns", headers=headers).get_json() == {"total": 0, "campaigns": []}
    assert guarded.post("/__admin/faults", json={"fault": "status=503"}, headers=headers).status_code == 201
    assert guarded.delete("/__admin/faults", headers=headers).get_json() == {"deleted": 1}
    assert guarded.post("/__admin/reset", headers=headers).status_code == 200
    assert guarded.get("/__admin/campaigns/cd-nope", headers=headers).status_code == 404  # past the token: a real 404


def test_health_and_the_api_itself_need_no_admin_token(guarded, sample_body, headers, url):
    health = guarded.get("/__admin/health").get_json()
    assert (health["status"], health["campaigns"]) == ("ok", 0)
    assert guarded.get("/openapi.json").status_code == 200
    created = guarded.post(url, json=sample_body, headers=headers)
    assert created.status_code == 200, created.get_json()


@pytest.mark.parametrize("authorization", [None, "Bearer wrong"])
def test_a_fault_header_needs_the_admin_token_when_there_is_one(guarded, sample_body, headers, url, authorization):
    """Anyone who could reach a shared sandbox could send `latency=30000` twice and hold both workers."""
    sent = headers | {"X-Mock-Fault": "status=503"} | ({"Authorization": authorization} if authorization else {})
    response = guarded.post(url, json=sample_body, headers=sent)
    assert response.status_code == 401
    [error] = response.get_json()["errors"]
    assert {name: error[name] for name in ("msg", "code")} == failure("fault.unauthorized").item()


def test_a_fault_header_with_the_admin_token_is_applied(guarded, sample_body, headers, url):
    sent = headers | {"X-Mock-Fault": "status=503", "Authorization": f"Bearer {TOKEN}"}
    assert guarded.post(url, json=sample_body, headers=sent).status_code == 503


def test_without_a_token_the_admin_api_is_open(client):
    assert client.post("/__admin/reset").status_code == 200
    assert client.get("/__admin/requests").status_code == 200


@pytest.mark.parametrize("bad", ["", "two words", "tab\there", "caf\u00e9", "x" * 257, 42, b"bytes"])
def test_an_admin_token_that_cannot_travel_in_a_header_is_a_config_error(tmp_path, bad):
    with pytest.raises(ConfigError, match="--admin-token"):
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": bad})


def test_running_mock_sends_its_admin_token():
    with running_mock(ADMIN_TOKEN=TOKEN) as mock:
        assert mock.journal() == []
        mock.reset()
        refused = requests.get(f"{mock.url}/__admin/requests", timeout=10)
    assert refused.status_code == 401


def test_serve_takes_the_token_from_the_environment_and_says_so(monkeypatch):
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", TOKEN)
    with process.running("--db", ":memory:") as server:
        refused = requests.post(f"{server.url}/__admin/reset", timeout=10)
        allowed = requests.post(f"{server.url}/__admin/reset", headers={"Authorization": f"Bearer {TOKEN}"},
                                timeout=10)
    assert (refused.status_code, allowed.status_code) == (401, 200)
    assert "admin at /__admin (token required)" in "".join(server.output)
    assert TOKEN not in " ".join(server.process.args)  # out of the process list


@pytest.mark.parametrize("token", ["two words", "two words of a token", "x" * 257])
def test_serve_refuses_a_bad_admin_token_in_one_line(tmp_path, token):
    """Refused, it had made its database (mock.sqlite3 in the working folder) all the same; and the refusal said "1 to
    256" characters, the app's own range, where serve takes 16 or more: a token mended to that was refused again."""
    result = mockserver_command("serve", "--port", "0", "--admin-token", token, cwd=tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mockserver serve: error: --admin-token must be 16 to 256 printable ASCII characters without spaces"]


@pytest.mark.parametrize("how", ["option", "variable", "file"])
def test_serve_refuses_an_admin_token_shorter_than_16_characters(tmp_path, how):
    """A one-character token was taken, and the 401s are not rate-limited: anyone who could reach a shared sandbox
    could guess it, then reset it or fault everyone's requests. The message never quotes the token."""
    short = "s3cret-admin-15"  # 15 characters
    (tmp_path / "token").write_text(short + "\n", encoding="ascii")
    given = {"option": ["--admin-token", short], "variable": [],
             "file": ["--admin-token-file", str(tmp_path / "token")]}
    result = mockserver_command("serve", "--port", "0", "--db", ":memory:", *given[how],
                                env={"MOCK_ADMIN_TOKEN": short} if how == "variable" else {})
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    source = {"option": "--admin-token", "variable": "$MOCK_ADMIN_TOKEN",
              "file": f"{tmp_path / 'token'}: --admin-token-file's first line"}[how]
    assert line == (f"mockserver serve: error: {source} is 15 characters long: an admin token must be 16 or more, as"
                    " the admin API answers guesses as fast as it can (openssl rand -hex 16 makes one of 32)")
    assert short not in line.replace(str(tmp_path), "")


@pytest.mark.parametrize(("value", "words"), [
    ("", "is set but empty"), ("two words", "not printable ASCII"),
    # a Kubernetes secret made from a file that ends with a line break: it said 'not printable ASCII without spaces'
    ("3f9a1c\n", "ends with a line break (a secret made from a file that ends with one, say)"),
])
def test_serve_refuses_a_set_but_unusable_admin_token_variable(value, words):
    """MOCK_ADMIN_TOKEN= (a CI secret that did not load) was read as no token: the admin API open, without a word."""
    result = mockserver_command("serve", "--port", "0", env={"MOCK_ADMIN_TOKEN": value})
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("mockserver serve: error: $MOCK_ADMIN_TOKEN ") and words in line, line


class _Listener:
    def __init__(self, host: str) -> None:
        self.host = host
        self.sock = self  # gunicorn's listener keeps its socket here

    def getsockname(self) -> tuple:
        return (self.host, 8080)

    def __str__(self) -> str:
        return f"http://{self.host}:8080"


@pytest.mark.parametrize(("hosts", "token", "told"), [
    (["0.0.0.0"], False, "http://0.0.0.0:8080"), (["::"], False, "http://:::8080"),
    (["127.0.0.1", "10.0.4.2"], False, "http://10.0.4.2:8080"),
    (["0.0.0.0"], True, None), (["127.0.0.1"], False, None), (["::1"], False, None), (["127.0.0.2"], False, None),
])
def test_serve_says_when_the_admin_api_is_open_beyond_this_machine(capsys, hosts, token, told):
    """`serve --host 0.0.0.0` without a token served an admin API anyone on the network could reset or fault, and
    its startup line said only "admin at /__admin", as on 127.0.0.1."""
    from mockserver.server import Announce

    class Arbiter:
        LISTENERS = [_Listener(host) for host in hosts]
        pid = 4242

    Announce(admin_token=token)(Arbiter())
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("mockserver: serving at ")
    if told is None:
        assert len(lines) == 1, lines
        return
    assert lines[1:] == [f"mockserver: the admin API is open to every client that can reach {told}: any of them can"
                         " read the journal, reset the mock and fault its requests; on a shared sandbox give"
                         " --admin-token-file FILE or $MOCK_ADMIN_TOKEN"]
