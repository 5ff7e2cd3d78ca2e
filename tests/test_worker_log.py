"""mockserver.worker_log: one line for a too-slow client, and a repeated warning logged once a window."""

from __future__ import annotations

import logging

from mockserver import worker_log
from mockserver.worker_log import RepeatedWarnings, quiet_timeouts


def _record(msg: str, *args: object, level: int = logging.WARNING, exc: BaseException | None = None):
    info = (type(exc), exc, None) if exc else None
    return logging.LogRecord("gunicorn.error", level, __file__, 1, msg, args, info)


def test_gunicorns_traceback_for_a_too_slow_client_becomes_one_warning():
    record = _record(worker_log.TIMED_OUT_MESSAGE, level=logging.ERROR, exc=TimeoutError("timed out"))
    assert quiet_timeouts(record)
    assert (record.getMessage(), record.levelname, record.exc_info) == (worker_log.TOO_SLOW, "WARNING", None)
    other = _record(worker_log.TIMED_OUT_MESSAGE, level=logging.ERROR, exc=ConnectionAbortedError())
    assert quiet_timeouts(other) and other.exc_info is not None  # anything else keeps its traceback


def test_the_same_warning_is_logged_once_a_window_then_says_how_many_were_left_out(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(worker_log.time, "monotonic", lambda: now[0])
    repeated = RepeatedWarnings(window=60)
    line = "TLS handshake with ip=%s failed: %s"
    assert repeated(_record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA"))
    now[0] += 1
    assert not repeated(_record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA"))
    assert not repeated(_record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA"))
    assert repeated(_record(line, "10.0.0.2", "TLSV1_ALERT_UNKNOWN_CA"))  # another client
    assert repeated(_record(line, "10.0.0.1", "WRONG_VERSION_NUMBER"))  # another problem
    assert repeated(_record("%s", "an error", level=logging.ERROR))  # errors are never held back
    assert repeated(_record("%s", "an error", level=logging.ERROR))
    now[0] += 60
    after = _record(line, "10.0.0.1", "TLSV1_ALERT_UNKNOWN_CA")
    assert repeated(after)
    assert after.getMessage() == ("TLS handshake with ip=10.0.0.1 failed: TLSV1_ALERT_UNKNOWN_CA"
                                  " (and 2 more like it in the 60 s before, not logged)")


def test_many_different_warnings_do_not_grow_without_bound():
    repeated = RepeatedWarnings(remember=10)
    for number in range(1000):
        assert repeated(_record("Invalid request from ip=%s", f"10.0.{number // 256}.{number % 256}"))
    assert len(repeated.seen) <= 10
