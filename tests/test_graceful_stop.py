"""A stop's grace period (`serve --graceful-timeout`): what it lets finish, and what a stop that ran out of it says."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time

import pytest
import requests
from network import parsed, until_closed

from mockserver import faults, process

WORKER_KINDS = pytest.mark.parametrize("threads", ["1", "4"], ids=["sync", "gthread"])


def until_every_worker_holds_one(server, deadline_s: float = 30.0) -> None:
    """Wait until every sync worker holds a request: a health check is then left unanswered. A fixed 0.5 s was too
    short on a loaded machine, and a stop came before a worker had taken its request (1 cut where 2 were meant)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            requests.get(f"{server.url}/__admin/health", timeout=1)
        except requests.Timeout:
            return
        time.sleep(0.05)
    raise AssertionError("the workers were never all holding a request:\n" + "".join(server.output))


def until_the_rule_is_claimed(server, deadline_s: float = 30.0) -> None:
    """Wait until a request has claimed the one fault rule, as it arrives: it is then in a worker's hands. For a
    gthread worker, which has a thread free to answer a health check whatever the others hold: a fixed 1 s, on a
    loaded machine, could send the stop before the request had come. (A sync worker answers no poll meanwhile.)"""
    deadline = time.monotonic() + deadline_s
    while requests.get(f"{server.url}/__admin/faults", timeout=10).json()["rules"][0]["applied"] == 0:
        assert time.monotonic() < deadline, "the request never claimed the rule:\n" + "".join(server.output)
        time.sleep(0.05)


def stop_during(server, latency_ms: int, threads: str = "1") -> tuple[int, float, object]:
    """SIGTERM to the master alone (as a container's runtime sends it) while a latency fault holds a request: the
    server's exit status, how long it took to stop, and what the client got (a status, or the exception)."""
    api = f"{server.url}/campaign/api/v2/public/st-1/campaign"
    got: list[object] = []
    added = requests.post(f"{server.url}/__admin/faults", json={"fault": f"latency={latency_ms}", "count": 1},
                          timeout=10)  # a rule, not the header: what it has applied says when the request came
    assert added.status_code == 201, added.text

    def call() -> None:
        try:
            got.append(requests.post(api, json={}, timeout=30).status_code)
        except requests.RequestException as exc:
            got.append(exc)

    client = threading.Thread(target=call)
    client.start()
    if threads == "1":
        until_every_worker_holds_one(server)
    else:
        until_the_rule_is_claimed(server)
    started = time.monotonic()
    os.kill(server.process.pid, signal.SIGTERM)
    status = server.process.wait(timeout=30)
    took = time.monotonic() - started
    client.join(timeout=30)
    return status, took, got[0]


def last_line(server) -> str:
    return [line for line in server.output if line.startswith("mockserver: ")][-1]


@WORKER_KINDS
def test_a_stop_that_kills_a_worker_with_a_request_in_hand_says_so_with_status_5(threads):
    """The grace period was 5 s whatever the option, and a request cut when it ran out left the last line saying
    `stopped on SIGTERM (exit status 0; ...)`, as if all had gone well."""
    with process.running("--db", ":memory:", "--workers", "1", "--threads", threads,
                         "--graceful-timeout", "1") as server:
        status, took, got = stop_during(server, 4000, threads)
    assert isinstance(got, requests.ConnectionError), got
    assert took < 3, took  # the 1 s given, not 5 s nor the fault's 4 s
    assert status == 5, server.output
    assert last_line(server) == (f"mockserver: stopped on SIGTERM, cutting 1 request still in hand when"
                                 f" --graceful-timeout 1 ran out (exit status 5; pid {server.process.pid})\n")


def test_a_request_that_ends_within_the_grace_period_is_answered_and_the_stop_is_clean():
    with process.running("--db", ":memory:", "--workers", "1", "--graceful-timeout", "3") as server:
        status, took, got = stop_during(server, 1500)
    assert got == 401  # the fault's wait, then the answer to a request without a token
    assert status == 0 and took < 3, (status, took)
    assert last_line(server) == f"mockserver: stopped on SIGTERM (exit status 0; pid {server.process.pid})\n"


def test_a_worker_killed_with_only_an_idle_kept_alive_connection_cuts_nothing():
    """gthread keeps an idle kept-alive connection open for up to 2 s of a stop: a shorter grace period kills its
    worker, but no request was in hand, so the stop is a clean one."""
    with process.running("--db", ":memory:", "--workers", "1", "--threads", "4", "--idle-timeout", "30",
                         "--graceful-timeout", "1") as server, requests.Session() as session:
        assert session.get(f"{server.url}/__admin/health", timeout=10).status_code == 200
        os.kill(server.process.pid, signal.SIGTERM)
        status = server.process.wait(timeout=30)
    assert status == 0, server.output
    assert last_line(server) == f"mockserver: stopped on SIGTERM (exit status 0; pid {server.process.pid})\n"


@pytest.mark.parametrize(("sig", "send"), [(signal.SIGTERM, os.kill), (signal.SIGINT, os.killpg)],
                         ids=["sigterm", "ctrl-c"])
def test_the_workers_a_stop_kills_are_not_logged_as_killed_out_of_memory(sig, send):
    """gunicorn logged each worker the stop itself had killed as `[ERROR] Worker (pid:N) was sent SIGKILL! Perhaps out
    of memory?` whenever it reaped it before exiting (every Ctrl-C, whose stop runs twice), sending a reader of the
    log after a memory problem the last line does not have."""
    with process.running("--db", ":memory:", "--workers", "2", "--graceful-timeout", "1") as server:
        api = f"{server.url}/campaign/api/v2/public/st-1/campaign"
        clients = [threading.Thread(target=held, args=(api,)) for _ in range(2)]
        for client in clients:
            client.start()
        until_every_worker_holds_one(server)
        send(server.process.pid, sig)
        status = server.process.wait(timeout=30)
        for client in clients:
            client.join(timeout=30)
    assert status == 5, server.output
    assert [line for line in server.output if "SIGKILL" in line or "out of memory" in line] == []
    assert "cutting 2 requests still in hand" in last_line(server)


def held(api: str, latency_ms: int = 4000) -> None:
    """A request a latency fault holds past the grace period, on a connection of its own."""
    with contextlib.suppress(requests.RequestException):
        requests.post(api, json={}, headers={faults.HEADER: f"latency={latency_ms}", "Connection": "close"},
                      timeout=30)


def test_a_ctrl_c_that_cuts_the_grace_period_short_is_named_as_what_cut_the_requests():
    """gunicorn ends a SIGTERM's grace period 2 s after a Ctrl-C or SIGQUIT: the last line blamed --graceful-timeout
    (`when --graceful-timeout 30 ran out`), which had not run out."""
    with process.running("--db", ":memory:", "--workers", "1", "--graceful-timeout", "30") as server:
        api = f"{server.url}/campaign/api/v2/public/st-1/campaign"
        client = threading.Thread(target=held, args=(api, 10000))
        client.start()
        until_every_worker_holds_one(server)
        os.kill(server.process.pid, signal.SIGTERM)
        time.sleep(0.5)
        os.kill(server.process.pid, signal.SIGINT)
        status = server.process.wait(timeout=30)
        client.join(timeout=30)
    assert status == 5, server.output
    assert last_line(server) == (f"mockserver: stopped on SIGTERM, cutting 1 request still in hand when a Ctrl-C or"
                                 f" SIGQUIT cut the grace period short (exit status 5; pid {server.process.pid})\n")


@pytest.mark.parametrize("first", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_second_ctrl_c_stops_at_once(first):
    """A Ctrl-C lets the requests in hand finish; a second one, at a terminal, was ignored until they had (a 30 s
    latency fault held the prompt for 30 s), and one after a SIGTERM took 2 s more. It now kills the workers at
    once, and the last line counts what that cut."""
    with process.running("--db", ":memory:", "--workers", "1", "--graceful-timeout", "30") as server:
        api = f"{server.url}/campaign/api/v2/public/st-1/campaign"
        client = threading.Thread(target=held, args=(api, 10000))
        client.start()
        until_every_worker_holds_one(server)
        os.killpg(server.process.pid, first)  # a terminal's Ctrl-C goes to the whole process group
        time.sleep(1.0)
        assert server.process.poll() is None  # the first lets the request in hand finish
        started = time.monotonic()
        os.killpg(server.process.pid, signal.SIGINT)
        status = server.process.wait(timeout=30)
        took = time.monotonic() - started
        client.join(timeout=30)
    assert took < 1.5, took
    assert status == 5, server.output
    assert last_line(server) == (f"mockserver: stopped on {first.name}, cutting 1 request still in hand when a Ctrl-C"
                                 f" or SIGQUIT cut the grace period short (exit status 5; pid {server.process.pid})\n")
    assert [line for line in server.output if "Traceback" in line or "SIGKILL" in line] == []


@WORKER_KINDS
def test_an_answer_given_while_the_server_stops_says_the_connection_closes(threads):
    """RFC 9112 (9.6): a server that will close the connection after an answer says `Connection: close`. A gthread
    worker told to stop while it answered said `keep-alive` and `Keep-Alive: timeout=5`, then closed the connection
    2 s later, under a client that may have sent its next request down it."""
    with process.running("--db", ":memory:", "--workers", "1", "--threads", threads,
                         "--graceful-timeout", "10") as server:
        added = requests.post(f"{server.url}/__admin/faults", json={"fault": "latency=2000", "count": 1}, timeout=10)
        assert added.status_code == 201, added.text
        with socket.create_connection(server.address, timeout=10) as sock:
            sock.sendall(b"POST /campaign/api/v2/public/st-1/campaign HTTP/1.1\r\nHost: mock\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            if threads == "1":
                until_every_worker_holds_one(server)
            else:
                until_the_rule_is_claimed(server)
            os.kill(server.process.pid, signal.SIGTERM)
            answer = sock.recv(65536)
            answered = time.monotonic()
            answer += until_closed(sock)
            closed = time.monotonic()
        assert server.process.wait(timeout=30) == 0, server.output
    status, headers, _ = parsed(answer)
    assert status == 401  # the fault's wait, then the answer to a request without a token
    assert headers["connection"] == "close" and "keep-alive" not in headers, headers
    assert closed - answered < 1.0  # closed after the answer, not kept for gthread's 2 s of a stop


def test_connections_no_worker_took_are_reset_by_a_stop_that_reports_a_clean_one():
    """As the README says of a stop (gunicorn's own way): requests queued behind a busy sync worker are not served
    but reset, before any byte of an answer, as the worker exits; the last line counts only requests in hand."""
    with process.running("--db", ":memory:", "--workers", "1", "--graceful-timeout", "10") as server:
        api = f"{server.url}/campaign/api/v2/public/st-1/campaign"
        got: list[object] = []

        def call() -> None:
            try:
                got.append(requests.post(api, json={}, headers={faults.HEADER: "latency=2000"}, timeout=30).status_code)
            except requests.ConnectionError as exc:  # ProtocolError('Connection aborted.', ConnectionResetError(...))
                got.append("reset" if "ConnectionResetError" in repr(exc) else exc)

        clients = [threading.Thread(target=call) for _ in range(4)]
        for client in clients:
            client.start()
        until_every_worker_holds_one(server)
        os.kill(server.process.pid, signal.SIGTERM)
        status = server.process.wait(timeout=30)
        for client in clients:
            client.join(timeout=30)
    assert sorted(got, key=str) == [401, "reset", "reset", "reset"], got
    assert status == 0, server.output
    assert last_line(server) == f"mockserver: stopped on SIGTERM (exit status 0; pid {server.process.pid})\n"
