"""GET /__admin/requests narrowed by status, method, path, account and time, with a total and paging."""

from __future__ import annotations

import pytest

OTHER_ACCOUNT = "65f1c0ffee0ddba11a5e0002"


@pytest.fixture
def journal(post, client, sample_body, headers, url, account):
    """Five requests: a create (200), its duplicate (409), an invalid body (400), an unknown path (404), and a
    create naming another account (refused)."""
    post(sample_body)
    post(sample_body)
    post(dict(sample_body, priority="9"))
    client.get("/nope")
    post(sample_body, headers={**headers, "accountid": OTHER_ACCOUNT})

    def listed(query: str = "") -> tuple[int, list[tuple[str, int]]]:
        answer = client.get(f"/__admin/requests{query}")
        assert answer.status_code == 200, answer.get_json()
        found = answer.get_json()
        return found["total"], [(entry["method"], entry["status"]) for entry in found["requests"]]

    return listed


def test_without_a_filter_every_entry_is_listed_newest_first_with_the_total(journal):
    total, entries = journal()
    assert total == 5
    assert [status for _, status in entries][1:] == [404, 400, 409, 200]


@pytest.mark.parametrize(("query", "statuses"), [
    ("?status=409", [409]), ("?status=2xx", [200]), ("?status=4XX", None), ("?status=500", []),
])
def test_status_is_a_code_or_a_class(journal, query, statuses):
    everything = [status for _, status in journal()[1]]
    total, entries = journal(query)
    wanted = statuses if statuses is not None else [s for s in everything if 400 <= s <= 499]
    assert [status for _, status in entries] == wanted and total == len(wanted)


def test_method_and_path_glob(journal):
    assert journal("?method=get") == (1, [("GET", 404)])
    total, entries = journal("?path=/campaign/*")
    assert total == 4 and {method for method, _ in entries} == {"POST"}
    assert journal("?path=/campaign/*&status=409") == (1, [("POST", 409)])
    assert journal("?path=*/nope") == (1, [("GET", 404)])  # a glob may start with `*`


def test_account_matches_the_accountid_header_or_the_accountId_query(journal, account):
    assert journal(f"?accountId={account.account_id}")[0] == 4  # the other create sent the account in its query
    assert journal(f"?accountId={OTHER_ACCOUNT}")[0] == 1
    assert journal("?accountId=65f1c0ffee0ddba11a5e9999")[0] == 0


def test_an_account_sent_percent_encoded_in_the_query_is_found_by_its_value(client):
    """The journal keeps the query as sent; the filter's value arrives decoded."""
    client.get("/nope?accountId=a%26b%20c")
    answer = client.get("/__admin/requests", query_string={"accountId": "a&b c"}).get_json()
    assert answer["total"] == 1


@pytest.mark.parametrize("query", ["%61ccountId=acc-9", "accountId=%61%63%63%2D%39", "account%49d=acc-9"])
def test_an_account_however_the_query_encodes_it_is_found_as_a_fault_rule_finds_it(client, query):
    """Only two spellings of the query were looked for, so a fully %-encoded one was missed by the filter, while
    a fault rule narrowed to that account (which reads the decoded query) applied to it."""
    client.get(f"/nope?{query}")
    assert client.get("/__admin/requests?accountId=acc-9").get_json()["total"] == 1


def test_since_lists_what_came_at_or_after_a_moment_in_any_zone(journal, client):
    entries = client.get("/__admin/requests").get_json()["requests"]
    third = entries[2]["at"]  # e.g. 2026-11-26T20:21:55.123Z
    assert journal(f"?since={third}")[0] >= 3
    assert journal("?since=2000-01-01T00:00:00Z")[0] == 5
    assert journal("?since=2999-01-01T05:00:00%2B05:00")[0] == 0


@pytest.mark.parametrize(("since", "total"), [
    ("0001-01-01T00:00:00%2B05:00", 5), ("9999-12-31T23:59:59-05:00", 0), ("2016-12-31T23:59:60Z", 5),
    ("2999-12-31T23:59:60Z", 0), ("9999-12-31T23:59:60Z", 0),
], ids=["before year 1 in UTC", "after 9999 in UTC", "a leap second", "a leap second to come", "the last one"])
def test_since_takes_every_rfc_3339_time(journal, since, total):
    """The admin API's document declares `since` a date-time (RFC 3339), as a generated client sends it: a time
    that is before year 1 or after 9999 once in UTC is the earliest or the latest there is, and a leap second
    (`23:59:60`) is the second after 23:59:59. They were refused as not being times."""
    assert journal(f"?since={since}")[0] == total


@pytest.mark.parametrize("since", [
    "2026-11-26 09:00:00Z", "20261126T090000Z", "2026-11-26T09:00Z", "2026-11-26T09Z", "2026-W48-4T09:00:00Z",
    "2026-11-26T09:00:00%2B0100", "2026-11-26T09:00:00%2B01", "2026-11-26T09:00:00,5Z", "2026-11-26T09:00:00.Z",
    "2026-11-26T09:00:00%2B01:00:30", "2026-11-26T09:00:00.5%2B01:00:30.5", "2026-11-26T09:00:00%2B24:00",
    "2026-11-26T09:00:00%2B01:60", "2026-11-31T09:00:00Z", "2026-02-29T09:00:00Z", "2026-11-26T09:00:00Zx",
    "2026-11-26T09:00:00.%2B01:00", "+2026-11-26T09:00:00Z", f"2026-11-26T09:00:00.{'1' * 44}Z",
])
def test_since_is_an_rfc_3339_time_and_nothing_looser(client, since):
    """The document declares `since` a date-time, RFC 3339's: what else Python's ISO 8601 reader takes (a space for
    the T, the basic form, a week date, no seconds, an offset without its colon or with seconds, a comma) was taken
    too, so a value a generated client's validation (or a fuzzer) calls invalid was served."""
    response = client.get(f"/__admin/requests?since={since}")
    assert response.status_code == 400, since
    [error] = response.get_json()["errors"]
    assert error["field"] == "since" and "RFC 3339" in error["msg"]


@pytest.mark.parametrize(("since", "total"), [
    ("2000-01-01t00:00:00z", 5), ("2000-01-01T00:00:00.123456789-00:00", 5), ("0000-01-01T00:00:00Z", 5),
    ("0000-12-31T23:00:00-23:59", 5), ("2000-02-29T00:00:00%2B23:59", 5), ("2999-01-01T00:00:00.5Z", 0),
])
def test_since_takes_rfc_3339_s_own_freedoms(journal, since, total):
    """Lower-case t and z, any number of fraction digits, -00:00 and year 0000 are RFC 3339's (year 0 was refused)."""
    assert journal(f"?since={since}")[0] == total


def test_each_entry_has_an_id_and_after_lists_what_was_written_since(journal, client):
    """Polling by time could miss an entry: each worker writes its journal in batches, so an older request can be
    written after a newer one. Ids follow the order of writing."""
    entries = client.get("/__admin/requests").get_json()["requests"]
    ids = [entry["id"] for entry in entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    newer = client.get(f"/__admin/requests?after={ids[2]}").get_json()
    assert newer["total"] == 2 and [e["id"] for e in newer["requests"]] == ids[:2]
    client.get("/nope")
    assert [e["status"] for e in client.get(f"/__admin/requests?after={ids[0]}").get_json()["requests"]] == [404]


def test_offset_pages_through_the_matches(journal):
    total, first = journal("?status=4xx&limit=2")
    _, rest = journal("?status=4xx&limit=2&offset=2")
    assert total == 4 and len(first) == 2 and len(rest) == 2
    assert first + rest == journal("?status=4xx")[1]


@pytest.mark.parametrize(("name", "value"), [
    ("status", "4**"), ("status", "600"), ("status", "99"), ("status", "4xxx"), ("method", "G3T"),
    ("method", "P" * 21), ("since", "tomorrow"), ("since", "2026-11-26T09:30:00"),
    ("since", "2026-11-26T09:30:61Z"), ("since", "2026-11-26T09:30:60"), ("path", ""), ("accountId", "a" * 501),
    ("status", "4xx&status=2xx"), ("after", "-1"), ("after", "1.5"), ("after", "9" * 30), ("after", "x"),
    ("path", "campaign/*"), ("path", "http://127.0.0.1:8080/campaign/*"),
])
def test_a_filter_that_cannot_mean_anything_is_refused_by_name(client, name, value):
    """Matching nothing would read as "no such requests"; a 500 (a time before year 1 once in UTC) is worse."""
    response = client.get(f"/__admin/requests?{name}={value}")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == name and error["code"] == 4000
    assert error["msg"].startswith(f"{name} query parameter must be ")


def _plans(store, run) -> list[tuple[str, str]]:
    """(its first words, its query plan) for each journal SELECT the store runs in `run()`."""
    conn = store._conn()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        conn.set_trace_callback(None)
    return [(sql.split(" FROM ")[0], " | ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")))
            for sql in statements if sql.startswith("SELECT") and " journal" in sql]


def test_a_status_listing_walks_the_journal_newest_first_and_its_total_comes_from_the_index(app, journal):
    """The status index makes the total cheap (29 ms to 1.5 ms on a 100,000-entry journal); the listing must not
    use it, or SQLite reads every matching row by the index and sorts them (213 ms for status=200)."""
    from mockserver.store import JournalFilter

    store = app.extensions["mock"].store
    plans = _plans(store, lambda: (store.journal(which=JournalFilter(statuses=(200, 299))),
                                   store.count_journal(JournalFilter(statuses=(200, 299))), store.count_journal()))
    [listing] = [plan for head, plan in plans if head.startswith("SELECT seq, at")]
    counts = [plan for head, plan in plans if head.startswith("SELECT COUNT")]
    assert "journal_status" not in listing and "TEMP B-TREE" not in listing, listing  # no index, no sort
    assert len(counts) == 2 and all("journal_status" in plan for plan in counts), plans


def test_entries_written_before_the_accounts_column_are_still_found_by_account(app, client):
    """A database from an earlier version: its rows have no `accounts`, and are matched on the header and the
    query as sent, as they were."""
    client.get("/nope", headers={"accountid": "acc-old"})
    client.get("/nope?accountId=acc-older")
    store = app.extensions["mock"].store
    store._journal.flush()
    store._conn().execute("UPDATE journal SET accounts = NULL")
    assert client.get("/__admin/requests?accountId=acc-old").get_json()["total"] == 1
    assert client.get("/__admin/requests?accountId=acc-older").get_json()["total"] == 1


def test_the_path_is_kept_and_matched_decoded_as_the_admin_document_says(client, contract):
    """The admin document called the path "as sent, %-encoded": a client matching `/a%20b` found nothing."""
    from mockserver.admin_openapi import build_document

    client.get("/a%20b?q=%20")
    [entry] = client.get("/__admin/requests?path=/a b").get_json()["requests"]
    assert (entry["path"], entry["query"]) == ("/a b", "q=%20")
    assert client.get("/__admin/requests?path=/a%2520b").get_json()["total"] == 0
    described = build_document(contract)["components"]["schemas"]["JournalEntry"]["properties"]
    assert described["path"]["description"].startswith("%-decoded")
    assert described["query"]["description"].startswith("as sent, %-encoded")


@pytest.mark.parametrize(("pattern", "found"), [
    ("/nope", ["/nope"]), ("/nope*", ["/nope", "/nope\0garbage"]), ("/nope\0garbage", ["/nope\0garbage"]),
    ("*\0*", ["/nope\0garbage"]), ("/nope\0", []), ("*", ["/nope", "/nope\0garbage"]),
])
def test_a_path_or_pattern_holding_u0000_is_matched_whole(client, pattern, found):
    """SQLite's GLOB reads each side only up to a U+0000: `/nope` listed `/nope%00garbage` as well, and
    `/nope%00garbage` listed `/nope`, where a fault rule's path (the same glob) told the two apart."""
    client.get("/nope")
    client.get("/nope%00garbage")
    listed = client.get("/__admin/requests", query_string={"path": pattern}).get_json()["requests"]
    assert sorted(entry["path"] for entry in listed) == found


def test_a_listing_after_an_id_far_behind_walks_the_time_index_and_seeks_each_next_page(app, client, monkeypatch):
    """By id, every page read and sorted all the entries written since, data and all: the newest 10,000 `after=0`
    of a full 100,000-entry journal took 66 s (200 pages of 0.33 s). A poll, a few entries behind, reads them by id."""
    from mockserver import store as store_module
    from mockserver.store import JournalFilter

    monkeypatch.setattr(store_module, "AFTER_BY_ID", 20, raising=False)
    for n in range(120):  # pages of 50: three
        client.get(f"/nope?n={n}")
    store = app.extensions["mock"].store
    listed = client.get("/__admin/requests?after=10&limit=1000").get_json()
    assert listed["total"] == 110
    assert [entry["id"] for entry in listed["requests"]] == list(range(120, 10, -1))
    newest = store.journal(limit=1)[0]
    far, near, next_page = (JournalFilter(after=10), JournalFilter(after=110),
                            JournalFilter(after=10, before=(newest["at"], newest["id"])))
    plans = _plans(store, lambda: [store.journal(which=which) for which in (far, near, next_page)])
    far_plan, near_plan, next_plan = [plan for head, plan in plans if head.startswith("SELECT seq, at")]
    assert "journal_at" in far_plan and "TEMP B-TREE" not in far_plan, far_plan
    assert "journal_at" in next_plan and "TEMP B-TREE" not in next_plan, next_plan
    assert "journal_at" not in near_plan, near_plan  # a poll's ten newer entries, by id


def test_a_whole_url_given_for_the_path_is_told_to_give_the_path_alone(client, contract):
    """A client's create URL, longer than 100 characters, was refused only as too long ("must be 1 to 100
    characters"): `mock.journal(path=mock.endpoint)` never heard that the path alone was wanted."""
    url = "http://127.0.0.1:8080" + contract.endpoint["pathTemplate"].replace("{streamId}", "s" * 36) + "?" + "a" * 40
    assert len(url) > 100
    [error] = client.get("/__admin/requests", query_string={"path": url}).get_json()["errors"]
    assert error["msg"].startswith("path query parameter must be a path glob starting with / or *, e.g. /campaign/*"
                                   " (the path alone, no scheme or host) (got 'http://127.0.0.1:8080/campaign")
    [error] = client.get("/__admin/requests", query_string={"path": "/" + "a" * 100}).get_json()["errors"]
    assert error["msg"] == "path query parameter must be 1 to 100 characters (got 101 characters)"
