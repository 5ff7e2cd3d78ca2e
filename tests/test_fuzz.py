"""Property-based fuzzing through the OpenAPI document, with Schemathesis.

The document is the one the app serves at /openapi.json, narrowed to the default account (every name a request
refers to becomes an enum of that account's names), so data Schemathesis generates as valid is valid for the mock
too and must be accepted with 200, and data it generates as invalid must be refused with a documented 4xx. Every
response must conform to the document (status, content type, headers, body schema) and none may be a 5xx.

Most cases run in-process through the WSGI app (about 20 ms a case, nearly all of it generating the body); a
smaller run goes over HTTP to a real `mockserver serve`, so the server layer is fuzzed too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests
import schemathesis
from commands import SCHEMATHESIS_CLI_TIMEOUT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from mockserver import openapi
from mockserver.app import create_app
from mockserver.auth import mint_token
from mockserver.failures import FAILURES
from mockserver.tenant import load_tenant
from mockserver.testing import serve

EXAMPLES = {"valid": 300, "invalid": 300, "broken-token": 25, "live": 60, "cli": 100}  # broken-token: per kind
REJECTED = sorted({str(row.status) for row in FAILURES.values() if 400 <= row.status < 500 and row.status != 429})
CONFIG = {"checks": {
    "positive_data_acceptance": {"expected-statuses": ["200"]},
    "negative_data_rejection": {"expected-statuses": REJECTED},
}}
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
               response_schema_conformance]
VALID_CHECKS = [*CONFORMANCE, positive_data_acceptance]
INVALID_CHECKS = [*CONFORMANCE, negative_data_rejection]
PATH = "/campaign/api/v2/public/{streamId}/campaign"


def fuzz(strategy: st.SearchStrategy, examples: int, **options: Any) -> Callable:
    """A decorator: `body(case)` becomes a Hypothesis test over `examples` cases, with no example database."""
    options = {"max_examples": examples, "deadline": None, "database": None,
               "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large], **options}
    return lambda body: settings(**options)(given(case=strategy)(body))


def broken_tokens(account: Any, other: Any) -> dict[str, tuple[str, int]]:
    """Tokens the mock must refuse, with the status each gets: 401 for a bad token, 403 for another account's."""
    app = account.apps[0]
    good = mint_token(app.client_id, app.client_secret)
    claims = {"sub": "1", "appId": app.client_id}
    return {
        "expired": (mint_token(app.client_id, app.client_secret, ttl=-60), 401),
        "forged signature": (mint_token(app.client_id, "not-the-secret-" + "x" * 32), 401),
        "alg none": (jwt.encode(claims, None, algorithm="none"), 401),
        "HS512": (jwt.encode(claims, app.client_secret * 2, algorithm="HS512"), 401),
        "unknown app": (mint_token("cs-nobody", "s" * 40), 401),
        "truncated": (good[:-5], 401),
        "not a JWT": ("Bearer " + good, 401),
        "empty": ("", 401),
        "another account's": (mint_token(other.apps[0].client_id, other.apps[0].client_secret), 403),
    }


TOKEN_KINDS = sorted(broken_tokens(load_tenant().default_account, load_tenant().accounts[1]))


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("fuzz") / "mock.sqlite3"), "JOURNAL": False})
    yield app
    app.extensions["mock"].store.close()


@pytest.fixture(scope="module")
def operation(fuzz_app, tenant):
    served = fuzz_app.test_client().get("/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(openapi.narrowed(served, tenant.default_account),
                                            config=SchemathesisConfig.from_dict(CONFIG))
    return schema[PATH]["POST"]


@pytest.fixture(scope="module")
def good_token(tenant):
    app = tenant.default_account.apps[0]
    return mint_token(app.client_id, app.client_secret)


def test_valid_data_is_accepted(fuzz_app, operation, good_token):
    store, statuses = fuzz_app.extensions["mock"].store, Counter()

    @fuzz(operation.as_strategy(GenerationMode.POSITIVE, headers={"auth": good_token}), EXAMPLES["valid"])
    def case_passes(case):
        store.reset()  # each case starts empty, so a generated name never collides with an earlier one
        response = case.call(app=fuzz_app)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=VALID_CHECKS)

    case_passes()

    assert set(statuses) == {200}
    assert statuses.total() >= EXAMPLES["valid"] * 0.9, statuses


def test_invalid_data_is_refused_with_a_documented_4xx(fuzz_app, operation, good_token):
    statuses = Counter()

    @fuzz(operation.as_strategy(GenerationMode.NEGATIVE, headers={"auth": good_token}), EXAMPLES["invalid"])
    def case_passes(case):
        response = case.call(app=fuzz_app)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=INVALID_CHECKS)

    case_passes()

    # A few negative cases only add undeclared query parameters, which the mock (like most services) ignores;
    # Schemathesis's check exempts those. Everything else must be refused.
    assert statuses[200] <= statuses.total() * 0.05, statuses
    assert statuses.total() >= EXAMPLES["invalid"] * 0.9, statuses


@pytest.mark.parametrize("kind", TOKEN_KINDS)
def test_broken_tokens_are_refused_before_anything_else(fuzz_app, operation, tenant, kind):
    token, status = broken_tokens(tenant.default_account, tenant.accounts[1])[kind]
    statuses = Counter()
    mode = st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

    @fuzz(mode.flatmap(lambda m: operation.as_strategy(m, headers={"auth": token})), EXAMPLES["broken-token"])
    def case_passes(case):
        response = case.call(app=fuzz_app)
        # Authentication comes first, so a bad token is 401 whatever else is wrong; another account's token is
        # 403 once accountId and the headers are present, which only positive data promises.
        if case.headers.get("auth") == token and (status == 401 or case.meta.generation.mode.is_positive):
            assert response.status_code == status, response.text
            statuses[status] += 1
        assert 400 <= response.status_code < 500, response.text
        case.validate_response(response, checks=CONFORMANCE)

    case_passes()

    assert statuses[status] > 0, "no generated case sent this token as it is"


@pytest.fixture(scope="module")
def served_args(tmp_path_factory) -> tuple[str, ...]:
    """The `mockserver serve` options of the server the module's HTTP tests share: one start and stop, not one a
    test (shared_mock resets it for each)."""
    return "--db", str(tmp_path_factory.mktemp("served") / "mock.sqlite3"), "--no-journal"


def test_random_tokens_against_a_real_server(shared_mock, served_args, tenant, good_token):
    """Over HTTP, with the document fetched from the server: random tokens, and valid ones with mixed data."""
    statuses = Counter()
    server = shared_mock(*served_args)
    served = requests.get(f"{server.url}/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(openapi.narrowed(served, tenant.default_account),
                                            config=SchemathesisConfig.from_dict(CONFIG))
    operation = schema[PATH]["POST"]
    token = st.sampled_from([good_token, None])
    mode = st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    strategy = st.tuples(token, mode).flatmap(
        lambda tm: operation.as_strategy(tm[1], headers={"auth": tm[0]} if tm[0] else None))
    session = requests.Session()

    @fuzz(strategy, EXAMPLES["live"])
    def case_passes(case):
        session.post(f"{server.url}/__admin/reset", timeout=10)
        response = case.call(base_url=server.url, session=session, timeout=10)
        statuses[response.status_code] += 1
        valid = case.meta.generation.mode.is_positive and case.headers.get("auth") == good_token
        case.validate_response(response, checks=VALID_CHECKS if valid else INVALID_CHECKS)

    case_passes()
    health = requests.get(f"{server.url}/__admin/health", timeout=10)
    assert health.status_code == 200
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[200] and statuses.total() - statuses[200], statuses


def lying(app: Any, status: str) -> Callable:
    """A WSGI middleware that answers every request with `status` and the real response's body."""

    def wsgi(environ: dict, start_response: Callable) -> Any:
        return app(environ, lambda _status, headers, *rest: start_response(status, headers, *rest))

    return wsgi


@pytest.mark.parametrize(
    ("status", "mode", "caught"),
    [("200 OK", GenerationMode.NEGATIVE, "AcceptedNegativeData"),
     ("500 INTERNAL SERVER ERROR", GenerationMode.POSITIVE, "ServerError"),
     ("400 BAD REQUEST", GenerationMode.POSITIVE, "RejectedPositiveData")],
    ids=["accepts invalid data", "server error", "refuses valid data"],
)
def test_the_checks_catch_a_broken_mock(fuzz_app, operation, good_token, status, mode, caught):
    broken = lying(fuzz_app, status)

    @fuzz(operation.as_strategy(mode, headers={"auth": good_token}), 10, report_multiple_bugs=False)
    def case_passes(case):
        fuzz_app.extensions["mock"].store.reset()
        response = case.call(app=broken)
        case.validate_response(response, checks=VALID_CHECKS if mode.is_positive else INVALID_CHECKS)

    with pytest.raises(FailureGroup) as raised:
        case_passes()
    assert caught in {type(failure).__name__ for failure in raised.value.exceptions}


@pytest.mark.parametrize("ignores_the_token", [False, True], ids=["checks the token", "ignores the token"])
def test_ignored_auth_tells_a_mock_that_checks_the_token_from_one_that_does_not(fuzz_app, operation, good_token,
                                                                                  ignores_the_token):
    """The document declares the JWT header as a security scheme, so Schemathesis's `ignored_auth` check sends
    each request again without it and with a wrong one; as a plain header parameter, the check had nothing to do.
    Over HTTP: the check's own requests go through requests."""

    def ignoring(environ: dict, start_response: Callable) -> Any:
        environ["HTTP_AUTH"] = good_token  # whatever the client sent, or nothing
        return fuzz_app(environ, start_response)

    with serve(ignoring if ignores_the_token else fuzz_app) as url:
        @fuzz(operation.as_strategy(GenerationMode.POSITIVE, headers={"auth": good_token}), 3,
              report_multiple_bugs=False)
        def case_passes(case):
            fuzz_app.extensions["mock"].store.reset()
            response = case.call(base_url=url)
            case.validate_response(response, checks=[ignored_auth], headers={"auth": good_token},
                                   transport_kwargs={"base_url": url})

        if not ignores_the_token:
            case_passes()
            return
        with pytest.raises(FailureGroup) as raised:
            case_passes()
    assert "IgnoredAuth" in {type(failure).__name__ for failure in raised.value.exceptions}


def test_schemathesis_cli_with_every_check_finds_nothing(shared_mock, served_args, tmp_path, tenant, good_token):
    """The CLI adds what the Python API above does not run: its examples and coverage phases (boundary values,
    missing parameters, undeclared methods) and every check it has, against a real server."""
    server = shared_mock(*served_args)
    served = requests.get(f"{server.url}/openapi.json", timeout=10).json()
    document = tmp_path / "openapi.json"
    document.write_text(openapi.render(openapi.narrowed(served, tenant.default_account)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", str(document), "--url", server.url,
         "-H", f"auth: {good_token}", "--checks", "all", "--max-examples", str(EXAMPLES["cli"]), "--no-color"],
        capture_output=True, text=True, timeout=SCHEMATHESIS_CLI_TIMEOUT, cwd=tmp_path, encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    generated = re.search(r"(\d+) generated, \1 passed", result.stdout)
    assert generated and int(generated.group(1)) >= EXAMPLES["cli"], result.stdout[-2000:]
