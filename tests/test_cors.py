"""Opt-in CORS (`serve --cors`, config CORS): a web page on another origin (a dashboard, Swagger UI, Redoc) may call
the endpoint and read /openapi.json; the admin API stays closed to it, and without the option nothing changes."""

from __future__ import annotations

import pytest
import requests
from network import exchange, parsed

from mockserver.app import create_app
from mockserver.errors import ConfigError

ORIGIN = "http://localhost:3000"
OPENAPI = "/openapi.json"
EXPOSED = {"retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}


@pytest.fixture
def make_client(tmp_path):
    """make_client(CORS=..., **config): a test client of an app built with that config, its store closed after."""
    apps = []

    def make(**config):
        apps.append(create_app({"DATABASE": str(tmp_path / f"mock{len(apps)}.sqlite3"), "SEED": 7, **config}))
        return apps[-1].test_client()

    yield make
    for app in apps:
        app.extensions["mock"].store.close()


def preflight(client, path, origin=ORIGIN, method="POST", headers="auth, accountid, iid, content-type"):
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers is not None:
        sent["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=sent)


def cors_headers(response) -> dict[str, str]:
    return {name.lower(): value for name, value in response.headers.items()
            if name.lower().startswith("access-control")}


def exposed(response) -> set[str]:
    return {name.strip().lower() for name in response.headers.get("Access-Control-Expose-Headers", "").split(",")}


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.headers.get("Vary", "").split(",") if name.strip()}


# -- off by default: as before --------------------------------------------------------------------------------------


def test_without_the_option_a_preflight_gets_the_plain_options_answer(client, url, post):
    answer = preflight(client, url)
    assert (answer.status_code, answer.headers["Allow"], answer.data) == (200, "OPTIONS, POST", b"")
    assert cors_headers(answer) == {} and "Vary" not in answer.headers
    created = client.post(url, json={}, headers={"Origin": ORIGIN})
    assert cors_headers(created) == {} and "Vary" not in created.headers


# -- a preflight ----------------------------------------------------------------------------------------------------


def test_a_preflight_on_the_endpoint_is_answered_204_reflecting_what_was_asked(make_client, url):
    answer = preflight(make_client(CORS=True), url, headers="auth, accountid, iid, content-type, x-mock-fault")
    assert (answer.status_code, answer.data) == (204, b"")
    assert cors_headers(answer) == {
        "access-control-allow-origin": ORIGIN,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "auth, accountid, iid, content-type, x-mock-fault",
        "access-control-max-age": "600",
    }
    assert {"origin", "access-control-request-method", "access-control-request-headers"} <= vary(answer)
    assert "Content-Type" not in answer.headers


def test_a_preflight_naming_no_headers_is_allowed_the_ones_the_mock_reads(make_client, url):
    answer = preflight(make_client(CORS=True), url, headers=None)
    assert answer.headers["Access-Control-Allow-Headers"] == "auth, accountid, iid, content-type, x-mock-fault"


def test_a_preflight_naming_headers_that_are_no_header_names_is_allowed_the_ones_the_mock_reads(make_client, url):
    answer = preflight(make_client(CORS=True), url, headers="auth, <script>")
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Headers"] == "auth, accountid, iid, content-type, x-mock-fault"


def test_an_options_request_asking_for_no_method_is_no_preflight(make_client, url):
    answer = preflight(make_client(CORS=True), url, method="P O S T")
    assert (answer.status_code, answer.headers["Allow"]) == (200, "OPTIONS, POST")
    assert "Access-Control-Allow-Methods" not in answer.headers


def test_a_preflight_on_the_openapi_document_is_answered(make_client):
    answer = preflight(make_client(CORS=True), OPENAPI, method="GET", headers="accept")
    assert answer.status_code == 204 and answer.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_a_preflight_on_a_path_the_mock_does_not_serve_lets_the_request_through_to_its_404(make_client):
    """The page then reads the mock's own 404 (which path is wrong), not a browser's bare CORS error."""
    client = make_client(CORS=True)
    assert preflight(client, "/campaign/api/v2/public/st-1/campaigns").status_code == 204
    missing = client.post("/campaign/api/v2/public/st-1/campaigns", headers={"Origin": ORIGIN})
    assert missing.status_code == 404 and missing.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_a_preflight_is_journaled_as_an_options_request_not_faulted_limited_or_authenticated(make_client, url,
                                                                                              headers):
    client = make_client(CORS=True, RATE_LIMIT="1/hour")
    rule = client.post("/__admin/faults", json={"fault": "status=503"})  # every method, every path
    assert rule.status_code == 201, rule.get_json()
    assert preflight(client, url).status_code == 204
    assert client.options(url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                        "X-Mock-Fault": "status=500"}).status_code == 204
    journal = client.get("/__admin/requests").get_json()["requests"]
    assert [(entry["method"], entry["status"], entry["errors"]) for entry in journal] == [("OPTIONS", 204, [])] * 2
    assert client.get("/__admin/faults").get_json()["rules"][0]["applied"] == 0
    client.delete("/__admin/faults")
    # the rate limit counts the create, not the preflights before it
    assert client.post(url, json={}, headers={**headers, "Origin": ORIGIN}).status_code == 400


def test_a_plain_options_request_is_answered_as_before(make_client, url):
    """Without Origin and Access-Control-Request-Method it is no preflight: curl -X OPTIONS sees what it saw."""
    answer = make_client(CORS=True).options(url)
    assert (answer.status_code, answer.headers["Allow"], answer.data) == (200, "OPTIONS, POST", b"")
    assert cors_headers(answer) == {}


# -- the answers a page reads ---------------------------------------------------------------------------------------


def _answers(client, url, headers):
    with_origin = {"Origin": ORIGIN}
    return {
        "invalid body": client.post(url, json={}, headers={**headers, **with_origin}),
        "unauthenticated": client.post(url, json={}, headers=with_origin),
        "wrong method": client.get(url, headers=with_origin),
        "no such path": client.get("/nowhere", headers=with_origin),
        "forced 503": client.post(url, json={}, headers={**with_origin, "X-Mock-Fault": "status=503"}),
        "forced 429": client.post(url, json={}, headers={**with_origin, "X-Mock-Fault": "status=429"}),
        "bad fault": client.post(url, json={}, headers={**with_origin, "X-Mock-Fault": "slow"}),
        "openapi": client.get(OPENAPI, headers=with_origin),
    }


def test_every_answer_on_the_api_carries_the_origin_and_the_headers_a_page_may_read(make_client, url, headers):
    answers = _answers(make_client(CORS=True), url, headers)
    assert {name: answer.status_code for name, answer in answers.items()} == {
        "invalid body": 400, "unauthenticated": 401, "wrong method": 405, "no such path": 404, "forced 503": 503,
        "forced 429": 429, "bad fault": 400, "openapi": 200}
    for name, answer in answers.items():
        assert answer.headers.get("Access-Control-Allow-Origin") == ORIGIN, name
        assert exposed(answer) == EXPOSED, name
        assert "origin" in vary(answer), name
        assert "Access-Control-Allow-Methods" not in answer.headers, name  # a preflight's alone
    assert answers["forced 429"].headers["Retry-After"] == "1"


def test_a_rate_limited_answer_lets_a_page_read_when_to_retry(make_client, url, headers, sample_body):
    client = make_client(CORS=True, RATE_LIMIT="1/hour")
    sent = {**headers, "Origin": ORIGIN}
    assert client.post(url, json=sample_body, headers=sent).status_code == 200
    refused = client.post(url, json=sample_body, headers=sent)
    assert refused.status_code == 429 and refused.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert {"Retry-After", "X-RateLimit-Remaining"} <= set(refused.headers.keys())
    assert exposed(refused) == EXPOSED


def test_a_created_campaign_carries_the_origin(make_client, url, headers, sample_body):
    created = make_client(CORS=True).post(url, json=sample_body, headers={**headers, "Origin": ORIGIN})
    assert created.status_code == 200 and created.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_a_page_opened_from_a_file_sends_origin_null_which_any_origin_allows(make_client, url):
    answer = preflight(make_client(CORS=True), url, origin="null")
    assert answer.status_code == 204 and answer.headers["Access-Control-Allow-Origin"] == "null"


def test_a_public_page_may_call_a_mock_on_this_machine(make_client, url):
    """Chrome asks before a page on a public address calls a private one (Private Network Access): editor.swagger.io
    trying the endpoint of a mock on localhost."""
    client = make_client(CORS=True)
    answer = client.options(url, headers={"Origin": "https://editor.swagger.io",
                                          "Access-Control-Request-Method": "POST",
                                          "Access-Control-Request-Private-Network": "true"})
    assert answer.status_code == 204 and answer.headers["Access-Control-Allow-Private-Network"] == "true"
    assert "Access-Control-Allow-Private-Network" not in preflight(client, url).headers


# -- named origins --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["http://localhost:3000,https://qa.example", " HTTP://LocalHost:3000 ",
                                     ["http://localhost:3000", "https://qa.example"], ("http://localhost:3000",)])
def test_a_named_origin_is_allowed(make_client, url, setting):
    answer = preflight(make_client(CORS=setting), url)
    assert answer.status_code == 204 and answer.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize("origin", ["http://localhost:3001", "https://localhost:3000", "http://evil.example", "null"])
def test_an_origin_not_named_gets_no_cors(make_client, url, origin):
    client = make_client(CORS="http://localhost:3000,https://qa.example")
    answer = preflight(client, url, origin=origin)
    assert (answer.status_code, answer.headers["Allow"]) == (200, "OPTIONS, POST")  # the plain answer: refused
    actual = client.post(url, json={}, headers={"Origin": origin})
    assert cors_headers(actual) == {} and "origin" in vary(actual)


@pytest.mark.parametrize("setting", ["localhost:3000", "http://localhost:3000/", "http://localhost:3000/app", "",
                                     "*,http://a.example", [], ["http://a.example", 3], 5, "http://a.example,,",
                                     "http://a b.example"])
def test_a_setting_that_names_no_origins_is_refused_saying_what_to_give(tmp_path, setting):
    with pytest.raises(ConfigError, match=r"--cors \(config CORS\) must be .*http://localhost:3000"):
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "CORS": setting})


@pytest.mark.parametrize("setting", [None, False])
def test_off_is_none_or_false(make_client, url, setting):
    assert cors_headers(preflight(make_client(CORS=setting), url)) == {}


# -- the admin API stays closed to pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/__admin/reset", "/__admin/faults", "/__admin", "/__admin/openapi.json"])
def test_the_admin_api_answers_no_preflight(make_client, path):
    client = make_client(CORS=True)
    answer = preflight(client, path)
    assert answer.status_code in (200, 404) and cors_headers(answer) == {}  # /__admin alone is no path: 404
    assert cors_headers(client.get("/__admin/health", headers={"Origin": ORIGIN})) == {}


# -- both servers -------------------------------------------------------------------------------------------------


def _browser_exchange(base: str, minted: dict[str, str], body: dict) -> tuple[requests.Response, requests.Response]:
    """What a browser sends for a page's fetch() of the endpoint: the preflight, then the POST."""
    path = f"/campaign/api/v2/public/{minted['streamId']}/campaign"
    params = {"accountId": minted["accountId"], "campaignType": "voice"}
    asked = requests.options(base + path, params=params, timeout=10, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "accountid,auth,content-type,iid"})
    created = requests.post(base + path, params=params, json=body, timeout=10, headers={
        "Origin": ORIGIN, "auth": minted["token"], "accountid": minted["accountId"], "iid": minted["streamId"]})
    return asked, created


@pytest.mark.parametrize("option", ["--cors", f"--cors={ORIGIN}"])
def test_a_browser_creates_a_campaign_through_a_served_mock(shared_mock, minted, sample_body, option):
    mock = shared_mock("--db", ":memory:", option)
    asked, created = _browser_exchange(mock.url, minted, sample_body)
    assert (asked.status_code, asked.content, asked.headers["Access-Control-Allow-Origin"]) == (204, b"", ORIGIN)
    assert asked.headers["Access-Control-Allow-Headers"] == "accountid,auth,content-type,iid"
    assert "Content-Length" not in asked.headers and "Transfer-Encoding" not in asked.headers  # RFC 9110: a 204's
    assert created.status_code == 200, created.text
    assert created.headers["Access-Control-Allow-Origin"] == ORIGIN and exposed(created) == EXPOSED
    journal = requests.get(f"{mock.url}/__admin/requests", timeout=10).json()["requests"]
    assert [(entry["method"], entry["status"]) for entry in journal] == [("POST", 200), ("OPTIONS", 204)]


def test_a_served_mock_refuses_a_bad_origin_in_one_line(tmp_path):
    from commands import mockserver_command

    result = mockserver_command("serve", "--port", "0", "--cors=http://localhost:3000/", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--cors" in result.stderr and "'http://localhost:3000/'" in result.stderr


@pytest.mark.kore_mock(CORS=ORIGIN)
def test_the_fixture_takes_the_option(kore_mock, minted, sample_body):
    asked, created = _browser_exchange(kore_mock.url, minted, sample_body)
    assert (asked.status_code, asked.headers["Access-Control-Allow-Origin"]) == (204, ORIGIN)
    assert created.status_code == 200 and created.headers["Access-Control-Allow-Origin"] == ORIGIN


# -- answers made before the app reads the request (gunicorn's limits, plain HTTP on the HTTPS port) -------------------
# A browser meets them too (a long query, a large token, http:// for an https:// mock); without CORS headers the page
# sees only a bare "Failed to fetch", not the envelope that says what to change.

LONG_LINE = f"GET /openapi.json?pad={'p' * 5000} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {{origin}}\r\n\r\n"
LARGE_HEADER = f"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {{origin}}\r\nauth: {'a' * 9000}\r\n\r\n"


@pytest.mark.parametrize(("sent", "status"), [(LONG_LINE, 414), (LARGE_HEADER, 431)], ids=["line", "header"])
@pytest.mark.parametrize(("option", "origin", "allowed"), [
    (f"--cors={ORIGIN}", ORIGIN, ORIGIN),  # the worker reads the Origin in the bytes it holds
    (f"--cors={ORIGIN}", "http://elsewhere.example", None),
    ("--cors", ORIGIN, ORIGIN),
], ids=["listed", "not-listed", "any"])
def test_a_refusal_before_the_app_lets_an_allowed_page_read_it(shared_mock, sent, status, option, origin, allowed):
    mock = shared_mock("--db", ":memory:", option)
    answer, headers, body = parsed(exchange(mock.url, sent.format(origin=origin).encode("latin-1")))
    assert answer == status and b'"errors"' in body
    assert headers.get("access-control-allow-origin") == allowed
    assert "origin" in headers.get("vary", "").lower()


def test_a_refusal_before_the_app_on_a_gthread_worker_lets_any_page_read_it_under_any_origin(shared_mock):
    mock = shared_mock("--db", ":memory:", "--threads", "2", "--cors")
    answer, headers, _ = parsed(exchange(mock.url, LARGE_HEADER.format(origin=ORIGIN).encode("latin-1")))
    assert (answer, headers.get("access-control-allow-origin")) == (431, "*")  # gthread has read the bytes: no Origin


def test_without_the_option_a_refusal_before_the_app_carries_no_cors(shared_mock):
    mock = shared_mock("--db", ":memory:")
    answer, headers, _ = parsed(exchange(mock.url, LONG_LINE.format(origin=ORIGIN).encode("latin-1")))
    assert answer == 414 and not any(name.startswith("access-control") or name == "vary" for name in headers)


@pytest.mark.parametrize("threads", ["1", "2"], ids=["sync", "gthread"])
def test_plain_http_to_the_https_port_lets_an_allowed_page_read_that_it_speaks_https(shared_mock, pems, threads):
    mock = shared_mock("--db", ":memory:", "--threads", threads, f"--cors={ORIGIN}", "--certfile", pems["cert"],
                       "--keyfile", pems["key"], verify=pems["ca"])
    sent = f"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ORIGIN}\r\n\r\n".encode()
    answer, headers, body = parsed(exchange(mock.url.replace("https://", "http://"), sent))
    assert (answer, headers.get("access-control-allow-origin")) == (400, ORIGIN)
    assert b"https://" in body


MANY_HEADERS = ("GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {origin}\r\n"
                + "".join(f"x-h{index}: v\r\n" for index in range(120)) + "\r\n")


@pytest.mark.parametrize("cors", [True, ORIGIN], ids=["any", "listed"])
def test_the_in_process_mock_s_refusal_before_the_app_carries_cors_as_serve_s_does(cors):
    """As serve's default (sync) workers do, it reads the Origin among the fields before the one too many."""
    from mockserver.testing import running_mock

    with running_mock(CORS=cors) as mock:
        answer, headers, body = parsed(exchange(mock.url, MANY_HEADERS.format(origin=ORIGIN).encode()))
    assert answer == 431 and b'"errors"' in body
    assert headers.get("access-control-allow-origin") == ORIGIN
    assert "origin" in headers.get("vary", "").lower()
