"""Targets and tenant facts: where the suite's credentials and resource names come from, and tokens."""

from __future__ import annotations

import base64
import copy
import hmac
import json

import jwt
import pytest

from contract_tests import tokens
from contract_tests.cases import MissingFact
from contract_tests.target import redact_url, tenant_facts
from mockserver.paths import DEFAULT_TENANT
from mockserver.tenant import parse_tenant


def test_facts_come_from_the_tenants_first_account(tenant):
    facts = tenant_facts(tenant, {})
    account = tenant.default_account
    assert facts.value("tenant.accountId") == account.account_id
    assert facts.value("tenant.secondStream") == account.streams[1]
    assert facts.value("tenant.unverifiedCallerId") == "+14155550199"
    assert facts.value("tenant.callerId") != "+14155550199"
    assert facts.value("other.accountId") == tenant.accounts[1].account_id


def test_environment_variables_override_credentials(tenant):
    env = {"KORE_CLIENT_ID": "cs-from-env", "KORE_CLIENT_SECRET": "s" * 40, "KORE_STREAM_ID": "st-env"}
    facts = tenant_facts(tenant, env)
    assert (facts.main.client_id, facts.main.client_secret) == ("cs-from-env", "s" * 40)
    assert facts.value("tenant.streamId") == "st-env"
    assert facts.value("tenant.contactList") in tenant.default_account.contact_lists


def test_an_account_the_tenant_file_does_not_describe_has_no_resource_names(tenant):
    facts = tenant_facts(tenant, {"KORE_ACCOUNT_ID": "acc-live"})
    assert facts.value("tenant.accountId") == "acc-live"
    with pytest.raises(MissingFact, match="fixtures/tenant.json names no contact list for the account under test"):
        facts.value("tenant.contactList")


def test_a_value_of_a_given_length_is_looked_up_and_its_absence_explained(tenant):
    facts = tenant_facts(tenant, {})
    assert facts.value("tenant.contactList", length=len("Renewals Q1")) == "Renewals Q1"
    with pytest.raises(MissingFact, match="has no queue of exactly 48 characters"):
        facts.value("tenant.queue", length=48)


def test_a_second_account_s_names_that_the_account_under_test_has_too_are_not_its_own():
    """A tenant of an account per tester, each copied from the default one: `contact-list-of-other-account` sent a
    list the account under test has too, and failed, its 200 right; now it takes one the account lacks, or skips."""
    raw = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    tester = {**copy.deepcopy(raw["accounts"][0]), "accountId": "qa-tester-3", "streams": ["st-tester-3"],
              "apps": [{"clientId": "cs-tester-3", "clientSecret": "s"}]}
    tester["contactLists"].pop(1)
    facts = tenant_facts(parse_tenant({"accounts": [*raw["accounts"], tester]}), {"KORE_ACCOUNT_ID": "qa-tester-3"})
    assert facts.value("other.accountId") == raw["accounts"][0]["accountId"]
    assert facts.value("other.contactList") == "Renewals Q1"  # the one list the tester's copy lacks
    with pytest.raises(MissingFact, match="<memory> names no queue for a second account that the account under test"
                                          " lacks [(]each of 65f1c0ffee0ddba11a5e0001's is qa-tester-3's too[)]"):
        facts.value("other.queue")


def test_a_second_account_s_caller_ids_are_none_the_account_under_test_has_verified_or_not():
    """A tester's copy that verified the numbers the default account has unverified, and the other way round:
    `other.callerId` was a number the account under test holds unverified, answered "unverified", not "unknown"."""
    raw = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    tester = {**copy.deepcopy(raw["accounts"][0]), "accountId": "qa-tester-3", "streams": ["st-tester-3"],
              "apps": [{"clientId": "cs-tester-3", "clientSecret": "s"}]}
    tester["callerIds"] = [{**number, "verified": not number["verified"]} for number in tester["callerIds"]]
    facts = tenant_facts(parse_tenant({"accounts": [*raw["accounts"], tester]}), {"KORE_ACCOUNT_ID": "qa-tester-3"})
    for fact in ("other.callerId", "other.unverifiedCallerId"):
        with pytest.raises(MissingFact, match="that the account under test lacks"):
            facts.value(fact)


def test_secrets_stay_out_of_reprs(tenant):
    assert tenant.default_account.apps[0].client_secret not in repr(tenant_facts(tenant, {}))


def test_urls_lose_their_credentials():
    assert redact_url("https://user:pw@kore.example/x") == "https://***@kore.example/x"
    assert redact_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


def test_the_standard_token_is_the_vendors_hs256_with_sub_and_appid():
    token = tokens.token("cs-1", "k" * 40)
    claims = jwt.decode(token, "k" * 40, algorithms=["HS256"])
    assert claims["appId"] == "cs-1" and claims["sub"] and claims["exp"] > claims["iat"]


def test_token_recipes():
    assert jwt.get_unverified_header(tokens.token("cs-1", "k" * 40, {"alg": "none"}))["alg"] == "none"
    assert tokens.token("cs-1", "k" * 40, {"alg": "none"}).endswith(".")
    assert "exp" not in jwt.decode(tokens.token("cs-1", "k" * 40, {"ttl": None}), "k" * 40, algorithms=["HS256"])
    unsigned = jwt.decode(tokens.token("cs-1", "k" * 40, {"claims": {"appId": None, "x": 1}}),
                          options={"verify_signature": False})
    assert "appId" not in unsigned and unsigned["x"] == 1
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tokens.token("cs-1", "k" * 40, {"secret": "w" * 40}), "k" * 40, algorithms=["HS256"])


def _parts(token: str) -> tuple[str, str, str]:
    header, payload, signature = token.split(".")
    return (base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)).decode(),
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode(), signature)


def test_a_recipe_s_header_adds_and_removes_parameters_and_the_token_still_verifies():
    token = tokens.token("cs-1", "k" * 40, {"header": {"kid": "key-1", "crit": ["x"], "typ": None}})
    assert json.loads(_parts(token)[0]) == {"alg": "HS256", "kid": "key-1", "crit": ["x"]}
    head, _, signature = token.rpartition(".")
    assert signature == tokens._b64(hmac.new(b"k" * 40, head.encode(), "sha256").digest())


def test_a_recipe_s_repeat_writes_a_claim_twice_with_its_value():
    payload = _parts(tokens.token("cs-1", "k" * 40, {"repeat": ["appId", "sub"]}))[1]
    assert payload.count('"appId":"cs-1"') == 2 and payload.count('"sub":"contract-suite"') == 2
    assert payload.endswith('"appId":"cs-1","sub":"contract-suite"}')
    assert json.loads(payload)["appId"] == "cs-1"  # a parser that takes the last of a repeat reads the same claims


def test_a_padded_recipe_keeps_the_signature_s_padding_and_only_there():
    padded = tokens.token("cs-1", "k" * 40, {"padded": True})
    assert len(_parts(padded)[2]) == 44 and padded.endswith("=")  # 32 bytes of HS256 need one '=' in base64
    assert "=" not in padded[:-1]
    assert jwt.decode(padded[:-1], "k" * 40, algorithms=["HS256"])["appId"] == "cs-1"
