"""JWTs as the vendor documents them: HS256, signed with an app's client secret, claims `sub`, `appId`."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt

from mockserver.tenant import Account, App, Tenant

ALGORITHM = "HS256"


def mint_token(client_id: str, client_secret: str, ttl: int | None = 3600, sub: str | None = None) -> str:
    """A token as the vendor's docs tell users to build it. `ttl=None` leaves out `exp`."""
    claims: dict[str, object] = {"sub": sub or str(secrets.randbelow(10**10)), "appId": client_id}
    if ttl is not None:
        claims["iat"] = int(time.time())
        claims["exp"] = claims["iat"] + ttl
    return jwt.encode(claims, client_secret, algorithm=ALGORITHM)


@dataclass(frozen=True)
class Caller:
    app: App
    account: Account


class AuthFailure(Exception):
    """Why a token was refused: `key` is a row of mockserver.failures."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


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
            raise AuthFailure("auth.expired")
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
    if not token:
        raise AuthFailure("auth.missing")
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AuthFailure("auth.malformed") from None
    if header.get("alg") != ALGORITHM:
        raise AuthFailure("auth.algorithm")
    found = tenant.app(str(claims.get("appId", "")))
    if found is None:
        raise AuthFailure("auth.unknown_app")
    app, account = found
    try:
        verified = jwt.decode(token, app.client_secret, algorithms=[ALGORITHM], options={"require": []})
    except jwt.ExpiredSignatureError:
        raise AuthFailure("auth.expired") from None
    except jwt.PyJWTError:
        raise AuthFailure("auth.signature") from None
    expires = verified.get("exp")
    try:
        expiry = float(expires) if isinstance(expires, int | float) else None
    except OverflowError:  # an integer beyond any float: as good as never
        expiry = None
    return Caller(app=app, account=account), expiry
