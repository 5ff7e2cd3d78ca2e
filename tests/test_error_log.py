"""The mock's own error lines (logger `mockserver`): a database it cannot use is one line, a bug in the mock a line and
its traceback (the one place a traceback belongs) beside a 500 in the envelope; neither lets a client's path forge
a line of the log."""

from __future__ import annotations

import logging

import pytest

from mockserver.store import StoreUnavailable

FORGED = "/nope%0A[2026-11-27 10:00:00 +0000] [1] [ERROR] forged"  # a %-encoded newline in a client's path


def mock_log_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "mockserver"]


@pytest.fixture
def failing_store(app, monkeypatch):
    """The app, its store failing as `raised` says when a request reads the fault rules (every request to the API
    does)."""

    def fail(raised: BaseException) -> None:
        def fault_rules():
            raise raised

        monkeypatch.setattr(app.extensions["mock"].store, "fault_rules", fault_rules)

    return fail


def test_a_database_that_cannot_be_used_is_one_line_whatever_the_path(client, failing_store, caplog):
    failing_store(StoreUnavailable("database or disk is full"))
    with caplog.at_level(logging.ERROR, logger="mockserver"):
        response = client.get(FORGED)
    assert response.status_code == 503
    (record,) = mock_log_lines(caplog)
    assert record.exc_info is None and "\n" not in record.getMessage(), record.getMessage()
    assert record.getMessage().startswith("GET /nope%0A[2026-11-27"), record.getMessage()


def test_a_bug_is_answered_500_in_the_envelope_and_logged_with_its_traceback(client, failing_store, caplog):
    failing_store(KeyError("rules"))
    with caplog.at_level(logging.ERROR, logger="mockserver"):
        response = client.get(FORGED)
    assert response.status_code == 500
    assert response.get_json() == {"errors": [{"msg": "Internal error in the mock: KeyError", "code": 5000}]}
    (record,) = mock_log_lines(caplog)
    assert record.exc_info is not None and record.exc_info[0] is KeyError  # the traceback, for the maintainers
    assert "\n" not in record.getMessage(), record.getMessage()
    assert record.getMessage().startswith("unhandled error on GET /nope%0A[2026-11-27"), record.getMessage()
    journaled = client.get("/__admin/requests").get_json()["requests"]
    assert [(entry["status"], entry["errors"]) for entry in journaled] == [(500, response.get_json()["errors"])]
