"""Tenant files: every problem named by its path in one line, so a misspelt or repeated entry is found at start-up
rather than as a puzzling refusal later."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest
from commands import mockserver_command

from mockserver.errors import ConfigError
from mockserver.faults import MAX_ACCOUNT_CHARS
from mockserver.paths import DEFAULT_TENANT, FIXTURES_DIR
from mockserver.tenant import MAX_TENANT_BYTES, Tenant, load_tenant, parse_tenant

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
                            "accounts[0].apps[0].clientSecret must be a string (got 5; strings go in quotes:"
                            ' send "5")'),
    "empty secret": (changed(lambda t: t["accounts"][0]["apps"][0].update(clientSecret="")),
                     "accounts[0].apps[0].clientSecret must be at least 1 character (got 0)"),
    "verified not a boolean": (changed(lambda t: t["accounts"][0]["callerIds"][0].update(verified="false")),
                               "accounts[0].callerIds[0].verified must be true or false (got 'false'; true and false go"
                               " without quotes: send false)"),
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
    # a row copied and renamed: the answer gave both lists one id
    "contact list id twice": (
        changed(lambda t: t["accounts"][0]["contactLists"].append({"id": BASE["accounts"][0]["contactLists"][0]["id"],
                                                                   "name": "Copied list"})),
        "accounts[0].contactLists[3].id repeats 'cl-3f9a1c2d-5e6f-4a7b-8c9d-0e1f2a3b4c01' (as"
        " accounts[0].contactLists[0].id)"),
    "queue id twice": (
        changed(lambda t: t["accounts"][1]["queues"].append({**BASE["accounts"][1]["queues"][0], "name": "Copied"})),
        "accounts[1].queues[1].id repeats 'qu-aa11bb22-cc33-4d44-8e55-ff6677889903' (as accounts[1].queues[0].id)"),
    "default account without an app": (changed(lambda t: t["accounts"][0].update(apps=[])),
                                       "accounts[0] (the default account) needs at least one stream and one app"),
    # ids no request can carry as written: the suite's sends ended in a UnicodeEncodeError, a client's missed
    "account id beyond ASCII": (changed(lambda t: t["accounts"][1].update(accountId="acc-日本")),
                                "accounts[1].accountId must be printable ASCII with no blank at either end and no"
                                " ',', as the accountid header and the accountId parameter carry it (got 'acc-日本')"),
    "account id ending in a blank": (changed(lambda t: t["accounts"][1].update(accountId="acc-1 ")),
                                     "accounts[1].accountId must be printable ASCII"),
    "account id holding a tab": (changed(lambda t: t["accounts"][1].update(accountId="acc\t1")),
                                 "accounts[1].accountId must be printable ASCII"),
    "stream beyond ASCII": (changed(lambda t: t["accounts"][0]["streams"].append("st-é")),
                            "accounts[0].streams[2] must be printable ASCII with no blank at either end and no ',',"
                            " '/', '?', '#' or '%', nor be '.' or '..', as the request's path and its iid header carry"
                            " it (got 'st-é')"),
    "stream holding a slash": (changed(lambda t: t["accounts"][0]["streams"].append("st/1")),
                               "accounts[0].streams[2] must be printable ASCII"),
    "stream holding a percent sign": (changed(lambda t: t["accounts"][0]["streams"].append("st-%41")),
                                      "accounts[0].streams[2] must be printable ASCII"),
    # a comma made the iid or accountid header "given more than once" on every request; a client took `..` out of the
    # URL, which then named no endpoint
    "stream holding a comma": (changed(lambda t: t["accounts"][0]["streams"].append("st,eu-1")),
                               "accounts[0].streams[2] must be printable ASCII"),
    "account id holding a comma": (changed(lambda t: t["accounts"][1].update(accountId="acme,eu")),
                                   "accounts[1].accountId must be printable ASCII"),
    "stream that is a dot segment": (changed(lambda t: t["accounts"][0]["streams"].append("..")),
                                     "accounts[0].streams[2] must be printable ASCII"),
    # a secret holding one signed no token: `mockserver token` ended in a UnicodeEncodeError traceback
    "secret holding a lone surrogate": (changed(lambda t: t["accounts"][0]["apps"][0].update(clientSecret="s\ud800")),
                                        "accounts[0].apps[0].clientSecret holds a lone UTF-16 surrogate (U+D800), which"
                                        " no request can carry"),
}


@pytest.mark.parametrize("kind", CASES)
def test_a_bad_tenant_is_refused_naming_each_problem_by_its_path(kind):
    raw, words = CASES[kind]
    with pytest.raises(ConfigError) as refused:
        parse_tenant(raw, "tenant.json")
    assert words in str(refused.value)
    assert "\n" not in str(refused.value)


def test_an_account_id_longer_than_a_rule_or_filter_takes_is_refused_naming_the_file_account_and_limit():
    """Fault rules, the admin filters (`?accountId=`) and an account's reset take an id of at most MAX_ACCOUNT_CHARS
    characters: an account with a longer one could be served but never named by any of them."""
    longest, longer = "a" * MAX_ACCOUNT_CHARS, "b" * (MAX_ACCOUNT_CHARS + 1)
    taken = parse_tenant(changed(lambda t: t["accounts"][1].update(accountId=longest)))
    assert taken.accounts[1].account_id == longest
    with pytest.raises(ConfigError) as refused:
        parse_tenant(changed(lambda t: t["accounts"][1].update(accountId=longer)), "my-tenant.json")
    message = str(refused.value)
    assert message.startswith("my-tenant.json: not a valid tenant file")
    assert f"accounts[1].accountId 'bbbbbbbbbbbbb... must be at most {MAX_ACCOUNT_CHARS} characters" in message
    assert f"(got {MAX_ACCOUNT_CHARS + 1}), as fault rules" in message and "\n" not in message


@pytest.mark.parametrize("name", ["tenant.json", "live-tenant.example.json"])
def test_the_shipped_tenant_files_load(name):
    assert load_tenant(FIXTURES_DIR / name).accounts


def test_an_id_may_be_a_name_elsewhere_and_accounts_may_share_a_list_s_id():
    """Ids are unique within their own collection of one account: a name equal to another row's id is no repeat, and
    a file of an account per tester may copy one account's lists whole."""
    raw = changed(lambda t: t["accounts"][0]["contactLists"].append({"id": "cl-z", "name": "cl-3f9a1c2d-5e6f-4a7b-8c9d-"
                                                                                           "0e1f2a3b4c01"}))
    raw["accounts"][1]["dncLists"] = copy.deepcopy(BASE["accounts"][0]["dncLists"])
    assert parse_tenant(raw).accounts[1].dnc_lists == {"DNC CL Dec 4": "cl-68b802a-2b99-4245-8eea-6d322a8xxxxx",
                                                       "Global DNC": "cl-0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b02"}


def test_many_problems_are_counted_after_the_first_five():
    apps = [{"clientId": f"cs-{n}", "clientSecret": n} for n in range(7)]
    raw = changed(lambda t: t["accounts"][0].update(apps=apps))
    message = str(pytest.raises(ConfigError, parse_tenant, raw, "tenant.json").value)
    assert message.count("must be a string") == 5 and message.endswith("(and 2 more)")


def test_a_deeply_nested_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "tenant.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_tenant(path)


def test_the_default_tenant_is_valid():
    assert parse_tenant(copy.deepcopy(BASE)).default_account.account_id == BASE["accounts"][0]["accountId"]


def test_a_device_given_as_the_tenant_file_is_refused_not_read_forever():
    """`mockserver tenant /dev/full` (or `--tenant /dev/zero`) read the file whole, and never finished."""
    with pytest.raises(ConfigError, match="^/dev/zero: cannot read tenant file: it is a device, not a regular file$"):
        load_tenant("/dev/zero")


def test_a_tenant_file_larger_than_the_most_read_is_refused_unread_past_it(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(MAX_TENANT_BYTES + 1)
    with pytest.raises(ConfigError, match="huge.json: tenant file is larger than 16 MB: is it the tenant file"):
        load_tenant(huge)


def test_the_account_list_in_messages_is_cut_after_the_number_asked_for():
    first = parse_tenant(copy.deepcopy(BASE)).default_account
    ids = [f"{n:024x}" for n in range(7)]
    tenant = Tenant(tuple(dataclasses.replace(first, account_id=account_id) for account_id in ids))
    assert tenant.account_list() == ", ".join(ids)
    assert tenant.account_list(most=5) == ", ".join(ids[:5]) + ", ..."
    assert tenant.account_list(most=7) == ", ".join(ids)


def test_the_admin_api_lists_the_tenant_without_the_secrets(client, tenant):
    """What a tester on a sandbox may refer to (contact lists, DNC lists, caller IDs, queues), by account."""
    answer = client.get("/__admin/tenant")
    assert answer.status_code == 200
    accounts = answer.get_json()["accounts"]
    assert [a["accountId"] for a in accounts] == [a.account_id for a in tenant.accounts]
    first = accounts[0]
    assert [q["name"] for q in first["queues"]] == list(tenant.default_account.queues)
    assert {c["phoneNumber"]: c["verified"] for c in first["callerIds"]} == tenant.default_account.caller_ids
    secrets = [app.client_secret for account in tenant.accounts for app in account.apps]
    assert not [secret for secret in secrets if secret in answer.get_data(as_text=True)]
    assert "clientSecret" not in answer.get_data(as_text=True)


def test_the_tenant_command_checks_a_file_as_serve_does_and_prints_it_without_secrets(tmp_path, tenant):
    shown = mockserver_command("tenant")
    assert shown.returncode == 0, shown.stderr
    assert [a["accountId"] for a in json.loads(shown.stdout)["accounts"]] == [a.account_id for a in tenant.accounts]
    assert not [app.client_secret for account in tenant.accounts for app in account.apps
                if app.client_secret in shown.stdout]
    broken = tmp_path / "tenant.json"
    broken.write_text('{"accounts": [{"accountId": "a"}]}', encoding="utf-8")
    refused = mockserver_command("tenant", str(broken))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith(f"mockserver tenant: error: {broken}: not a valid tenant file")
    assert len(refused.stderr.strip().splitlines()) == 1


def test_a_tenant_whose_secret_signs_no_token_is_one_line_from_the_token_command(tmp_path):
    path = tmp_path / "tenant.json"
    path.write_text(json.dumps(changed(lambda t: t["accounts"][0]["apps"][0].update(clientSecret="s\ud800"))),
                    encoding="utf-8")
    refused = mockserver_command("token", "--tenant", str(path))
    assert refused.returncode == 2 and refused.stdout == "", refused.stderr
    assert refused.stderr == (f"mockserver token: error: {path}: not a valid tenant file (see"
                              " fixtures/tenant.schema.json): accounts[0].apps[0].clientSecret holds a lone UTF-16"
                              " surrogate (U+D800), which no request can carry\n")


@pytest.mark.parametrize(("text", "words"), [
    ('{"accounts": [], "accounts": []}', "duplicate key 'accounts'"),
    ('{"accounts": NaN}', "NaN is not allowed in JSON"),
])
def test_a_key_given_twice_or_a_non_json_constant_is_refused(tmp_path, text, words):
    """Python's json keeps the last of two keys (half an edit unseen) and reads NaN: neither is JSON to the mock."""
    path = tmp_path / "tenant.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"tenant file is not valid JSON: {words}"):
        load_tenant(path)


def test_a_tenant_file_an_editor_saved_with_a_byte_order_mark_is_read(tmp_path, tenant):
    """Notepad's UTF-8 starts with a byte order mark, which was refused as "Unexpected UTF-8 BOM (decode using
    utf-8-sig)": advice for Python code, where the vendor page is read without the mark."""
    path = tmp_path / "tenant.json"
    path.write_text("\ufeff" + DEFAULT_TENANT.read_text(encoding="utf-8"), encoding="utf-8")
    assert [a.account_id for a in load_tenant(path).accounts] == [a.account_id for a in tenant.accounts]


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_a_tenant_file_saved_in_a_windows_code_page_is_refused_saying_to_save_it_as_utf8(tmp_path, line_end):
    """Notepad's "ANSI" (cp1252) writes ü as the byte 0xfc: the refusal was Python's own words, "'utf-8' codec can't
    decode byte 0xfc in position N: invalid start byte", under "not valid JSON". A line end of CRLF is JSON's
    white space, and is read."""
    text = DEFAULT_TENANT.read_text(encoding="utf-8").replace("\n", line_end)
    path = tmp_path / "tenant.json"
    path.write_bytes(text.encode("utf-8"))
    assert load_tenant(path).accounts
    path.write_bytes(text.replace("Seeded tenant", "Seeded tenant (Gr\u00fc\u00dfe)", 1).encode("cp1252"))
    at = path.read_bytes().index(b"\xfc")
    with pytest.raises(ConfigError) as refused:
        load_tenant(path)
    assert str(refused.value) == f"{path}: tenant file is not UTF-8 (byte 0xfc at offset {at}): save it as UTF-8"


@pytest.mark.parametrize(("name", "data", "said"), [
    ("tenant.json", b"", "tenant file is empty: write its accounts as fixtures/tenant.json does"),
    ("tenant.json", b" \r\n", "tenant file is empty: write its accounts as fixtures/tenant.json does"),
    # Python 3.13 names a trailing comma itself, where it stops: no likely cause is added to its words
    ("tenant.json", b'{"accounts": [{"accountId": "a",}]}', ("tenant file is not valid JSON: Expecting property name"
     " enclosed in double quotes: line 1 column 33 (char 32) (a comma after the last item, which JSON does not take?)",
     "tenant file is not valid JSON: Illegal trailing comma before end of object: line 1 column 32 (char 31)")),
    ("tenant.json", b'{\n  // ours\n  "accounts": []}', "(a comment, which JSON does not take: say it in a"
     " description?)"),
    ("tenant.yaml", b"accounts:\n  - accountId: a\n", "tenant file is not valid JSON: Expecting value: line 1 column"
     " 1 (char 0) (a .yaml file: a tenant file is JSON alone, as fixtures/tenant.json is)"),
    ("tenant.json", DEFAULT_TENANT.read_text(encoding="utf-8").encode("utf-16"), "tenant file saved as UTF-16 (what"
     " Windows PowerShell's > and Out-File write, and Notepad calls \"Unicode\"), not UTF-8: save it as UTF-8"
     " (Out-File -Encoding utf8)"),
], ids=["empty", "blank", "trailing-comma", "comment", "yaml", "utf-16"])
def test_a_hand_written_tenant_file_s_mistake_is_said_with_its_likely_cause(tmp_path, name, data, said):
    """A case file's refusal says these, a tenant file's gave the parser's words alone: an empty file was "Expecting
    value: line 1 column 1 (char 0)", a YAML file and one saved by PowerShell no more, a trailing comma no cause."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ConfigError) as refused:
        load_tenant(path)
    said = said if isinstance(said, tuple) else (said,)
    assert str(refused.value).endswith(said) and str(refused.value).startswith(f"{path}: "), str(refused.value)


def big_tenant(accounts: int, lists: int) -> dict:
    """A months-old sandbox's tenant: an account per tester, and a default account with thousands of names."""
    raw = copy.deepcopy(BASE)
    first = raw["accounts"][0]
    first["contactLists"] += [{"id": f"cl-x{n}", "name": f"List {n}"} for n in range(lists)]
    first["dncLists"] += [{"id": f"cl-d{n}", "name": f"DNC {n}"} for n in range(lists)]
    first["callerIds"] += [{"phoneNumber": f"+1415{n:07d}", "verified": True} for n in range(lists)]
    first["queues"] += [{"id": f"qu-{n}", "name": f"Queue {n}"} for n in range(lists)]
    raw["accounts"] += [{"accountId": f"acct-{n}", "streams": [f"st-{n}"], "apps": [{"clientId": f"cs-{n}",
                         "clientSecret": "s"}], "contactLists": [{"id": f"cl-{n}", "name": "CL"}]}
                        for n in range(accounts)]
    return raw


class Unworded:
    """In place of the validator that words each problem: a valid file must not be walked by it (pure Python: 5 s
    for a tenant of 3,000 accounts and 9,000 names, in the master and again in each worker)."""

    def iter_errors(self, raw):
        raise AssertionError("a valid tenant file was walked by the slow validator")


def test_a_valid_tenant_is_checked_by_the_compiled_validator_alone(monkeypatch):
    monkeypatch.setattr("mockserver.tenant._validator", Unworded)
    tenant = parse_tenant(big_tenant(3000, 2000))
    assert len(tenant.accounts) == len(BASE["accounts"]) + 3000 and len(tenant.default_account.contact_lists) == 2003


def test_a_tenant_the_compiled_validator_cannot_read_is_worded_by_the_other():
    """A name holding half a surrogate pair, which jsonschema-rs cannot take: the file is judged all the same (and
    the name refused: no request can carry it)."""
    raw = changed(lambda t: t["accounts"][0]["contactLists"].append({"id": "cl-s", "name": "\ud800"}))
    with pytest.raises(ConfigError, match=r"contactLists\[3\]\.name holds a lone UTF-16 surrogate \(U\+D800\)"):
        parse_tenant(raw)
    raw["accounts"][0]["contactLists"][-1]["id"] = 5
    with pytest.raises(ConfigError, match=r"contactLists\[3\]\.id must be a string \(got 5[;)]"):
        parse_tenant(raw)


def test_an_account_s_repr_shows_no_client_secret():
    """A failing assertion on `kore_mock.account` printed every app's secret in the test's report."""
    account = parse_tenant(copy.deepcopy(BASE)).default_account
    assert BASE["accounts"][0]["apps"][0]["clientSecret"] not in repr(account)
    assert BASE["accounts"][0]["apps"][0]["clientId"] in repr(account)


@pytest.mark.parametrize(("value", "said"), [(b"s3cret", "a Python bytes"), ({"st-1"}, "a Python set")])
def test_a_tenant_given_in_code_holding_what_json_does_not_is_refused_by_its_path(value, said):
    """jsonschema-rs refused it with a bare ValueError ("Unsupported type: 'bytes'"), a traceback out of
    running_mock(tenant=...) and a kore_mock marker."""
    tenant = copy.deepcopy(BASE)
    tenant["accounts"][0]["apps"][0]["clientSecret"] = value
    with pytest.raises(ConfigError, match=f"accounts\\[0\\].apps\\[0\\].clientSecret must be a string \\(got {said}"):
        parse_tenant(tenant)
