"""A database the mock cannot use (disk full, held by another program) is answered 503 in the envelope, logged in
one line, and loses nothing that was acknowledged."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mockserver import store as store_module
from mockserver import store_journal, store_lock
from mockserver.store import SqliteStore, Store, StoreUnavailable

MAX_TRIES = 20  # creates until the database needs a page it may not have: a few, as each stored campaign is ~1 KB


def named(body: dict, n: int) -> dict:
    return dict(body, name=f"Full disk {n}")


def store_of(app) -> SqliteStore:
    return app.extensions["mock"].store


def assert_logged_in_one_line(caplog, reason: str) -> None:
    lines = [r for r in caplog.records if r.name == "mockserver" and reason in r.getMessage()]
    assert lines, f"nothing logged about {reason!r}"
    assert all(r.exc_info is None for r in lines), "a traceback was logged"


def test_full_disk_answers_503_and_keeps_every_acknowledged_campaign(app, client, post, sample_body, caplog):
    store = store_of(app)
    (pages,) = store._conn().execute("PRAGMA page_count").fetchone()
    store._conn().execute(f"PRAGMA max_page_count = {pages}")  # the database cannot grow: as on a full disk
    statuses = []
    for n in range(MAX_TRIES):
        statuses.append(post(named(sample_body, n)).status_code)
        if statuses[-1] != 200:
            break
    refused = post(named(sample_body, len(statuses) - 1))
    assert statuses[-1] == refused.status_code == 503, statuses
    assert refused.get_json() == {"errors": [{
        "msg": "The mock's database cannot be used just now: database or disk is full; the disk that holds it is full:"
               " whoever runs the mock can free some room, and it answers again once there is", "code": 5003}]}
    assert_logged_in_one_line(caplog, "database or disk is full")

    stored = {c["campaign"]["name"] for c in client.get("/__admin/campaigns").get_json()["campaigns"]}
    assert stored == {named(sample_body, n)["name"] for n in range(len(statuses) - 1)}  # every 200, no 503
    store._conn().execute("PRAGMA max_page_count = 1073741823")  # room again: the refused create goes through
    assert post(named(sample_body, len(statuses) - 1)).status_code == 200


def full_disk_with_entries_in_hand(app, post, sample_body, written: int) -> None:
    """`written` creates stored and journaled, then the file full (no page more) and more creates' journal entries
    held in memory, more than it has room for: they wait for whatever writes the journal next."""
    store = store_of(app)
    store._journal._delay = 60  # entries stay in hand until something writes them
    for n in range(written):
        assert post(named(sample_body, n)).status_code == 200
    store._journal.flush()
    (pages,) = store._conn().execute("PRAGMA page_count").fetchone()
    store._conn().execute(f"PRAGMA max_page_count = {pages}")  # full
    for n in range(written, 30):
        post(named(sample_body, n))


def test_the_journal_is_read_on_a_full_disk_though_the_entries_in_hand_cannot_be_written(app, client, post,
                                                                                         sample_body, caplog):
    """A listing first writes the entries its worker holds: on a full disk that write failed, and so did the listing
    (503), at each try while requests came, so the journal could not be read to see what had happened."""
    full_disk_with_entries_in_hand(app, post, sample_body, written=1)
    with caplog.at_level(logging.ERROR, logger="mockserver"):
        listing = client.get("/__admin/requests?limit=1")
    assert listing.status_code == 200, listing.get_json()
    assert listing.get_json()["total"] == 1  # the entry written before the disk filled
    assert_logged_in_one_line(caplog, "could not write the request journal: database or disk is full")


@pytest.fixture
def held_database(app):
    """Another program holds the database's write lock; the mock's connection waits 50 ms, not 30 s, for it."""
    store_of(app)._conn().execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.close()


def test_a_database_held_by_another_program_answers_503_then_recovers(held_database, client, post, sample_body,
                                                                      caplog):
    response = post(sample_body)
    assert response.status_code == 503
    assert response.get_json()["errors"][0]["msg"].endswith(
        ": database is locked; another program held a write lock on it too long (a transaction left open in the"
        " sqlite3 shell, say): send it again")
    reset = client.post("/__admin/reset")
    assert reset.status_code == 503 and reset.get_json()["errors"][0]["code"] == 5003
    assert_logged_in_one_line(caplog, "database is locked")

    held_database.execute("ROLLBACK")
    assert post(sample_body).status_code == 200
    assert client.get("/__admin/health").get_json()["campaigns"] == 1


@pytest.mark.parametrize("backlog", [1, store_journal.BACKLOG_BATCHES], ids=["in the request", "in the background"])
def test_a_journal_that_cannot_be_written_does_not_fail_the_request(app, client, post, sample_body, held_database,
                                                                    caplog, monkeypatch, backlog):
    held_database.execute("ROLLBACK")  # the create may write; the journal's batch may not
    store = store_of(app)
    store._journal._size = 1  # write each entry at once: in the request when the thread is 1 batch behind
    monkeypatch.setattr(store_journal, "BACKLOG_BATCHES", backlog)
    original = store._write_journal

    def failing(rows, since):
        raise sqlite3.OperationalError("disk I/O error")

    store._journal._write = failing
    with caplog.at_level(logging.ERROR, logger="mockserver"):
        assert post(sample_body).status_code == 200
        deadline = time.monotonic() + 5  # the buffer's thread writes it at once, and logs
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.01)
    assert_logged_in_one_line(caplog, "could not write the request journal: disk I/O error")
    store._journal._write = original
    assert client.get("/__admin/health").get_json()["campaigns"] == 1


class BrokenConnection:
    """Every statement fails as SQLite does when the disk fails under it."""

    def execute(self, *args):
        raise sqlite3.OperationalError("disk I/O error")

    executemany = execute

    def close(self) -> None:
        pass


def test_every_store_method_reports_an_unusable_database(tmp_path):
    calls = {
        "campaigns": (), "campaign_seqs": (), "campaigns_at": ([1],), "campaign": ("cd-1",), "count_campaigns": (),
        "journal": (), "count_journal": (), "trim_journal": (),
        "journal_entry": (1,), "delete_journal_entry": (1,),
        "clear_journal": (), "reset": (), "reset_account": ("acc",), "integrity_check": (), "fault_rules": (),
        "fault_rule": (1,), "claim_fault_rule": (1,), "check_writes": (),
        "delete_fault_rules": (), "delete_campaign": ("cd-1",), "journal_newest_id": (), "journal_span": (),
        "count_request": ("acc", 0.0, 60), "add_campaign": ("acc", "st", "x", {"id": "cd-1", "createdAt": "now"}),
        "add_fault_rule": ({"fault": "status=503", "method": None, "path": None, "probability": 1.0, "count": 1},),
        "replace_fault_rule": (1, {"fault": "status=503", "method": None, "path": None, "probability": 1.0,
                                   "count": 1}),
    }
    # close and record report nothing; check_files reads no database, only the files' identities, and wal_state
    # only the -wal's length and what the checkpoint thread found
    assert set(calls) == {name for name in Store.__dict__ if not name.startswith("_")} - {"close", "record",
                                                                                           "check_files", "wal_state"}
    # opened after that check, so that a method added to Store fails this test alone, not also its teardown
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    store._mark_rules(True)  # so that fault_rules asks the database
    store._local.held.conn.close()
    store._local.held.conn = BrokenConnection()
    try:
        for name, args in calls.items():
            with pytest.raises(StoreUnavailable, match="disk I/O error"):
                getattr(store, name)(*args)
    finally:
        store.close()  # its threads and other connections; the broken one closes as nothing


@pytest.mark.parametrize(("table", "words"), [
    ("foo (x)", "it holds table(s) foo the mock does not make"),
    ("campaigns (x)", "it holds table(s) campaigns without the mock's columns"),
])
def test_another_program_s_database_is_refused_and_left_as_it_was(tmp_path, table, words):
    """`--db` at another program's SQLite file: the mock added its tables and WAL mode to it, and with a campaigns
    table of another shape answered every create 503 for good, while /__admin/health said ok."""
    from mockserver.app import open_store
    from mockserver.errors import ConfigError

    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TABLE {table}")
    conn.close()
    with pytest.raises(ConfigError, match=re.escape(words)):
        open_store(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [(table.split()[0],)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]  # no lock file, no WAL beside it


def test_a_database_the_mock_made_opens_again(tmp_path):
    path = str(tmp_path / "mock.sqlite3")
    SqliteStore(path).close()
    SqliteStore(path).close()


def test_writers_queued_behind_a_held_database_each_wait_a_bounded_time(tmp_path, monkeypatch):
    """Another program holds the file; four workers write at once. Each waited for the mock's own lock without a
    bound, then SQLite's full timeout in turn, so the last waited four timeouts: with the real 30 s, past
    gunicorn's worker timeout, which killed the worker (no answer) or answered gunicorn's HTML 500."""
    monkeypatch.setattr(store_lock, "LOCK_WAIT_S", 0.4)  # the one value the store's modules read
    database = str(tmp_path / "mock.sqlite3")
    workers = [SqliteStore(database) for _ in range(4)]
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    waited: list[float] = []

    def write(store: SqliteStore) -> None:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="database is locked"):
            store.add_campaign("acc", "st", f"name {id(store)}", {"id": "cd-1", "createdAt": "2020-01-01T00:00:00Z"})
        waited.append(time.monotonic() - started)

    threads = [threading.Thread(target=write, args=(store,)) for store in workers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        other.close()
        for store in workers:
            store.close()
    assert len(waited) == 4 and max(waited) < 2 * 0.4 + 0.3, waited


def test_a_database_file_removed_while_the_mock_runs_is_not_written_to(tmp_path):
    """Removed (rm mock.sqlite3*) under a running server: its workers went on answering 200 into the file no one
    could read any more, while a worker started since made a new one; acknowledged creates were lost."""
    database = tmp_path / "mock.sqlite3"
    running = SqliteStore(str(database))
    body = {"id": "cd-1", "createdAt": "2020-01-01T00:00:00.000Z"}
    try:
        running.add_campaign("acc", "st", "before", body)
        for path in tmp_path.glob("mock.sqlite3*"):
            if not path.name.endswith(".lock"):
                path.unlink()
        replacement = SqliteStore(str(database))  # a worker started since: a new file
        replacement.add_campaign("acc", "st", "in the new file", body)
        with pytest.raises(StoreUnavailable, match="removed or replaced while the mock ran"):
            running.add_campaign("acc", "st", "after", body)
        assert replacement.count_campaigns() == 1
        replacement.close()
    finally:
        running.close()


def read_in_another_thread(store: SqliteStore) -> None:
    """As the journal's thread does, reading on a thread with no connection yet after the files went (refused,
    without a connection opened beside the removed files)."""
    def read() -> None:
        with contextlib.suppress(StoreUnavailable):
            store.campaigns()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()


@pytest.mark.parametrize(("removed", "which"), [
    (("-wal", "-shm"), "the database's -wal file"),
    (("-wal",), "the database's -wal file"),
    (("-shm",), "the database's -shm file"),
])
def test_files_beside_the_database_removed_while_the_mock_runs_lose_no_acknowledged_create(tmp_path, removed, which):
    """`rm mock.sqlite3-wal mock.sqlite3-shm` under a running server, as if they were left-overs: it went on
    answering 200, and after it stopped the file held none of the campaigns created since its last checkpoint,
    before the removal or after it (or could not be opened at all: 'disk I/O error')."""
    database = tmp_path / "mock.sqlite3"
    running = SqliteStore(str(database))
    body = {"id": "cd-1", "createdAt": "2020-01-01T00:00:00.000Z"}
    try:
        running.add_campaign("acc", "st", "before", body)
        for suffix in removed:
            (tmp_path / f"mock.sqlite3{suffix}").unlink()
        read_in_another_thread(running)
        with pytest.raises(StoreUnavailable, match=f"^{which} was removed or replaced while the mock ran"):
            running.add_campaign("acc", "st", "after", body)
    finally:
        running.close()
    reopened = SqliteStore(str(database))
    try:
        assert [c["campaign"]["id"] for c in reopened.campaigns()] == ["cd-1"]
        assert reopened.integrity_check() == "ok"
    finally:
        reopened.close()


def test_a_removed_wal_is_not_copied_into_the_file_once_another_process_opened_the_database(tmp_path, caplog):
    """That process reads the file (and may write a new -wal) as it was before the removed -wal's pages: copying
    them in under it would leave its view, and what it writes next, at odds with the file."""
    database = tmp_path / "mock.sqlite3"
    running = SqliteStore(str(database))
    body = {"id": "cd-1", "createdAt": "2020-01-01T00:00:00.000Z"}
    other = None
    try:
        running.add_campaign("acc", "st", "before", body)
        for suffix in ("-wal", "-shm"):
            (tmp_path / f"mock.sqlite3{suffix}").unlink()
        other = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
                                  " c.execute('SELECT * FROM sqlite_master').fetchall(); print('open', flush=True);"
                                  " sys.stdin.read()", str(database)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        assert other.stdout.readline() == "open\n"
        with caplog.at_level(logging.WARNING, logger="mockserver"), pytest.raises(StoreUnavailable):
            running.add_campaign("acc", "st", "after", body)
        assert_logged_in_one_line(caplog, "another process opened the database since: what the removed one held"
                                          " since the last checkpoint is lost")
    finally:
        if other is not None:
            other.communicate("", timeout=10)
        running.close()
    reopened = SqliteStore(str(database))
    try:
        assert reopened.integrity_check() == "ok"
    finally:
        reopened.close()


def test_health_answers_503_once_the_database_file_was_removed(app, client):
    """Health said ok, counting the campaigns of the removed file, while every create was answered 503: a load
    balancer or a monitor of a long-lived sandbox saw nothing wrong."""
    assert client.get("/__admin/health").status_code == 200
    for path in Path(app.config["DATABASE"]).parent.glob("mock.sqlite3*"):
        if not path.name.endswith(".lock"):
            path.unlink()
    health = client.get("/__admin/health")
    assert health.status_code == 503
    assert health.get_json()["errors"][0]["msg"] == (
        "The mock's database cannot be used just now: the database file was removed or replaced while the mock"
        " ran: restart the mock to use the files now there")


def in_a_new_thread(work) -> BaseException | None:
    """What `work` raised in a thread of its own (with no connection of its own yet), or None."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed back to the test
            raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised[0] if raised else None


def test_a_thread_opening_its_connection_after_the_files_went_says_what_happened(tmp_path, caplog):
    """A request on a new thread (every one on the in-process mock, gthread's) and the journal's background writes
    opened a connection beside the removed files, making a new -wal, and were refused with SQLite's 'disk I/O
    error': a listing, a reset and the journal's log line said nothing of the removed files or of the restart."""
    database = tmp_path / "mock.sqlite3"
    store = SqliteStore(str(database))
    try:
        store.add_campaign("acc", "st", "before", {"id": "cd-1", "createdAt": "2020-01-01T00:00:00.000Z"})
        store._journal._delay = 60  # the entry stays in hand until written below
        store.record(store_module.JournalEntry("POST", "/campaign", "", {}, "{}", 200, [], 1.0, "2020-01-01T00:00Z"))
        for suffix in ("-wal", "-shm"):
            (tmp_path / f"mock.sqlite3{suffix}").unlink()
        with caplog.at_level(logging.ERROR, logger="mockserver"):
            assert in_a_new_thread(store._journal.flush_quietly) is None
        assert_logged_in_one_line(caplog, "could not write the request journal: the database's -wal file was removed")
        said = "^the database's -wal file was removed or replaced while the mock ran: restart the mock"
        for work in (store.campaigns, store.reset):
            with pytest.raises(StoreUnavailable, match=said):
                raise in_a_new_thread(work)
        assert not (tmp_path / "mock.sqlite3-wal").exists()  # no new one made beside the database
    finally:
        store.close()


def test_a_reset_on_a_full_disk_is_done_though_the_journal_entries_in_hand_cannot_be_written(app, client, post,
                                                                                           sample_body, caplog):
    """A reset first wrote the entries its worker held, and when that failed (the disk full: what the reset was
    sent to mend) the reset failed too, 503, at each try while requests came in. Those entries go with the reset."""
    full_disk_with_entries_in_hand(app, post, sample_body, written=3)
    with caplog.at_level(logging.ERROR, logger="mockserver"):
        reset = client.post("/__admin/reset")
    assert reset.status_code == 200, reset.get_json()
    assert client.get("/__admin/campaigns").get_json()["total"] == 0
    assert client.get("/__admin/requests").get_json()["total"] == 0
    assert_logged_in_one_line(caplog, "could not write the request journal: database or disk is full")


def test_a_folder_made_read_only_while_serving_refuses_a_first_rule_and_answers_what_was_done(app, client, caplog):
    """The fault rules' marker beside the database (made as a rule is added, removed as the last goes) could not be
    made or removed in a folder made read-only: adding a rule was a 500 and a traceback, and a reset or a removal of
    rules was done, then answered 500. As root can write any folder, the marker's path is made unusable instead."""
    store, database = store_of(app), Path(app.config["DATABASE"])
    store._rules_marker = str(database / "faults")  # beside a file, not in a folder: cannot be made
    refused = client.post("/__admin/faults", json={"fault": "status=503"})
    assert refused.status_code == 503
    assert refused.get_json()["errors"][0]["msg"].startswith(
        f"The mock's database cannot be used just now: could not make {store._rules_marker}")
    assert client.get("/__admin/faults").get_json()["rules"] == []  # nothing stored that requests would not see
    assert_logged_in_one_line(caplog, "could not make")

    store._rules_marker = str(database) + "-faults"
    mine = {"fault": "status=503", "path": "/nowhere", "accountId": "65f1c0ffee0ddba11a5e0001"}
    for remove in ("/__admin/faults", "/__admin/faults?accountId=65f1c0ffee0ddba11a5e0001", "/__admin/reset",
                   "/__admin/reset?accountId=65f1c0ffee0ddba11a5e0001"):
        assert client.post("/__admin/faults", json=mine).status_code == 201
        Path(store._rules_marker).unlink()
        Path(store._rules_marker).mkdir()  # cannot be removed as a file
        method = client.post if "reset" in remove else client.delete
        assert method(remove).status_code == 200, remove
        assert client.get("/__admin/faults").get_json()["rules"] == [], remove
        Path(store._rules_marker).rmdir()



# Run in a child process: RLIMIT_FSIZE 0 refuses every write to a file (EFBIG), as a full disk or a file system gone
# read-only does, while reads go on; SQLite's own pipes and the test's are not files.
NO_WRITES = """
import json, resource, signal, sys
from mockserver import store
from mockserver.app import create_app
store.FAILED_PROBE_KEPT_S = 0.0  # a failure is looked at again at each check
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
body, headers, url = json.loads(sys.argv[2])
app = create_app({"DATABASE": sys.argv[1]})
client = app.test_client()
said = {"before": client.get("/__admin/health").status_code}
limits = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, limits[1]))
app.extensions["mock"].store._write_probed = (float("-inf"), None, 0)  # as WRITE_PROBE_KEPT_S after the first check
said["health"] = client.get("/__admin/health").get_json()
said["create"] = client.post(url, json=dict(body, name="refused"), headers=headers).status_code
app.extensions["mock"].store._write_probed = (float("-inf"), None, 0)  # as WRITE_PROBE_KEPT_S after an ok
said["health after a create failed"] = client.get("/__admin/health").status_code
resource.setrlimit(resource.RLIMIT_FSIZE, limits)
said["health again"] = client.get("/__admin/health").status_code
said["create again"] = client.post(url, json=dict(body, name="stored"), headers=headers).status_code
print(json.dumps(said))
"""


def test_health_answers_503_while_the_database_cannot_be_written(tmp_path, sample_body, headers, url):
    """Health read the database, which a full disk or a file system gone read-only leaves readable, and answered 200
    while every create was refused 503: a load balancer or an orchestrator polling it saw nothing wrong. It now
    says so, with the reason, and 200 again once a write goes through."""
    run = subprocess.run([sys.executable, "-c", NO_WRITES, str(tmp_path / "mock.sqlite3"),
                          json.dumps([sample_body, headers, url])], capture_output=True, encoding="utf-8", timeout=60)
    assert run.returncode == 0, run.stderr
    said = json.loads(run.stdout)
    assert said["before"] == 200
    assert said["health"] == {"errors": [{
        "msg": "The mock's database cannot be used just now: cannot write to it: disk I/O error; is the disk that holds"
               " it full, or failing? whoever runs the mock can look", "code": 5003}]}
    assert said["create"] == 503 and said["health after a create failed"] == 503
    assert said["health again"] == 200 and said["create again"] == 200


def test_a_write_that_failed_is_met_by_the_next_health_check(app, client):
    """A write that failed since the last check makes the next one try its own, however recent the last was."""
    store = store_of(app)
    assert client.get("/__admin/health").status_code == 200
    with contextlib.suppress(sqlite3.OperationalError), store._write:
        raise sqlite3.OperationalError("database or disk is full")
    store._conn().execute("PRAGMA query_only = 1")  # its next write is refused, as on a read-only file system
    try:
        health = client.get("/__admin/health")
    finally:
        store._conn().execute("PRAGMA query_only = 0")
    assert health.status_code == 503
    assert "cannot write to it: attempt to write a readonly database" in health.get_json()["errors"][0]["msg"]


def test_health_does_not_write_at_each_check(app, client):
    """It tries a write once in WRITE_PROBE_KEPT_S (and after a write that failed), not at every poll."""
    conn = store_of(app)._conn()
    assert client.get("/__admin/health").status_code == 200
    before = conn.total_changes
    for _ in range(5):
        assert client.get("/__admin/health").status_code == 200
    assert conn.total_changes == before
    store_of(app)._write_probed = (float("-inf"), None, 0)
    assert client.get("/__admin/health").status_code == 200
    assert conn.total_changes > before  # it did try one, then


def test_a_journal_batch_that_could_not_be_written_leaves_nothing_behind_in_the_worker(tmp_path, caplog):
    """Each batch notes, as it is announced, how many clears the journal had seen; the note was dropped only by a
    write that got as far as its transaction, so every batch that met a database held by another program left its
    note in the worker for good: a worker of a sandbox whose file someone held grew by one per batch."""
    store = SqliteStore(str(tmp_path / "mock.sqlite3"))
    other = sqlite3.connect(store.database, isolation_level=None)
    try:
        store._busy_wait(0.05)
        entry = store_module.JournalEntry(method="GET", path="/x", query="", headers={}, body=None, status=404,
                                          errors=[], latency_ms=1.0, at="2026-01-01T00:00:00.000Z")
        with caplog.at_level(logging.ERROR, logger="mockserver"):
            for _ in range(10):
                store.record(entry)  # announced: the database is free
                other.execute("BEGIN IMMEDIATE")
                store._journal.flush_quietly()  # its write meets the database held
                other.execute("ROLLBACK")
        assert "could not write the request journal: database is locked" in caplog.text
        assert store._clears_at_batch == {}
    finally:
        other.close()
        store.close()
