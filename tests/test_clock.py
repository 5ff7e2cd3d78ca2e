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


@pytest.mark.parametrize("clock", ["2025-12-04-05:00", "2025-12-04T25:00:00Z"])
def test_serve_refuses_a_clock_in_one_line_with_status_2(clock, tmp_path):
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--db", ":memory:",
                             "--clock", clock], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "--clock" in line and clock in line
