"""A warning for an admin request narrowed to an account the tenant lacks that matched nothing: most likely a misspelt
id, whose reset, clear or listing answers 200 with every count 0, which a tester would take for one that worked.

It is a warning, not a refusal: the journal keeps requests naming accounts the tenant lacks (the creates it refused
403), which a clear or reset narrowed to such an id deletes, and a listing finds."""

from __future__ import annotations

import difflib

from flask import current_app

from mockserver.send_instead import got, send_instead
from mockserver.shown_text import sent


def account_warnings(account_id: str | None, matched: int) -> list[str]:
    """`warnings` for an answer narrowed to `account_id` that `matched` this many things: none if it matched any, or
    names one of the tenant's accounts; else why, with the account likely meant or the tenant's accounts."""
    tenant = current_app.extensions["mock"].tenant
    if account_id is None or matched or tenant.account(account_id) is not None:
        return []
    near = difflib.get_close_matches(account_id, [account.account_id for account in tenant.accounts], 1, 0.9)
    hint = (send_instead(["it looks misspelt"], sent(near[0])) if near
            else f"its accounts: {tenant.account_list(most=5)}; GET /__admin/tenant lists them")
    return [f"accountId is not an account of the mock's tenant, and matched nothing {got(sent(account_id), hint)}"]


def with_warnings(answer: dict, account_id: str | None, matched: int, more: list[str] | None = None) -> dict:
    """`answer` with `warnings` when account_warnings() gives any, or `more` holds any (the journal's path filter's)."""
    found = account_warnings(account_id, matched) + (more or [])
    return {**answer, "warnings": found} if found else answer
