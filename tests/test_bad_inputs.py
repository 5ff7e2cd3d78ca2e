"""The bad-input corpus (fixtures/bad-inputs.json) against a real `mockserver serve`.

Each case is sent byte for byte over a socket (so malformed HTTP reaches the server as written) and must get its
4xx, in the vendor's error envelope, and the server must answer its health check afterwards.
"""

from __future__ import annotations

import base64
import copy
import http.client
import json
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
import requests
from jsonschema import Draft202012Validator

from mockserver import process
from mockserver.auth import mint_token
from mockserver.openapi import error_envelope
from mockserver.paths import FIXTURES_DIR

CORPUS = json.loads((FIXTURES_DIR / "bad-inputs.json").read_text(encoding="utf-8"))
CASES = CORPUS["cases"]
DEFAULT_HEADERS = {"auth": "{token}", "accountid": "{account}", "iid": "{stream}", "Content-Type": "application/json"}
ENVELOPE = Draft202012Validator(error_envelope())


def expand(value: str | list) -> str:
    """A string, or pieces: strings, {"$repeat": [unit, n]}, {"$numbered": [unit with {n}, n]}."""
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


def set_path(document: Any, dotted: str, value: Any) -> None:
    *parents, last = [int(k) if k.isdigit() else k for k in dotted.split(".")]
    for key in parents:
        document = document[key]
    document[last] = value


def sample_body(spec: dict[str, Any], sample: dict[str, Any]) -> bytes:
    document = copy.deepcopy(sample)
    for dotted, value in spec.get("set", {}).items():
        set_path(document, dotted, value)
    for key in spec.get("remove", []):
        document.pop(key)
    text = json.dumps(document)
    for old, new in spec.get("replace", []):
        assert old in text, f"{old!r} is not in the sample's JSON"
        text = text.replace(old, expand(new), 1)
    raw = (expand(spec.get("before", "")) + text).encode("utf-8")
    return raw[: spec["prefix_bytes"]] if "prefix_bytes" in spec else raw


BODY_FORMS = {
    "text": lambda spec, sample: expand(spec).encode("utf-8"),
    "base64": lambda spec, sample: base64.b64decode(spec),
    "sample": sample_body,
}


def body_of(request: dict[str, Any], sample: dict[str, Any]) -> bytes:
    [(form, spec)] = request.get("body", {"text": ""}).items()
    return BODY_FORMS[form](spec, sample)


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def header_lines(request: dict[str, Any], values: dict[str, str], length: int) -> list[str]:
    headers = {**DEFAULT_HEADERS, **request.get("headers", {})}
    pairs = [(name, expand(value)) for name, value in headers.items() if value is not None]
    pairs += [tuple(pair) for pair in request.get("extra_headers", [])]
    pairs += [(f"x-extra-{n}", "1") for n in range(request.get("numbered_headers", 0))]
    length_header = request.get("content_length", str(length))
    if length_header is not None:  # null: none at all, as a chunked body has
        pairs.append(("Content-Length", length_header))
    return [f"{name}: {fill(value, values)}" for name, value in pairs] + request.get("raw_header_lines", [])


def raw_request(request: dict[str, Any], values: dict[str, str], sample: dict[str, Any], host: str) -> bytes:
    body = body_of(request, sample)
    target = fill(request.get("path", "{api}"), values) + "?" + fill(expand(request.get(
        "query", "accountId={account}&campaignType=voice")), values)
    lines = [f"{request.get('method', 'POST')} {target} HTTP/1.1", f"Host: {host}", "Connection: close",
             *header_lines(request, values, len(body))]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def send(url: str, raw: bytes) -> Answer:
    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading it all (413): its answer is still there
        response = http.client.HTTPResponse(sock)
        response.begin()
        return Answer(response.status, dict(response.getheaders()), response.read())


def problems(case: dict[str, Any], answer: Answer) -> list[str]:
    """What is wrong with the answer to a case; empty when it is right."""
    expect, found = case["expect"], []
    if answer.status != expect["status"]:
        found.append(f"status {answer.status}, expected {expect['status']}: {answer.body[:300]!r}")
    if not answer.headers.get("Content-Type", "").startswith("application/json"):
        return [*found, f"Content-Type {answer.headers.get('Content-Type')!r}, not the JSON envelope"]
    try:
        document = json.loads(answer.body)
    except ValueError:
        return [*found, f"the body is not JSON: {answer.body[:200]!r}"]
    found += [f"envelope: {error.message}" for error in ENVELOPE.iter_errors(document)]
    if not found and "code" in expect and document["errors"][0]["code"] != expect["code"]:
        found.append(f"code {document['errors'][0]['code']}, expected {expect['code']}")
    if not found and "words" in expect and expect["words"] not in document["errors"][0]["msg"]:
        found.append(f"message {document['errors'][0]['msg']!r} does not say {expect['words']!r}")
    found += [f"no {name} header" for name in case["request"].get("expect_headers", []) if name not in answer.headers]
    return found


def token_kinds(tenant: Any) -> dict[str, str]:
    app, other = tenant.default_account.apps[0], tenant.accounts[1].apps[0]
    claims = {"sub": "1", "appId": app.client_id}
    return {
        "token:expired": mint_token(app.client_id, app.client_secret, ttl=-60),
        "token:forged": mint_token(app.client_id, "not-the-secret-" + "x" * 32),
        "token:alg-none": jwt.encode(claims, None, algorithm="none"),
        "token:hs512": jwt.encode(claims, app.client_secret * 2, algorithm="HS512"),
        "token:unknown-app": mint_token("cs-nobody", "s" * 40),
        "token:no-app-id": jwt.encode({"sub": "1"}, app.client_secret, algorithm="HS256"),
        "token:other-account": mint_token(other.client_id, other.client_secret),
        "token": mint_token(app.client_id, app.client_secret),
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = str(tmp_path_factory.mktemp("bad") / "mock.sqlite3")
    with process.running("--db", database, "--workers", "2", "--idle-timeout", "1") as running:
        yield running
    assert "Traceback" not in "".join(running.output)


@pytest.fixture(scope="module")
def values(tenant):
    account = tenant.default_account
    stream = account.streams[0]
    return {**token_kinds(tenant), "api": f"/campaign/api/v2/public/{stream}/campaign",
            "account": account.account_id, "stream": stream}


def test_the_corpus_is_large_varied_and_well_formed():
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)
    assert all(400 <= case["expect"]["status"] < 500 and case["description"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input_gets_a_4xx_in_the_envelope_and_the_server_keeps_serving(server, values, contract, case):
    raw = raw_request(case["request"], values, contract.sample_request, urlsplit(server.url).netloc)
    answer = send(server.url, raw)
    assert not problems(case, answer), problems(case, answer)
    assert requests.get(f"{server.url}/__admin/health", timeout=10).status_code == 200


def test_no_bad_input_reached_a_5xx_in_the_journal(server, values, contract):
    requests.delete(f"{server.url}/__admin/requests", timeout=10)
    for case in CASES:
        send(server.url, raw_request(case["request"], values, contract.sample_request, urlsplit(server.url).netloc))
    journal, seen = [], -1
    deadline = time.monotonic() + 5  # each worker writes its journal within 0.1 s: read until it settles
    while time.monotonic() < deadline and len(journal) != seen:
        seen = len(journal)
        time.sleep(0.3)
        journal = requests.get(f"{server.url}/__admin/requests", params={"limit": 1000}, timeout=10).json()["requests"]
    assert len(journal) >= 40  # all but the malformed HTTP that gunicorn refuses before the app
    assert not {entry["status"] for entry in journal if entry["status"] >= 500}


def test_the_checker_reports_what_is_wrong():
    case = {"expect": {"status": 400, "code": 4000}, "request": {"expect_headers": ["Allow"]}}
    html = Answer(500, {"Content-Type": "text/html"}, b"<html>oops</html>")
    assert problems(case, html) == ["status 500, expected 400: b'<html>oops</html>'",
                                    "Content-Type 'text/html', not the JSON envelope"]
    wrong = Answer(400, {"Content-Type": "application/json"}, b'{"errors": [{"msg": "", "code": 4001}]}')
    assert problems(case, wrong) == ["envelope: '' should be non-empty", "no Allow header"]
    right = Answer(400, {"Content-Type": "application/json", "Allow": "POST"},
                   b'{"errors": [{"msg": "x", "code": 4000}]}')
    assert problems(case, right) == []
