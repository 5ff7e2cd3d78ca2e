"""add_fault() and replace_fault() given a keyword another tool names a rule field with (WireMock's
fixedDelayMilliseconds, urlPath), or a directive as a keyword (latency=200): the TypeError says the call to make,
as the admin API's refusal names the rule's own field, rather than "unknown narrowing(s)" alone."""

from __future__ import annotations

import pytest

from mockserver.faults import OTHER_FIELDS
from mockserver.testing import running_mock

TAKES = "; it takes method, path, probability, count, account_id"


@pytest.fixture(scope="module")
def mock():
    with running_mock() as served:
        yield served


@pytest.mark.parametrize(("fault", "narrowing", "said"), [
    ("status=503", {"fixedDelayMilliseconds": 2000},
     "'fixedDelayMilliseconds' (a wait is a fault of its own, in ms: send add_fault(\"status=503;latency=2000\"))"),
    ("drop", {"fixed_delay_milliseconds": 2000},
     "'fixed_delay_milliseconds' (a wait is a fault of its own, in ms: send add_fault(\"drop;latency=2000\"))"),
    ("drop", {"urlPath": "/campaign"},
     "'urlPath' (a rule matches the path by a glob: send path=\"/campaign/*\")"),
    ("drop", {"request": {"method": "POST"}},
     "'request' (a rule is one flat object, not a WireMock stub: send add_fault(\"status=503\", method=\"POST\","
     " path=\"/campaign/*\"))"),
    ("status=503", {"latency": 200},
     "'latency' (a directive goes in the fault, after a \";\": send add_fault(\"status=503;latency=200\"))"),
    ("status=503", {"status": 500},
     "'status' (a directive goes in the fault, after a \";\": send add_fault(\"status=500\"))"),
    ("status=503;retry-after=2", {"drop": "after"},
     "'drop' (a directive goes in the fault, after a \";\": send add_fault(\"drop=after\"))"),
    ("drop", {"retry_after": 2},
     "'retry_after' (a directive goes in the fault, after a \";\": send add_fault(\"status=503;retry-after=2\"))"),
    ("latency=100", {"retry_after": 2},
     "'retry_after' (a directive goes in the fault, after a \";\": send add_fault(\"status=503;latency=100;"
     "retry-after=2\"))"),
    ("status=503", {"delay": "2s"},
     "'delay' (a wait is a latency, in ms: send add_fault(\"status=503;latency=2000\"))"),
    ("status=503", {"paht": "/x"}, "'paht' (did you mean path?)"),
])
def test_add_fault_names_what_to_send_for_another_tool_s_keyword(mock, fault, narrowing, said):
    with pytest.raises(TypeError) as caught:
        mock.add_fault(fault, **narrowing)
    assert str(caught.value) == f"add_fault() got unknown narrowing(s) {said}{TAKES}"
    assert mock.fault_rules() == []


def test_the_call_named_for_a_retry_after_is_one_the_mock_takes(mock):
    """add_fault("drop", retry_after=2) named add_fault("retry-after=2"), which the mock refuses: retry-after goes
    with a status."""
    with pytest.raises(TypeError) as caught:
        mock.add_fault("drop", retry_after=2)
    named = str(caught.value).split("send add_fault(\"")[1].split("\"")[0]
    rule = mock.add_fault(named)
    assert mock.delete_fault(rule["id"]) and rule["fault"] == named  # the module's mock is left without rules


@pytest.mark.parametrize("narrowing", [{"retry_after": None}, {"retry_after": True}, {"latency": True},
                                       {"latency": "a;b"}, {"status": "abc"}, {"latency": 200}])
def test_a_directive_s_named_call_is_one_the_mock_takes_whatever_its_value(mock, narrowing):
    """add_fault("status=503", retry_after=None) named add_fault("status=503;retry-after"), and latency="a;b"
    a fault of "latency=a;b": each refused by the mock. A value the fault cannot take is named with one it can."""
    with pytest.raises(TypeError) as caught:
        mock.add_fault("status=503", **narrowing)
    named = str(caught.value).split("send add_fault(\"")[1].split("\"")[0]
    rule = mock.add_fault(named)
    assert mock.delete_fault(rule["id"]) and rule["fault"] == named  # the module's mock is left without rules


def test_replace_fault_names_the_call_with_the_rule_s_id(mock):
    with pytest.raises(TypeError) as caught:
        mock.replace_fault(0, "status=503", fixedDelayMilliseconds=100)
    assert str(caught.value) == ("replace_fault() got unknown narrowing(s) 'fixedDelayMilliseconds' (a wait is a fault"
                                 " of its own, in ms: send replace_fault(rule_id, \"status=503;latency=100\"))" + TAKES)


@pytest.mark.parametrize("name", sorted(OTHER_FIELDS))
def test_every_field_the_admin_api_hints_at_is_hinted_at_as_a_keyword(mock, name):
    with pytest.raises(TypeError, match=r"\(.*: send .*\)"):
        mock.add_fault("drop", **{name: 1})
