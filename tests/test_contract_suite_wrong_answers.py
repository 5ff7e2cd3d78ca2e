"""Answers that are not the API's: a sign-in page, a wrong base path, a redirect. They stop the run in one line
(exit status 4) rather than fail every case alike, and nothing that is not the API's answer counts as a campaign."""

from __future__ import annotations

import json

import pytest
from fronts import answering_then, canned

from mockserver.testing import serve

SIGN_IN = b"<!doctype html><html><head><title>Sign in</title></head><body><form>...</form></body></html>"


# what a single-sign-on front answers every request it does not let through: 200 and a page
sign_in_page = canned("200 OK", [("Content-Type", "text/html; charset=utf-8")], SIGN_IN)


def test_a_first_answer_that_is_a_page_not_json_stops_the_run(run_contract_suite):
    """With writes off, the summary said "111 campaign(s) on ..., id=?" about 111 sign-in pages."""
    with serve(sign_in_page) as url:
        result = run_contract_suite("--base-url", url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines(["none on http://127.0.0.1:* (run prefix ct-*)",
                                 "*contract suite: *: http://127.0.0.1:* answers 200 with a body that is not JSON"
                                 " (text/html; charset=utf-8: '<!doctype html><html><head><title>Sign in*'): that"
                                 " address is not the API*; give the service's API address as --base-url*"])
    assert "campaign(s) on" not in result.stdout.str() and "Traceback" not in result.stdout.str()


def test_only_a_json_answer_with_the_campaign_id_counts_as_a_campaign_created(run_contract_suite, tmp_path, make_app):
    """The mock, until a session in front of it expires after one request: then a sign-in page (200)."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(answering_then(app, 1, sign_in_page)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()  # the page is no verdict, not the service's
    result.stdout.fnmatch_lines(["1 campaign(s) on http://127.0.0.1:*, all named ct-*",
                                 "  ct-*  id=cd-*  case=sample/vendor-request",
                                 "1 create(s) got no clear answer; the service may have stored them:",
                                 "  may have created ct-*  case=sample/base-request (answered 200: expected the"
                                 " campaign's id as data.id, got a body that is not JSON (text/html; charset=utf-8))"])
    assert "id=?" not in result.stdout.str()
    assert "(a 5xx, or none)" not in result.stdout.str()  # the heading said so of a 200 page


@pytest.mark.parametrize(("status", "body"), [(404, "No such endpoint: POST /api/campaign/*"), (405, "not here")])
def test_a_base_url_that_does_not_reach_the_endpoint_stops_the_run(run_contract_suite, tmp_path, status, body,
                                                                   make_app):
    """`--base-url http://host/api` against the mock: 111 contract failures, each "expected 400, got 404"."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    def method_not_allowed_there(environ, start_response):  # as a web server in front of a wrong path may answer
        if status == 405:
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain")])
            return [b"not here"]
        return app(environ, start_response)  # the mock's own 404 for an unknown path

    with serve(method_not_allowed_there) as url:
        result = run_contract_suite("--base-url", f"{url}/api")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines([f"*contract suite: *: the base URL does not reach the endpoint: POST"
                                 f" /api/campaign/api/v2/public/*/campaign on http://127.0.0.1:*/api got {status}"
                                 f" (*{body}*); give the address the service's API paths start from as --base-url*"])
    assert result.parseoutcomes().get("failed", 0) == 0


def sign_in_redirect(environ, start_response):
    """What a front whose session expired answers: a 302 to its login page."""
    start_response("302 Found", [("Location", f"http://{environ['HTTP_HOST']}/login?next=/campaign")])
    return [b""]


@pytest.mark.parametrize("answers", [0, 3])
def test_a_redirect_to_a_sign_in_page_stops_the_run_naming_the_location(run_contract_suite, tmp_path, answers,
                                                                        make_app):
    """Mid-run, each later case failed "expected 400, got 302" without the Location; at the first answer the
    advice was to give the redirect's address, query and all, as --base-url (which refuses a query)."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(answering_then(app, answers, sign_in_redirect)) as url:
        result = run_contract_suite("--base-url", url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines(["*contract suite: *: http://127.0.0.1:* answer* 302, redirecting to"
                                 " 'http://127.0.0.1:*/login?next=/campaign'*: the API never redirects; is a sign-in"
                                 " page or a proxy in front of that address?*"])
    assert "give --base-url" not in result.stdout.str()
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) == answers and outcomes.get("failed", 0) == 0


def test_a_redirects_credentials_are_not_shown(run_contract_suite):
    """A sign-in front's Location carried a session token (`?session=...`) and a user:password@, both printed whole in
    the CI log."""
    def to_sign_in(environ, start_response):
        start_response("302 Found", [("Location", "https://sso:pa55word@sso.corp.invalid/login?next=/campaign"
                                                  "&session=s3ss10n-t0ken&access_token=acc3ss")])
        return [b""]

    with serve(to_sign_in) as url:
        result = run_contract_suite("--base-url", url, "-k", "auth")
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    result.stdout.fnmatch_lines(["*answers 302, redirecting to 'https://***@sso.corp.invalid/login?next=/campaign"
                                 "&session=<redacted>&access_token=<redacted>'*"])
    assert "pa55word" not in out and "s3ss10n" not in out and "acc3ss" not in out


@pytest.mark.parametrize("status", ["307 Temporary Redirect", "308 Permanent Redirect"])
def test_a_redirect_to_another_host_is_not_followed_so_no_token_goes_there(run_contract_suite, status):
    """A 307 or 308 keeps the method and body: followed, it would send the case's token (the `auth` header, which
    requests does not drop on another host as it drops Authorization) to wherever the Location says."""
    reached = []

    def elsewhere(environ, start_response):
        reached.append(environ.get("HTTP_AUTH"))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    with serve(elsewhere) as other:
        def redirecting(environ, start_response):
            start_response(status, [("Location", f"{other}{environ['PATH_INFO']}?{environ['QUERY_STRING']}")])
            return [b""]

        with serve(redirecting) as url:
            result = run_contract_suite("--base-url", url, "-k", "sample or name")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    assert reached == []
    result.stdout.fnmatch_lines([f"*answers {status[:3]}, redirecting to '{other}/campaign/*': give --base-url"
                                 f" {other} !"])


@pytest.mark.parametrize("status", ["401 Unauthorized", "403 Forbidden"])
def test_a_first_answer_that_is_a_sign_in_fronts_refusal_stops_the_run(run_contract_suite, status):
    """A corporate single sign-on in front of the address answered every request 401 with its own page: 13 cases failed
    the contract ("the body is not JSON"), then the run blamed KORE_CLIENT_ID and KORE_CLIENT_SECRET."""
    def single_sign_on(environ, start_response):
        start_response(status, [("Content-Type", "text/html"), ("WWW-Authenticate", "Negotiate")])
        return [b"<html><body>Corporate SSO: please sign in</body></html>"]

    with serve(single_sign_on) as url:
        result = run_contract_suite("--base-url", url)
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    result.stdout.fnmatch_lines([f"! Interrupted: contract suite: auth/missing: http://127.0.0.1:* answers"
                                 f" {status[:3]} with a body that is not JSON (text/html: '<html><body>Corporate SSO:"
                                 " please sign in*'; WWW-Authenticate: Negotiate): the API answers JSON, so something"
                                 " in front of that address refuses the run (a single sign-on, a gateway that wants"
                                 " credentials of its own?) !"])
    assert "failed" not in out and "KORE_CLIENT_ID" not in out


def plain_text_refusals(app):
    """The mock, but its refusals of credentials (401) said in plain text, as a web framework's default answers."""

    def front(environ, start_response):
        answered = {}
        body = b"".join(app(environ, lambda status, headers, *exc: answered.update(status=status, headers=headers)))
        if answered["status"].startswith("401"):
            start_response("401 Unauthorized", [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")])
            return [b"Unauthorized"]
        start_response(answered["status"], answered["headers"])
        return [body]

    return front


def test_a_first_answer_401_not_json_to_a_case_without_the_runs_token_is_judged(run_contract_suite, tmp_path,
                                                                                 make_app):
    """A service that refuses a missing token in plain text: its answer to auth/missing, the first case, stopped the
    run (exit status 4), blaming "something in front of that address", though the run's own token was never sent;
    no case got a verdict. The run's token, sent once, answers whether something in front refuses it too."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(plain_text_refusals(app)) as url:
        result = run_contract_suite("--base-url", url, "-k", "auth/missing or auth/empty or priority")
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED, out
    assert "refuses the run" not in out and "Interrupted" not in out
    result.stdout.fnmatch_lines(["auth/missing: (response): the body is not JSON (*): 'Unauthorized'"])
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == 2 and outcomes["passed"] >= 2, outcomes


@pytest.mark.parametrize("depth", [900, 5000])
def test_an_answer_nested_too_deep_is_judged_as_a_body_that_is_not_json(run_contract_suite, tmp_path, depth):
    """Each case ended in a RecursionError, an error of the suite's own: from its walks over the answer (900 levels),
    or from the JSON parser (5,000); and so did writing the report."""
    body = b'{"errors": [{"msg": "x", "code": 4000, "deep": ' + b"[" * depth + b"]" * depth + b"}]}"
    deep = canned("400 Bad Request", [("Content-Type", "application/json")], body)
    with serve(deep) as url:
        result = run_contract_suite("--base-url", url, "-k", "priority", "--contract-report",
                                    str(tmp_path / "report.json"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()[-2000:]
    result.stdout.fnmatch_lines(["*: (response): the body is not JSON (or JSON nested over 100 levels deep):"
                                 " '{\"errors\": [{\"msg\": \"x\", \"code\": 4000, \"deep\": [[[*"])
    assert "RecursionError" not in result.stdout.str() and "error" not in result.parseoutcomes()
    assert (tmp_path / "report.json").exists()


def test_a_redirect_whose_location_is_no_url_stops_the_run_in_one_line(run_contract_suite):
    """requests reads a redirect's Location even when it does not follow it: "http://[::1" was a ValueError in
    every case, an error of the suite's own."""
    broken = canned("302 Found", [("Location", "http://[::1"), ("Content-Type", "text/plain")], b"")
    with serve(broken) as url:
        result = run_contract_suite("--base-url", url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines(["*contract suite: *: http://127.0.0.1:* answers 302, redirecting to 'http://[::1':"
                                 " the API never redirects; is a sign-in page or a proxy in front of that address?*"])
    assert "ValueError" not in result.stdout.str()


def without_the_campaign_id(app):
    """The mock, its 2xx answers sent without data.id (a service that returns the campaign before it has one)."""
    def front(environ, start_response):
        said = {}
        body = b"".join(app(environ, lambda status, headers, exc_info=None: said.update(status=status)))
        document = json.loads(body)
        if said["status"].startswith("2"):
            del document["data"]["id"]
        start_response(said["status"], [("Content-Type", "application/json")])
        return [json.dumps(document).encode()]

    return front


def test_a_2xx_without_the_campaign_id_says_what_was_expected_and_what_came(run_contract_suite, tmp_path, make_app):
    """The case said it in two lines of jsonschema's and the sample's words, and the summary said the answer was "not
    JSON with data.id", of a JSON answer."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(without_the_campaign_id(app)) as url:
        result = run_contract_suite("--base-url", url, "--allow-writes", "-k", "sample/base-request")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    result.stdout.fnmatch_lines(["sample/base-request: data.id: expected the campaign's id, a string, got data without"
                                 " id (its keys: name, lname, description, dncLists and 8 more) (body: *",
                                 "sample/base-request: sent POST *",
                                 "*may have created ct-*  case=sample/base-request (answered 200: expected the"
                                 " campaign's id as data.id, got data without id (its keys: name, lname, description,"
                                 " dncLists and 8 more))"])
    assert "is a required property" not in result.stdout.str()
