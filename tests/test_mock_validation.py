"""Step 5: every schema violation is reported at once, each naming its field and the rule in plain words."""

from __future__ import annotations

import copy
import re

import pytest

from mockserver import ecma_pattern
from mockserver.failures import MAX_LISTED
from mockserver.validation import SchemaValidator


def test_every_violation_is_reported(post, sample_body):
    sample_body["name"] = "n" * 49
    sample_body["priority"] = "6"
    sample_body["dialingStrategy"]["maxRingTime"] = 121
    sample_body["dialingStrategy"]["callingHours"]["days"][1]["day"] = "MON"
    del sample_body["queue_name"]
    response = post(sample_body)
    assert response.status_code == 400
    messages = {e["field"]: e["msg"] for e in response.get_json()["errors"]}
    assert messages == {
        "name": "name must be at most 48 characters (got 49)",
        "priority": "priority must be one of 1, 2, 3, 4, 5 (got '6')",
        "dialingStrategy.maxRingTime": "dialingStrategy.maxRingTime must be between 5 and 120 (got 121)",
        "dialingStrategy.callingHours.days[1].day":
            "dialingStrategy.callingHours.days[1].day must be one of MO, TU, WE, TH, FR, SA, SU (got 'MON'; days are"
            " written as their first 2 letters: send 'MO')",
        "queue_name": "queue_name is required",
    }
    assert {e["code"] for e in response.get_json()["errors"]} == {4000}


def test_a_value_of_the_wrong_type_is_reported_for_its_type_alone(post, sample_body):
    sample_body["priority"] = 5  # the page's priorities are strings "1" to "5"
    sample_body["name"] = ["x" * 60]
    errors = post(sample_body).get_json()["errors"]
    assert [e["msg"] for e in errors] == ["name must be a string (got an array)",
                                          'priority must be a string (got 5; strings go in quotes: send "5")']


def test_every_missing_field_is_reported_not_the_first_one_repeatedly(post, sample_body):
    for name in ("name", "description", "priority"):
        del sample_body[name]
    del sample_body["dialingStrategy"]["callerId"]
    del sample_body["dialingStrategy"]["maxRingTime"]
    response = post(sample_body)
    assert response.status_code == 400
    assert sorted(e["msg"] for e in response.get_json()["errors"]) == [
        "description is required", "dialingStrategy.callerId is required", "dialingStrategy.maxRingTime is required",
        "name is required", "priority is required",
    ]


def test_a_missing_key_names_the_unknown_keys_its_object_has(post, sample_body):
    """A day block of `startTime` and `endTime` was told `start is required` and `end is required`, nothing saying
    that the keys it sent were not taken (unknown keys are otherwise ignored, a README decision)."""
    hours = sample_body["dialingStrategy"]["callingHours"]
    hours["days"] = [{"day": "MO", "startTime": "9:00 AM", "endTime": "6:00 PM"}]
    errors = post(sample_body).get_json()["errors"]
    block = "dialingStrategy.callingHours.days[0]"
    said = " (the object has unknown keys 'startTime', 'endTime'; known: day, start, end)"
    assert [error["msg"] for error in errors] == [f"{block}.end is required{said}", f"{block}.start is required{said}"]


def test_a_missing_key_names_a_few_unknown_keys_and_counts_the_rest(post, sample_body):
    sample_body["dncLists"] = {f"name{n}": "x" for n in range(5)}
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == ("dncLists.name is required (the object has unknown keys 'name0', 'name1', 'name2' and 2"
                            " more; known: name)")


def test_a_missing_key_beside_known_keys_alone_says_nothing_more(post, sample_body):
    del sample_body["dialingStrategy"]["callingHours"]["days"][0]["end"]
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"] == "dialingStrategy.callingHours.days[0].end is required"


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("dialingStrategy.maxAttemptsPerRecord", 0, "must be between 1 and 100 (got 0)"),
        ("dialingStrategy.defaultRetryPeriod", 1441, "must be between 1 and 1440 (got 1441)"),
        ("dialingStrategy.callingHours.days.0.start", "13:00 PM", "must match the form '9:00 AM' (got '13:00 PM')"),
        ("dialingStrategy.callingHours.days.0.end", "6:00 pm",
         "must match the form '6:00 PM' (got '6:00 pm'; AM and PM go in capitals: send '6:00 PM')"),
        ("contactLists", [], "must have at least 1 item (got 0)"),
        ("dialingStrategy.callingHours.timezone", "Mars/Olympus", "IANA time zone"),
        ("dialingStrategy.callingHours.frequency", "HOURLY", "must be one of WEEKLY, DAILY, CUSTOM"),
        ("dialingMode", "Turbo", "must be one of Agentless, Progressive, Preview"),
        ("campaignType", "fax", "must be one of voice, sms"),
    ],
)
def test_rule_in_plain_words(post, sample_body, path, value, words):
    target = sample_body
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value
    response = post(sample_body)
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert words in error["msg"]
    assert error["field"].replace("[0]", ".0") == path


def mutations(sample):
    """Bodies the compiled and the detailed validators must judge alike."""
    yield sample
    for key in list(sample):
        changed = copy.deepcopy(sample)
        del changed[key]
        yield changed
    for value in (None, 0, 1.0, 3.5, True, "", "x" * 300, [], {}, ["a"], "9:00 AM", "MO", "Asia/Kolkata"):
        for key in ("name", "priority", "contactLists", "dncLists", "queue_name", "campaignType"):
            yield {**sample, key: value}
        ds = copy.deepcopy(sample)
        for key in ("maxRingTime", "maxAttemptsPerRecord", "defaultRetryPeriod", "callerId"):
            ds["dialingStrategy"][key] = value
            yield copy.deepcopy(ds)
        days = copy.deepcopy(sample)
        for key in ("day", "start", "end"):
            days["dialingStrategy"]["callingHours"]["days"][0][key] = value
            yield copy.deepcopy(days)
        days["dialingStrategy"]["callingHours"]["timezone"] = value
        yield days


EDGE_VALUES = (
    -0, 4, 5, 120, 121, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**40, 1e16, 1e300, 5.5, 0.1, -1.5,
    "x" * 48, "x" * 49, "\U0001f600" * 48, "\U0001f600" * 49, "e\u0301", "\x00", "\u2028",
    "\ud800", "\udc00" * 49, "x" * 48 + "\ud83d", "\ud83d\ude00" * 25, "\ufeff", "\uffff", "\U0010ffff" * 49,
    "24:00", "9:00", "12:00 AM", "12:59 PM", "00:00 AM", "13:00 PM", "9:60 AM", "09:00 AM", "9:00 AM\n", "9:00\u00a0AM",
    "\u0669:00 AM", "9:00 AM\r", "Factory", "localtime", "posixrules", "UTC", "Etc/GMT+13", "Asia/Kolkata\n",
    [None], [[]], [{}], {"day": "MO"},
)
EDGE_PATHS = (
    ("name",), ("description",), ("priority",), ("contactLists", 0), ("dialingStrategy", "maxRingTime"),
    ("dialingStrategy", "maxAttemptsPerRecord"), ("dialingStrategy", "callingHours", "timezone"),
    ("dialingStrategy", "callingHours", "days", 0, "start"), ("dialingStrategy", "callingHours", "days", 4, "end"),
    ("dialingStrategy", "callingHours", "days", 2), ("schedule", "isSchedulingEnabled"),
)


def edge_mutations(sample):
    """Values near the schema's edges (bounds, lengths in code points, times, zones, numbers beyond 64 bits) at
    fields of each kind: where a compiled and an interpreted validator are likeliest to part."""
    for path in EDGE_PATHS:
        for value in EDGE_VALUES:
            changed = copy.deepcopy(sample)
            target = changed
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            yield changed


def test_compiled_and_detailed_validators_agree(contract):
    validator = SchemaValidator(contract.request)
    checked = 0
    for body in [*mutations(contract.sample_request), *edge_mutations(contract.sample_request)]:
        assert validator.is_valid(body) == (validator.report(body) == []), body
        checked += 1
    assert checked > 600


def test_every_violation_names_its_field_in_its_words(contract):
    validator = SchemaValidator(contract.request)
    for body in [*mutations(contract.sample_request), *edge_mutations(contract.sample_request)]:
        for violation in validator.report(body):
            assert re.fullmatch(r"[A-Za-z_]+(\.[A-Za-z_]+|\[\d+\])*", violation.field), violation
            assert str(violation).startswith(f"{violation.field} "), violation
            assert "{" not in violation.rule and "is not of type" not in violation.rule, violation


def test_a_time_with_a_trailing_newline_is_refused(post, sample_body, error_fields):
    sample_body["dialingStrategy"]["callingHours"]["days"][0]["end"] = "6:00 PM\n"
    response = post(sample_body)
    assert response.status_code == 400
    assert error_fields(response) == ["dialingStrategy.callingHours.days[0].end"]


@pytest.mark.parametrize("value", ["6:00 PM\n", "6:00 PM\n\n", "6:00 PM\r\n"])
def test_both_validators_refuse_a_time_with_a_trailing_newline(contract, value):
    """The published pattern ends in a plain `$` (portable); the compiled validator and the detailed one both read it
    as ECMA-262 does, the end of the text, where Python's `re` alone would take a newline before it."""
    body = copy.deepcopy(contract.sample_request)
    body["dialingStrategy"]["callingHours"]["days"][0]["end"] = value
    validator = SchemaValidator(contract.request)
    assert not validator.is_valid(body)
    assert [violation.field for violation in validator.report(body)] == ["dialingStrategy.callingHours.days[0].end"]


def test_list_indexes_are_in_numeric_order(post, sample_body):
    sample_body["contactLists"] = [1] * 12
    fields = [e["field"] for e in post(sample_body).get_json()["errors"]]
    assert fields == [f"contactLists[{i}]" for i in range(12)]


def test_a_body_breaking_thousands_of_rules_lists_a_hundred_and_counts_the_rest(client, post, sample_body):
    """15,000 empty day blocks (60 KB) break 45,000 rules: listed whole, the answer was 6 MB, and so was its journal
    entry and its -v log."""
    sample_body["dialingStrategy"]["callingHours"]["days"] = [{}] * 15000
    response = post(sample_body)
    errors = response.get_json()["errors"]
    assert response.status_code == 400 and len(errors) == MAX_LISTED + 1
    assert errors[0]["field"] == "dialingStrategy.callingHours.days[0].day"
    assert errors[-1] == {"msg": "900 or more violations not listed: an answer lists at most 100; correct those and"
                                 " send it again", "code": 4000}
    (entry,) = client.get("/__admin/requests?limit=1").get_json()["requests"]
    assert len(entry["errors"]) == MAX_LISTED + 1


def test_errors_a_little_over_the_limit_are_counted_exactly(post, sample_body):
    sample_body["contactLists"] = [f"No such list {i}" for i in range(MAX_LISTED + 50)]
    errors = post(sample_body).get_json()["errors"]
    assert len(errors) == MAX_LISTED + 1
    assert errors[-1]["msg"].startswith("50 more violations not listed: ")
    assert errors[MAX_LISTED - 1]["field"] == f"contactLists[{MAX_LISTED - 1}]"


def test_a_long_number_is_quoted_back_cut_as_a_long_string_is(post, sample_body):
    """A 300-digit number where a string belongs is shown in 64 characters, as a string would be, not in full."""
    sample_body["name"] = 10**300
    [error] = post(sample_body).get_json()["errors"]
    assert error["msg"].endswith("name must be a string (got " + "1" + "0" * 60 + "...)"), error["msg"]


@pytest.mark.parametrize(("pattern", "read"), [
    (r"^a$", r"^a\Z"), (r"^(a|b$)$", r"^(a|b\Z)\Z"), (r"^a\$$", r"^a\$\Z"), (r"^[$]$", r"^[$]\Z"),
    (r"^[\]$]x$", r"^[\]$]x\Z"), (r"^\\$", r"^\\\Z"),
])
def test_a_patterns_end_anchor_is_the_end_of_the_text(pattern, read):
    """Only an anchor becomes `\\Z`: not an escaped `$`, nor one in a character class."""
    assert ecma_pattern.python_form(pattern) == read
    assert ecma_pattern.compiled(pattern).search("a\n") is None


def test_a_broken_schema_is_refused_every_time_and_a_good_one_checked_once(monkeypatch):
    """The meta-schema check is remembered for a schema found valid (each in-process app would otherwise pay about
    100 ms for it again), never for a broken one."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    broken = {"type": "object", "properties": {"name": {"type": "strnig"}}}
    for _ in range(2):
        with pytest.raises(SchemaError):
            SchemaValidator(broken)
    calls = []
    real = Draft202012Validator.check_schema
    monkeypatch.setattr(Draft202012Validator, "check_schema", lambda schema: (calls.append(schema), real(schema)))
    good = {"type": "object", "properties": {"a-name-no-other-test-uses": {"type": "string"}}}
    SchemaValidator(good)
    SchemaValidator(copy.deepcopy(good))
    assert calls == [good]
