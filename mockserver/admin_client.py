"""Talking to a running mock's admin API from outside it (`mockserver journal`, the contract suite's clean-up):
the admin token, where a sandbox has one, comes from the same variable `mockserver serve` reads it from."""

from __future__ import annotations

import os
from typing import Any

ADMIN_TOKEN_VARIABLE = "MOCK_ADMIN_TOKEN"


def admin_session() -> Any:
    """A requests.Session that sends `Authorization: Bearer $MOCK_ADMIN_TOKEN` when the variable is set."""
    import requests  # here: `mockserver serve` imports this module in gunicorn's master, which needs no requests

    session = requests.Session()
    token = os.environ.get(ADMIN_TOKEN_VARIABLE)
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    return session
