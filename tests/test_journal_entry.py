"""One journal entry by its id (GET and DELETE /__admin/requests/<id>, RunningMock.journal_entry): the entry as the
listing shows it, a 404 that says why an id is not held, a 400 for an id that is no id, and the entries other
workers still hold in hand."""

from __future__ import annotations

import time

import pytest
import requests

from mockserver import store as store_module
from mockserver.store import JournalEntry
from mockserver.testing import running_mock


@pytest.fixture
def journaled(client, post, sample_body, headers, url):
    """A create, a refusal answered before its body was read, and a credential in a query: three entries."""
    post(sample_body)
    client.post(url, json=sample_body, headers={**headers, "auth": "not-a-jwt"})
    client.get("/nope?access_token=secret")
    return client.get("/__admin/requests").get_json()["requests"]


def test_an_entry_by_its_id_is_the_entry_as_the_listing_shows_it(client, journaled):
    assert [entry["id"] for entry in journaled] == [3, 2, 1]
    for listed in journaled:
        response = client.get(f"/__admin/requests/{listed['id']}")
        assert (response.status_code, response.get_json()) == (200, listed)
    assert journaled[1]["body"] is None and journaled[0]["query"] == "access_token=<redacted>"


def _refusal(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    [error] = response.get_json()["errors"]
    return error


def test_an_id_not_given_yet_is_404_naming_the_newest(client, journaled):
    error = _refusal(client.get("/__admin/requests/4"), 404)
    assert error == {"code": 4004, "msg": "No journal entry with id 4: none has been given that id yet (the newest"
                                          " is 3)"}
    highest = _refusal(client.get(f"/__admin/requests/{2**63 - 1}"), 404)  # the document's maximum
    assert highest["msg"].startswith(f"No journal entry with id {2**63 - 1}: none has been given")


def test_a_deleted_entry_is_404_and_the_others_stay(client, journaled):
    assert client.delete("/__admin/requests/2").get_json() == {"deleted": 1}
    for method in ("GET", "DELETE"):
        error = _refusal(client.open("/__admin/requests/2", method=method), 404)
        assert error["msg"] == ("No journal entry with id 2: it was deleted, or pushed out as the journal keeps its"
                                " newest 100,000 entries (the oldest it holds is 1)")
    assert [entry["id"] for entry in client.get("/__admin/requests").get_json()["requests"]] == [3, 1]
    assert client.get("/__admin/requests/3").get_json() == journaled[0]


def test_health_counts_the_entries_left_after_one_in_the_middle_is_deleted(client, journaled):
    """Health counts the journal from its oldest and newest ids, which holds only while the ids kept follow each
    other: deleting one between them must be marked as a gap, or health counts it still."""
    client.delete("/__admin/requests/2")
    journal = client.get("/__admin/health").get_json()["journal"]
    assert (journal["entries"], journal["oldestId"], journal["newestId"]) == (2, 1, 3)


def test_an_entry_gone_beyond_the_journal_limit_or_cleared_is_404(tmp_path, make_app):
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "JOURNAL_LIMIT": 2}).test_client()
    for _ in range(3):
        client.get("/nope")
    assert _refusal(client.get("/__admin/requests/1"), 404)["msg"].endswith("newest 2 entries (the oldest it holds is"
                                                                            " 2)")
    client.delete("/__admin/requests")
    assert _refusal(client.get("/__admin/requests/3"), 404)["msg"].endswith("(it holds none)")


def test_a_mock_without_a_journal_says_so(tmp_path, make_app):
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "JOURNAL": False}).test_client()
    client.get("/nope")
    assert _refusal(client.get("/__admin/requests/1"), 404)["msg"] == (
        "No journal entry with id 1: this mock keeps no journal (it was started with --no-journal)")


# above 2**63-1, the admin document's maximum
BEYOND = [str(2**63), "0" + str(2**63), str(2**64), pytest.param("9" * 5000, id="5000-nines")]


@pytest.mark.parametrize("raw", ["0", "00", "-1", "abc", "1.5", "1e3", "+1", "+5", "%201", "0x1", "\u0663", "\uff11",
                                 "1_0", "-9223372036854775809", *BEYOND])
@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_id_that_is_not_a_whole_number_from_1_to_the_maximum_is_400_naming_the_path_parameter(client, journaled,
                                                                                                method, raw):
    """An id beyond 2**63-1, the maximum the admin API's document declares, was answered 404 (as an id not given
    yet), where the document's clients (and Schemathesis's negative checks) expect the 400 a value out of range
    gets."""
    error = _refusal(client.open(f"/__admin/requests/{raw}", method=method), 400)
    assert error["field"] == "requestId" and error["code"] == 4000
    assert error["msg"].startswith("requestId in the path must be a journal entry's id, a whole number from 1 to"
                                   " 2**63-1 (got ")


def test_leading_zeros_name_the_same_entry(client, journaled):
    assert client.get("/__admin/requests/0003").get_json() == journaled[0]
    assert client.get("/__admin/requests/" + "0" * 40 + "3").get_json() == journaled[0]


def test_a_query_parameter_is_refused_naming_it(client, journaled):
    error = _refusal(client.get("/__admin/requests/1?status=404"), 400)
    assert error["msg"] == "GET /__admin/requests/1 has no query parameter 'status': it takes none"


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_the_admin_token_guards_one_entry(tmp_path, method, make_app):
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": "t0ken"}).test_client()
    client.get("/nope")
    assert _refusal(client.open("/__admin/requests/1", method=method), 401)["code"] == 4002
    answer = client.open("/__admin/requests/1", method=method, headers={"Authorization": "Bearer t0ken"})
    assert answer.status_code == 200


# -- entries other workers hold in hand (two stores on one file stand in for two workers) ------------------


def _entry(path: str) -> JournalEntry:
    return JournalEntry(method="GET", path=path, query="", headers={}, body="", status=404, errors=[],
                        latency_ms=1.0, at="2020-01-01T00:00:00.000Z")


def test_an_entry_another_worker_holds_is_found_by_the_id_it_is_given(workers):
    """Ids are given as entries are written: the next id, asked for through another worker, is that of the request
    the first one answered and still holds, found once its batch is written, as a listing would find it."""
    first, second = workers
    first.record(_entry("/held-by-the-first"))  # held, to be written within 0.1 s
    assert second.journal_entry(1)["path"] == "/held-by-the-first"
    first.record(_entry("/held-then-deleted"))
    assert second.delete_journal_entry(2) is True
    assert second.journal_entry(2) is None


def test_an_id_already_given_is_read_without_waiting_for_other_workers(workers, monkeypatch):
    first, second = workers
    monkeypatch.setattr(store_module, "BATCH_WAIT_S", 30.0)  # a wait, if there were one, far past any stall
    second.record(_entry("/written"))
    second._journal.flush()
    first._journal._delay = 60.0  # the other worker holds a batch, as one under load always does
    first.record(_entry("/held"))
    started = time.monotonic()
    assert second.journal_entry(1)["path"] == "/written"
    assert time.monotonic() - started < store_module.BATCH_WAIT_S / 2


# -- from Python -------------------------------------------------------------------------------------------


def test_running_mock_reads_one_entry_and_raises_on_a_404(sample_body):
    with running_mock() as mock:
        requests.post(mock.endpoint, json=mock.sample_request(), headers=mock.headers, timeout=10)
        [listed] = mock.journal()
        assert mock.journal_entry(listed["id"]) == listed
        with pytest.raises(requests.HTTPError, match="404 from GET /__admin/requests/99: No journal entry with id 99"):
            mock.journal_entry(99)
        with pytest.raises(TypeError, match="journal_entry\\(\\) takes an entry's id"):
            mock.journal_entry("../reset")


def test_running_mock_deletes_one_entry_leaving_the_rest_and_raises_on_a_404():
    """The admin API could delete one entry; RunningMock could read one but not delete it."""
    with running_mock() as mock:
        for path in ("/first", "/second", "/third"):
            requests.get(f"{mock.url}{path}", timeout=10)
        assert mock.delete_journal_entry(2) is None
        assert [entry["path"] for entry in mock.journal()] == ["/third", "/first"]
        with pytest.raises(requests.HTTPError, match="404 from DELETE /__admin/requests/2: No journal entry with id 2:"
                                                     " it was deleted"):
            mock.delete_journal_entry(2)
        with pytest.raises(TypeError, match="delete_journal_entry\\(\\) takes an entry's id"):
            mock.delete_journal_entry("2")
