"""Opt-in rate limiting per account (the vendor documents 60 requests per minute for its contact-center APIs).

Fixed windows, each opened by an account's first request after its last window ended (so that limit + 1
requests sent together meet the limit wherever the clock is), counted in the store so every gunicorn worker
shares one count. Only authenticated creates count, against the token's account: a stranger cannot use up an
account's budget, and a request to another path or with another method keeps its own answer. Unset (the default),
nothing here touches the store or the token.

Every counted response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (seconds until
the window ends); a refused one also carries Retry-After (the same seconds), with the vendor's message.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, make_response, request

from mockserver.auth import TOKEN_HEADER, AuthFailure, authenticate
from mockserver.errors import OptionError
from mockserver.failures import failure
from mockserver.routes import campaigns
from mockserver.routes.errors import refused
from mockserver.shown_text import MAX_SHOWN, clipped
from mockserver.store import Store

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
MAX_WINDOW = 86_400  # seconds: a day; 60/99999999999999999999min answered X-RateLimit-Reset: 6000000000000000000000
MAX_LIMIT = 1_000_000_000  # requests a window; more is no limit at all, and its count no longer fits a header reader


@dataclass(frozen=True)
class RateLimit:
    limit: int
    period: int  # seconds


def _period(seconds: int) -> str:
    """60 -> "minute", 300 -> "5 minutes", 1 -> "second": how a window reads in a message."""
    for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"


def parse_rate(text: str) -> RateLimit:
    """'60/min', '10/s', '1000/hour', '100/5min' -> RateLimit; ConfigError says what is expected."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*", str(text).lower())
    limit, every = (int(match.group(1)), int(match.group(2) or 1)) if match else (0, 0)
    if (not match or match.group(3) not in UNITS or not 1 <= limit <= MAX_LIMIT or every < 1
            or every * UNITS[match.group(3)] > MAX_WINDOW):
        raise OptionError("--rate-limit", "RATE_LIMIT", f"must be N/UNIT, N requests from 1 to {MAX_LIMIT:,} per"
                          " UNIT (s, min or hour, with a count if more than 1, up to a day), e.g. 60/min, 10/s,"
                          f" 1000/hour or 100/5min (got {clipped(text, MAX_SHOWN)})")
    return RateLimit(limit, every * UNITS[match.group(3)])


@dataclass(frozen=True)
class Count:
    limit: int
    hits: int
    reset: int

    @property
    def exceeded(self) -> bool:
        return self.hits > self.limit

    def headers(self) -> dict[str, str]:
        remaining = max(0, self.limit - self.hits)
        return {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(self.reset)}


def count(rate: RateLimit, store: Store, account_id: str, now: float | None = None) -> Count:
    """One more request for the account; `reset` is the whole seconds until its window ends."""
    now = time.time() if now is None else now
    hits, start = store.count_request(account_id, now, rate.period)
    # from the window's start at most: a request counted in a window opened after its moment (count_request)
    return Count(rate.limit, hits, max(1, math.ceil(start + rate.period - max(now, start) - 1e-6)))  # 60.0...03: 60


def limited(counted: Count, rate: RateLimit) -> Response:
    """The vendor's message, which says "per-minute" whatever the window; the hint says the mock's own limit."""
    row = failure("rate.limited")
    hint = f"this mock allows {rate.limit} requests per {_period(rate.period)} per account; retry in {counted.reset} s"
    response = make_response(refused(row.status, [{**row.item(), "hint": hint}]))
    response.headers["Retry-After"] = str(counted.reset)
    return response


def before_request() -> Response | None:
    rate = current_app.extensions.get("rate_limit")
    if rate is None or request.endpoint != campaigns.ENDPOINT or request.method == "OPTIONS":
        return None  # creates alone count: a 404, 405 or OPTIONS is answered as without a limit, not hidden by a 429
    mock = current_app.extensions["mock"]
    try:
        who = authenticate(request.headers.get(TOKEN_HEADER), mock.tenant, mock.tokens)
    except AuthFailure:
        return None  # the route answers 401; an unauthenticated request counts against no account
    g.rate_count = count(rate, mock.store, who.account.account_id)
    return limited(g.rate_count, rate) if g.rate_count.exceeded else None


def add_headers(response: Response) -> Response:
    counted = g.get("rate_count")
    if counted is not None:
        response.headers.update(counted.headers())
    return response


def configured(setting: Any) -> RateLimit | None:
    """The config's RATE_LIMIT: None for none, anything else read by parse_rate. Read for its truth, 0, "", [] or
    False were taken for no limit without a word, as --rate-limit '' is refused."""
    return None if setting is None else parse_rate(setting)


def register(app: Flask) -> None:
    """Limit the API when the config has RATE_LIMIT (e.g. "60/min"); otherwise add nothing to the app."""
    limit = configured(app.config.get("RATE_LIMIT"))
    if limit is None:
        return
    app.extensions["rate_limit"] = limit
    app.before_request(before_request)
    app.after_request(add_headers)
