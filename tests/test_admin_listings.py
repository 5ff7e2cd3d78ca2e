"""GET /__admin/requests and /__admin/campaigns are streamed a page at a time: a listing's memory does not grow
with its limit, the bytes are those of the whole object encoded at once, and a store failing halfway cuts the
answer short rather than ending it as a success."""

from __future__ import annotations

import gc
import logging
import tracemalloc

import orjson
import pytest
import requests

from mockserver.app import create_app
from mockserver.json_provider import dumps_bytes
from mockserver.store import JournalEntry, StoreUnavailable
from mockserver.testing import serve

BODY = "\x01" * 8 * 1024  # the journal keeps 8 KiB of a body; each control character is 6 bytes of JSON (\u0001)
ENTRIES = 300  # about 15 MB of JSON listed at once


def _as_listed(campaigns: list[dict]) -> list[dict]:
    """The store's campaigns as the admin API lists them: without `seq`, the store's own order."""
    return [{key: value for key, value in entry.items() if key != "seq"} for entry in campaigns]


def _entry(number: int) -> JournalEntry:
    return JournalEntry(method="POST", path=f"/campaign/{number}", query="", headers={"x-n": str(number)}, body=BODY,
                        status=400, errors=[{"msg": "no", "code": 4000}], latency_ms=1.5,
                        at="2026-01-01T00:00:00.000Z")


@pytest.fixture
def full_app(tmp_path, make_app):
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    store = app.extensions["mock"].store
    for number in range(ENTRIES):
        store.record(_entry(number))
    for number in range(ENTRIES):
        store.add_campaign("acc", "st", f"c{number}", {"id": f"cd-{number}", "createdAt": "t", "name": BODY})
    return app


def _peak_while_listing(app, target: str) -> tuple[int, int]:
    """The server side's peak of traced memory (bytes) while the listing is produced, and its length: the body is
    read chunk by chunk and dropped, as a socket would take it, so the client holds none of it."""
    client = app.test_client()
    client.get(target)  # warm up: connections, caches, imports
    gc.collect()
    tracemalloc.start()
    try:
        answer = client.get(target, buffered=False)
        assert answer.status_code == 200
        length = sum(len(chunk) for chunk in answer.response)
        answer.close()
        return tracemalloc.get_traced_memory()[1], length
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("target", ["/__admin/requests?limit=10000", "/__admin/campaigns?limit=10000"])
def test_a_listing_s_memory_stays_bounded_whatever_its_size(full_app, target):
    peak, length = _peak_while_listing(full_app, target)
    assert length > 10 * 2**20  # the listing itself is well above the bound
    assert peak < 5 * 2**20, f"{peak / 2**20:.1f} MiB at peak for a {length / 2**20:.1f} MiB listing"


def test_the_streamed_listing_has_the_bytes_of_the_whole_object(full_app):
    client, store = full_app.test_client(), full_app.extensions["mock"].store
    answer = client.get("/__admin/requests?limit=120&offset=7&status=4xx")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    expected = {"total": ENTRIES, "journalLimit": 100_000, "newestId": store.journal_newest_id(), "journal": "on",
                "requests": store.journal(limit=120, offset=7)}
    assert answer.data == dumps_bytes(expected) + b"\n"
    answer = client.get("/__admin/campaigns?limit=75&offset=240")
    expected = {"total": ENTRIES, "campaigns": _as_listed(store.campaigns(limit=75, offset=240))}
    assert answer.data == dumps_bytes(expected) + b"\n"
    assert len(answer.get_json()["campaigns"]) == 60


@pytest.mark.parametrize("limit", [0, 1, 49, 50, 51, 100, 10_000])  # around a page or two (50 entries)
def test_every_limit_lists_what_a_single_query_would(full_app, limit):
    store = full_app.extensions["mock"].store
    found = full_app.test_client().get(f"/__admin/requests?limit={limit}").get_json()
    assert found["requests"] == store.journal(limit=limit)
    found = full_app.test_client().get(f"/__admin/campaigns?limit={limit}").get_json()
    assert found["campaigns"] == _as_listed(store.campaigns(limit=limit))


def _meanwhile(store, name: str, change, every_page: bool = False) -> None:
    """`change()` just before the store's second read for a listing (with `every_page`, before each after it too)."""
    method, reads = getattr(store, name), 0

    def changed(*args, **kwargs):
        nonlocal reads
        reads += 1
        if reads == 2 or every_page and reads > 2:
            change()
        return method(*args, **kwargs)

    setattr(store, name, changed)


def _listed_ids(app, what: str) -> list:
    listed = app.test_client().get(f"/__admin/{what}?limit=10000").get_json()
    return [entry["id"] for entry in listed["requests"]] if what == "requests" else \
        [found["campaign"]["id"] for found in listed["campaigns"]]


def test_entries_written_while_the_journal_is_listed_neither_repeat_nor_push_others_out(full_app):
    """Newest first: an entry written between two pages moves the rest one place down."""
    store = full_app.extensions["mock"].store
    before = [entry["id"] for entry in store.journal(limit=10_000)]
    _meanwhile(store, "journal", lambda: [store.record(_entry(1000 + number)) for number in range(3)], every_page=True)
    assert _listed_ids(full_app, "requests") == before


def test_many_entries_written_during_the_journal_listing_hide_none(full_app):
    store = full_app.extensions["mock"].store
    before = [entry["id"] for entry in store.journal(limit=10_000)]
    _meanwhile(store, "journal", lambda: [store.record(_entry(2000 + number)) for number in range(40)])
    assert _listed_ids(full_app, "requests") == before


def test_a_campaign_deleted_while_campaigns_are_listed_does_not_hide_another(full_app):
    """Oldest first: a campaign deleted behind the listing moves the rest one place up."""
    store = full_app.extensions["mock"].store
    _meanwhile(store, "campaigns_at", lambda: store.delete_campaign("cd-3"))
    assert _listed_ids(full_app, "campaigns") == [f"cd-{number}" for number in range(ENTRIES)]


def test_many_campaigns_deleted_behind_the_listing_hide_none_of_the_rest(full_app):
    """Paged by offset, with a few entries read again at each page, 20 deletions behind the first page made the
    listing skip 12 campaigns and still end as a whole answer; pages now start after the last entry sent."""
    store = full_app.extensions["mock"].store
    _meanwhile(store, "campaigns_at", lambda: [store.delete_campaign(f"cd-{number}") for number in range(20)])
    assert _listed_ids(full_app, "campaigns") == [f"cd-{number}" for number in range(ENTRIES)]


def _failing_after(store, name: str, good_reads: int) -> None:
    method, reads = getattr(store, name), 0

    def failing(*args, **kwargs):
        nonlocal reads
        reads += 1
        if reads > good_reads:
            raise StoreUnavailable("database or disk is full")
        return method(*args, **kwargs)

    setattr(store, name, failing)


def test_a_store_failing_before_the_listing_starts_answers_503(full_app):
    _failing_after(full_app.extensions["mock"].store, "journal", 0)
    answer = full_app.test_client().get("/__admin/requests?limit=10000")
    assert answer.status_code == 503 and answer.get_json()["errors"][0]["code"] == 5003


def test_a_store_failing_mid_listing_cuts_the_answer_and_logs_one_line(full_app, caplog):
    """The status line is sent: the client must see a cut answer (no last chunk, no closing bracket), not a 200
    that ends as if the listing were whole, nor a 500 after it."""
    _failing_after(full_app.extensions["mock"].store, "journal", 1)
    with serve(full_app) as base, caplog.at_level(logging.INFO, logger="mockserver"):
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(f"{base}/__admin/requests?limit=10000", timeout=10)  # reads the body whole
        assert requests.get(f"{base}/__admin/health", timeout=10).status_code == 200  # the server goes on
    lines = [record for record in caplog.records if record.name == "mockserver"]
    assert len(lines) == 1 and lines[0].levelno == logging.ERROR and lines[0].exc_info is None
    assert "GET /__admin/requests" in lines[0].getMessage() and "database or disk is full" in lines[0].getMessage()


def test_a_store_failing_mid_listing_under_a_server_without_a_socket_raises(full_app):
    """A WSGI server that gives no socket (the test client) gets the error, which it ends the response with."""
    _failing_after(full_app.extensions["mock"].store, "campaigns_at", 1)
    answer = full_app.test_client().get("/__admin/campaigns?limit=10000", buffered=False)
    assert answer.status_code == 200
    chunks = iter(answer.response)
    assert orjson.loads(next(chunks) + b"]}")["total"] == ENTRIES  # the first page went out
    with pytest.raises(StoreUnavailable):
        list(chunks)


@pytest.mark.parametrize(("method", "path", "named", "takes"), [
    ("DELETE", "/__admin/requests?account=65f1c0ffee0ddba11a5e0001", "'account' (did you mean accountId?)",
     "it takes accountId"),
    ("DELETE", "/__admin/faults?acountId=65f1c0ffee0ddba11a5e0001", "'acountId' (did you mean accountId?)",
     "it takes accountId"),
    ("GET", "/__admin/faults?accountId=65f1c0ffee0ddba11a5e0001", "'accountId'", "it takes none"),
    ("POST", "/__admin/reset?account=65f1c0ffee0ddba11a5e0001", "'account' (did you mean accountId?)",
     "it takes accountId"),
    ("GET", "/__admin/requests?acountId=x", "'acountId' (did you mean accountId?)",
     "it takes status, method, path, accountId, since, after, offset, limit"),
    ("GET", "/__admin/campaigns?account=x", "'account' (did you mean accountId?)",
     "it takes accountId, name, streamId, offset, limit"),
    # the campaign listing's filter, sent to the journal: the refusal did not say that path finds a stream's requests
    ("GET", "/__admin/requests?streamId=st-1", "'streamId'", "it takes status, method, path, accountId, since,"
     " after, offset, limit (a stream's requests: send path=*/<streamId>/*)"),
    # the hint was given for the first unknown parameter alone
    ("GET", "/__admin/requests?limt=5&streamId=st-1", "'limt' (did you mean limit?), 'streamId'", "it takes status,"
     " method, path, accountId, since, after, offset, limit (a stream's requests: send path=*/<streamId>/*)"),
])
def test_a_query_parameter_an_admin_request_does_not_take_is_refused_naming_it(client, method, path, named, takes):
    """`DELETE /__admin/requests?accountId=X` cleared every team's journal, and a misspelt filter listed everything,
    each as if the parameter had been heard."""
    client.get("/nope")  # something to delete
    response = client.open(path, method=method)
    assert response.status_code == 400
    bare = path.split("?")[0]
    assert response.get_json() == {"errors": [{"msg": f"{method} {bare} has no query parameter {named}: {takes}",
                                               "code": 4000, "field": path.split("?")[1].split("=")[0]}]}
    assert client.get("/__admin/requests?limit=0").get_json()["total"] >= 1  # nothing was deleted


def test_health_and_the_listing_say_how_full_the_journal_is(tmp_path, make_app):
    """Nothing said the journal was full: one team's load pushed out the others' history without a word."""
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "JOURNAL_LIMIT": 5}).test_client()
    assert client.get("/__admin/health").get_json()["journal"] == {"entries": 0, "limit": 5, "oldestId": None,
                                                                   "newestId": 0}
    for number in range(8):
        client.get(f"/nope-{number}")
    listing = client.get("/__admin/requests").get_json()  # writes this worker's batch
    assert (listing["total"], listing["journalLimit"], listing["newestId"]) == (5, 5, 8)
    health = client.get("/__admin/health").get_json()
    assert health["journal"] == {"entries": 5, "limit": 5, "oldestId": 4, "newestId": 8}
    assert client.delete("/__admin/requests").get_json() == {"deleted": 5}
    assert client.get("/__admin/health").get_json()["journal"] == {"entries": 0, "limit": 5, "oldestId": None,
                                                                   "newestId": 8}
    quiet = make_app({"DATABASE": ":memory:", "JOURNAL": False}).test_client()
    assert quiet.get("/__admin/health").get_json()["journal"] == "off"


def _plans(app, target: str) -> list[tuple[str, list[str]]]:
    """(statement, its query plan) for each read of the campaigns table while `target` is listed."""
    conn = app.extensions["mock"].store._conn()  # the test client answers in this thread, on this connection
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        answer = app.test_client().get(target)
    finally:
        conn.set_trace_callback(None)
    assert answer.status_code == 200
    read = [sql for sql in statements if "FROM campaigns" in sql and sql.lstrip().upper().startswith("SELECT")]
    return [(sql, [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]) for sql in read]


@pytest.fixture
def sandbox_app(tmp_path, make_app):
    """Two accounts' campaigns, interleaved, as a months-old sandbox's are."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    store = app.extensions["mock"].store
    for number in range(ENTRIES):
        account = "acc" if number % 2 else "other"
        store.add_campaign(account, "st", f"c{number}", {"id": f"cd-{number}", "createdAt": "t", "name": f"C{number}"})
    return app


@pytest.mark.parametrize("query", ["accountId=acc", "accountId=acc&offset=40", "name=C7", "name=c8&accountId=other"])
def test_a_filtered_campaign_listing_finds_its_campaigns_in_the_index_once(sandbox_app, query):
    """An account's listing read the account's rows, data and all, and sorted them, for each page of 50: on a
    sandbox of 300,000 campaigns, 9 s for 2,000 of one account's 150,000, and 5.6 s for one page at offset 100,000.
    The campaigns a listing shows are now found once, from the (account, name) index alone, and read by `seq`."""
    plans = _plans(sandbox_app, f"/__admin/campaigns?limit=10000&{query}")
    searched = [(sql, plan) for sql, plan in plans if "LIMIT" in sql]  # the search, not the reads by seq
    assert len(searched) == 1, plans
    assert all("COVERING INDEX" in step for step in searched[0][1] if "campaigns" in step), searched
    listed = sandbox_app.test_client().get(f"/__admin/campaigns?limit=10000&{query}").get_json()
    account = "acc" if "accountId=acc" in query else "other" if "other" in query else None
    name = {"name=C7": "c7", "name=c8&accountId=other": "c8"}.get(query)
    offset = 40 if "offset" in query else 0
    expected = [f"cd-{n}" for n in range(ENTRIES) if account in (None, "acc" if n % 2 else "other")
                and name in (None, f"c{n}")][offset:]
    assert [found["campaign"]["id"] for found in listed["campaigns"]] == expected


def test_a_campaign_deleted_before_its_page_is_read_is_left_out_and_the_page_filled(full_app):
    """The listing's campaigns are found as it begins; one deleted before its page is read is not listed, and the
    listing goes on to the end rather than stop at a page that came back short."""
    store = full_app.extensions["mock"].store
    _meanwhile(store, "campaigns_at", lambda: store.delete_campaign("cd-60"))
    assert _listed_ids(full_app, "campaigns") == [f"cd-{number}" for number in range(ENTRIES) if number != 60]


def _steps_to_list(tmp_path, entries: int, query: str) -> int:
    """SQLite's virtual-machine steps (in thousands) spent listing a journal of `entries` small entries, one a
    second, whole: a count that does not depend on the machine's speed."""
    app = create_app({"DATABASE": str(tmp_path / f"steps-{entries}.sqlite3")})
    store = app.extensions["mock"].store
    for number in range(entries):
        store.record(JournalEntry(method="POST", path="/c", query="", headers={}, body="", status=400, errors=[],
                                  latency_ms=1.0, at=f"2026-01-01T{number // 3600:02d}:{number // 60 % 60:02d}:"
                                                     f"{number % 60:02d}.000Z"))
    store.journal(limit=1)  # written
    steps = 0

    def counted() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn = store._conn()  # the test client answers in this thread, on this connection
    conn.set_progress_handler(counted, 1000)
    try:
        listed = app.test_client().get(f"/__admin/requests?limit=10000{query}").get_json()
    finally:
        conn.set_progress_handler(None, 0)
        store.close()
    assert len(listed["requests"]) == entries
    return steps


@pytest.mark.parametrize("query", ["", "&since=2026-01-01T00:00:00Z", "&status=4xx&since=2026-01-01T00:00:00Z"])
def test_each_page_of_the_journal_seeks_to_where_the_last_one_ended(tmp_path, query):
    """A next page is the entries listed after the last one sent, (at, id) below it. Written as `at < A OR at = A
    AND id < I`, with `since` SQLite gathered every entry between the two times and sorted them, for each page (1 s a
    page over 50,000 entries of a full journal), and without it walked the index from the newest entry down to the
    page: a listing's cost grew with the square of its length. `at <= A AND (at < A OR id < I)` seeks there."""
    small, large = _steps_to_list(tmp_path, 500, query), _steps_to_list(tmp_path, 2500, query)
    assert large < 8 * small, (small, large)  # 5 times the entries: about 5 times the work, not 25
