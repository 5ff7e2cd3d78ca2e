"""A team's own token recipes signed with the run's credentials (a `kid` header, another `ttl`), answered 401: the
run learns whether its credentials or the recipe were refused, and stops as it does for the run's own token."""

from __future__ import annotations

import base64
import json

import pytest
from fronts import envelope

from mockserver.paths import DEFAULT_TENANT
from mockserver.tenant import load_tenant
from mockserver.testing import serve

RECIPE_REFUSED = "-- the target takes the run's own token, so it is this case's token recipe it refused"
APP = load_tenant(DEFAULT_TENANT).default_account.apps[0]


def recipe_case(name: str, recipe: dict) -> dict:
    return {"id": name, "description": "Our client's token.", "subject": "auth", "request": {"token": recipe,
            "set": {"priority": "0"}}, "expect": {"status": 400, "fields": ["priority"]}}


def team_folder(tmp_path, *cases: dict):
    folder = tmp_path / "team-cases"
    folder.mkdir()
    document = {"group": "team", "description": "Ours.", "cases": list(cases)}
    (folder / "team.json").write_text(json.dumps(document), encoding="utf-8")
    return str(folder)


def said_in_failures(out: str, words: str) -> int:
    """How many failures' reports say `words`, short summary aside: its lines are whole under CI=true (as pytest has
    them where CI is set), cut to the terminal's width elsewhere."""
    return sum(words in line for line in out.splitlines() if not line.startswith(("FAILED ", "ERROR ")))


KID_CASES = [recipe_case(f"kid-{n}", {"header": {"kid": f"dialer-{n}"}}) for n in range(5)]


def test_recipes_signed_with_refused_credentials_stop_the_run_naming_them(run_contract_suite, tmp_path, make_app,
                                                                          monkeypatch):
    """A team file whose every case adds a `kid` header never stopped: each case failed "expected status 400, got
    401" with no word on the credentials, as if the recipe were at fault."""
    monkeypatch.setenv("KORE_CLIENT_ID", APP.client_id)
    monkeypatch.setenv("KORE_CLIENT_SECRET", "not-the-secret-of-this-app-0123456789abcd")
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    with serve(app) as url:
        result = run_contract_suite("--base-url", url, "--contract-cases", team_folder(tmp_path, *KID_CASES),
                                    "-k", "team/")
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, out
    result.stdout.fnmatch_lines([f"! Interrupted: contract suite: team/kid-2: {url} refused the token on each of the"
                                 " first 3 cases that send a valid one (401; last: *Invalid JWT token*): are"
                                 f" KORE_CLIENT_ID ('{APP.client_id}') and KORE_CLIENT_SECRET an app of account"
                                 " '65f1c0ffee0ddba11a5e0001' and its secret? *"])
    assert said_in_failures(out, "-- the target refused the token: are KORE_CLIENT_ID") == 2, out
    assert result.parseoutcomes().get("failed", 0) == 2


def test_a_recipe_refused_where_the_runs_own_token_is_taken_says_so(run_contract_suite, tmp_path, make_app):
    """The service refuses a token with a `kid` header and takes the run's own: the case said "expected status 400,
    got 401" alone."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})

    def refusing_a_kid(environ, start_response):
        token = environ.get("HTTP_AUTH", "")
        header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==")) if token else {}
        if "kid" in header:
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [json.dumps({"errors": [{"msg": "Unknown key id", "code": 4002}]}).encode()]
        return app(environ, start_response)

    with serve(refusing_a_kid) as url:
        result = run_contract_suite("--base-url", url, "--contract-cases", team_folder(tmp_path, *KID_CASES),
                                    "-k", "team/")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    assert said_in_failures(result.stdout.str(), RECIPE_REFUSED) == len(KID_CASES)
    assert "refused the token on each" not in result.stdout.str()


@pytest.mark.parametrize(("env", "said"), [
    ({"KORE_CLIENT_SECRET": "not-the-secret-of-this-app-0123456789abcd"},
     "KORE_CLIENT_SECRET is set but KORE_CLIENT_ID is not, so it was sent as the secret of *tenant.json's app"
     f" '{APP.client_id}': set KORE_CLIENT_ID to the app it belongs to (if the credentials are right, *"),
    ({"KORE_CLIENT_ID": APP.client_id},
     f"KORE_CLIENT_ID ('{APP.client_id}') is set but KORE_CLIENT_SECRET is not, so its secret came from"
     " *tenant.json: set KORE_CLIENT_SECRET too (if the credentials are right, *"),
    ({}, f"is *tenant.json's app '{APP.client_id}' an app of account '65f1c0ffee0ddba11a5e0001', with that secret?"
         " (KORE_CLIENT_ID and KORE_CLIENT_SECRET give the run another) (if the credentials are right, *"),
])
def test_the_refused_token_stop_names_where_the_credentials_came_from(run_contract_suite, monkeypatch, env, said):
    """It asked "are KORE_CLIENT_ID and KORE_CLIENT_SECRET (or the --tenant file's first app) an app of the account
    under test?" whatever was set: a secret exported without its client id was sent for the tenant file's app."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with serve(envelope("401 Unauthorized", "Invalid JWT token", 4002)) as url:
        result = run_contract_suite("--base-url", url, "-k", "priority")
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    result.stdout.fnmatch_lines([f"! Interrupted: contract suite: *: {url} refused the token on each of the first 3"
                                 f" cases that send a valid one (401; last: *): {said}"])
