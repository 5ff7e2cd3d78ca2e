"""Step 6: what JSON Schema cannot say."""

from __future__ import annotations

import pytest

from mockserver.contract import load_contract
from mockserver.errors import ConfigError
from mockserver.semantics import REFERENCES, check_reference_table, pattern_key, reference_fields


def test_start_must_be_before_end(post, sample_body):
    sample_body["dialingStrategy"]["callingHours"]["days"][2].update(start="6:00 PM", end="9:00 AM")
    response = post(sample_body)
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "dialingStrategy.callingHours.days[2]"
    assert "start (6:00 PM) must be before end (9:00 AM)" in error["msg"]


def test_equal_start_and_end_is_refused(post, sample_body):
    sample_body["dialingStrategy"]["callingHours"]["days"][0].update(start="9:00 AM", end="9:00 AM")
    assert post(sample_body).status_code == 400


def test_noon_and_midnight_order(post, sample_body):
    sample_body["dialingStrategy"]["callingHours"]["days"][0].update(start="12:00 AM", end="12:30 PM")
    assert post(sample_body).status_code == 200


def test_every_unknown_reference_is_named_with_the_other_problems_in_field_order(post, sample_body, error_fields):
    sample_body["contactLists"] = ["CL Only 2020 Dec 4", "No Such List"]
    sample_body["dncLists"]["name"] = "No Such DNC"
    sample_body["dialingStrategy"]["callerId"]["phoneNumber"] = "+10000000000"
    sample_body["queue_name"] = "No Such Queue"
    sample_body["campaignType"] = "sms"
    sample_body["dialingStrategy"]["callingHours"]["days"][0]["start"] = "11:00 PM"
    response = post(sample_body)
    assert response.status_code == 400
    assert error_fields(response) == [  # by field, as the schema's violations are
        "campaignType", "contactLists[1]", "dialingStrategy.callerId.phoneNumber",
        "dialingStrategy.callingHours.days[0]", "dncLists.name", "queue_name",
    ]
    assert [e["code"] for e in response.get_json()["errors"]] == [4000, 4001, 4001, 4000, 4001, 4001]
    assert "contact list 'No Such List' does not exist" in response.get_json()["errors"][1]["msg"]


def test_unverified_caller_id(post, sample_body):
    sample_body["dialingStrategy"]["callerId"]["phoneNumber"] = "+14155550199"
    response = post(sample_body)
    assert response.status_code == 400
    assert "is not a verified caller ID" in response.get_json()["errors"][0]["msg"]


@pytest.mark.parametrize(("field", "value", "msg"), [
    ("queue_name", "default queue", "queue_name queue 'default queue' does not exist in this account (names are"
                                    " case-sensitive: send 'Default Queue')"),
    ("contactLists", ["CL Only 2020 Dec 4 "], "contactLists[0] contact list 'CL Only 2020 Dec 4 ' does not exist in"
                                              " this account (it has white space at its end: send 'CL Only 2020 Dec"
                                              " 4')"),
    ("contactLists", [" cl  only 2020 dec 4"], "contactLists[0] contact list ' cl  only 2020 dec 4' does not exist"
                                               " in this account (it has white space at its start, the spaces inside"
                                               " it differ and names are case-sensitive: send 'CL Only 2020 Dec 4')"),
    ("queue_name", "Nope", "queue_name queue 'Nope' does not exist in this account"),
])
def test_a_name_spelled_otherwise_names_the_one_the_account_has(post, sample_body, field, value, msg):
    """"does not exist in this account" read as if the queue were missing, when only its case differed."""
    sample_body[field] = value
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == msg
    if ": send " in msg:
        meant = msg.rsplit(": send ", 1)[1][1:-2]
        sample_body[field] = [meant] if isinstance(value, list) else meant
        assert post(sample_body).status_code == 200


def test_the_name_meant_is_looked_for_once_per_list_not_once_per_unknown_name(post, sample_body, monkeypatch,
                                                                              account):
    """Each unknown name compared itself with every name of the account's list: on a sandbox of 2,000 contact lists,
    a 60 KB body of 15,000 one-letter names held a worker 5 s. The account's names are spelled alike once."""
    from mockserver import semantics

    calls = []
    spelled = semantics.spelled_alike
    monkeypatch.setattr(semantics, "spelled_alike", lambda name: calls.append(name) or spelled(name))
    sample_body["contactLists"] = [f"nope {n}" for n in range(100)]
    assert post(sample_body).status_code == 400
    assert len(calls) <= 100 + len(account.contact_lists), len(calls)


def test_resources_of_another_account_do_not_exist_here(post, sample_body):
    sample_body["contactLists"] = ["Globex Leads"]
    assert post(sample_body).status_code == 400


def test_other_dialing_modes_get_a_clear_answer(post, sample_body):
    for mode in ("Agentless", "Preview"):
        sample_body["dialingMode"] = mode
        response = post(sample_body)
        assert response.status_code == 422
        assert "covers Progressive mode" in response.get_json()["errors"][0]["msg"]


def test_other_valid_values_are_accepted(post, sample_body):
    sample_body.update(contactLists=["Renewals Q1", "Win-back 2025"], queue_name="Renewals Team", priority="1")
    sample_body["dncLists"]["name"] = "Global DNC"
    sample_body["dialingStrategy"]["callerId"]["phoneNumber"] = "+14155550123"
    sample_body["dialingStrategy"]["callingHours"].update(timezone="America/New_York", frequency="DAILY")
    response = post(sample_body)
    assert response.status_code == 200, response.get_json()


def test_minutes_reads_the_twelve_hour_clock():
    from datetime import datetime

    from mockserver.semantics import minutes

    for clock in ("12:00 AM", "12:59 AM", "1:05 AM", "09:30 AM", "11:59 AM", "12:00 PM", "12:01 PM", "6:00 PM",
                  "11:59 PM"):
        parsed = datetime.strptime(clock, "%I:%M %p")
        assert minutes(clock) == parsed.hour * 60 + parsed.minute, clock


def test_body_campaign_type_must_be_voice_on_this_endpoint(post, sample_body):
    sample_body["campaignType"] = "sms"
    response = post(sample_body)
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "campaignType"
    assert "must match the campaignType query parameter" in error["msg"]


def test_a_name_with_quotes_in_it_is_quoted_back_whole(post, sample_body):
    """Quoted as '{value}', "a' or 'b" read as two lists."""
    sample_body["contactLists"] = ["a' or 'b"]
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == """contactLists[0] contact list "a' or 'b" does not exist in this account"""


def test_a_reference_to_no_known_collection_is_refused_at_start():
    """x-reference on a field REFERENCES does not map (an override marking another field) is named, rather than
    the field going unchecked."""
    schema = {"properties": {"name": {"type": "string"}, "queue_name": {"type": "string", "x-reference": "exists"},
                             "description": {"type": "string", "x-reference": "exists"}}}
    with pytest.raises(ConfigError, match=r"no tenant collection in REFERENCES: \['description'\]"):
        check_reference_table(schema)
    [reference] = check_reference_table({"properties": {"queue_name": schema["properties"]["queue_name"]}})
    assert (reference.collection, reference.kind) == ("queues", "exists")


def test_a_renamed_reference_field_names_where_to_map_it():
    """After the page renamed queue_name to queueName (and the override followed), the mock refused to start saying
    only "no tenant collection in REFERENCES: ['queueName']": not where REFERENCES is, nor that queue_name was it."""
    schema = {"properties": {"queueName": {"type": "string", "x-reference": "exists"}}}
    with pytest.raises(ConfigError) as refused:
        check_reference_table(schema)
    assert str(refused.value) == (
        "x-reference on fields with no tenant collection in REFERENCES: ['queueName']: add each to REFERENCES in"
        " mockserver/semantics.py; it maps ['contactLists[]', 'dialingStrategy.callerId.phoneNumber',"
        " 'dncLists.name', 'queue_name'], which no field marks now: renamed?")


def test_every_field_references_maps_is_marked_in_the_generated_request_schema():
    """A field the page renamed (queue_name to queueName) whose override was deleted rather than renamed left its
    entry in REFERENCES, and the mock started with no existence check on the new field, without a word."""
    schema = load_contract().request
    marked = {pattern_key(pattern) for pattern, _ in reference_fields(schema)}
    assert sorted(set(REFERENCES) - marked) == [], "REFERENCES maps fields the generated request schema no longer marks"
