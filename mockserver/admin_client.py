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


def token_refused(what: str) -> str:
    """`what` answered 401: the admin token is wanted, or the one given is not the mock's."""
    if os.environ.get(ADMIN_TOKEN_VARIABLE):
        return (f"{what} refused the token in {ADMIN_TOKEN_VARIABLE} (401): set it to the --admin-token the mock was"
                " started with")
    return f"{what} wants the mock's admin token: set {ADMIN_TOKEN_VARIABLE}"


def reason(exc: BaseException) -> str:
    """The innermost reason of a requests error ("Connection refused"), without the pool and URL around it."""
    cause: Any = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    cause = getattr(cause, "reason", None) or cause
    if len(getattr(cause, "args", ())) > 1 and isinstance(cause.args[1], BaseException):
        cause = cause.args[1]
    return str(cause).rsplit("): ", 1)[-1][:200]


def journal_params(*, status: int | str | None = None, method: str | None = None, path: str | None = None,
                   account_id: str | None = None, since: str | None = None, after: int | None = None
                   ) -> dict[str, Any]:
    """The admin API's journal filters, from their Python names (an unknown one is a TypeError, as a typo should)."""
    wanted = {"status": status, "method": method, "path": path, "accountId": account_id, "since": since,
              "after": after}
    return {name: value for name, value in wanted.items() if value is not None}
