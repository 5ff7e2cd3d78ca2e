"""`mockserver journal`: a running mock's journal, one line per request, filtered, and followed as it grows."""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

import pytest
import requests

from mockserver import process
from mockserver.cli import main
from mockserver.shown_text import clipped
from mockserver.testing import running_mock


def journal_command(*args: str) -> subprocess.CompletedProcess[str]:
    """`mockserver journal ARGS` run to its end through the console script's own `main`, in this process: its exit
    status, stdout and stderr, as a subprocess gives them. A subprocess spent 0.1 s importing Python and requests
    for each of the file's runs of it. The tests of what only a process of its own shows (the locale's encoding, a
    follower stopped, its peak memory) start one themselves. Run in a thread, so that a command that never ends
    fails the test after 60 s, as the subprocess's timeout did."""
    out, err, status, raised = io.StringIO(), io.StringIO(), [], []

    def run() -> None:
        try:
            status.append(main(["journal", *args]))
        except SystemExit as exc:  # argparse's usage errors and --help, which a process would exit with
            status.append(0 if exc.code is None else exc.code)
        except BaseException as exc:  # what a process would end on in a traceback: raised in the test
            raised.append(exc)

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        command = threading.Thread(target=run, name="mockserver-journal")
        command.start()
        command.join(timeout=60)
    if raised:
        raise raised[0]
    assert status, f"mockserver journal {' '.join(args)} did not end within 60 s: {err.getvalue()}"
    return subprocess.CompletedProcess(["mockserver", "journal", *args], status[0], out.getvalue(), err.getvalue())


@pytest.fixture
def mock(contract):
    """A mock that has answered a create (200), an invalid body (400) and an unknown path (404)."""
    with running_mock() as running:
        requests.post(running.endpoint, json=contract.sample_request, headers=running.headers, timeout=10)
        requests.post(running.endpoint, json=dict(contract.sample_request, priority="x"), headers=running.headers,
                      timeout=10)
        requests.get(f"{running.url}/nope", timeout=10)
        yield running


def test_the_newest_requests_are_listed_oldest_first_with_their_errors(mock):
    result = journal_command("--url", mock.url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("  ")[3] for line in lines] == ["200", "400", "404"]
    assert "priority must be one of 1, 2, 3, 4, 5 (got 'x')" in lines[1]
    assert lines[2].split("  ")[2] == "GET /nope"


def test_each_line_starts_with_its_entry_s_id_which_reads_the_entry(mock):
    """The lines named no entry: a tester could not go from a line to the entry's headers and body."""
    lines = journal_command("--url", mock.url).stdout.splitlines()
    ids = [line.split("  ")[0] for line in lines]
    assert ids == ["1", "2", "3"]
    assert lines[2].startswith("3  20") and lines[2].split("  ")[2] == "GET /nope"
    assert mock.journal_entry(int(ids[2]))["path"] == "/nope"


def test_id_prints_the_whole_entry_a_line_starts_with(mock):
    """A line sums an entry up; its headers and body took a curl of /__admin/requests/<id>."""
    result = journal_command("--url", mock.url, "--id", "2")
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == mock.journal_entry(2) and result.stdout.startswith("{\n  \"id\": 2,")
    one_line = journal_command("--url", mock.url, "--id", "2", "--json")
    assert one_line.stdout.count("\n") == 1 and json.loads(one_line.stdout) == mock.journal_entry(2)


def test_id_with_leading_zeros_is_read_past_them_as_the_admin_api_reads_it(mock):
    """An id of 20 digits or more, leading zeros and all, was refused as no entry's id, a whole number from 1 to
    2**63-1, though its value is one and GET /__admin/requests/<id> reads past the zeros."""
    result = journal_command("--url", mock.url, "--id", "0" * 30 + "2", "--json")
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == mock.journal_entry(2)


@pytest.mark.parametrize("entry_id", ["4", str(2**62 + 1), str(2**63 - 1)])
def test_id_of_an_entry_the_journal_does_not_hold_is_the_mock_s_404_in_one_line(mock, entry_id):
    """An id from 2**62 + 1 to 2**63-1, the admin API's maximum, was refused as no entry's id, a whole number."""
    result = journal_command("--url", mock.url, "--id", entry_id)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"mockserver journal: error: {mock.url}/__admin/requests/{entry_id} answered 404: No"
                             f" journal entry with id {entry_id}: none has been given that id yet (the newest is 3)\n")


def test_a_path_a_client_sent_with_encoded_control_characters_cannot_forge_lines(mock):
    """The journal keeps the path decoded: `%0A` printed a newline, so a request on a shared sandbox could forge
    lines (and `%1B` drive the terminal) in every tester's `journal --follow`, as the request log (-v) never let it."""
    requests.get(f"{mock.url}/nope%0A9  2026-01-01T00:00:00.000Z  POST /forged  200  0.1 ms%1B[2J", timeout=10)
    result = journal_command("--url", mock.url)
    *_, last = result.stdout.splitlines()
    assert len(result.stdout.splitlines()) == 4 and last.startswith("4  "), result.stdout
    assert "/nope\\n9  2026-01-01" in last and "\\x1b[2J" in last and "\x1b" not in result.stdout


def test_a_name_the_locale_cannot_encode_is_escaped_not_a_traceback(contract):
    """In an ASCII locale (LANG=C without Python's UTF-8 mode) or a Latin-1 one, the first line quoting a campaign's
    name ended the listing with a UnicodeEncodeError traceback."""
    with running_mock() as running:
        for _ in range(2):  # the second is refused, naming the first
            requests.post(running.endpoint, json=dict(contract.sample_request, name="Müller \u201cQ1\u201d"),
                          headers=running.headers, timeout=10)
        result = subprocess.run([sys.executable, "-m", "mockserver", "journal", "--url", running.url],
                                capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("ascii").splitlines()
    assert [line.split("  ")[3] for line in lines] == ["200", "409"]
    assert "A campaign named 'M\\xfcller \\u201cQ1\\u201d' already exists (id 'cd-" in lines[1], lines[1]


def test_filters_and_limit_narrow_the_listing(mock):
    result = journal_command("--url", mock.url, "--status", "4xx", "--account-id", mock.account_id)
    assert [line.split("  ")[3] for line in result.stdout.splitlines()] == ["400"]
    newest = journal_command("--url", mock.url, "--limit", "1").stdout.splitlines()
    assert newest[0] == "(2 older not shown: raise --limit, up to 10000)" and newest[1].split("  ")[3] == "404"
    entries = [json.loads(line) for line in journal_command("--url", mock.url, "--json").stdout.splitlines()]
    assert [entry["status"] for entry in entries] == [200, 400, 404] and all("id" in entry for entry in entries)


def test_after_lists_what_came_after_the_entry_a_line_named(mock):
    """The admin API's `after` filter had no option: a tester could not ask for what came after a line they saw."""
    result = journal_command("--url", mock.url, "--after", "1")
    assert [line.split("  ")[0] for line in result.stdout.splitlines()] == ["2", "3"], result.stderr
    assert journal_command("--url", mock.url, "--after", "3").stdout == "(no requests match the filters)\n"


def test_follow_after_an_id_not_given_yet_shows_only_what_comes_after_it(mock):
    """Following from the journal's newest id alone, it showed the requests up to the id asked for too."""
    follower, lines = _follower(mock.url, "--after", "5")
    try:
        assert lines.get(timeout=30) == "(no requests match the filters; waiting for new ones)\n"
        for path in ("/fourth", "/fifth", "/sixth"):
            requests.get(f"{mock.url}{path}", timeout=10)
        shown = lines.get(timeout=30)
        time.sleep(0.5)  # a few more polls: nothing else may come
        more = [lines.get() for _ in range(lines.qsize())]
    finally:
        follower.terminate()
        follower.communicate(timeout=10)
    assert shown.split("  ")[:3:2] == ["6", "GET /sixth"]
    assert more == []


def test_follow_prints_each_new_request_once_as_it_arrives(mock):
    follower = subprocess.Popen([sys.executable, "-m", "mockserver", "journal", "--url", mock.url, "--follow",
                                 "--interval", "0.1", "--method", "GET"], stdout=subprocess.PIPE, encoding="utf-8")
    try:
        assert follower.stdout.readline().split("  ")[2] == "GET /nope"  # what was there
        requests.get(f"{mock.url}/later", timeout=10)
        requests.post(f"{mock.url}/elsewhere", timeout=10)  # not a GET: not shown
        requests.get(f"{mock.url}/last", timeout=10)
        arrived = [follower.stdout.readline().split("  ")[2] for _ in range(2)]
        time.sleep(0.5)  # a few more polls: nothing may come twice
    finally:
        follower.terminate()
        rest, _ = follower.communicate(timeout=10)
    assert arrived == ["GET /later", "GET /last"]
    assert rest == ""


# "pöst" as a UTF-8 terminal sends it, read as this run's locale reads a command line: in an ASCII one (LANG=C
# without Python's UTF-8 mode) the letter is two undecodable bytes, and "pöst" itself cannot be passed at all.
TYPED_POST = os.fsdecode("p\u00f6st".encode())


@pytest.mark.parametrize(("args", "message"), [
    (["--limit", "0"], "--limit must be 1-10000 (got '0')"),
    (["--limit="], "--limit must be 1-10000 (got '')"),
    (["--limit", "abc"], "--limit must be 1-10000 (got 'abc')"),
    (["--interval", "0"], "--interval must be 0.1-3600 seconds (got '0')"),
    (["--interval", "nan"], "--interval must be 0.1-3600 seconds (got 'nan')"),
    (["--status", "4**"], "--status must be a status like 409 or a class like 4xx (got '4**')"),
    (["--status", "600"], "--status must be a status like 409 or a class like 4xx (got '600')"),
    (["--method", TYPED_POST], f"--method must be an HTTP method, e.g. POST (got {TYPED_POST!r})"),
    (["--path="], "--path must be 1 to 100 characters (got 0 characters)"),
    (["--path", "campaign/*"], "--path must be a path glob starting with / or *, e.g. /campaign/* (the path alone,"
                               " no scheme or host) (got 'campaign/*')"),
    (["--account-id", "a" * 101], "--account-id must be 1 to 100 characters (got 101 characters)"),
    (["--after", "-1"], "--after must be an entry's id, a whole number (got '-1')"),
    (["--after", "\u0663"], "--after must be an entry's id, a whole number (got '\u0663')"),
    (["--since", "yesterday"], "--since must be an RFC 3339 time, e.g. 2026-11-26T09:30:00Z or"
                               " 2026-11-26T10:30:00.5+01:00 (got 'yesterday')"),
    (["--since", "2026-11-26T09:30:00"], "--since must be an RFC 3339 time, e.g. 2026-11-26T09:30:00Z or"
                                         " 2026-11-26T10:30:00.5+01:00 (got '2026-11-26T09:30:00')"),
    (["--since", "2026-11-26 09:30:00Z"], "--since must be an RFC 3339 time, e.g. 2026-11-26T09:30:00Z or"
                                          " 2026-11-26T10:30:00.5+01:00 (got '2026-11-26 09:30:00Z')"),
    (["--id", "0"], "--id must be a journal entry's id, a whole number from 1 to 2**63-1 (got '0')"),
    (["--id", "000"], "--id must be a journal entry's id, a whole number from 1 to 2**63-1 (got '000')"),
    (["--id", "0" * 30 + str(2**63)], f"--id must be a journal entry's id, a whole number from 1 to 2**63-1 (got"
                                      f" {clipped('0' * 30 + str(2**63), 42)})"),
    (["--id", "abc"], "--id must be a journal entry's id, a whole number from 1 to 2**63-1 (got 'abc')"),
    (["--id", str(2**63)], f"--id must be a journal entry's id, a whole number from 1 to 2**63-1 (got '{2**63}')"),
    (["--id", "3", "--status", "4xx", "--follow"], "--id reads one entry: it takes no --status, --follow (those are"
                                                   " for a listing)"),
    (["--id", "3", "--limit", "5"], "--id reads one entry: it takes no --limit (those are for a listing)"),
    (["--id", "3", "--limit="], "--id reads one entry: it takes no --limit (those are for a listing)"),
    (["--id", "3", "--interval", "5"], "--id reads one entry: it takes no --interval (those are for a listing)"),
    (["--timeout", "0"], "--timeout must be 0.1-3600 seconds (got '0')"),
    (["--limit", "1_0"], "--limit must be 1-10000 (got '1_0')"),
    (["--limit", "+5"], "--limit must be 1-10000 (got '+5')"),
    (["--interval", "1e0"], "--interval must be 0.1-3600 seconds (got '1e0')"),
    (["--timeout", "\u0665"], "--timeout must be 0.1-3600 seconds (got '\u0665')"),
    (["--id", "3", "--timeout", "nan"], "--timeout must be 0.1-3600 seconds (got 'nan')"),
])
def test_bad_options_and_filters_are_one_line_naming_the_option(args, message, free_port):
    """A filter the admin API refuses was reported in its words ("answered 400: status query parameter must be
    ..."), and `--limit abc` got argparse's usage; each is now named by its option, before any request is sent
    (nothing listens at the URL)."""
    result = journal_command("--url", f"http://127.0.0.1:{free_port}", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"mockserver journal: error: {message}\n"


def test_no_mock_at_the_url_is_one_line(free_port):
    result = journal_command("--url", f"http://127.0.0.1:{free_port}")
    assert result.returncode == 2
    assert "no answer from http://127.0.0.1:" in result.stderr and "Traceback" not in result.stderr
    assert "ConnectionError: " in result.stderr and "HTTPConnectionPool" not in result.stderr  # the reason alone
    assert result.stderr.rstrip().endswith("is the mock running there? --url names another")


def test_no_answer_through_a_proxy_names_the_proxy_not_only_the_mock(free_port, monkeypatch):
    """A proxy that is down read as a mock that is not running: the line names the proxy the request went through,
    its credentials hidden, and the variable that chose it, as the contract suite's lines do."""
    monkeypatch.setenv("HTTP_PROXY", f"http://user:pw@127.0.0.1:{free_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    result = journal_command("--url", "http://mock.example:8080")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"through the proxy http://***@127.0.0.1:{free_port} (HTTP_PROXY;" in result.stderr, result.stderr
    assert "pw" not in result.stderr
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # reached directly: no proxy is named
    result = journal_command("--url", f"http://127.0.0.1:{free_port}")
    assert result.returncode == 2 and "proxy" not in result.stderr, result.stderr


@pytest.mark.parametrize("mode", [(), ("--follow",), ("--id", "1")], ids=["listing", "follow", "one-entry"])
@pytest.mark.parametrize(("variable", "value", "said"), [
    ("HTTP_PROXY", "http://corp:PASSWORD@p:port", "HTTP_PROXY 'http://***@p:port' is not a proxy's URL"),
    ("http_proxy", "not a url", "http_proxy 'not a url' is not a proxy's URL"),
    ("ALL_PROXY", "ftp://proxy.corp:21", "ALL_PROXY 'ftp://proxy.corp:21' has the scheme ftp://"),
], ids=["port not a number", "not a URL", "unsupported scheme"])
def test_a_malformed_proxy_variable_is_one_usage_line_before_any_request(monkeypatch, mode, variable, value, said):
    """It was found at the first request only, in requests' words ("InvalidURL: Failed to parse: 'p:port' ...") and
    taken for a mock that is not running ("is the mock running there?"), as the contract suite checks it at start."""
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, value)
    result = journal_command("--url", "http://mock.example.invalid:8080", *mode)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.startswith(f"mockserver journal: error: {said}"), result.stderr
    assert ": give the proxy as http://host:port" in result.stderr and result.stderr.count("\n") == 1
    assert "PASSWORD" not in result.stderr and "no answer" not in result.stderr


def test_a_malformed_proxy_variable_for_a_host_no_proxy_lists_is_not_used(monkeypatch, free_port):
    monkeypatch.setenv("HTTP_PROXY", "http://p:port")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    result = journal_command("--url", f"http://127.0.0.1:{free_port}")
    assert result.returncode == 2 and "proxy" not in result.stderr and "no answer from" in result.stderr


@pytest.mark.parametrize("unsendable_token", ["admin-secret-1\n", "admin secret 1", "admin-secret-\u00e9"],
                         ids=["line-break", "space", "not-ascii"])
def test_an_admin_token_that_cannot_be_sent_is_refused_without_being_shown(unsendable_token, free_port, monkeypatch):
    """requests refused a token ending with a line break (a secret read from a file) in words that quoted it, and
    they were printed: the admin token on stderr, in a CI log, beside "is the mock running there?"."""
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", unsendable_token)
    result = journal_command("--url", f"http://127.0.0.1:{free_port}")
    assert result.returncode == 2 and result.stdout == ""
    assert "admin-secret" not in result.stderr and "admin secret" not in result.stderr, result.stderr
    assert result.stderr.startswith("mockserver journal: error: $MOCK_ADMIN_TOKEN ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("url_with_password", ["http://qa:PASSWORD@127.0.0.1:{port}", "htp://qa:PASSWORD@127.0.0.1:{port}"],
                         ids=["no-answer", "not-http"])
def test_a_password_in_the_url_is_not_shown(url_with_password, free_port):
    """A mock behind a proxy that wants a password (`http://user:password@host`) had it printed in each error."""
    result = journal_command("--url", url_with_password.format(port=free_port))
    assert result.returncode == 2 and "PASSWORD" not in result.stderr, result.stderr
    assert "***@127.0.0.1" in result.stderr, result.stderr


def test_an_untrusted_certificate_is_told_to_be_trusted_through_requests_ca_bundle(pems, monkeypatch, tmp_path):
    """`serve --certfile` with a self-signed certificate was met with "is the mock running there? --url names
    another"; a REQUESTS_CA_BUNDLE naming no file ended in requests' OSError traceback."""
    for variable in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(variable, raising=False)
    with process.running("--db", ":memory:", "--certfile", pems["both"], verify=pems["ca"]) as server:
        requests.get(f"{server.url}/nope", timeout=10, verify=pems["ca"])
        untrusted = journal_command("--url", server.url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "nope.pem"))
        missing = journal_command("--url", server.url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", pems["ca"])
        trusted = journal_command("--url", server.url)
    assert untrusted.returncode == 2 and len(untrusted.stderr.strip().splitlines()) == 1, untrusted.stderr
    assert "SSLError: [SSL: CERTIFICATE_VERIFY_FAILED]" in untrusted.stderr
    assert untrusted.stderr.rstrip().endswith("a self-signed certificate, or one from a private CA? point"
                                              " REQUESTS_CA_BUNDLE at a PEM file that trusts it, e.g."
                                              " REQUESTS_CA_BUNDLE=path/to/ca.pem")
    assert missing.returncode == 2 and missing.stderr.strip() == (
        f"mockserver journal: error: REQUESTS_CA_BUNDLE names {tmp_path}/nope.pem, which does not exist: point it at"
        " a PEM file that trusts the mock's certificate, or unset it to use requests' own bundle")
    assert trusted.returncode == 0 and "GET /nope" in trusted.stdout, trusted.stderr


def test_https_to_a_plain_http_mock_is_told_to_use_http(contract):
    """It was asked "is the mock running there?" of a mock that was running there."""
    with running_mock() as running:
        result = journal_command("--url", running.url.replace("http://", "https://"))
    assert result.returncode == 2 and "SSLError" in result.stderr
    assert result.stderr.rstrip().endswith("that port answers plain HTTP, not TLS: give the address with http://")


def test_a_mock_with_an_admin_token_is_read_with_mock_admin_token(contract, monkeypatch):
    with running_mock(ADMIN_TOKEN="sandbox-secret") as guarded:
        requests.get(f"{guarded.url}/nope", timeout=10)
        refused = journal_command("--url", guarded.url)
        monkeypatch.setenv("MOCK_ADMIN_TOKEN", "sandbox-secret")
        read = journal_command("--url", guarded.url)
    assert refused.returncode == 2 and "wants the mock's admin token: set MOCK_ADMIN_TOKEN" in refused.stderr
    assert read.returncode == 0 and "GET /nope" in read.stdout


ENTRY = ('{"id": 1, "at": "2025-01-01T00:00:00.000Z", "method": "GET", "path": "/a", "query": "", "status": 200,'
         ' "errors": [], "latencyMs": 1.5')


@pytest.mark.parametrize("answer", [
    b'{"requests": [{}], "total": 1}', b"<html>hello</html>", b'{"requests": 5}',
    # an entry's keys, with a value of another type: each ended in a TypeError or ValueError
    *(f'{{"requests": [{ENTRY}, "{key}": {value}}}], "total": 1}}'.encode() for key, value in [
        ("errors", "5"), ("latencyMs", '"fast"'), ("latencyMs", "null"), ("id", '"x"'), ("status", "true"),
        ("path", "[1]")]),
])
def test_a_url_that_is_not_a_mock_is_one_line(answer):
    """Anything else that answers 200 (another service on the port) must not end in a KeyError or a TypeError."""
    from mockserver.testing import serve

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [answer]

    with serve(app) as url:
        result = journal_command("--url", url)
    assert result.returncode == 2 and "not with a mock journal" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("matched", ["nothing", "an old entry"])
def test_a_follower_polls_from_the_journal_s_newest_entry(contract, tmp_path, matched, make_app):
    """Polls carry `after`, so each reads only what is new: from the journal's newest entry, not from the newest
    match (an old one, or 0 with none), which read the rest of the journal each time (~50 ms on a full one)."""
    from mockserver.testing import serve

    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    polls: list[str] = []

    def recording(environ, start_response):
        if environ["PATH_INFO"] == "/__admin/requests":
            polls.append(environ["QUERY_STRING"])
        return app(environ, start_response)

    with serve(recording) as url:
        if matched == "an old entry":
            requests.put(f"{url}/old", timeout=10)
        for _ in range(3):
            requests.get(f"{url}/nope", timeout=10)
        newest = requests.get(f"{url}/__admin/requests?limit=1", timeout=10).json()["requests"][0]["id"]
        polls.clear()
        follower = subprocess.Popen([sys.executable, "-m", "mockserver", "journal", "--url", url, "--follow",
                                     "--interval", "0.1", "--method", "PUT"], stdout=subprocess.PIPE, encoding="utf-8")
        try:
            deadline = time.monotonic() + 30
            while sum("after=" in poll for poll in polls) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            requests.put(f"{url}/nope", timeout=10)
            if matched == "nothing":
                assert follower.stdout.readline() == "(no requests match the filters; waiting for new ones)\n"
            shown = [follower.stdout.readline().split("  ")[2] for _ in range(2 if matched == "an old entry" else 1)]
        finally:
            follower.terminate()
            follower.communicate(timeout=10)
    assert shown == (["PUT /old"] if matched == "an old entry" else []) + ["PUT /nope"]
    followed = [poll for poll in polls if "after=" in poll]
    assert followed and all(f"after={newest}" in poll for poll in followed[:2]), polls


def test_a_wrong_admin_token_is_named_as_refused_and_a_url_without_a_scheme_is_one_line(contract, monkeypatch):
    """A wrong MOCK_ADMIN_TOKEN was told "set MOCK_ADMIN_TOKEN"; a URL without http:// got requests' "No
    connection adapters were found"."""
    with running_mock(ADMIN_TOKEN="sandbox-secret") as guarded:
        monkeypatch.setenv("MOCK_ADMIN_TOKEN", "wrong")
        refused = journal_command("--url", guarded.url)
    assert refused.returncode == 2 and "refused the token in MOCK_ADMIN_TOKEN (401)" in refused.stderr
    bare = journal_command("--url", "127.0.0.1:8080")
    assert bare.returncode == 2 and bare.stderr.strip() == (
        "mockserver journal: error: --url '127.0.0.1:8080' must be http:// or https:// and name a host,"
        " e.g. http://127.0.0.1:8080")


def test_a_mock_without_a_journal_says_so_rather_than_list_nothing(contract):
    """With --no-journal the listing was empty and the command printed nothing, exit 0: as if no request came."""
    with running_mock(JOURNAL=False) as quiet:
        requests.get(f"{quiet.url}/nope", timeout=10)
        assert requests.get(f"{quiet.url}/__admin/requests", timeout=10).json()["journal"] == "off"
        result = journal_command("--url", quiet.url)
    assert result.returncode == 2 and "this mock keeps no journal (it was started with --no-journal)" in result.stderr


def test_a_401_line_shows_its_hint_as_the_request_log_does(contract):
    """The line showed the vendor's message alone (`401 ... Invalid JWT token`), not which check failed."""
    with running_mock() as running:
        expired = {**running.headers, "auth": running.token(ttl=-60)}
        refused = requests.post(running.endpoint, json=contract.sample_request, headers=expired, timeout=10)
        result = journal_command("--url", running.url)
    (error,) = refused.json()["errors"]
    assert error["hint"].startswith("the token expired at ")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.split("  ")[3] == "401" and line.endswith(f" ms  Invalid JWT token: {error['hint']}"), line


def test_an_empty_listing_says_so_on_stdout_and_with_json_on_stderr(mock):
    """An empty journal printed nothing and exited 0, as a mock never reached or a wrong --url might seem to."""
    with running_mock() as fresh:
        empty = journal_command("--url", fresh.url)
        empty_json = journal_command("--url", fresh.url, "--json")
    unmatched = journal_command("--url", mock.url, "--status", "5xx")
    newest_json = journal_command("--url", mock.url, "--json", "--limit", "1")
    assert (empty.returncode, empty.stdout, empty.stderr) == (0, "(no requests in the journal)\n", "")
    assert (unmatched.returncode, unmatched.stdout, unmatched.stderr) == (0, "(no requests match the filters)\n", "")
    # --json: stdout holds JSON lines alone (none here), what is said of the listing goes to stderr
    assert (empty_json.returncode, empty_json.stdout, empty_json.stderr) == (0, "", "(no requests in the journal)\n")
    assert json.loads(newest_json.stdout)["status"] == 404
    assert newest_json.stderr == "(2 older not shown: raise --limit, up to 10000)\n"


def test_a_follower_of_an_empty_journal_says_it_waits(contract):
    with running_mock() as fresh:
        follower, lines = _follower(fresh.url)
        try:
            first = lines.get(timeout=30)  # nothing at all came, before
            requests.get(f"{fresh.url}/nope", timeout=10)
            second = lines.get(timeout=30)
        except queue.Empty:
            first = second = "nothing within 30 s"
        finally:
            follower.terminate()
            follower.communicate(timeout=10)
    assert first == "(no requests in the journal; waiting for new ones)\n"
    assert second.split("  ")[2:4] == ["GET /nope", "404"]


def test_entries_left_out_by_limit_suggest_raising_it_or_at_the_most_narrowing():
    """"(1980 older not shown; --limit 10000 at most)" read as a cap, not as the way to see them."""
    from mockserver.commands.journal import older_not_shown

    assert older_not_shown(1980, 20) == "1980 older not shown: raise --limit, up to 10000"
    assert older_not_shown(5, 10_000) == "5 older not shown: --limit 10000 is the most; narrow them with --since or a" \
        " filter"


def _follower(url: str, *args: str) -> tuple[subprocess.Popen, queue.Queue[str]]:
    """`journal --follow` polling every 0.1 s, and its stdout lines as they come."""
    follower = subprocess.Popen([sys.executable, "-m", "mockserver", "journal", "--url", url, "--follow",
                                 "--interval", "0.1", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(text) for text in follower.stdout], daemon=True).start()
    return follower, lines


def test_a_follower_outlives_a_restart_and_5xx_saying_so_once_each_way(contract, tmp_path, make_app):
    """A failed poll ended the follower (`error: no answer ... Connection refused`): a mock restarted for 2 s
    stopped every tester's. Polls are now tried again each interval, with one line when they begin to fail and one
    when they are answered again; what came meanwhile is shown after."""
    from mockserver.testing import serve

    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    unavailable, refused = threading.Event(), threading.Event()

    def flaky(environ, start_response):
        if unavailable.is_set():
            refused.set()
            start_response("503 Service Unavailable", [("Content-Type", "text/html")])
            return [b"<html>upstream restarting</html>"]
        return app(environ, start_response)

    first = serve(flaky)
    url = first.__enter__()
    follower, lines = _follower(url)
    notes: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [notes.put(text) for text in follower.stderr], daemon=True)
    reader.start()
    said = []
    try:
        try:
            assert lines.get(timeout=30) == "(no requests in the journal; waiting for new ones)\n"
            requests.get(f"{url}/before", timeout=10)
            assert lines.get(timeout=30).split("  ")[2] == "GET /before"
        finally:
            first.__exit__(None, None, None)
        said.append(notes.get(timeout=30))  # stopped: a poll is refused, and the follower says so
        with serve(flaky, port=int(url.rsplit(":", 1)[1])):
            unavailable.set()  # up, but answering 503 (a proxy in front of a mock still starting)
            assert refused.wait(timeout=30)  # a poll met the 503
            unavailable.clear()
            requests.get(f"{url}/after", timeout=10)
            shown = lines.get(timeout=30)
            said.append(notes.get(timeout=30))
            follower.terminate()  # while the mock still answers: a poll after it stops would say so a third time
            follower.wait(timeout=10)
    finally:
        follower.terminate()
        follower.wait(timeout=10)
        reader.join(timeout=10)
        follower.communicate(timeout=10)  # at their ends by now: closes the pipes
    said += [notes.get() for _ in range(notes.qsize())]
    stderr = "".join(said)
    said = [line.rstrip("\n") for line in said]
    assert shown.split("  ")[2] == "GET /after"
    assert follower.returncode != 2, stderr
    assert len(said) == 2, stderr
    assert said[0].startswith(f"(no answer from {url}/__admin/requests: ConnectionError: ")
    assert said[0].endswith("; trying again every 0.1 s)")
    assert re.fullmatch(r"\(answered again, after \d+ failed polls in \d+\.\d s\)", said[1]), said[1]


@pytest.mark.parametrize("body", [b'{"errors": 5}', b'{"errors": "down"}', b'{"errors": [7, null]}'])
def test_an_error_answer_of_another_shape_is_one_line(body):
    """A 404 from something else on the port whose `errors` is no list of error objects ended in a TypeError."""
    from mockserver.testing import serve

    def app(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [body]

    with serve(app) as url:
        result = journal_command("--url", url)
    assert result.returncode == 2 and f"{url}/__admin/requests answered 404: " in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.parametrize("location", ["http://[::1", "/login?next=/__admin/requests"])
def test_a_redirect_is_not_followed_and_is_one_line(location):
    """The admin API never redirects: a 302 was followed (to a sign-in page, read as a journal), and one whose
    Location is no URL was a traceback (ValueError: Invalid IPv6 URL), requests reading it even unfollowed."""
    from mockserver.testing import serve

    def app(environ, start_response):
        start_response("302 Found", [("Location", location), ("Content-Type", "text/html")])
        return [b"<html>sign in</html>"]

    with serve(app) as url:
        result = journal_command("--url", url)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"mockserver journal: error: {url}/__admin/requests answered 302: not a mock journal\n"


@pytest.mark.parametrize(("answer", "message"), [
    ((401, b'{"errors": [{"msg": "unauthorized", "code": 401}]}'), "wants the mock's admin token"),
    ((404, b"<html>not found</html>"), "answered 404: not a mock journal"),
    ((200, b"<html>a welcome page</html>"), "answered 200 but not with a mock journal"),
])
def test_a_follower_stops_at_once_on_what_trying_again_cannot_mend(contract, answer, message, make_app):
    """Past a 503, which it tries again, a 401 (the admin token), a 404 or a page that is no journal (--url names
    something else) end the follower in one line, as they end a listing."""
    from mockserver.testing import serve

    app = make_app({"DATABASE": ":memory:"})
    unavailable, changed, refused = threading.Event(), threading.Event(), threading.Event()

    def changing(environ, start_response):
        if unavailable.is_set() or changed.is_set():
            refused.set()
            start_response(f"{503 if unavailable.is_set() else answer[0]} Whatever",
                           [("Content-Type", "application/json")])
            return [b'{"errors": [{"msg": "restarting", "code": 5003}]}' if unavailable.is_set() else answer[1]]
        return app(environ, start_response)

    with serve(changing) as url:
        follower, lines = _follower(url)
        try:
            assert lines.get(timeout=30).startswith("(no requests in the journal")
            unavailable.set()
            assert refused.wait(timeout=30)  # a poll met the 503
            changed.set()
            unavailable.clear()
            follower.wait(timeout=30)
        finally:
            follower.kill()
            _, stderr = follower.communicate(timeout=10)
    said = stderr.splitlines()
    assert follower.returncode == 2 and len(said) == 2, stderr
    assert said[0] == f"({url}/__admin/requests answered 503: restarting; trying again every 0.1 s)"
    assert said[1].startswith("mockserver journal: error: ") and message in said[1], stderr


def test_a_quiet_follower_moves_on_and_misses_nothing_from_two_workers(contract, tmp_path, make_app):
    """A follower moved its `after` on only when one of its own entries came: with filters that matched nothing,
    each poll read every entry written since it started (~70 ms a poll on a full journal). It now moves on to the
    journal's newest id at each poll; under requests from many threads answered by two workers (two apps on one
    database, each writing its entries in batches), every match is shown once, none skipped."""
    from mockserver.testing import serve

    apps = [make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}) for _ in range(2)]
    turn, polls = iter(range(10**9)), []

    def two_workers(environ, start_response):
        if environ["PATH_INFO"] == "/__admin/requests":
            polls.append(environ["QUERY_STRING"])
        return apps[next(turn) % 2](environ, start_response)

    with serve(two_workers) as url:
        follower, lines = _follower(url, "--method", "GET", "--json")
        try:
            deadline = time.monotonic() + 30
            while not any("after=" in poll for poll in polls) and time.monotonic() < deadline:
                time.sleep(0.05)  # following: its first listing is done
            def send(start: int) -> None:
                with requests.Session() as session:
                    for number in range(start, 240, 4):
                        if number % 3 == 0:
                            session.get(f"{url}/match-{number}", timeout=10)
                        else:
                            session.post(f"{url}/other-{number}", timeout=10)
            senders = [threading.Thread(target=send, args=(start,)) for start in range(4)]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join()
            for number in range(240, 260):  # the last ones match nothing
                requests.post(f"{url}/other-{number}", timeout=10)
            # the highest id given: the listing's first entry is the one answered last, which with two workers
            # writing their batches in turn need not hold the highest id
            newest = requests.get(f"{url}/__admin/requests?limit=1", timeout=10).json()["newestId"]
            shown = []
            deadline = time.monotonic() + 30
            while len(shown) < 80 and time.monotonic() < deadline:
                with contextlib.suppress(queue.Empty):
                    shown.append(json.loads(lines.get(timeout=1))["path"])
            polled_from = len(polls)
            while not any(f"after={newest}&" in poll or poll.endswith(f"after={newest}")
                          for poll in polls[polled_from:]) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # a few more polls: nothing comes twice
        finally:
            follower.terminate()
            rest, _ = follower.communicate(timeout=10)
    assert sorted(shown) == sorted(f"/match-{number}" for number in range(0, 240, 3)), shown
    assert rest == "" and lines.empty()
    assert any(f"after={newest}" in poll for poll in polls[polled_from:]), polls[-5:]


def test_a_follower_of_a_mock_restarted_on_a_new_database_follows_it_from_its_first_entry(contract, make_app):
    """Polling `after` the old database's ids, a follower showed nothing of a mock restarted on :memory: until its
    ids passed the old ones."""
    from mockserver.testing import serve

    apps = [make_app({"DATABASE": ":memory:"})]

    def current(environ, start_response):
        return apps[-1](environ, start_response)

    with serve(current) as url:
        for number in range(5):
            requests.get(f"{url}/old-{number}", timeout=10)
        follower, lines = _follower(url, "--limit", "1")
        waited_for = "its first line"  # said when a line does not come, so a failure tells which
        try:
            assert lines.get(timeout=30).startswith("(4 older not shown")
            waited_for = "the old database's entry"
            assert lines.get(timeout=30).split("  ")[2] == "GET /old-4"
            apps.append(make_app({"DATABASE": ":memory:"}))  # restarted, its journal new
            requests.get(f"{url}/new", timeout=10)
            waited_for = "the note of a new database"
            said = lines.get(timeout=30)
            waited_for = "the new database's entry"
            shown = lines.get(timeout=30)
        except queue.Empty:
            said = shown = f"nothing within 30 s, waiting for {waited_for}"
        finally:
            follower.terminate()
            follower.communicate(timeout=10)
    assert said == "(the journal's ids start again (the mock is on a new database): following it from its first" \
        " entry)\n"
    assert shown.split("  ")[2] == "GET /new"


# `mockserver journal`, writing on stderr at its exit the most memory it held (VmHWM: a process's own, where
# getrusage's ru_maxrss keeps what the forking test process held)
PEAK_REPORTING = ("import atexit, sys; from mockserver.cli import main;"
                  " atexit.register(lambda: sys.stderr.write(open('/proc/self/status').read()));"
                  " sys.argv[0] = 'mockserver'; raise SystemExit(main())")


def _peak_kb(url: str, *args: str) -> tuple[int, list[str]]:
    """`journal --url url args`: its peak resident memory (KiB) and the first and last lines it printed, with how
    many."""
    command = subprocess.Popen([sys.executable, "-c", PEAK_REPORTING, "journal", "--url", url, *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = last = b""
    count = 0
    for printed in command.stdout:
        first, last, count = first or printed, printed, count + 1
    _, stderr = command.communicate(timeout=60)
    assert command.returncode == 0, stderr
    (peak,) = re.findall(rb"^VmHWM:\s+(\d+) kB$", stderr, re.MULTILINE)
    return int(peak), [first.decode(), last.decode(), str(count)]


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads a process's peak memory from /proc")
def test_a_listing_is_read_an_entry_at_a_time_whatever_its_size():
    """The listing was read whole, then parsed: 4,000 entries of 8 KiB bodies took ~140 MB. Entries are now parsed
    as they arrive and their lines spooled, so the memory a listing of 2,000 entries of 24 KiB bodies (~50 MB of
    JSON) takes is within a few MB of what a listing of one takes; its lines are still printed oldest first."""
    from mockserver.testing import serve

    entries = 2000

    def listing(environ, start_response):
        count = 1 if "limit=5" in environ["QUERY_STRING"] else entries
        start_response("200 OK", [("Content-Type", "application/json")])
        yield b'{"total": %d, "newestId": %d, "journal": "on", "requests": [' % (count, count)
        for number in range(count, 0, -1):  # newest first
            entry = {"id": number, "at": "2026-11-27T10:00:00.000Z", "method": "POST", "path": f"/big-{number}",
                     "query": "", "status": 400, "errors": [], "latencyMs": 1.25, "headers": {},
                     "body": "x" * 24 * 1024}
            yield (b"," if number < count else b"") + json.dumps(entry).encode()
        yield b"]}\n"

    with serve(listing) as url:
        small, small_lines = _peak_kb(url, "--limit", "5")
        large, large_lines = _peak_kb(url, "--limit", "10000")
    assert small_lines[0].startswith("1  ") and small_lines[2] == "1"
    assert large_lines[0].split("  ")[:3] == ["1", "2026-11-27T10:00:00.000Z", "POST /big-1"]
    assert large_lines[1].split("  ")[2] == f"POST /big-{entries}" and large_lines[2] == str(entries)
    assert large - small < 16 * 1024, f"{large - small} KiB more for {entries} entries of 24 KiB bodies"


@pytest.mark.parametrize(("fault_rule", "errors", "shown"), [
    (3, [], "  444  1.2 ms  fault rule 3"),
    (None, [], "  444  1.2 ms"),
    (7, [{"msg": "Service unavailable (injected fault)", "code": 5003, "hint": "injected by fault rule 7"}],
     "  444  1.2 ms  Service unavailable (injected fault): injected by fault rule 7"),
    (3, [{"msg": "Connection reset without an answer (injected fault: drop=reset)", "code": 4044,
          "hint": "injected by fault rule 3"}],
     "  444  1.2 ms  Connection reset without an answer (injected fault: drop=reset): injected by fault rule 3"),
])
def test_a_line_names_the_fault_rule_that_met_its_request(fault_rule, errors, shown):
    """A dropped connection's 444 or a latency fault's normal answer carried no word of the rule behind it; a forced
    status's error names it in its hint, once."""
    from mockserver.commands.journal import line

    entry = {"id": 1, "at": "2026-11-27T10:00:00.000Z", "method": "POST", "path": "/campaign", "query": "",
             "status": 444, "errors": errors, "latencyMs": 1.25, "faultRule": fault_rule}
    assert line(entry).endswith(shown) and line(entry).count("fault rule") == (fault_rule is not None)
    assert line({**entry, "errors": [{"msg": "x", "code": 4000, "hint": "injected by fault rule 70"}]}).count(
        "fault rule") == 1 + (fault_rule is not None)


def test_a_drop_after_line_leads_with_the_drop_however_many_errors_its_answer_had():
    """A drop=after entry's errors are its answer's, then the drop's; the line's errors are cut at 200 characters,
    which a 400's many errors filled, so the line leads with the drop (and the rule its hint names), then the
    answer's errors as far as they fit."""
    from mockserver.commands.journal import line

    answer = [{"msg": f"field{n} is required", "code": 4000, "field": f"field{n}"} for n in range(30)]
    drop = {"msg": "Connection closed after serving the request, its answer not sent (injected fault: drop=after)",
            "code": 4044, "hint": "injected by fault rule 5"}
    entry = {"id": 1, "at": "2026-11-27T10:00:00.000Z", "method": "POST", "path": "/campaign", "query": "",
             "status": 444, "errors": [*answer, drop], "latencyMs": 1.25, "faultRule": 5}
    shown = line(entry)
    assert "  444  1.2 ms  Connection closed after serving the request, its answer not sent (injected fault:" \
           " drop=after): injected by fault rule 5; field0 is required; field1 is required" in shown
    assert shown.count("fault rule 5") == 1 and shown.endswith("...")
    refused = {**entry, "status": 400, "errors": answer, "faultRule": None}
    assert line(refused).split("  ")[5].startswith("field0 is required; field1")  # others keep their order


@pytest.mark.parametrize(("url", "said"), [
    ("http://[::1", "is not a URL: Invalid IPv6 URL"),
    ("http://[zz]:8080", "is not a URL: "),  # in urllib's words, which differ from one Python to the next
    ("http://127.0.0.1:abc", "is not a URL: "),
    ("http://127.0.0.1:70000", "is not a URL: Port out of range 0-65535"),
    ("http://:8080", "must be http:// or https:// and name a host"),
    ("http://127.0.0.1:8080?x=1", "must not have a query (?...) or fragment (#...)"),
    ("http://127.0.0.1:8080 ", "has white space or a control character in it"),
])
def test_a_malformed_url_is_one_line_naming_what_is_wrong(url, said, capsys):
    """`http://[::1` ended the command in urllib's traceback; a bad port or a space was reported as "no answer from
    ... is the mock running there?", as if the address were right and nothing listened."""
    assert main(["journal", "--url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mockserver journal: error: --url {url!r} {said}"), err
    assert err.count("\n") == 1


def test_a_long_malformed_url_is_quoted_cut_short(capsys):
    assert main(["journal", "--url", "http://" + "a" * 5000 + ":port"]) == 2
    err = capsys.readouterr().err
    assert "is not a URL" in err and len(err) < 400, err


UNKNOWN_ACCOUNT = ("mockserver journal: warning: accountId is not an account of the mock's tenant, and matched nothing"
                   " (got 'nope'; its accounts: ")


def test_an_account_the_tenant_lacks_that_matched_nothing_is_warned_of(mock):
    """The admin listing answered `warnings` for it, and the command read only its scalar fields: a misspelt
    --account-id said only "(no requests match the filters)", as an account with no traffic yet does."""
    result = journal_command("--url", mock.url, "--account-id", "nope")
    assert (result.returncode, result.stdout) == (0, "(no requests match the filters)\n")
    assert result.stderr.startswith(UNKNOWN_ACCOUNT) and result.stderr.count("\n") == 1, result.stderr
    assert journal_command("--url", mock.url, "--account-id", mock.account_id).stderr == ""


def test_a_follower_warns_of_an_unknown_account_once_not_at_every_poll(mock):
    follower = subprocess.Popen([sys.executable, "-m", "mockserver", "journal", "--url", mock.url, "--follow",
                                 "--interval", "0.1", "--account-id", "nope"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert follower.stdout.readline() == "(no requests match the filters; waiting for new ones)\n"
        time.sleep(1)  # some ten polls, each answered with the warning
    finally:
        follower.terminate()
        _, err = follower.communicate(timeout=10)
    assert err.startswith(UNKNOWN_ACCOUNT) and err.count("\n") == 1, err


def test_warnings_beyond_a_list_of_strings_are_not_a_traceback():
    from mockserver.commands.journal_listing import WARNINGS_KEPT, read_listing

    def head(warnings: object) -> dict:
        body = json.dumps({"total": 0, "requests": [], "warnings": warnings}).encode()
        return read_listing([body], lambda entry: None)

    assert head(["a", 5, {"b": 1}, "c"])["warnings"] == ["a", "c"]
    assert head({"a": "b"})["warnings"] == [] and "warnings" not in head("a")
    assert head(["w"] * 10_000)["warnings"] == ["w"] * WARNINGS_KEPT
