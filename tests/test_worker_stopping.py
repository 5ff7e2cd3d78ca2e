"""A sync worker told to stop (SIGHUP's reload, SIGTERM) with a connection taken whose request has not come yet: it
closed the connection at once, and a client whose connect it took just before the signal got a reset."""

from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace

from mockserver.workers import STOPPING_FIRST_BYTES_S, EnvelopeSyncWorker

REQUEST = b"GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n"


def test_a_stopping_worker_waits_a_moment_for_a_taken_connections_first_bytes():
    taken, client = socket.socketpair()
    stopping = SimpleNamespace(alive=False)
    sender = threading.Timer(0.05, client.sendall, (REQUEST,))  # the request, just after the accept
    sender.start()
    try:
        assert EnvelopeSyncWorker._peek(stopping, taken, 5.0) == REQUEST
    finally:
        sender.join()
        taken.close()
        client.close()


def test_a_stopping_worker_still_closes_a_silent_connection_soon():
    taken, client = socket.socketpair()
    started = time.monotonic()
    try:
        assert EnvelopeSyncWorker._peek(SimpleNamespace(alive=False), taken, 5.0) is None
    finally:
        taken.close()
        client.close()
    assert STOPPING_FIRST_BYTES_S <= time.monotonic() - started < 2.0  # not the 5 s a live worker waits


def test_a_worker_paused_for_want_of_a_file_stops_once_its_master_is_gone(monkeypatch):
    """Paused (not dead) on EMFILE, it looped back to accept: gunicorn asks whether its master lives only after an
    EAGAIN, so an orphan whose files never came back went on for ever."""
    import errno
    import logging

    from mockserver import workers

    monkeypatch.setattr(workers, "FILES_FULL_PAUSE_S", 0)

    class Listener:
        def accept(self):
            raise OSError(errno.EMFILE, "Too many open files")

    cfg = SimpleNamespace(threads=1)
    orphan = SimpleNamespace(alive=True, log=logging.getLogger("test"), is_parent_alive=lambda: False, cfg=cfg)
    EnvelopeSyncWorker.accept(orphan, Listener())
    assert orphan.alive is False
    child = SimpleNamespace(alive=True, log=logging.getLogger("test"), is_parent_alive=lambda: True, cfg=cfg)
    EnvelopeSyncWorker.accept(child, Listener())
    assert child.alive is True
