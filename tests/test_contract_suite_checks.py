"""Response checks: each says why it failed, and a contract failure names the case and the field."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from contract_tests.cases import Expectation
from contract_tests.checks import (
    CREDENTIALS_CHECK,
    MOCK_ONLY_HINT,
    REFUSED_CREDENTIALS_HINT,
    Checker,
    ContractFailure,
    Problem,
    Response,
    campaign_id,
    echoed_paths,
    empty_lists,
    error_codes,
    error_items,
    error_problems,
    extra_keys,
    fields_named,
    key_shape,
    named_by,
    schema_problems,
    shape_problems,
    shown_body,
)
from contract_tests.suite import load_suite
from mockserver.errors import ToolError
from mockserver.journal_filters import SINCE_WANTED
from mockserver.paths import ENVELOPE_SCHEMA

FIELD = "dialingStrategy.maxRingTime"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return load_suite().checker


@pytest.fixture(scope="module")
def envelope() -> Draft202012Validator:
    return Draft202012Validator(json.loads(ENVELOPE_SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"msg": "x", "code": 4000, "field": FIELD}, "its field is 'dialingStrategy.maxRingTime'"),
        ({"msg": f"{FIELD} must be between 5 and 120", "code": 4000}, "its msg names 'dialingStrategy.maxRingTime'"),
        ({"msg": "maxRingTime must be between 5 and 120", "code": 4000}, "its msg names 'maxRingTime' (no field"),
    ],
    ids=["field-member", "full-path-in-msg", "leaf-in-msg"],
)
def test_an_error_names_a_field_by_its_member_or_its_message(item, reason):
    ok, why = named_by([item], FIELD)
    assert ok and reason in why


@pytest.mark.parametrize(("msg", "field"), [
    ("priority must be between 0 and 5", "contactLists[0]"),
    ("priority must be one of 1, 2, 3, 4, 5", "dialingStrategy.callingHours.days[1]"),
])
def test_a_number_in_a_message_does_not_name_a_list_item(msg, field):
    """The leaf of `contactLists[0]` was `0`: any message holding the number 0 named it, so a service naming
    another field passed a case that expects this one named (and failed one that expects it not named yet)."""
    ok, why = named_by([{"msg": msg, "code": 4000}], field)
    assert not ok, why


def test_a_list_item_is_named_by_its_key_and_index_in_a_message():
    ok, why = named_by([{"msg": "days[0] start must be before end", "code": 4000}],
                       "dialingStrategy.callingHours.days[0]")
    assert ok and "its msg names 'days[0]' (no field member" in why


@pytest.mark.parametrize(("item", "said"), [
    ({"msg": "x", "code": 4000, "field": "dnclists.name"}, "its field is 'dnclists.name', which differs from it in"
                                                           " case alone"),
    ({"msg": "dnclists.name is unknown", "code": 4000}, "does not name 'dncLists.name', but names it in other case"),
    ({"msg": "NAME is required", "code": 4000}, "does not name 'dncLists.name', but names its last key, 'name', in"
                                                " other case"),
])
def test_a_field_named_in_other_case_fails_saying_so(item, said):
    """A service that lowercases its paths failed the case with "its field is 'dnclists.name'" beside the expected
    dncLists.name, the difference left to the eye."""
    ok, why = named_by([item], "dncLists.name")
    assert not ok and said in why, why


def test_a_field_member_is_trusted_over_the_message():
    item = {"msg": "maxRingTime is wrong", "code": 4000, "field": "dialingStrategy.maxAttemptsPerRecord"}
    assert named_by([item], FIELD)[0] is False


def test_a_sub_field_counts_as_naming_its_parent():
    item = {"msg": "x", "code": 4000, "field": "dialingStrategy.callingHours.days[0].start"}
    assert named_by([item], "dialingStrategy.callingHours.days[0]")[0]
    assert not named_by([item], "dialingStrategy.callingHours.days[1]")[0]


LIST_NAMED = [{"msg": "contact list 'Nope' does not exist in this account", "code": 4001, "field": "contactLists"}]


@pytest.mark.parametrize("item", [
    {"msg": "x", "code": 4001, "field": "contactLists"},
    {"msg": "contactLists must name lists of this account", "code": 4001},
    {"msg": "A list named is not in contactLists.", "code": 4001},  # a full stop after it: it failed the case
])
def test_an_error_naming_the_list_names_the_item_expected(envelope, item):
    """A service whose error names contactLists failed every case expecting contactLists[0] named: a list's items are
    alike, so naming the list says which field."""
    document = {"errors": [item]}
    assert error_problems(Expectation(400, fields=("contactLists[1]",)), document, envelope) == []
    assert fields_named([item], ["contactLists[0]"]) == ["contactLists[0]"]


@pytest.mark.parametrize(("item", "field"), [
    ({"msg": "x", "code": 4000, "field": "dialingStrategy"}, FIELD),  # an object of unlike fields
    ({"msg": "x", "code": 4000, "field": "dialingStrategy.callingHours.days"},
     "dialingStrategy.callingHours.days[0].start"),  # a field within an item
    ({"msg": "contactLists[1] is unknown", "code": 4001}, "contactLists[0]"),  # another item
    ({"msg": "contactLists.name is unknown", "code": 4001}, "contactLists[0]"),  # a field within
    ({"msg": "x", "code": 4001, "field": "contactLists[1]"}, "contactLists[0]"),
    ({"msg": "days must not overlap", "code": 4000}, "dialingStrategy.callingHours.days[0]"),  # a leaf word alone
])
def test_an_error_naming_what_holds_a_field_otherwise_does_not_name_it(envelope, item, field):
    problems = error_problems(Expectation(400, fields=(field,)), {"errors": [item]}, envelope)
    assert [problem.field for problem in problems] == [field]


def test_the_list_named_is_not_enough_where_another_of_its_items_is_expected_not_named(envelope):
    """referential/second-contact-list-unknown: the list's name cannot tell [1] from [0], and an absent field is not
    taken as named by its list."""
    expect = Expectation(400, fields=("contactLists[1]",), absent=("contactLists[0]",))
    [problem] = error_problems(expect, {"errors": LIST_NAMED}, envelope)
    assert problem.field == "contactLists[1]" and "its field is 'contactLists'" in problem.message
    assert error_problems(Expectation(400, fields=("priority",), absent=("contactLists[0]",)),
                          {"errors": [*LIST_NAMED, {"msg": "x", "code": 4000, "field": "priority"}]}, envelope) == []
    assert fields_named(LIST_NAMED, ["contactLists[1]"], ["contactLists[0]"]) == []


def test_when_nothing_names_the_field_the_reason_lists_every_item():
    items = [{"msg": "name is too long", "code": 4000, "field": "name"}, {"msg": "priority is bad", "code": 4000}]
    ok, why = named_by(items, "queue_name")
    assert not ok
    assert "errors[0]: its field is 'name'" in why and "errors[1]: its msg 'priority is bad'" in why


def test_a_long_message_that_names_nothing_is_quoted_cut_where_it_says_so():
    """It was cut at 80 characters mid-word, "... does not exist in" read as the whole message ("... do")."""
    msg = "Validation failed: dnclists.name dnc list 'no such dnc list (contract suite)' does not exist in this account"
    ok, why = named_by([{"msg": msg, "code": 4000}], "dncLists.name")
    assert not ok
    assert ("errors[0]: its msg \"Validation failed: dnclists.name dnc list 'no such dnc list (contract suite)'"
            " ... does not name 'dncLists.name'") in why


def test_fields_named_for_the_report_work_with_and_without_field_members():
    items = [{"msg": "a", "code": 1, "field": "name"}, {"msg": "queue_name is unknown", "code": 1}]
    assert fields_named(items, ["queue_name", "priority", "name"]) == ["name", "queue_name"]
    nested = [{"msg": "bad", "code": 1, "field": "dialingStrategy.callingHours.days[0].start"}]
    assert fields_named(nested, ["dialingStrategy.callingHours"]) == ["dialingStrategy.callingHours"]


def test_fields_named_for_the_report_are_only_the_expected_ones_as_a_service_without_field_members_is_asked():
    """The mock's `field` members named fields no case looked for; the vendor's msg was only searched for the
    expected ones: parity saw `A ['accountid'], B []` on cases where both answered alike."""
    mock = [{"msg": "accountid does not match", "code": 1, "field": "accountid"}]
    vendor = [{"msg": "accountid does not match", "code": 1}]
    assert fields_named(mock, []) == fields_named(vendor, []) == []
    assert fields_named(mock, ["accountid"]) == fields_named(vendor, ["accountid"]) == ["accountid"]


def test_error_problems_name_missing_unexpected_and_code(envelope):
    document = {"errors": [{"msg": "contactLists[0] unknown", "code": 4001, "field": "contactLists[0]"}]}
    expect = Expectation(400, fields=("queue_name",), absent=("contactLists[0]",), code=4000)
    problems = error_problems(expect, document, envelope)
    assert [p.field for p in problems] == ["queue_name", "contactLists[0]", "errors[].code"]


def test_a_body_outside_the_error_envelope_is_a_problem(envelope):
    problems = error_problems(Expectation(400), {"error": "bad"}, envelope)
    assert problems and problems[0].field == "errors" and "error envelope" in problems[0].message


def test_codes_of_any_json_type_are_judged_not_a_typeerror(envelope):
    """A target whose error codes were an array or an object ended the case in a TypeError (unhashable in a set)
    when it was judged, and again when its record was written."""
    document = {"errors": [{"msg": "x", "code": [1]}, {"msg": "y", "code": {"a": 1}}, {"msg": "z", "code": [1]},
                           {"msg": "w"}]}
    assert error_codes(error_items(document)) == [None, [1], {"a": 1}]
    problems = error_problems(Expectation(400, code=4000), document, envelope)
    assert [p.message for p in problems] == ["error envelope: must be an integer (got an array)",
                                             "error envelope: must be an integer (got an object)",
                                             "error envelope: must be an integer (got an array)",
                                             "error envelope: is required",
                                             "expected code 4000, got [None, [1], {'a': 1}]"]


def success_document(checker: Checker, name: str) -> dict:
    document = copy.deepcopy(checker.sample_response)
    document["data"].update(name=name, lname=name.lower())
    document["message"] = f"Campaign {name} creation in progress"
    return document


def test_the_sample_response_passes_the_success_checks(checker):
    document = success_document(checker, "Spring")
    response = Response(200, document, "", 1.0)
    assert checker.problems("(body)", Expectation(200), response, {"name": "Spring"}) == []


def test_a_renamed_key_fails_the_schema_and_the_sample_shape(checker):
    document = success_document(checker, "Spring")
    document["data"]["created_at"] = document["data"].pop("createdAt")
    problems = checker.problems("(body)", Expectation(200), Response(200, document, "", 1.0), {"name": "Spring"})
    assert {p.field for p in problems} == {"data.createdAt"}
    assert all("the response has data.created_at, which the sample does not: renamed?" in p.message for p in problems
               if "missing from the response" in p.message)


def test_a_wrong_echo_is_named(checker):
    document = success_document(checker, "Spring")
    document["data"]["lname"] = "Spring"
    problems = checker.problems("(body)", Expectation(200), Response(200, document, "", 1.0), {"name": "Spring"})
    assert problems == [Problem("data.lname", "expected 'spring', got 'Spring'")]


def test_every_value_the_vendor_sample_echoes_must_come_back_as_sent(checker):
    """The page's sample response repeats the sample request's values (priority, the dialing strategy, the lists):
    an answer that gives back other values than those sent fails, not only one with another name."""
    sent = copy.deepcopy(load_suite().contract.sample_request)
    sent["name"] = "Spring"
    document = success_document(checker, "Spring")
    document["data"]["priority"] = "1"
    document["data"]["dialingStrategy"]["callingHours"]["days"][4]["day"] = "SA"
    document["data"]["contactLists"] = ["Another list"]
    problems = checker.problems("(body)", Expectation(200), Response(200, document, "", 1.0), sent)
    assert problems == [
        Problem("data.contactLists", "expected ['CL Only 2020 Dec 4'] (as sent), got ['Another list']"),
        Problem("data.dialingStrategy.callingHours.days[].day",
                "expected ['MO', 'TU', 'WE', 'TH', 'FR'] (as sent), got ['MO', 'TU', 'WE', 'TH', 'SA']"),
        Problem("data.priority", "expected '5' (as sent), got '1'"),
    ]


def test_the_echoed_values_are_those_the_vendor_samples_share():
    assert echoed_paths({"a": 1, "b": {"c": [1, 2]}, "d": [{"e": "x"}], "f": 2}, {"a": 1, "b": {"c": [1, 2]},
                        "d": [{"e": "x", "g": 1}], "f": 3, "h": 1}) == ("a", "b.c", "d[].e")


def test_a_status_mismatch_names_the_case_subject(checker):
    response = Response(200, success_document(checker, "x" * 49), "{...}", 1.0)
    problems = checker.problems("name", Expectation(400, fields=("name",)), response, {"name": "x" * 49})
    assert problems[0] == Problem("name", "expected status 400, got 200 (body: {...})")


FAILURE_IN_200 = {"status": "failure", "message": "priority is invalid",
                  "errors": [{"msg": "priority must be one of 1, 2, 3, 4, 5", "code": 4000}]}


def test_a_refusal_in_a_200_is_said_as_one_and_judged_as_a_refusal(checker):
    """It was judged as a campaign: beside the status line, "data: response schema: 'data' is a required property"
    and "data: missing from the response ...; the response has errors, which the sample does not: renamed?"."""
    response = Response(200, FAILURE_IN_200, json.dumps(FAILURE_IN_200), 1.0)
    problems = checker.problems("priority", Expectation(400, fields=("priority",)), response, {"name": "x"})
    assert problems == [Problem("priority", f"expected status 400, got 200 (body: {json.dumps(FAILURE_IN_200)})"
                                            " -- a refusal all the same: its status is 'failure', not 'success'")]


def test_a_refusal_in_a_200_where_a_campaign_is_expected_says_so(checker):
    response = Response(200, FAILURE_IN_200, json.dumps(FAILURE_IN_200), 1.0)
    problems = checker.problems("(body)", Expectation(200), response, {"name": "x"})
    assert problems == [Problem("(response)", "a refusal, not the campaign: its status is 'failure', not 'success'"
                                              f" (body: {json.dumps(FAILURE_IN_200)})")]


def test_a_body_that_is_not_json_is_a_problem(checker):
    problems = checker.problems("auth", Expectation(401), Response(401, None, "<html>", 1.0), {})
    assert problems[-1].field == "(response)" and "not JSON" in problems[-1].message


def test_an_empty_list_needs_no_item_keys_but_a_present_item_does():
    sample = {"data": {"days": [{"day": "MON", "start": "9:00 AM"}], "name": "x"}}
    assert shape_problems({"data": {"days": [], "name": "y"}}, sample) == []
    [problem] = shape_problems({"data": {"days": [{"day": "TUE"}], "name": "y"}}, sample)
    assert problem.field == "data.days[].start"
    missing = shape_problems({"data": {"name": "y"}}, sample)  # the list itself is still required
    assert [problem.field for problem in missing] == ["data.days"]
    assert empty_lists({"a": [], "b": [{"c": []}], "d": [1]}) == {"a", "b[].c"}


def test_key_shape_collapses_list_items():
    assert key_shape({"a": [{"b": 1}, {"c": 2}], "d": {}}) == {"a", "a[].b", "a[].c", "d"}


def test_contract_failures_are_assertion_errors_naming_case_and_field():
    failure = ContractFailure("boundary/name/maxLength/outside", [Problem("name", "expected status 400, got 200")])
    assert isinstance(failure, AssertionError) and not isinstance(failure, ToolError)
    assert (failure.case_id, failure.field) == ("boundary/name/maxLength/outside", "name")
    assert str(failure) == "boundary/name/maxLength/outside: name: expected status 400, got 200"


def test_a_response_missing_several_keys_names_each_one():
    validator = Draft202012Validator({"type": "object", "required": ["id", "name", "status"]})
    problems = schema_problems(validator, {"name": "x"}, "response schema")
    assert sorted(problem.field for problem in problems) == ["id", "status"]


def test_a_missing_object_is_one_problem_not_one_per_key_under_it():
    """A 200 {} answered 36 lines per case, one for each key path of the sample's data."""
    sample = {"data": {"a": 1, "b": {"c": 2}}, "message": "m"}
    assert shape_problems({"message": "m", "data": {"a": 1, "b": {"c": 2}}}, sample) == []
    assert shape_problems({"message": "m"}, sample) == [
        Problem("data", "missing from the response (the vendor's sample has it, and 3 keys under it)")]
    assert shape_problems({"message": "m", "data": {"a": 1, "b": {}}}, sample) == [
        Problem("data.b.c", "missing from the response (the vendor's sample has it)")]
    extra = {"message": "m", "data": {"a": 1, "b": {"c": 2}}, "meta": {"x": [{"y": 1}]}}
    assert extra_keys(extra, sample) == ["meta"]


def test_a_key_beyond_the_sample_is_no_problem_unless_beside_a_missing_one():
    sample = {"data": {"a": 1, "days": [{"day": "MON"}]}, "message": "m"}
    added = {"data": {"a": 1, "days": [{"day": "MON", "x": 1}], "id": "i"}, "message": "m", "requestId": "r"}
    assert shape_problems(added, sample) == []
    assert extra_keys(added, sample) == ["data.days[].x", "data.id", "requestId"]
    renamed = {"data": {"A": 1, "days": [{"Day": "MON"}]}, "message": "m", "requestId": "r"}
    assert shape_problems(renamed, sample) == [
        Problem("data.a", "missing from the response (the vendor's sample has it); the response has data.A, which the"
                " sample does not: renamed?"),
        Problem("data.days[].day", "missing from the response (the vendor's sample has it); the response has"
                " data.days[].Day, which the sample does not: renamed?")]


def test_a_success_body_without_the_campaign_is_a_few_lines(checker):
    problems = checker.problems("auth", Expectation(401), Response(200, {}, "{}", 1.0), {"name": "x"})
    assert len(problems) <= 7, "\n".join(map(str, problems))
    assert problems[0] == Problem("auth", "expected status 401, got 200 (body: {})")


def test_an_answer_outside_the_envelope_shows_the_body_received(checker):
    """A 400 in another envelope said only "'errors' is a required property": the status was right, so the body,
    which only the status line showed, was not shown at all."""
    text = '{"error": {"message": "Bad Request", "statusCode": 400}}'
    response = Response(400, json.loads(text), text, 1.0)
    problems = checker.problems("name", Expectation(400, fields=("name",)), response, {})
    assert problems[0] == Problem("errors", f"error envelope: is required (body: {text})")
    assert "(body:" not in problems[1].message  # once


@pytest.mark.parametrize(("document", "field", "said"), [
    ([{"status": "success", "data": {"id": "cd-1", "name": "x" * 5000}}], "(response)",
     "response schema: must be an object (got an array)"),
    ({"status": "success", "message": 7, "data": {"id": "cd-1"}}, "message",
     "response schema: must be a string (got 7)"),  # no "strings go in quotes: send "7"": the mock sent nothing
    ({"status": "success", "message": "m"}, "data", "response schema: is required"),
])
def test_a_success_outside_the_response_schema_is_said_in_the_mock_s_words(checker, document, field, said):
    """A success answer in a list failed "response schema: [{'status': 'success', ...}] is not of type 'object'",
    the whole document in Python's notation (some 1,500 characters of the sample), before the body's own quote."""
    problems = checker.problems("(body)", Expectation(200), Response(200, document, "", 1.0), {})
    assert Problem(field, said) in problems


def test_a_time_without_its_zone_is_said_as_the_mock_says_what_a_time_must_be(checker):
    """createdAt "2025-12-04T10:50:56" failed "response schema: '2025-12-04T10:50:56' is not a 'date-time'",
    jsonschema's words in Python's quotes."""
    document = success_document(checker, "Spring")
    document["data"]["createdAt"] = "2025-12-04T10:50:56"
    problems = checker.problems("(body)", Expectation(200), Response(200, document, "", 1.0), {})
    assert Problem("data.createdAt", f"response schema: must be {SINCE_WANTED} (got '2025-12-04T10:50:56')") in problems


def test_a_success_outside_the_response_schema_shows_the_body_received(checker):
    text = '{"status": "ok", "data": {"id": "x"}}'
    problems = checker.problems("(body)", Expectation(200), Response(200, json.loads(text), text, 1.0), {})
    assert problems[0].message.endswith(f"(body: {text})")
    assert sum("(body:" in problem.message for problem in problems) == 1


def test_a_body_cut_short_in_a_message_says_so(checker):
    text = json.dumps(success_document(checker, "x" * 49))
    problems = checker.problems("name", Expectation(400), Response(200, json.loads(text), text, 1.0), {})
    assert problems[0].message == f"expected status 400, got 200 (body: {text[:300]}...)"


@pytest.mark.parametrize(("item", "field", "named"), [
    ({"msg": "x", "code": 4000, "field": "names"}, "name", False),
    ({"msg": "x", "code": 4000, "field": "dncListsExtra.name"}, "dncLists", False),
    ({"msg": "x", "code": 4000, "field": "dncLists.name"}, "dncLists", True),
    ({"msg": "x", "code": 4000, "field": "contactLists[0]"}, "contactLists", True),
    ({"msg": "lname is required", "code": 4000}, "dncLists.name", False),
    ({"msg": "phoneNumbers is unknown", "code": 4000}, "dialingStrategy.callerId.phoneNumber", False),
    ({"msg": "the name is required", "code": 4000}, "dncLists.name", True),
])
def test_a_longer_name_holding_the_field_does_not_name_it(item, field, named):
    """`names` is what makes a case fail when the service blames the wrong field: a field member or a word in the
    msg that merely starts with, or ends in, the field's name is another field."""
    assert named_by([item], field)[0] is named


@pytest.mark.parametrize("msg", ["queue_name is unknown", "lname must be lowercase", "names must differ"])
def test_a_msg_naming_a_longer_word_does_not_name_a_one_word_field(msg):
    """A service without field members (the vendor) is judged by its msg: "queue_name is unknown" named `name`, so a
    case expecting `name` passed on an error about another field, and one expecting it absent failed."""
    ok, why = named_by([{"msg": msg, "code": 4000}], "name")
    assert not ok, why
    assert named_by([{"msg": "name must be at most 64 characters", "code": 4000}], "name")[0]


def test_an_unexpected_401_blames_the_credentials_only_when_the_case_sent_the_runs_own_token(checker):
    """A case that sends no token, or one of its own making, answered 401 where it expected 400, was told "the target
    refused the token: are KORE_CLIENT_ID and KORE_CLIENT_SECRET ... an app of the account under test?": advice about
    credentials the case never sent."""
    answer = Response(401, {"errors": [{"msg": "Invalid SDK credentials", "code": 4002}]}, "{...}", 1.0)
    own = checker.problems("auth", Expectation(400), answer, {}, own_token=True)
    made = checker.problems("auth", Expectation(400), answer, {}, own_token=False)
    assert own[0].message.endswith(REFUSED_CREDENTIALS_HINT + CREDENTIALS_CHECK)
    named = checker.problems("auth", Expectation(400), answer, {}, credentials_check="is tenant.json's app 'cs-1' ...?")
    assert named[0].message.endswith(" -- the target refused the token: is tenant.json's app 'cs-1' ...?")
    assert made[0] == Problem("auth", "expected status 400, got 401 (body: {...})")


def test_a_mock_only_refusal_a_target_accepts_says_the_mock_is_stricter_there(checker):
    """A `may_create` case (a refusal that is the mock's own reading, a padded token signature) answered 2xx by a
    service failed with "expected status 401, got 200" alone, as if the service broke the contract."""
    created = Response(200, {"status": "success"}, "{...}", 1.0)
    mock_only = checker.problems("auth", Expectation(401), created, {}, mock_only=True)
    plain = checker.problems("auth", Expectation(401), created, {})
    assert mock_only[0].message == f"expected status 401, got 200 (body: {{...}}){MOCK_ONLY_HINT}"
    assert plain[0].message == "expected status 401, got 200 (body: {...})"
    refused = Response(400, {"errors": [{"msg": "bad", "code": 4000}]}, "{...}", 1.0)
    assert MOCK_ONLY_HINT not in checker.problems("auth", Expectation(401), refused, {}, mock_only=True)[0].message


@pytest.mark.parametrize(("change", "came"), [
    (lambda data: data.pop("id"), "data without id (its keys: name, lname, description, dncLists and 8 more)"),
    (lambda data: data.update(id=None), "data.id null"),
    (lambda data: data.update(id=""), "data.id ''"),
    (lambda data: data.update(id={"value": "cd-1"}), "data.id an object"),
])
def test_a_success_without_the_campaign_id_says_what_was_expected_and_what_came(checker, change, came):
    """A 200 without data.id failed in two lines of two checks, neither saying what came in its place: "data.id:
    response schema: 'id' is a required property" and "data.id: missing from the response (the vendor's sample has
    it)"; a null id said "None is not of type 'string'", in Python's words."""
    document = success_document(checker, "Spring")
    change(document["data"])
    text = json.dumps(document)
    problems = checker.problems("(body)", Expectation(200), Response(200, document, text, 1.0), {"name": "Spring"})
    assert problems == [Problem("data.id", f"expected the campaign's id, a string, got {came}{shown_body(text)}")]


@pytest.mark.parametrize(("document", "came"), [
    ({"status": "success", "message": "m"}, "no data (its keys: status, message)"),
    ([{"data": {"id": "cd-1"}}], "an array, not an object"),
    ({"data": "cd-1"}, "data a string, not an object"),
    ({"data": {"id": 7}}, ""),
])
def test_what_came_in_place_of_the_campaign_id(document, came):
    assert campaign_id(document) == (None if came else "7", came)
