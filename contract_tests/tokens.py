"""JWTs for the `auth` header: the vendor's way (HS256, claims `sub` and `appId`) and deliberately wrong ways.

Signed by hand rather than with PyJWT, so an `alg: none` token or a short secret needs no special casing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from typing import Any

from mockserver.errors import ConfigError

DIGESTS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
RECIPE_KEYS = {"alg", "secret", "claims", "ttl", "app", "header", "repeat", "padded"}
CLAIMS = ("sub", "appId", "iat", "exp")  # what claims_for puts in a token: all a recipe's null can remove
HEADER = ("alg", "typ")  # what sign puts in a token's header; a recipe's `header` null removes typ


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _segment(value: dict[str, Any], repeat: Sequence[str] = ()) -> str:
    """The object as compact JSON, base64url; each name in `repeat` written a second time, with the same value, at
    the end (`{"appId":"x",...,"appId":"x"}`): JSON that a parser taking the last of a repeat reads as one name."""
    text = json.dumps(value, separators=(",", ":"))
    again = "".join(f",{json.dumps(name)}:{json.dumps(value[name], separators=(',', ':'))}" for name in repeat)
    if again:
        text = f"{text[:-1]}{again}}}"
    return _b64(text.encode("utf-8"))


def sign(claims: dict[str, Any], secret: str, alg: str = "HS256", *, header: dict[str, Any] | None = None,
         repeat: Sequence[str] = (), padded: bool = False) -> str:
    """A JWS in compact form. `header` adds parameters to `{"alg", "typ": "JWT"}` (null removes one), `repeat` names
    claims written twice, `padded` keeps the signature's base64 `=` padding, which RFC 7515 leaves out."""
    fields: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    for name, value in (header or {}).items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    head = f"{_segment(fields)}.{_segment(claims, repeat)}"
    if alg == "none":
        return f"{head}."
    if alg not in DIGESTS:
        raise ConfigError(f"token recipe: unsupported alg {alg!r}; use none or one of {sorted(DIGESTS)}")
    mac = hmac.new(secret.encode("utf-8"), head.encode("ascii"), DIGESTS[alg]).digest()
    signature = base64.urlsafe_b64encode(mac).decode("ascii") if padded else _b64(mac)
    return f"{head}.{signature}"


def claims_for(client_id: str, ttl: int | None = 3600, now: int | None = None) -> dict[str, Any]:
    """The claims the vendor documents: `sub` (any id) and `appId` (the client id), plus iat/exp."""
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {"sub": "contract-suite", "appId": client_id, "iat": issued}
    if ttl is not None:
        claims["exp"] = issued + ttl
    return claims


def recipe_claims(client_id: str, recipe: dict[str, Any]) -> dict[str, Any]:
    """The claims a recipe's token carries: the vendor's, with the recipe's ttl and its `claims` (null removes)."""
    claims = claims_for(client_id, recipe.get("ttl", 3600))
    for name, value in recipe.get("claims", {}).items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


def token(client_id: str, secret: str, recipe: dict[str, Any] | None = None) -> str:
    """A token for the app; `recipe` changes it: alg, secret, ttl (negative: expired), claims (null removes), header
    (parameters added, null removes), repeat (claims written twice), padded (the signature's `=` kept)."""
    recipe = recipe or {}
    unknown = set(recipe) - RECIPE_KEYS
    if unknown:
        raise ConfigError(f"token recipe: unknown keys {sorted(unknown)}; expected some of {sorted(RECIPE_KEYS)}")
    claims = recipe_claims(client_id, recipe)
    return sign(claims, recipe.get("secret", secret), recipe.get("alg", "HS256"), header=recipe.get("header"),
                repeat=recipe.get("repeat", ()), padded=recipe.get("padded", False))
