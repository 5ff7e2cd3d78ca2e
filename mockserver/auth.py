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


def authenticate(token: str | None, tenant: Tenant) -> Caller:
    """Check a token against the tenant's apps. Raises AuthFailure naming the failure class."""
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
        jwt.decode(token, app.client_secret, algorithms=[ALGORITHM], options={"require": []})
    except jwt.ExpiredSignatureError:
        raise AuthFailure("auth.expired") from None
    except jwt.PyJWTError:
        raise AuthFailure("auth.signature") from None
    return Caller(app=app, account=account)
