"""A tenant app's client secret of any length signs and checks tokens, under this suite's `filterwarnings = error`.

PyJWT 2.11 and later warn of an HMAC key shorter than the hash (InsecureKeyLengthWarning), and a test run with
warnings as errors raised it inside the mock. The secrets are the vendor's, or the tenant file's: the mock takes them
as they are. With PyJWT 2.8 to 2.10, which do not warn, these tests pass as they always did.
"""

from __future__ import annotations

import json

import pytest
import requests

from contract_tests.tokens import claims_for, sign
from mockserver.bad_inputs import token_kinds
from mockserver.paths import DEFAULT_TENANT
from mockserver.tenant import parse_tenant

SHORT_SECRET = "s3cret"  # 6 bytes; PyJWT's minimum for HS256 is 32


def short_secret_tenant() -> dict:
    """The default tenant, its first account's first app holding a 6-byte secret."""
    tenant = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    tenant["accounts"][0]["apps"][0]["clientSecret"] = SHORT_SECRET
    return tenant


@pytest.mark.kore_mock(tenant=short_secret_tenant())
def test_a_token_signed_with_a_short_client_secret_is_accepted_in_process(kore_mock, contract):
    """The fixture's headers (a token minted for the app, as kore_mock.token() mints it) raised
    InsecureKeyLengthWarning in the test itself, before anything was sent."""
    answer = requests.post(kore_mock.endpoint, json=contract.sample_request, headers=kore_mock.headers, timeout=10)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("secret", "status"), [(SHORT_SECRET, 200), (SHORT_SECRET.upper(), 401)],
                         ids=["its secret", "another short secret"])
@pytest.mark.kore_mock(tenant=short_secret_tenant())
def test_the_mock_checks_a_token_against_a_short_client_secret(secret, status, kore_mock, contract):
    """The mock's check of the signature raised InsecureKeyLengthWarning in its thread: a 500 (`Internal error in
    the mock`) for a token signed with the app's secret and for one signed with another, not a 200 and a 401. The
    tokens here are signed by the contract suite's own HMAC, which PyJWT has no part in, so only the mock's check is
    tried."""
    app = kore_mock.account.apps[0]
    headers = {"auth": sign(claims_for(app.client_id), secret), "accountid": kore_mock.account_id,
               "iid": kore_mock.stream_id}
    answer = requests.post(kore_mock.endpoint, json=contract.sample_request, headers=headers, timeout=10)
    assert answer.status_code == status, answer.text
    if status == 401:
        [error] = answer.json()["errors"]
        assert error["hint"] == f"the signature does not match the client secret of app {app.client_id}"


def test_a_short_client_secret_s_bad_input_tokens_are_minted_without_a_warning():
    """The bad-input corpus's tokens (an HS512 one signed with the secret twice, one with no appId) were signed by
    PyJWT's own jwt.encode, which raised InsecureKeyLengthWarning under warnings as errors."""
    tenant = parse_tenant(short_secret_tenant())
    tokens = token_kinds(tenant)
    assert all(token.count(".") == 2 for token in tokens.values())
