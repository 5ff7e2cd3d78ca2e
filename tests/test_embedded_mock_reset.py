"""RunningMock.reset() between the tests of a shared mock: nothing from before it shows after it."""

from __future__ import annotations

import time

import pytest
import requests

from mockserver.testing import running_mock


def test_a_request_sleeping_in_a_latency_fault_is_answered_before_the_reset():
    """A timeout test left its request sleeping in a latency fault: the next test's reset came first, and the
    request woke into that test, creating its campaign and writing its journal entry there."""
    with running_mock() as mock:
        mock.add_fault("latency=1500", count=1)
        with pytest.raises(requests.Timeout):
            requests.post(mock.endpoint, json=mock.sample_request(name="Stale"), headers=mock.headers, timeout=0.3)
        started = time.monotonic()
        mock.reset()
        assert time.monotonic() - started < 1  # the latency is cut short, not waited out
        time.sleep(1.5)  # past the latency's end
        assert (mock.journal(), mock.campaigns()) == ([], [])
        answer = requests.post(mock.endpoint, json=mock.sample_request(name="Fresh"), timeout=10,
                               headers={**mock.headers, "X-Mock-Fault": "latency=200"})
        assert answer.status_code == 200  # a latency after the reset is waited as before
        assert mock.journal()[0]["latencyMs"] >= 200
