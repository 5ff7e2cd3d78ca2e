"""mockserver.worker_log: one line for a too-slow client, and a repeated warning logged once a window."""

from __future__ import annotations

import logging

import pytest

from mockserver import worker_log
from mockserver.worker_log import RepeatedWarnings, quiet_timeouts


def _record(msg: str, *args: object, level: int = logging.WARNING, exc: BaseException | None = None):
    info = (type(exc), exc, None) if exc else None
    return logging.LogRecord("gunicorn.error", level, __file__, 1, msg, args, info)


def test_gunicorns_traceback_for_a_too_slow_client_becomes_one_warning_naming_the_client():
    """gunicorn's record names no client, so one client's lines could not be told from another's."""
    worker_log.serving(("10.0.0.9", 51234))
    record = _record(worker_log.TIMED_OUT_MESSAGE, level=logging.ERROR, exc=TimeoutError("timed out"))
    assert quiet_timeouts(record)
    assert (record.getMessage(), record.levelname, record.exc_info) == (
        "Closed a connection from ip=10.0.0.9 whose request did not arrive in time (--idle-timeout)", "WARNING", None)
    other = _record(worker_log.TIMED_OUT_MESSAGE, level=logging.ERROR, exc=ConnectionAbortedError())
    assert quiet_timeouts(other) and other.exc_info is not None  # anything else keeps its traceback


@pytest.fixture
def now(monkeypatch) -> list[float]:
    """The workers' clock, held still: a test moves it on by adding to now[0]."""
    clock = [100.0]
    monkeypatch.setattr(worker_log.time, "monotonic", lambda: clock[0])
    return clock


def test_the_same_warning_is_logged_once_a_window_then_says_how_many_were_left_out(now):
    repeated = RepeatedWarnings(window=60)
    line = "TLS handshake with ip=%s failed: %s"
    assert repeated(_record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA"))
    now[0] += 1
    assert not repeated(_record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA"))
    assert not repeated(_record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA"))
    assert repeated(_record(line, "10.0.0.2", "TLSV1_ALERT_UNKNOWN_CA"))  # another client
    assert repeated(_record(line, "10.0.0.1", "WRONG_VERSION_NUMBER"))  # another problem
    assert repeated(_record("%s", "an error", level=logging.ERROR))  # errors are never held back
    assert repeated(_record("%s", "an error", level=logging.ERROR))
    now[0] += 60
    after = _record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA")
    assert repeated(after)
    assert after.getMessage() == ("TLS handshake with ip=10.0.0.1 failed: TLSV1_ALERT_UNKNOWN_CA"
                                  " (and 2 more like it in the 60 s before, not logged)")


def test_many_different_warnings_do_not_grow_without_bound():
    repeated = RepeatedWarnings(remember=10)
    for number in range(1000):
        assert repeated(_record("Invalid request from ip=%s", f"10.0.{number // 256}.{number % 256}"))
    assert len(repeated.seen) <= 10


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _logger(repeated: RepeatedWarnings) -> tuple[logging.Logger, Lines]:
    log = logging.Logger("worker")  # not registered: nothing else sees it
    lines = Lines()
    log.addHandler(lines)
    log.addFilter(repeated)
    return log, lines


def test_the_count_left_out_is_logged_when_the_window_ends_though_the_warning_never_comes_back(now):
    """A client that retried for a while and then stopped: the count was only told with its next warning, so
    never."""
    repeated = RepeatedWarnings(window=60)
    log, lines = _logger(repeated)
    for _ in range(4):
        log.warning("TLS handshake with ip=%s failed: %s", "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA")
        now[0] += 1
    log.warning("Invalid request from ip=%s", "10.0.0.2")  # once: nothing to tell about it
    repeated.flush(log)
    assert len(lines.lines) == 2  # the window has not ended
    now[0] += 57
    repeated.flush(log)
    assert lines.lines[2:] == ["TLS handshake with ip=10.0.0.1 failed: TLSV1_ALERT_UNKNOWN_CA"
                               " (and 3 more like it in the 60 s after it was logged, not logged)"]
    repeated.flush(log)
    assert len(lines.lines) == 3  # told once
    log.warning("TLS handshake with ip=%s failed: %s", "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA")
    assert lines.lines[3] == "TLS handshake with ip=10.0.0.1 failed: TLSV1_ALERT_UNKNOWN_CA"  # logged at once, bare


def test_a_worker_that_exits_tells_what_it_left_out_so_far(now):
    repeated = RepeatedWarnings(window=60)
    log, lines = _logger(repeated)
    for _ in range(3):
        log.warning("Plain HTTP request on the HTTPS port from ip=%s: answered 400", "10.0.0.3")
        now[0] += 5
    repeated.flush(log, everything=True)
    assert lines.lines == ["Plain HTTP request on the HTTPS port from ip=10.0.0.3: answered 400",
                           "Plain HTTP request on the HTTPS port from ip=10.0.0.3: answered 400"
                           " (and 2 more like it in the 15 s after it was logged, not logged)"]


def test_a_message_with_a_percent_sign_is_counted_and_told_as_it_was(now):
    repeated = RepeatedWarnings(window=60)
    log, lines = _logger(repeated)
    log.warning("Invalid request from ip=%s: %s", "10.0.0.4", "bad %s in /a%20b")
    log.warning("Invalid request from ip=%s: %s", "10.0.0.4", "bad %s in /a%20b")
    now[0] += 61
    log.warning("Invalid request from ip=%s: %s", "10.0.0.4", "bad %s in /a%20b")
    assert lines.lines[-1] == ("Invalid request from ip=10.0.0.4: bad %s in /a%20b"
                               " (and 1 more like it in the 60 s before, not logged)")


def test_the_workers_loop_tells_the_count_as_it_notifies_the_arbiter(now):
    """gunicorn's workers call notify() between requests and when idle: the window's end is noticed there."""
    from mockserver.workers import EnvelopeErrors

    class Loop:
        notified = 0

        def notify(self) -> None:
            self.notified += 1

    class Worker(EnvelopeErrors, Loop):
        pass

    worker = Worker()
    worker.repeated = RepeatedWarnings(window=60)
    log, lines = _logger(worker.repeated)
    worker.log = type("GunicornLog", (), {"error_log": log})()
    log.warning("Invalid request from ip=%s", "10.0.0.5")
    log.warning("Invalid request from ip=%s", "10.0.0.5")
    worker.notify()
    now[0] += 60
    worker.notify()
    assert worker.notified == 2
    assert lines.lines == ["Invalid request from ip=10.0.0.5",
                           "Invalid request from ip=10.0.0.5 (and 1 more like it in the 60 s after it was logged,"
                           " not logged)"]


def test_past_the_warnings_kept_track_of_what_they_left_out_is_still_told(now):
    """A scan from more addresses than `remember`: the counts owed by the forgotten ones are told in one line."""
    repeated = RepeatedWarnings(window=60, remember=3)
    log, lines = _logger(repeated)
    for number in range(3):
        for _ in range(number + 2):  # 1 logged, number + 1 left out
            log.warning("Invalid request from ip=%s", f"10.0.0.{number}")
    assert len(lines.lines) == 3
    log.warning("Invalid request from ip=%s", "10.0.0.9")  # a fourth: the three are forgotten
    assert lines.lines[3] == "Invalid request from ip=10.0.0.9"
    repeated.flush(log)  # told at once, not at the end of a window
    assert lines.lines[4:] == ["6 more warnings, repeats of 3 different ones logged before, were not logged"
                               " (more than 3 different warnings within 60 s)"]
    repeated.flush(log, everything=True)
    assert len(lines.lines) == 5  # told once


def test_the_mock_logs_held_back_errors_are_told_as_errors(now):
    """The mock's own log holds back its errors alike (RepeatedWarnings(level=ERROR)): the line for the forgotten
    ones called them warnings, at level ERROR."""
    repeated = RepeatedWarnings(window=60, remember=2, level=logging.ERROR)
    log, lines = _logger(repeated)
    for number in range(3):
        log.error("GET /__admin/health: the database cannot be used (%s)", number)
        log.error("GET /__admin/health: the database cannot be used (%s)", number)
    repeated.flush(log)
    assert lines.lines[-1] == ("2 more errors, repeats of 2 different ones logged before, were not logged"
                               " (more than 2 different errors within 60 s)")


def test_a_store_that_fails_every_request_is_logged_once_a_window_in_the_servers_layout(tmp_path, contract, headers,
                                                                                         url):
    """A full disk (here: the database file removed) made every request log its own bare line, without time or
    pid, unlike gunicorn's: a load balancer's health checks and a client's retries flooded the supervisor's log."""
    import re

    import requests

    from mockserver import process

    database = tmp_path / "mock.sqlite3"
    with process.running("--db", str(database), "--workers", "1") as server:
        database.unlink()
        for _ in range(4):
            assert requests.post(server.url + url, json=contract.sample_request, headers=headers,
                                 timeout=10).status_code == 503
            assert requests.get(f"{server.url}/__admin/health", timeout=10).status_code == 503
    said = [line for line in server.output if "the database cannot be used" in line]
    logged = [line for line in said if "more like it" not in line]
    assert len(logged) == 2, said  # the create's, and the health check's
    layout = r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[ERROR\] (GET|POST) /"
    assert all(re.match(layout, line) for line in said), said
    assert [line for line in said if "(and 3 more like it in the" in line] and len(said) == 4, said


def _logged(server, words: str) -> str:
    """The shared server's output since the test's start, once a line holding `words` is in it (at most 10 s)."""
    import time

    deadline = time.monotonic() + 10
    while words not in (output := "".join(server.output)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return output


def test_a_malformed_request_line_is_logged_without_the_credentials_in_its_query(shared_mock):
    """gunicorn's message quotes the request line it could not parse, and the warning logged it whole: a token in
    its query reached the server's log at the default level, which the journal and the -v log redact."""
    import socket

    server = shared_mock("--db", ":memory:")
    with socket.create_connection(server.address, timeout=10) as client:
        client.sendall(b"GET  /x?accountId=a-1&access_token=QSECRET HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"400" in client.recv(4096)
    output = _logged(server, "Invalid HTTP request line")
    assert "Invalid HTTP request line: 'GET  /x?accountId=a-1&access_token=<redacted> HTTP/1.1'" in output, output
    assert "QSECRET" not in output


def test_the_rest_of_a_token_split_over_two_lines_is_logged_as_the_answer_quotes_it(shared_mock):
    """The answer quotes a header line with no name in its first characters, as the rest of a token split over two
    lines may be; gunicorn's warning logged that line whole, the token's signature with it."""
    import socket

    server = shared_mock("--db", ":memory:")
    with socket.create_connection(server.address, timeout=10) as client:
        client.sendall(b"POST /x HTTP/1.1\r\nHost: x\r\nauth: eyJhbGciOiJIUzI1NiJ9.\r\n"
                       b"eyJhcHBJZCI6ImNzLTUifQ.SIGNATURESECRET\r\n\r\n")
        answer = client.recv(4096)
    output = _logged(server, "Invalid HTTP Header")
    assert b"SIGNATURESECRET" not in answer
    assert "Invalid HTTP Header: 'eyJhcHBJZCI6... (not a header line, which is name: value:" in output, output
    assert "SIGNATURESECRET" not in output


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_head_cut_off_by_the_client_is_a_debug_line_naming_it_without_what_it_sent(threads):
    """gunicorn's debug line for it quoted the bytes of the head that had come ("Ignored premature client
    disconnection. No more data after: b'...auth: eyJ...'"), the token with them."""
    import socket
    import time

    from mockserver import process

    with process.running("--db", ":memory:", "--workers", "1", "--threads", threads, "--log-level", "debug") as server:
        with socket.create_connection(server.address, timeout=10) as client:
            client.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\nauth: eyJhbGciOiJIUzI1NiJ9.e30.SIGNATURESECRET\r\nX-A: b")
            client.shutdown(socket.SHUT_WR)
            assert client.recv(4096) == b""
        time.sleep(0.3)
    output = "".join(server.output)
    assert worker_log.CUT_OFF % "127.0.0.1" in output, output
    assert "SIGNATURESECRET" not in output


@pytest.mark.parametrize(("line", "logged"), [
    ("GET  /x?api%5Fkey=K&x=1 HTTP/1.1", "GET  /x?api%5Fkey=<redacted>&x=1 HTTP/1.1"),
    ("GET  /x?access+token=T HTTP/1.1", "GET  /x?access+token=<redacted> HTTP/1.1"),
    ("GET  /x?monkey=1&key=K HTTP/1.1", "GET  /x?monkey=1&key=<redacted> HTTP/1.1"),
    # an absolute-form target's user:password@, up to the authority's last @
    ("GET  http://alice:hunter2@h:8080/x HTTP/1.1", "GET  http://***@h:8080/x HTTP/1.1"),
    ("GET  http://a:p@ss@h/x?token=T HTTP/1.1", "GET  http://***@h/x?token=<redacted> HTTP/1.1"),
    ("GET  /x?next=http://h/a@b HTTP/1.1", "GET  /x?next=http://h/a@b HTTP/1.1"),  # an @ past the authority stays
    # a JWT under a name that says nothing of one
    ("GET  /x?id_hint=eyJhbGciOiJub25lIn0.e30.&x=1 HTTP/1.1", "GET  /x?id_hint=<redacted>&x=1 HTTP/1.1"),
])
def test_a_request_line_is_redacted_by_the_decoded_names_of_its_parameters(line, logged):
    """A parameter name %-encoded (or with + for a space) is the name a server reads: its value is a credential too."""
    from mockserver.redaction import redacted_text

    assert redacted_text(f"Invalid HTTP request line: '{line}'") == f"Invalid HTTP request line: '{logged}'"
