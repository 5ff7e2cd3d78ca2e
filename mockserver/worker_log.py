"""Filters on the workers' log (gunicorn's error log): one line for a client that was too slow, one without the
bytes it sent for a client that cut its head off, and no flood of the same warning or error line.

The floods kept out: a client that keeps retrying (an untrusted certificate, plain HTTP to the HTTPS port), and the
mock's own error lines while its database cannot be used (a full disk: every request, health checks included).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

TIMED_OUT_MESSAGE = "Socket error processing request."  # what gunicorn logs, with a traceback, for a TimeoutError
TOO_SLOW = "Closed a connection from ip=%s whose request did not arrive in time (--idle-timeout)"
PREMATURE_MESSAGE = "Ignored premature client disconnection. %s"  # gunicorn's, at debug, for a head cut off
CUT_OFF = "Closed a connection from ip=%s whose client closed it within the request's head: nothing to answer"
REPEATS = "mock_repeats"  # set on the line that counts the warnings left out: RepeatedWarnings lets it through
MOCK_LOG = "mockserver"  # the app's own logger (the store, the error handlers); its -v child has a handler of its own


_serving = threading.local()


def serving(addr: Any) -> None:
    """Name the client this worker thread now serves (gunicorn's address for it), for the lines logged about it."""
    _serving.ip = addr[0] if isinstance(addr, tuple) and addr else str(addr or "")


def quiet_timeouts(record: logging.LogRecord) -> bool:
    """gunicorn's traceback for a request that stopped arriving, or came too slowly, becomes one warning line, which
    names the client (gunicorn's own record does not)."""
    exc = record.exc_info[1] if record.exc_info else None
    # TimeoutError: a Python socket timeout (sync) or the request's deadline (mockserver.read_deadline);
    # BlockingIOError: SO_RCVTIMEO ran out on a blocking read (gthread)
    if isinstance(exc, TimeoutError | BlockingIOError) and record.msg == TIMED_OUT_MESSAGE:
        record.msg, record.args = TOO_SLOW, (getattr(_serving, "ip", ""),)
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


def quiet_cut_offs(record: logging.LogRecord) -> bool:
    """gunicorn's debug line for a head the client cut off quoted the bytes that had come, an Authorization or auth
    header's token among them; it names the client instead, and is still a debug line."""
    if record.msg == PREMATURE_MESSAGE:
        record.msg, record.args = CUT_OFF, (getattr(_serving, "ip", ""),)
    return True


class RepeatedWarnings:
    """Logs a warning at most once per `window` seconds for the same message (the same client with the same problem,
    as the workers' warnings name the client). How many were left out is logged once the window ends (`flush`, which
    the worker calls as it loops and as it exits), or with the next one logged if that comes first. Past `remember`
    different warnings the ones kept track of are forgotten, and what they had left out is told in one line, so a
    scan from many addresses neither grows memory nor loses a count. Other levels pass untouched, and so does a line
    with a traceback. `level`: the level held back (the mock's own log holds back its errors alike)."""

    def __init__(self, window: float = 60.0, remember: int = 1024, level: int = logging.WARNING) -> None:
        self.level = level
        self.window = window
        self.remember = remember  # distinct warnings kept track of: a scan from many addresses must not grow it
        self.seen: dict[str, tuple[float, int]] = {}  # message -> (when last logged, left out since)
        self.due: float | None = None  # when the first window with warnings left out ends
        self.forgotten = (0, 0)  # (warnings left out, of how many different ones) by those no longer kept track of
        self.lock = threading.Lock()

    def __call__(self, record: logging.LogRecord) -> bool:
        if record.levelno != self.level or record.exc_info or getattr(record, REPEATS, False):
            return True
        key = record.getMessage()
        now = time.monotonic()
        with self.lock:
            logged, left_out = self.seen.get(key, (None, 0))
            if logged is not None and now - logged < self.window:
                self.seen[key] = (logged, left_out + 1)
                ends = logged + self.window
                self.due = ends if self.due is None else min(self.due, ends)
                return False
            if len(self.seen) >= self.remember and key not in self.seen:
                owed = [left for _, left in self.seen.values() if left]
                if owed:
                    count, kinds = self.forgotten
                    self.forgotten = (count + sum(owed), kinds + len(owed))
                    self.due = now  # told at the next flush
                self.seen.clear()
            self.seen[key] = (now, 0)
        if left_out:
            record.msg = f"{key} (and {left_out} more like it in the {self.window:g} s before, not logged)"
            record.args = ()
        return True

    def flush(self, log: logging.Logger, everything: bool = False) -> None:
        """Log how many of each warning were left out in its window, once the window has ended (or now, for all of
        them, with `everything`: the worker is exiting). Cheap when nothing is due: it runs once per request."""
        if self.due is None or (not everything and time.monotonic() < self.due):
            return
        now = time.monotonic()
        with self.lock:
            done = {key: (logged, left_out) for key, (logged, left_out) in self.seen.items()
                    if left_out and (everything or now - logged >= self.window)}
            for key in done:
                del self.seen[key]  # the next one is logged at once
            pending = [logged + self.window for logged, left_out in self.seen.values() if left_out]
            self.due = min(pending, default=None)
            (count, kinds), self.forgotten = self.forgotten, (0, 0)
        for key, (logged, left_out) in done.items():
            span = max(1, round(min(self.window, now - logged)))
            log.log(self.level, "%s (and %d more like it in the %d s after it was logged, not logged)", key,
                    left_out, span, extra={REPEATS: True})
        if count:
            kind = f"{logging.getLevelName(self.level).lower()}s"  # warnings, or errors for the mock's own log
            log.log(self.level, "%d more %s, repeats of %d different ones logged before, were not logged"
                    " (more than %d different %s within %g s)", count, kind, kinds, self.remember, kind, self.window,
                    extra={REPEATS: True})


def install(log: logging.Logger) -> RepeatedWarnings:
    """Both filters on a worker's error log, once per worker process; the second is returned, for its `flush`."""
    repeated = RepeatedWarnings()
    log.addFilter(quiet_timeouts)
    log.addFilter(quiet_cut_offs)
    log.addFilter(repeated)
    return repeated


def install_mock_log(error_log: logging.Logger) -> tuple[logging.Logger, RepeatedWarnings]:
    """The app's own lines through gunicorn's error log handlers, in its layout (time, pid, level: they had none),
    each error once a window; the logger and its filter are returned, for the filter's `flush`."""
    mock_log = logging.getLogger(MOCK_LOG)
    for handler in error_log.handlers:
        mock_log.addHandler(handler)
    mock_log.propagate = False
    repeated = RepeatedWarnings(level=logging.ERROR)
    mock_log.addFilter(repeated)
    return mock_log, repeated
