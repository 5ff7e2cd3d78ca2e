"""A fault named as other tools name it (a timeout, WireMock's EMPTY_RESPONSE) is refused with the mock's own."""

from __future__ import annotations

import time

import pytest

from mockserver import faults


@pytest.mark.parametrize(("spec", "instead"), [
    ("timeout", "a client's timeout comes of a wait longer than it: send latency=30000"),
    ("timeout=5000", "a client's timeout comes of a wait longer than it: send latency=30000"),
    ("fixedDelay=200", "a wait is a latency, in ms: send latency=200"),
    ("delay=100-300", "a wait is a latency, in ms: send latency=100-300"),
    ("sleep=2s", "a wait is a latency, in ms: send latency=2000"),
    ("sleep", "a wait is a latency, in ms: send latency=200"),
    ("wait=soon", "a wait is a latency, in ms: send latency=200"),
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


@pytest.mark.parametrize("value", ["0", "200", "00200", "300-100", "99999", "1000-999999", "2s", None, "2000.5", "-5",
                                   "1e300", "9" * 5000, "0.4-0.6", "nan", "inf"])
def test_the_latency_a_wait_is_told_to_send_is_one_the_mock_takes(value):
    """The directive a hint says to send is itself taken, whatever the wait's value."""
    with pytest.raises(faults.FaultError) as refused:
        faults.parse("delay" if value is None else f"delay={value}")
    sent = str(refused.value).rsplit("send ", 1)[1].rstrip(")")
    assert faults.parse(sent).latency_ms is not None


@pytest.mark.parametrize(("value", "latency"), [("2000.5", "2001"), ("1e3", "1000"), ("60000.5", "30000"),
                                                ("2.5s", "2500"), ("-1", "0")])
def test_a_wait_that_is_no_whole_number_of_milliseconds_is_told_a_latency_near_it(value, latency):
    """WireMock's `fixedDelayMilliseconds` of 2000.5 was told to send latency=200, the hint's own example, which is
    ten times shorter than the wait the test meant."""
    with pytest.raises(faults.FaultError) as refused:
        faults.parse(f"fixedDelayMilliseconds={value}")
    assert str(refused.value).endswith(f"; a wait is a latency, in ms: send latency={latency})"), str(refused.value)


@pytest.mark.parametrize(("value", "latency"), [("2000.5", "2001"), ("-5", "0"), ("99999999", "30000"),
                                                ("99999", "30000"), ("2s", "2000"), ("100-99999", "100-30000")])
def test_a_latency_that_reads_as_a_number_the_mock_does_not_take_is_told_the_one_near_it(value, latency):
    """`latency=2000.5` was told `e.g. latency=200`; `latency=99999` the bounds alone."""
    with pytest.raises(faults.FaultError) as refused:
        faults.parse(f"latency={value}")
    assert str(refused.value) == (f"latency must be whole milliseconds, or a range low-high, within 0-30000"
                                  f" (got {value!r}; send latency={latency})")
    assert faults.parse(f"latency={latency}").latency_ms is not None


def test_wiremock_s_json_name_for_a_wait_says_the_mock_s_latency():
    """A stub mapping's `"fixedDelayMilliseconds": 2000` (WireMock's JSON, where `fixedDelay` is its Java DSL) got the
    list of directives alone."""
    with pytest.raises(faults.FaultError) as refused:
        faults.parse("fixedDelayMilliseconds=2000")
    assert str(refused.value).endswith("; a wait is a latency, in ms: send latency=2000)"), str(refused.value)


@pytest.mark.parametrize(("field", "instead"), [
    ("urlPath", "a rule matches the path by a glob: send \"path\": \"/campaign/*\""),
    ("urlPathPattern", "a rule matches the path by a glob: send \"path\": \"/campaign/*\""),
    ("url", "a rule matches the path by a glob: send \"path\": \"/campaign/*\""),
    ("request", "a rule is one flat object, not a WireMock stub: send"
                " {\"fault\": \"status=503\", \"method\": \"POST\", \"path\": \"/campaign/*\"}"),
])
def test_a_rule_field_named_as_wiremock_names_it_says_the_mock_s_field(field, instead):
    """A team moving its WireMock stubs over sends `urlPath`, or the stub whole (`request`, `response`), and was told
    only that the field is not a rule field."""
    with pytest.raises(faults.FaultError) as refused:
        faults.rule_from_json({"fault": "status=503", field: "/campaign"})
    reasons = [reason for name, reason in refused.value.problems if name == field]
    assert reasons == [f"is not a rule field (known: fault, method, path, probability, count, accountId; {instead})"]


def test_a_rule_field_no_other_tool_names_is_refused_as_before():
    with pytest.raises(faults.FaultError) as refused:
        faults.rule_from_json({"fault": "status=503", "tiems": 2})
    assert refused.value.problems == [("tiems", "is not a rule field (known: fault, method, path, probability, count,"
                                                " accountId)")]


@pytest.mark.parametrize(("value", "latency"), [
    (2000, "2000"), (90000, "30000"), ("2s", "2000"), (2000.5, "2001"), (2000.4, "2000"), (99_999_999, "30000"),
    (-5, "0"), (1e300, "30000"), ("2000.5", "2001"), ("fast", "200"), (True, "200"), (None, "200"), ([2000], "200"),
])
def test_wiremock_s_delay_as_a_rule_field_says_the_latency_to_send(value, latency):
    with pytest.raises(faults.FaultError) as refused:
        faults.rule_from_json({"fault": "status=503", "fixedDelayMilliseconds": value})
    assert refused.value.problems[-1][1].endswith(f"; a wait is a fault of its own, in ms: send"
                                                  f" \"fault\": \"latency={latency}\")")


FORCED_WORDS = "a forced status is a fault, one of 429, 500, 502, 503, 504"


@pytest.mark.parametrize(("field", "value", "instead"), [
    ("accountid", "65f1c0ffee0ddba11a5e0001", "field names are case-sensitive: send \"accountId\""),
    ("Count", 2, "field names are case-sensitive: send \"count\""),
    ("status", 503, f"{FORCED_WORDS}: send \"fault\": \"status=503\""),
    ("status", 504, f"{FORCED_WORDS}: send \"fault\": \"status=504\""),
    ("status", 418, f"{FORCED_WORDS}: send \"fault\": \"status=503\""),
    ("status", [503], f"{FORCED_WORDS}: send \"fault\": \"status=503\""),
    ("status", {"code": 1}, f"{FORCED_WORDS}: send \"fault\": \"status=503\""),
])
def test_a_rule_field_spelt_as_the_header_or_a_stub_spells_it_says_the_field_to_send(field, value, instead):
    """`accountid` as the request header spells it, and a stub's `"status": 503`, were refused with the list of
    fields alone (and `"status": 503` with "fault ... got nothing" beside it, which does not say the two are one)."""
    with pytest.raises(faults.FaultError) as refused:
        faults.rule_from_json({"fault": "drop", field: value})
    assert refused.value.problems == [(field, "is not a rule field (known: fault, method, path, probability, count,"
                                              f" accountId; {instead})")]


@pytest.mark.parametrize("spec", ["latency=1{}x", "delay=1{}x", "latency=1 -{}x", "latency=1{}- 2x"])
def test_a_wait_with_a_long_run_of_white_space_is_refused_at_once(spec):
    """A run of spaces inside a wait's value, which its reading matched two ways at each length: `latency=1`, 64 KiB
    of spaces and `x` (a rule's body, as the default --max-body takes it) took 9 s of a worker's time to refuse."""
    started = time.monotonic()
    with pytest.raises(faults.FaultError):
        faults.parse(spec.format(" " * 60_000))
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(("value", "latency"), [(" 2000.5 ", "2001"), ("2 s", "2000"), ("1 - 2.5s", "1000-2500"),
                                                ("\t100 -\t300 ms", "100-300")])
def test_a_wait_with_white_space_inside_is_still_read(value, latency):
    with pytest.raises(faults.FaultError) as refused:
        faults.parse(f"delay={value}")
    assert str(refused.value).endswith(f"send latency={latency})"), str(refused.value)
