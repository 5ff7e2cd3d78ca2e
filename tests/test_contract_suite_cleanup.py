"""`--delete-created`'s messages when nothing can be deleted: a refused admin token, a sandbox gone, not a mock; and
whether it left campaigns on a mock that it should have deleted (which fails the run)."""

from __future__ import annotations

import socket
import time
from types import SimpleNamespace

import pytest
import requests
from network import trickling

from contract_tests import cleanup
from contract_tests.cleanup import Cleanup, check_admin_token, delete_created
from contract_tests.runner import Created, MaybeCreated
from mockserver.testing import running_mock, serve

CREATED = [Created("ct-0000abcd-0001", "c-1", "sample/vendor-request")]


@pytest.fixture
def sandbox(tmp_path, make_app):
    with serve(make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": "sandbox-secret"})) as url:
        yield url


def test_a_refused_admin_token_is_named_as_refused_not_as_missing(sandbox, monkeypatch):
    """It said "wants its token; set MOCK_ADMIN_TOKEN" to someone who had set it."""
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", "wrong")
    assert delete_created(sandbox, sandbox, CREATED) == Cleanup([
        f"not deleted: {sandbox}/__admin refused the token in MOCK_ADMIN_TOKEN (401): set it to the --admin-token"
        " the mock was started with"], incomplete=True)


def test_a_missing_admin_token_is_asked_for(sandbox, monkeypatch):
    monkeypatch.delenv("MOCK_ADMIN_TOKEN", raising=False)
    assert delete_created(sandbox, sandbox, CREATED) == Cleanup([
        f"not deleted: {sandbox}/__admin wants the mock's admin token: set MOCK_ADMIN_TOKEN"], incomplete=True)


def test_the_admin_token_is_checked_before_the_run(sandbox, monkeypatch):
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", "wrong")
    assert check_admin_token(sandbox + "/", sandbox + "/") == (
        f"--delete-created: {sandbox}/__admin refused the token in MOCK_ADMIN_TOKEN (401): set it to the"
        " --admin-token the mock was started with; no case was run, so none created a campaign")
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", "sandbox-secret")
    assert check_admin_token(sandbox, sandbox) is None


def test_the_admin_token_goes_with_a_base_url_that_carries_a_user_and_password(sandbox, monkeypatch):
    """requests sent the URL's user:password@ as Basic authentication in the token's place: a token the sandbox
    takes was said to be refused, and the run stopped before its first case."""
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", "sandbox-secret")
    with_user = sandbox.replace("http://", "http://ci-user:s3cret@")
    assert check_admin_token(with_user, sandbox) is None
    found = [Created("ct-0000abcd-0001", "c-404", "sample/vendor-request")]  # a delete the sandbox answers 404
    assert delete_created(with_user, sandbox, found) == Cleanup(
        [f"deleted 0 of 1 through {sandbox}/__admin (1 already gone)"])


def test_a_sandbox_gone_mid_run_is_no_answer_not_a_different_service(free_port):
    """It said "is not a kore-campaign-mock (no /__admin/health)" about a sandbox that had died."""
    gone = f"http://127.0.0.1:{free_port}"
    assert delete_created(gone, gone, CREATED) == Cleanup([
        f"not deleted: no answer from {gone} (ConnectionError); is the sandbox still running?"], incomplete=True)
    assert check_admin_token(gone, gone) is None  # before the run: its first case says there is no answer


def test_a_ca_bundle_gone_before_the_clean_up_is_no_answer_not_a_traceback(monkeypatch, tmp_path):
    """The runner and each delete say a CA bundle that went missing mid-run as no answer; the health check the
    clean-up starts with let requests' OSError through, a traceback at the end of the run."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "nope.pem"))
    target = "https://127.0.0.1:9"
    assert check_admin_token(target, target) is None  # before the run: its first case says there is no answer
    assert delete_created(target, target, CREATED) == Cleanup([
        f"not deleted: no answer from {target}: OSError: Could not find a suitable TLS CA certificate bundle, invalid"
        f" path: {tmp_path / 'nope.pem'}"], incomplete=True)


def test_a_name_whose_create_got_no_clear_answer_is_looked_up_and_deleted_only_if_there():
    """Only the 2xx creates were deleted: one whose gateway answered 504 after the commit stayed."""
    with running_mock() as mock:
        stored = requests.post(mock.endpoint, json=mock.sample_request(name="ct-0000abcd-0002"), headers=mock.headers,
                               timeout=10).json()["data"]["id"]
        unsure = [MaybeCreated("ct-0000abcd-0002", "sample/base-request", "answered 504"),
                  MaybeCreated("ct-0000abcd-0003", "sample/vendor-request", "no answer")]
        done = delete_created(mock.url + "/", mock.url + "/", [], unsure, mock.account.account_id)
        lines = done.lines
        left = mock.campaigns()
    assert stored and left == [] and not done.incomplete
    assert lines[1:] == ["  1 of them found by name among the 2 create(s) that got no clear answer (the others had"
                         " not created a campaign)"]
    assert lines[0] == f"deleted 1 of 1 through {mock.url}/__admin"  # not //__admin for a base URL ending in /


def test_a_name_that_could_not_be_looked_up_is_not_said_to_have_created_nothing(tmp_path, make_app, monkeypatch):
    """A gateway's 502 to a look-up: the line said "0 of them found by name ... (the others had not created a
    campaign)" of a name no one had looked at, above the line saying the look-up failed."""
    monkeypatch.setattr(cleanup, "RETRY_WAIT_MAX_S", 0)  # each look-up is asked again, and answered 502 again
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    def failing_look_ups(environ, start_response):
        if environ["PATH_INFO"] == "/__admin/campaigns" and "name=" in environ.get("QUERY_STRING", ""):
            start_response("502 Bad Gateway", [("Content-Type", "text/html")])
            return [b"<html><body><h1>502 Bad Gateway</h1></body></html>"]
        return app(environ, start_response)

    unsure = [MaybeCreated("ct-0000abcd-0002", "sample/base-request", "answered 504"),
              MaybeCreated("ct-0000abcd-0003", "sample/vendor-request", "no answer")]
    with serve(failing_look_ups) as url:
        done = delete_created(url, url, [], unsure)
    assert done.incomplete
    assert done.lines[1:] == ["  0 of them found by name among the 2 create(s) that got no clear answer (2 could not"
                              " be looked up, below)",
                              "  ct-0000abcd-0002: looking it up answered 502",
                              "  ct-0000abcd-0003: looking it up answered 502"]


def test_a_delete_or_look_up_answered_busy_once_is_asked_again(tmp_path):
    """One gateway's 502 to a delete, or a 429 to a look-up, left the campaign on the sandbox and failed the run:
    the health probe was asked again, the deletes and look-ups never."""
    with running_mock(database=tmp_path / "mock.sqlite3") as mock:
        created = [requests.post(mock.endpoint, headers=mock.headers, json=mock.sample_request(name=name),
                                 timeout=10).json() for name in ("ct-0000abcd-0001", "ct-0000abcd-0002")]
        answered: list[str] = []
        first = {"DELETE": ("502 Bad Gateway", [("Content-Type", "text/html")], b"<html>502</html>"),
                 "GET": ("429 Too Many Requests", [("Retry-After", "0"), ("Content-Type", "application/json")],
                         b"{}")}

        def busy_once(environ, start_response):
            method = environ["REQUEST_METHOD"]
            if environ["PATH_INFO"].startswith("/__admin/campaigns") and method in first:
                answered.append(method)
                status, headers, body = first.pop(method)
                start_response(status, headers)
                return [body]
            return mock.app(environ, start_response)

        with serve(busy_once) as url:
            done = delete_created(url, url, [Created("ct-0000abcd-0001", created[0]["data"]["id"], "a/b")],
                                  [MaybeCreated("ct-0000abcd-0002", "c/d", "answered 504")])
        assert answered == ["DELETE", "GET"], answered
        assert done == Cleanup([f"deleted 2 of 2 through {url}/__admin",
                                "  1 of them found by name among the 1 create(s) that got no clear answer (the others"
                                " had not created a campaign)"], incomplete=False)
        assert mock.campaigns() == []


def health_answering(make_app, answers):
    """The mock, its /__admin/health answered by the next of `answers` ((status, headers, body)) while any are left."""
    app = make_app({"DATABASE": ":memory:"})
    left = list(answers)

    def middleware(environ, start_response):
        if environ["PATH_INFO"] == "/__admin/health" and left:
            status, headers, body = left.pop(0)
            start_response(status, headers)
            return [body]
        return app(environ, start_response)

    return middleware


BUSY = ("503 Service Unavailable", [("Content-Type", "text/html"), ("Retry-After", "0")], b"<html>busy</html>")
LIMITED = ("429 Too Many Requests", [("Content-Type", "application/json"), ("Retry-After", "0")], b"{}")


@pytest.mark.parametrize("first", [BUSY, LIMITED])
def test_a_health_probe_answered_busy_is_asked_once_more(first, make_app):
    """One HTML 503 or 429 from /__admin/health: "is not a kore-campaign-mock", nothing deleted, no status shown."""
    with serve(health_answering(make_app, [first])) as url:
        done = delete_created(url, url, [Created("ct-0000abcd-0001", "cd-nope", "sample/vendor-request")])
    assert done == Cleanup([f"deleted 0 of 1 through {url}/__admin (1 already gone)"], incomplete=False)


def test_a_health_probe_answered_busy_twice_could_not_check_and_shows_the_status(make_app):
    with serve(health_answering(make_app, [BUSY, BUSY])) as url:
        done = delete_created(url, url, CREATED)
    assert done == Cleanup([f"not deleted: could not check that {url} is a kore-campaign-mock: /__admin/health"
                            " answered 503 (text/html), and again when asked once more; the campaigns listed above are"
                            " left"], incomplete=True)


def test_a_sandbox_that_stops_answering_mid_clean_up_is_one_line_without_urllib3s_words(make_app):
    """It read "then stopped: no answer from URL: ('Connection aborted.', RemoteDisconnected('Remote end closed
    connection without response'))", or HTTPConnectionPool(...): Max retries exceeded with url: ... (Caused by ...)."""
    app = make_app({"DATABASE": ":memory:"})

    def dropping_deletes(environ, start_response):
        if environ["REQUEST_METHOD"] == "DELETE":
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            start_response("500 Dropped", [])
            return [b""]
        return app(environ, start_response)

    with serve(dropping_deletes) as url:
        done = delete_created(url, url, CREATED)
    assert done == Cleanup([f"deleted 0 of 1, then stopped: no answer from {url}: ConnectionError: Remote end closed"
                            " connection without response"], incomplete=True)


HEALTHY = b'{"status": "ok", "campaigns": 1}'


def _trickling_after_health(at_once: int):
    """A handler for serving_heads: health answered at once, any other request trickled (see network.trickling)."""
    slow = trickling("200 OK", b'{"deleted": true}' + b" " * 400, at_once, True)

    def answer(client: socket.socket, head: bytes) -> None:
        if b"/__admin/health " in head.split(b"\r\n", 1)[0]:
            client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                           b"Connection: close\r\n\r\n%s" % (len(HEALTHY), HEALTHY))
        else:
            slow(client, head)

    return answer


@pytest.mark.parametrize("at_once", [0, 90], ids=["head trickled", "body trickled"])
def test_a_delete_answered_a_byte_at_a_time_stops_the_clean_up_at_its_timeout(serving_heads, monkeypatch, at_once):
    """Each request's timeout bounded each read alone: a sandbox (or something before it) that trickled its answers
    kept the clean-up, and the run's end, waiting for as long as it liked, a campaign at a time."""
    monkeypatch.setattr(cleanup, "TIMEOUT_S", 0.5)
    with serving_heads(_trickling_after_health(at_once)) as url:
        started = time.monotonic()
        done = delete_created(url, url, CREATED * 3)
        took = time.monotonic() - started
    assert done == Cleanup([f"deleted 0 of 3, then stopped: no answer from {url}: Timeout: no whole answer within"
                            " 0.5 s"], incomplete=True)
    assert took < 5, took


def test_a_health_probe_answered_a_byte_at_a_time_is_no_answer_at_its_timeout(serving_heads, monkeypatch):
    monkeypatch.setattr(cleanup, "TIMEOUT_S", 0.5)
    with serving_heads(trickling("200 OK", HEALTHY + b" " * 400, 0, True)) as url:
        started = time.monotonic()
        done = delete_created(url, url, CREATED)
        took = time.monotonic() - started
    assert done == Cleanup([f"not deleted: no answer from {url} (Timeout); is the sandbox still running?"],
                           incomplete=True)
    assert took < 5, took


def test_a_sandbox_busy_on_every_try_is_not_waited_for_at_each_campaign(tmp_path, make_app, monkeypatch):
    """Each delete answered 503 with Retry-After: 5 was asked twice more, 5 s apart: 100 campaigns, 1,000 s of
    clean-up with nothing shown. Once one is answered so on every try, the others are asked once, until one is
    answered otherwise."""
    waited: list[float] = []
    monkeypatch.setattr(cleanup, "time", SimpleNamespace(sleep=waited.append))  # the clean-up's waits alone
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    asked: list[str] = []

    def busy_deletes(environ, start_response):
        if environ["REQUEST_METHOD"] == "DELETE":
            asked.append(environ["PATH_INFO"])
            start_response("503 Service Unavailable", [("Retry-After", "5"), ("Content-Type", "text/html")])
            return [b"<html>503</html>"]
        return app(environ, start_response)

    created = [Created(f"ct-0000abcd-{n:04}", f"c-{n}", "a/b") for n in range(1, 101)]
    with serve(busy_deletes) as url:
        done = delete_created(url, url, created)
    assert sum(waited) <= 10 and len(asked) == 102, (sum(waited), len(asked))
    assert done.incomplete and done.lines[0] == f"deleted 0 of 100 through {url}/__admin"
    assert done.lines[1:] == [f"  ct-0000abcd-{n:04}  id=c-{n}: answered 503" for n in range(1, 101)]
