"""The mock inside a client's own tests: mockserver.testing.running_mock and the kore_mock pytest fixture."""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import typing
from datetime import UTC, datetime, timedelta

import pytest
import requests

from mockserver.app import create_app
from mockserver.errors import ConfigError
from mockserver.paths import DEFAULT_TENANT
from mockserver.tenant import Tenant
from mockserver.testing import RunningMock, UnknownAccountWarning, running_mock

CLOCK = "2025-12-04T10:50:56.762Z"


def test_the_vendor_sample_succeeds_and_the_admin_methods_see_it(contract):
    with running_mock() as mock:
        answer = requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        assert answer.status_code == 200, answer.text
        [entry] = mock.journal()
        assert (entry["method"], entry["status"], entry["headers"]["auth"]) == ("POST", 200, "<redacted>")
        assert mock.campaigns() == [answer.json()["data"]]
        again = requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        assert again.status_code == 409
        [duplicate] = mock.journal(status="4xx", path="/campaign/*", account_id=mock.account_id)
        assert duplicate["status"] == 409
        assert mock.journal(status=200, since=entry["at"]) == [entry]
        # a datetime, which requests would send as str() gives it, with a space that RFC 3339 does not take
        moment = datetime.fromisoformat(entry["at"].replace("Z", "+00:00"))
        assert mock.journal(status=200, since=moment) == [entry]
        assert mock.journal(status=200, since=moment + timedelta(seconds=1)) == []
        assert mock.campaigns(name=contract.sample_request["name"].upper()) == [answer.json()["data"]]
        with pytest.warns(UnknownAccountWarning):  # an account the tenant lacks: the assertion would pass whatever
            assert mock.campaigns(account_id="nobody") == []
        mock.delete_campaign(answer.json()["data"]["id"])
        assert mock.campaigns() == []
        with pytest.raises(requests.HTTPError):
            mock.delete_campaign(answer.json()["data"]["id"])
        requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        with pytest.warns(UnknownAccountWarning):
            assert mock.reset(account_id="nobody") == {"campaigns": 0, "requests": 0, "faultRules": 0}
        assert mock.reset(account_id=mock.account_id) == {"campaigns": 1, "requests": 3, "faultRules": 0}
        requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        assert mock.reset() is None
        assert mock.campaigns() == [] and mock.journal() == []


def test_another_account_of_the_tenant_creates_with_its_own_token_headers_and_resources(contract):
    """A client author's isolation test: one account's campaign is its own. for_account gives the same mock as the
    tenant's other account sees it, its sample request naming that account's lists, caller ID and queue."""
    with running_mock() as mock:
        other_id = next(a.account_id for a in mock.app.extensions["mock"].tenant.accounts if a.account_id !=
                        mock.account_id)
        other = mock.for_account(other_id)
        assert (other.url, other.account_id) == (mock.url, other_id) and other.stream_id in other.account.streams
        assert f"accountId={other_id}" in other.endpoint and other.headers["accountid"] == other_id
        body = other.sample_request(name="Globex renewals")
        assert body["contactLists"] and all(name in other.account.contact_lists for name in body["contactLists"])
        answer = requests.post(other.endpoint, json=body, headers=other.headers, timeout=10)
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["dncLists"]["id"] == other.account.dnc_lists[body["dncLists"]["name"]]
        assert [c["name"] for c in mock.campaigns(account_id=other_id)] == ["Globex renewals"]
        assert mock.campaigns(account_id=mock.account_id) == []
        assert mock.sample_request() == contract.sample_request  # the default account's view is unchanged
        assert mock.for_account(mock.account_id).sample_request() == contract.sample_request
        crossed = requests.post(mock.endpoint, json=body, headers={**mock.headers, "auth": other.token()}, timeout=10)
        assert crossed.status_code == 403, crossed.text  # the other account's token on the first's endpoint


def test_campaigns_narrow_to_a_stream(contract):
    """Two testers on the two streams of one account list their own campaigns: streamId was refused as unknown."""
    with running_mock() as mock:
        first, second = mock.account.streams[:2]
        for stream, name in ((first, "On the first"), (second, "On the second"), (second, "Also on the second")):
            endpoint = mock.endpoint.replace(f"/{first}/", f"/{stream}/")
            answer = requests.post(endpoint, json=mock.sample_request(name=name), headers={**mock.headers,
                                   "iid": stream}, timeout=10)
            assert answer.status_code == 200, answer.text
        assert [c["name"] for c in mock.campaigns(stream_id=second)] == ["On the second", "Also on the second"]
        assert [c["name"] for c in mock.campaigns(stream_id=first, account_id=mock.account_id)] == ["On the first"]
        listed = requests.get(f"{mock.url}/__admin/campaigns", params={"streamId": second, "limit": 1}, timeout=10)
        assert listed.status_code == 200 and listed.json()["total"] == 2
        assert [entry["streamId"] for entry in listed.json()["campaigns"]] == [second]
        assert mock.campaigns(stream_id="st-none") == []


def test_for_account_names_the_accounts_the_tenant_has():
    with running_mock() as mock:
        with pytest.raises(ValueError, match=r"no account 'acme'; its accounts are 65f1c0ffee0ddba11a5e0001, "):
            mock.for_account("acme")


def test_an_account_without_a_stream_or_an_app_says_so_where_its_endpoint_or_token_is_asked_for():
    """A tenant's later accounts may list no stream and no app: for_account's endpoint, headers and token() were an
    IndexError from inside the fixture."""
    app = {"clientId": "c1", "clientSecret": "x" * 40}
    tenant = {"accounts": [{"accountId": "a1", "streams": ["s1"], "apps": [app]},
                           {"accountId": "a2", "streams": [], "apps": []}]}
    with running_mock(tenant=tenant) as mock:
        bare = mock.for_account("a2")
        with pytest.raises(ValueError, match=r"account 'a2' has no stream in the tenant, so no endpoint to call"):
            _ = bare.endpoint
        with pytest.raises(ValueError, match=r"account 'a2' has no app in the tenant, so no token to mint"):
            bare.token()
        with pytest.raises(ValueError, match=r"account 'a2' has no (stream|app)"):
            _ = bare.headers


def test_accounts_lists_the_tenants_accounts_for_for_account():
    """A second account's id was in the tenant file, or in for_account's refusal, alone: an isolation test had to
    reach into mock.app.extensions for it."""
    with running_mock() as mock:
        ids = [account.account_id for account in mock.accounts]
        assert ids[0] == mock.account_id and len(ids) == len(set(ids)) >= 2
        other = mock.for_account(mock.accounts[1].account_id)
        assert other.account_id == ids[1] and [a.account_id for a in other.accounts] == ids
        answer = requests.post(other.endpoint, json=other.sample_request(name="Isolated"), headers=other.headers,
                               timeout=10)
        assert answer.status_code == 200, answer.text
        assert [c["name"] for c in mock.campaigns(account_id=ids[1])] == ["Isolated"]
        assert mock.campaigns(account_id=ids[0]) == []


def test_seed_and_clock_make_answers_repeat(contract):
    answers = []
    for _ in range(2):
        with running_mock(seed=5, clock=CLOCK) as mock:
            sent = requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
            answers.append(sent.json()["data"])
    assert answers[0] == answers[1]
    assert answers[0]["createdAt"] == CLOCK


def test_faults_and_factory_keys_pass_through(contract):
    with running_mock(RATE_LIMIT="1/min") as mock:
        mock.add_fault("status=503", count=1)

        def send() -> int:
            answer = requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
            return answer.status_code

        assert [send() for _ in range(3)] == [503, 200, 429]


def test_an_expired_token_is_refused():
    with running_mock() as mock:
        answer = requests.post(mock.endpoint, json={}, headers={**mock.headers, "auth": mock.token(ttl=-60)},
                               timeout=10)
        assert answer.status_code == 401


def test_the_server_stops_with_the_block():
    # another mock may serve in this process all along: the contract suite's, where it ran first without pytest-xdist
    others = set(threading.enumerate())
    with running_mock() as mock:
        assert requests.get(f"{mock.url}/__admin/health", timeout=10).status_code == 200
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{mock.url}/__admin/health", timeout=2)
    assert not [thread for thread in threading.enumerate() if thread.name == "mock-server" and thread not in others]


def test_a_request_still_in_hand_is_answered_before_the_mock_stops(tmp_path, caplog):
    """A client's timeout test leaves its request sleeping in a latency fault: it woke after the block had closed
    the store, logged a traceback into whichever test ran then, and was never journaled."""
    database = str(tmp_path / "mock.sqlite3")
    with running_mock(database=database) as mock:
        with pytest.raises(requests.Timeout):
            requests.post(mock.endpoint, json=mock.sample_request(), timeout=0.3,
                          headers={**mock.headers, "X-Mock-Fault": "latency=5000"})
        started = time.monotonic()
    assert time.monotonic() - started < 3  # the latency is cut short, not waited out
    with running_mock(database=database) as again:
        assert [entry["status"] for entry in again.journal(method="POST")] == [200]
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []


def test_the_admin_methods_reach_the_mock_whatever_proxy_the_environment_names(monkeypatch):
    """The mock is on 127.0.0.1 in this process: a CI machine's HTTP_PROXY (without NO_PROXY) sent every admin call
    to the proxy, which failed (or answered for the mock)."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with running_mock() as mock:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers there
        mock.add_fault("status=503", count=1)
        assert mock.count_requests() == 0 and mock.campaigns() == []
        mock.reset()


def test_the_type_hints_take_the_paths_and_times_running_mock_takes(tmp_path):
    """A tenant file or database as a Path (tmp_path's) and the clock as a datetime work, but the hints said str
    alone, so a type checker refused a client suite that passed them."""
    hints = typing.get_type_hints(running_mock)
    assert {os.PathLike[str], Tenant} <= set(typing.get_args(hints["tenant"]))
    assert os.PathLike[str] in typing.get_args(hints["database"])
    assert datetime in typing.get_args(hints["clock"])
    with running_mock(tenant=DEFAULT_TENANT, database=tmp_path / "mock.sqlite3",
                      clock=datetime(2025, 12, 4, 10, 50, 56, 762000, tzinfo=UTC)) as mock:
        answer = requests.post(mock.endpoint, json=mock.sample_request(), headers=mock.headers, timeout=10)
        assert answer.json()["data"]["createdAt"] == CLOCK
    assert (tmp_path / "mock.sqlite3").is_file()


def test_the_module_s_public_names_are_what_a_client_uses():
    """`from mockserver.testing import *` brought every module it imports (os, re, requests, tempfile) and its
    helpers' tables; and ConfigError, which running_mock raises for a value it cannot use, had to be found in
    mockserver.errors to be caught."""
    import mockserver.testing

    names: dict[str, object] = {}
    exec("from mockserver.testing import *", names)
    assert sorted(set(names) - {"__builtins__"}) == ["ConfigError", "FaultRuleWarning", "PathFilterWarning",
                                                     "RunningMock", "UnknownAccountWarning", "UnknownOption",
                                                     "running_mock", "serve"]
    assert mockserver.testing.ConfigError is ConfigError
    with pytest.raises(mockserver.testing.ConfigError):
        with running_mock(clock="yesterday"):
            pass


def test_the_mock_s_repr_names_its_address_and_account_not_its_secrets():
    """pytest shows a failing test's fixture values: the dataclass's repr printed the admin token and the tenant
    app's client secret (the whole account, lists and all) under every failure of a test that used the mock."""
    with running_mock(ADMIN_TOKEN="s3cret-admin") as mock:
        shown = repr(mock)
        other = repr(mock.for_account(mock.account_id))
    assert shown == other == (f"RunningMock(url={mock.url!r}, account_id={mock.account_id!r},"
                              " admin_token=<redacted>)")
    assert mock.account.apps[0].client_secret not in shown
    with running_mock() as mock:
        assert repr(mock) == f"RunningMock(url={mock.url!r}, account_id={mock.account_id!r})"


@pytest.mark.parametrize("ttl", ["60", 1.5, True, [60]])
def test_a_token_lifetime_that_is_not_whole_seconds_is_a_type_error_naming_it(ttl):
    """token(ttl="60") failed inside the JWT minting as "unsupported operand type(s) for +: 'int' and 'str'", and
    ttl=1.5 or True signed what the hint (int) and `mockserver token --ttl` never give."""
    with running_mock() as mock:
        with pytest.raises(TypeError) as refused:
            mock.token(ttl=ttl)
        assert str(refused.value) == (f"token() takes ttl as whole seconds (a negative one: already expired), or"
                                      f" None for a token that never expires (got {ttl!r})")
        assert mock.token(ttl=None) and mock.token(ttl=-60) and mock.token()


@pytest.mark.parametrize(("ttl", "shown"), [(10**30, str(10**30)), (-10**30, str(-10**30)),
                                           (3650 * 86400 + 1, "315360001"), (-10**50, "-more than 10**40")])
def test_a_token_lifetime_past_ten_years_is_a_value_error_as_the_command_refuses_it(ttl, shown):
    """token(ttl=10**30) minted a token whose exp the mock read as never expiring, where `mockserver token --ttl`
    refuses anything past ten years either way."""
    with running_mock() as mock:
        with pytest.raises(ValueError) as refused:
            mock.token(ttl=ttl)
        assert str(refused.value) == (f"token() takes ttl from -315360000 to 315360000 seconds, ten years either way"
                                      f" (got {shown}): None leaves exp out")
        assert mock.token(ttl=3650 * 86400) and mock.token(ttl=-3650 * 86400)


def test_reset_s_return_type_follows_what_it_was_asked():
    """reset() answers None and reset(account_id=...) the counts, but one hint said `dict[str, int] | None` for both:
    `mock.reset(account_id=a)["campaigns"]` failed a client's mypy --strict ("None" is not indexable)."""
    overloads = [typing.get_type_hints(overload) for overload in typing.get_overloads(RunningMock.reset)]
    assert [(hints.get("account_id"), hints["return"]) for hints in overloads] == [
        (type(None), type(None)), (str, dict[str, int])]
    with running_mock() as mock:
        assert mock.reset() is None
        assert mock.reset(account_id=mock.account_id) == {"campaigns": 0, "requests": 0, "faultRules": 0}


def test_the_admin_methods_of_a_mock_that_has_stopped_say_so():
    """After its block, or its test, a kept mock's methods raised requests' "Max retries exceeded ... Connection
    refused", and would have read whatever mock served on that port since (another test's), without a word."""
    with running_mock() as mock:
        pass
    for call in (mock.journal, mock.count_requests, mock.campaigns, mock.reset, lambda: mock.add_fault("drop")):
        with pytest.raises(RuntimeError) as refused:
            call()
        assert str(refused.value) == (f"the mock at {mock.url} has stopped: its `with running_mock()` block, or the"
                                      " test its kore_mock fixture served, has ended")


def test_a_tenant_given_as_its_document_is_served(contract):
    """A test that needs another account or list wrote a tenant file first: running_mock(tenant={...}) was refused
    ("must be a file name (str or Path), or a Tenant"), and the way to build a Tenant was nowhere said."""
    import json

    document = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    document["accounts"][0]["queues"].append({"name": "Night Shift", "id": "qu-night"})
    with running_mock(tenant=document) as mock:
        body = mock.sample_request(name="At night", queue_name="Night Shift")
        answer = requests.post(mock.endpoint, json=body, headers=mock.headers, timeout=10)
        assert answer.status_code == 200, answer.text
    del document["accounts"][0]["streams"]
    with pytest.raises(ConfigError, match=r"^running_mock\(tenant=...\): not a valid tenant file .*streams"):
        with running_mock(tenant=document):
            pass


def test_a_tenant_document_is_taken_in_either_spelling():
    """TENANT={...}, running_mock's other spelling of tenant=, was refused as "must be a file name"."""
    import json

    document = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    with running_mock(TENANT=document) as mock:
        assert mock.account_id == document["accounts"][0]["accountId"]
    with pytest.raises(ConfigError, match=r"^running_mock\(TENANT=...\): not a valid tenant file"):
        with running_mock(TENANT={"accounts": []}):
            pass


CLIENT_TESTS = '''
import pytest, requests

def test_a_create(kore_mock):
    body = {**SAMPLE, "name": "From a client suite"}
    answer = requests.post(kore_mock.endpoint, json=body, headers=kore_mock.headers, timeout=10)
    assert answer.status_code == 200
    assert [c["name"] for c in kore_mock.campaigns()] == ["From a client suite"]

def test_each_test_has_a_fresh_mock(kore_mock):
    assert kore_mock.campaigns() == []

@pytest.mark.kore_mock(clock="2025-12-04T10:50:56.762Z", seed=1)
def test_marker_options(kore_mock):
    answer = requests.post(kore_mock.endpoint, json=SAMPLE, headers=kore_mock.headers, timeout=10)
    assert answer.json()["data"]["createdAt"] == "2025-12-04T10:50:56.762Z"

def test_a_client_bug_is_caught(kore_mock):
    answer = requests.post(kore_mock.endpoint, json={**SAMPLE, "priority": 5}, headers=kore_mock.headers, timeout=10)
    assert answer.status_code == 200, answer.json()["errors"][0]["msg"]

@pytest.mark.kore_mock(1)
def test_a_marker_option_without_its_name(kore_mock):
    pass
'''


def test_the_kore_mock_fixture_in_a_client_suite(pytester, monkeypatch, contract):
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)  # the fixture comes by its entry point
    pytester.makepyfile(test_client=f"SAMPLE = {contract.sample_request!r}\n" + CLIENT_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*test_a_client_bug_is_caught*",
                                 '*priority must be a string (got 5; strings go in quotes: send "5")*'])
    result.stdout.fnmatch_lines(["*@pytest.mark.kore_mock takes options by name, e.g. kore_mock(seed=1) (got (1,))*"])


@pytest.mark.parametrize("named", [
    ("conftest", 'pytest_plugins = ["mockserver.pytest_plugin"]\n'),
    ("option", None),
])
def test_the_fixture_s_plugin_named_by_its_module_where_it_is_also_loaded_on_its_own(pytester, monkeypatch, named):
    """A suite that names the plugin (a conftest's `pytest_plugins`, or `-p mockserver.pytest_plugin`, as one where
    plugins are not loaded on their own must), run where they are: its entry point was named kore_mock, so pytest
    registered the module twice and every run ended in a traceback, "Plugin already registered under a different
    name"."""
    where, conftest = named
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    if conftest:
        pytester.makeconftest(conftest)
    pytester.makepyfile(test_client="def test_a_create(kore_mock):\n    assert kore_mock.campaigns() == []\n")
    options = ["-p", "mockserver.pytest_plugin"] if where == "option" else []
    result = pytester.runpytest_subprocess(*options, "-p", "no:cacheprovider", timeout=120)
    assert "already registered" not in result.stdout.str() + result.stderr.str()
    result.assert_outcomes(passed=1)


def test_pytest_s_fixture_listing_says_what_kore_mock_gives(pytester, monkeypatch):
    """`pytest --fixtures`, where a suite looks for what a plugin offers, said "no docstring available"."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_inprocess("-p", "mockserver.pytest_plugin", "-p", "no:cacheprovider", "--fixtures")
    listing = result.stdout.str()
    assert "no docstring available" not in listing.split("kore_mock -- ")[1].split("\n\n")[0]
    result.stdout.fnmatch_lines(["kore_mock -- *", "    A fresh mock for the test*"])


@pytest.mark.parametrize(("options", "words"), [
    ({"rate_limit": "1/min"}, "'rate_limit' (did you mean RATE_LIMIT?)"),
    ({"RATE_LIMT": "1/min"}, "'RATE_LIMT' (did you mean RATE_LIMIT?)"),
    ({"sede": 1}, "'sede' (did you mean seed?)"),
])
def test_an_unknown_option_is_refused_not_dropped(options, words):
    """A misspelt option was dropped without a word, and the mock ran without it."""
    with pytest.raises(TypeError) as refused:
        with running_mock(**options):
            pass
    assert f"running_mock() got unknown option(s) {words}" in str(refused.value)


def test_flask_s_own_keys_are_taken_as_the_factory_takes_them():
    """running_mock(TESTING=True) was refused as an unknown option, though the README and the factory take Flask's."""
    with running_mock(TESTING=True) as mock:
        assert mock.app.config["TESTING"] is True


def test_an_empty_database_is_refused_in_either_spelling():
    """database="" ran on a temporary database without a word, where DATABASE="" was refused."""
    for options in ({"database": ""}, {"DATABASE": ""}):
        with pytest.raises(ConfigError, match="must be a file name, not empty"):
            with running_mock(**options):
                pass


@pytest.mark.parametrize("seed", ["abc", 1.5, True, [1], "--5"])
def test_a_seed_that_is_not_a_whole_number_is_refused_naming_it(seed):
    """seed="abc" was a bare "invalid literal for int()" naming no option, and seed=1.5 was taken as 1."""
    with pytest.raises(ConfigError) as refused:
        with running_mock(seed=seed):
            pass
    assert str(refused.value) == f"running_mock(seed=...) must be a whole number (got {seed!r})"


@pytest.mark.parametrize(("options", "said"), [
    ({"JOURNAL": "yes"}, "running_mock(JOURNAL=...) must be True or False (got 'yes')"),
    ({"REQUEST_LOG": "no"}, "running_mock(REQUEST_LOG=...) must be True or False (got 'no')"),
])
def test_a_switch_that_is_not_true_or_false_is_refused_naming_it(options, said):
    """REQUEST_LOG="no" turned the request log on, and JOURNAL="yes" was taken for True: read for truth alone."""
    with pytest.raises(ConfigError) as refused:
        with running_mock(**options):
            pass
    assert str(refused.value) == said


@pytest.mark.parametrize(("options", "said"), [
    ({"tenant": 123}, "running_mock(tenant=...) must be a file name (str or Path), a Tenant or the file's document (a"
                       " dict) (got 123)"),
    ({"database": 5}, "running_mock(database=...) must be a file name (str or Path) (got 5)"),
    ({"tenant": ""}, "running_mock(tenant=...) must be a file name, not empty"),
])
def test_a_file_option_that_is_no_file_name_is_refused_naming_it(options, said, tmp_path, monkeypatch):
    """tenant=123 and database=5 were a bare "expected str, bytes or os.PathLike object, not int" naming neither, a
    traceback through kore_mock's setup; create_app(DATABASE=5) made a database file named 5."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as refused:
        with running_mock(**options):
            pass
    assert str(refused.value) == said
    assert not list(tmp_path.iterdir())


def test_an_empty_database_name_is_refused_not_opened_as_a_private_temporary_one(tmp_path, monkeypatch):
    """create_app({"DATABASE": ""}) served SQLite's private temporary database, one per connection: campaigns gone
    at once and duplicates let in, with a stray .lock file in the working folder."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": ""})
    assert str(refused.value) == "--db (config DATABASE) must be a file name, not empty"
    assert not list(tmp_path.iterdir())


BAD_MARKERS = '''
import pytest

@pytest.mark.kore_mock(seed="abc")
def test_seed(kore_mock):
    pass

@pytest.mark.kore_mock(clock="yesterday")
def test_clock(kore_mock):
    pass

@pytest.mark.kore_mock(rate_limit="2/min")
def test_typo(kore_mock):
    pass
'''


def test_a_marker_option_the_mock_refuses_is_one_line_not_a_traceback(pytester, monkeypatch):
    """A client author's bad option was shown as a traceback through the fixture and the app factory."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pytester.makepyfile(test_markers=BAD_MARKERS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines([
        "*kore_mock could not start the mock: @pytest.mark.kore_mock(seed=...) must be a whole number (got 'abc')",
        "*kore_mock could not start the mock: @pytest.mark.kore_mock(clock=...) is not an ISO 8601 time: 'yesterday'",
        "*kore_mock could not start the mock: @pytest.mark.kore_mock got unknown option(s) 'rate_limit' (did you mean*",
    ])
    assert "pytest_plugin.py" not in result.stdout.str() and "Traceback" not in result.stdout.str()
    # the refusal once, not again above it as the exception the fixture's line was raised while handling
    assert "During handling of the above exception" not in result.stdout.str(), result.stdout.str()


def test_a_fault_narrowed_to_an_account_from_python(contract):
    with running_mock() as mock:
        rule = mock.add_fault("status=503", account_id=mock.account_id)
        answer = requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        other = requests.get(f"{mock.url}/nope", timeout=10)
    assert rule["accountId"] == mock.account_id
    assert (answer.status_code, other.status_code) == (503, 404)


@pytest.mark.parametrize(("narrowing", "meant"), [({"paht": "/x"}, "'paht' (did you mean path?)"),
                                                ({"accountId": "a"}, "'accountId' (did you mean account_id?)")])
def test_add_fault_names_an_unknown_narrowing_by_its_python_name(narrowing, meant):
    """add_fault("drop", paht="/x") sent paht to the mock, whose refusal listed the rule's JSON fields (accountId):
    not the keywords add_fault() takes."""
    with running_mock() as mock:
        with pytest.raises(TypeError, match=re.escape(f"add_fault() got unknown narrowing(s) {meant}; it takes method,"
                                                      " path, probability, count, account_id")):
            mock.add_fault("drop", **narrowing)
        assert mock.fault_rules() == []


def test_a_rule_value_json_cannot_carry_is_refused_naming_the_keyword():
    """add_fault("status=503", probability=float("nan")) ended in requests' InvalidJSONError ("Out of range float
    values are not JSON compliant"), and path=b"/x" in json's "Object of type bytes is not JSON serializable": neither
    named the keyword, nor what it takes."""
    cases = [
        (lambda mock: mock.add_fault("status=503", probability=float("nan")), ValueError,
         "add_fault() got probability=nan, which JSON cannot carry: probability must be a number from 0 to 1"),
        (lambda mock: mock.add_fault("status=503", probability=float("inf")), ValueError,
         "add_fault() got probability=inf, which JSON cannot carry: probability must be a number from 0 to 1"),
        (lambda mock: mock.add_fault("drop", path=b"/campaign/*"), TypeError,
         "add_fault() got path=b'/campaign/*', which JSON cannot carry: path must be a path glob starting with / or *,"
         " e.g. /campaign/*"),
        (lambda mock: mock.replace_fault(1, b"drop"), TypeError,
         "replace_fault() got fault=b'drop', which JSON cannot carry: fault must be a fault spec such as 'status=503'"),
    ]
    with running_mock() as mock:
        for call, error, said in cases:
            with pytest.raises(error) as refused:
                call(mock)
            assert str(refused.value) == said
        assert mock.fault_rules() == []


@pytest.mark.parametrize(("call", "said"), [
    (lambda mock: mock.journal(path="/\ud800"), "journal() got path='/\\ud800'"),
    (lambda mock: mock.count_requests(method="POST", account_id="a\udcff"),
     "count_requests() got account_id='a\\udcff'"),
    (lambda mock: mock.campaigns(name="\ud800"), "campaigns() got name='\\ud800'"),
    (lambda mock: mock.delete_campaign("cd-\ud800"), "delete_campaign() got campaign_id='cd-\\ud800'"),
    (lambda mock: mock.reset(account_id="\ud800"), "reset() got account_id='\\ud800'"),
], ids=["journal", "count_requests", "campaigns", "delete_campaign", "reset"])
def test_a_value_no_request_can_carry_is_a_value_error_naming_the_method(call, said):
    """Each ended in a UnicodeEncodeError from inside requests or urllib, naming neither the method nor the value."""
    with running_mock() as mock:
        with pytest.raises(ValueError) as refused:
            call(mock)
    assert str(refused.value).startswith(f"{said}: it holds a lone UTF-16 surrogate"), str(refused.value)
    assert not isinstance(refused.value, UnicodeError)


def test_a_fault_rule_is_replaced_from_python():
    with running_mock() as mock:
        rule = mock.add_fault("status=503", count=1)
        replaced = mock.replace_fault(rule["id"], "drop=reset", path="/nope", count=2)
        assert replaced["id"] == rule["id"] and replaced["fault"] == "drop=reset" and replaced["remaining"] == 2
        assert mock.fault_rules() == [replaced]
        with pytest.raises(requests.HTTPError, match="404 from PUT /__admin/faults/999: No fault rule with id 999"):
            mock.replace_fault(999, "drop")
        with pytest.raises(TypeError, match="replace_fault\\(\\) got unknown narrowing"):
            mock.replace_fault(rule["id"], "drop", paht="/x")
        with pytest.raises(TypeError, match="replace_fault\\(\\) takes a rule's id"):
            mock.replace_fault("1", "drop")


def test_fault_rules_are_listed_and_one_removed_from_python():
    """add_fault() had no counterpart: a test could neither see a rule's `applied` nor remove the one it added."""
    with running_mock() as mock:
        first = mock.add_fault("status=503", path="/a")
        second = mock.add_fault("status=500", path="/b", count=2)
        requests.get(f"{mock.url}/b", timeout=10)
        assert [(rule["id"], rule["applied"], rule["remaining"]) for rule in mock.fault_rules()] == [
            (first["id"], 0, None), (second["id"], 1, 1)]
        assert mock.delete_fault(first["id"]) is True
        assert mock.delete_fault(first["id"]) is False
        assert [rule["id"] for rule in mock.fault_rules()] == [second["id"]]
        assert requests.get(f"{mock.url}/a", timeout=10).status_code == 404
        with pytest.raises(TypeError, match="delete_fault\\(\\) takes a rule's id"):
            mock.delete_fault(str(second["id"]))


@pytest.mark.parametrize("campaign_id", ["../requests", "x?accountId=1", "..", "a/b"])
def test_delete_campaign_sends_the_id_as_one_path_segment(campaign_id):
    """delete_campaign("../requests") was sent as DELETE /__admin/requests: it cleared the journal and returned as if
    a campaign had been deleted; "x?accountId=1" became a query parameter."""
    with running_mock() as mock:
        requests.get(f"{mock.url}/nope", timeout=10)
        with pytest.raises(requests.HTTPError, match="^404 from DELETE /__admin/campaigns/"):
            mock.delete_campaign(campaign_id)
        assert mock.count_requests() == 1


def test_the_journal_of_a_mock_that_keeps_none_raises_rather_than_read_empty():
    """With JOURNAL=False, journal() was [] and count_requests() 0 whatever came: an assertion that no request
    failed passed without looking at any."""
    with running_mock(JOURNAL=False) as mock:
        assert requests.get(f"{mock.url}/nope", timeout=10).status_code == 404
        for read in (mock.journal, lambda: mock.count_requests(status="4xx")):
            with pytest.raises(RuntimeError, match=r"keeps no journal \(it was started with JOURNAL=False\)"):
                read()
        assert mock.campaigns() == []


def test_count_requests_counts_every_match_beyond_a_listing(contract):
    with running_mock() as mock:
        for _ in range(3):
            requests.post(mock.endpoint, json=contract.sample_request, headers=mock.headers, timeout=10)
        requests.get(f"{mock.url}/nope", timeout=10)
        assert mock.count_requests() == 4
        assert mock.count_requests(status=409) == 2 and mock.count_requests(status="2xx") == 1
        assert mock.count_requests(method="POST", path="/campaign/*", account_id=mock.account_id) == 3
        assert len(mock.journal(limit=1)) == 1
        newest = mock.journal(limit=1)[0]
        requests.get(f"{mock.url}/later", timeout=10)
        assert [entry["path"] for entry in mock.journal(after=newest["id"])] == ["/later"]
        with pytest.raises(TypeError):
            mock.journal(stauts=409)  # a misspelt filter is an error, not "no filter"


def test_an_admin_call_the_mock_refuses_raises_with_the_mock_s_own_words():
    """A bare "400 Client Error: BAD REQUEST" left the user to guess that "slow" is no fault directive."""
    with running_mock() as mock:
        refusal = "400 from POST /__admin/faults: .*unknown directive 'slow'"
        with pytest.raises(requests.HTTPError, match=refusal) as bad:
            mock.add_fault("slow")
        assert bad.value.response.status_code == 400
        with pytest.raises(requests.HTTPError, match="404 from DELETE /__admin/campaigns/cd-nope: No campaign"):
            mock.delete_campaign("cd-nope")


MERGED_MARKERS = '''
import pytest

pytestmark = pytest.mark.kore_mock(clock="2025-12-04T10:50:56.762Z", seed=1)


def options(mock):
    return {key: mock.app.config[key] for key in ("CLOCK", "SEED", "RATE_LIMIT", "MAX_BODY_BYTES")}


@pytest.mark.kore_mock(RATE_LIMIT="60/min")
def test_the_module_s_marker_and_the_test_s(kore_mock):
    assert options(kore_mock) == {"CLOCK": "2025-12-04T10:50:56.762Z", "SEED": 1, "RATE_LIMIT": "60/min",
                                  "MAX_BODY_BYTES": 65536}


@pytest.mark.kore_mock(seed=3, MAX_BODY_BYTES=1024)
@pytest.mark.kore_mock(seed=2, RATE_LIMIT="5/min")
def test_stacked_markers(kore_mock):
    assert options(kore_mock) == {"CLOCK": "2025-12-04T10:50:56.762Z", "SEED": 2, "RATE_LIMIT": "5/min",
                                  "MAX_BODY_BYTES": 1024}


@pytest.mark.kore_mock(clock="2026-01-01T00:00:00Z")
class TestAClass:
    @pytest.mark.kore_mock(seed=4)
    def test_class_and_module(self, kore_mock):
        assert options(kore_mock) == {"CLOCK": "2026-01-01T00:00:00Z", "SEED": 4, "RATE_LIMIT": None,
                                      "MAX_BODY_BYTES": 65536}


@pytest.mark.kore_mock(SEED=6, CLOCK="2026-01-01T00:00:00Z")
class TestBothSpellings:
    @pytest.mark.kore_mock(seed=7)
    def test_the_closest_wins_whichever_spelling(self, kore_mock):
        assert options(kore_mock)["SEED"] == 7 and options(kore_mock)["CLOCK"] == "2026-01-01T00:00:00Z"
'''


def test_kore_mock_markers_are_merged_closest_first(pytester, monkeypatch):
    """Only the closest kore_mock marker was used: a module's `pytestmark` clock was dropped without a word when the
    test had a marker of its own, and of two stacked markers only one counted."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pytester.makepyfile(test_markers=MERGED_MARKERS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=4)


@pytest.mark.parametrize(("options", "named"), [
    ({"seed": 1, "SEED": 2}, "seed and SEED"),
    ({"database": "a.sqlite3", "DATABASE": "b.sqlite3"}, "database and DATABASE"),
])
def test_an_option_given_in_both_spellings_is_refused(options, named, tmp_path):
    """seed=1 with SEED=2 (or a module's marker giving one and a test's the other) ran with SEED's value, whichever
    was meant, without a word."""
    options = {key: tmp_path / value if "sqlite3" in str(value) else value for key, value in options.items()}
    with pytest.raises(TypeError) as refused:
        with running_mock(**options):
            pass
    assert str(refused.value) == f"running_mock() got {named}, one option given twice: give it once"
    assert list(tmp_path.iterdir()) == []


def test_campaigns_and_journal_list_every_entry_not_the_first_100(contract):
    """campaigns() and journal() asked for 100 entries and stopped there without a word: after 101 creates,
    len(mock.campaigns()) was 100 while mock.count_requests() was 101."""
    with running_mock() as mock:
        names = [f"Campaign {number}" for number in range(101)]
        for name in names:
            answer = requests.post(mock.endpoint, json=mock.sample_request(name=name), headers=mock.headers,
                                   timeout=10)
            assert answer.status_code == 200, answer.text
        assert mock.count_requests() == 101
        assert [campaign["name"] for campaign in mock.campaigns()] == names
        journal = mock.journal()
        assert len(journal) == 101 and len({entry["id"] for entry in journal}) == 101
        assert [entry["id"] for entry in journal] == sorted((entry["id"] for entry in journal), reverse=True)
        assert [campaign["name"] for campaign in mock.campaigns(limit=3)] == names[:3]
        assert mock.journal(limit=2) == journal[:2]
        assert mock.journal(limit=0) == [] and len(mock.journal(limit=500)) == 101
        with pytest.raises(ValueError, match="limit must be a whole number from 0"):
            mock.journal(limit=-1)


def test_listings_are_read_a_page_at_a_time(contract, monkeypatch):
    """Paged by `offset`: a request journaled between two pages moves older entries down the newest-first journal,
    and the entry that comes again is kept once."""
    from mockserver import testing

    monkeypatch.setattr(testing, "ADMIN_PAGE", 4)
    with running_mock() as mock:
        for number in range(10):
            requests.post(mock.endpoint, json=mock.sample_request(name=f"Campaign {number}"), headers=mock.headers,
                          timeout=10)
        assert [campaign["name"] for campaign in mock.campaigns()] == [f"Campaign {number}" for number in range(10)]
        assert [campaign["name"] for campaign in mock.campaigns(limit=6)] == [f"Campaign {n}" for n in range(6)]
        before = mock.journal()
        assert len(before) == 10
        admin, pages = testing.RunningMock._admin, []

        def admin_then_a_request(self, method, path, **kwargs):
            answer = admin(self, method, path, **kwargs)
            pages.append(kwargs["params"]["offset"])
            requests.get(f"{self.url}/between-pages", timeout=10)
            return answer

        monkeypatch.setattr(testing.RunningMock, "_admin", admin_then_a_request)
        assert mock.journal() == before  # each page moved the older entries down by one, and each came once
        assert pages == [0, 4, 8, 12]


@pytest.mark.parametrize(("method", "filters", "words"), [
    ("journal", {"accountId": "x"}, "journal() got unknown filter(s) 'accountId' (did you mean account_id?)"),
    ("journal", {"stauts": 409}, "journal() got unknown filter(s) 'stauts' (did you mean status?)"),
    ("count_requests", {"Path": "/x"}, "count_requests() got unknown filter(s) 'Path' (did you mean path?)"),
])
def test_an_unknown_journal_filter_names_the_method_called(method, filters, words):
    """A wrong keyword raised "journal_params() got an unexpected keyword argument", naming a function the caller
    never called, and not the filter meant."""
    with running_mock() as mock:
        with pytest.raises(TypeError) as refused:
            getattr(mock, method)(**filters)
    assert str(refused.value).startswith(words)
    assert "status, method, path, account_id, since, after" in str(refused.value)


def test_sample_request_refuses_a_field_the_request_does_not_have():
    """sample_request(Name="x", queue="Renewals Team") added both keys; the mock ignores a body's unknown fields, so
    the sample's own name and queue were what the test sent, and it passed for the wrong reason."""
    with running_mock() as mock:
        with pytest.raises(TypeError) as refused:
            mock.sample_request(Name="x", queue="Renewals Team")
        body = mock.sample_request(name="x", queue_name="Renewals Team", priority="high")
    assert str(refused.value).startswith("sample_request() got unknown field(s) 'Name' (did you mean name?),"
                                         " 'queue' (did you mean queue_name?); the request's top-level fields are"
                                         " name, description, contactLists,")
    assert (body["name"], body["queue_name"], body["priority"]) == ("x", "Renewals Team", "high")
