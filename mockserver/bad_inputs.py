"""The bad-input corpus (`fixtures/bad-inputs.json`) as raw HTTP/1.1 requests, and the tokens its cases name, for
the hardening tests and the soak benchmark to send the same bytes."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

from mockserver.auth import mint_token, sign
from mockserver.paths import FIXTURES_DIR
from mockserver.tenant import Tenant

CASES: list[dict[str, Any]] = json.loads((FIXTURES_DIR / "bad-inputs.json").read_text(encoding="utf-8"))["cases"]
DEFAULT_HEADERS = {"auth": "{token}", "accountid": "{account}", "iid": "{stream}", "Content-Type": "application/json"}
DEFAULT_QUERY = "accountId={account}&campaignType=voice"


def expand(value: str | list) -> str:
    """A corpus string, or its pieces: strings, {"$repeat": [unit, n]}, {"$numbered": [unit with {n}, n]}."""
    if isinstance(value, str):
        return value
    out = []
    for piece in value:
        if isinstance(piece, str):
            out.append(piece)
        elif "$repeat" in piece:
            unit, times = piece["$repeat"]
            out.append(unit * times)
        else:
            unit, times = piece["$numbered"]
            out.append("".join(unit.replace("{n}", str(n)) for n in range(times)))
    return "".join(out)


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each `{name}` of `values` replaced by its value."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _set_path(document: Any, dotted: str, value: Any) -> None:
    *parents, last = [int(key) if key.isdigit() else key for key in dotted.split(".")]
    for key in parents:
        document = document[key]
    document[last] = value


def _sample_body(spec: dict[str, Any], sample: dict[str, Any]) -> bytes:
    """The vendor's sample request changed as `spec` says: set, remove, replace in its JSON text, prefix, cut."""
    document = copy.deepcopy(sample)
    for dotted, value in spec.get("set", {}).items():
        _set_path(document, dotted, value)
    for key in spec.get("remove", []):
        document.pop(key)
    text = json.dumps(document)
    for old, new in spec.get("replace", []):
        if old not in text:
            raise ValueError(f"the corpus replaces {old!r}, which is not in the sample's JSON")
        text = text.replace(old, expand(new), 1)
    raw = (expand(spec.get("before", "")) + text).encode("utf-8")
    return raw[: spec["prefix_bytes"]] if "prefix_bytes" in spec else raw


_BODY_FORMS = {
    "text": lambda spec, sample: expand(spec).encode("utf-8"),
    "base64": lambda spec, sample: base64.b64decode(spec),
    "sample": _sample_body,
}


def body_of(request: dict[str, Any], sample: dict[str, Any]) -> bytes:
    """A case's body bytes: `{"text": ...}`, `{"base64": ...}` or `{"sample": changes}` (none: empty)."""
    [(form, spec)] = request.get("body", {"text": ""}).items()
    return _BODY_FORMS[form](spec, sample)


def _header_lines(request: dict[str, Any], values: dict[str, str], length: int) -> list[str]:
    headers = {**DEFAULT_HEADERS, **request.get("headers", {})}
    pairs = [(name, expand(value)) for name, value in headers.items() if value is not None]
    pairs += [tuple(pair) for pair in request.get("extra_headers", [])]
    pairs += [(f"x-extra-{n}", "1") for n in range(request.get("numbered_headers", 0))]
    length_header = request.get("content_length", str(length))
    if length_header is not None:  # null: none at all, as a chunked body has
        pairs.append(("Content-Length", length_header))
    return [f"{name}: {fill(value, values)}" for name, value in pairs] + request.get("raw_header_lines", [])


def raw_request(request: dict[str, Any], values: dict[str, str], sample: dict[str, Any], host: str) -> bytes:
    """The bytes of a case's request (`case["request"]`) to the server at `host`, its placeholders filled from
    `values` (see `corpus_values`) and its body built on `sample`, the vendor's sample request."""
    body = body_of(request, sample)
    target = fill(request.get("path", "{api}"), values) + "?" + fill(expand(request.get("query", DEFAULT_QUERY)),
                                                                     values)
    lines = [f"{request.get('method', 'POST')} {target} HTTP/1.1", f"Host: {host}", "Connection: close",
             *_header_lines(request, values, len(body))]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def token_kinds(tenant: Tenant) -> dict[str, str]:
    """The tokens the corpus names (`{token}`, `{token:expired}`, ...), minted for `tenant`'s first two accounts."""
    app, other = tenant.default_account.apps[0], tenant.accounts[1].apps[0]
    claims = {"sub": "1", "appId": app.client_id}
    return {
        "token:expired": mint_token(app.client_id, app.client_secret, ttl=-60),
        "token:forged": mint_token(app.client_id, "not-the-secret-" + "x" * 32),
        "token:alg-none": sign(claims, None, "none"),
        "token:hs512": sign(claims, app.client_secret * 2, "HS512"),
        "token:unknown-app": mint_token("cs-nobody", "s" * 40),
        "token:no-app-id": sign({"sub": "1"}, app.client_secret),
        "token:other-account": mint_token(other.client_id, other.client_secret),
        "token": mint_token(app.client_id, app.client_secret),
    }


def corpus_values(tenant: Tenant) -> dict[str, str]:
    """Every placeholder the corpus uses, for `tenant`'s default account and its first stream."""
    account = tenant.default_account
    stream = account.streams[0]
    return {**token_kinds(tenant), "api": f"/campaign/api/v2/public/{stream}/campaign",
            "account": account.account_id, "stream": stream}
