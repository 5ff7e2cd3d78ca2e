"""One fault rule by its id (GET /__admin/faults/<id>, RunningMock.fault_rule): the rule as the listing shows it, as
WireMock's GET /__admin/mappings/{id} answers a stub and GET /__admin/requests/<id> a journal entry; it was answered
405 "send DELETE or PUT"."""

from __future__ import annotations

import pytest
import requests

from mockserver.testing import running_mock


def test_one_rule_is_answered_as_the_listing_shows_it(client, post, sample_body, headers):
    first = client.post("/__admin/faults", json={"fault": "status=503", "count": 2}).get_json()
    second = client.post("/__admin/faults", json={"fault": "latency=1", "path": "/nowhere"}).get_json()
    post(sample_body, headers=headers)  # the first rule applies once: its remaining and applied change
    listed = client.get("/__admin/faults").get_json()["rules"]
    for rule in (first, second):
        response = client.get(f"/__admin/faults/{rule['id']}")
        assert (response.status_code, response.mimetype) == (200, "application/json")
        assert response.get_json() == next(each for each in listed if each["id"] == rule["id"])
    assert client.get(f"/__admin/faults/{first['id']}").get_json()["applied"] == 1


def test_an_id_no_rule_has_is_404_saying_why(client):
    rule = client.post("/__admin/faults", json={"fault": "drop"}).get_json()
    client.delete(f"/__admin/faults/{rule['id']}")
    for rule_id in (rule["id"], 999):
        response = client.get(f"/__admin/faults/{rule_id}")
        assert response.status_code == 404
        assert response.get_json() == {"errors": [{
            "msg": f"No fault rule with id {rule_id}: it was removed (by a DELETE or a reset) or never given"
                   " (GET /__admin/faults lists the rules)", "code": 4004}]}


@pytest.mark.parametrize("raw", ["x", "-1", "1.0", "9223372036854775808"])
def test_an_id_that_is_not_a_rule_s_is_refused_as_put_and_delete_refuse_it(client, raw):
    response = client.get(f"/__admin/faults/{raw}")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "ruleId" and error["msg"].startswith("ruleId in the path must be a fault rule's id")


def test_head_answers_as_get_without_a_body(client):
    rule = client.post("/__admin/faults", json={"fault": "drop"}).get_json()
    response = client.head(f"/__admin/faults/{rule['id']}")
    assert response.status_code == 200 and response.get_data() == b""


def test_running_mock_reads_one_rule_and_raises_on_a_404():
    with running_mock() as mock:
        rule = mock.add_fault("status=503", path="/nowhere")
        assert mock.fault_rule(rule["id"]) == mock.fault_rules()[0] == rule
        mock.delete_fault(rule["id"])
        with pytest.raises(requests.HTTPError, match=f"404 from GET /__admin/faults/{rule['id']}: No fault rule"):
            mock.fault_rule(rule["id"])
        with pytest.raises(TypeError, match="fault_rule\\(\\) takes a rule's id"):
            mock.fault_rule("../reset")
