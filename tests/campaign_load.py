"""A pytest plugin for the tests that load a served mock with parallel creates (tests/test_concurrency.py and
tests/test_durability.py): the client threads, and what the database file then holds, read from the file itself."""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from typing import Any

import pytest
import requests


class Load:
    """Client threads creating campaigns with unique names; what each request got is kept."""

    def __init__(self, url: str, headers: dict[str, str], body: dict[str, Any], prefix: str) -> None:
        self.url, self.headers, self.body, self.prefix = url, headers, body, prefix
        self.acked: dict[str, str] = {}  # name -> id, for every 200
        self.statuses: Counter = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def create(self, session: requests.Session, name: str) -> None:
        body = copy.deepcopy(self.body)
        body["name"] = name
        try:
            response = session.post(self.url, json=body, headers=self.headers, timeout=30)
        except requests.RequestException:  # the server died mid-request (test_durability): not acknowledged
            with self.lock:
                self.statuses["connection error"] += 1
            return
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code == 200:
                self.acked[name] = response.json()["data"]["id"]

    def client(self, number: int, count: int | None) -> None:
        with requests.Session() as session:
            sent = 0
            while not self.stop.is_set() and (count is None or sent < count):
                self.create(session, f"{self.prefix}-{number}-{sent}")
                sent += 1

    def run(self, counts: list[int | None]) -> list[threading.Thread]:
        """One client thread per entry, sending that many creates (None: until `stop` is set)."""
        workers = [threading.Thread(target=self.client, args=(n, count)) for n, count in enumerate(counts)]
        for worker in workers:
            worker.start()
        return workers


@pytest.fixture
def campaign_load(url, headers, contract) -> Callable[[str, str], Load]:
    """`campaign_load(server_url, prefix)`: a Load of the vendor's sample request, renamed `prefix-client-n` for each
    create, sent to the endpoint of the server at `server_url` with the default tenant's credentials."""

    def load(server_url: str, prefix: str) -> Load:
        return Load(f"{server_url}{url}", headers, copy.deepcopy(contract.sample_request), prefix)

    return load


def _stored(database: str) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return [(row[0], row[1]) for row in conn.execute("SELECT id, json_extract(data, '$.name') FROM campaigns")]


def _integrity(database: str) -> str:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture
def stored_campaigns() -> Callable[[str], list[tuple[str, str]]]:
    """`stored_campaigns(database)`: (id, name) of every campaign in the SQLite file, read from the file itself."""
    return _stored


@pytest.fixture
def integrity_check() -> Callable[[str], str]:
    """`integrity_check(database)`: SQLite's verdict on the file, "ok" when it is sound."""
    return _integrity
