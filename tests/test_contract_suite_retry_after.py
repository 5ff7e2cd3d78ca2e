"""A 429's Retry-After as the runner reads it, and no token in the reprs pytest prints with -l."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from contract_tests.calls import build_call
from contract_tests.runner import Result, retry_after
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.tenant import load_tenant


def answer(retry: str | None, status: int = 429) -> requests.Response:
    made = requests.Response()
    made.status_code = status
    if retry is not None:
        made.headers["Retry-After"] = retry
    return made


@pytest.mark.parametrize(("value", "seconds"), [
    ("0", 0.0), ("2.5", 2.5), ("100000", 100000.0), (None, 1.0), ("soon", 1.0),
    ("nan", 1.0), ("inf", 1.0), ("-inf", 1.0), ("-3", 1.0), ("1e999", 1.0),
])
def test_retry_after_in_seconds_is_used_only_when_a_finite_non_negative_number(value, seconds):
    """`nan` reached time.sleep, which raised ValueError inside the run, and the summary said "waited nan s"."""
    assert retry_after(answer(value)) == seconds


def test_retry_after_as_an_http_date():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after(answer(later)) <= 30
    assert retry_after(answer("Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0  # already past


def test_only_a_429_asks_to_wait():
    assert retry_after(answer("5", status=503)) is None


def test_the_token_stays_out_of_the_reprs_pytest_shows_with_l():
    """`pytest -vv -l` printed Call.headers, the JWT with it."""
    suite = load_suite()
    target = Target("http://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=True)
    call = build_call(suite.base, target, {}, "ct-0000abcd-", 1)
    assert call.headers["auth"].startswith("eyJ")
    shown = repr(Result(suite.cases[0], call=call))
    assert "eyJ" not in shown and call.headers["auth"] not in shown
