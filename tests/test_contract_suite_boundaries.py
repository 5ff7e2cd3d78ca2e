"""Boundary cases come from the schemas: one value just inside and one just outside every constraint."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from contract_tests import boundaries
from contract_tests.boundaries import Part, Settings, derive, format_checker
from contract_tests.cases import get_path, set_path
from contract_tests.suite import load_suite
from mockserver.paths import SOURCE_DIR
from mockserver.validation import is_iana_zone

SCHEMA = {
    "type": "object",
    "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 10},
        "label": {"type": "string"},
        "list": {"type": "string", "x-reference": "exists"},
    },
    "required": ["count"],
}
BASE = {"count": 5, "label": "hello", "list": "{{tenant.contactList}}"}


def cases(schema: dict, base: dict | None = None, settings: Settings | None = None) -> dict:
    found = derive([Part("request", "", base or BASE)], {"request": schema}, settings or Settings())
    return {case.id: case for case in found}


def test_every_constraint_gets_an_inside_and_an_outside_case():
    assert sorted(cases(SCHEMA)) == sorted(
        f"boundary/{field}/{keyword}/{side}"
        for field, keyword in [
            ("count", "required"), ("count", "type"), ("count", "minimum"), ("count", "maximum"),
            ("label", "type"), ("list", "type"),
        ]
        for side in ("inside", "outside")
    )


def test_values_sit_on_either_side_of_the_limit():
    found = cases(SCHEMA)
    assert found["boundary/count/maximum/inside"].request == {"set": {"count": 10}}
    assert found["boundary/count/maximum/outside"].request == {"set": {"count": 11}}
    assert found["boundary/count/minimum/outside"].request == {"set": {"count": 0}}
    assert found["boundary/count/required/outside"].request == {"remove": ["count"]}
    assert found["boundary/count/type/outside"].request == {"set": {"count": 5.5}}
    outside = found["boundary/count/maximum/outside"].expect
    assert (outside.status, outside.fields) == (400, ("count",))
    assert found["boundary/count/maximum/inside"].expect.status == 200


def test_adding_a_constraint_to_the_schema_adds_its_cases_and_nothing_else():
    before = cases(SCHEMA)
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["label"]["maxLength"] = 8
    after = cases(grown)
    assert sorted(set(after) - set(before)) == ["boundary/label/maxLength/inside", "boundary/label/maxLength/outside"]
    assert after["boundary/label/maxLength/inside"].request == {"set": {"label": "hellohel"}}
    assert after["boundary/label/maxLength/outside"].request == {"set": {"label": "hellohell"}}


def test_a_referenced_field_asks_the_tenant_for_a_value_of_the_right_length():
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["list"]["maxLength"] = 48
    found = cases(grown)
    assert found["boundary/list/maxLength/inside"].request == {"set": {"list": "{{tenant.contactList#48}}"}}
    assert found["boundary/list/maxLength/outside"].request == {"set": {"list": "x" * 49}}


def test_a_referenced_field_without_a_tenant_placeholder_skips_its_inside_case_and_says_why():
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["list"]["maxLength"] = 48
    found = cases(grown, {**BASE, "list": "Some List"})
    assert "must exist in the tenant" in found["boundary/list/maxLength/inside"].skip
    assert found["boundary/list/maxLength/outside"].skip is None


def test_a_keyword_without_a_rule_is_a_visible_skipped_case():
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["count"]["multipleOf"] = 5
    case = cases(grown)["boundary/count/multipleOf/inside"]
    assert case.skip == "no boundary rule for 'multipleOf'"


def test_an_inside_value_that_breaks_another_constraint_is_skipped_with_the_reason():
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["label"].update({"maxLength": 3, "enum": ["hello"]})
    assert "also satisfies the rest of the schema" in cases(grown)["boundary/label/maxLength/inside"].skip


def test_a_field_inside_an_object_the_base_request_does_not_send_is_skipped_with_the_reason():
    """A new optional object on the page (`retry`, with a required `count` and an array of objects) that the base
    request does not send: its fields' cases removed `count` from nothing and set `codes[0].code` in no array (each
    an error, not a verdict), and an inside value went into an object without its required `count`, expecting 200
    of a request the mock rightly refuses."""
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["retry"] = {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "maximum": 10},
            "codes": {"type": "array", "items": {"type": "object", "properties": {"code": {"enum": ["BUSY"]}},
                                                 "required": ["code"]}},
        },
        "required": ["count"],
    }
    found = cases(grown)
    why = "the base request does not send retry, which holds it"
    inner = [case for case in found.values() if case.id.startswith("boundary/retry.")]
    assert {case.id for case in inner} >= {
        "boundary/retry.count/required/outside", "boundary/retry.count/maximum/inside",
        "boundary/retry.codes[0].code/enum/inside", "boundary/retry.codes[0].code/required/outside",
    }
    assert [(case.skip, case.request) for case in inner] == [(why, {})] * len(inner)
    assert found["boundary/retry/type/outside"].request == {"set": {"retry": "x"}}  # the object itself has a case


def test_settings_override_the_expected_answer_by_case_id():
    settings = Settings(expect=[{"match": "boundary/count/*/outside", "status": 422, "fields": []}])
    outside = cases(SCHEMA, settings=settings)["boundary/count/minimum/outside"].expect
    assert (outside.status, outside.fields) == (422, ())


def test_every_value_an_enum_lists_gets_an_inside_case():
    """The page says each listed value is valid: a target refusing one of them (frequency CUSTOM, day SU) fails."""
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["label"]["enum"] = ["ciao", "hello", "bye"]
    found = cases(grown)
    assert found["boundary/label/enum/inside"].request == {"set": {"label": "hello"}}  # the base value, as before
    assert found["boundary/label/enum/inside/ciao"].request == {"set": {"label": "ciao"}}
    assert found["boundary/label/enum/inside/bye"].expect.status == 200
    assert sorted(case for case in found if "/enum/" in case) == [
        "boundary/label/enum/inside", "boundary/label/enum/inside/bye", "boundary/label/enum/inside/ciao",
        "boundary/label/enum/outside",
    ]


def test_settings_override_an_inside_case_too():
    grown = copy.deepcopy(SCHEMA)
    grown["properties"]["label"]["enum"] = ["hello", "bye"]
    settings = Settings(expect=[{"match": "boundary/label/enum/inside/bye", "status": 422}])
    found = cases(grown, settings=settings)
    bye = found["boundary/label/enum/inside/bye"].expect
    assert (bye.status, bye.fields) == (422, ("label",))
    assert found["boundary/label/enum/inside"].expect.status == 200


def test_the_generated_schema_s_enum_values_each_get_a_case_with_the_mock_s_answer():
    found = {case.id: case for case in load_suite().cases}
    assert found["boundary/dialingStrategy.callingHours.frequency/enum/inside/CUSTOM"].expect.status == 200
    assert found["boundary/dialingStrategy.callingHours.days[0].day/enum/inside/SU"].expect.status == 200
    assert found["boundary/priority/enum/inside/1"].expect.status == 200
    preview = found["boundary/dialingMode/enum/inside/Preview"].expect  # only Progressive is served (README)
    assert (preview.status, preview.fields) == (422, ("dialingMode",))
    sms = found["boundary/campaignType/enum/inside/sms"].expect  # the body's campaignType must be the query's
    assert (sms.status, sms.fields) == (400, ("campaignType",))
    # the service may well accept what only the mock refuses: without --allow-writes, such a case does not run
    assert found["boundary/dialingMode/enum/inside/Preview"].writes
    assert found["boundary/campaignType/enum/inside/sms"].writes
    assert not found["boundary/priority/enum/outside"].writes


@pytest.mark.parametrize(
    ("values", "base", "outside"),
    [(["1", "2", "5"], "5", "6"), ([1, 2], 1, 3), (["MO", "TU"], "MO", "MOX")],
    ids=["digit-strings", "integers", "words"],
)
def test_enum_outside_values(values, base, outside):
    assert boundaries.enum_outside(values, base) == outside


def test_header_values_cannot_have_a_wrong_type():
    part = Part("headers", "header.", {"iid": "{{tenant.streamId}}"})
    schema = {"type": "object", "properties": {"iid": {"type": "string"}}, "required": ["iid"]}
    found = {c.id: c for c in derive([part], {"headers": schema}, Settings())}
    assert found["boundary/header.iid/type/outside"].skip == "every header and query value is a string on the wire"
    assert found["boundary/header.iid/required/outside"].request == {"headers": {"iid": None}}


def test_a_header_declared_a_number_is_sent_as_text_and_text_that_is_none_is_its_wrong_type():
    """Its boundaries went out as the integers 1 and 9, which the HTTP library refused to send: each case got no
    verdict until the run stopped; and its wrong type was skipped as if it could only be a string."""
    part = Part("headers", "header.", {"x-priority": "5"})
    schema = {"type": "object", "properties": {"x-priority": {"type": "integer", "minimum": 1, "maximum": 9}}}
    found = {c.id: c for c in derive([part], {"headers": schema}, Settings())}
    assert found["boundary/header.x-priority/maximum/outside"].request == {"headers": {"x-priority": "10"}}
    assert found["boundary/header.x-priority/minimum/inside"].request == {"headers": {"x-priority": "1"}}
    wrong = found["boundary/header.x-priority/type/outside"]
    assert (wrong.skip, wrong.request) == (None, {"headers": {"x-priority": "x"}})


def test_the_generated_request_schema_yields_a_case_pair_for_each_constraint():
    suite = load_suite()
    derived = {case.id for case in suite.cases if case.id.startswith("boundary/")}
    for node in boundaries.walk(suite.contract.request, suite.base.body()):
        for keyword in set(node.schema) & set(boundaries.RULES):
            assert {f"boundary/{node.path}/{keyword}/inside", f"boundary/{node.path}/{keyword}/outside"} <= derived


def test_every_literal_outside_value_really_is_outside_the_schema():
    suite = load_suite()
    validator = Draft202012Validator(suite.contract.request, format_checker=format_checker())
    body = suite.base.body()
    for case in suite.cases:
        changes = case.request.get("set", {})
        if not case.id.startswith("boundary/") or case.id.split("/")[3] != "outside" or case.skip or not changes:
            continue
        (path, value), = changes.items()
        if isinstance(value, str) and "{{" in value:
            continue
        document = copy.deepcopy(body)
        set_path(document, path, value)
        errors = [list(e.absolute_path) for e in validator.iter_errors(document)]
        assert errors, case.id
        assert get_path(document, path) == value



@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Factory", "UTC", "localtime", "posixrules", "posix/Asia/Kolkata",
                                  "right/UTC", " UTC", "Etc/GMT+13", "", "zone.tab"])
def test_the_suite_reads_a_time_zone_as_the_mock_does(zone):
    """The suite's format checker took any file zoneinfo could load (localtime, posixrules, posix/Asia/Kolkata,
    right/UTC, where the machine's tz database has them), all of which the mock refuses as zones: a boundary value
    the suite judged inside the schema was outside it."""
    assert format_checker().conforms(zone, "iana-time-zone") == is_iana_zone(zone)


def test_a_header_that_may_be_a_string_has_no_wrong_type_on_the_wire():
    """Only the first of its types was looked at: typed ["integer", "string"], its outside case sent "x", a string
    it takes, and failed against a mock doing nothing wrong."""
    part = Part("headers", "header.", {"x-priority": "5"})
    schema = {"type": "object", "properties": {"x-priority": {"type": ["integer", "string"]}}}
    found = {c.id: c for c in derive([part], {"headers": schema}, Settings())}
    skipped = found["boundary/header.x-priority/type/outside"].skip
    assert skipped == "every header and query value is a string on the wire"


def test_a_fraction_sent_for_a_row_the_page_types_number_is_a_refusal_only_the_mock_makes():
    """The generator reads a page `number` whose sample values are whole as an integer (a README assumption), so
    `maxRingTime: 30.5` is refused here though the body table says number: a service that reads its own page
    creates that campaign. Such a case must run against a remote target only with --allow-writes."""
    suite = load_suite()
    found = {case.id: case for case in suite.cases}
    read_as_integer = []
    for node in boundaries.walk(suite.contract.request, suite.base.body()):
        source = node.schema.get("x-source", {}).get("type", "")
        page, _, line = source.rpartition(":")
        if node.schema.get("type") != "integer" or not page.endswith(".md"):
            continue
        type_cell = (SOURCE_DIR / page).read_text(encoding="utf-8").splitlines()[int(line) - 1].split("|")[-2]
        if "number" in type_cell:
            read_as_integer.append(node.path)
    assert read_as_integer, "the page has rows typed number that the generator reads as integers"
    for path in read_as_integer:
        case = found[f"boundary/{path}/type/outside"]
        assert case.may_create and case.writes, case.id
        assert (case.expect.status, case.expect.fields) == (400, (path,))


def test_a_refusal_of_a_rule_only_the_overrides_file_gives_is_one_only_the_mock_makes():
    """A keyword the page does not give (the overrides file's: the name's minLength, the type of `schedule`, which no
    table documents) is this project's reading, so a service may take what the mock refuses: the case that breaks it
    must run against a remote target only with --allow-writes, as may_create cases do."""
    suite = load_suite()
    found = {case.id: case for case in suite.cases}
    checked = []
    for node in boundaries.walk(suite.contract.request, suite.base.body()):
        for keyword, source in node.schema.get("x-source", {}).items():
            case = found.get(f"boundary/{node.path}/{keyword}/outside")
            if case is not None and source.rpartition(":")[0].endswith(".toml") and not case.expect.success:
                checked.append(case.id)
                assert case.may_create and case.writes, case.id
    assert "boundary/name/minLength/outside" in checked and "boundary/schedule/type/outside" in checked
