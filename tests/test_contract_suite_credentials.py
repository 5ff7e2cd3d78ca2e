"""Where the suite's credentials come from: the tenant file, or KORE_* for a --base-url target; never half of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockserver import process
from mockserver.paths import DEFAULT_TENANT, LIVE_TENANT_EXAMPLE
from mockserver.tenant import load_tenant

LEFTOVER = {"KORE_CLIENT_ID": "cs-live", "KORE_CLIENT_SECRET": "live-secret-value", "KORE_ACCOUNT_ID": "acc-live",
            "KORE_STREAM_ID": "st-live"}
NOWHERE = "http://127.0.0.1:9"  # never reached: these runs stop (or only collect) before sending anything


def header(result: pytest.RunResult) -> str:
    return next(line for line in result.outlines if line.startswith("contract target:"))


def test_the_in_process_mock_ignores_leftover_kore_variables_and_says_so(run_contract_suite, monkeypatch):
    """They made every case skip, and the run passed green having tested nothing."""
    for name, value in LEFTOVER.items():
        monkeypatch.setenv(name, value)
    result = run_contract_suite("-k", "sample or scope")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert result.parseoutcomes()["passed"] >= 5 and "skipped" not in result.parseoutcomes()
    assert header(result).endswith(f"(tenant {DEFAULT_TENANT}; credentials from the tenant file;"
                                   " KORE_CLIENT_ID, KORE_CLIENT_SECRET, KORE_ACCOUNT_ID, KORE_STREAM_ID ignored:"
                                   " the in-process mock serves its tenant file)")
    assert "live-secret-value" not in result.stdout.str()


def assert_stops_in_one_usage_line(run_contract_suite, monkeypatch, env: dict[str, str], message: str) -> None:
    """A remote run with these variables set stops before any case, in one usage line saying `message`."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run_contract_suite("--base-url", NOWHERE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {message}*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


@pytest.mark.parametrize(("env", "message"), [
    ({"KORE_CLIENT_ID": "cs-anything"},
     "no secret for client id 'cs-anything': *fixtures/tenant.json lists no app with that id; set KORE_CLIENT_SECRET"),
    ({"KORE_CLIENT_ID": "cs-anything", "KORE_CLIENT_SECRET": ""}, "no secret for client id 'cs-anything': *; "
     "KORE_CLIENT_SECRET is empty: set it to the app's secret (or unset KORE_CLIENT_ID*"),
    ({"KORE_ACCOUNT_ID": "acc-live"}, "account 'acc-live' (KORE_ACCOUNT_ID) is not in *fixtures/tenant.json: every"
     " case sends its contact list, DNC list, caller ID and queue names; give a --tenant file that describes it"),
    (LEFTOVER, "account 'acc-live' (KORE_ACCOUNT_ID) is not in *fixtures/tenant.json: every case sends its"),
], ids=["client-id-without-secret", "empty-secret", "account-without-app", "account-not-in-tenant-file"])
def test_a_remote_run_that_would_skip_every_case_stops_in_one_usage_line(run_contract_suite, monkeypatch, env, message):
    """Every case skipped for want of a token, or of the account's names to send, and the run exited 0."""
    assert_stops_in_one_usage_line(run_contract_suite, monkeypatch, env, message)


@pytest.mark.parametrize(("env", "message"), [
    ({"KORE_STREAM_ID": "st-日本"}, "the stream 'st-日本' (KORE_STREAM_ID) must be printable ASCII with no blank at"
                                   " either end and no ',', '/', '?', '#' or '%', nor be '.' or '..', as the request's"
                                   " path and its iid header carry it"),
    ({"KORE_STREAM_ID": "st/1"}, "the stream 'st/1' (KORE_STREAM_ID) must be printable ASCII"),
    ({"KORE_CLIENT_SECRET": "s\udcff"}, "the client secret (KORE_CLIENT_SECRET) holds bytes that are not UTF-8, and a"
     " token's signature takes its UTF-8 bytes"),
], ids=["stream-beyond-ascii", "stream-with-a-slash", "secret-not-utf8"])
def test_a_value_from_the_environment_no_request_can_carry_is_one_usage_line(run_contract_suite, monkeypatch, env,
                                                                            message):
    """Each ended every case in a UnicodeEncodeError traceback (the iid header, the token's signature)."""
    assert_stops_in_one_usage_line(run_contract_suite, monkeypatch, env, message)


@pytest.mark.parametrize(("env", "source"), [
    ({}, "credentials from the tenant file"),
    ({"KORE_CLIENT_ID": "cs-live", "KORE_CLIENT_SECRET": "live-secret-value"},
     "credentials from the environment (KORE_CLIENT_ID, KORE_CLIENT_SECRET)"),
    ({"KORE_CLIENT_SECRET": "live-secret-value"}, "client id from the tenant file, secret from KORE_CLIENT_SECRET"),
], ids=["tenant-file", "environment", "one-of-each"])
def test_the_header_says_where_the_credentials_come_from_without_the_secret(run_contract_suite, monkeypatch, env,
                                                                            source):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run_contract_suite("--collect-only", "--base-url", NOWHERE)
    assert result.ret == pytest.ExitCode.OK
    assert header(result) == f"contract target: {NOWHERE} (tenant {DEFAULT_TENANT}; {source}; writes off:" \
                             " creating cases skip without --allow-writes)"
    assert "live-secret-value" not in result.stdout.str()


def edited_example(folder: Path) -> str:
    """fixtures/live-tenant.example.json as a user leaves it: the account's own names in place of the placeholders
    (the ids and the app stay)."""
    document = json.loads(LIVE_TENANT_EXAMPLE.read_text(encoding="utf-8"))
    account = document["accounts"][0]
    account.update(accountId="65f1c0ffee0ddba11a5e0042", streams=["st-5b1e2c3d-0042"])
    for field, name in (("contactLists", "Spring renewals"), ("dncLists", "Do not call"), ("queues", "Sales")):
        account[field][0]["name"] = name
    account["callerIds"][0]["phoneNumber"] = "+14155550142"
    edited = folder / "live-tenant.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    return str(edited)


def test_the_live_tenant_example_names_everything_the_cases_send(run_contract_suite, monkeypatch, tmp_path):
    """The README's starting point for a run against the real service: a file of names only was refused for want
    of ids and an app. Served by a mock standing in for the service, the example, its names edited, leaves no case
    short of a name."""
    example = edited_example(tmp_path)
    monkeypatch.setenv("KORE_ACCOUNT_ID", load_tenant(example).default_account.account_id)
    with process.running("--db", ":memory:", "--tenant", example) as server:
        result = run_contract_suite("--base-url", server.url, "--tenant", example, "-rs")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert result.parseoutcomes()["passed"] >= 60
    skipped = [line for line in result.outlines if line.startswith("SKIPPED")]
    optional = ("second stream", "unverified caller ID", "a second account")
    short_of_a_name = [line for line in skipped if "names no" in line and not any(o in line for o in optional)]
    assert not short_of_a_name, short_of_a_name


def test_the_live_tenant_example_left_unedited_is_refused_naming_its_placeholders(run_contract_suite, tmp_path):
    """A first read-only run with the example's names left as they are was almost all green: every case the service
    refused for an unknown name ("A contact list of your account") passed."""
    unedited = tmp_path / "live-tenant.json"
    unedited.write_text(LIVE_TENANT_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_contract_suite("--base-url", NOWHERE, "--tenant", str(unedited))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {unedited} still holds the placeholder names of"
                                 " */live-tenant.example.json: accountId 'your-account-id', streams"
                                 " 'st-your-stream-id', contactLists 'A contact list of your account', dncLists"
                                 " 'A DNC list of your account', callerIds '+10000000001', queues 'A queue of your"
                                 " account'; put your account's own in their place (the ids and the app may stay)"])
