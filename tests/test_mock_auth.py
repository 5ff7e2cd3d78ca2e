"""Step 1: the `auth` header must hold an HS256 JWT signed with a tenant app's secret."""

from __future__ import annotations

import jwt
import pytest

from mockserver.auth import mint_token

SECRET_OF_NOBODY = "an-entirely-different-secret-of-32-bytes!"


def tokens(app):
    claims = {"sub": "1", "appId": app.client_id}
    return {
        "missing": (None, "Invalid SDK credentials"),
        "garbled": ("not.a.jwt", "Invalid JWT token"),
        "wrong secret": (jwt.encode(claims, SECRET_OF_NOBODY, algorithm="HS256"), "Invalid JWT token"),
        "alg none": (jwt.encode(claims, None, algorithm="none"), "Invalid JWT token"),
        "HS512": (jwt.encode(claims, app.client_secret + "x" * 40, algorithm="HS512"), "Invalid JWT token"),
        "expired": (mint_token(app.client_id, app.client_secret, ttl=-60), "Invalid JWT token"),
        "unknown appId": (
            jwt.encode({"sub": "1", "appId": "cs-unknown"}, SECRET_OF_NOBODY, algorithm="HS256"),
            "Invalid SDK credentials",
        ),
    }


@pytest.mark.parametrize(
    "kind", ["missing", "garbled", "wrong secret", "alg none", "HS512", "expired", "unknown appId"]
)
def test_bad_tokens_are_refused(kind, post, headers, account, sample_body):
    token, message = tokens(account.apps[0])[kind]
    sent = {k: v for k, v in headers.items() if k != "auth"}
    if token is not None:
        sent["auth"] = token
    response = post(sample_body, headers=sent)
    assert response.status_code == 401
    assert response.get_json() == {"errors": [{"msg": message, "code": 4002}]}


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
