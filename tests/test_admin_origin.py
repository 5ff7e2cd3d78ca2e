"""A web page on another origin cannot change the admin API: a browser sends a "simple" request (a bodiless
`POST /__admin/reset`, a `text/plain` rule) without asking first, so any page a tester opens could reset or fault the
sandbox. A change carrying an `Origin` that is not the request's own, or `Sec-Fetch-Site: cross-site`/`same-site`, is
refused 403 `admin.cross_origin`; a request from no page (curl, scripts, the mock's own clients) is not."""

from __future__ import annotations

import json

import pytest
import requests

from mockserver.app import create_app
from mockserver.failures import failure

EVIL = "http://evil.example"
RULE = json.dumps({"fault": "status=503"})
# every request that changes the admin API's state, as a page could send it (a body a form or fetch() may send)
CHANGES = [
    ("POST", "/__admin/reset", {}),
    ("POST", "/__admin/faults", {"data": RULE, "content_type": "text/plain"}),
    ("PUT", "/__admin/faults/1", {"data": RULE, "content_type": "text/plain"}),
    ("DELETE", "/__admin/faults", {}),
    ("DELETE", "/__admin/faults/1", {}),
    ("DELETE", "/__admin/requests", {}),
    ("DELETE", "/__admin/requests/1", {}),
    ("DELETE", "/__admin/campaigns/cd-x", {}),
]


@pytest.fixture
def make_client(tmp_path):
    """make_client(**config): a test client of an app with a campaign and a fault rule, its store closed after."""
    apps = []

    def make(**config):
        apps.append(create_app({"DATABASE": str(tmp_path / f"mock{len(apps)}.sqlite3"), **config}))
        return apps[-1].test_client()

    yield make
    for app in apps:
        app.extensions["mock"].store.close()


@pytest.fixture
def busy(make_client, url, sample_body, headers):
    client = make_client()
    assert client.post(url, json=sample_body, headers=headers).status_code == 200
    assert client.post("/__admin/faults", json={"fault": "status=503", "path": "/nowhere"}).status_code == 201
    return client


def state(client) -> tuple[int, int]:
    """(campaigns, fault rules) the mock holds."""
    rules = client.get("/__admin/faults").get_json()["rules"]
    return client.get("/__admin/campaigns").get_json()["total"], len(rules)


def refusal(response) -> dict:
    assert response.status_code == 403, response.get_data(as_text=True)
    (error,) = response.get_json()["errors"]
    assert error["code"] == failure("admin.cross_origin").code
    return error


# -- refused --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_a_change_from_a_page_on_another_origin_is_refused_and_changes_nothing(busy, method, path, body):
    before = state(busy)
    error = refusal(busy.open(path, method=method, headers={"Origin": EVIL}, **body))
    assert error["field"] == "Origin"
    assert error["msg"] == failure("admin.cross_origin").item(who=f"A web page on '{EVIL}'", own="http://localhost")[
        "msg"]
    assert state(busy) == before


@pytest.mark.parametrize("origin", [
    "null",  # a page opened from a file, a sandboxed frame
    "http://localhost:3000",  # another port
    "https://localhost",  # another scheme
    "http://localhost.evil.example",
    "http://evil.example, http://localhost",  # Origin given twice, joined by the server
    "",
    "localhost",
])
def test_any_other_origin_is_refused(busy, origin):
    error = refusal(busy.post("/__admin/reset", headers={"Origin": origin}))
    assert error["field"] == "Origin" and "cannot change the admin API" in error["msg"]
    assert state(busy) == (1, 1)


def test_a_page_opened_from_a_file_is_named_as_such(busy):
    assert refusal(busy.post("/__admin/reset", headers={"Origin": "null"}))["msg"].startswith(
        "A web page with Origin: null (a file, a sandboxed frame) cannot change")


@pytest.mark.parametrize("site", ["cross-site", "same-site", "Cross-Site"])
def test_a_browser_s_sec_fetch_site_from_another_site_is_refused(busy, site):
    error = refusal(busy.post("/__admin/reset", headers={"Sec-Fetch-Site": site}))
    assert error["field"] == "Sec-Fetch-Site" and f"(Sec-Fetch-Site: {site.lower()})" in error["msg"]
    assert state(busy) == (1, 1)


def test_the_message_names_the_mock_s_own_origin(make_client):
    error = refusal(make_client().post("/__admin/reset", headers={"Origin": EVIL, "Host": "127.0.0.1:8080"}))
    assert error["msg"].endswith("from a page on the mock's own origin, http://127.0.0.1:8080")


@pytest.mark.parametrize("cors", [True, "http://localhost:3000"])
def test_an_origin_cors_allows_may_not_change_the_admin_api_either(make_client, cors):
    """--cors opens the endpoint to pages, not the admin API: the admin token is how a sandbox is shared."""
    client = make_client(CORS=cors)
    answer = client.post("/__admin/reset", headers={"Origin": "http://localhost:3000"})
    refusal(answer)
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_the_admin_token_does_not_open_the_admin_api_to_another_origin(make_client):
    client = make_client(ADMIN_TOKEN="tok")
    assert client.post("/__admin/reset", headers={"Origin": EVIL}).status_code == 401  # the token is asked first
    refusal(client.post("/__admin/reset", headers={"Origin": EVIL, "Authorization": "Bearer tok"}))
    assert client.post("/__admin/reset", headers={"Authorization": "Bearer tok"}).status_code == 200


# -- unchanged ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sent", [
    {},  # curl, requests, the mock's own CLI and clients
    {"Origin": "http://localhost"},  # a page on the request's own origin
    {"Origin": "HTTP://LOCALHOST"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Sec-Fetch-Site": "none"},  # typed into the address bar, a bookmark
])
def test_a_change_from_no_page_or_from_the_own_origin_is_carried_out(busy, sent):
    assert busy.delete("/__admin/faults", headers=sent).get_json() == {"deleted": 1}
    assert busy.post("/__admin/reset", headers=sent).status_code == 200
    assert state(busy) == (0, 0)


def test_the_own_origin_counts_its_port(make_client):
    client = make_client()
    assert client.post("/__admin/reset", headers={"Origin": "http://localhost:8080", "Host": "localhost:8080"}
                       ).status_code == 200
    assert client.post("/__admin/reset", headers={"Origin": "https://qa.example", "Host": "qa.example:443"},
                       base_url="https://qa.example").status_code == 200


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reads_from_another_origin_are_answered_as_before(busy, method):
    """A page cannot read them without CORS, which the admin API never gives."""
    answer = busy.open("/__admin/faults", method=method, headers={"Origin": EVIL, "Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 200
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_the_endpoint_is_untouched(make_client, url, sample_body, headers):
    client = make_client()
    created = client.post(url, json=sample_body, headers={**headers, "Origin": EVIL, "Sec-Fetch-Site": "cross-site"})
    assert created.status_code == 200, created.get_json()


# -- behind a reverse proxy: the origin the browser saw ------------------------------------------------------------

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "qa-mock.internal", "X-Forwarded-Port": "443",
             "Host": "127.0.0.1:8080"}


def test_behind_a_trusted_proxy_the_forwarded_origin_is_the_own_one(make_client):
    client = make_client(FORWARDED_ALLOW_IPS="127.0.0.1")
    assert client.post("/__admin/reset", headers={**FORWARDED, "Origin": "https://qa-mock.internal"}
                       ).status_code == 200
    error = refusal(client.post("/__admin/reset", headers={**FORWARDED, "Origin": "http://127.0.0.1:8080"}))
    assert error["msg"].endswith("own origin, https://qa-mock.internal")


def test_from_an_untrusted_peer_the_forwarded_headers_name_no_origin(make_client):
    client = make_client()  # no --forwarded-allow-ips: the headers are read by nothing
    error = refusal(client.post("/__admin/reset", headers={**FORWARDED, "Origin": "https://qa-mock.internal"}))
    assert error["msg"].endswith("own origin, http://127.0.0.1:8080")


# -- a served mock --------------------------------------------------------------------------------------------------


def test_a_served_mock_refuses_a_page_s_simple_requests(shared_mock):
    mock = shared_mock("--db", ":memory:")
    page = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
    reset = requests.post(f"{mock.url}/__admin/reset", headers=page, timeout=10)
    rule = requests.post(f"{mock.url}/__admin/faults", data=RULE, timeout=10,
                         headers={**page, "Content-Type": "text/plain;charset=UTF-8"})
    assert (reset.status_code, rule.status_code) == (403, 403), (reset.text, rule.text)
    assert rule.json()["errors"][0]["field"] == "Origin"
    assert requests.get(f"{mock.url}/__admin/faults", headers=page, timeout=10).json() == {"rules": []}
    own = {"Origin": mock.url, "Sec-Fetch-Site": "same-origin"}
    assert requests.post(f"{mock.url}/__admin/faults", data=RULE, headers=own, timeout=10).status_code == 201
    assert requests.post(f"{mock.url}/__admin/reset", timeout=10).status_code == 200
