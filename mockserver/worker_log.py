"""Filters on the workers' log (gunicorn's error log): one line for a client that was too slow, and no flood of the
same warning from a client that keeps retrying (an untrusted certificate, plain HTTP to the HTTPS port)."""

from __future__ import annotations

import logging
import threading
import time

TIMED_OUT_MESSAGE = "Socket error processing request."  # what gunicorn logs, with a traceback, for a TimeoutError
TOO_SLOW = "Closed a connection whose request did not arrive in time (--idle-timeout)"


def quiet_timeouts(record: logging.LogRecord) -> bool:
    """gunicorn's traceback for a request that stopped arriving, or came too slowly, becomes one warning line."""
    exc = record.exc_info[1] if record.exc_info else None
    # TimeoutError: a Python socket timeout (sync) or the request's deadline (mockserver.read_deadline);
    # BlockingIOError: SO_RCVTIMEO ran out on a blocking read (gthread)
    if isinstance(exc, TimeoutError | BlockingIOError) and record.msg == TIMED_OUT_MESSAGE:
        record.msg, record.args = TOO_SLOW, ()
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


class RepeatedWarnings:
    """Logs a warning at most once per `window` seconds for the same message and arguments (the same client with
    the same problem, as the workers' warnings name the client); the next one logged after a quiet spell says how
    many were left out. Other levels pass untouched."""

    def __init__(self, window: float = 60.0, remember: int = 1024) -> None:
        self.window = window
        self.remember = remember  # distinct warnings kept track of: a scan from many addresses must not grow it
        self.seen: dict[tuple[str, str], tuple[float, int]] = {}  # -> (when last logged, left out since)
        self.lock = threading.Lock()

    def __call__(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING:
            return True
        key = (str(record.msg), repr(record.args))
        now = time.monotonic()
        with self.lock:
            logged, left_out = self.seen.get(key, (None, 0))
            if logged is not None and now - logged < self.window:
                self.seen[key] = (logged, left_out + 1)
                return False
            if len(self.seen) >= self.remember and key not in self.seen:
                self.seen.clear()
            self.seen[key] = (now, 0)
        if left_out:
            record.msg = f"{record.msg} (and {left_out} more like it in the {self.window:g} s before, not logged)"
        return True


def install(log: logging.Logger) -> None:
    """Both filters on a worker's error log, once per worker process."""
    log.addFilter(quiet_timeouts)
    log.addFilter(RepeatedWarnings())
