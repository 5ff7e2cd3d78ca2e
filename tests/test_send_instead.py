"""The "send this instead" words for names that differ from the tenant's only in the case of characters that are no
letters: Roman numerals and circled letters have an upper and a lower case, yet str.isalpha() is False for them."""

from __future__ import annotations

import json

import pytest

from mockserver.auth import mint_token
from mockserver.paths import DEFAULT_TENANT
from mockserver.send_instead import send_instead, spelled_otherwise

SECRET = "mock-secret-" + "a" * 32


@pytest.fixture
def numeral_client(make_app, tmp_path):
    data = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    account = data["accounts"][0]
    account["queues"][0]["name"] = "Queue Ⅱ"
    account["apps"].append({"name": "circled", "clientId": "cs-Ⓐ1", "clientSecret": SECRET})
    tenant = tmp_path / "tenant.json"
    tenant.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return make_app({"TENANT": str(tenant), "DATABASE": ":memory:"}).test_client()


@pytest.mark.parametrize(("sent", "meant", "why"), [
    ("Queue ⅱ", "Queue Ⅱ", ["names are case-sensitive"]),
    ("ⓐ-1 ", "Ⓐ-1", ["it has white space at its end", "names are case-sensitive"]),
    ("queue Ⅱ", "Queue Ⅱ", ["names are case-sensitive"]),
])
def test_a_case_that_differs_in_no_letter_is_named(sent, meant, why):
    assert spelled_otherwise(sent, meant, "names") == why


def test_a_queue_name_whose_numeral_is_in_another_case_is_told_the_one_meant(numeral_client, url, headers,
                                                                              sample_body):
    sample_body["queue_name"] = "Queue ⅱ"
    response = numeral_client.post(url, json=sample_body, headers=headers)
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["msg"] == ("queue_name queue 'Queue ⅱ' does not exist in this account (names are case-sensitive:"
                            " send 'Queue Ⅱ')")


def test_a_client_id_whose_circled_letter_is_in_another_case_is_told_the_one_meant(numeral_client, url, headers,
                                                                                    sample_body):
    response = numeral_client.post(url, json=sample_body, headers={**headers, "auth": mint_token("cs-ⓐ1", SECRET)})
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["hint"] == ("appId 'cs-ⓐ1' is no app's client id in this tenant (client ids"
                                                        " are case-sensitive: send 'cs-Ⓐ1')")


def test_no_reason_gives_the_value_alone():
    assert send_instead([], "'MO'") == "send 'MO'"
