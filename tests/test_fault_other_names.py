"""A fault named as other tools name it (a timeout, WireMock's EMPTY_RESPONSE) is refused with the mock's own."""

from __future__ import annotations

import pytest

from mockserver import faults


@pytest.mark.parametrize(("spec", "instead"), [
    ("timeout", "a client's timeout comes of a wait longer than it: send latency=30000"),
    ("timeout=5000", "a client's timeout comes of a wait longer than it: send latency=30000"),
    ("fixedDelay=200", "a wait is a latency, in ms: send latency=200"),
    ("delay=100-300", "a wait is a latency, in ms: send latency=100-300"),
    ("sleep=2s", "a wait is a latency, in ms: send latency=200"),
    ("delay=60000", "a wait is a latency, in ms: send latency=30000"),
    ("delay=500-100", "a wait is a latency, in ms: send latency=100-500"),
    ("EMPTY_RESPONSE", "a connection closed without an answer is a drop: send drop"),
    ("CONNECTION_RESET_BY_PEER", "a connection reset is a drop of its own: send drop=reset"),
])
def test_a_fault_named_as_another_tool_names_it_says_the_mock_s_directive(spec, instead):
    """`timeout` (what a client's retry test wants) and WireMock's fault names were refused with the list of
    directives alone, which does not say that a timeout is a latency longer than the client waits."""
    with pytest.raises(faults.FaultError) as refused:
        faults.parse(spec)
    assert str(refused.value).endswith(f"(known: latency, status, drop, retry-after; {instead})"), str(refused.value)


def test_a_directive_no_other_tool_names_is_refused_as_before():
    with pytest.raises(faults.FaultError, match=r"unknown directive 'slow' \(known: latency, status, drop, "
                                                r"retry-after\)$"):
        faults.parse("slow")


@pytest.mark.parametrize("value", ["0", "200", "00200", "300-100", "99999", "1000-999999", "2s", None])
def test_the_latency_a_wait_is_told_to_send_is_one_the_mock_takes(value):
    """The directive a hint says to send is itself taken, whatever the wait's value."""
    with pytest.raises(faults.FaultError) as refused:
        faults.parse("delay" if value is None else f"delay={value}")
    sent = str(refused.value).rsplit("send ", 1)[1].rstrip(")")
    assert faults.parse(sent).latency_ms is not None
