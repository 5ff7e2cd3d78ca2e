"""Step 1, the token's form: RFC 7515's compact serialization, three base64url parts (unpadded) holding a JSON
object header and a JSON object payload. A token that is not says which part is wrong and how."""

from __future__ import annotations

import base64
import hmac
import json
import time

import pytest

TOKEN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def encoded(part: bytes) -> str:
    return base64.urlsafe_b64encode(part).rstrip(b"=").decode()


def signed(app, header: bytes | dict, payload: bytes | dict | list | str | None = None) -> str:
    """A token of these header and payload (JSON text as given, or a value written as JSON), signed HS256 with the
    app's secret: only its form is at fault."""
    payload = {"sub": "1", "appId": app.client_id, "exp": int(time.time()) + 600} if payload is None else payload
    parts = [part if isinstance(part, bytes) else json.dumps(part).encode() for part in (header, payload)]
    signing_input = f"{encoded(parts[0])}.{encoded(parts[1])}"
    return f"{signing_input}.{encoded(hmac.new(app.client_secret.encode(), signing_input.encode(), 'sha256').digest())}"


HS256 = {"alg": "HS256", "typ": "JWT"}


def changed_signature(token: str, change) -> str:
    head, _, signature = token.rpartition(".")
    return f"{head}.{change(signature)}"


def last_letter_changed(signature: str) -> str:
    """The last letter's unused low bit set otherwise: the same bytes, in a form no encoder writes."""
    return signature[:-1] + TOKEN_LETTERS[TOKEN_LETTERS.index(signature[-1]) ^ 1]


def standard_alphabet(app) -> str:
    """A good token's signature written in base64's standard alphabet ('+' and '/'); the payload's sub is chosen
    so that the signature has one of them."""
    for sub in range(100):
        token = signed(app, HS256, {"sub": str(sub), "appId": app.client_id})
        if "-" in token.rpartition(".")[2] or "_" in token.rpartition(".")[2]:
            return changed_signature(token, lambda s: s.replace("-", "+").replace("_", "/"))
    raise AssertionError("no signature with - or _ in 100 tries")


def padded(app, index: int) -> str:
    """A good token with its part `index` padded with '=' as base64 pads it; sub's length chosen so that it needs
    padding."""
    for sub in ("1", "12", "123"):
        parts = signed(app, HS256, {"sub": sub, "appId": app.client_id}).split(".")
        if len(parts[index]) % 4:
            parts[index] += "=" * (-len(parts[index]) % 4)
            return ".".join(parts)
    raise AssertionError("every length was a multiple of 4")


NOT_A_JWT = "the auth header is not a JWT: "
CASES = {
    "two parts": (lambda app: signed(app, HS256).rpartition(".")[0],
                  NOT_A_JWT + "it has 2 dot-separated parts, where a JWT has 3 (header.payload.signature)"),
    "four parts": (lambda app: signed(app, HS256) + ".e30",
                   NOT_A_JWT + "it has 4 dot-separated parts, where a JWT has 3 (header.payload.signature)"),
    "five parts": (lambda app: "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aaaa.bbbb.cccc",
                   NOT_A_JWT + "it has 5 dot-separated parts, as an encrypted token (JWE) has: this API takes a signed"
                   " JWT, 3 parts (header.payload.signature)"),
    "a space inside": (lambda app: signed(app, HS256)[:30] + " " + signed(app, HS256)[30:],
                       NOT_A_JWT + "it holds a space at character 31: send the token in one piece, as minted"),
    "JWT prefix": (lambda app: "JWT " + signed(app, HS256), "the auth header holds the JWT alone, without 'JWT '"),
    "lower-case bearer": (lambda app: "bearer " + signed(app, HS256),
                          "the auth header holds the JWT alone, without 'bearer '"),
    "empty header": (lambda app: "." + signed(app, HS256).split(".", 1)[1],
                     NOT_A_JWT + "its header (the first part) is empty"),
    "padded signature": (lambda app: padded(app, 2),
                         NOT_A_JWT + "its signature ends in '=' padding, which a JWT leaves out (base64url without"
                         " padding, RFC 7515 section 2)"),
    "padded payload": (lambda app: padded(app, 1),
                       NOT_A_JWT + "its payload ends in '=' padding, which a JWT leaves out (base64url without"
                       " padding, RFC 7515 section 2)"),
    "standard alphabet": (standard_alphabet,
                          NOT_A_JWT + "its signature holds '+' or '/', standard base64's letters: a JWT's parts are"
                          " base64url, which writes them '-' and '_'"),
    "a letter base64url lacks": (lambda app: signed(app, HS256) + "*",
                                 NOT_A_JWT + "its signature holds '*', which base64url does not use (it uses A-Z, a-z,"
                                 " 0-9, '-' and '_')"),
    "'=' inside": (lambda app: changed_signature(signed(app, HS256), lambda s: s[:10] + "=" + s[10:]),
                   NOT_A_JWT + "its signature holds '=', which base64url does not use (it uses A-Z, a-z, 0-9, '-' and"
                   " '_')"),
    "'+' beside '-'": (lambda app: changed_signature(signed(app, HS256), lambda s: "-+" + s[2:]),
                       NOT_A_JWT + "its signature holds '+', which base64url does not use (it uses A-Z, a-z, 0-9, '-'"
                       " and '_')"),
    "a letter that is not ASCII": (lambda app: signed(app, HS256) + "\u00e9",
                                   NOT_A_JWT + "its signature holds a character that is not ASCII, which base64url does"
                                   " not use (it uses A-Z, a-z, 0-9, '-' and '_')"),
    "cut short": (lambda app: changed_signature(signed(app, HS256), lambda s: s[:-2]),
                  NOT_A_JWT + "its signature is cut short: 41 base64url letters, a length no bytes encode to"),
    "non-canonical last letter": (lambda app: changed_signature(signed(app, HS256, {"appId": app.client_id}),
                                                                last_letter_changed),
                                  NOT_A_JWT + "its signature is not base64url as any bytes encode to: its last"
                                  " letter, 'N', sets bits no byte fills (a letter changed in copying?)"),
    "header not JSON": (lambda app: signed(app, b"HS256"),
                        NOT_A_JWT + "its header (the first part) is not base64url-encoded JSON: Expecting value: line 1"
                        " column 1 (char 0)"),
    "payload not UTF-8": (lambda app: signed(app, HS256, b'{"appId": "\xff"}'),
                          NOT_A_JWT + "its payload (the second part) is not base64url-encoded UTF-8 text"),
    "payload an array": (lambda app: signed(app, HS256, [app.client_id]),
                         "the token's payload is JSON but not an object (got an array): a JWT's claims are a JSON"
                         " object"),
    "header a string": (lambda app: signed(app, "HS256"),
                        "the token's header is JSON but not an object (got a string): a JWT's header is a JSON"
                        " object"),
    "payload nested deep": (lambda app: signed(app, HS256, b"[" * 100_000 + b"]" * 100_000),
                            NOT_A_JWT + "its payload (the second part) is not base64url-encoded JSON: nested too"
                            " deep"),
    "crit": (lambda app: signed(app, HS256 | {"crit": ["exp"]}),
             "the token's header lists critical extensions (crit: [\"exp\"]): this API understands none, so it"
             " refuses the token (RFC 7515 section 4.1.11)"),
    "b64 false": (lambda app: signed(app, HS256 | {"b64": False}),
                  "the token's header sets b64 to false (RFC 7797's unencoded payload): this API reads the payload"
                  " base64url-encoded, leave b64 out"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_token_out_of_form_is_refused_saying_which_part_and_why(case, post, headers, account, sample_body):
    """Each was "the auth header is not a JWT (three base64url parts, dot-separated)", said of tokens that were three
    such parts too; a padded signature (`...=`) was accepted, which RFC 7515 leaves out and a service comparing
    signatures as text refuses."""
    build, hint = CASES[case]
    response = post(sample_body, headers=headers | {"auth": build(account.apps[0])})
    assert response.status_code == 401
    assert response.get_json()["errors"] == [{"msg": "Invalid JWT token", "code": 4002, "hint": hint}]


def test_a_token_without_a_signature_says_so(post, headers, account, sample_body):
    app = account.apps[0]
    token = signed(app, HS256).rpartition(".")[0] + "."
    response = post(sample_body, headers=headers | {"auth": token})
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["hint"] == (f"the token has no signature (its third part is empty): sign"
                                                        f" it HS256 with the client secret of app {app.client_id}")


@pytest.mark.parametrize("extra", [{"kid": "key-1"}, {"jku": "https://keys.example/jwks"},
                                   {"x5u": "https://keys.example/cert"}, {"typ": "at+jwt"}, {"zip": "DEF"}],
                         ids=["kid", "jku", "x5u", "typ", "zip"])
def test_header_parameters_an_hs256_token_does_not_use_are_ignored(extra, post, headers, account, sample_body):
    """HS256 is verified with the app's secret alone: a key id or key URL is not followed, a typ is not checked."""
    token = signed(account.apps[0], HS256 | extra)
    assert post(sample_body, headers=headers | {"auth": token}).status_code == 200


@pytest.mark.parametrize("around", [(" ", ""), ("", "\t"), ("  ", "  ")], ids=["before", "after", "both"])
def test_white_space_around_the_token_is_no_part_of_it(around, post, headers, sample_body):
    """RFC 9110 5.5: a served mock's HTTP server strips it from every field value, where the in-process app (Flask's
    test client) refused the same header as no JWT."""
    before, after = around
    assert post(sample_body, headers=headers | {"auth": before + headers["auth"] + after}).status_code == 200


@pytest.mark.parametrize(("part", "text", "hint"), [
    ("header", '{"alg": "none", "alg": "HS256"}',
     "the token's header gives alg twice: a JWT gives each header parameter once (RFC 7515 section 4)"),
    ("payload", '{"sub": "1", "appId": "cs-someone-else", "appId": "{app}"}',
     "the token's payload gives appId twice: a JWT gives each claim once (RFC 7519 section 4)"),
], ids=["header", "payload"])
def test_a_name_given_twice_in_the_header_or_payload_is_refused(part, text, hint, post, headers, account, sample_body):
    """Both were accepted, the last value taken: a token that says alg none and HS256, or two apps, is read one way
    by one parser and another way by the next (a gateway's, a library's), as the mock refuses in a body."""
    app = account.apps[0]
    text = text.replace("{app}", app.client_id).encode()
    token = signed(app, text, None) if part == "header" else signed(app, HS256, text)
    response = post(sample_body, headers=headers | {"auth": token})
    assert response.status_code == 401
    assert response.get_json()["errors"] == [{"msg": "Invalid JWT token", "code": 4002, "hint": hint}]


@pytest.mark.parametrize(("case_id", "said"), [
    ("padded-signature", "its signature ends in '=' padding"),
    ("repeated-appid", "gives appId twice"),
    ("crit-header", "lists critical extensions"),
    ("aud-claim", "has an aud claim"),
])
def test_the_contract_cases_on_the_token_s_form_are_refused_for_what_they_mean(case_id, said, post, headers, account,
                                                                               sample_body):
    """The auth cases that test the mock's reading of the token (assumptions, each `may_create`) build their token
    from the suite's own recipe: each must be refused for the fault it is about, not for another its token has."""
    from contract_tests import tokens
    from mockserver.paths import CASES_DIR

    case = next(case for case in json.loads((CASES_DIR / "auth.json").read_text(encoding="utf-8"))["cases"]
                if case["id"] == case_id)
    assert case["may_create"] is True and case["expect"] == {"status": 401, "code": 4002}
    app = account.apps[0]
    token = tokens.token(app.client_id, app.client_secret, case["request"]["token"])
    response = post(sample_body, headers={**headers, "auth": token})
    assert response.status_code == 401, response.get_json()
    assert said in response.get_json()["errors"][0]["hint"], response.get_json()
    recipe = {key: value for key, value in case["request"]["token"].items() if key not in ("padded", "repeat")}
    recipe["claims"] = {name: value for name, value in recipe.get("claims", {}).items() if name != "aud"}
    recipe.pop("header", None)
    assert post(sample_body, headers={**headers, "auth": tokens.token(app.client_id, app.client_secret, recipe)}
                ).status_code == 200  # the token without its fault is good
