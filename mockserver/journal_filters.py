"""The journal's filters read from text, in one place for the admin API and `mockserver journal`, so that both say
what a value must be in the same words.

The admin API (`GET /__admin/requests?status=...`) answers a 400 `admin.filter` naming the query parameter;
`mockserver journal` a usage error naming its option, before any request is sent.

Each reader returns the filter's value or raises FilterError with what was wanted and what was given.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from mockserver import path_glob
from mockserver.shown_text import clipped

STATUS = re.compile(r"([1-5])(?:xx|XX)|[1-5][0-9][0-9]")
METHOD = re.compile(r"[A-Za-z]{1,20}")
# A text filter's most characters: with every one of the campaign listing's three at it, each character %-encoded
# at its widest (4 bytes of UTF-8, 12 encoded), and every other parameter at its longest, the request line stays
# within gunicorn's 4,094 bytes (tests/test_openapi_admin.py sends it). Account ids, stream ids, campaign names
# (48 at most) and the endpoint's paths are all shorter.
MAX_FILTER_CHARS = 100
MAX_WHOLE = 2**62  # an id, offset or `after`: beyond SQLite's INTEGER range a value cannot be bound
MAX_ID = 2**63 - 1  # SQLite's INTEGER: nothing has a greater id
ENTRY_ID = "a journal entry's id, a whole number from 1 to 2**63-1"  # what a journal entry's id must be, as refused


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
        raise FilterError("a status like 409 or a class like 4xx", clipped(value, 42))
    hundreds = matched.group(1)
    return (int(hundreds) * 100, int(hundreds) * 100 + 99) if hundreds else (int(value),) * 2


def method(value: str) -> str:
    """An HTTP method, upper-cased."""
    if not METHOD.fullmatch(value):
        raise FilterError("an HTTP method, e.g. POST", clipped(value, 42))
    return value.upper()


def text(value: str) -> str:
    """A path glob or an account id: 1 to MAX_FILTER_CHARS characters."""
    if not 1 <= len(value) <= MAX_FILTER_CHARS:
        raise FilterError(f"1 to {MAX_FILTER_CHARS} characters", f"{len(value)} characters")
    return value


def path(value: str) -> str:
    """A path glob (mockserver.path_glob): one that starts with neither `/` nor `*` could match no request's path,
    and would list nothing as if nothing had come. Its start is checked before its length: a whole URL given for the
    path, longer than a path, was told only that it was too long."""
    if value and not value.startswith(path_glob.STARTS):
        raise FilterError(f"{path_glob.WANTED} (the path alone, no scheme or host)", clipped(value, 42))
    return text(value)


# RFC 3339's date-time (section 5.6), which the admin API's document declares `since` to be: T and Z in either case,
# any number of fraction digits, an offset of hours and minutes. Nothing looser (a space for the T, no seconds, the
# basic form, a week date), which a generated client's own validation, or a fuzzer, would call invalid.
RFC_3339 = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                      r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))")
MAX_SINCE_CHARS = 64  # RFC 3339 sets no bound on the fraction; the document's maxLength keeps the request line short
SINCE_WANTED = "an RFC 3339 time, e.g. 2026-11-26T09:30:00Z or 2026-11-26T10:30:00.5+01:00"
GREGORIAN_CYCLE = timedelta(days=146_097)  # 400 years: the calendar repeats, so year 0 is read as year 400 less that


def since(value: str) -> datetime:
    """An RFC 3339 time, in UTC. A leap second (`23:59:60`) is read as the second after `23:59:59`, and a time before
    year 1 or after 9999 once in UTC (year 0000 is RFC 3339's too), which Python's datetime cannot hold, as the
    earliest or the latest it can."""
    matched = RFC_3339.fullmatch(value) if len(value) <= MAX_SINCE_CHARS else None
    if matched is None:
        raise FilterError(SINCE_WANTED, clipped(value, 42) if len(value) <= MAX_SINCE_CHARS
                          else f"{len(value)} characters, more than {MAX_SINCE_CHARS}")
    year, month, day, hour, minute, second = (int(part) for part in matched.groups()[:6])
    fraction, sign, zone_hours, zone_minutes = matched.groups()[6:]
    leap = second == 60
    try:
        if sign and (int(zone_hours) > 23 or int(zone_minutes) > 59):
            raise ValueError("no such offset")
        zone = timezone(timedelta(hours=int(zone_hours), minutes=int(zone_minutes)) * (-1 if sign == "-" else 1)
                        ) if sign else UTC
        moment = datetime(year or 400, month, day, hour, minute, 59 if leap else second,
                          int((fraction or ".0")[1:7].ljust(6, "0")), tzinfo=zone)
    except ValueError:  # a day the month lacks, hour 24, minute 60, an offset of 24 hours or more
        raise FilterError(SINCE_WANTED, clipped(value, 42)) from None
    try:
        moment = moment.astimezone(UTC) + timedelta(seconds=1 if leap else 0)
        return moment - GREGORIAN_CYCLE if year == 0 else moment
    except OverflowError:  # beyond what datetime holds, once in UTC or a second later
        return (datetime.min if year <= 1 else datetime.max).replace(tzinfo=UTC)


def is_date_time(value: object) -> bool:
    """JSON Schema's `date-time` format, read as `since` is (RFC 3339, at most MAX_SINCE_CHARS characters); a value
    that is no string is for `type` to report."""
    try:
        return not isinstance(value, str) or since(value) is not None
    except FilterError:
        return False


PLUS_AS_SPACE = re.compile(r".*[0-9] [0-9]{2}:[0-9]{2}")  # an offset's + that a query string turned into a space


def since_in_query(value: str) -> datetime:
    """`since` as a URL's query string gives it: refused as `since` is, and told to send a + as %2B where its space
    is one (`...10:30:00 01:00`): a query string reads + as a space, as HTML forms encode it."""
    try:
        return since(value)
    except FilterError as refused:
        if not PLUS_AS_SPACE.fullmatch(value):
            raise
        try:
            since(value.replace(" ", "+"))
        except FilterError:
            raise refused from None
        raise FilterError(refused.wanted, f"{refused.got}: a + in a query string is read as a space; send it as"
                          " %2B") from None


def whole(raw: str, most: int = MAX_WHOLE) -> int | None:
    """A value as a whole number from 0 to `most` (ASCII digits only: int() also takes \u0663), or None."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(most)) or int(raw) > most:
        return None
    return int(raw)


def after(value: str) -> int:
    """An entry's id, a whole number from 0 to MAX_WHOLE: entries with a greater one."""
    number = whole(value)
    if number is None:
        raise FilterError("an entry's id, a whole number", clipped(value, 42))
    return number
