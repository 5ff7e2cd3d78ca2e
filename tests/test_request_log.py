"""The request log (`serve -v`, config REQUEST_LOG): a line per request on stderr, and every error answered."""

from __future__ import annotations

import re
import time

import pytest
import requests

from mockserver import process
from mockserver.routes.request_log import MAX_LINE
from mockserver.store import StoreUnavailable
from mockserver.testing import serve

LINE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] (\S+) (\S+) (\d{3}) [\d.]+ ms from (\S+)$")


@pytest.fixture
def logged(tmp_path, capsys, headers, url, make_app):
    """POST through an app with the request log on; returns (response, the request line's parts, detail lines)."""
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "REQUEST_LOG": True}).test_client()
    capsys.readouterr()

    def send(body=None, *, path: str | None = None, method: str = "POST", extra: dict | None = None):
        response = client.open(path or url, method=method, json=body, headers={**headers, **(extra or {})})
        lines = capsys.readouterr().err.splitlines()
        assert lines, "no request line on stderr"
        match = LINE.match(lines[0])
        assert match, lines[0]
        assert all(line.startswith("    ") for line in lines[1:]), lines
        assert match.group(4) == "127.0.0.1"  # the client's address
        return response, match.groups()[:3], [line.strip() for line in lines[1:]]

    return send


def test_a_create_names_the_campaign_it_made(logged, sample_body, url):
    response, (method, target, status), details = logged(sample_body)
    assert (method, target, status) == ("POST", url, "200")
    data = response.get_json()["data"]
    assert details == [f"created {data['id']} {sample_body['name']!r}"]


def test_every_violation_gets_its_own_line(logged, sample_body):
    sample_body["name"] = "x" * 60
    sample_body["dialingStrategy"]["maxRingTime"] = 121
    response, (_, _, status), details = logged(sample_body)
    assert status == "400"
    assert details == [error["msg"] for error in response.get_json()["errors"]]
    assert len(details) == 2


def test_a_401_shows_the_hint(logged, sample_body, token):
    response, (_, _, status), details = logged(sample_body, extra={"auth": "Bearer " + token})
    assert status == "401"
    (error,) = response.get_json()["errors"]
    assert details == [f"{error['msg']}: {error['hint']}"]


def test_a_dropped_connection_says_so(logged, sample_body):
    _, (_, _, status), details = logged(sample_body, extra={"X-Mock-Fault": "drop"})
    assert status == "444"
    assert details == ["Connection closed without an answer (injected fault: drop): injected by the X-Mock-Fault"
                       " header"]


def test_a_reset_connection_says_so(logged, sample_body):
    _, (_, _, status), details = logged(sample_body, extra={"X-Mock-Fault": "drop=reset"})
    assert status == "444"
    assert details == ["Connection reset without an answer (injected fault: drop=reset): injected by the"
                       " X-Mock-Fault header"]


def test_an_answer_dropped_once_served_says_so(logged, sample_body):
    _, (_, _, status), details = logged(sample_body, extra={"X-Mock-Fault": "drop=after"})
    assert status == "444"
    assert details == ["Connection closed after serving the request, its answer not sent (injected fault: drop=after):"
                       " injected by the X-Mock-Fault header"]


def test_an_answer_reset_once_served_says_so(logged, sample_body):
    _, (_, _, status), details = logged(sample_body, extra={"X-Mock-Fault": "drop=after-reset"})
    assert status == "444"
    assert details == ["Connection reset after serving the request, its answer not sent (injected fault:"
                       " drop=after-reset): injected by the X-Mock-Fault header"]


def test_a_refused_request_whose_answer_was_dropped_says_both(logged, sample_body):
    """A drop=after request the mock refused showed the refusal's errors alone, as if answered: the line's 444 was
    the only word that its answer was lost."""
    sample_body["dialingStrategy"]["maxRingTime"] = 121
    _, (_, _, status), details = logged(sample_body, extra={"X-Mock-Fault": "drop=after"})
    assert status == "444"
    assert details[0].startswith("dialingStrategy.maxRingTime must be between 5 and 120")
    assert details[1:] == ["Connection closed after serving the request, its answer not sent (injected fault:"
                           " drop=after): injected by the X-Mock-Fault header"]


def test_a_client_cannot_forge_or_flood_lines(logged):
    _, (method, target, status), details = logged(path="/nope%0A[fake]%20POST" + "a" * 1000, method="GET")
    assert (method, status) == ("GET", "404")
    assert target.startswith("/nope%0A[fake]%20POST") and target.endswith("...") and len(target) == MAX_LINE
    assert len(details) == 1 and len(details[0]) <= MAX_LINE  # the message itself shows 200 characters of the path


def test_off_by_default(client, capsys, sample_body, headers, url):
    capsys.readouterr()
    assert client.post(url, json=sample_body, headers=headers).status_code == 200
    assert capsys.readouterr().err == ""


def test_serve_logs_each_request_with_v_and_says_how_without(tmp_path, contract, headers, url):
    with process.running("--db", ":memory:", "--workers", "1") as quiet:
        assert "-v logs each request" in "".join(quiet.output)
        requests.get(f"{quiet.url}/nope", timeout=10)
    assert "GET /nope 404" not in "".join(quiet.output)

    with process.running("--db", ":memory:", "--workers", "1", "-v") as server:
        answer = requests.post(server.url + url, json=contract.sample_request, headers=headers, timeout=10)
        assert answer.status_code == 200
        requests.get(f"{server.url}/__admin/health", timeout=10)  # a second request: the first line is written
    output = "".join(server.output)
    assert f"POST {url} 200 " in output
    assert f"created {answer.json()['data']['id']}" in output
    assert re.search(rf"POST {re.escape(url)} 200 [\d.]+ ms from 127\.0\.0\.1\n", output), output
    assert "-v logs each request" not in output


def test_credentials_in_the_query_are_redacted_as_in_the_journal(logged, sample_body, url):
    secret = "s3cr3t-value-1234"
    _, (_, target, status), details = logged(sample_body, path=f"{url}&access_token={secret}&api%5Fkey={secret}")
    assert status == "200"
    assert secret not in target and secret not in " ".join(details)
    assert target == f"{url}&access_token=<redacted>&api%5Fkey=<redacted>"


def test_the_user_and_password_of_an_absolute_form_target_are_not_logged(tmp_path, capsys, make_app):
    """A target in absolute form (as sent to a proxy) may carry user:password@: the journal keeps its path alone,
    and the -v line, which shows the target as sent, showed the password too."""
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "REQUEST_LOG": True}).test_client()
    capsys.readouterr()
    sent = "http://alice:hunter2@127.0.0.1:8080/nope?access_token=QSECRET&x=1"
    assert client.get("/nope?access_token=QSECRET&x=1", environ_overrides={"RAW_URI": sent}).status_code == 404
    line = capsys.readouterr().err.splitlines()[0]
    assert "hunter2" not in line and "QSECRET" not in line, line
    assert LINE.match(line).group(2) == "http://***@127.0.0.1:8080/nope?access_token=<redacted>&x=1"


@pytest.fixture
def listing_app(tmp_path, make_app):
    """An app with the request log on whose journal holds 120 entries: three pages of an admin listing."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "REQUEST_LOG": True})
    client = app.test_client()
    for number in range(120):
        client.get(f"/nope-{number}")
    return app


def test_a_streamed_listing_is_logged_once_its_body_is_sent(listing_app, capsys):
    """The line was written as the status line went, before the entries were read and sent: a listing that took
    seconds was logged as taking about a millisecond."""
    capsys.readouterr()
    answer = listing_app.test_client().get("/__admin/requests?limit=10000", buffered=False)
    assert answer.status_code == 200
    before = capsys.readouterr().err
    assert sum(len(chunk) for chunk in answer.response) > 0
    answer.close()  # as a WSGI server closes the body it has sent
    lines = capsys.readouterr().err.splitlines()
    assert before == ""
    assert len(lines) == 1 and LINE.match(lines[0]).groups()[:3] == ("GET", "/__admin/requests?limit=10000", "200")


def test_a_listing_cut_short_is_logged_as_cut_short(listing_app, capsys):
    """A listing the mock could not finish (the store failing after its first page) was logged as a plain 200."""
    store = listing_app.extensions["mock"].store
    read, reads = store.journal, []

    def failing(*args, **kwargs):
        reads.append(1)
        if len(reads) > 1:
            raise StoreUnavailable("database or disk is full")
        return read(*args, **kwargs)

    store.journal = failing
    with serve(listing_app) as base:
        capsys.readouterr()
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(f"{base}/__admin/requests?limit=10000", timeout=10)
        deadline = time.monotonic() + 10
        while "GET /__admin/requests" not in (said := capsys.readouterr().err) and time.monotonic() < deadline:
            time.sleep(0.05)
    (line, detail) = [text for text in said.splitlines() if LINE.match(text) or text.startswith("    ")]
    assert LINE.match(line).groups()[:3] == ("GET", "/__admin/requests?limit=10000", "200")
    assert detail == "    cut short after 50 entries: the mock failed to read the next ones"


def test_a_listing_the_client_stopped_reading_is_logged_as_not_sent_whole(listing_app, capsys):
    capsys.readouterr()
    answer = listing_app.test_client().get("/__admin/requests?limit=10000", buffered=False)
    next(iter(answer.response))  # the first page, then the client goes: the server closes the body unsent
    answer.close()
    line, detail = capsys.readouterr().err.splitlines()
    assert LINE.match(line).groups()[:3] == ("GET", "/__admin/requests?limit=10000", "200")
    assert detail == "    not sent whole: the client stopped reading it after 50 entries or fewer"
