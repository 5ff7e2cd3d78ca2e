"""An HTTP proxy named by the environment (HTTP_PROXY without NO_PROXY, as on some CI machines) does not stand
between this machine's own code and a mock it started on 127.0.0.1: a proxy elsewhere cannot reach it."""

from __future__ import annotations

import pytest

from mockserver import process

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture
def unreachable_proxy(monkeypatch):
    """Every proxy variable names the discard port, where nothing answers, and no host is exempt."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, "http://127.0.0.1:9")


def test_a_started_server_is_waited_for_without_the_proxy(unreachable_proxy):
    """Its health check went to the proxy, which never answered: after 30 s, "did not answer its health check"."""
    with process.running("--db", ":memory:", "--workers", "1") as server:
        assert server.process.poll() is None


def test_the_contract_suite_reaches_its_in_process_mock_without_the_proxy(unreachable_proxy, run_contract_suite):
    """Every case was sent to the proxy: the run stopped at the first one, "no answer from in-process mock"."""
    result = run_contract_suite("-k", "sample or auth")
    outcomes = result.parseoutcomes()
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert outcomes["passed"] > 10 and "errors" not in outcomes and "failed" not in outcomes
