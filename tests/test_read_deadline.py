"""mockserver.read_deadline on a socket pair: reads end at the thread's deadline, and the socket is left as found."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from mockserver import read_deadline
from mockserver.read_deadline import DeadlinePassed, DeadlineSocket


@pytest.fixture
def pair():
    mine, theirs = socket.socketpair()
    read_deadline.bound(mine)
    yield mine, theirs
    mine.close()
    theirs.close()


def test_bound_gives_a_plain_socket_deadline_reads_and_leaves_others_alone(pair):
    mine, _ = pair
    assert type(mine) is DeadlineSocket
    with socket.socket() as other:
        other.__class__ = type("Other", (socket.socket,), {"__slots__": ()})
        read_deadline.bound(other)
        assert type(other).__name__ == "Other"


def test_without_a_deadline_reads_are_untouched(pair):
    mine, theirs = pair
    theirs.sendall(b"abc")
    assert mine.recv(10) == b"abc"


def test_a_read_that_would_wait_past_the_deadline_stops_at_it_and_the_timeout_comes_back(pair):
    mine, _ = pair
    mine.settimeout(5)
    started = time.monotonic()
    with read_deadline.within(0.3), pytest.raises(DeadlinePassed):
        mine.recv(10)  # nothing is coming: the 5 s timeout would have waited longer
    assert 0.25 < time.monotonic() - started < 2
    assert mine.gettimeout() == 5


def test_bytes_that_come_before_the_deadline_are_read(pair):
    mine, theirs = pair
    mine.settimeout(5)
    with read_deadline.within(2):
        threading.Timer(0.1, theirs.sendall, [b"late but in time"]).start()
        assert mine.recv(100) == b"late but in time"


def test_once_the_deadline_has_passed_even_waiting_bytes_are_refused(pair):
    """A client that keeps a trickle going is refused at the deadline, however little is left."""
    mine, theirs = pair
    theirs.sendall(b"x")
    with read_deadline.within(0.05):
        time.sleep(0.1)
        with pytest.raises(DeadlinePassed):
            mine.recv(10)


def test_on_a_blocking_socket_the_deadline_is_checked_before_each_read(pair):
    """gthread's sockets block (SO_RCVTIMEO bounds each read): their timeout is not touched."""
    mine, theirs = pair
    theirs.sendall(b"ab")
    with read_deadline.within(0.1):
        assert mine.recv(1) == b"a"
        assert mine.gettimeout() is None
        time.sleep(0.15)
        with pytest.raises(DeadlinePassed):
            mine.recv(1)


def test_lift_ends_the_deadline_and_an_inner_one_gives_back_the_outer(pair):
    mine, theirs = pair
    with read_deadline.within(0.05):
        with read_deadline.within(None):
            time.sleep(0.1)
            theirs.sendall(b"a")
            assert mine.recv(1) == b"a"  # no deadline inside
        with pytest.raises(DeadlinePassed):
            mine.recv(1)  # the outer one is back, and has passed
        read_deadline.lift()
        theirs.sendall(b"b")
        assert mine.recv(1) == b"b"


def test_each_thread_has_its_own_deadline(pair):
    mine, theirs = pair
    theirs.sendall(b"a")
    outcome = []
    with read_deadline.within(0.01):
        time.sleep(0.05)
        reader = threading.Thread(target=lambda: outcome.append(mine.recv(1)))
        reader.start()
        reader.join(5)
    assert outcome == [b"a"]
