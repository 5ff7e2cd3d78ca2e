"""The bad-input corpus (fixtures/bad-inputs.json) against a real `mockserver serve`.

Each case is sent byte for byte over a socket (so malformed HTTP reaches the server as written) and must get its
4xx, in the vendor's error envelope, and the server must answer its health check afterwards.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from jsonschema import Draft202012Validator

from mockserver import process
from mockserver.bad_inputs import CASES, corpus_values, raw_request
from mockserver.openapi import error_envelope

ENVELOPE = Draft202012Validator(error_envelope())


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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = str(tmp_path_factory.mktemp("bad") / "mock.sqlite3")
    with process.running("--db", database, "--workers", "2", "--idle-timeout", "1") as running:
        yield running
    assert "Traceback" not in "".join(running.output)


@pytest.fixture(scope="module")
def values(tenant):
    return corpus_values(tenant)


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
