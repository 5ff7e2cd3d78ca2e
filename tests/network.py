"""A pytest plugin of network fixtures that several test files share: whether this machine has an IPv6 loopback to
serve on, and a bare server that reads each request's head and leaves the answer to the test."""

from __future__ import annotations

import socket

import pytest


def _binds_ipv6_loopback() -> bool:
    """Whether this machine serves on ::1: a container without IPv6 (Docker's default network) cannot bind it."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def ipv6_loopback() -> str:
    """The IPv6 loopback address, "::1"; the test is skipped on a machine that cannot serve on it."""
    if not _binds_ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback address (::1) to serve on")
    return "::1"
