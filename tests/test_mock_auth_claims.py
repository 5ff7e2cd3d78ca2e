"""Step 1, the token's alg and claims other than its times: each refusal names the claim and says what it must be,
in JSON's words (null, true, an array), not Python's (None, True, ['...'])."""

from __future__ import annotations

import hmac
import json
from dataclasses import replace

import jwt
import pytest
from jwt.utils import base64url_encode

from mockserver.auth import AuthFailure, TokenCache, authenticate
from mockserver.tenant import Tenant


def hs256_signed(header: dict, claims: dict, secret: str) -> str:
    """A token whose header PyJWT would not write (an alg it does not know), signed HS256."""
    signing_input = ".".join(base64url_encode(json.dumps(part).encode()).decode() for part in (header, claims))
    signature = hmac.new(secret.encode(), signing_input.encode(), "sha256").digest()
    return f"{signing_input}.{base64url_encode(signature).decode()}"


def refusal(post, headers, sample_body, token: str) -> dict:
    response = post(sample_body, headers=headers | {"auth": token})
    assert response.status_code == 401
    [error] = response.get_json()["errors"]
    return error


MUST_BE_A_STRING = "the token's appId claim must be a string, the app's client id (got {})"


@pytest.mark.parametrize(("value", "shown"), [(None, "null"), (5, "5"), (True, "true"), ([], "an array"),
                                              ({"id": "x"}, "an object")],
                         ids=["null", "number", "true", "array", "object"])
def test_an_app_id_that_is_no_string_is_refused_in_json_s_words(value, shown, post, headers, sample_body):
    """The hint was "appId None is no app's client id in this tenant" (True, ['...'], {'id': 'x'}): Python's words for
    a client author writing JSON."""
    token = jwt.encode({"sub": "1", "appId": value}, "s" * 32, algorithm="HS256")
    assert refusal(post, headers, sample_body, token) == {"msg": "Invalid SDK credentials", "code": 4002,
                                                          "hint": MUST_BE_A_STRING.format(shown)}


def test_an_app_id_that_is_a_number_is_not_read_as_its_digits(account):
    """`"appId": 5` was looked up as the client id "5" (and `true` as "True"), and accepted if an app had it."""
    numbered = replace(account.apps[0], client_id="5")
    tenant = Tenant(accounts=(replace(account, apps=(numbered,)),))
    token = jwt.encode({"sub": "1", "appId": 5}, numbered.client_secret, algorithm="HS256")
    with pytest.raises(AuthFailure) as refused:
        authenticate(token, tenant, TokenCache())
    assert refused.value.hint == MUST_BE_A_STRING.format("5")


@pytest.mark.parametrize(("change", "words"), [
    (str.upper, "client ids are case-sensitive: send {id!r}"),
    (lambda id_: f" {id_} ", "it has white space at its start and end: send {id!r}"),
    (lambda id_: f"{id_.upper()}\n", "it has white space at its end and client ids are case-sensitive: send {id!r}"),
], ids=["case", "spaces", "both"])
def test_an_app_id_nearly_right_says_what_differs(change, words, post, headers, account, sample_body):
    app = account.apps[0]
    sent = change(app.client_id)
    token = jwt.encode({"sub": "1", "appId": sent}, app.client_secret, algorithm="HS256")
    assert refusal(post, headers, sample_body, token)["hint"] == (
        f"appId {sent!r} is no app's client id in this tenant (" + words.format(id=app.client_id) + ")")


@pytest.mark.parametrize(("alg", "hint"), [
    ("hs256", "the token is signed with 'hs256'; tokens for this API are signed HS256 (alg names are case-sensitive)"
              " with the app's client secret"),
    (["HS256"], "the token's alg must be a string (got an array); tokens for this API are signed HS256 with the app's"
                " client secret"),
], ids=["lower-case", "array"])
def test_an_alg_that_nearly_names_hs256_says_what_differs(alg, hint, post, headers, account, sample_body):
    app = account.apps[0]
    token = hs256_signed({"alg": alg}, {"sub": "1", "appId": app.client_id}, app.client_secret)
    assert refusal(post, headers, sample_body, token)["hint"] == hint


@pytest.mark.parametrize(("claims", "hint"), [
    ({"sub": 5}, "the token's sub claim must be a string (got 5)"),
    ({"sub": None}, "the token's sub claim must be a string (got null)"),
    ({"jti": 7}, "the token's jti claim must be a string (got 7)"),
    ({"aud": "campaigns"}, "the token has an aud claim ('campaigns'): this API names no audience, and RFC 7519 refuses"
                           " a token for an audience its recipient is not (section 4.1.3): leave aud out"),
], ids=["sub a number", "sub null", "jti a number", "aud"])
def test_a_claim_the_mock_refuses_is_named_with_what_it_must_be(claims, hint, post, headers, account, sample_body):
    """These were told in PyJWT's words under the signature's failure ("the token was refused: Invalid audience",
    "Subject must be a string"), though the signature matched."""
    app = account.apps[0]
    token = jwt.encode({"sub": "1", "appId": app.client_id} | claims, app.client_secret, algorithm="HS256")
    assert refusal(post, headers, sample_body, token) == {"msg": "Invalid JWT token", "code": 4002, "hint": hint}


def test_a_token_without_sub_is_accepted(post, headers, account, sample_body):
    """The mock knows the caller by appId; sub, when given, must be a string."""
    app = account.apps[0]
    token = jwt.encode({"appId": app.client_id}, app.client_secret, algorithm="HS256")
    assert post(sample_body, headers=headers | {"auth": token}).status_code == 200
