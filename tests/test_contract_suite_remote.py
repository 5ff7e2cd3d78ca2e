"""The suite against a separately started mock process (`mockserver serve`), standing in for the real service.

This is the --base-url path a team takes against a QA sandbox or the live API: creating cases run only with
--allow-writes, every name created carries the run's prefix, no token or secret reaches the output, and a 429
is waited for rather than reported.
"""

from __future__ import annotations

import json
import re

import pytest
import requests
from fronts import answering_every, answering_then, dropping, rate_limited

from contract_tests.runner import REFUSED_TOKENS_STOP, UNANSWERED_STOP
from mockserver import process
from mockserver.tenant import load_tenant
from mockserver.testing import serve


@pytest.fixture
def remote(shared_mock):
    """The URL of the run's plain `mockserver serve` (two workers), reset: no campaign of an earlier test's left."""
    return shared_mock("--db", ":memory:").url


def campaigns(url: str) -> list[dict]:
    listed = requests.get(f"{url}/__admin/campaigns", params={"limit": 10_000}, timeout=10).json()
    return [entry["campaign"] for entry in listed["campaigns"]]


def secrets_of_default_tenant() -> list[str]:
    return [app.client_secret for account in load_tenant().accounts for app in account.apps]


def test_without_allow_writes_nothing_is_created(run_contract_suite, remote):
    before = len(campaigns(remote))
    result = run_contract_suite("--base-url", remote)
    assert result.ret == pytest.ExitCode.OK
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 60 and outcomes["skipped"] > 60
    result.stdout.fnmatch_lines(["*contract target: http://127.0.0.1:*writes off*", "none on http://127.0.0.1:*"])
    assert "pass --allow-writes to run it" in result.stdout.str()
    result.stdout.fnmatch_lines(["*auth/no-typ: creates a campaign on http://127.0.0.1:*: pass --allow-writes*",
                                 "*auth/padded-signature: may create a campaign on http://127.0.0.1:*, if it accepts"
                                 " what the mock refuses: pass --allow-writes to run it"], consecutive=False)
    assert len(campaigns(remote)) == before


def test_with_allow_writes_every_name_carries_the_run_prefix(run_contract_suite, remote, tmp_path):
    report = tmp_path / "remote.json"
    before = {c["id"] for c in campaigns(remote)}
    result = run_contract_suite("--base-url", remote, "--allow-writes", "--contract-report", str(report))
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    document = json.loads(report.read_text(encoding="utf-8"))
    prefix = document["runPrefix"]
    created = [c for c in campaigns(remote) if c["id"] not in before]
    assert len(created) > 60
    assert all(c["name"].startswith(prefix) for c in created), [c["name"] for c in created]
    assert all(len(c["name"]) <= 48 for c in created)
    result.stdout.fnmatch_lines([f"{len(created)} campaign(s) on http://127.0.0.1:*, all named {prefix}...:"])
    assert len(document["records"]) >= 60 and {r["verdict"] for r in document["records"]} <= {"pass", "skip"}
    written = report.read_text(encoding="utf-8")
    leaked = [s for s in secrets_of_default_tenant() if s in result.stdout.str() or s in written]
    assert not leaked and "eyJ" not in written and "eyJ" not in result.stdout.str()


def test_a_rate_limited_target_is_waited_for_not_failed(run_contract_suite, tmp_path, make_app):
    """The mock behind a limiter that answers every third request 429, as a rate-limited service does."""
    with serve(answering_every(make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}), 3, rate_limited)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "scope or names")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.stdout.fnmatch_lines(["rate limited * time(s); waited 0 s as told"])


def test_an_https_target_is_trusted_through_requests_ca_bundle(run_contract_suite, pems, monkeypatch, tmp_path):
    """The real service speaks HTTPS: here `mockserver serve --certfile` with a self-signed certificate stands in."""
    with process.running("--db", str(tmp_path / "mock.sqlite3"), "--certfile", pems["cert"], "--keyfile", pems["key"],
                         verify=pems["ca"]) as server:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
        monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
        untrusted = run_contract_suite("--base-url", server.url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", pems["ca"])
        trusted = run_contract_suite("--base-url", server.url, "--allow-writes")
    assert untrusted.ret == pytest.ExitCode.USAGE_ERROR
    untrusted.stdout.fnmatch_lines(["*no answer from https://127.0.0.1:*CERTIFICATE_VERIFY_FAILED*REQUESTS_CA_BUNDLE*"])
    assert trusted.ret == pytest.ExitCode.OK, trusted.stdout.str()
    assert trusted.parseoutcomes()["passed"] >= 200


def test_a_target_that_stops_answering_gives_no_verdict_then_stops_the_run(run_contract_suite, tmp_path, make_app):
    """Each case it leaves unanswered is no verdict, not a contract failure; after a few in a row the run stops."""
    with serve(answering_then(make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}), 3, dropping)) as url:
        result = run_contract_suite("--base-url", url, "-k", "auth")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    outcomes = result.parseoutcomes()
    assert (outcomes["passed"], outcomes["failed"]) == (3, UNANSWERED_STOP - 1), outcomes
    # the failures section's "<case id>: no verdict: ..." lines, not the summary's (cut to the terminal's width)
    unanswered = re.findall(r"^[\w./-]+: no verdict: no answer from http://127\.0\.0\.1:", result.stdout.str(), re.M)
    assert len(unanswered) == UNANSWERED_STOP - 1
    result.stdout.fnmatch_lines(["*contract suite: *: 3 cases in a row got no answer, a gateway's page or a rate"
                                 " limit that did not lift (last: no answer from http://127.0.0.1:*"])
    assert "Traceback" not in result.stdout.str()


def redirecting_to_https(environ, start_response):
    """What a service answers on http:// when it lives on https://: the same path and query there."""
    location = f"https://{environ['HTTP_HOST']}{environ['PATH_INFO']}?{environ['QUERY_STRING']}"
    start_response("301 Moved Permanently", [("Location", location)])
    return [b""]


def test_a_target_that_redirects_stops_the_run_naming_where_it_redirects(run_contract_suite):
    with serve(redirecting_to_https) as url:
        result = run_contract_suite("--base-url", url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["*contract suite: */*: http://127.0.0.1:* answers 301, redirecting to"
                                 " 'https://127.0.0.1:*/campaign/api/v2/public/*/campaign?*': give --base-url"
                                 " https://127.0.0.1:* !*"])
    assert "?" not in result.stdout.str().split("give --base-url")[1].splitlines()[0]  # --base-url refuses a query
    assert "Traceback" not in result.stdout.str()


def test_refused_credentials_are_named_as_the_likely_cause(run_contract_suite, remote, monkeypatch):
    """Fewer cases than it takes to stop the run: each says why it likely failed, naming where the credentials came
    from as the stop line does. Each said "are KORE_CLIENT_ID and KORE_CLIENT_SECRET (or the --tenant file's first
    app) an app of the account under test?", whichever was set."""
    monkeypatch.setenv("KORE_CLIENT_SECRET", "not-the-secret")
    result = run_contract_suite("--base-url", remote, "-k", "name and maxLength and outside")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*expected status 400, got 401 (body: *) -- the target refused the token:"
                                 " KORE_CLIENT_SECRET is set but KORE_CLIENT_ID is not, so it was sent as the secret"
                                 " of *tenant.json's app 'cs-*': set KORE_CLIENT_ID to the app it belongs to"])
    assert "not-the-secret" not in result.stdout.str()


def test_credentials_refused_from_the_start_stop_the_run_in_one_line(run_contract_suite, remote, monkeypatch):
    """A wrong secret failed all ~115 cases, each with the same hint."""
    monkeypatch.setenv("KORE_CLIENT_SECRET", "not-the-secret")
    result = run_contract_suite("--base-url", remote)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines([f"*contract suite: *: {remote} refused the token on each of the first"
                                 f" {REFUSED_TOKENS_STOP} cases that send a valid one (401; last: *):"
                                 " KORE_CLIENT_SECRET is set but KORE_CLIENT_ID is not*"])
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) < REFUSED_TOKENS_STOP
    assert "not-the-secret" not in result.stdout.str() and "Traceback" not in result.stdout.str()


def refusing_tokens_after(make_app, tmp_path, accepted: int):
    """The mock behind a front that answers every request 401, as the vendor does to an unknown token, once the mock
    has let `accepted` tokens through (answered anything but 401)."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    passed = []

    def middleware(environ, start_response):
        if len(passed) >= accepted:
            body = json.dumps({"errors": [{"msg": "Invalid JWT token", "code": 4002}]}).encode()
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [body]

        def noting(status, headers, *exc_info):
            if not status.startswith("401"):
                passed.append(status)
            return start_response(status, headers, *exc_info)

        return app(environ, noting)

    return middleware


def test_a_token_refused_after_others_passed_fails_only_its_case(run_contract_suite, tmp_path, make_app):
    """Once a valid token has passed, a 401 is that case's verdict (drift), not a reason to stop."""
    with serve(refusing_tokens_after(make_app, tmp_path, accepted=REFUSED_TOKENS_STOP + 2)) as url:
        result = run_contract_suite("--base-url", url)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "refused the token on each of the first" not in result.stdout.str()
    assert result.stdout.str().count("-- the target refused the token") >= 1


def test_delete_created_leaves_a_mock_sandbox_as_it_found_it(run_contract_suite, remote):
    """Each run against a shared sandbox left ~100 campaigns, and only a reset of everyone's state removed them."""
    before = {c["id"] for c in campaigns(remote)}
    result = run_contract_suite("--base-url", remote, "--allow-writes", "--delete-created")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert {c["id"] for c in campaigns(remote)} == before
    result.stdout.fnmatch_lines(["*campaign(s) on http://127.0.0.1:*",
                                 "deleted * of * through http://127.0.0.1:*/__admin"])
    listed = result.stdout.str().split("campaign(s) on")[0].split()[-1]
    assert f"deleted {listed} of {listed} " in result.stdout.str()


def test_delete_created_against_a_service_without_the_admin_api_deletes_nothing_and_says_so(run_contract_suite,
                                                                                              tmp_path, make_app):
    """The vendor's API has no delete: against it (here, the mock without /__admin) the run says so in one line."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    def without_admin(environ, start_response):
        if environ["PATH_INFO"].startswith("/__admin"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not here"]
        return app(environ, start_response)

    with serve(without_admin) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "--delete-created")
        left = campaigns_in(app)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert left > 60
    result.stdout.fnmatch_lines(["not deleted: http://127.0.0.1:* is not a kore-campaign-mock*"])


def campaigns_in(app) -> int:
    return app.extensions["mock"].store.count_campaigns()


def test_delete_created_on_a_sandbox_with_an_admin_token_uses_mock_admin_token(run_contract_suite, tmp_path,
                                                                               monkeypatch):
    """A wrong or missing token stops the run before any case: it created 97 campaigns, said in one line that none
    could be deleted, and exited 0."""
    with process.running("--db", str(tmp_path / "mock.sqlite3"), "--admin-token", "sandbox-secret-0123") as server:
        missing = run_contract_suite("--base-url", server.url, "--allow-writes", "--delete-created", "-k", "sample")
        monkeypatch.setenv("MOCK_ADMIN_TOKEN", "wrong")
        wrong = run_contract_suite("--base-url", server.url, "--allow-writes", "--delete-created", "-k", "sample")
        after_refusals = requests.get(f"{server.url}/__admin/health", timeout=10).json()["campaigns"]
        monkeypatch.setenv("MOCK_ADMIN_TOKEN", "sandbox-secret-0123")
        accepted = run_contract_suite("--base-url", server.url, "--allow-writes", "--delete-created", "-k", "sample")
        left = requests.get(f"{server.url}/__admin/health", timeout=10).json()["campaigns"]
    assert (missing.ret, wrong.ret) == (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.USAGE_ERROR)
    missing.stderr.fnmatch_lines(["ERROR: contract suite: --delete-created: http://127.0.0.1:*/__admin wants the"
                                  " mock's admin token: set MOCK_ADMIN_TOKEN; no case was run, so none created a"
                                  " campaign"])
    wrong.stderr.fnmatch_lines(["ERROR: contract suite: --delete-created: http://127.0.0.1:*/__admin refused the token"
                                " in MOCK_ADMIN_TOKEN (401): set it to the --admin-token the mock was started with; no"
                                " case was run, so none created a campaign"])
    assert after_refusals == 0
    assert accepted.ret == pytest.ExitCode.OK, accepted.stdout.str()
    accepted.stdout.fnmatch_lines(["deleted 2 of 2 through http://127.0.0.1:*/__admin"])
    assert left == 0
    assert "sandbox-secret-0123" not in missing.stderr.str() + wrong.stderr.str() + accepted.stdout.str()


@pytest.mark.parametrize("processes", [(), ("-p", "xdist", "-n", "2")], ids=["one process", "xdist"])
def test_a_clean_up_that_leaves_campaigns_fails_a_run_that_passed(run_contract_suite, tmp_path, processes, make_app):
    """Every DELETE answered 503 printed a line per campaign left, and the run exited 0: a CI job that needs the
    sandbox clean took it for clean. Under pytest-xdist the clean-up's lines were not shown at all."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    def refusing_deletes(environ, start_response):
        if environ["REQUEST_METHOD"] == "DELETE" and environ["PATH_INFO"].startswith("/__admin/campaigns/"):
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"busy"]
        return app(environ, start_response)

    with serve(refusing_deletes) as url:
        result = run_contract_suite(*processes, "--base-url", url, "--allow-writes", "--delete-created", "-k",
                                    "sample")
        left = campaigns_in(app)
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR, result.stdout.str()
    assert result.parseoutcomes()["passed"] == 2 and left == 2
    result.stdout.fnmatch_lines(["deleted 0 of 2 through http://127.0.0.1:*/__admin", "  ct-*: answered 503",
                                 "  ct-*: answered 503", "exit status 3: --delete-created left campaigns on"
                                 " http://127.0.0.1:* that it should have deleted (see above)"])


def accepting_padded_signatures(app):
    """A target less strict than the mock: it strips a token signature's '=' padding before the mock reads it."""

    def wrapped(environ, start_response):
        token = environ.get("HTTP_AUTH")
        if token:
            environ["HTTP_AUTH"] = token.rstrip("=")
        return app(environ, start_response)

    return wrapped


def test_a_target_accepting_what_only_the_mock_refuses_is_told_apart_from_a_broken_contract(run_contract_suite,
                                                                                           tmp_path, make_app):
    """`auth/padded-signature` is `may_create`: the mock's own reading. Answered 200 by a service, it failed with
    "expected status 401, got 200" alone, as if the service broke the documented contract."""
    with serve(accepting_padded_signatures(make_app({"DATABASE": str(tmp_path / "m.sqlite3")}))) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "auth/")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.parseoutcomes()["failed"] == 1, result.stdout.str()
    result.stdout.fnmatch_lines(["auth/padded-signature: auth: expected status 401, got 200 (body: *) -- the target"
                                 " accepted what only the mock is known to refuse: the case is `may_create`, a"
                                 " refusal that is the mock's own reading (its description says which), so here the"
                                 " mock is stricter than the target"])


def test_a_setup_step_refused_says_where_the_credentials_came_from(run_contract_suite, remote, monkeypatch,
                                                                    tmp_path):
    """A `before` step answered 401 said only "expected status 200, got 401", where the case's own request, so
    answered, names the credentials and where they came from."""
    monkeypatch.setenv("KORE_CLIENT_SECRET", "not-the-secret")
    cases = {"group": "team", "cases": [{
        "id": "after-one", "description": "d", "subject": "name",
        "before": [{"set": {"name": "{{run.name}}"}}], "expect": {"status": 409}}]}
    (tmp_path / "team.json").write_text(json.dumps(cases), encoding="utf-8")
    result = run_contract_suite("--base-url", remote, "--allow-writes", "--contract-cases", str(tmp_path),
                                "-k", "team/after-one")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    result.stdout.fnmatch_lines(["*before[[]0] must succeed first: expected status 200, got 401 (body: *) -- the"
                                 " target refused the token: KORE_CLIENT_SECRET is set but KORE_CLIENT_ID is not*"])
    assert "not-the-secret" not in result.stdout.str()
