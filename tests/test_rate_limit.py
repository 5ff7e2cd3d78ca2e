"""Opt-in rate limiting per account: the vendor's 429 and message, headers, shared by every worker."""

from __future__ import annotations

import time

import pytest
import requests
from commands import mockserver_command

from mockserver import process
from mockserver.auth import mint_token
from mockserver.errors import ConfigError
from mockserver.failures import RATE_LIMIT_MESSAGE
from mockserver.ratelimit import Count, RateLimit, count, parse_rate

LIMIT = "3/hour"


@pytest.fixture
def limited(tmp_path, make_app):
    return make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "RATE_LIMIT": LIMIT}).test_client()


@pytest.mark.parametrize(("text", "expected"), [
    ("60/min", RateLimit(60, 60)), ("10/s", RateLimit(10, 1)), ("1000/hour", RateLimit(1000, 3600)),
    ("100/5min", RateLimit(100, 300)), (" 5 / Minute ", RateLimit(5, 60)),
    ("1000000000/24hour", RateLimit(1_000_000_000, 86_400)), ("1/86400s", RateLimit(1, 86_400)),
])
def test_rate_syntax(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["60", "60/fortnight", "0/min", "-1/min", "ten/min", "60/0min", "60/00min", "",
                                  "60/99999999999999999999min", "60/25hour", "60/86401s", "1000000001/min"])
def test_bad_rate_syntax_says_what_is_expected(text):
    with pytest.raises(ConfigError, match="60/min"):
        parse_rate(text)


def test_over_the_limit_is_429_with_the_vendors_message_and_headers(limited, url, headers):
    answers = [limited.post(url, json={}, headers=headers) for _ in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429, 429]  # authenticated requests all count
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0", "0"]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"3"}
    refused = answers[3]
    [error] = refused.get_json()["errors"]
    assert (error["msg"], error["code"]) == (RATE_LIMIT_MESSAGE, 4029)
    # the vendor's message says "per-minute" whatever the window: the hint says the mock's own
    assert error["hint"] == (f"this mock allows 3 requests per hour per account; retry in"
                             f" {refused.headers['Retry-After']} s")
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.headers["Retry-After"] == refused.headers["X-RateLimit-Reset"]


@pytest.mark.parametrize("served_then_dropped", ["drop=after", "drop=after-reset"])
def test_a_request_a_fault_answers_counts_against_no_one_and_one_it_lets_through_counts(limited, url, headers,
                                                                                        served_then_dropped):
    """A forced status or a drop is answered before authentication, as by a gateway in front of the service; a
    latency, drop=after or drop=after-reset fault lets the request reach the service, which counts it."""
    def faulted(spec):
        return limited.post(url, json={}, headers={**headers, "X-Mock-Fault": spec}).headers

    assert ["X-RateLimit-Remaining" in faulted(spec) for spec in ("status=503", "drop", "drop=reset")] == [False] * 3
    assert faulted("latency=1")["X-RateLimit-Remaining"] == "2"
    faulted(served_then_dropped)
    assert limited.post(url, json={}, headers=headers).headers["X-RateLimit-Remaining"] == "0"


def test_the_limit_is_per_account(limited, url, headers, tenant):
    for _ in range(4):
        limited.post(url, json={}, headers=headers)
    other = tenant.accounts[1]
    token = mint_token(other.apps[0].client_id, other.apps[0].client_secret)
    response = limited.post(url, json={}, headers={**headers, "auth": token})
    assert response.status_code == 403 and response.headers["X-RateLimit-Remaining"] == "2"


def test_unauthenticated_requests_count_against_no_one(limited, url, headers):
    for _ in range(5):
        response = limited.post(url, json={}, headers={**headers, "auth": "not-a-token"})
        assert response.status_code == 401 and "X-RateLimit-Limit" not in response.headers
    assert limited.post(url, json={}, headers=headers).status_code == 400


@pytest.mark.parametrize(("method", "path", "status"), [
    ("POST", "/nope", 404), ("GET", "{url}", 405), ("OPTIONS", "{url}", 200), ("POST", "{url}/", 404),
])
def test_only_creates_count_so_a_wrong_url_still_says_why(limited, url, headers, method, path, status):
    """A request with a valid token counted whatever it asked for: past the limit, a typo in the URL got 429, which
    hid the 404 that names the mistake, and an OPTIONS, which every path answers 200, got 429 too."""
    for _ in range(5):
        response = limited.open(path.format(url=url.split("?")[0]) + "?" + url.split("?")[1], method=method,
                                headers=headers)
        assert response.status_code == status and "X-RateLimit-Limit" not in response.headers
    assert limited.post(url, json={}, headers=headers).headers["X-RateLimit-Remaining"] == "2"


def test_admin_api_is_not_limited(limited, url, headers):
    for _ in range(4):
        limited.post(url, json={}, headers=headers)
    assert limited.get("/__admin/health", headers=headers).status_code == 200


def test_a_window_opens_at_the_accounts_first_request_and_a_new_one_after_it_ends(tmp_path, make_app):
    store = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}).extensions["mock"].store
    rate = RateLimit(2, 60)
    assert [count(rate, store, "acc", now=179.5 + i).hits for i in range(3)] == [1, 2, 3]  # across 180: one window
    assert count(rate, store, "acc", now=200.0) == Count(limit=2, hits=4, reset=40)
    assert count(rate, store, "acc", now=239.2).reset == 1
    assert count(rate, store, "acc", now=239.6) == Count(limit=2, hits=1, reset=60)  # 179.5 + 60: a new window
    assert count(rate, store, "other", now=240.0).hits == 1


def test_a_short_window_refuses_the_request_after_the_limit_wherever_the_clock_is(tmp_path, url, headers, make_app):
    """A client's test sending limit + 1 requests gets its 429 on the last, whenever it runs: with windows aligned to
    the clock, a second's boundary falling between two requests of a 2/s test started a new count."""
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "RATE_LIMIT": "2/s"}).test_client()
    left = 1 - time.time() % 1
    time.sleep(left - 0.1 if left > 0.15 else left + 0.9)  # the first request a tenth of a second before a boundary,
    statuses = [app.post(url, json={}, headers=headers).status_code]
    time.sleep(1 - time.time() % 1 + 0.01)  # the others just after it
    statuses += [app.post(url, json={}, headers=headers).status_code for _ in range(2)]
    assert statuses == [400, 400, 429]


def test_off_by_default_and_then_the_store_is_not_touched(tmp_path, url, headers, monkeypatch, make_app):
    app = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")})
    store = app.extensions["mock"].store

    def untouched(*args):
        raise AssertionError("counted without a rate limit")

    monkeypatch.setattr(store, "count_request", untouched)
    response = app.test_client().post(url, json={}, headers=headers)
    assert response.status_code == 400 and "X-RateLimit-Limit" not in response.headers


@pytest.mark.parametrize("setting", [0, "", [], {}, False])
def test_a_rate_limit_that_reads_as_false_is_refused_not_taken_for_none(tmp_path, setting):
    """RATE_LIMIT was read for its truth: 0, "", [], {} and False served with no limit, without a word."""
    from mockserver.app import create_app

    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "RATE_LIMIT": setting})
    assert str(refused.value).startswith("--rate-limit (config RATE_LIMIT) must be N/UNIT")
    assert str(refused.value).endswith(f"(got {setting!r})")
    assert not list(tmp_path.iterdir())


def test_workers_share_one_count(tmp_path, url, headers):
    with process.running("--db", str(tmp_path / "mock.sqlite3"), "--workers", "2", "--rate-limit", "5/hour") as s:
        statuses = [requests.post(s.url + url, json={}, headers={**headers, "Connection": "close"}, timeout=10)
                    .status_code for _ in range(12)]
    assert statuses == [400] * 5 + [429] * 7


def test_serve_refuses_a_bad_rate_in_one_line(tmp_path):
    result = mockserver_command("serve", "--port", "0", "--rate-limit", "lots", cwd=tmp_path)
    assert not list(tmp_path.iterdir())  # refused before anything is opened
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "60/min" in result.stderr


def test_a_request_that_reaches_the_store_after_a_later_one_opened_the_window_counts_in_it(tmp_path, make_app):
    """Each request takes its moment before it waits for the store's write lock, so one may reach the store after
    a request whose moment is later opened a window: it counted as a window of its own, the count started again at
    1, and a burst at a window's opening let more than the limit through (6 of 5 in about 1 burst of 48 requests in
    150 under `serve --workers 6`)."""
    store = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}).extensions["mock"].store
    rate = RateLimit(2, 60)
    assert count(rate, store, "acc", now=100.004).hits == 1  # the later moment reached the store first
    assert count(rate, store, "acc", now=100.001) == Count(limit=2, hits=2, reset=60)  # in its window, not past 60 s
    assert count(rate, store, "acc", now=100.002).exceeded
    assert count(rate, store, "acc", now=160.01).hits == 1  # the window still ends 60 s after it opened


def test_a_request_at_the_moment_a_window_ends_opens_the_next(tmp_path, make_app):
    """A window lasts `period` seconds, as X-RateLimit-Reset counts them down: the request at its end is not in it."""
    store = make_app({"DATABASE": str(tmp_path / "mock.sqlite3")}).extensions["mock"].store
    rate = RateLimit(1, 60)
    assert count(rate, store, "acc", now=1000.0) == Count(limit=1, hits=1, reset=60)
    assert count(rate, store, "acc", now=1060.0) == Count(limit=1, hits=1, reset=60)


@pytest.mark.parametrize(("rate", "words"), [
    ("60/min", "per minute"), ("100/5min", "per 5 minutes"), ("10/s", "per second"), ("5/90s", "per 90 seconds"),
    ("7/2hour", "per 2 hours"),
])
def test_the_hint_says_the_window_in_words(tmp_path, url, headers, rate, words, make_app):
    client = make_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "RATE_LIMIT": rate}).test_client()
    limit = parse_rate(rate).limit
    for _ in range(limit):
        client.post(url, json={}, headers=headers)
    [error] = client.post(url, json={}, headers=headers).get_json()["errors"]
    assert error["hint"].startswith(f"this mock allows {limit} requests {words} per account; retry in ")
