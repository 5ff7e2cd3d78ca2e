"""The journal and fault rules as several workers share them: each worker is a store of its own on one database
file, holding journal entries in a batch until it writes them. Two stores on one file stand in for two workers."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests

from mockserver import process, store_journal
from mockserver import store as store_module
from mockserver.auth import mint_token
from mockserver.redaction import SECRET_CUES, SECRET_NAME, redacted_query
from mockserver.routes.journal import MAX_JOURNAL_HEADERS, NOT_KEPT
from mockserver.store import JournalEntry, SqliteStore

# {"alg":"HS256","typ":"JWT"} . {"sub":"1"} . a signature
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.SIGNATURE"


def entry(path: str, at: str) -> JournalEntry:
    return JournalEntry(method="GET", path=path, query="", headers={}, body="", status=404, errors=[],
                        latency_ms=1.0, at=at)


def test_a_reset_drops_what_another_worker_still_holds(workers):
    """The other worker's batch reached the database after the reset, and requests from before it came back."""
    first, second = workers
    first.record(entry("/before-the-reset", "2020-01-01T00:00:00.000Z"))  # held, not yet written
    second.reset()
    first._journal.flush()
    assert second.journal() == [] and second.count_journal() == 0


def test_clearing_the_journal_drops_what_another_worker_still_holds(workers):
    first, second = workers
    first.record(entry("/before-the-clear", "2020-01-01T00:00:00.000Z"))
    second.clear_journal()
    first._journal.flush()
    assert second.count_journal() == 0


def test_the_journal_lists_newest_first_by_time_whichever_worker_wrote_first(workers):
    """Ids follow the writing of each worker's batch: listed by id, an older request came out as the newest."""
    first, second = workers
    first.record(entry("/older", "2020-01-01T00:00:01.000Z"))
    second.record(entry("/newer", "2020-01-01T00:00:02.000Z"))
    second._journal.flush()
    first._journal.flush()  # written last, answered first
    assert [e["path"] for e in second.journal()] == ["/newer", "/older"]
    assert [e["path"] for e in second.journal(limit=1)] == ["/newer"]


def test_a_fault_rule_id_is_never_given_twice(workers):
    """A tester's late DELETE of their own rule once removed the rule another tester had added since."""
    first, second = workers
    rule = {"fault": "status=503", "method": None, "path": None, "probability": 1.0, "count": None}
    ids = [first.add_fault_rule(rule)["id"]]
    first.delete_fault_rules(ids[0])
    ids.append(second.add_fault_rule(rule)["id"])
    second.reset()
    ids.append(first.add_fault_rule(rule)["id"])
    assert ids == [1, 2, 3]


def test_a_failed_transaction_is_rolled_back_and_the_next_one_runs(workers):
    """A statement that failed inside BEGIN IMMEDIATE left the transaction open: every later one on that
    connection failed with 'cannot start a transaction within a transaction'."""
    first, _ = workers
    first.add_campaign("acc", "st", "a name", {"id": "cd-1", "name": "A name", "createdAt": "2020-01-01T00:00:00.000Z"})
    conn = first._conn()
    conn.execute("CREATE TRIGGER refuse BEFORE DELETE ON campaigns BEGIN SELECT RAISE(ABORT, 'disk full, say'); END")
    with pytest.raises(sqlite3.Error):
        first.reset()
    assert not conn.in_transaction
    conn.execute("DROP TRIGGER refuse")
    first.reset()
    assert first.count_campaigns() == 0


@pytest.mark.parametrize(("query", "kept"), [
    ("accountId=65f1&campaignType=voice", "accountId=65f1&campaignType=voice"),
    ("accountId=65f1&auth=eyJ.x.y&access_token=QSECRET", "accountId=65f1&auth=<redacted>&access_token=<redacted>"),
    ("api%5Fkey=K&x=1", "api%5Fkey=<redacted>&x=1"),
    ("token", "token"),  # a name without a value: nothing to hide
    ("key=AIzaSecret&monkey=1", "key=<redacted>&monkey=1"),  # the usual name of an API key parameter
    ("jwt=eyJx&x=1", "jwt=<redacted>&x=1"),  # a JWT under a name that said none of the words above was kept
    ("privateKey=K", "privateKey=<redacted>"),
    ("%61uth=eyJ.x.y&x=1", "%61uth=<redacted>&x=1"),  # a letter of the name %-encoded: still `auth`
    ("access+%74oken=T", "access+%74oken=<redacted>"),
    # a signed URL's signature, a password's short names and an OAuth client assertion were kept
    ("sv=2024&sig=SAS%2Bsig&pwd=PW&pass=PW&client_assertion=eyJ.x.y",
     "sv=2024&sig=<redacted>&pwd=<redacted>&pass=<redacted>&client_assertion=<redacted>"),
    ("bypass=1&signal=2&passenger=3&design=4", "bypass=1&signal=2&passenger=3&design=4"),  # words that hold them
    # a JWT under a name that says nothing of one, %-encoded, or as a part without a name, was kept whole
    (f"state=s1&id_hint={JWT}", "state=s1&id_hint=<redacted>"),
    (f"x={JWT.replace('.', '%2E')}&y=1", "x=<redacted>&y=1"),
    (f"{JWT}&y=1", "<redacted>&y=1"),
    # after a dotted part of 12 or more, whose match took the JWT's header with it
    (f"next=service-name-1234.{JWT}&y=1", "next=<redacted>&y=1"),
    # dotted values that are no JWT: no base64url part of 12, a part that is not JSON, JSON without alg
    ("v=1.2.3&host=www.example.com&f=abcdefghijklmnop.q.r&g=eyJ0eXAiOiJKV1QifQ.e30.x",
     "v=1.2.3&host=www.example.com&f=abcdefghijklmnop.q.r&g=eyJ0eXAiOiJKV1QifQ.e30.x"),
])
def test_credentials_in_the_query_are_redacted(query, kept):
    assert redacted_query(query) == kept


@pytest.mark.parametrize("name", ["auth", "X-Auth-Token", "access_token", "client_secret", "password", "passwd",
                                  "key", "api_key", "x-api-key", "apikey", "cookie", "session_id", "credentials",
                                  "signature", "X-JWT-Assertion", "jwt", "bearer_token", "X-Bearer", "privatekey",
                                  "private_key", "pwd", "X-Pass", "sig", "X-Sig", "passphrase", "client_assertion"])
def test_the_quick_look_finds_every_name_the_pattern_redacts(name):
    assert SECRET_NAME.search(name) and any(cue in name.lower() for cue in SECRET_CUES)


def test_the_journal_redacts_credential_headers_and_says_when_a_body_went_unread(client, sample_body, headers, url):
    """Only four header names were redacted, and a request refused before its body was read was journaled with
    an empty body, as if the client had sent none."""
    client.post(f"{url}&access_token=QSECRET", json=sample_body,
                headers={**headers, "auth": "not-a-token", "Proxy-Authorization": "Basic c2VjcmV0",
                         "X-Auth-Token": "XAUTHSECRET"})
    client.post(url, json=sample_body, headers=headers)
    created, refused = client.get("/__admin/requests").get_json()["requests"]
    assert refused["status"] == 401 and refused["body"] is None
    assert created["status"] == 200 and created["body"].startswith("{")
    listed = str(refused)
    assert "QSECRET" not in listed and "XAUTHSECRET" not in listed and "c2VjcmV0" not in listed
    assert refused["headers"]["x-auth-token"] == refused["headers"]["proxy-authorization"] == "<redacted>"
    assert refused["headers"]["accountid"] == headers["accountid"]


def test_the_journal_redacts_a_jwt_whatever_the_header_it_comes_in(client, headers):
    """A JWT under a name that speaks of no credential (a proxy's OIDC header, a forwarded one) was kept whole."""
    sent = {"X-Amzn-Oidc-Data": JWT, "X-Upstream": f"Bearer {JWT}", "X-Unsigned": JWT.rsplit(".", 1)[0] + ".",
            "X-Tagged": f"gateway-v2-prod.{JWT}",
            "X-Trace": "1.2.3", "X-Dotted": "abcdefghijklmnop.q.r"}
    client.get("/nope", headers={**headers, **sent})
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert "SIGNATURE" not in str(entry) and "eyJzdWIi" not in str(entry)
    kept = entry["headers"]
    assert kept["x-amzn-oidc-data"] == kept["x-upstream"] == kept["x-unsigned"] == kept["x-tagged"] == "<redacted>"
    assert (kept["x-trace"], kept["x-dotted"]) == ("1.2.3", "abcdefghijklmnop.q.r")


def test_a_journal_entry_keeps_a_bounded_amount_of_headers(client, headers, url):
    """Headers were journaled whole: gunicorn lets in 100 of about 8 KB each, so one client's requests to any path
    made entries of 700 KB, and a full journal (100,000 entries) of 70 GB, filling the disk of everyone's mock."""
    padding = {f"x-pad-{i}": "v" * 8100 for i in range(20)}
    client.get("/nope", headers={**headers, **padding, "x-small": "kept", "x-" + "n" * 9000: "v"})
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    kept = entry["headers"]
    assert sum(len(name) + len(value) for name, value in kept.items() if name != NOT_KEPT) <= MAX_JOURNAL_HEADERS
    assert kept["accountid"] == headers["accountid"] and kept["x-small"] == "kept"  # small ones still fit
    assert kept[NOT_KEPT] == "21 headers left out (171,153 characters): the journal keeps 8 KiB of headers"


def test_headers_are_shown_and_journaled_as_the_client_sent_them(client, sample_body, headers, url):
    """gunicorn hands header bytes over decoded as Latin-1: the client's UTF-8 came back as mojibake in the
    messages quoting a header and in the journal."""
    as_a_server_decodes = "Zoë Café".encode().decode("latin-1")
    environ = {"HTTP_X_TEAM": as_a_server_decodes, "CONTENT_TYPE": "text/plain; charset=" + as_a_server_decodes}
    refused = client.post(url, data=b"{}", headers=headers, environ_overrides=environ)
    assert "Zoë Café" in refused.get_json()["errors"][0]["msg"]
    [entry] = client.get("/__admin/requests").get_json()["requests"]
    assert entry["headers"]["x-team"] == "Zoë Café"


def test_a_failed_commit_is_rolled_back_too(tmp_path):
    """In WAL mode a transaction's pages are written at COMMIT, so a full disk fails the COMMIT itself; it was
    outside the rollback, and left the connection inside the transaction (and SQLite's write lock held)."""
    conn = sqlite3.connect(tmp_path / "t.sqlite3", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError), store_module._transaction(conn):
        conn.execute("INSERT INTO child VALUES (1)")  # checked at COMMIT, which fails
    assert not conn.in_transaction
    conn.close()


def test_a_read_waits_for_the_batch_another_worker_holds(workers):
    """A request answered by one worker was missing from a listing made at once through another, for up to 0.1 s
    (16 of 20 times in a row, POST then GET): a client's test that reads the journal after a request failed now
    and then."""
    first, second = workers
    first.record(entry("/answered-by-the-first", "2020-01-01T00:00:00.000Z"))  # held, to be written within 0.1 s
    assert second.count_journal() == 1
    assert [e["path"] for e in second.journal()] == ["/answered-by-the-first"]


def held_entry(path: str, account: str) -> JournalEntry:
    return JournalEntry(method="GET", path=path, query=f"accountId={account}", headers={}, body="", status=404,
                        errors=[], latency_ms=1.0, at=store_module.timestamp(), accounts=frozenset([account]))


@pytest.mark.parametrize("clear", ["journal", "account's journal", "account"])
def test_a_clear_counts_what_another_worker_still_held_as_deleted(workers, clear):
    """`DELETE /__admin/requests` and an account's reset answered how many entries they deleted, but counted only
    those written: a request another worker still held in its batch was dropped unseen, so the same five requests
    then a clear were answered `{"deleted": 3}` one time and 5 or 1 the next. A clear waits for those batches, as a
    listing does, and counts them with the rest."""
    first, second = workers
    for number in range(3):
        first.record(held_entry(f"/held/{number}", "acc"))  # held, to be written within 0.1 s
    second.record(held_entry("/own", "acc"))
    if clear == "journal":
        assert second.clear_journal() == 4
    elif clear == "account's journal":
        assert second.clear_journal("acc") == 4
    else:
        assert second.reset_account("acc")["requests"] == 4
    first._journal.flush()
    assert second.count_journal() == 0


def test_a_batch_whose_process_is_gone_is_not_waited_for(workers, monkeypatch):
    first, second = workers
    monkeypatch.setattr(store_module, "BATCH_WAIT_S", 30.0)  # a wait, if there were one, far past any stall
    monkeypatch.setattr(store_module, "alive", lambda pid: False)
    monkeypatch.setattr(first._journal, "_delay", 60.0)  # held for a minute
    first.record(entry("/held", "2020-01-01T00:00:00.000Z"))
    started = time.monotonic()
    assert second.count_journal() == 0
    assert time.monotonic() - started < store_module.BATCH_WAIT_S / 2


def test_a_listing_from_a_served_mock_holds_every_request_answered_before_it(tenant, contract, tmp_path):
    """Two servers on one database stand in for two workers, so that the create and the count, made at once
    after it, are answered by different processes, 10 times over."""
    account, app = tenant.default_account, tenant.default_account.apps[0]
    stream = account.streams[0]
    headers = {"auth": mint_token(app.client_id, app.client_secret), "accountid": account.account_id, "iid": stream}
    database = str(tmp_path / "mock.sqlite3")
    with process.running("--db", database, "--workers", "1") as one, \
            process.running("--db", database, "--workers", "1") as other:
        endpoint = (f"{one.url}/campaign/api/v2/public/{stream}/campaign"
                    f"?accountId={account.account_id}&campaignType=voice")
        counted = []
        for number in range(10):
            body = dict(contract.sample_request, name=f"Counted {number}")
            assert requests.post(endpoint, json=body, headers=headers, timeout=10).status_code == 200
            counted.append(requests.get(f"{other.url}/__admin/requests?limit=0", timeout=10).json()["total"])
    assert counted == list(range(1, 11))


def test_the_newest_id_covers_every_written_entry_and_stays_through_clears(workers):
    """A follower moves on to the journal's newest id whether or not anything matched: every entry up to it is
    written, and one a worker writes later gets a higher id, so polling after it skips none."""
    first, second = workers
    assert second.journal_newest_id() == 0
    second.record(entry("/written", "2020-01-01T00:00:01.000Z"))
    second._journal.flush()
    newest = second.journal_newest_id()
    assert [e["path"] for e in second.journal(which=store_module.JournalFilter(after=newest - 1))] == ["/written"]
    first.record(entry("/held", "2020-01-01T00:00:00.000Z"))  # answered before, written after
    first._journal.flush()
    assert [e["path"] for e in second.journal(which=store_module.JournalFilter(after=newest))] == ["/held"]
    assert second.journal_newest_id() == newest + 1
    first.clear_journal()
    second.reset()
    assert second.journal_newest_id() == newest + 1  # ids are not given twice: a follower's `after` stays good


def test_a_batch_begun_in_the_millisecond_of_the_one_being_written_stays_announced(workers, monkeypatch):
    """A worker's batches were announced by their start, to the millisecond, one row a start: a request on another
    thread starting the next batch in the millisecond of one a journal read was writing shared that row, and the
    write took it down, so a listing through another worker did not wait for the entry that request answered."""
    first, second = workers
    first._journal._delay = 60.0  # no background write: the journal read below is what writes the first batch
    monkeypatch.setattr(store_journal, "timestamp", lambda: "2020-01-01T00:00:00.000Z")  # one millisecond
    first.record(entry("/first", "2020-01-01T00:00:00.000Z"))
    write = first._journal._write

    def next_batch_begins_meanwhile(rows: list[tuple], since: str) -> None:
        first.record(entry("/second", "2020-01-01T00:00:00.000Z"))  # its rows taken, the first is being written
        write(rows, since)

    first._journal._write = next_batch_begins_meanwhile
    first._journal.flush()
    first._journal._write = write
    held = second._conn().execute("SELECT since FROM journal_batches").fetchall()
    assert held == [("2020-01-01T00:00:00.000Z",)]  # the second batch, still held, is waited for
    first._journal.flush()
    assert second._conn().execute("SELECT COUNT(*) FROM journal_batches").fetchone()[0] == 0
    assert [e["path"] for e in second.journal()] == ["/second", "/first"]
    assert first._clears_at_batch == {}


def test_a_batch_is_written_with_its_own_start_when_the_next_one_starts_meanwhile(monkeypatch):
    """flush() read the batch's start after letting go of the lock: a request on another thread starting the next
    batch in between had the first batch written under the second's start, so the first's announcement stayed
    (readers in other workers waited BATCH_WAIT_S for it) and the second's was taken down before it was written."""
    announced, written = [], []
    buffer = store_module.JournalBuffer(lambda rows, since: written.append((rows, since)), announced.append)
    buffer._stop.set()  # no background thread: flushes only when the test says
    starts = iter(["T1", "T2"])
    monkeypatch.setattr(store_journal, "timestamp", lambda: next(starts))

    class NextBatchOnRelease:
        """The buffer's lock; once armed, another thread's request starts a batch as soon as a flush lets go."""

        def __init__(self) -> None:
            self.lock, self.armed = threading.Lock(), False

        def __enter__(self) -> None:
            self.lock.acquire()

        def __exit__(self, *exc: object) -> None:
            self.lock.release()
            if self.armed:
                self.armed = False
                other = threading.Thread(target=buffer.add, args=(("second",),))
                other.start()
                other.join()

    buffer._lock = NextBatchOnRelease()
    buffer.add(("first",))
    buffer._lock.armed = True
    buffer.flush()
    buffer.flush()
    assert announced == ["T1", "T2"]
    assert written == [([("first",)], "T1"), ([("second",)], "T2")]


def test_a_listing_waits_for_other_workers_once_not_at_each_page(workers, monkeypatch):
    """The admin API reads a listing 50 entries at a time, and each page waited for the batches other workers held
    then: under another worker's steady load, a 10,000-entry listing took 3 s more (200 pages), not 0.1 s."""
    monkeypatch.setattr(store_module, "BATCH_WAIT_S", 30.0)  # a wait, if there were one, far past any stall
    first, second = workers
    second.record(entry("/listed", "2020-01-01T00:00:00.000Z"))
    [listed] = second.journal(limit=1)
    first._journal._delay = 60.0  # the other worker holds a batch, as one under load always does
    first.record(entry("/held", "2020-01-01T00:00:01.000Z"))
    started = time.monotonic()
    second.journal(limit=50, which=store_module.JournalFilter(before=(listed["at"], listed["id"])))
    assert time.monotonic() - started < store_module.BATCH_WAIT_S / 2


def test_a_batch_announcement_left_by_a_killed_worker_is_removed_when_a_worker_starts(tmp_path):
    database = str(tmp_path / "mock.sqlite3")
    SqliteStore(database).close()
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO journal_batches (holder, pid, since) VALUES ('gone', 1, '2020-01-01T00:00:00.000Z')")
    conn.close()
    store = SqliteStore(database)
    try:
        assert store._conn().execute("SELECT COUNT(*) FROM journal_batches").fetchone()[0] == 0
    finally:
        store.close()


def test_a_listing_waits_for_other_workers_once(tmp_path, monkeypatch, make_app):
    """Its total waited, then its first page waited again: up to 0.1 s more under another worker's load."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    store, waits = app.extensions["mock"].store, []
    real = store._await_batches
    monkeypatch.setattr(store, "_await_batches", lambda: (waits.append(1), real())[1])
    client = app.test_client()
    client.get("/nope")
    assert client.get("/__admin/requests").get_json()["total"] == 1
    assert len(waits) == 1


def test_a_counted_rule_is_claimed_no_more_times_than_its_count_across_workers(workers):
    """Two workers may both see the rule's last use left (fault_rules) before either claims it: the claim itself
    must refuse the second, or a `count: 1` rule fires twice."""
    first, second = workers
    rule = first.add_fault_rule({"fault": "status=503", "method": None, "path": None, "probability": 1.0,
                                 "count": 1, "accountId": None})
    assert [r["remaining"] for r in second.fault_rules()] == [1]
    assert first.claim_fault_rule(rule["id"]) is True
    assert second.claim_fault_rule(rule["id"]) is False
    assert [r["remaining"] for r in first.fault_rules()] == [0]


def test_a_full_batch_is_written_by_the_buffer_s_thread_at_once_not_by_the_request_that_filled_it():
    """The request whose entry filled a batch wrote the batch itself (about 1 ms for 64 entries, up to 10 ms on a
    busy machine, holding every worker's writes under the write lock); now the buffer's thread is woken to write
    it, without waiting out the batch's delay."""
    writers: list[threading.Thread] = []
    written = threading.Event()

    def write(rows: list[tuple], since: str) -> None:
        writers.append(threading.current_thread())
        written.set()

    buffer = store_module.JournalBuffer(write, lambda since: None, size=4, delay=60.0)
    try:
        for n in range(4):
            buffer.add((n,))
        assert written.wait(timeout=5)
        assert writers and all(writer is not threading.current_thread() for writer in writers)
    finally:
        buffer.stop()


def test_a_buffer_whose_thread_falls_behind_writes_in_the_request_rather_than_hold_ever_more_entries():
    written: list[int] = []
    blocked = threading.Event()

    def write(rows: list[tuple], since: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            blocked.wait(timeout=10)  # a thread that cannot keep up (a slow disk)
        written.append(len(rows))

    buffer = store_module.JournalBuffer(write, lambda since: None, size=4, delay=0.0)
    try:
        for n in range(4 * store_journal.BACKLOG_BATCHES + 4):
            buffer.add((n,))
        assert len(buffer._rows) < 4 * store_journal.BACKLOG_BATCHES  # bounded: the request wrote them
        assert written and max(written) >= 4 * store_journal.BACKLOG_BATCHES - 4
    finally:
        blocked.set()
        buffer.stop()


def test_batches_are_written_in_the_order_they_were_taken_whichever_thread_flushes():
    """flush() took a batch under the lock and wrote it after letting go: while the background thread wrote one
    batch, a listing's flush on a request's thread took the next and could write it first, so the later requests
    got the lower ids (a listing after 120 requests read ids 55, 54, ... where 120, 119, ... were due)."""
    written, first_write_began, let_first_finish = [], threading.Event(), threading.Event()

    def write(rows: list[tuple], since: str) -> None:
        if not written and not first_write_began.is_set():
            first_write_began.set()
            let_first_finish.wait(timeout=2)
        written.append(rows)

    buffer = store_module.JournalBuffer(write, lambda since: None)
    buffer._stop.set()  # no background thread: this test's threads flush
    buffer.add(("first",))
    background = threading.Thread(target=buffer.flush)
    background.start()
    assert first_write_began.wait(timeout=2)
    buffer.add(("second",))
    reader = threading.Thread(target=buffer.flush)  # a listing's flush, on a request's thread
    reader.start()
    reader.join(timeout=0.3)
    let_first_finish.set()
    background.join(timeout=5)
    reader.join(timeout=5)
    assert written == [[("first",)], [("second",)]]
