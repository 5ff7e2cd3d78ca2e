"""--clock (config CLOCK): an ISO 8601 time with its zone, read once; or refused in one line saying why."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from mockserver.errors import ConfigError
from mockserver.responses import timestamp

OPTION = "--clock (config CLOCK)"
ZONE = r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)"
DATE_AND_ZONE = re.compile(rf"(\d{{4}}-\d\d-\d\d)({ZONE})")  # fromisoformat took "-05:00" for a time of day, 05:00


def fixed_clock(value: Any) -> datetime | None:
    """None (no clock), or the aware datetime every createdAt reports, read as datetime.fromisoformat reads ISO 8601."""
    if value in (None, ""):
        return None
    text = str(value)
    if DATE_AND_ZONE.fullmatch(text):
        date, zone = DATE_AND_ZONE.fullmatch(text).groups()
        zone = "Z" if zone in "Zz" else zone
        raise ConfigError(f"{OPTION} needs a time of day as well as its zone (got {text!r}), e.g."
                          f" {date}T00:00:00{zone}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{OPTION} is not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise ConfigError(f"{OPTION} needs a time zone, e.g. {moment.isoformat()}Z")
    try:
        timestamp(moment)  # in UTC, as createdAt reports it: 0001-01-01T00:00+05:00 is before year 1
    except OverflowError:
        raise ConfigError(f"{OPTION} is out of range once in UTC: {text!r}") from None
    return moment
