"""`--delete-created`'s messages when nothing can be deleted: a refused admin token, a sandbox gone, not a mock."""

from __future__ import annotations

import socket

import pytest

from contract_tests.cleanup import delete_created
from contract_tests.runner import Created
from mockserver.app import create_app
from mockserver.testing import serve

CREATED = [Created("ct-0000abcd-0001", "c-1", "sample/vendor-request")]


@pytest.fixture
def sandbox(tmp_path):
    with serve(create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), "ADMIN_TOKEN": "sandbox-secret"})) as url:
        yield url


def test_a_refused_admin_token_is_named_as_refused_not_as_missing(sandbox, monkeypatch):
    """It said "wants its token; set MOCK_ADMIN_TOKEN" to someone who had set it."""
    monkeypatch.setenv("MOCK_ADMIN_TOKEN", "wrong")
    assert delete_created(sandbox, sandbox, CREATED) == [
        f"not deleted: {sandbox}/__admin refused the token in MOCK_ADMIN_TOKEN (401): set it to the --admin-token"
        " the mock was started with"]


def test_a_missing_admin_token_is_asked_for(sandbox, monkeypatch):
    monkeypatch.delenv("MOCK_ADMIN_TOKEN", raising=False)
    assert delete_created(sandbox, sandbox, CREATED) == [
        f"not deleted: {sandbox}/__admin wants the mock's admin token: set MOCK_ADMIN_TOKEN"]


def test_a_sandbox_gone_mid_run_is_no_answer_not_a_different_service():
    """It said "is not a kore-campaign-mock (no /__admin/health)" about a sandbox that had died."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{probe.getsockname()[1]}"
    assert delete_created(gone, gone, CREATED) == [
        f"not deleted: no answer from {gone} (ConnectionError); is the sandbox still running?"]
