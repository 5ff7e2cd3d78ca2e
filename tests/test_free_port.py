"""The free_port and port_to_serve_on fixtures (tests/conftest.py): a port where a client finds no server, and one
for a server the test starts there, each held for the whole test."""

from __future__ import annotations

import errno
import socket

import pytest


def test_no_server_started_meanwhile_can_take_the_free_port(free_port):
    """The port was bound, then closed at once: a server another test started (on port 0) could be given it before
    the test's client connected, which then found a server where it expected none."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn and werkzeug bind
        with pytest.raises(OSError) as refused:
            server.bind(("127.0.0.1", free_port))
    assert refused.value.errno == errno.EADDRINUSE


def test_a_client_finds_no_server_at_the_free_port(free_port):
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", free_port), timeout=10).close()


def test_a_server_can_listen_on_the_port_to_serve_on(port_to_serve_on):
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port_to_serve_on))
        server.listen(1)


def test_no_server_started_meanwhile_can_take_the_port_to_serve_on(port_to_serve_on):
    """The port was bound, then closed at once: another test's server (on port 0) could be given it before the
    test's own server bound it. Held, a socket that binds as the kernel gives port 0 (without the holder's
    SO_REUSEADDR) is refused it."""
    with socket.socket() as other, pytest.raises(OSError) as refused:
        other.bind(("127.0.0.1", port_to_serve_on))
    assert refused.value.errno == errno.EADDRINUSE

