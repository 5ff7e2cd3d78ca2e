"""Tenant files: every problem named by its path in one line, so a misspelt or repeated entry is found at start-up
rather than as a puzzling refusal later."""

from __future__ import annotations

import copy
import json

import pytest

from mockserver.errors import ConfigError
from mockserver.paths import DEFAULT_TENANT
from mockserver.tenant import load_tenant, parse_tenant

BASE = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
CLIENT_ID = BASE["accounts"][0]["apps"][0]["clientId"]


def changed(change) -> dict:
    raw = copy.deepcopy(BASE)
    change(raw)
    return raw


def rename(row: dict, old: str, new: str) -> None:
    row[new] = row.pop(old)


CASES = {
    "not an object": ([], "must be an object (got an array)"),
    "no accounts": (changed(lambda t: t.update(accounts=[])), "accounts must have at least 1 item (got 0)"),
    "misspelt collection": (
        changed(lambda t: rename(t["accounts"][0], "contactLists", "contactList")),
        "accounts[0] has unknown key 'contactList' (known: accountId, name, streams, apps, contactLists,"),
    "unknown top-level key": (changed(lambda t: t.update(acounts=[])), "has unknown key 'acounts'"),
    "secret not a string": (changed(lambda t: t["accounts"][0]["apps"][0].update(clientSecret=5)),
                            "accounts[0].apps[0].clientSecret must be a string (got 5)"),
    "empty secret": (changed(lambda t: t["accounts"][0]["apps"][0].update(clientSecret="")),
                     "accounts[0].apps[0].clientSecret must be at least 1 character (got 0)"),
    "verified not a boolean": (changed(lambda t: t["accounts"][0]["callerIds"][0].update(verified="false")),
                               "accounts[0].callerIds[0].verified must be true or false (got 'false')"),
    "collection not a list": (changed(lambda t: t["accounts"][0].update(queues={"a": 1})),
                              "accounts[0].queues must be an array (got an object)"),
    "missing id": (changed(lambda t: t["accounts"][0]["dncLists"][0].pop("id")),
                   "accounts[0].dncLists[0].id is required"),
    "client id twice": (changed(lambda t: t["accounts"][1]["apps"][0].update(clientId=CLIENT_ID)),
                        f"accounts[1].apps[0].clientId repeats {CLIENT_ID!r} (as accounts[0].apps[0].clientId)"),
    "account id twice": (changed(lambda t: t["accounts"][1].update(accountId=BASE["accounts"][0]["accountId"])),
                         "accounts[1].accountId repeats"),
    "stream in two accounts": (changed(lambda t: t["accounts"][1]["streams"].append(BASE["accounts"][0]["streams"][0])),
                               "(as accounts[0].streams[0])"),
    "contact list name twice": (
        changed(lambda t: t["accounts"][0]["contactLists"].append({"id": "x", "name": "CL Only 2020 Dec 4"})),
        "accounts[0].contactLists[3].name repeats 'CL Only 2020 Dec 4' (as accounts[0].contactLists[0].name)"),
    "default account without an app": (changed(lambda t: t["accounts"][0].update(apps=[])),
                                       "accounts[0] (the default account) needs at least one stream and one app"),
}


@pytest.mark.parametrize("kind", CASES)
def test_a_bad_tenant_is_refused_naming_each_problem_by_its_path(kind):
    raw, words = CASES[kind]
    with pytest.raises(ConfigError) as refused:
        parse_tenant(raw, "tenant.json")
    assert words in str(refused.value)
    assert "\n" not in str(refused.value)


def test_many_problems_are_counted_after_the_first_five():
    apps = [{"clientId": f"cs-{n}", "clientSecret": n} for n in range(7)]
    raw = changed(lambda t: t["accounts"][0].update(apps=apps))
    message = str(pytest.raises(ConfigError, parse_tenant, raw, "tenant.json").value)
    assert message.count("must be a string") == 5 and message.endswith("(and 2 more)")


def test_a_deeply_nested_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "tenant.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_tenant(path)


def test_the_default_tenant_is_valid():
    assert parse_tenant(copy.deepcopy(BASE)).default_account.account_id == BASE["accounts"][0]["accountId"]
