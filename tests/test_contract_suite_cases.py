"""Case data: dotted paths, placeholders, case files and the HTTP request a case turns into."""

from __future__ import annotations

import json
import shutil

import pytest

from contract_tests.calls import build_call
from contract_tests.cases import (
    MissingFact,
    apply_changes,
    load_cases,
    merge_named,
    parse_path,
    remove_path,
    resolve,
    set_path,
)
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.errors import ConfigError
from mockserver.paths import CASES_DIR
from mockserver.tenant import load_tenant


@pytest.fixture(scope="module")
def suite():
    return load_suite()


def target(is_local: bool = True, env: dict | None = None) -> Target:
    return Target("http://127.0.0.1:9", tenant_facts(load_tenant(), env or {}), is_local=is_local)


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("queue_name", ["queue_name"]),
        ("dncLists.name", ["dncLists", "name"]),
        ("contactLists[0]", ["contactLists", 0]),
        ("dialingStrategy.callingHours.days[1].day", ["dialingStrategy", "callingHours", "days", 1, "day"]),
        ("x-contract-unknown", ["x-contract-unknown"]),
    ],
    ids=lambda value: str(value),
)
def test_dotted_paths(path, steps):
    assert parse_path(path) == steps


@pytest.mark.parametrize("path", ["", "a..b", "a[x]", "a[0"], ids=repr)
def test_bad_paths_are_tool_errors(path):
    with pytest.raises(ConfigError):
        parse_path(path)


def test_set_creates_parents_replaces_and_appends_list_items():
    document = {"days": [{"day": "MO"}]}
    set_path(document, "a.b", 1)
    set_path(document, "days[0].day", "TU")
    set_path(document, "days[1]", {"day": "WE"})
    assert document == {"days": [{"day": "TU"}, {"day": "WE"}], "a": {"b": 1}}
    with pytest.raises(ConfigError, match=r"days\[5\]: days has 2 items, \[0\] to \[1\]: set adds one only at \[2\]"):
        set_path(document, "days[5]", {})


def test_remove_a_key_and_a_list_item():
    document = {"a": {"b": 1, "c": 2}, "l": [1, 2, 3]}
    remove_path(document, "a.b")
    remove_path(document, "l[1]")
    assert document == {"a": {"c": 2}, "l": [1, 3]}
    with pytest.raises(ConfigError, match="nothing to remove: a has no 'missing'"):
        remove_path(document, "a.missing")


def test_changes_apply_to_a_copy():
    base = {"a": {"b": 1}}
    changed = apply_changes(base, {"set": {"a.c": [1]}, "remove": ["a.b"]})
    assert changed == {"a": {"c": [1]}} and base == {"a": {"b": 1}}


def test_placeholders_with_length_and_filter():
    def lookup(name: str, length: int | None) -> str:
        return f"<{name}:{length}>"

    document = {"k": ["{{tenant.queue}}", "x {{run.name#48}} y", "{{run.name|upper}}", 5]}
    assert resolve(document, lookup) == {"k": ["<tenant.queue:None>", "x <run.name:48> y", "<RUN.NAME:NONE>", 5]}


def test_a_missing_fact_propagates_with_its_reason():
    def lookup(name: str, length: int | None) -> str:
        raise MissingFact(f"no {name}")

    with pytest.raises(MissingFact, match="no tenant.queue"):
        resolve("{{tenant.queue}}", lookup)


def test_headers_merge_case_insensitively_and_none_removes():
    merged = merge_named({"auth": "t", "accountid": "a"}, {"AUTH": "u", "accountid": None})
    assert merged == {"AUTH": "u"}


def test_a_case_file_with_an_unknown_key_names_file_and_case(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps(
        {"group": "g", "cases": [{"id": "c", "description": "d", "expect": {"status": 200}, "expected": 1}]}
    ), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.json: case c: unknown keys \['expected'\]"):
        load_cases(tmp_path)


def test_a_case_file_an_editor_saved_with_a_byte_order_mark_is_read(tmp_path):
    """A case file saved in Notepad was refused as "not valid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig)"."""
    case = {"id": "c", "description": "d", "expect": {"status": 200}}
    (tmp_path / "bom.json").write_text("\ufeff" + json.dumps({"group": "g", "cases": [case]}), encoding="utf-8")
    assert [loaded.id for loaded in load_cases(tmp_path)] == ["g/c"]


def test_case_ids_are_unique_across_files(tmp_path):
    case = {"id": "c", "description": "d", "expect": {"status": 200}}
    for name in ("one.json", "two.json"):
        (tmp_path / name).write_text(json.dumps({"group": "g", "cases": [case]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="'g/c' is used twice"):
        load_cases(tmp_path)


@pytest.mark.parametrize("value", [[], "x-request-id: r-1", None])
def test_base_request_headers_that_are_not_an_object_are_refused_naming_them(tmp_path, value):
    """They ended in an AttributeError traceback, or were read as no headers at all."""
    shutil.copytree(CASES_DIR, tmp_path / "cases")
    base = json.loads((tmp_path / "cases" / "_base.json").read_text(encoding="utf-8"))
    (tmp_path / "cases" / "_base.json").write_text(json.dumps({**base, "headers": value}), encoding="utf-8")
    with pytest.raises(ConfigError, match="_base.json: base request's headers must be an object of names and values"):
        load_suite(tmp_path / "cases")


@pytest.mark.parametrize(("name", "key", "said"), [
    ("_base.json", "header", "unknown keys ['header']; expected some of ['body', 'description', 'headers', 'nameField',"
     " 'query']"),
    ("_boundaries.json", "expects", "unknown keys ['expects']; expected some of ['description', 'expect']"),
])
def test_a_settings_file_with_a_key_misspelt_is_refused_naming_it(tmp_path, name, key, said):
    """A case file's unknown key was refused, a settings file's left out without a word: "header" beside "headers"
    sent nothing it named, "expects" left every derived case at its default expectation."""
    shutil.copytree(CASES_DIR, tmp_path / "cases")
    settings = json.loads((tmp_path / "cases" / name).read_text(encoding="utf-8"))
    (tmp_path / "cases" / name).write_text(json.dumps({**settings, key: {}}), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_suite(tmp_path / "cases")
    assert str(refused.value) == f"{tmp_path}/cases/{name}: {said}"


def test_a_base_request_field_the_page_no_longer_has_is_refused_at_its_line(tmp_path):
    """After the page renamed queue_name to queueName, the base request still filled queue_name: every case sent it
    beside the sample's queueName, and passed, with the tenant's queue never sent where the page reads it."""
    shutil.copytree(CASES_DIR, tmp_path / "cases")
    base = json.loads((tmp_path / "cases" / "_base.json").read_text(encoding="utf-8"))
    base["body"] = {("queueName" if key == "queue_name" else key): value for key, value in base["body"].items()}
    text = json.dumps(base, indent=2)
    (tmp_path / "cases" / "_base.json").write_text(text, encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if '"queueName":' in row)
    with pytest.raises(ConfigError) as refused:
        load_suite(tmp_path / "cases")
    assert str(refused.value) == (
        f"{tmp_path}/cases/_base.json:{line}: body: queueName: neither the vendor sample request nor the request schema"
        " has this field (the page renamed or removed it; now queue_name?): every case would send it beside the"
        " page's fields; fill the page's field, or take it out")


def test_the_base_request_fills_in_the_tenant(suite):
    call = build_call(suite.base, target(), {}, "ct-0000abcd-", 7)
    account = load_tenant().default_account
    assert call.url == f"http://127.0.0.1:9/campaign/api/v2/public/{account.streams[0]}/campaign"
    assert call.query == {"accountId": account.account_id, "campaignType": "voice"}
    assert call.headers["accountid"] == account.account_id and call.headers["iid"] == account.streams[0]
    body = json.loads(call.body)
    assert body["name"] == "ct-0000abcd-0007"
    assert body["contactLists"] == [next(iter(account.contact_lists))]
    assert body["queue_name"] == next(iter(account.queues))


def test_the_vendor_sample_keeps_its_name_only_on_the_in_process_mock(suite):
    sample_name = suite.contract.sample_request["name"]
    local = build_call(suite.base, target(), {"base": "vendor-sample"}, "ct-0000abcd-", 1)
    remote = build_call(suite.base, target(is_local=False), {"base": "vendor-sample"}, "ct-0000abcd-", 1)
    assert json.loads(local.body) == suite.contract.sample_request
    assert json.loads(remote.body)["name"] == f"ct-0000abcd-{sample_name}"[:48]


def test_the_vendor_sample_skips_on_an_account_without_its_resources(suite):
    live = target(is_local=False, env={"KORE_ACCOUNT_ID": "acc-live"})
    with pytest.raises(MissingFact, match=r"the vendor sample refers to contactLists\[0\] 'CL Only 2020 Dec 4', "):
        build_call(suite.base, live, {"base": "vendor-sample"}, "ct-0000abcd-", 1)


def test_raw_bodies_content_types_and_padding(suite):
    raw = build_call(suite.base, target(), {"body": {"raw": "[]"}, "content_type": "text/plain"}, "p-", 1)
    assert raw.body == b"[]" and raw.headers["Content-Type"] == "text/plain" and raw.json_body is None
    bare = build_call(suite.base, target(), {"content_type": None}, "p-", 1)
    assert "Content-Type" not in bare.headers
    padded = build_call(suite.base, target(), {"body": {"pad_to": 70000}}, "p-", 1)
    assert len(padded.body) == 70000 and json.loads(padded.body)["name"] == "p-0001"


@pytest.mark.parametrize("body", [{"raw": '{"name": "{{run.name}}", "queue_name": "{{tenant.queue|upper}}"}'},
                                  {"json": {"name": "{{run.name}}", "queue_name": "{{tenant.queue|upper}}"}}],
                         ids=["raw", "json"])
def test_a_raw_or_json_body_has_its_placeholders_filled(suite, body):
    """The loader checked them, then they were sent as written: a campaign named "{{run.name}}", without the run's
    prefix, which no clean-up would know as the run's."""
    call = build_call(suite.base, target(), {"body": body}, "ct-0000abcd-", 3)
    sent = json.loads(call.body)
    assert sent["name"] == "ct-0000abcd-0003" and sent["queue_name"] == "DEFAULT QUEUE", sent


def test_a_padded_body_smaller_than_the_targets_body_is_skipped_not_sent_larger(suite):
    """pad_to below the body's size sent the body as it was, larger than asked; the loader refuses it with the
    placeholders as written, and a target whose names make the body larger still skips the case, saying so."""
    with pytest.raises(MissingFact, match="body.pad_to is 900 bytes, and the body is 1[0-9]{3} bytes with this"):
        build_call(suite.base, target(), {"body": {"pad_to": 900}, "set": {"description": "d" * 900}}, "p-", 1)


def test_a_name_of_a_given_length_keeps_the_prefix(suite):
    call = build_call(suite.base, target(), {"set": {"name": "{{run.name#48}}"}}, "ct-0000abcd-", 3)
    assert json.loads(call.body)["name"] == "ct-0000abcd-0003" + "x" * 32
    with pytest.raises(MissingFact, match="cannot carry"):
        build_call(suite.base, target(is_local=False), {"set": {"name": "{{run.name#5}}"}}, "ct-0000abcd-", 3)


def test_a_name_too_short_for_the_prefix_says_its_length_in_good_english(suite):
    """It said "a campaign name of 1 characters"."""
    with pytest.raises(MissingFact, match="^a campaign name of 1 character cannot carry"):
        build_call(suite.base, target(is_local=False), {"set": {"name": "{{run.name#1}}"}}, "ct-0000abcd-", 3)
    with pytest.raises(MissingFact, match="^a campaign name of 5 characters cannot carry"):
        build_call(suite.base, target(is_local=False), {"set": {"name": "{{run.name#5}}"}}, "ct-0000abcd-", 3)


def test_a_name_too_short_for_the_prefix_is_skipped_with_the_same_words_in_every_run(suite):
    """The reason quoted the run's name, whose prefix is random: each run's JUnit XML and report gave the two skipped
    cases a new skip message, so a CI job comparing runs saw them change every time."""
    said = set()
    for prefix in ("ct-0000abcd-", "ct-9999ffff-"):
        with pytest.raises(MissingFact) as refused:
            build_call(suite.base, target(is_local=False), {"set": {"name": "{{run.name#1}}"}}, prefix, 88)
        said.add(str(refused.value))
    assert said == {"a campaign name of 1 character cannot carry the run's prefix: its names are 16 characters"
                    " long (ct-<8 hex>-0088)"}


def test_a_short_name_drops_the_prefix_only_on_the_in_process_mock(suite):
    call = build_call(suite.base, target(), {"set": {"name": "{{run.name#5}}"}}, "ct-0000abcd-", 3)
    assert json.loads(call.body)["name"] == "ct-00"


def test_a_refusal_the_case_calls_a_readme_assumption_is_one_only_the_mock_makes():
    """A refusal that rests on this project's reading (a contact list given as the DNC list, a block ending at
    12:00 AM, a zone in lowercase) is one a service may not make, creating the campaign: such a case runs against a
    remote target only with --allow-writes."""
    assumed = [case for case in load_suite().cases
               if "README assumption" in case.description and not case.expect.success]
    assert {case.id for case in assumed} >= {"referential/contact-list-as-dnc-list", "semantic/block-ends-at-midnight",
                                           "semantic/timezone-wrong-case"}
    assert [case.id for case in assumed if not case.may_create] == []
