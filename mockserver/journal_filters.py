"""The journal's filters read from text, in one place for the admin API (`GET /__admin/requests?status=...`, a
400 `admin.filter` naming the query parameter) and `mockserver journal` (a usage error naming its option, before
any request is sent): both say what a value must be in the same words.

Each reader returns the filter's value or raises FilterError with what was wanted and what was given.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from mockserver import path_glob

STATUS = re.compile(r"([1-5])(?:xx|XX)|[1-5][0-9][0-9]")
METHOD = re.compile(r"[A-Za-z]{1,20}")
MAX_FILTER_CHARS = 500
MAX_WHOLE = 2**62  # an id, offset or `after`: beyond SQLite's INTEGER range a value cannot be bound


class FilterError(ValueError):
    """A filter value that cannot match anything sensible: `wanted` is what it must be, `got` what it was."""

    def __init__(self, wanted: str, got: str) -> None:
        super().__init__(f"must be {wanted} (got {got})")
        self.wanted = wanted
        self.got = got


def statuses(value: str) -> tuple[int, int]:
    """A status (409) or a class (4xx), as the lowest and highest status it matches."""
    matched = STATUS.fullmatch(value)
    if matched is None:
        raise FilterError("a status like 409 or a class like 4xx", repr(value[:40]))
    hundreds = matched.group(1)
    return (int(hundreds) * 100, int(hundreds) * 100 + 99) if hundreds else (int(value),) * 2


def method(value: str) -> str:
    """An HTTP method, upper-cased."""
    if not METHOD.fullmatch(value):
        raise FilterError("an HTTP method, e.g. POST", repr(value[:40]))
    return value.upper()


def text(value: str) -> str:
    """A path glob or an account id: 1 to MAX_FILTER_CHARS characters."""
    if not 1 <= len(value) <= MAX_FILTER_CHARS:
        raise FilterError(f"1 to {MAX_FILTER_CHARS} characters", f"{len(value)} characters")
    return value


def path(value: str) -> str:
    """A path glob (mockserver.path_glob): one that starts with neither `/` nor `*` could match no request's path,
    and would list nothing as if nothing had come."""
    text(value)
    if not value.startswith(path_glob.STARTS):
        raise FilterError(f"{path_glob.WANTED} (the path alone, no scheme or host)", repr(value[:40]))
    return value


LEAP_SECOND = re.compile(r"(.*[Tt ]\d\d:\d\d:)60(?=[.,Zz+-]|$)(.*)")


def since(value: str) -> datetime:
    """An ISO 8601 time with its zone, in UTC. Every RFC 3339 time is one (the admin API's document declares the
    filter a date-time): a leap second (`23:59:60`) is read as the second after `23:59:59`, and a time before year 1
    or after 9999 once in UTC, which Python's datetime cannot hold, as the earliest or the latest it can."""
    text = value.replace("Z", "+00:00").replace("z", "+00:00")
    leap = LEAP_SECOND.fullmatch(text)
    try:
        moment = datetime.fromisoformat(f"{leap.group(1)}59{leap.group(2)}" if leap else text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise FilterError("an ISO 8601 time with its zone, e.g. 2026-11-26T09:30:00Z", repr(value[:40]))
    try:
        return moment.astimezone(UTC) + timedelta(seconds=1 if leap else 0)
    except OverflowError:  # beyond what datetime holds, once in UTC or a second later
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


def whole(raw: str, most: int = MAX_WHOLE) -> int | None:
    """A value as a whole number from 0 to `most` (ASCII digits only: int() also takes \u0663), or None."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(most)) or int(raw) > most:
        return None
    return int(raw)


def after(value: str) -> int:
    """An entry's id, a whole number from 0 to MAX_WHOLE: entries with a greater one."""
    number = whole(value)
    if number is None:
        raise FilterError("an entry's id, a whole number", repr(value[:40]))
    return number
