"""The numbers a fault reads, in the X-Mock-Fault header or through /__admin/faults (a status, a latency, a count, a
rule's id): ASCII digits within what the store holds; anything else is refused in a 400 that changes no rule."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("spec", ["status=\u00b2\u00b2\u00b2", "status=\u00b2", "latency=\u0661\u0660\u0660"])
def test_unicode_digits_in_a_fault_are_refused(client, post, sample_body, headers, spec):
    response = post(sample_body, headers=headers | {"X-Mock-Fault": spec.encode("utf-8").decode("latin-1")})
    assert response.status_code == 400
    rule = client.post("/__admin/faults", json={"fault": spec})
    assert rule.status_code == 400


def test_a_fault_rule_count_beyond_sqlite_is_refused(client):
    response = client.post("/__admin/faults", json={"fault": "status=500", "count": 10**30})
    assert response.status_code == 400
    assert client.get("/__admin/faults").get_json() in ({"rules": []}, [])


@pytest.mark.parametrize("raw", ["9223372036854775808", "9" * 30, "0" * 30 + "9223372036854775808", "9" * 5000])
def test_a_rule_id_beyond_the_document_s_maximum_is_refused_as_a_journal_entry_s_is(client, raw):
    """An id above 2**63-1 was answered 200 `{"deleted": 0}` (and 404 by PUT), where a journal entry's is 400
    `admin.id` above the same maximum, which the admin document now declares for both."""
    client.post("/__admin/faults", json={"fault": "status=503", "path": "/nowhere"})
    answers = client.delete(f"/__admin/faults/{raw}"), client.put(f"/__admin/faults/{raw}", json={"fault": "drop"})
    for response in answers:
        assert response.status_code == 400, response.get_json()
        [error] = response.get_json()["errors"]
        assert error["field"] == "ruleId"
        assert error["msg"].startswith("ruleId in the path must be a fault rule's id, a whole number from 0 to"
                                       " 2**63-1 (got '"), error["msg"]
    assert [rule["fault"] for rule in client.get("/__admin/faults").get_json()["rules"]] == ["status=503"]


def test_the_largest_rule_id_is_one_no_rule_has(client):
    response = client.delete("/__admin/faults/9223372036854775807")
    assert (response.status_code, response.get_json()) == (200, {"deleted": 0})


@pytest.mark.parametrize("raw", ["\u0663", "-1", "x", "1.0"])
def test_a_rule_id_that_is_not_a_whole_number_is_refused_naming_it_and_deletes_nothing(client, raw):
    """`\u0663` (an Arabic-Indic 3) deleted rule 3, where every other number the admin API reads is ASCII digits;
    `x` was answered "No such endpoint: DELETE /__admin/faults/x", an endpoint there is."""
    for _ in range(3):
        client.post("/__admin/faults", json={"fault": "status=503", "path": "/nowhere"})
    response = client.delete(f"/__admin/faults/{raw}")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "ruleId" and error["msg"].startswith("ruleId in the path must be a fault rule's id")
    assert len(client.get("/__admin/faults").get_json()["rules"]) == 3
