"""--clock (config CLOCK): an ISO 8601 time with its zone, read once; or refused in one line saying why."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from mockserver.errors import ConfigError, OptionError
from mockserver.responses import timestamp
from mockserver.shown_text import MAX_SHOWN, clipped

ZONE = r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)"
DATE_AND_ZONE = re.compile(rf"(\d{{4}}-\d\d-\d\d)({ZONE})")  # fromisoformat took "-05:00" for a time of day, 05:00
# 24:00, ISO 8601's end of a day, and its zone once "Z" is "+00:00"
END_OF_DAY = re.compile(r"(\d{4}-\d\d-\d\d)[Tt ]24(?::00(?::00(?:[.,]0+)?)?)?([+-]\d\d(?::?\d\d)?)?")
LEAP_SECOND = re.compile(r"(.*[Tt ]\d\d:\d\d:)60(?:[.,]\d+)?(.*)")
FAR_YEAR = re.compile(r"[+-]\d+-.*|\d{5,}-.*|0000-.*")
OFFSET_SECONDS = re.compile(r"(.+\d)([+-])(\d\d):?(\d\d):?(\d\d(?:[.,]\d+)?)")  # +01:00:30, which fromisoformat reads
# What ISO 8601 writes, of what fromisoformat reads (the extended or basic form, a calendar or week date): a T (or
# RFC 3339's t or space) between date and time, an offset of hours and minutes right after the time. fromisoformat
# also takes any other character for the T, an offset with seconds, and a space before the offset.
ISO_8601 = re.compile(rf"\d{{4}}-?(?:\d\d-?\d\d|W\d\d-?\d)(?:[Tt ]\d\d(?::?\d\d(?::?\d\d(?:[.,]\d+)?)?)?{ZONE}?)?",
                      re.ASCII)  # a date alone is read, to be told it needs a time and a zone


def fixed_clock(value: Any) -> datetime | None:
    """None (no clock), or the aware datetime every createdAt reports. Read as datetime.fromisoformat reads ISO 8601,
    with RFC 3339's lower-case "z" (5.6), and hour 24 as the next day's 00:00 (ISO 8601's end of a day, as
    JavaScript's Date reads it); a leap second, which createdAt (a JavaScript time) cannot show, is refused."""
    if value is None:
        return None
    if value == "":  # was taken for no clock, without a word, where `--clock ''` is refused
        raise _refused("must be an ISO 8601 time with its zone, not empty (None: the current time)")
    if isinstance(value, datetime):  # an aware datetime as it is: its text may name an offset in seconds (LMT)
        return _checked(value, value.isoformat())
    text = str(value)
    if DATE_AND_ZONE.fullmatch(text):
        date, zone = DATE_AND_ZONE.fullmatch(text).groups()
        zone = "Z" if zone in "Zz" else zone
        raise _refused(f"needs a time of day as well as its zone (got {text!r}), e.g. {date}T00:00:00{zone}")
    try:
        moment = _read(text)
    except ValueError:
        raise _refused(_unread(text)) from None
    except OverflowError:  # 9999-12-31T24:00
        raise _refused(f"is out of range once in UTC: {clipped(text, MAX_SHOWN)}") from None
    return _checked(moment, text)


def _refused(said: str) -> OptionError:
    return OptionError("--clock", "CLOCK", said)


def _checked(moment: datetime, text: str) -> datetime:
    if moment.utcoffset() is None:
        raise _refused(f"needs a time zone, e.g. {moment.replace(tzinfo=None).isoformat()}Z")
    try:
        timestamp(moment)  # in UTC, as createdAt reports it: 0001-01-01T00:00+05:00 is before year 1
    except OverflowError:
        raise _refused(f"is out of range once in UTC: {text!r}") from None
    return moment


def _read(text: str) -> datetime:
    if not ISO_8601.fullmatch(text):
        raise ValueError(text)
    text = text.replace("Z", "+00:00")
    if text.endswith("z"):
        text = text[:-1] + "+00:00"
    end_of_day = END_OF_DAY.fullmatch(text)
    if end_of_day:
        date, zone = end_of_day.groups()
        return datetime.fromisoformat(f"{date}T00:00:00{zone or ''}") + timedelta(days=1)
    return datetime.fromisoformat(text)


def _unread(text: str) -> str:
    """Why a time fromisoformat refused is refused: the year or the leap second when it is that, with a time to give
    instead that is read, else that it is not ISO 8601."""
    if FAR_YEAR.fullmatch(text):
        return f"must be in the years 0001 to 9999 (got {clipped(text, MAX_SHOWN)})"
    leap = LEAP_SECOND.fullmatch(text)
    if leap:
        instead = f"{leap[1]}59.999{leap[2]}"
        try:
            _read(instead)
        except (ValueError, OverflowError):
            pass
        else:
            return f"is a leap second, which createdAt cannot show (got {clipped(text, MAX_SHOWN)}): give {instead}"
    if OFFSET_SECONDS.fullmatch(text) and ISO_8601.fullmatch(OFFSET_SECONDS.fullmatch(text)[1]):
        said = f"is not an ISO 8601 time, whose offset is written in hours and minutes (got {clipped(text, MAX_SHOWN)})"
        instead = _in_minutes(text)
        return f"{said}: give {instead}, the same moment" if instead else said
    return f"is not an ISO 8601 time: {clipped(text, MAX_SHOWN)}"


def _in_minutes(text: str) -> str | None:
    """The moment `text` names, its offset's seconds moved into its time of day (10:50:56+01:00:30 is
    10:50:26+01:00); None when that is not a time --clock reads."""
    time, sign, hours, minutes, seconds = OFFSET_SECONDS.fullmatch(text).groups()
    try:
        moment = _read(time) - int(f"{sign}1") * timedelta(seconds=float(seconds.replace(",", ".")))
        instead = f"{moment.isoformat()}{sign}{hours}:{minutes}"
        _checked(_read(instead), instead)
    except (ValueError, OverflowError, ConfigError):
        return None
    return instead
