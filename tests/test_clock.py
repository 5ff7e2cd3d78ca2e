"""--clock (config CLOCK): the ISO 8601 times it reads, and the refusal, in one line, of those it cannot use."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mockserver.app import build_mock
from mockserver.errors import ConfigError
from mockserver.responses import timestamp


def created_at(clock: str) -> str:
    return timestamp(build_mock({"CLOCK": clock, "DATABASE": ":memory:"}).clock)


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
    assert build_mock({"CLOCK": suggested, "DATABASE": ":memory:"}).clock == midnight


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
                                   "2025-12-04T25:00:00Z"])
def test_serve_refuses_a_clock_in_one_line_with_status_2(clock, tmp_path):
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--db", ":memory:",
                             "--clock", clock], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "--clock" in line and clock in line
