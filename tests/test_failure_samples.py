"""Each row of the README's failure table is what the mock answers: for every row a request can provoke, one is sent
and its answer's status and entry (code, message and field) must be the row's, filled with the row's sample values.

The requests are data (REQUESTS, in-process; SERVED, over a socket to one `mockserver serve`), keyed by failure key.
A row added to mockserver/failures.py needs a request here, or a line in UNPROVOKED saying why no request can
provoke it.
"""

from __future__ import annotations

import copy
import io
import json
import re
import socket
import ssl
from pathlib import Path
from typing import Any

import jwt
import pytest
from network import until_closed

from mockserver.app import create_app
from mockserver.auth import mint_token
from mockserver.contract import load_contract
from mockserver.failures import FAILURES
from mockserver.paths import CONTRACT
from mockserver.read_deadline import DeadlinePassed

ROOT = Path(__file__).resolve().parent.parent
TENANT = json.loads((ROOT / "fixtures" / "tenant.json").read_text(encoding="utf-8"))
ACCOUNT = TENANT["accounts"][0]
ACCOUNT.update(accountId="acc-1", streams=["st-y"])  # the ids the samples name
ACCOUNT["callerIds"].append({"phoneNumber": "+14155550100", "verified": False})
APP = ACCOUNT["apps"][0]
TOKEN = mint_token(APP["clientId"], APP["clientSecret"])
ENDPOINT = "/campaign/api/v2/public/st-y/campaign"
QUERY = {"accountId": "acc-1", "campaignType": "voice", "region": "eu"}
HEADERS = {"auth": TOKEN, "accountid": "acc-1", "iid": "st-y", "x-request-id": "req-1"}
BODY = {**load_contract().sample_request, "name": "Spring Outreach"}
ADMIN = {"ADMIN_TOKEN": "admin-secret"}
HOURS = "dialingStrategy.callingHours"
ANNOUNCED = {"CONTENT_LENGTH": "1234", "wsgi.input_terminated": True}  # gunicorn hands the app its own body reader
CHUNKED = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}

# key -> how the default request (POST ENDPOINT?QUERY with HEADERS and BODY) is changed to provoke that row:
# method, path, query (merged into QUERY for a POST; None drops one), headers (merged; None drops one), body
# (dotted path -> value), data (raw bytes for a body), content_type, stalls (the body's reading raises this), environ
# (WSGI environ keys set), config (the app's), before (the default request sent first, this many times), listed
# (error entries before the row's own), rules (fault rules the store holds first)
REQUESTS: dict[str, dict[str, Any]] = {
    "auth.missing": {"headers": {"auth": None}},
    "auth.malformed": {"headers": {"auth": "not-a-jwt"}},
    "auth.signature": {"headers": {"auth": mint_token(APP["clientId"], "s" * 32)}},
    "auth.algorithm": {"headers": {"auth": jwt.encode({"appId": APP["clientId"]}, "s" * 48, "HS384")}},
    "auth.expired": {"headers": {"auth": mint_token(APP["clientId"], APP["clientSecret"], ttl=-60)}},
    "auth.unknown_app": {"headers": {"auth": mint_token("cs-nope", "s" * 32)}},
    "header.repeated": {"headers": {"accountid": "acc-1,acc-1"}},
    "account.missing": {"headers": {"accountid": None}},
    "account.mismatch": {"headers": {"accountid": "acc-2"}},
    "account.forbidden": {"query": {"accountId": "acc-2"}, "headers": {"accountid": "acc-2"}},
    "stream.forbidden": {"path": "/campaign/api/v2/public/st-x/campaign", "headers": {"iid": "st-x"}},
    "iid.missing": {"headers": {"iid": None}},
    "iid.mismatch": {"headers": {"iid": "st-x"}},
    "header.missing": {"headers": {"x-request-id": None}},
    "header.invalid": {"headers": {"x-request-id": "r" * 65}},
    "query.repeated": {"query": {"accountId": ["acc-1", "acc-1"]}},
    "query.campaign_type": {"query": {"campaignType": "sms"}},
    "query.missing": {"query": {"region": None}},
    "query.invalid": {"query": {"region": "mars"}},
    "body.media_type": {"content_type": "text/plain"},
    "body.content_encoding": {"headers": {"Content-Encoding": "gzip"}},
    "body.transfer_coding": {"headers": {"Transfer-Encoding": "gzip, chunked"}},
    "body.too_large": {"data": b" " * 65537},
    # a body that stops arriving, or comes too slowly: the stream raises what the socket does, in the environ gunicorn
    # builds (tests/test_slow_clients.py sends such bodies to a served mock)
    "body.timeout": {"stalls": TimeoutError, "environ": ANNOUNCED},
    "body.timeout_chunked": {"stalls": TimeoutError, "environ": CHUNKED},
    "body.too_slow": {"stalls": DeadlinePassed, "environ": ANNOUNCED},
    "body.incomplete": {"data": '{"name":', "environ": {"CONTENT_LENGTH": "1000", "wsgi.input_terminated": True}},
    "body.encoding": {"data": b'{"name": "\xff"}'},
    "body.charset": {"data": b'{"name": "\xff"}', "content_type": "application/json; charset=utf-16"},
    "body.malformed": {"data": b"x"},
    "body.not_object": {"data": b"[]"},
    "body.invalid": {"body": {"dialingStrategy.maxRingTime": 121}},
    "body.unlisted": {"body": {f"{HOURS}.days": [{}] * 15000}, "listed": 100},
    "body.time_order": {"body": {f"{HOURS}.days.0.start": "6:00 PM", f"{HOURS}.days.0.end": "9:00 AM"}},
    "body.unknown_reference": {"body": {"contactLists": ["Nope"]}},
    "body.unverified_caller_id": {"body": {"dialingStrategy.callerId.phoneNumber": "+14155550100"}},
    "body.campaign_type": {"body": {"campaignType": "sms"}},
    "body.dialing_mode": {"body": {"dialingMode": "Preview"}},
    "campaign.duplicate": {"before": 1, "config": {"SEED": 7}},  # the id the sample names
    "rate.limited": {"before": 1, "config": {"RATE_LIMIT": "1/min"}},
    "route.not_found": {"method": "GET", "path": "/nope"},
    "route.method": {"method": "GET", "path": "/campaign/api/v2/public/st-x/campaign"},
    "admin.parameter": {"method": "GET", "path": "/__admin/campaigns", "query": {"limit": "all"}},
    "admin.filter": {"method": "GET", "path": "/__admin/requests", "query": {"status": "4**"}},
    "admin.unknown_parameter": {"method": "GET", "path": "/__admin/faults", "query": {"accountId": "acc-1"}},
    "admin.body": {"path": "/__admin/reset", "query": dict.fromkeys(QUERY), "data": json.dumps({"accountId": "acc-1"})},
    "admin.id": {"method": "GET", "path": "/__admin/requests/abc"},
    "admin.unauthorized": {"method": "GET", "path": "/__admin/campaigns", "query": None, "config": ADMIN},
    "admin.cross_origin": {"path": "/__admin/reset", "query": dict.fromkeys(QUERY),
                           "headers": {"Origin": "http://evil.example", "Host": "localhost:8080"}},
    "admin.not_found": {"method": "GET", "path": "/__admin/campaigns/cd-nope"},
    "admin.fault_rules_full": {"path": "/__admin/faults", "query": dict.fromkeys(QUERY), "rules": 1000,
                               "data": json.dumps({"fault": "drop", "path": "/one-too-many"})},
    "fault.forced": {"headers": {"X-Mock-Fault": "status=500"}},
    "fault.bad_gateway": {"headers": {"X-Mock-Fault": "status=502"}},
    "fault.unavailable": {"headers": {"X-Mock-Fault": "status=503"}},
    "fault.gateway_timeout": {"headers": {"X-Mock-Fault": "status=504"}},
    "fault.unauthorized": {"headers": {"X-Mock-Fault": "status=500"}, "config": ADMIN},
    "fault.invalid": {"headers": {"X-Mock-Fault": "slow"}},
}

# key -> the bytes sent on a raw connection to a `mockserver serve --certfile` (over TLS unless "plain"): gunicorn
# refuses these before the app sees them, or the TLS port answers plain HTTP
HEAD = "Host: 127.0.0.1\r\n"
SERVED: dict[str, dict[str, Any]] = {
    "http.malformed": {"send": f"POST / HTTP/1.1\r\n{HEAD}Content-Length: 1\r\nContent-Length: 2\r\n\r\n"},
    "http.line_too_long": {"send": f"GET /{'a' * 5035} HTTP/1.1\r\n{HEAD}\r\n"},
    "http.headers_too_large": {"send": f"GET / HTTP/1.1\r\n{HEAD}X-Big: {'b' * 8190}\r\n\r\n"},
    "http.expectation": {"send": f"GET /__admin/health HTTP/1.1\r\n{HEAD}Expect: 200-ok\r\n\r\n"},
    "http.tls_required": {"send": f"GET /__admin/health HTTP/1.1\r\n{HEAD}\r\n", "plain": True},
    "http.version": {"send": f"GET /__admin/health HTTP/9.9\r\n{HEAD}\r\n"},
}

UNPROVOKED = {
    "store.unavailable": "needs a database that fails under the mock (a full disk): tests/test_store_failures.py",
    "internal": "needs a bug in the mock, which no request should find (tests/test_fuzz.py looks for one)",
}


def changed(body: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The body with each value at a dotted path (list items by index) replaced."""
    body = copy.deepcopy(body)
    for path, value in changes.items():
        *parents, last = path.split(".")
        holder: Any = body
        for step in parents:
            holder = holder[int(step) if isinstance(holder, list) else step]
        holder[int(last) if isinstance(holder, list) else last] = value
    return body


def merged(default: dict[str, Any] | None, changes: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in {**(default or {}), **(changes or {})}.items() if v is not None}


class Stalled(io.BytesIO):
    """A body stream that raises what a socket raises when the body stops arriving, or has come too slowly."""

    def __init__(self, error: type[TimeoutError]) -> None:
        super().__init__()
        self.error = error

    def read(self, *args: Any) -> bytes:
        raise self.error("timed out")

    readline = readinto = read1 = read


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    """The project's schemas with one more header and query parameter, as a row in the page's tables would add
    them (tests/test_mock_parameters.py regenerates them from such a page): the rows of both classes name them."""
    root = tmp_path_factory.mktemp("schemas")
    source, out = ROOT / "schemas" / CONTRACT, root / CONTRACT
    out.mkdir()
    for file in source.iterdir():
        (out / file.name).write_bytes(file.read_bytes())
    for name, key, rule in (("headers", "x-request-id", {"maxLength": 64}),
                            ("query", "region", {"enum": ["us", "eu", "apac"]})):
        schema = json.loads((out / f"{name}.schema.json").read_text(encoding="utf-8"))
        schema["properties"][key] = {"type": "string", **rule}
        schema["required"].append(key)
        (out / f"{name}.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    return root


def answered_as_sampled(key: str, status: int, errors: list[dict[str, Any]]) -> None:
    """The answer's status, and its one entry (a 401's hint aside): code, message and field, as the sample makes it."""
    row = FAILURES[key]
    entries = [{name: value for name, value in entry.items() if name != "hint"} for entry in errors]
    assert (status, entries) == (row.status, [row.sample_item()])


def test_every_row_has_a_request_or_a_reason_why_none_can_provoke_it():
    given = [*REQUESTS, *SERVED, *UNPROVOKED]
    assert sorted(given) == sorted(set(given)), "a row is given more than one way"
    assert set(given) == set(FAILURES), f"no request for {sorted(set(FAILURES) - set(given))}"


@pytest.mark.parametrize("key", REQUESTS)
def test_the_mock_answers_as_the_row_s_sample_says(key, schemas, tmp_path):
    case = REQUESTS[key]
    config = {"DATABASE": str(tmp_path / "mock.sqlite3"), "TENANT_TEXT": json.dumps(TENANT),
              "SCHEMAS_DIR": str(schemas), **case.get("config", {})}
    app = create_app(config)
    try:
        client = app.test_client()
        for _ in range(case.get("before", 0)):
            assert client.post(ENDPOINT, query_string=QUERY, headers=HEADERS, json=BODY).status_code == 200
        for n in range(case.get("rules", 0)):
            app.extensions["mock"].store.add_fault_rule({"fault": "drop", "method": None, "path": f"/r{n}",
                                                         "probability": 1.0, "count": None})
        method = case.get("method", "POST")
        body = {"input_stream": Stalled(case["stalls"])} if "stalls" in case else {
            "data": case.get("data", json.dumps(changed(BODY, case.get("body", {}))))}
        answer = client.open(
            case.get("path", ENDPOINT), method=method, headers=merged(HEADERS, case.get("headers")),
            query_string=merged(QUERY if method == "POST" else {}, case.get("query")),
            content_type=case.get("content_type", "application/json"), environ_overrides=case.get("environ"), **body,
        )
        answered_as_sampled(key, answer.status_code, answer.get_json()["errors"][case.get("listed", 0):])
    finally:
        app.extensions["mock"].store.close()


@pytest.fixture(scope="module")
def https_mock(mock_processes, pems):
    return mock_processes("--db", ":memory:", "--certfile", pems["cert"], "--keyfile", pems["key"], verify=pems["ca"])


@pytest.mark.parametrize("key", SERVED)
def test_the_served_mock_answers_as_the_row_s_sample_says(key, https_mock, pems):
    case = SERVED[key]
    sock = socket.create_connection(https_mock.address, timeout=10)
    if not case.get("plain"):
        sock = ssl.create_default_context(cafile=pems["ca"]).wrap_socket(sock, server_hostname="127.0.0.1")
    with sock:
        sock.sendall(case["send"].encode("latin-1"))
        answer = until_closed(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(re.match(rb"HTTP/1\.[01] (\d{3}) ", head).group(1))
    answered_as_sampled(key, status, json.loads(body)["errors"])
