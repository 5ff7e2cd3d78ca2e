"""A fault rule sent back as the mock answered it (mockserver.rule_sent_back): read, a field edited and PUT back, as
WireMock's users do with a stub mapping, or copied from one mock's listing into another's POST. Its `id`,
`remaining` and `applied` were refused 400 as fields a rule does not take."""

from __future__ import annotations

import pytest
import requests

from mockserver.testing import running_mock


def added(client, **rule):
    response = client.post("/__admin/faults", json=rule)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def refusal(response) -> tuple[int, str, str]:
    [error] = response.get_json()["errors"]
    return response.status_code, error["field"], error["msg"]


def test_a_rule_read_edited_and_put_back_keeps_what_it_had_left(client, url):
    rule = added(client, fault="status=503", count=3)
    assert [client.post(url, json={}).status_code for _ in range(2)] == [503, 503]
    read = client.get(f"/__admin/faults/{rule['id']}").get_json()
    answer = client.put(f"/__admin/faults/{rule['id']}", json={**read, "probability": 0.5})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {**read, "probability": 0.5}  # 1 left, not no limit; 2 applied; no warnings
    assert client.get("/__admin/faults").get_json()["rules"] == [answer.get_json()]


def test_a_listed_rule_put_back_as_it_is_changes_nothing(client):
    added(client, fault="latency=10", path="/nowhere")
    [listed] = client.get("/__admin/faults").get_json()["rules"]
    answer = client.put(f"/__admin/faults/{listed['id']}", json=listed)
    assert (answer.status_code, answer.get_json()) == (200, listed)


def test_a_spent_rule_sent_back_stays_spent_and_count_gives_it_requests_anew(client, url):
    rule = added(client, fault="status=503", count=1)
    assert client.post(url, json={}).status_code == 503
    read = client.get(f"/__admin/faults/{rule['id']}").get_json()
    assert client.put(f"/__admin/faults/{rule['id']}", json=read).get_json()["remaining"] == 0
    again = {name: value for name, value in read.items() if name != "remaining"} | {"count": 2}
    assert client.put(f"/__admin/faults/{rule['id']}", json=again).get_json()["remaining"] == 2


def test_count_beside_remaining_is_refused_as_it_cannot_be_told_which_was_meant(client):
    rule = added(client, fault="status=503", count=3)
    answer = client.put(f"/__admin/faults/{rule['id']}", json={**rule, "count": 5})
    assert refusal(answer) == (400, "remaining", (
        "remaining not understood: is a rule's count from now on, as a listing shows it, so it goes in"
        " place of count, not beside it (got count 5 and remaining 3; send one of them: count for that many"
        " requests anew, remaining to keep what is left)"))
    assert client.get(f"/__admin/faults/{rule['id']}").get_json() == rule


def test_a_rule_with_no_limit_read_and_given_a_count_takes_it(client, url):
    rule = added(client, fault="status=503")  # read back with `remaining` null: no limit, as if left out
    read = client.get(f"/__admin/faults/{rule['id']}").get_json()
    answer = client.put(f"/__admin/faults/{rule['id']}", json={**read, "count": 1})
    assert (answer.status_code, answer.get_json()["remaining"]) == (200, 1)
    assert [client.post(url, json={}).status_code for _ in range(2)][0] == 503
    assert client.get(f"/__admin/faults/{rule['id']}").get_json()["remaining"] == 0
    assert client.post("/__admin/faults", json={**read, "id": None, "count": 2}).get_json()["remaining"] == 2
    # null beside a remaining is not "as if left out" there: no limit or what was left cannot be told
    assert refusal(client.put(f"/__admin/faults/{rule['id']}", json={**read, "remaining": 3, "count": None}))[:2] == (
        400, "remaining")


def test_another_rule_s_id_in_a_put_is_refused_naming_both(client):
    first, second = added(client, fault="status=503", path="/a"), added(client, fault="status=500", path="/b")
    answer = client.put(f"/__admin/faults/{first['id']}", json={**second, "probability": 0.5})
    assert refusal(answer) == (400, "id", (
        f"id not understood: must be the path's, {first['id']}: a PUT keeps a rule's id (got"
        f" {second['id']}; rule {second['id']} is replaced by PUT /__admin/faults/{second['id']}: send {first['id']},"
        f" or no id)"))
    assert client.get("/__admin/faults").get_json()["rules"] == [first, second]


def test_a_rule_read_before_it_met_more_requests_is_refused_rather_than_given_back_its_old_remaining(client, url):
    rule = added(client, fault="status=503", count=3)
    read = client.get(f"/__admin/faults/{rule['id']}").get_json()
    assert client.post(url, json={}).status_code == 503  # meanwhile: 2 left, not the 3 read
    answer = client.put(f"/__admin/faults/{rule['id']}", json={**read, "probability": 0.5})
    assert refusal(answer) == (400, "remaining", (
        f"remaining not understood: is no longer what the rule has left: it has met 1 more request since"
        f" it was read (applied 1, not 0), and 2 is left (got 3; read the rule again (GET /__admin/faults/"
        f"{rule['id']}) and send what it has left, or send count for that many requests anew)"))
    assert client.get(f"/__admin/faults/{rule['id']}").get_json()["probability"] == 1.0


def test_an_applied_a_put_cannot_set_is_kept_and_said(client, url):
    rule = added(client, fault="latency=1")  # no limit: what is left does not hang on what was applied
    assert client.post(url, json={}).status_code == 401
    answer = client.put(f"/__admin/faults/{rule['id']}", json={**rule, "fault": "latency=2"}).get_json()
    assert answer["applied"] == 1 and answer["warnings"] == [
        "applied is counted by the mock, and a PUT keeps the rule's: 1, not the 0 sent (DELETE the rule and POST it"
        " again to count from 0)"]


def test_a_rule_copied_from_another_mock_is_added_with_an_id_of_its_own_said(client, make_app, tmp_path):
    other = make_app({"DATABASE": str(tmp_path / "other.sqlite3")}).test_client()
    for _ in range(4):  # the other mock has given more ids
        copied = added(other, fault="status=503", path="/campaign/*", count=3)
    copied |= {"remaining": 1, "applied": 2}  # as its listing shows it once it met 2 requests
    answer = client.post("/__admin/faults", json=copied)
    assert answer.status_code == 201, answer.get_json()
    rule = answer.get_json()
    assert rule["id"] != copied["id"] and (rule["remaining"], rule["applied"]) == (1, 0)
    assert rule["warnings"] == [f"this rule's id is {rule['id']}, not the {copied['id']} sent: ids are given by the"
                                f" mock, never twice (DELETE /__admin/faults/{rule['id']} removes it)"]


def test_a_post_with_the_id_of_a_rule_the_mock_has_is_refused_pointing_to_put(client):
    rule = added(client, fault="status=503")
    answer = client.post("/__admin/faults", json={**rule, "probability": 0.5})
    assert refusal(answer) == (400, "id", (
        f"id not understood: is the id of a rule this mock has, and a POST adds a rule, with an id of its"
        f" own (got {rule['id']}; a rule is changed by a PUT: send PUT /__admin/faults/{rule['id']}, or no id to add"
        f" this one beside it)"))
    assert client.get("/__admin/faults").get_json()["rules"] == [rule]


@pytest.mark.parametrize(("field", "value"), [("id", "3"), ("id", -1), ("remaining", 1.5), ("applied", True),
                                              ("warnings", "none")])
def test_a_read_field_of_another_type_is_refused_naming_it(client, field, value):
    answer = client.post("/__admin/faults", json={"fault": "drop", field: value})
    status, named, _ = refusal(answer)
    assert (status, named) == (400, field)


def test_running_mock_sends_back_a_rule_it_read_and_copies_one_from_another_mock():
    with running_mock() as mock, running_mock() as other:
        rule = mock.add_fault("status=503", path="/nowhere", count=3)
        requests.post(f"{mock.url}/nowhere", timeout=10)
        read = mock.fault_rule(rule["id"])
        assert mock.replace_fault(read, probability=0.5) == {**read, "probability": 0.5}
        assert mock.replace_fault(read | {"probability": 0.25})["remaining"] == 2
        assert mock.replace_fault(read, count=5)["remaining"] == 5  # a count given anew, for what was left
        other.add_fault("drop", path="/elsewhere")
        copy = other.add_fault(mock.fault_rule(rule["id"]))  # no warning of its id: the answer has its own
        assert copy["id"] != rule["id"] and copy["path"] == "/nowhere"
        assert (copy["remaining"], copy["applied"], copy["probability"]) == (5, 0, 1.0)



def test_a_remaining_edited_on_a_rule_read_before_it_met_more_requests_is_what_was_meant(client, url):
    rule = added(client, fault="status=503", count=3)
    read = client.get(f"/__admin/faults/{rule['id']}").get_json()
    assert client.post(url, json={}).status_code == 503
    answer = client.put(f"/__admin/faults/{rule['id']}", json={**read, "remaining": 5})
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["remaining"], answer.get_json()["applied"]) == (5, 1)
