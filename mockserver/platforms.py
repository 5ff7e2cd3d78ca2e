"""What the project needs of the operating system, in one place (the README's platform table says the same).

`mockserver serve` is gunicorn's master: it forks its workers (and serve its configuration check), and gunicorn and
the store lock files with fcntl. Windows has neither, so serve runs on POSIX systems alone (Linux, macOS); every
other command, the in-process mock and the contract suite are plain Python and run anywhere.
"""

from __future__ import annotations

import os

# What serve cannot run without, each as a name said to the user
SERVE_NEEDS = ("os.fork", "fcntl")
SERVE_INSTEAD = ("run it under WSL or in a Linux container; on this system the in-process mock"
                 " (mockserver.testing.running_mock, the kore_mock fixture) and `pytest contract_tests` work")


def _has(need: str) -> bool:
    if need == "os.fork":
        return hasattr(os, "fork")
    try:
        __import__(need)
    except ImportError:
        return False
    return True


def serve_unsupported() -> str | None:
    """None where `mockserver serve` can run; else one line saying what this system lacks and what to use instead."""
    missing = [need for need in SERVE_NEEDS if not _has(need)]
    if not missing:
        return None
    return (f"serve needs a POSIX system (Linux, macOS): its server, gunicorn, forks its workers, and this system has"
            f" no {' or '.join(missing)}; {SERVE_INSTEAD}")
