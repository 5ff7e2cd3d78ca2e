"""State: campaigns survive a restart, names are unique per account, the journal and the admin API."""

from __future__ import annotations

import importlib.metadata
import json
import sqlite3
from contextlib import closing

import pytest
from werkzeug.datastructures import EnvironHeaders

from mockserver.app import create_app
from mockserver.errors import ConfigError
from mockserver.routes.admin import MAX_LIMIT, MAX_OFFSET
from mockserver.routes.journal import _headers


def test_campaigns_survive_a_restart(tmp_path, sample_body, headers, url, make_app):
    db = str(tmp_path / "mock.sqlite3")
    created = make_app({"DATABASE": db}).test_client().post(url, json=sample_body, headers=headers).get_json()
    listed = make_app({"DATABASE": db}).test_client().get("/__admin/campaigns").get_json()
    assert listed["total"] == 1
    assert listed["campaigns"][0]["campaign"] == created["data"]


def test_database_is_in_wal_mode(tmp_path, app):
    with closing(sqlite3.connect(app.config["DATABASE"])) as conn:
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"


def test_memory_database_keeps_nothing(sample_body, headers, url, make_app):
    first = make_app({"DATABASE": ":memory:"}).test_client()
    assert first.post(url, json=sample_body, headers=headers).status_code == 200
    second = make_app({"DATABASE": ":memory:"}).test_client()
    assert second.get("/__admin/health").get_json()["campaigns"] == 0


def test_duplicate_name_is_409_case_insensitively(post, sample_body):
    assert post(sample_body).status_code == 200
    sample_body["name"] = sample_body["name"].upper()
    response = post(sample_body)
    assert response.status_code == 409
    assert response.get_json()["errors"][0]["code"] == 4009


def test_a_duplicate_name_is_refused_naming_the_name_field(post, sample_body):
    """Every other refusal of a body names its field; this one named none, though only the name can be changed."""
    assert post(sample_body).status_code == 200
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"].startswith("A campaign named 'Service Renewal Outreach Campaign61' already exists (id 'cd-")
    assert (error["code"], error["field"]) == (4009, "name")


def test_a_duplicate_names_the_campaign_that_held_the_name_though_another_worker_deletes_it_at_once(
        app, post, sample_body):
    """The campaign a 409 names was looked up after the refused insert, outside the write lock: a delete from
    another worker between the two (a client freeing the name while another created it) left the 409 naming
    `'<id>'`, and telling the client to DELETE /__admin/campaigns/<id>. Here the delete is forced in just there."""
    store = app.extensions["mock"].store
    held_id = post(sample_body).get_json()["data"]["id"]
    refuse = store.add_campaign

    def refused_then_deleted(*args: object) -> None:
        try:
            refuse(*args)
        finally:  # the write lock let go: another worker's DELETE /__admin/campaigns/<id> comes first
            assert store.delete_campaign(held_id)

    store.add_campaign = refused_then_deleted
    try:
        response = post(sample_body)
    finally:
        del store.add_campaign
    assert response.status_code == 409
    [error] = response.get_json()["errors"]
    assert f"(id '{held_id}')" in error["msg"] and f"DELETE /__admin/campaigns/{held_id};" in error["msg"]
    assert post(sample_body).status_code == 200  # the name was freed after all


def test_journal_records_requests_with_tokens_redacted(post, client, sample_body, headers):
    post(sample_body)
    sample_body["priority"] = "9"
    post(sample_body)
    entries = client.get("/__admin/requests").get_json()["requests"]
    assert [e["status"] for e in entries] == [400, 200]
    newest = entries[0]
    assert newest["headers"]["auth"] == "<redacted>"
    assert headers["auth"] not in str(entries)
    assert newest["errors"][0]["field"] == "priority"
    assert json.loads(newest["body"])["priority"] == "9"
    assert newest["method"] == "POST" and newest["latencyMs"] >= 0
    assert "campaignType=voice" in newest["query"]


def test_reset_and_health(post, client, sample_body):
    post(sample_body)
    health = client.get("/__admin/health").get_json()
    journal = health.pop("journal")  # its entries: this worker's batch, once written (within 0.1 s)
    wal = health.pop("wal")  # the -wal's length, which the create and the journal's batch grow
    assert health == {"status": "ok", "campaigns": 1, "version": importlib.metadata.version("kore-campaign-mock")}
    assert journal["limit"] == 100_000 and set(journal) == {"entries", "limit", "oldestId", "newestId"}
    assert wal["bytes"] > 0 and wal["heldBack"] is False and set(wal) == {"bytes", "heldBack"}
    assert client.post("/__admin/reset").status_code == 200
    assert client.get("/__admin/health").get_json()["campaigns"] == 0
    assert client.get("/__admin/requests").get_json()["requests"] == []
    assert post(sample_body).status_code == 200


def test_clear_journal_only_and_count_the_entries_deleted(post, client, sample_body):
    """DELETE /__admin/requests answered {"status": "ok"}, where every other delete answers {"deleted": N}."""
    post(sample_body)
    client.get("/nope")
    assert client.delete("/__admin/requests").get_json() == {"deleted": 2}
    assert client.delete("/__admin/requests").get_json() == {"deleted": 0}
    assert client.get("/__admin/requests").get_json()["requests"] == []
    assert client.get("/__admin/health").get_json()["campaigns"] == 1


def test_close_writes_the_journal_and_releases_the_files(tmp_path, sample_body, headers, url):
    db = str(tmp_path / "mock.sqlite3")
    app = create_app({"DATABASE": db})
    app.test_client().post(url, json=sample_body, headers=headers)
    app.extensions["mock"].store.close()
    with closing(sqlite3.connect(db)) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM journal").fetchone()
    assert count == 1


def test_campaigns_page_with_limit_and_offset(post, client, sample_body):
    for n in range(5):
        sample_body["name"] = f"Paged {n}"
        post(sample_body)
    page = client.get("/__admin/campaigns?limit=2&offset=3").get_json()
    assert page["total"] == 5
    assert [c["campaign"]["name"] for c in page["campaigns"]] == ["Paged 3", "Paged 4"]
    assert client.get(f"/__admin/campaigns?limit={MAX_LIMIT}&offset={MAX_OFFSET}").get_json()["campaigns"] == []


def test_one_campaign_by_its_id(post, client, sample_body, account):
    created = [post(sample_body | {"name": f"By id {n}"}).get_json()["data"] for n in range(3)]
    found = client.get(f"/__admin/campaigns/{created[1]['id']}")
    assert found.status_code == 200
    assert found.get_json() == {"accountId": account.account_id, "streamId": account.streams[0],
                                "campaign": created[1]}


@pytest.mark.parametrize("campaign_id", ["cd-nope", "x" * 5000, "%27%20OR%201=1--"])
def test_an_unknown_campaign_id_is_404_in_the_envelope(client, campaign_id):
    response = client.get(f"/__admin/campaigns/{campaign_id}")
    assert response.status_code == 404
    [error] = response.get_json()["errors"]
    assert error["code"] == 4004 and error["msg"].startswith("No campaign with id ")
    assert len(error["msg"]) < 200


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_campaign_s_name_where_its_id_goes_is_told_where_ids_come_from(post, client, sample_body, method):
    """A tester pasted the campaign's name, which the 409 names first: "No campaign with id 'Spring Outreach'" did
    not say that an id is another thing, nor how to find it."""
    post(sample_body)
    response = client.open(f"/__admin/campaigns/{sample_body['name']}", method=method)
    assert response.status_code == 404
    assert response.get_json()["errors"] == [{
        "msg": f"No campaign with id '{sample_body['name']}': a campaign's id starts with cd- (GET"
               " /__admin/campaigns?name=NAME finds one by its name)", "code": 4004}]
    assert client.get("/__admin/campaigns/cd-nope").get_json()["errors"][0]["msg"] == "No campaign with id 'cd-nope'"


BAD_LIMITS = ["all", "-1", "1.5", "", "%EF%BC%95", "1_0", str(MAX_LIMIT + 1), "9" * 5000, "1&limit=2"]
BAD_OFFSETS = ["x", str(MAX_OFFSET + 1), "9" * 30, "1&offset=1"]


@pytest.mark.parametrize(("endpoint", "name", "value"), [
    *[(endpoint, "limit", value) for endpoint in ("/__admin/campaigns", "/__admin/requests") for value in BAD_LIMITS],
    *[(endpoint, "offset", value) for endpoint in ("/__admin/campaigns", "/__admin/requests") for value in BAD_OFFSETS],
])
def test_admin_paging_parameters_out_of_range_are_refused_by_name(client, endpoint, name, value):
    response = client.get(f"{endpoint}?{name}={value}")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == name and error["code"] == 4000
    assert error["msg"].startswith(f"{name} query parameter must be a whole number from 0 to ")


def test_journal_headers_are_werkzeugs_lower_cased_with_tokens_redacted():
    environ = {
        "HTTP_AUTH": "secret.jwt", "HTTP_ACCOUNTID": "a-1", "HTTP_X_CUSTOM_THING": "v",
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "", "HTTP_CONTENT_TYPE": "ignored",
        "SERVER_NAME": "x", "wsgi.input": None,
    }
    expected = {name.lower(): value for name, value in EnvironHeaders(environ).items()}
    expected["auth"] = "<redacted>"
    expected["content-length"] = ""  # werkzeug drops an empty one; gunicorn sets it only when it was sent
    assert _headers(environ) == expected


def test_the_journal_keeps_its_newest_entries_up_to_its_limit(tmp_path, sample_body, headers, url, make_app):
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "JOURNAL_LIMIT": 3}).test_client()
    for priority in "12345":
        client.post(url, json=sample_body | {"priority": priority, "name": f"Campaign {priority}"}, headers=headers)
    entries = client.get("/__admin/requests").get_json()["requests"]
    assert [json.loads(entry["body"])["priority"] for entry in entries] == ["5", "4", "3"]
    with closing(sqlite3.connect(tmp_path / "mock.sqlite3")) as conn:
        (kept,) = conn.execute("SELECT COUNT(*) FROM journal").fetchone()
    assert kept == 3


@pytest.mark.parametrize(("key", "option", "high"), [
    ("JOURNAL_LIMIT", "--journal-limit", 10**9), ("MAX_BODY_BYTES", "--max-body", 100 * 1024 * 1024),
    ("IDLE_TIMEOUT", "--idle-timeout", 3600),
])
@pytest.mark.parametrize("bad", [0, -1, "high + 1", "100", 2.5, True, None])
def test_a_whole_number_setting_out_of_range_is_a_config_error(tmp_path, key, option, high, bad, make_app):
    value = high + 1 if bad == "high + 1" else bad
    with pytest.raises(ConfigError, match=f"^{option} \\(config {key}\\) must be a whole number from 1 to {high:,} "):
        make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), key: value})
    make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), key: high})  # the bound itself is accepted


@pytest.mark.parametrize(("key", "guess"), [("RATE_LMIT", "RATE_LIMIT"), ("rate_limit", "RATE_LIMIT"),
                                            ("MAX_BODY", "MAX_BODY_BYTES"), ("TESTNG", "TESTING")])
def test_an_unknown_config_key_is_refused_naming_the_likely_one(key, guess):
    """create_app({"DATABASE": ":memory:", "RATE_LMIT": "1/min"}) was accepted, the key read by nothing, and the
    mock ran without a rate limit."""
    with pytest.raises(ConfigError, match=rf"^unknown config key\(s\) '{key}' \(did you mean {guess}\?\); the mock's"
                                          r" keys are DATABASE, TENANT, "):
        create_app({"DATABASE": ":memory:", key: "1/min"})


def test_flask_s_own_config_keys_are_accepted(make_app):
    app = make_app({"DATABASE": ":memory:", "TESTING": True, "SECRET_KEY": "x", "RATE_LIMIT": "1/min"})
    assert (app.config["TESTING"], app.config["RATE_LIMIT"]) == (True, "1/min")


OTHER_ACCOUNT = "65f1c0ffee0ddba11a5e0002"


def test_campaigns_are_listed_by_account_and_by_name_whatever_its_case(app, post, client, sample_body, account):
    for name in ("Spring Outreach", "Summer Outreach"):
        assert post(sample_body | {"name": name}).status_code == 200
    other = {"id": "cd-other", "name": "Spring Outreach", "createdAt": "2026-11-26T00:00:00.000Z"}
    app.extensions["mock"].store.add_campaign(OTHER_ACCOUNT, "st-other", "spring outreach", other)

    def listed(query: str) -> tuple[int, list[tuple[str, str]]]:
        answer = client.get(f"/__admin/campaigns?{query}")
        assert answer.status_code == 200, answer.get_json()
        page = answer.get_json()
        return page["total"], [(entry["accountId"], entry["campaign"]["name"]) for entry in page["campaigns"]]

    assert listed("")[0] == 3
    assert listed(f"accountId={account.account_id}") == (2, [(account.account_id, "Spring Outreach"),
                                                             (account.account_id, "Summer Outreach")])
    assert listed("name=SPRING%20outreach") == (2, [(account.account_id, "Spring Outreach"),
                                                    (OTHER_ACCOUNT, "Spring Outreach")])
    assert listed(f"name=Spring%20Outreach&accountId={OTHER_ACCOUNT}") == (1, [(OTHER_ACCOUNT, "Spring Outreach")])
    assert listed("accountId=nobody") == (0, [])


@pytest.mark.parametrize("query", ["accountId=", "name=" + "x" * 501, "name=a&name=b", "accountId=a&accountId=a"])
def test_a_campaign_filter_that_cannot_mean_anything_is_refused_by_name(client, query):
    answer = client.get(f"/__admin/campaigns?{query}")
    assert answer.status_code == 400
    [error] = answer.get_json()["errors"]
    assert error["code"] == 4000 and error["field"] == query.split("=")[0], error


def test_deleting_a_campaign_frees_its_name_for_a_new_create(post, client, sample_body):
    """On a shared sandbox a tester re-running a create with the same name got 409 until someone reset everything."""
    created = post(sample_body).get_json()["data"]
    assert post(sample_body).status_code == 409
    deleted = client.delete(f"/__admin/campaigns/{created['id']}")
    assert (deleted.status_code, deleted.get_json()) == (200, {"deleted": 1})
    assert client.get(f"/__admin/campaigns/{created['id']}").status_code == 404
    assert client.get("/__admin/health").get_json()["campaigns"] == 0
    gone = client.delete(f"/__admin/campaigns/{created['id']}")  # already gone
    assert gone.status_code == 404 and gone.get_json()["errors"][0]["code"] == 4004
    again = post(sample_body)
    assert again.status_code == 200 and again.get_json()["data"]["name"] == created["name"]
    assert client.get("/__admin/health").get_json()["campaigns"] == 1


def test_deleting_a_campaign_searches_for_it_without_holding_back_the_creates(app, post, client, sample_body):
    """Campaigns have no index on their id (it would cost every create a page write), so a delete by id reads the
    table: 0.35 s on a sandbox of 300,000 campaigns, which it spent holding the write lock, so every create of
    every worker waited for it. The campaign is found first, and only its row deleted under the lock."""
    created = post(sample_body).get_json()["data"]
    store = app.extensions["mock"].store
    conn = store._conn()  # the test client answers in this thread, on this connection
    under_lock: list[str] = []
    conn.set_trace_callback(lambda sql: under_lock.append(sql) if store._write._thread_lock.locked() else None)
    try:
        assert client.delete(f"/__admin/campaigns/{created['id']}").status_code == 200
        assert client.delete(f"/__admin/campaigns/{created['id']}").status_code == 404
    finally:
        conn.set_trace_callback(None)
    plans = {sql: [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in under_lock
             if "campaigns" in sql}
    assert plans and all(step.startswith("SEARCH campaigns USING INTEGER PRIMARY KEY") for plan in plans.values()
                         for step in plan), plans
