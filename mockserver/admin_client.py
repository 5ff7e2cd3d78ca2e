"""Talking to a running mock's admin API from outside it (`mockserver journal`, the contract suite's clean-up): the
admin token, from the same variable `mockserver serve` reads it from, and the journal's filters.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from mockserver.errors import ToolError
from mockserver.http_client import unredirected_session

ADMIN_TOKEN_VARIABLE = "MOCK_ADMIN_TOKEN"


def admin_token_problem(token: str) -> str | None:
    """What is wrong with an admin token as $MOCK_ADMIN_TOKEN gives it, in words that never quote it, or None. A
    token is printable ASCII without spaces: one `serve` took would not survive a header (a line break, from a
    secret read from a file), and requests' refusal of it quoted the token."""
    printable = token.rstrip("\r\n")
    if printable != token and printable and all("!" <= char <= "~" for char in printable):
        return "ends with a line break (a secret made from a file that ends with one, say)"
    if not token or not all("!" <= char <= "~" for char in token):
        return f"is set but {'empty' if not token else 'not printable ASCII'} without spaces"
    return None


def admin_session() -> Any:
    """A requests.Session that sends `Authorization: Bearer $MOCK_ADMIN_TOKEN` when the variable is set; ToolError
    for one that cannot be sent, without showing it. It follows no redirect (unredirected_session)."""
    session = unredirected_session()
    token = os.environ.get(ADMIN_TOKEN_VARIABLE)
    if token:
        problem = admin_token_problem(token)
        if problem:
            session.close()
            raise ToolError(f"${ADMIN_TOKEN_VARIABLE} {problem}: set it to the mock's admin token alone")
        # as the session's auth, not one of its headers: requests puts the Basic authentication of a URL's
        # user:password@ (a --base-url through a gateway) in a header's place, and the token, never sent, was
        # said to be refused
        session.auth = _Bearer(token)
    return session


class _Bearer:
    """requests' auth hook that sends `Authorization: Bearer <token>`."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request


def token_refused(what: str) -> str:
    """`what` answered 401: the admin token is wanted, or the one given is not the mock's."""
    if os.environ.get(ADMIN_TOKEN_VARIABLE):
        return (f"{what} refused the token in {ADMIN_TOKEN_VARIABLE} (401): set it to the --admin-token the mock was"
                " started with")
    return f"{what} wants the mock's admin token: set {ADMIN_TOKEN_VARIABLE}"


def journal_params(*, status: int | str | None = None, method: str | None = None, path: str | None = None,
                   account_id: str | None = None, since: str | datetime | None = None, after: int | None = None
                   ) -> dict[str, Any]:
    """The admin API's journal filters, from their Python names (an unknown one is a TypeError, as a typo should).
    A datetime `since` goes as RFC 3339 (isoformat's T), not as str() writes it, with a space the filter refuses."""
    if isinstance(since, datetime):
        since = since.isoformat()
    wanted = {"status": status, "method": method, "path": path, "accountId": account_id, "since": since,
              "after": after}
    return {name: value for name, value in wanted.items() if value is not None}
