"""The vendor's sample request succeeds and the answer has the sample response's shape."""

from __future__ import annotations

import copy
import re

from jsonschema import Draft202012Validator

from mockserver.responses import Facts, campaign_shape


def key_shape(value):
    """The nested key structure of a JSON value (list items by their first element)."""
    if isinstance(value, dict):
        return {k: key_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [key_shape(value[0])] if value else []
    return None


def test_sample_request_verbatim_succeeds(post, contract):
    response = post(contract.sample_request)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    Draft202012Validator(contract.response).validate(body)
    assert key_shape(body) == key_shape(contract.sample_response)


def test_keys_come_in_the_sample_order(post, contract):
    def order(value):
        if isinstance(value, dict):
            return [(k, order(v)) for k, v in value.items()]
        return [order(value[0])] if isinstance(value, list) and value else None

    assert order(post(contract.sample_request).get_json()) == order(contract.sample_response)


def test_success_fields_follow_the_vendor(post, sample_body, account):
    sample_body["name"] = "Spring Renewal MiXed"
    data = post(sample_body).get_json()["data"]
    assert data["lname"] == "spring renewal mixed"
    assert data["dncLists"] == {"id": account.dnc_lists["DNC CL Dec 4"], "name": "DNC CL Dec 4"}
    assert re.fullmatch(r"cd-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", data["id"])
    assert data["createdAt"] == data["updatedAt"] == "2025-12-04T10:50:56.762Z"
    assert (data["status"], data["isFiltersEnabled"]) == ("Preparing", False)
    assert data["dialingStrategy"]["useSystemMappings"] is False


def test_message_names_the_campaign(post, sample_body):
    sample_body["name"] = "Winter Push"
    assert post(sample_body).get_json()["message"] == "Campaign Winter Push creation in progress"


def test_dropped_and_unknown_fields_are_not_echoed(post, sample_body):
    sample_body["surprise"] = {"x": 1}
    data = post(sample_body).get_json()["data"]
    for dropped in ("schedule", "queue_name", "campaignType", "surprise"):
        assert dropped not in data


def test_unseeded_clock_is_now_in_utc_millis(tmp_path, sample_body, headers, url, make_app):
    client = make_app({"DATABASE": str(tmp_path / "db.sqlite3")}).test_client()
    data = client.post(url, json=sample_body, headers=headers).get_json()["data"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["createdAt"])


def test_seed_repeats_ids_across_runs(tmp_path, sample_body, headers, url, make_app):
    def ids(db: str) -> list[str]:
        client = make_app({"DATABASE": str(tmp_path / db), "SEED": 42}).test_client()
        out = []
        for n in range(3):
            sample_body["name"] = f"Seeded {n}"
            out.append(client.post(url, json=sample_body, headers=headers).get_json()["data"]["id"])
        return out

    first, second = ids("a.sqlite3"), ids("b.sqlite3")
    assert first == second
    assert len(set(first)) == 3


def test_unseeded_ids_differ(tmp_path, sample_body, headers, url, make_app):
    client = make_app({"DATABASE": str(tmp_path / "db.sqlite3")}).test_client()
    seen = set()
    for n in range(5):
        sample_body["name"] = f"Campaign {n}"
        seen.add(client.post(url, json=sample_body, headers=headers).get_json()["data"]["id"])
    assert len(seen) == 5


def test_shaping_the_vendor_sample_request_gives_the_vendor_sample_response(contract, account):
    """Given the sample's id and time, the compiled shape reproduces the vendor's sample `data` exactly."""
    sample = contract.sample_response["data"]
    facts = Facts(body=contract.sample_request, account=account, campaign_id=sample["id"], now=sample["createdAt"])
    assert campaign_shape(contract.sample_response, contract.request)(contract.sample_request, facts) == sample


def test_a_response_field_no_request_gives_is_answered_with_the_sample_s_value(contract, account):
    """A field the page added to its response alone (data.ownerEmail) was left out of every answer, which then
    failed the generated response schema: 113 contract cases failed against the mock."""
    response = copy.deepcopy(contract.sample_response)
    response["data"]["ownerEmail"] = "owner@example.com"
    response["data"]["dialingStrategy"]["retry"] = {"attempts": 2}
    sample = response["data"]
    facts = Facts(body=contract.sample_request, account=account, campaign_id=sample["id"], now=sample["createdAt"])
    shape = campaign_shape(response, contract.request)
    answered = shape(contract.sample_request, facts)
    assert answered == sample
    answered["dialingStrategy"]["retry"]["attempts"] = 9  # each answer has its own copy
    assert shape(contract.sample_request, facts)["dialingStrategy"]["retry"] == {"attempts": 2}
