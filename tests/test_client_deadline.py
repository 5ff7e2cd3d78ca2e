"""mockserver.client_deadline: a request's name lookup ends at the deadline too, and a connection given up on leaves
nothing behind, neither a socket nor a thread the interpreter waits for at exit."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest

from mockserver.client_deadline import Deadline


def test_a_connection_made_in_time_is_the_one_used():
    mine, theirs = socket.socketpair()
    with mine, theirs, Deadline(5) as deadline:
        assert deadline.connect(lambda looked_up: mine) is mine
    assert not deadline.passed


def test_a_connection_that_fails_in_time_fails_as_it_did():
    def refused(looked_up) -> socket.socket:
        looked_up()
        raise ConnectionRefusedError("Connection refused")

    with Deadline(5) as deadline, pytest.raises(ConnectionRefusedError):
        deadline.connect(refused)
    assert not deadline.passed


def test_a_name_still_being_looked_up_at_the_deadline_is_given_up_and_its_connection_closed_when_it_comes():
    """The lookup and the connection are made on a thread of their own, which a deadline cannot stop: what that
    thread makes after the time ran out is closed there, not left open for the garbage collector."""
    mine, theirs = socket.socketpair()
    made, released = threading.Event(), threading.Event()

    def slow(looked_up) -> socket.socket:
        released.wait(10)
        looked_up()
        made.set()
        return mine

    with theirs:
        started = time.monotonic()
        with Deadline(0.3) as deadline:
            connected = deadline.connect(slow)
        took = time.monotonic() - started
        released.set()
        assert made.wait(10)
        assert connected is None and deadline.passed
        assert took < 3, took
        for _ in range(100):  # closed by the thread that made it, just after
            if mine.fileno() == -1:
                break
            time.sleep(0.01)
        assert mine.fileno() == -1


def test_a_connection_past_its_lookup_is_left_to_its_own_timeout():
    """A connection nothing takes ends in the connect timeout's own error, which says so, not in the deadline's."""
    def not_taken(looked_up) -> socket.socket:
        looked_up()
        time.sleep(0.5)
        raise TimeoutError("timed out")

    with Deadline(0.1) as deadline, pytest.raises(TimeoutError):
        deadline.connect(not_taken)
    assert deadline.passed


HANGING_LOOKUP = """
import socket, threading
import requests
from mockserver.client_deadline import Deadline, DeadlineAdapter

socket.getaddrinfo = lambda *args, **kwargs: threading.Event().wait()  # a resolver that never answers
session = requests.Session()
session.mount("http://", DeadlineAdapter())
with Deadline(0.3) as deadline:
    try:
        session.get("http://lookup.hangs.invalid:8080/", timeout=0.3)
    except requests.RequestException as exc:
        print(type(exc).__name__, deadline.passed)
"""


def test_a_lookup_given_up_on_does_not_hold_the_interpreter_at_exit():
    """The thread left waiting on the resolver must not be one the interpreter joins as it exits."""
    started = time.monotonic()
    ended = subprocess.run([sys.executable, "-c", HANGING_LOOKUP], capture_output=True, text=True, encoding="utf-8",
                           timeout=30, env={"NO_PROXY": "*", "PATH": ""})
    took = time.monotonic() - started
    assert (ended.returncode, ended.stdout, ended.stderr) == (0, "ConnectionError True\n", "")
    assert took < 10, took
