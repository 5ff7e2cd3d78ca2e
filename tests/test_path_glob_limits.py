"""How long a path glob may be, and how long matching one takes: a fault rule's glob is matched against every
request's path, and the journal's `path` filter against every entry's. A rule's body may be up to --max-body (64 KiB,
up to 100 MiB): a glob whose fixed characters outnumber the longest path a request can carry matches nothing and is
refused; matching any other stays fast however its `*`s and its fixed parts fall (fnmatch's regex, and SQLite's
GLOB, backtracked: 12 ms a request for one rule, 3 s to add a 100 KB rule after another, 0.6 ms a journal entry)."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
import requests
from network import exchange, parsed

from mockserver import path_glob
from mockserver.store import JournalEntry
from mockserver.testing import running_mock
from mockserver.wire import REQUEST_LINE_MAX

LONGEST_PATH = REQUEST_LINE_MAX - len("GET  HTTP/1.1")  # `GET`, the shortest method, and HTTP/1.1 around it
LONGEST = "/" + "a" * (LONGEST_PATH - 1)  # the path of the longest request line a server takes


def _fixed(pattern: str) -> int:
    return len(pattern) - pattern.count("*")


def _refusal(fixed: int) -> dict:
    return {"msg": f"path not understood: matches no request: its {fixed:,} characters besides * are more than the"
                   f" {LONGEST_PATH:,} of the longest path a request can carry (a request line is at most"
                   f" {REQUEST_LINE_MAX:,} bytes)", "code": 4000, "field": "path"}


@pytest.mark.parametrize("pattern", ["/**" + "a" * 60_000, LONGEST + "b", "*" + LONGEST + "b*", "/" + "a*" * 4081])
def test_a_rule_whose_fixed_characters_outnumber_the_longest_path_is_refused(client, pattern):
    answer = client.post("/__admin/faults", json={"fault": "status=503", "path": pattern})
    assert answer.status_code == 400
    assert answer.get_json()["errors"] == [_refusal(_fixed(pattern))]
    assert client.put("/__admin/faults/0", json={"fault": "drop", "path": pattern}).get_json()["errors"] == [
        _refusal(_fixed(pattern))]


@pytest.fixture(scope="module")
def in_process():
    with running_mock(database=":memory:") as mock:
        yield mock


@pytest.fixture(params=["in-process", "served"])
def either(request, in_process, shared_mock):
    if request.param == "in-process":
        in_process.reset()
        return in_process
    return shared_mock("--db", ":memory:")


def test_the_limit_is_the_longest_path_either_server_takes(either):
    """A rule at the limit faults the longest request line a server takes (`GET`, the shortest method), and a path
    one character longer is refused before any rule could see it."""
    added = requests.post(f"{either.url}/__admin/faults", json={"fault": "status=503", "path": "/*" + LONGEST[2:]},
                          timeout=10)
    assert added.status_code == 201, added.text
    line = f"GET {LONGEST} HTTP/1.1"
    assert len(line) == REQUEST_LINE_MAX
    assert parsed(exchange(either.url, f"{line}\r\nHost: mock\r\nConnection: close\r\n\r\n".encode()))[0] == 503
    longer = f"GET {LONGEST}a HTTP/1.1\r\nHost: mock\r\n\r\n".encode()
    assert parsed(exchange(either.url, longer))[0] == 414


def _fastest(check, repeat: int = 5) -> float:
    """The shortest of `repeat` runs of `check`, in seconds: the machine's load only ever adds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        check()
        times.append(time.perf_counter() - started)
    return min(times)


# Globs the limit lets in, against the longest path, each a worst case of backtracking: a long fixed part after a
# `*` (the path holds its start everywhere), that part last, many `*`s, and 64 KiB of them
WORST = {
    "long-part": "*" + "a" * 2000 + "b*",
    "long-part-last": "*" + "a" * 2000 + "b",
    "part-of-98": "*" + "a" * 98 + "b",
    "many-stars": "/" + "*a" * 2040 + "*b",
    "stars-of-64-KiB": "/" + "*" * 65_000 + "b",
}


@pytest.mark.parametrize("name", WORST)
def test_matching_an_accepted_glob_is_fast_in_the_worst_case(name):
    """fnmatch's regex took 12 ms for `*`, 2000 `a`s and `b` against the longest path, each time: with 1,000 such
    rules every request waited 12 s. Now at most 0.1 ms."""
    glob = WORST[name]
    assert _fixed(glob) <= LONGEST_PATH
    assert _fastest(lambda: path_glob.matches(LONGEST, glob)) < 0.002
    assert path_glob.matches(LONGEST, glob) is False


@pytest.mark.parametrize("glob", ["/**" + "a" * (LONGEST_PATH - 1), "/*" + "a" * 2000 + "*a*"])
def test_telling_whether_an_accepted_glob_covers_another_is_fast(glob):
    """A rule added after another is checked for being covered by it: a rule's glob against itself took 8.5 ms at
    the limit (and 3 s at 100 KB, which is now refused)."""
    assert _fastest(lambda: path_glob.covers(glob, glob)) < 0.002
    assert path_glob.covers(glob, glob) is True


def test_the_journal_s_path_filter_is_fast_over_long_paths(app, client):
    """SQLite's GLOB took 0.6 ms an entry for `*`, 98 `a`s and `b` over entries of the longest path: 1.3 s for
    these 2,000, a minute for a full journal."""
    store = app.extensions["mock"].store
    for _ in range(2000):
        store.record(JournalEntry(method="GET", path=LONGEST, query="", headers={}, body="", status=404, errors=[],
                                  latency_ms=1.0, at="2026-11-26T09:00:00.000Z"))
    store.journal(limit=1)  # writes the last batch
    filtered = f"/__admin/requests?limit=1&path={quote(WORST['part-of-98'], safe='')}"
    assert _fastest(lambda: client.get(filtered), repeat=3) < 0.3
    assert client.get(filtered).get_json()["total"] == 0
    assert client.get(f"/__admin/requests?limit=1&path={quote('*' + 'a' * 98, safe='')}").get_json()["total"] == 2000
