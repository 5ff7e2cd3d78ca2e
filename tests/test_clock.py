"""--clock (config CLOCK): the ISO 8601 times it reads, and the refusal, in one line, of those it cannot use."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from commands import mockserver_command

from mockserver.app import build_mock
from mockserver.errors import ConfigError
from mockserver.responses import timestamp


def clock_of(clock: str | datetime) -> datetime | None:
    """The clock a mock built with `clock` reads; the mock is built only for it, so its store is closed at once."""
    with closing(build_mock({"CLOCK": clock, "DATABASE": ":memory:"})) as mock:
        return mock.clock


def created_at(clock: str) -> str:
    return timestamp(clock_of(clock))


def refusal(clock: str) -> str:
    with pytest.raises(ConfigError) as refused:
        build_mock({"CLOCK": clock, "DATABASE": ":memory:"})
    return str(refused.value)


@pytest.mark.parametrize(("clock", "reported"), [
    ("2025-12-04T10:50:56.762Z", "2025-12-04T10:50:56.762Z"),
    ("2025-12-04T10:50:56.762+01:00", "2025-12-04T09:50:56.762Z"),
    ("2025-12-04T10:50:56.7629Z", "2025-12-04T10:50:56.762Z"),  # createdAt keeps milliseconds
    ("20251204T105056Z", "2025-12-04T10:50:56.000Z"),
    ("2025-12-04t10:50:56.762z", "2025-12-04T10:50:56.762Z"),  # RFC 3339 (5.6) allows both in lower case
    ("2025-12-04T24:00:00Z", "2025-12-05T00:00:00.000Z"),  # ISO 8601's end of a day, as JavaScript's Date reads it
    ("2025-12-31T24:00+05:30", "2025-12-31T18:30:00.000Z"),
])
def test_a_clock_is_reported_in_utc_with_milliseconds(clock, reported):
    assert created_at(clock) == reported


@pytest.mark.parametrize(("clock", "midnight"), [
    ("2025-12-04-05:00", datetime(2025, 12, 4, tzinfo=timezone(timedelta(hours=-5)))),
    ("2025-12-04+05:30", datetime(2025, 12, 4, tzinfo=timezone(timedelta(hours=5, minutes=30)))),
    ("2025-12-04Z", datetime(2025, 12, 4, tzinfo=UTC)),
])
def test_a_date_with_a_zone_is_told_to_add_the_time_of_day_in_that_zone(clock, midnight):
    """`2025-12-04-05:00` was read as the date and a time of day 05:00 with no zone, and the refusal suggested
    `2025-12-04T05:00:00Z`, another moment; `2025-12-04Z` was told it "needs a time zone", which it has."""
    said = refusal(clock)
    assert "needs a time of day" in said
    suggested = said.rsplit("e.g. ", 1)[1]
    assert clock_of(suggested) == midnight


def test_a_leap_second_is_refused_saying_so_with_a_time_that_is_read():
    said = refusal("2016-12-31T23:59:60Z")
    assert "leap second" in said and "not an ISO 8601 time" not in said
    assert created_at(said.rsplit("give ", 1)[1]) == "2016-12-31T23:59:59.999Z"


@pytest.mark.parametrize("clock", ["10000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"])
def test_a_year_outside_0001_to_9999_is_refused_saying_so(clock):
    assert refusal(clock) == f"--clock (config CLOCK) must be in the years 0001 to 9999 (got {clock!r})"


@pytest.mark.parametrize("clock", ["2025-12-04T24:00:01Z", "2025-12-04T24:30Z", "2025-12-04T24:00:00.5Z",
                                   "2025-12-04T24:00:00 junk"])
def test_hour_24_is_read_only_as_the_end_of_a_day(clock):
    assert refusal(clock) == f"--clock (config CLOCK) is not an ISO 8601 time: {clock!r}"


@pytest.mark.parametrize("clock", ["9999-12-31T24:00:00Z", "9999-12-31T23:59:59.999-01:00"])
def test_a_clock_beyond_year_9999_once_in_utc_is_refused(clock):
    assert refusal(clock) == f"--clock (config CLOCK) is out of range once in UTC: {clock!r}"


@pytest.mark.parametrize("clock", ["2016-12-31T23:59:60Z", "+10000-01-01T00:00:00Z", "2025-12-04-05:00",
                                   "2025-12-04T25:00:00Z", "2025-12-04T10:50:56+01:00:30"])
def test_serve_refuses_a_clock_in_one_line_with_status_2(clock, tmp_path):
    result = mockserver_command("serve", "--port", "0", "--db", ":memory:", "--clock", clock, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "--clock" in line and clock in line


@pytest.mark.parametrize("clock", ["2025-12-04x10:50:56Z", "2025-12-04\u00e910:50:56Z", "2025-12-04_10:50:56Z",
                                   "2025-12-04T10:50:56 +01:00", "2025-12-04T10:50:56\u00a0Z"])
def test_a_clock_that_iso_8601_does_not_write_is_refused(clock):
    """Python's fromisoformat takes any one character between the date and the time, an offset with seconds and a
    space before it: `2025-12-04x10:50:56Z` fixed createdAt, though ISO 8601 (and RFC 3339, and JavaScript's Date)
    separate the two with a T alone (or a space, which RFC 3339 allows) and write an offset in hours and minutes."""
    assert refusal(clock) == f"--clock (config CLOCK) is not an ISO 8601 time: {clock!r}"


@pytest.mark.parametrize(("clock", "instead"), [
    ("2025-12-04T10:50:56+01:00:30", "2025-12-04T10:50:26+01:00"),
    ("2025-12-04T10:50:56-05:30:15.5", "2025-12-04T10:51:11.500000-05:30"),
    ("20251204T105056+013015", "2025-12-04T10:50:41+01:30"),
    ("2025-12-04T00:00:10+01:00:30", "2025-12-03T23:59:40+01:00"),
])
def test_an_offset_with_seconds_is_told_to_give_hours_and_minutes_with_the_same_moment(clock, instead):
    """`+01:00:30`, which Python's fromisoformat reads, was refused "is not an ISO 8601 time" alone, saying neither
    what is wrong in it nor what to give."""
    said = refusal(clock)
    assert said == (f"--clock (config CLOCK) is not an ISO 8601 time, whose offset is written in hours and minutes"
                    f" (got {clock!r}): give {instead}, the same moment")
    assert clock_of(instead) == datetime.fromisoformat(clock.replace("T105056", "T10:50:56"))


@pytest.mark.parametrize("clock", ["2025-12-04T10:50:56+24:00:30", "0001-01-01T00:00:00+01:00:30"])
def test_an_offset_with_seconds_with_no_time_to_give_is_told_how_an_offset_is_written(clock):
    assert refusal(clock) == ("--clock (config CLOCK) is not an ISO 8601 time, whose offset is written in hours and"
                              f" minutes (got {clock!r})")


@pytest.mark.parametrize(("clock", "reported"), [
    ("2025-12-04 10:50:56Z", "2025-12-04T10:50:56.000Z"),  # RFC 3339 (5.6) allows a space for the T
    ("2025-12-04T10:50:56+0530", "2025-12-04T05:20:56.000Z"),
    ("2025-12-04T10:50:56-05", "2025-12-04T15:50:56.000Z"),
    ("2025-12-04T10:50:56,5Z", "2025-12-04T10:50:56.500Z"),
])
def test_the_iso_8601_forms_of_a_time_and_its_offset_are_read(clock, reported):
    assert created_at(clock) == reported


def test_an_aware_datetime_is_read_as_it_is_even_with_an_offset_in_seconds():
    """A datetime in Europe/Amsterdam before 1937 is 19 min 32 s ahead of UTC: its text, which running_mock() reads,
    names an offset in seconds that no ISO 8601 text may write."""
    moment = datetime(1930, 6, 1, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert timestamp(clock_of(moment)) == "1930-06-01T10:40:28.000Z"


def test_an_empty_clock_is_refused_not_taken_for_none():
    """CLOCK="" (running_mock(clock=os.environ.get("CLOCK", ""))) ran the mock on the current time, its createdAt
    changing from run to run, without a word, where `--clock ''` is refused."""
    assert refusal("") == ("--clock (config CLOCK) must be an ISO 8601 time with its zone, not empty (None: the"
                           " current time)")
