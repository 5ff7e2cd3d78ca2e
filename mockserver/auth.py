"""JWTs as the vendor documents them: HS256, signed with an app's client secret, claims `sub`, `appId`."""

from __future__ import annotations

import json
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from jwt.algorithms import HMACAlgorithm

from mockserver import jws_form
from mockserver.send_instead import send_instead, spelled_otherwise
from mockserver.shown_text import clipped
from mockserver.tenant import Account, App, Tenant

ALGORITHM = "HS256"
TOKEN_HEADER = "auth"  # the header the vendor reads the JWT from
# How far ahead of the mock's clock a client's may run: a token issued (iat) or valid from (nbf) up to this many
# seconds in the future is accepted, so a sandbox client whose clock is a second fast is not refused now and then.
# `exp` gets no such allowance: a token is expired the moment its exp passes (a README assumption).
CLOCK_SKEW = 60
TIME_CLAIMS = ("exp", "nbf", "iat")  # RFC 7519 NumericDates: JSON numbers of seconds since 1970-01-01T00:00:00Z
# A time this far from the mock's clock read as seconds, and within it read as milliseconds: Date.now() was sent.
MILLISECONDS_APART = 10 * 366 * 86400


class AnyLengthHMAC(HMACAlgorithm):
    """HMAC as PyJWT signs and checks it, with a key of any length. PyJWT 2.11 and later warn of a key shorter than the
    hash (InsecureKeyLengthWarning: 32 bytes for HS256), and its only switch turns the warning into an error. But a
    tenant's secret is the vendor's, or the tenant file's: the mock has no say in it, and under a test run's
    `-W error` the warning was raised in the mock, a 500 for every request. A filter around each call would not do:
    warning filters are the whole process's, and pytest puts its own back for each test. PyJWT before 2.11 has no
    such check, and never calls this."""

    def check_key_length(self, key: bytes) -> str | None:
        return None


def _any_length_signer() -> jwt.PyJWS:
    """A PyJWS of the mock's own, so that PyJWT's module-level one, which a client's own tests may use beside the
    mock, keeps its warning. `none` stays for the bad-input corpus's unsigned token."""
    hashes = {"HS256": HMACAlgorithm.SHA256, "HS384": HMACAlgorithm.SHA384, "HS512": HMACAlgorithm.SHA512}
    signer = jwt.PyJWS(algorithms=["none", *hashes])
    for alg, hash_alg in hashes.items():
        signer.unregister_algorithm(alg)
        signer.register_algorithm(alg, AnyLengthHMAC(hash_alg))
    return signer


SIGNER = _any_length_signer()


def sign(claims: dict[str, object], secret: str | None, algorithm: str = ALGORITHM) -> str:
    """A JWT with these claims, byte for byte as jwt.encode writes it, signed with `secret` whatever its length."""
    return SIGNER.encode(json.dumps(claims, separators=(",", ":")).encode("utf-8"), secret, algorithm=algorithm)


# How far either way `mockserver token --ttl` and token() may set exp: a token valid for ten years, or expired ten
# years ago, says all a test can ask of it, and a larger number put exp beyond the year 9999 or before 1970, which the
# mock read as never expiring
MAX_TTL_S = 3650 * 86400


def mint_token(client_id: str, client_secret: str, ttl: int | None = 3600, sub: str | None = None) -> str:
    """A token as the vendor's docs tell users to build it. `ttl=None` leaves out `exp`."""
    claims: dict[str, object] = {"sub": sub or str(secrets.randbelow(10**10)), "appId": client_id}
    if ttl is not None:
        claims["iat"] = int(time.time())
        claims["exp"] = claims["iat"] + ttl
    return sign(claims, client_secret)


@dataclass(frozen=True)
class Caller:
    app: App
    account: Account


class AuthFailure(Exception):
    """Why a token was refused: `key` is a row of mockserver.failures; `hint` says which check failed, in words a
    developer can act on (the vendor's messages, "Invalid JWT token" and "Invalid SDK credentials", do not)."""

    def __init__(self, key: str, hint: str) -> None:
        super().__init__(key)
        self.key, self.hint = key, hint


def _quoted(value: object, limit: int = 60) -> str:
    return clipped(value, limit)


def _expired(expires: object) -> AuthFailure:
    try:
        moment = datetime.fromtimestamp(float(expires), UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    except (TypeError, ValueError, OverflowError, OSError):  # an exp claim far outside the calendar
        return AuthFailure("auth.expired", "the token's exp claim is in the past")
    return AuthFailure("auth.expired", f"the token expired at {moment}")


class TokenCache:
    """Tokens already verified, with their expiry: clients reuse one token for many calls, and verifying an
    HS256 signature three ways costs more than the rest of a request. Expiry is still checked on every hit."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._seen: dict[str, tuple[Caller, float | None]] = {}

    def get(self, token: str) -> Caller | None:
        hit = self._seen.get(token)
        if hit is None:
            return None
        caller, expires = hit
        if expires is not None and expires <= time.time():
            self._seen.pop(token, None)
            raise _expired(expires)
        return caller

    def put(self, token: str, caller: Caller, expires: float | None) -> None:
        if len(self._seen) >= self.size:
            self._seen.clear()
        self._seen[token] = (caller, expires)


def authenticate(token: str | None, tenant: Tenant, cache: TokenCache | None = None) -> Caller:
    """Check a token against the tenant's apps. Raises AuthFailure naming the failure class."""
    if token and cache is not None:
        hit = cache.get(token)
        if hit is not None:
            return hit
    caller, expires = _verify(token, tenant)
    if cache is not None:
        cache.put(token, caller, expires)
    return caller


def _verify(token: str | None, tenant: Tenant) -> tuple[Caller, float | None]:
    if token is None:
        raise AuthFailure("auth.missing", "no auth header: send the JWT in a header named auth")
    token = token.strip(" \t")  # RFC 9110 5.5: not the value's, as gunicorn strips it; the in-process app keeps it
    if not token.strip():
        raise AuthFailure("auth.missing", "the auth header is empty: send the JWT in it")
    if token.lstrip().startswith("{") and '"token"' in token:
        raise AuthFailure("auth.malformed", "the auth header holds mockserver token --json's whole output: send the"
                          " value of its token alone")
    if len(token) > 1 and token[0] == token[-1] and token[0] in "\"'":
        raise AuthFailure("auth.malformed", "the auth header holds the JWT in quotes: send it without them")
    if "," in token:  # no JWT holds one: the server joined two auth headers' values
        raise AuthFailure("auth.malformed", "the auth header is given more than once (or holds a comma): send one JWT")
    scheme = jws_form.prefixed(token)
    if scheme is not None:
        raise AuthFailure("auth.malformed", f"the auth header holds the JWT alone, without {_quoted(scheme + ' ', 30)}")
    try:
        header, claims = jws_form.read(token)
    except jws_form.OutOfForm as exc:
        raise AuthFailure("auth.malformed", str(exc)) from None
    _check_alg(header)
    app, account = _app_of(claims, tenant)
    try:  # the signature alone: the claims are those read above, from the same bytes, and checked below
        SIGNER.decode(token, app.client_secret, algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError:
        if token.endswith("."):
            raise AuthFailure("auth.signature", f"the token has no signature (its third part is empty): sign it"
                              f" {ALGORITHM} with the client secret of app {app.client_id}") from None
        raise AuthFailure("auth.signature", f"the signature does not match the client secret of app"
                          f" {app.client_id}") from None
    except jwt.PyJWTError as exc:  # a header parameter PyJWT checks is unusable (kid not a string)
        raise AuthFailure("auth.malformed", f"the token was refused: {str(exc)[:100]}") from None
    _check_claims(claims)
    return Caller(app=app, account=account), _checked_times(claims)


def _check_alg(header: dict[str, object]) -> None:
    alg = header.get("alg")
    if alg == ALGORITHM:
        return
    how = f"{ALGORITHM} with the app's client secret"
    if alg is None:
        said = "the token header names no alg"
    elif not isinstance(alg, str):
        said = f"the token's alg must be a string (got {_json(alg)})"
    else:
        said = f"the token is signed with {_quoted(alg)}"
        if alg.upper() == ALGORITHM:
            how = f"{ALGORITHM} (alg names are case-sensitive) with the app's client secret"
    raise AuthFailure("auth.algorithm", f"{said}; tokens for this API are signed {how}")


def _app_of(claims: dict[str, object], tenant: Tenant) -> tuple[App, Account]:
    """The app (and its account) the appId claim names."""
    if "appId" not in claims:
        raise AuthFailure("auth.unknown_app", "the token has no appId claim (the app's client id)")
    app_id = claims["appId"]
    if not isinstance(app_id, str):  # not read as its digits or words: `5` is no client id "5"
        raise AuthFailure("auth.unknown_app", f"the token's appId claim must be a string, the app's client id (got"
                          f" {_json(app_id)})")
    found = tenant.app(app_id)
    if found is None:
        raise AuthFailure("auth.unknown_app", f"appId {_quoted(app_id)} is no app's client id in this tenant"
                          f"{_nearly(app_id, tenant)}")
    return found


def _nearly(app_id: str, tenant: Tenant) -> str:
    """Words to add when a client id differs from the appId only in white space around it or in case."""
    trimmed = app_id.strip()
    cased = (app.client_id for account in tenant.accounts for app in account.apps
             if app.client_id.lower() == trimmed.lower())
    meant = trimmed if tenant.app(trimmed) is not None else next(cased, None)
    return "" if meant is None else f" ({send_instead(spelled_otherwise(app_id, meant, 'client ids'), _quoted(meant))})"


# PyJWT checks the signature and the header alone (PyJWS): _check_claims and _checked_times say what is wrong with
# the claims in their own words, once the signature matched.
STRING_CLAIMS = ("sub", "jti")  # RFC 7519: when present, strings; sub is not required (the app is the caller)


def _check_claims(claims: dict[str, object]) -> None:
    for claim in STRING_CLAIMS:
        if claim in claims and not isinstance(claims[claim], str):
            raise AuthFailure("auth.malformed", f"the token's {claim} claim must be a string (got"
                              f" {_json(claims[claim])})")
    if "aud" in claims:  # RFC 7519 4.1.3: a recipient not named in aud refuses the token; this API names none
        raise AuthFailure("auth.malformed", f"the token has an aud claim ({_quoted(claims['aud'], 60)}): this API names"
                          " no audience, and RFC 7519 refuses a token for an audience its recipient is not (section"
                          " 4.1.3): leave aud out")


def _checked_times(claims: dict[str, object]) -> float | None:
    """The token's expiry in seconds (None: never), once its time claims are numbers, exp has not passed and iat and
    nbf are at most CLOCK_SKEW ahead of the mock's clock. Checked here rather than by PyJWT, which reads `true` as 1
    and says "must be an integer" of a string (a float is accepted)."""
    for claim in TIME_CLAIMS:
        value = claims.get(claim, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or isinstance(value, float) \
                and not math.isfinite(value):
            raise AuthFailure("auth.malformed", f"the token's {claim} claim must be a number of seconds since"
                              f" 1970-01-01T00:00:00Z (got {_json(value)})")
    now = time.time()
    expires = claims.get("exp")
    if expires is not None and expires <= now:
        raise _expired(expires)
    for claim in ("iat", "nbf"):
        value = claims.get(claim, now)
        if value > now + CLOCK_SKEW:  # an int beyond any float compares exactly; subtracted, it would overflow
            ahead = _duration(min(value, 2 * 10**15) - now)
            why = (": a JWT's times are in seconds since 1970, not milliseconds"
                   if abs(value // 1000 - int(now)) < MILLISECONDS_APART
                   else f", which allows {CLOCK_SKEW} s: is the client's clock fast?")
            raise AuthFailure("auth.expired", f"the token's {claim} is {ahead} ahead of the mock's clock{why}")
    try:
        return None if expires is None else float(expires)
    except OverflowError:  # an integer beyond any float: as good as never
        return None


def _json(value: object) -> str:
    """A claim that is no number, for a hint: true, null, NaN or Infinity as JSON writes them (Python's json reads
    the last two), a string quoted and cut, a list or an object by its kind."""
    if isinstance(value, list | dict):
        return "an array" if isinstance(value, list) else "an object"
    return json.dumps(value) if value is None or isinstance(value, bool | float) else _quoted(value, 40)


YEAR = 31_557_600  # a Julian year's seconds
DURATION_UNITS = (("s", 1, 120), ("min", 60, 7200), ("h", 3600, 172_800), ("days", 86_400, 2 * YEAR),
                  ("years", YEAR, 10**15))


def _duration(seconds: float) -> str:
    """How far ahead, in a unit a reader takes in at once: 90 s, 60 min, 5 h, 400 days, 55,000 years."""
    for unit, size, below in DURATION_UNITS:
        if seconds < below:
            return f"{round(seconds / size):,} {unit}"
    return "more than 30,000,000 years"  # 10**15 s is 31.7 million
