"""Step 1: the `auth` header must hold an HS256 JWT signed with a tenant app's secret."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import SimpleNamespace

import jwt
import pytest

from mockserver.auth import TokenCache, authenticate, mint_token

SECRET_OF_NOBODY = "an-entirely-different-secret-of-32-bytes!"


def tokens(app):
    """kind -> (the auth header, the vendor's message, the mock's hint: which check failed)."""
    claims = {"sub": "1", "appId": app.client_id}
    expired = mint_token(app.client_id, app.client_secret, ttl=-60)
    expired_at = datetime.fromtimestamp(jwt.decode(expired, options={"verify_signature": False})["exp"], UTC)
    return {
        "missing": (None, "Invalid SDK credentials", "no auth header: send the JWT in a header named auth"),
        "empty": ("", "Invalid SDK credentials", "the auth header is empty: send the JWT in it"),
        "no alg": (jwt.encode(claims, app.client_secret, algorithm="HS256", headers={"alg": None}),
                   "Invalid JWT token", "the token header names no alg; tokens for this API are signed HS256 with the"
                   " app's client secret"),
        "garbled": ("not.a.jwt", "Invalid JWT token",
                    "the auth header is not a JWT: its header is not base64url as any bytes encode to: its last"
                    " letter, 't', sets bits no byte fills (a letter changed in copying?)"),
        "bearer": ("Bearer " + mint_token(app.client_id, app.client_secret), "Invalid JWT token",
                   "the auth header holds the JWT alone, without 'Bearer '"),
        "wrong secret": (jwt.encode(claims, SECRET_OF_NOBODY, algorithm="HS256"), "Invalid JWT token",
                         f"the signature does not match the client secret of app {app.client_id}"),
        "alg none": (jwt.encode(claims, None, algorithm="none"), "Invalid JWT token",
                     "the token is signed with 'none'; tokens for this API are signed HS256 with the app's client"
                     " secret"),
        "HS512": (jwt.encode(claims, app.client_secret + "x" * 40, algorithm="HS512"), "Invalid JWT token",
                  "the token is signed with 'HS512'; tokens for this API are signed HS256 with the app's client"
                  " secret"),
        "expired": (expired, "Invalid JWT token",
                    f"the token expired at {expired_at.isoformat(timespec='seconds').replace('+00:00', 'Z')}"),
        "issued in the future": (jwt.encode(claims | {"iat": int(time.time()) + 3600}, app.client_secret,
                                            algorithm="HS256"), "Invalid JWT token",
                                 "the token's iat is 60 min ahead of the mock's clock, which allows 60 s: is the"
                                 " client's clock fast?"),
        "unknown appId": (
            jwt.encode({"sub": "1", "appId": "cs-unknown"}, SECRET_OF_NOBODY, algorithm="HS256"),
            "Invalid SDK credentials", "appId 'cs-unknown' is no app's client id in this tenant",
        ),
        "no appId": (jwt.encode({"sub": "1"}, SECRET_OF_NOBODY, algorithm="HS256"), "Invalid SDK credentials",
                     "the token has no appId claim (the app's client id)"),
        "exp before the calendar": (jwt.encode(claims | {"exp": -10**400}, app.client_secret, algorithm="HS256"),
                                    "Invalid JWT token", "the token's exp claim is in the past"),
    }


KINDS = list(tokens(SimpleNamespace(client_id="cs-x", client_secret="s" * 32)))


@pytest.mark.parametrize("kind", KINDS)
def test_bad_tokens_are_refused_with_the_vendors_message_and_a_hint(kind, post, headers, account, sample_body):
    token, message, hint = tokens(account.apps[0])[kind]
    sent = {k: v for k, v in headers.items() if k != "auth"}
    if token is not None:
        sent["auth"] = token
    response = post(sample_body, headers=sent)
    assert response.status_code == 401
    assert response.get_json() == {"errors": [{"msg": message, "code": 4002, "hint": hint}]}


def test_a_token_sent_as_authorization_is_pointed_to_the_auth_header(post, headers, sample_body):
    sent = {k: v for k, v in headers.items() if k != "auth"} | {"Authorization": "Bearer " + headers["auth"]}
    [error] = post(sample_body, headers=sent).get_json()["errors"]
    assert error["msg"] == "Invalid SDK credentials"
    assert error["hint"] == "no auth header: this API reads the JWT from a header named auth, not from Authorization"


def test_a_token_sent_in_the_query_is_pointed_to_the_auth_header(post, url, headers, sample_body):
    sent = {k: v for k, v in headers.items() if k != "auth"}
    response = post(sample_body, url=f"{url}&auth={headers['auth']}", headers=sent)
    assert response.status_code == 401
    assert response.get_json()["errors"] == [{
        "msg": "Invalid SDK credentials", "code": 4002,
        "hint": "no auth header: send the JWT in a header named auth (the query has 'auth'; the mock reads it from the"
                " headers: send auth: <value> as a header)"}]


@pytest.mark.parametrize("claims", [{"iat": 30}, {"nbf": 30}, {"iat": 30, "nbf": 30}], ids=["iat", "nbf", "both"])
def test_a_client_clock_a_little_fast_is_allowed_for(claims, post, headers, account, sample_body):
    """iat or nbf up to CLOCK_SKEW (60 s) ahead of the mock's clock: a client whose clock ran a second fast was
    refused ("not yet valid") now and then."""
    app = account.apps[0]
    now = int(time.time())
    token = jwt.encode({"sub": "1", "appId": app.client_id, "exp": now + 600} | {k: now + v for k, v in claims.items()},
                       app.client_secret, algorithm="HS256")
    assert post(sample_body, headers=headers | {"auth": token}).status_code == 200


def test_exp_gets_no_allowance(post, headers, account, sample_body):
    app = account.apps[0]
    response = post(sample_body, headers=headers | {"auth": mint_token(app.client_id, app.client_secret, ttl=-1)})
    assert response.status_code == 401 and response.get_json()["errors"][0]["hint"].startswith("the token expired at")


def test_token_without_exp_is_accepted(post, headers, account, sample_body):
    app = account.apps[0]
    response = post(sample_body, headers=headers | {"auth": mint_token(app.client_id, app.client_secret, ttl=None)})
    assert response.status_code == 200


def test_header_names_are_case_insensitive(post, headers, sample_body):
    response = post(sample_body, headers={"Auth": headers["auth"], "AccountId": headers["accountid"],
                                          "IId": headers["iid"]})
    assert response.status_code == 200


def test_a_cached_token_still_expires(post, headers, account, sample_body, monkeypatch):
    import time as clock

    app = account.apps[0]
    token = mint_token(app.client_id, app.client_secret, ttl=60)
    assert post(sample_body, headers=headers | {"auth": token}).status_code == 200
    later = clock.time() + 120
    monkeypatch.setattr("mockserver.auth.time.time", lambda: later)
    response = post(sample_body, headers=headers | {"auth": token})
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["msg"] == "Invalid JWT token"


@pytest.mark.parametrize("claim", ["iat", "nbf"])
def test_a_client_clock_more_than_a_minute_fast_is_refused(claim, post, headers, account, sample_body, monkeypatch):
    """The allowance is CLOCK_SKEW, 60 s: a token from 90 s ahead is one the real service would refuse too."""
    app = account.apps[0]
    now = int(time.time())
    monkeypatch.setattr("mockserver.auth.time.time", lambda: float(now))  # 90 s ahead, however long the post takes
    token = jwt.encode({"sub": "1", "appId": app.client_id, "exp": now + 600, claim: now + 90}, app.client_secret,
                       algorithm="HS256")
    response = post(sample_body, headers=headers | {"auth": token})
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["hint"] == (f"the token's {claim} is 90 s ahead of the mock's clock, which"
                                                        " allows 60 s: is the client's clock fast?")


def test_the_token_cache_stays_within_its_size(account, tenant):
    """A long-running sandbox sees a new token per client run: the cache is bounded, not one entry per token ever."""
    app = account.apps[0]
    cache = TokenCache(size=3)
    for sub in range(10):
        authenticate(mint_token(app.client_id, app.client_secret, sub=str(sub)), tenant, cache)
        assert len(cache._seen) <= 3


@pytest.mark.parametrize(("claim", "value", "shown"), [
    ("exp", True, "true"), ("exp", "soon", "'soon'"), ("exp", None, "null"), ("iat", float("nan"), "NaN"),
    ("nbf", float("inf"), "Infinity"), ("iat", [1], "an array"), ("nbf", {}, "an object"),
])
def test_a_time_claim_that_is_no_number_is_refused_saying_what_it_must_be(claim, value, shown, post, headers, account,
                                                                           sample_body):
    """RFC 7519's NumericDate is a JSON number of seconds: `exp: true` was read as 1 (the token "expired at
    1970-01-01T00:00:01Z"), and PyJWT's "must be an integer" was said of values whose fault was not being a number
    (a float is accepted)."""
    app = account.apps[0]
    token = jwt.encode({"sub": "1", "appId": app.client_id, claim: value}, app.client_secret, algorithm="HS256")
    response = post(sample_body, headers=headers | {"auth": token})
    assert response.status_code == 401
    assert response.get_json()["errors"] == [{
        "msg": "Invalid JWT token", "code": 4002,
        "hint": f"the token's {claim} claim must be a number of seconds since 1970-01-01T00:00:00Z (got {shown})"}]


@pytest.mark.parametrize("claim", ["iat", "nbf"])
def test_a_time_claim_in_milliseconds_is_pointed_out(claim, post, headers, account, sample_body):
    """Date.now() where Math.floor(Date.now() / 1000) was meant: the token is refused as from 55,000 years ahead."""
    app = account.apps[0]
    token = jwt.encode({"sub": "1", "appId": app.client_id, claim: int(time.time() * 1000)}, app.client_secret,
                       algorithm="HS256")
    hint = post(sample_body, headers=headers | {"auth": token}).get_json()["errors"][0]["hint"]
    assert hint.startswith(f"the token's {claim} is ")
    assert hint.endswith("ahead of the mock's clock: a JWT's times are in seconds since 1970, not milliseconds")


def test_a_signature_that_does_not_match_is_told_before_a_claim_that_is_no_number(post, headers, account, sample_body):
    app = account.apps[0]
    token = jwt.encode({"sub": "1", "appId": app.client_id, "exp": "soon"}, SECRET_OF_NOBODY, algorithm="HS256")
    hint = post(sample_body, headers=headers | {"auth": token}).get_json()["errors"][0]["hint"]
    assert hint.startswith("the signature does not match")


def test_a_signed_token_with_a_huge_exp_is_accepted_as_never_expiring(post, sample_body, headers, account):
    app = account.apps[0]
    token = jwt.encode({"sub": "1", "appId": app.client_id, "exp": 10**400}, app.client_secret, algorithm="HS256")
    assert post(sample_body, headers=headers | {"auth": token}).status_code == 200
