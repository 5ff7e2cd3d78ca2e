"""POST /__admin/reset?accountId=X: one tester's clean-up on a shared sandbox, leaving the other accounts' state."""

from __future__ import annotations

import json
import random
import threading
import time

import pytest
import requests

from mockserver import process
from mockserver.app import create_app
from mockserver.auth import mint_token
from mockserver.store import JournalEntry, SqliteStore
from mockserver.store_journal import JournalFilter

OTHER_ACCOUNT = "65f1c0ffee0ddba11a5e0002"


@pytest.fixture
def other(tenant, contract):
    """The second account's credentials, URL and a body naming its own lists, queue and caller ID."""
    account = tenant.account(OTHER_ACCOUNT)
    app, stream = account.apps[0], account.streams[0]
    first = {name: next(iter(names)) for name, names in (("contact", account.contact_lists), ("dnc", account.dnc_lists),
                                                         ("queue", account.queues), ("phone", account.caller_ids))}
    body = dict(contract.sample_request, contactLists=[first["contact"]], dncLists={"name": first["dnc"]},
                queue_name=first["queue"])
    body["dialingStrategy"] = dict(body["dialingStrategy"], callerId={"phoneNumber": first["phone"]})
    return {"url": f"/campaign/api/v2/public/{stream}/campaign?accountId={OTHER_ACCOUNT}&campaignType=voice",
            "headers": {"auth": mint_token(app.client_id, app.client_secret), "accountid": OTHER_ACCOUNT,
                        "iid": stream}, "body": body}


@pytest.fixture
def rate_limited(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "SEED": 7, "RATE_LIMIT": "3/hour"})
    yield app.test_client()
    app.extensions["mock"].store.close()


def _shared_sandbox(client, url, headers, sample_body, other) -> None:
    """Two testers' state: campaigns, journal entries (a refusal too) and fault rules of each account, and a rule
    for every account."""
    for n in range(2):
        assert client.post(url, json=sample_body | {"name": f"Mine {n}"}, headers=headers).status_code == 200
    assert client.post(url, json=sample_body | {"name": "Mine 0"}, headers=headers).status_code == 409
    assert client.post(other["url"], json=other["body"] | {"name": "Theirs"}, headers=other["headers"]).status_code \
        == 200
    for narrowing in ({"accountId": headers["accountid"]}, {"accountId": OTHER_ACCOUNT}, {}):
        client.post("/__admin/faults", json={"fault": "status=503", "path": "/nowhere", **narrowing})


def test_a_reset_of_one_account_leaves_the_others_state(client, url, headers, sample_body, other):
    _shared_sandbox(client, url, headers, sample_body, other)
    mine = headers["accountid"]
    answer = client.post(f"/__admin/reset?accountId={mine}")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "accountId": mine,
                                 "deleted": {"campaigns": 2, "requests": 3, "faultRules": 1}}
    campaigns = client.get("/__admin/campaigns").get_json()
    assert [(c["accountId"], c["campaign"]["name"]) for c in campaigns["campaigns"]] == [(OTHER_ACCOUNT, "Theirs")]
    journal = client.get("/__admin/requests").get_json()
    assert journal["total"] == 1 and journal["requests"][0]["headers"]["accountid"] == OTHER_ACCOUNT
    assert [rule["accountId"] for rule in client.get("/__admin/faults").get_json()["rules"]] == [OTHER_ACCOUNT, None]
    # the account's names are free again; nothing of it is left to delete
    assert client.post(url, json=sample_body | {"name": "Mine 0"}, headers=headers).status_code == 200
    assert client.post(f"/__admin/reset?accountId={mine}").get_json()["deleted"] == {
        "campaigns": 1, "requests": 1, "faultRules": 0}


def test_an_account_no_request_named_deletes_nothing_and_says_so(client, url, headers, sample_body, other):
    """A misspelt account id is not an error (the journal may name accounts the tenant lacks), but the answer's
    counts show that nothing went, and a warning says the tenant lacks it."""
    _shared_sandbox(client, url, headers, sample_body, other)
    answer = client.post("/__admin/reset?accountId=65f1c0ffee0ddba11a5e9999").get_json()
    assert answer["deleted"] == {"campaigns": 0, "requests": 0, "faultRules": 0}
    assert answer["warnings"][0].startswith("accountId is not an account of the mock's tenant, and matched nothing")
    assert client.get("/__admin/health").get_json()["campaigns"] == 3


def test_the_health_check_counts_the_entries_left_after_an_account_reset(client, url, headers, sample_body, other):
    """Its count came from the span of ids kept, which an account's reset leaves with holes."""
    _shared_sandbox(client, url, headers, sample_body, other)
    client.post(url, json=sample_body | {"name": "Mine 9"}, headers=headers)  # after the other account's entry
    client.post(f"/__admin/reset?accountId={headers['accountid']}")
    client.get("/__admin/requests")  # writes what this worker holds
    assert client.get("/__admin/health").get_json()["journal"]["entries"] == 1
    client.post(other["url"], json=other["body"] | {"name": "Theirs 2"}, headers=other["headers"])
    client.get("/__admin/requests")
    assert client.get("/__admin/health").get_json()["journal"]["entries"] == 2
    client.delete("/__admin/requests")
    assert client.get("/__admin/health").get_json()["journal"]["entries"] == 0


def test_an_account_reset_clears_its_rate_limit_count_only(rate_limited, url, headers, sample_body, other):
    for n in range(3):
        rate_limited.post(url, json=sample_body | {"name": f"Counted {n}"}, headers=headers)
        rate_limited.post(other["url"], json=other["body"] | {"name": f"Counted {n}"}, headers=other["headers"])
    rate_limited.post(f"/__admin/reset?accountId={headers['accountid']}")
    assert rate_limited.post(url, json=sample_body | {"name": "After"}, headers=headers).status_code == 200
    assert rate_limited.post(other["url"], json=other["body"] | {"name": "After"},
                             headers=other["headers"]).status_code == 429


def _entry(account: str, path: str) -> JournalEntry:
    return JournalEntry(method="GET", path=path, query="", headers={}, body="", status=404, errors=[],
                        latency_ms=1.0, at="2020-01-01T00:00:00.000Z", accounts=frozenset({account}))


def test_an_account_reset_drops_what_another_worker_still_holds_of_that_account(tmp_path):
    """Another worker's batch, written after the reset, brought the account's requests from before it back."""
    database = str(tmp_path / "mock.sqlite3")
    first, second = SqliteStore(database), SqliteStore(database)
    try:
        first.record(_entry("mine", "/mine-before-the-reset"))
        first.record(_entry(OTHER_ACCOUNT, "/theirs"))
        second.reset_account("mine")
        first._journal.flush()
        assert [entry["path"] for entry in second.journal()] == ["/theirs"]
        assert second.journal_span()[0] == 1
    finally:
        first.close()
        second.close()


def test_clearing_many_accounts_leaves_no_row_behind_for_each(tmp_path):
    """Each account's clear left a row (when it was cleared) for good: a client naming a new accountId in each
    DELETE /__admin/requests grew the file without end, and slowed every journal write, which read them all."""
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    try:
        conn = store._conn()
        conn.executemany("INSERT INTO marks (name, value) VALUES (?, '2020-01-01T00:00:00.000Z')",
                         [(f"journal_cleared_at|acc-{i}",) for i in range(1000)])
        store.clear_journal("acc-new")
        store.reset_account("acc-newer")
        left = conn.execute("SELECT name FROM marks WHERE name LIKE 'journal_cleared_at|%'").fetchall()
        assert sorted(left) == [("journal_cleared_at|acc-new",), ("journal_cleared_at|acc-newer",)]
    finally:
        store.close()


@pytest.mark.parametrize(("query", "message"), [
    ("accountId=", "accountId query parameter must be 1 to 100 characters (got 0 characters)"),
    ("accountId=a&accountId=b", "accountId query parameter must be given once (got 2 values)"),
])
def test_a_reset_narrowed_wrongly_is_refused_and_resets_nothing(client, url, headers, sample_body, query, message):
    client.post(url, json=sample_body, headers=headers)
    answer = client.post(f"/__admin/reset?{query}")
    assert answer.status_code == 400
    assert answer.get_json()["errors"][0]["msg"] == message
    assert client.get("/__admin/health").get_json()["campaigns"] == 1


def test_the_journal_alone_of_one_account_can_be_cleared(client, url, headers, sample_body, other):
    """DELETE /__admin/requests took no accountId: a tester could clear every team's journal, or none."""
    _shared_sandbox(client, url, headers, sample_body, other)
    answer = client.delete(f"/__admin/requests?accountId={headers['accountid']}")
    assert (answer.status_code, answer.get_json()) == (200, {"deleted": 3})
    listed = client.get("/__admin/requests").get_json()
    assert [entry["headers"]["accountid"] for entry in listed["requests"]] == [OTHER_ACCOUNT]
    assert client.get("/__admin/health").get_json()["journal"]["entries"] == 1
    assert client.get("/__admin/health").get_json()["campaigns"] == 3  # nothing but the journal


def test_the_fault_rules_of_one_account_can_be_removed(client, url, headers, sample_body, other):
    """DELETE /__admin/faults took no accountId: a tester removed their rules one id at a time, or everyone's."""
    _shared_sandbox(client, url, headers, sample_body, other)
    answer = client.delete(f"/__admin/faults?accountId={headers['accountid']}")
    assert (answer.status_code, answer.get_json()) == (200, {"deleted": 1})
    assert [rule["accountId"] for rule in client.get("/__admin/faults").get_json()["rules"]] == [OTHER_ACCOUNT, None]
    assert client.delete(f"/__admin/faults?accountId={OTHER_ACCOUNT}").get_json() == {"deleted": 1}
    assert client.get("/nope").status_code == 404  # the rules left: the one for any account, on /nowhere


@pytest.mark.parametrize("path", ["/__admin/requests", "/__admin/faults"])
def test_a_clear_narrowed_wrongly_is_refused_and_clears_nothing(client, url, headers, sample_body, other, path):
    _shared_sandbox(client, url, headers, sample_body, other)
    before = client.get(path).get_json()
    answer = client.delete(f"{path}?accountId=")
    assert answer.status_code == 400
    assert answer.get_json()["errors"][0]["msg"] == ("accountId query parameter must be 1 to 100 characters"
                                                     " (got 0 characters)")
    assert client.get(path).get_json() == before


def _creating(base: str, url: str, headers: dict, body: dict, prefix: str, done: list, stop: threading.Event) -> None:
    """Create campaigns until `stop`, keeping (name, sent, answered, status) of each answered."""
    with requests.Session() as session:
        while not stop.is_set():
            name, sent = f"{prefix}-{len(done)}", time.time()
            status = session.post(base + url, json=dict(body, name=name), headers=headers, timeout=30).status_code
            done.append((name, sent, time.time(), status))


def _went_on(mine: list[list[tuple]], theirs: list[list[tuple]], ended: float) -> bool:
    """Some request of the reset account was sent, and answered, after the last reset ended, and more than 20 of
    the other account's were answered: each client's list holds (name, sent, answered, status)."""
    return (any(sent > ended for done in mine for _, sent, _, _ in list(done))
            and sum(len(done) for done in theirs) > 20)


def test_account_resets_under_load_leave_none_of_its_state_from_before_and_all_of_the_others(
        tmp_path, url, headers, sample_body, other):
    """Two workers of two threads, four clients per account, and the first account reset five times meanwhile:
    nothing of it answered before the last reset is left (campaign or journal entry, whichever worker held it),
    everything after it and all of the other account's is, and the health check counts what is there (about 2 s)."""
    with process.running("--db", str(tmp_path / "mock.sqlite3"), "--workers", "2", "--threads", "2") as server:
        stop, mine, theirs = threading.Event(), [[] for _ in range(4)], [[] for _ in range(4)]
        clients = [threading.Thread(target=_creating, args=(server.url, where, sent, body, f"{who}{n}", done, stop))
                   for who, where, sent, body, lists in (("mine", url, headers, sample_body, mine),
                                                         ("theirs", other["url"], other["headers"], other["body"],
                                                          theirs))
                   for n, done in enumerate(lists)]
        for client in clients:
            client.start()
        for _ in range(5):
            time.sleep(random.uniform(0.05, 0.15))
            began = time.time()
            assert requests.post(f"{server.url}/__admin/reset", params={"accountId": headers["accountid"]},
                                 timeout=30).status_code == 200
            ended = time.time()
        waited = time.monotonic() + 30  # until the load has gone on past the last reset: 0.1 s was not always enough
        while time.monotonic() < waited and not _went_on(mine, theirs, ended):  # on a machine at load average 10
            time.sleep(0.05)
        stop.set()
        for client in clients:
            client.join(timeout=30)
        campaigns = requests.get(f"{server.url}/__admin/campaigns", params={"limit": 10_000}, timeout=30).json()
        journal = requests.get(f"{server.url}/__admin/requests", params={"limit": 10_000}, timeout=30).json()
        health = requests.get(f"{server.url}/__admin/health", timeout=30).json()
    stored = {campaign["campaign"]["name"] for campaign in campaigns["campaigns"]}
    journaled = {json.loads(entry["body"])["name"] for entry in journal["requests"]}
    mine, theirs = [r for done in mine for r in done], [r for done in theirs for r in done]
    assert {status for *_, status in mine + theirs} == {200}
    assert not [name for name, _, answered, _ in mine if answered < began and name in stored | journaled]
    assert not [name for name, sent, _, _ in mine if sent > ended and name not in stored & journaled]
    assert not [name for name, *_ in theirs if name not in stored & journaled]
    assert (health["campaigns"], health["journal"]["entries"]) == (len(stored), journal["total"]) == (
        len(stored), len(journaled))
    assert _went_on([mine], [theirs], ended)  # the load went on across the resets


@pytest.mark.parametrize("named", ["A|B", "B|A", "%7CA", "A%"])
def test_an_account_id_holding_the_journals_separator_is_not_taken_for_another(tmp_path, named):
    """The journal keeps the accounts a request names as "|id|id|": a request naming the made-up account "A|B" was
    listed under A's filter and deleted by A's reset."""
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    try:
        for accounts in ({named}, {"A"}):
            store.record(JournalEntry(method="POST", path="/x", query="", headers={}, body="", status=403, errors=[],
                                      latency_ms=1.0, at="2026-01-01T00:00:00.000Z", accounts=frozenset(accounts)))
        assert store.count_journal(JournalFilter(account_id="A")) == 1
        assert store.count_journal(JournalFilter(account_id=named)) == 1
        assert store.reset_account("A")["requests"] == 1
        assert store.count_journal() == 1 and store.count_journal(JournalFilter(account_id=named)) == 1
    finally:
        store.close()


def test_an_account_s_campaigns_are_deleted_a_part_at_a_time_so_creates_go_on_between(tmp_path, monkeypatch):
    """Deleting an account's 150,000 campaigns (of a 300,000-campaign sandbox) took 6 s in one transaction, every
    create of every worker waiting for it, and longer than the 15 s a write waits (every create a 503) for an account
    twice that size. They go RESET_CHUNK at a time, the write lock let go between; campaigns stored after the reset
    began (seq above the last one then) are left, as they were when they waited for it."""
    monkeypatch.setattr("mockserver.store.RESET_CHUNK", 10)
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    try:
        for number in range(35):
            store.add_campaign("acc" if number % 3 else "other", "st", f"c{number}",
                               {"id": f"cd-{number}", "createdAt": "t"})
        mine = store.count_campaigns("acc")
        taken = store._write.written
        assert store.reset_account("acc")["campaigns"] == mine == 23
        assert store._write.written - taken >= 4  # 23 campaigns, 10 at a time, then the rest of the account's state
        assert store.count_campaigns("acc") == 0 and store.count_campaigns("other") == 12
    finally:
        store.close()


@pytest.mark.parametrize("clear", ["reset", "journal"])
def test_an_account_s_journal_entries_are_found_before_the_creates_are_held_back(tmp_path, clear):
    """Finding the entries naming an account reads every entry (0.35 s over a full 100,000-entry journal, ten times
    that at --journal-limit 1000000), which was done under the write lock, every create waiting for it. They are
    found first; under the lock only they, and those written since, are deleted by their ids."""
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    try:
        for number in range(30):
            account = "acc" if number % 3 else "other"
            store.record(JournalEntry(method="POST", path="/c", query=f"accountId={account}", headers={}, body="",
                                      status=200, errors=[], latency_ms=1.0, at=f"2026-01-01T00:00:{number:02d}.000Z",
                                      accounts=frozenset({account})))
        store.journal(limit=1)  # written
        conn = store._conn()
        under_lock: list[str] = []
        conn.set_trace_callback(lambda sql: under_lock.append(sql) if store._write._thread_lock.locked() else None)
        try:
            deleted = store.reset_account("acc")["requests"] if clear == "reset" else store.clear_journal("acc")
        finally:
            conn.set_trace_callback(None)
        assert deleted == 20 and store.count_journal(JournalFilter(account_id="other")) == store.count_journal() == 10
        plans = {sql: [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in under_lock
                 if "journal " in sql and not sql.startswith(("INSERT", "PRAGMA"))}
        assert plans and all("INTEGER PRIMARY KEY" in step for plan in plans.values() for step in plan), plans
    finally:
        store.close()


@pytest.mark.parametrize(("method", "target"), [
    ("POST", "/__admin/reset"), ("DELETE", "/__admin/requests"), ("DELETE", "/__admin/faults"),
    ("DELETE", "/__admin/campaigns/{campaign}"), ("DELETE", "/__admin/requests/1"), ("DELETE", "/__admin/faults/1"),
])
def test_a_body_sent_to_a_change_that_takes_none_is_refused_and_nothing_changes(client, post, sample_body, method,
                                                                                target):
    """`POST /__admin/reset` with `{"accountId": ...}` in its body reset every account, as if the body had been
    heard: a change that takes no body now refuses one, unread, and changes nothing; an empty one is no body."""
    campaign = post(sample_body).get_json()["data"]["id"]
    client.post("/__admin/faults", json={"fault": "drop", "path": "/nope"})
    state = [client.get(path).get_json() for path in ("/__admin/campaigns", "/__admin/requests", "/__admin/faults")]
    response = client.open(target.format(campaign=campaign), method=method, json={"accountId": OTHER_ACCOUNT})
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert (error["field"], error["msg"].split(" (")[0]) == ("body", f"{method} {target.format(campaign=campaign)}"
                                                                     " takes no body")
    assert [client.get(path).get_json() for path in ("/__admin/campaigns", "/__admin/faults")] == [state[0], state[2]]
    chunked = client.open(target.format(campaign=campaign), method=method, data=b"",
                          environ_overrides={"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""})
    assert "Transfer-Encoding: chunked" in chunked.get_json()["errors"][0]["msg"]
    empty = client.open(target.format(campaign=campaign), method=method, environ_overrides={"CONTENT_LENGTH": "0"})
    assert empty.status_code == 200
