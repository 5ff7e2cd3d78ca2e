"""`mockserver journal --timeout`: each request to the mock, its name lookup, connection and whole answer, ends within
the time given, so a sandbox that trickles its answer, or a name that does not resolve, cannot keep the command
waiting; a follower's polls are each bounded that way, and the follower goes on."""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time

import pytest
from commands import mockserver_command
from network import trickling

EMPTY_LISTING = b'{"total": 0, "requests": []}'
LISTING = b'{"total": 1, "newestId": 1, "requests": [{"id": 1, "at": "2026-11-26T09:30:00.000Z", "method": "GET",' \
    b' "path": "/nope", "query": "", "status": 404, "latencyMs": 0.5, "errors": []}]}'
TRICKLED = LISTING + b" " * 400  # about 30 s at a byte every 0.05 s, well beyond any bound the tests allow
ADVICE = "give a slow link or mock more with --timeout"



@pytest.mark.parametrize(("at_once", "length", "said"), [
    (0, True, "no answer from {url} within --timeout 0.5 s"),
    (90, True, "the answer from {url} (200) was not whole within --timeout 0.5 s"),
    (90, False, "the answer from {url} (200) was not whole within --timeout 0.5 s"),
], ids=["head trickled", "body trickled", "body read to its close trickled"])
@pytest.mark.parametrize("mode", [(), ("--id", "1")], ids=["listing", "one-entry"])
def test_an_answer_trickled_a_byte_at_a_time_ends_at_the_timeout_in_one_line(serving_heads, at_once, length, said,
                                                                              mode):
    """Each byte came well within the 30 s the command gave each read: a sandbox behind something that trickled its
    answer kept the command waiting for as long as it liked, and one read to its close was taken for all of it."""
    with serving_heads(trickling("200 OK", TRICKLED, at_once, length)) as url:
        started = time.monotonic()
        result = mockserver_command("journal", "--url", url, "--timeout", "0.5", *mode)
        took = time.monotonic() - started
    where = f"{url}/__admin/requests{'/1' if mode else ''}"
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr == f"mockserver journal: error: {said.format(url=where)}; {ADVICE}\n"
    assert took < 10, took  # the command's own start included, on a busy machine


def test_a_name_lookup_that_does_not_end_ends_at_the_timeout(name_lookup_hangs, capsys):
    """The lookup comes before any connection: a resolver that did not answer held the command for as long as the
    system's resolver gave it, whatever the timeout."""
    from mockserver.cli import main

    started = time.monotonic()
    status = main(["journal", "--url", f"http://{name_lookup_hangs}:8080", "--timeout", "0.5"])
    took = time.monotonic() - started
    said = capsys.readouterr()
    assert status == 2 and said.out == ""
    assert said.err == (f"mockserver journal: error: no answer from http://{name_lookup_hangs}:8080/__admin/requests"
                        f" within --timeout 0.5 s; {ADVICE}\n")
    assert took < 3, took  # the command's imports included


def test_an_answer_in_time_is_listed_as_ever(serving_heads):
    whole = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(LISTING)}\r\n"
             "Connection: close\r\n\r\n").encode() + LISTING
    with serving_heads(lambda client, head: client.sendall(whole)) as url:
        result = mockserver_command("journal", "--url", url.replace("127.0.0.1", "localhost"), "--timeout", "5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("  ")[2:4] == ["GET /nope", "404"]


def test_each_poll_of_a_follower_ends_at_the_timeout_and_the_follower_goes_on(serving_heads):
    """A poll the sandbox trickled its answer to held the follower for good; now it fails as a poll that got no
    answer does, said once, and the next polls are tried each interval."""
    polls = []
    first = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(EMPTY_LISTING)}\r\n"
             "Connection: close\r\n\r\n").encode() + EMPTY_LISTING
    trickled = trickling("200 OK", EMPTY_LISTING, 0, True)

    def answer(client: socket.socket, head: bytes) -> None:
        polls.append(head)
        if len(polls) == 1:
            client.sendall(first)
        else:
            trickled(client, head)

    with serving_heads(answer) as url:
        follower = subprocess.Popen([sys.executable, "-m", "mockserver", "journal", "--url", url, "--follow",
                                     "--interval", "0.1", "--timeout", "0.5"], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, encoding="utf-8")
        notes: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: [notes.put(text) for text in follower.stderr], daemon=True)
        reader.start()
        try:
            note = notes.get(timeout=30)
            deadline = time.monotonic() + 30
            while len(polls) < 4 and time.monotonic() < deadline:  # polls go on after the first one timed out
                time.sleep(0.05)
            still_following = follower.poll() is None
        finally:
            follower.terminate()
            follower.wait(timeout=10)
            reader.join(timeout=10)
            follower.communicate(timeout=10)
    assert note == f"(no answer from {url}/__admin/requests within --timeout 0.5 s; trying again every 0.1 s)\n"
    assert still_following and len(polls) >= 4, polls
