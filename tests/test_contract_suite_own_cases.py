"""A team's own case files: in a folder of its own (--contract-cases), selected by id, and every mistake in one
is one usage line naming the file, the case and the problem, before any case runs."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from contract_tests.calls import build_call
from contract_tests.cases import MAX_CASE_DEPTH, MAX_CASE_FILE_BYTES, apply_changes, load_cases
from contract_tests.mistakes import each_problem
from contract_tests.runner import Runner
from contract_tests.suite import load_suite
from contract_tests.target import Target, tenant_facts
from mockserver.errors import ConfigError
from mockserver.paths import CASES_DIR, PROJECT_ROOT
from mockserver.tenant import load_tenant


def case(**changes) -> dict:
    return {"id": "daily", "description": "d", "subject": "priority", "expect": {"status": 200}, **changes}


def write(folder, name: str, *cases: dict, group: str = "team") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"group": group, "description": "ours", "cases": list(cases)}),
                               encoding="utf-8")


AS_WRITTEN = '; to send {{ as written, put a backslash before it ("\\\\{{x}}" in JSON sends {{x}}); known: '


def test_a_folder_of_cases_runs_beside_the_suites_own_selected_by_id(run_contract_suite, tmp_path):
    own = tmp_path / "our-cases"
    write(own, "team.json", case(request={"set": {"dialingStrategy.callingHours.frequency": "DAILY"}}),
          case(id="priority-zero", request={"set": {"priority": "0"}}, expect={"status": 400, "fields": ["priority"]}))
    write(own / "more", "late.json", case(id="late"), group="late")
    listed = run_contract_suite("--collect-only", "-q", "--contract-cases", str(own))
    assert listed.ret == pytest.ExitCode.OK
    listed.stdout.fnmatch_lines(["*test_contract?late/late?", "*test_contract?team/daily?",  # in path order
                                 "*test_contract?team/priority-zero?"])
    assert any("test_contract[auth/missing]" in line for line in listed.outlines)
    chosen = run_contract_suite("-q", "--contract-cases", str(own), "-k", "team/")
    assert chosen.ret == pytest.ExitCode.OK
    outcomes = chosen.parseoutcomes()
    assert outcomes["passed"] == 2 and set(outcomes) == {"passed", "deselected"}


def test_a_case_file_in_a_subfolder_is_read_not_ignored(tmp_path):
    write(tmp_path / "team", "ours.json", case())
    assert [loaded.id for loaded in load_cases(tmp_path)] == ["team/daily"]


def test_a_case_folder_that_does_not_exist_is_one_usage_line(run_contract_suite, tmp_path):
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path / "nope"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: --contract-cases {tmp_path}/nope: no such file or folder"])


def test_a_case_folder_or_report_named_too_long_to_look_up_is_one_usage_line(run_contract_suite, tmp_path):
    """A name longer than the system takes (a file's text pasted in its place) ended the run in an INTERNALERROR:
    Path.exists() raises for it, where it answers False for a name that is not there."""
    long = str(tmp_path / ("a" * 3000))
    for option, said in (("--contract-cases", "cannot be looked up: File name too long"),
                         ("--contract-report", "cannot write the contract report: File name too long")):
        result = run_contract_suite("--collect-only", option, long)
        assert result.ret == pytest.ExitCode.USAGE_ERROR, option
        [line] = [line for line in result.stderr.lines if line.strip()]
        assert line.startswith("ERROR: contract suite: ") and said in line and len(line) < 500, line


def test_a_case_file_whose_extension_is_in_capitals_is_read_not_skipped(tmp_path):
    """A file saved as TEAM.JSON (some editors and systems write capitals) was left out without a word."""
    write(tmp_path / "team", "OURS.JSON", case())
    assert [loaded.id for loaded in load_cases(tmp_path)] == ["team/daily"]


MISTAKES = {
    "a key name misspelt": ([case(expcet={"status": 200})], "case daily: unknown keys ?'expcet'?; expected some of"),
    "a status written as a string": ([case(expect={"status": "400"})],
                                     "case daily: expect.status: an HTTP status, 100 to 599 (got \"400\"; numbers go"
                                     " without quotes: send 400)"),
    "no expected status": ([case(expect={"fields": ["priority"]})], "case daily: `expect` needs an integer `status`"),
    "a case id used twice": ([case(), case()],
                             "case daily: case id 'team/daily' is used twice in this file: give one of the two"
                             " another id"),
    "a base that does not exist": ([case(request={"base": "vendor"})],
                                   "case daily: request.base: one of ?\"request\", \"vendor-sample\"?"
                                   " (got \"vendor\")"),
}


@pytest.mark.parametrize("mistake", MISTAKES, ids=str)
def test_a_mistake_in_a_case_file_stops_the_run_in_one_usage_line_naming_file_and_case(run_contract_suite, tmp_path,
                                                                                        mistake):
    """It was a collection error: a traceback through the suite's loader and pytest's hooks, the message in the
    middle of it, with "During handling of the above exception, another exception occurred"."""
    cases, said = MISTAKES[mistake]
    write(tmp_path / "own", "team.json", *cases)
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path / "own"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {tmp_path}/own/team.json: {said}*"])
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output and "During handling" not in output and "test_contract" not in output


@pytest.mark.parametrize(("text", "said"), [
    # the parser's own words and place: Python 3.13 stops at the trailing comma ("Illegal trailing comma before end
    # of object: line 1 column 43"), 3.11 after it ("Expecting property name enclosed in double quotes: ... 44")
    ('{"group": "team", "cases": [{"id": "daily",},]}', "not valid JSON: [EI]* line 1 column 4[34] (char 4[23])*"),
    ("", "an empty file, not a case file"),
    ("  \n", "an empty file, not a case file"),
])
def test_a_case_file_that_is_not_json_is_one_usage_line(run_contract_suite, tmp_path, text, said):
    (tmp_path / "team.json").write_text(text, encoding="utf-8")
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {tmp_path}/team.json: {said}"])


@pytest.mark.parametrize(("text", "said"), [
    ('{"group": "team",\n "cases": [{"id": "daily",\n}]}',
     r"line 3 column 1 \(char 45\) \(a comma after the last item, which JSON does not take\?\)$|Illegal trailing"),
    ('{"group": "team", "cases": [1, 2, ]}', r"\(a comma after the last item, which JSON does not take\?\)$|Illegal"),
    ("{'group': 'team'}", r"line 1 column 2 \(char 1\) \(text quoted with ', where JSON takes \" alone\?\)$"),
    ('{"group": "team", // ours\n "cases": []}',
     r"line 1 column 19 \(char 18\) \(a comment, which JSON does not take: say it in a description\?\)$"),
    ('{"group": "team"\n "cases": []}', r"line 2 column 2 \(char 18\) \(a comma missing before it\?\)$"),
    ('{"group": "team", "cases": [1, 2}', r"line 1 column 33 \(char 32\)$"),  # a ] missing: no likely cause named
    # a stub carried over from another harness: its tab, its YAML
    ('{"group": "team", "description": "a\tb", "cases": []}',
     r"line 1 column 36 \(char 35\) \(a tab inside a string, which JSON writes as \\t\?\)$"),
    ('{"group": "team", "description": "a\nb", "cases": []}',
     r"\(a line end inside a string, which JSON writes as \\n, or a quote left open\?\)$"),
    ("group: team\ncases:\n\t- id: daily\n", r"line 1 column 1 \(char 0\) \(YAML, where JSON is wanted\?\)$"),
    ("---\ngroup: team\n", r"\(YAML, where JSON is wanted\?\)$"),
])
def test_a_json_syntax_error_names_its_likely_cause(tmp_path, text, said):
    """The parser's words name none: a trailing comma's closing brace was "Expecting property name enclosed in
    double quotes", a comment "Expecting value", a missing comma "Expecting ',' delimiter"."""
    (tmp_path / "team.json").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path}/team.json: not valid JSON: "), str(refused.value)
    assert re.search(said, str(refused.value)), str(refused.value)


@pytest.mark.parametrize(("value", "said", "example"), [
    ("NaN", "line 3: NaN is no JSON value", "NaN"),
    ("-Infinity", "line 3: -Infinity is no JSON value", "-Infinity"),
    ("1e400", "line 3: 1e400 is out of range for a number", "1e400"),
    ("1" + "0" * 400 + ".5", f"line 3: 1{'0' * 400}.5 is out of range for a number",
     "<the number, written out>"),  # no exponent
    ("1" + "0" * 400 + ', "priority":\n 1e400', "line 4: 1e400 is out of range", "1e400"),  # a whole
    # number JSON has, first
    # int() read no more digits, and said "use sys.set_int_max_str_digits()", with no line
    ("9" * 5000, "line 3: a whole number of 5,000 digits, over the 4,300 a case file's number may have (no JSON client"
                 " sends such a number)", "<the number, written out>"),
    ("9" * 4300 + ', "priority":\n -' + "9" * 4301, "line 4: a whole number of 4,301 digits",
     "<the number, written out>"),  # 4,300 are read
])
def test_a_number_json_has_not_is_refused_naming_its_line(tmp_path, value, said, example):
    """Python's json reads NaN, Infinity and 1e400 (as infinity), and the case sent them back as NaN and Infinity:
    something no JSON client sends, so the case said nothing of one. A whole number past int()'s digit limit is valid
    JSON, and no JSON client sends it either. The body.raw text said to send one on purpose writes the number refused
    (it wrote NaN for any)."""
    (tmp_path / "team.json").write_text('{"group": "team", "cases": [{"id": "daily", "description": "d",\n'
                                        ' "expect": {"status": 400}, "request": {"set":\n'
                                        f' {{"dialingStrategy.maxRingTime": {value}, "description": "NaN"}}}}}}]}}',
                                        encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path}/team.json: {said}"), str(refused.value)
    assert str(refused.value).endswith(f'the body as text ({{"body": {{"raw": "{{\\"priority\\": {example}}}"}}}})')


def test_a_mistake_is_one_line_with_the_dev_extras_plugins_loaded_too(run_contract_suite, tmp_path, monkeypatch):
    """With schemathesis installed (the [dev] extra), pytest's plugin warnings wrapped the collection error in
    'PluggyTeardownRaisedWarning: A plugin raised an exception during an old-style hookwrapper teardown'."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    write(tmp_path, "team.json", case(expcet={"status": 200}))
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {tmp_path}/team.json: case daily: unknown keys ?'expcet'?*"])
    assert "Pluggy" not in result.stdout.str() + result.stderr.str()


WRONG_TYPES = [
    ({"expect": {"status": True}}, "expect.status: an HTTP status, 100 to 599 (got true)"),
    ({"expect": {"status": 4000}}, "expect.status: an HTTP status, 100 to 599 (got 4000)"),
    ({"expect": {"status": 400, "fields": "priority"}}, "expect.fields: a list of field paths (got \"priority\")"),
    ({"expect": {"status": 400, "absent": [1]}}, "expect.absent: a list of field paths (got [1])"),
    ({"expect": {"status": 400, "code": "4000"}},
     "expect.code: an integer (got \"4000\"; numbers go without quotes: send 4000)"),
    ({"expect": {"status": 200, "fields": ["priority"]}},
     "expect.fields: only a refusal (status 400 or above) names fields, codes or absent fields; a case expecting"
     " 200 would pass without checking them"),
    ({"expect": {"status": 201, "code": 4000}}, "expect.code: only a refusal (status 400 or above)"),
    ({"skip": True}, "skip: the reason the case is skipped, as text (got true)"),
    ({"skip": ""}, "skip: the reason the case is skipped, as text (got \"\")"),
    ({"may_create": "yes"}, "may_create: true or false (got \"yes\")"),
    ({"may_create": True}, "may_create: it marks a refusal (status 400 or above) that only the mock is known to make,"
                           " and a case expecting 200 creates its campaign anyway, so it would change nothing: take it"
                           " out"),
    ({"may_create": True, "expect": {"status": 302}}, "may_create: it marks a refusal (status 400 or above) that only"
                                                      " the mock is known to make, and a case expecting 302 is no"
                                                      " refusal"),
    ({"description": ["d"]}, "description: text (got [\"d\"])"),
    ({"subject": 5}, "subject: text (got 5)"),
    ({"undocumented": "x-ours"}, "undocumented: a list of field paths (got \"x-ours\")"),
    ({"id": "my case"}, "id: ASCII letters, digits, '.', '_' and '-' (got \"my case\"): pytest -k selects by it"),
    ({"id": "gr\u00fc\u00dfe"}, "id: ASCII letters, digits, '.', '_' and '-' (got \"gr\u00fc\u00dfe\"): pytest -k"
     " selects by it, and pytest shows other characters in an id as escapes (\\xfc)"),
    ({"before": {"set": {}}}, "before: a list of requests (got {\"set\": {}})"),
    ({"request": {"set": ["priority", "0"]}},
     "request.set: an object of field paths and values (got [\"priority\", \"0\"])"),
    ({"request": {"remove": "priority"}}, "request.remove: a list of field paths (got \"priority\")"),
    ({"request": {"headers": ["X-A: 1"]}}, "request.headers: an object of names and text values, null to remove one"),
    ({"request": {"query": {"page": 2}}}, "request.query: an object of names and text values, null to remove one"),
    ({"request": {"stream": 7}}, "request.stream: text (got 7)"),
    ({"request": {"token": "abc"}}, "request.token: an object (a recipe: alg, secret, ttl, claims, app, header,"
                                    " repeat, padded)"),
    ({"request": {"content_type": 1}}, "request.content_type: text, or null to send none (got 1)"),
    ({"request": {"body": "[]"}}, "request.body: one of {\"raw\": text}, {\"base64\": text}, {\"json\": any value}"),
    ({"request": {"body": {"raw": []}}}, "request.body: one of"),
    ({"request": {"body": {"base64": "not base64!"}}}, "request.body: one of"),
    ({"request": {"body": {"pad_to": "70000"}}}, "request.body: one of"),
    ({"before": [{"sett": {}}]}, "before[0]: unknown keys ['sett']"),
    ({"request": {"set": {"priority": "0"}, "body": {"raw": "{}"}}},
     "request.set: body.raw is the whole body sent, so set would change nothing in it: make the change in body.raw,"
     " or leave body out"),
    ({"before": [{"remove": ["priority"], "body": {"json": {}}}]}, "before[0].remove: body.json is the whole body"),
    ({"request": {"base": "vendor-sample", "body": {"base64": "e30="}}}, "request.base: body.base64 is the whole"),
    ({"request": {"headers": {"X-Trace": "1", "x-trace": "2"}}},
     "request.headers: \"X-Trace\" and \"x-trace\" name one header (a header's name is read in any case), and the"
     " last would replace the other: keep one"),
    ({"before": [{"headers": {"content-type": "text/plain"}, "content_type": "application/xml"}]},
     "before[0].content_type: it sets the header headers also names (\"content-type\"), and would replace it: keep"
     " one"),
    ({"before": [{"set": []}]}, "before[0].set: an object of field paths and values"),
]


@pytest.mark.parametrize(("changes", "said"), WRONG_TYPES, ids=lambda value: json.dumps(value)[:60])
def test_a_value_of_the_wrong_type_is_named_with_its_file_case_and_key(tmp_path, changes, said):
    """Each was taken as it came: a status `true`, `fields` as one string (each letter a field), a `skip` of `true`
    (shown as the reason "True") or of "" (the case ran), fields expected of a success (never checked), a list of
    headers (an AttributeError traceback when the case ran)."""
    write(tmp_path, "team.json", case(**changes))
    label = changes.get("id", "daily")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path}/team.json: case {label}: {said}"), str(refused.value)


NOT_IN_THE_REQUEST = [
    ({"request": {"remove": ["dialingStrategy.maxRingTme"]}},
     "request.remove: dialingStrategy.maxRingTme: nothing to remove: dialingStrategy has no 'maxRingTme' (a typo of"
     " dialingStrategy.maxRingTime?)"),
    ({"request": {"set": {"contactLists[3]": "x"}}},
     "request.set: contactLists[3]: contactLists has 1 item, [0]: set adds one only at [1], just past its end"),
    ({"request": {"set": {"dialingStrategy.maxRingTme": 60}}},
     "request.set: dialingStrategy.maxRingTme: neither the base request nor the request schema has this field (a"
     " typo of dialingStrategy.maxRingTime?); a case that sends a field the schema does not describe on purpose lists"
     " it in `undocumented`"),
    ({"subject": "dialingStrategy.maxRingTme", "request": {"set": {"dialingStrategy.maxRingTme": 60}}},
     "request.set: dialingStrategy.maxRingTme: neither the base request nor the request schema has this field (a"
     " typo of dialingStrategy.maxRingTime?)"),
    ({"subject": "prioirty", "before": [{"set": {"prioirty": "1"}}]},
     "before[0].set: prioirty: neither the base request nor the request schema has this field (a typo of priority?)"),
    ({"undocumented": ["x-ours"], "request": {"set": {"x-our": 1}}},
     "request.set: x-our: neither the base request nor the request schema has this field"),
    ({"undocumented": ["priority"], "request": {"set": {"priority": "2"}}},
     "undocumented: priority: the base request or the request schema has this field: take it out of `undocumented`"),
    ({"undocumented": ["x-ours"]}, "undocumented: x-ours: no `set`, header or query parameter of the case is this"),
    ({"request": {"headers": {"Acountid": "a-1"}}},
     "request.headers: Acountid: neither the base request nor the schemas have this header, but one close to it"
     " (a typo of accountid?); a case that sends it on purpose lists it in `undocumented`"),
    ({"before": [{"query": {"campaigntype": "voice"}}]},
     "before[0].query: campaigntype: neither the base request nor the schemas have this query parameter, but one"
     " close to it (a typo of campaignType?)"),
    ({"before": [{"remove": ["nme"]}]}, "before[0].remove: nme: nothing to remove: the request has no 'nme' (a typo"
     " of name?)"),
    ({"request": {"set": {"queue_name": "{{tenant.queu}}"}}},
     "request: unknown placeholder {{tenant.queu}} (a typo of {{tenant.queue}}?)" + AS_WRITTEN + "{{auth.token}},"
     " {{other.accountId}},"),
    ({"expect": {"status": 400}, "request": {"body": {"pad_to": 100}}},
     "request.body.pad_to: 100 bytes is less than the body itself, 981 bytes with the case's name as sent and other"
     " placeholders as written: give more, or a body.raw text of the size wanted"),
    # the name as every target sends it: 48 characters, not the 15 of {{run.name#48}}
    ({"request": {"body": {"pad_to": 990}, "set": {"name": "{{run.name#48}}"}}},
     "request.body.pad_to: 990 bytes is less than the body itself, 1013 bytes"),
    ({"request": {"headers": {"x-run": "{{run.nam}}"}}}, "request: unknown placeholder {{run.nam}} (a typo"
     " of {{run.name}}?)" + AS_WRITTEN),
]


@pytest.mark.parametrize(("changes", "said"), NOT_IN_THE_REQUEST, ids=lambda value: json.dumps(value)[:60])
def test_a_path_or_placeholder_the_request_does_not_have_is_refused_before_the_run(tmp_path, changes, said):
    """A path to remove that is not there, or an index past a list's end, was a traceback when the case ran; a field
    set by a misspelt path was added beside the real one and the case expecting 200 passed without testing anything;
    a misspelt placeholder skipped the case as a fact the target lacks."""
    write(tmp_path, "team.json", case(**changes))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path,))
    first = str(each_problem(refused.value)[0])  # a misspelt path listed in `undocumented` is its second line
    assert first.startswith(f"{tmp_path}/team.json: case daily: {said}"), str(refused.value)


WHAT_IS_THERE = [
    ({"request": {"set": {"dialingStrategy.callingHours.days[7].start": "9:00 AM"}}},
     "request.set: dialingStrategy.callingHours.days[7].start: dialingStrategy.callingHours.days has 5 items, [0] to"
     " [4]: no [7]"),
    ({"request": {"remove": ["dialingStrategy.callingHours.days[9]"]}},
     "request.remove: dialingStrategy.callingHours.days[9]: nothing to remove: dialingStrategy.callingHours.days has 5"
     " items, [0] to [4]: no [9]"),
    ({"request": {"set": {"dncLists[0]": "x"}}}, "request.set: dncLists[0]: dncLists is an object, not a list"),
    ({"request": {"remove": ["dncLists[0]"]}},
     "request.remove: dncLists[0]: nothing to remove: dncLists is an object, not a list"),
    ({"request": {"set": {"priority[0]": "1"}}}, "request.set: priority[0]: priority is text, not a list"),
    ({"request": {"set": {"priority.level": "1"}}}, "request.set: priority.level: priority is text, not an object"),
    ({"undocumented": ["priority.level"], "request": {"set": {"priority.level": "1"}}},
     "request.set: priority.level: priority is text, not an object"),
    ({"request": {"set": {"dialingStrategy.maxRingTime.max": 1}}},
     "request.set: dialingStrategy.maxRingTime.max: dialingStrategy.maxRingTime is a number, not an object"),
]


@pytest.mark.parametrize(("changes", "said"), WHAT_IS_THERE, ids=lambda value: json.dumps(value)[:60])
def test_a_path_the_request_does_not_hold_says_what_it_holds_there(tmp_path, changes, said):
    """"no 7 in the request" left the author to count the days; a list index into an object was called a typo of a
    field name; a field under a text value listed as undocumented was a TypeError, an INTERNALERROR traceback."""
    write(tmp_path, "team.json", case(**changes))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path,))
    assert str(refused.value) == f"{tmp_path}/team.json: case daily: {said}"


@pytest.mark.parametrize(("changes", "said"), [
    ({"request": {"remove": ["priority", "priority"]}},
     "request.remove: priority is named twice, and the second would find nothing to remove: keep one"),
    ({"before": [{"remove": ["dialingStrategy.callingHours.days[0].start"] * 2}]},
     "before[0].remove: dialingStrategy.callingHours.days[0].start is named twice, and the second would find nothing"
     " to remove: keep one"),
    ({"request": {"remove": ["dialingStrategy", "dialingStrategy.maxRingTime"]}},
     "request.remove: dialingStrategy.maxRingTime is inside dialingStrategy, which an earlier entry removes with all"
     " it holds: keep one"),
], ids=["a-field", "a-field-of-a-list-item", "inside-a-field-removed"])
def test_a_removal_named_twice_is_refused_naming_it(tmp_path, changes, said):
    """The second removal of one path was told "the request has no 'priority'", of a file that named it."""
    write(tmp_path, "team.json", case(**changes))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path,))
    assert str(refused.value) == f"{tmp_path}/team.json: case daily: {said}"


@pytest.mark.parametrize("remove", [
    ["days[1]", "days[0]", "days[0].start"],
    # after an item's removal its index names the item after it: it was refused as "would find nothing to remove"
    ["days[0]", "days[0]"], ["days[0].start", "days[0]", "days[0].start"],
], ids=["last-first", "one-index-twice", "a-field-of-the-next-item"])
def test_list_items_removed_one_after_another_are_removals_each(tmp_path, remove):
    paths = [f"dialingStrategy.callingHours.{path}" for path in remove]
    write(tmp_path, "team.json", case(request={"remove": paths}))
    suite = load_suite(own=(tmp_path,))
    [loaded] = [entry for entry in suite.cases if entry.id.startswith("team/")]
    before = suite.base.body("request")["dialingStrategy"]["callingHours"]["days"]
    days = apply_changes(suite.base.body("request"), loaded.request)["dialingStrategy"]["callingHours"]["days"]
    assert len(days) == len(before) - sum(path.endswith("]") for path in remove)


FORMS = "a placeholder is written {{name}}, {{name#48}} (that many characters), {{name|upper}} or {{name|lower}}"


@pytest.mark.parametrize(("changes", "said"), [
    ({"request": {"set": {"name": "{{run.name|title}}"}}},
     f'request: "{{{{run.name|title}}}}" is no placeholder, and would be sent as it is: {FORMS}; to send {{{{ as'
     ' written, put a backslash before it ("\\\\{{x}}" in JSON sends {{x}})'),
    ({"request": {"headers": {"x-q": "{{tenant-queue}}"}}}, 'request: "{{tenant-queue}}" is no placeholder'),
    ({"before": [{"set": {"queue_name": "{tenant.queue}"}}]}, 'before[0]: "{tenant.queue}" is no placeholder'),
    ({"request": {"set": {"name": "{{run.name#x}} late"}}}, 'request: "{{run.name#x}}" is no placeholder'),
    # the escape's two sides are read apart, as they are sent: "{{run" is no placeholder, whatever follows \{{
    ({"request": {"set": {"name": "{{run\\{{.name}}"}}}, 'request: "{{run" is no placeholder'),
    ({"request": {"set": {"queue_name": "{{tenant.queue}"}}}, 'request: "{{tenant.queue}" is no placeholder'),
    # it has the backslash it was told to put: the backslash escapes two braces, the third begins no placeholder
    ({"request": {"set": {"name": "\\{{{run.name}}}"}}},
     'request: "\\\\{{{run.name}}}" is no placeholder, and would be sent as it is: its backslash sends the two braces'
     ' after it as written, and "{run.name}}}" after them is no placeholder; to send "{{{run.name}}}" as written, put'
     f' the backslash before the last two braces ("{{\\\\{{{{run.name}}}}}}"), else {FORMS}'),
    ({"request": {"set": {"name": "{{{run.name}}}"}}}, 'request: "{{{run.name}}}" is no placeholder'),
    ({"request": {"set": {"name": "{{ {{run.name}} }}"}}}, 'request: "{ {{run.name}} }" is no placeholder'),
    ({"request": {"set": {"name": "{{}}"}}}, 'request: "{{}}" is no placeholder'),
    ({"before": [{"headers": {"x-run": "run {{ }}"}}]}, 'before[0]: "{{ }}" is no placeholder'),
    ({"request": {"set": {"name": "{{run.name#99999999999999999999}}"}}},
     'request: "{{run.name#99999999999999999999}}" asks for more characters than a case file may hold: at most'
     ' 1048576'),
    ({"request": {"set": {"contactLists[0]": "{{tenant.contactlist}}"}}},
     "request: unknown placeholder {{tenant.contactlist}} (a typo of {{tenant.contactList}}?)" + AS_WRITTEN),
    ({"request": {"set": {"queue_name": "{{Tenant.Queue}}"}}},
     "request: unknown placeholder {{Tenant.Queue}} (a typo of {{tenant.queue}}?)" + AS_WRITTEN),
])
def test_a_placeholder_written_wrong_is_refused_not_sent_as_it_is(tmp_path, changes, said):
    """Text like a placeholder that is none was sent as it came: a campaign named "{{run.name|title}}" carried no run
    prefix, yet the summary listed it under "all named ct-...", and against the service no later run could tell it
    as its own."""
    write(tmp_path, "team.json", case(**changes))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path,))
    assert str(refused.value).startswith(f"{tmp_path}/team.json: case daily: {said}"), str(refused.value)


def test_a_placeholder_after_a_backslash_is_sent_as_written(tmp_path):
    """A name "{{x}}" (does the service template it?) was refused as an unknown placeholder, with no way to send it;
    the backslash goes, the text after it is no placeholder, and one after it is filled as ever."""
    write(tmp_path, "team.json", case(request={"set": {"name": "\\{{x}} \\{{run.name}} {{run.name}}"},
                                               "headers": {"x-tag": "\\{{tenant.queue|title}}"}}))
    loaded = load_suite(own=(tmp_path,))
    [ours] = [entry for entry in loaded.cases if entry.id == "team/daily"]
    local = Target("http://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=True)
    call = build_call(loaded.base, local, ours.request, "ct-0000abcd-", 1)
    assert json.loads(call.body)["name"] == "{{x}} {{run.name}} ct-0000abcd-0001"
    assert call.headers["x-tag"] == "{{tenant.queue|title}}"


def test_two_backslashes_before_a_placeholder_send_one_and_fill_it_as_handlebars_does(tmp_path):
    r""""\\\\{{run.name}}" in JSON (the text \\{{run.name}}) sent \{{run.name}} unfilled, without the run's prefix;
    Handlebars reads \\{{x}} as a backslash and x filled (three backslashes as two), and a name it holds is checked
    as any other."""
    name, description = "\\\\{{run.name}}", "\\\\\\{{run.name}}"  # two backslashes, three
    write(tmp_path, "team.json", case(request={"set": {"name": name, "description": description}}))
    loaded = load_suite(own=(tmp_path,))
    [ours] = [entry for entry in loaded.cases if entry.id == "team/daily"]
    local = Target("http://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=True)
    sent = json.loads(build_call(loaded.base, local, ours.request, "ct-0000abcd-", 1).body)
    assert (sent["name"], sent["description"]) == ("\\ct-0000abcd-0001", "\\\\ct-0000abcd-0001")
    write(tmp_path, "team.json", case(request={"set": {"queue_name": "\\\\{{tenant.queu}}"}}))
    with pytest.raises(ConfigError, match=r"unknown placeholder \{\{tenant.queu\}\}"):
        load_suite(own=(tmp_path,))


KEY_SENT_AS_WRITTEN = ("holds a placeholder, but a key is sent as written: placeholders (and \\{{) are filled in"
                      " values alone; write the name itself (a body whose field names vary is sent as body.raw text)")


@pytest.mark.parametrize(("changes", "said"), [
    ({"request": {"set": {"dialingStrategy.callerId": {"{{tenant.queu}}": "1"}}}},
     f'request.set: the key "{{{{tenant.queu}}}}" {KEY_SENT_AS_WRITTEN}'),
    ({"request": {"body": {"json": [{"{{run.name}}": 1}]}}}, 'request.body: the key "{{run.name}}" holds'),
    ({"request": {"headers": {"x-{{run.name}}": "1"}}}, 'request.headers: the key "x-{{run.name}}" holds'),
    ({"before": [{"query": {"{{}}": "1"}}]}, 'before[0].query: the key "{{}}" holds'),
    ({"request": {"set": {"dialingStrategy.callerId": {"\\{{x}}": "1"}}}}, 'request.set: the key "\\\\{{x}}" holds'),
    ({"request": {"token": {"claims": {"{{run.name}}": "1"}}}}, 'request.token: the key "{{run.name}}" holds'),
])
def test_a_placeholder_in_a_key_is_refused_as_keys_are_sent_as_written(tmp_path, changes, said):
    """A key was neither checked nor filled: a field named "{{tenant.queu}}" (a typo the same text refused in a value)
    was sent as written."""
    write(tmp_path, "team.json", case(**changes))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path,))
    assert str(refused.value).startswith(f"{tmp_path}/team.json: case daily: {said}"), str(refused.value)


def test_a_skipped_case_is_checked_as_every_case_is(tmp_path):
    """A skip is a reason not to run a case today (a service's known fault), not a draft: unchecked, a typo in it
    would be found only the day its skip is taken out."""
    write(tmp_path, "team.json", case(skip="the service answers 500 here", request={"set": {"prioirty": "1"}}))
    with pytest.raises(ConfigError, match="request.set: prioirty: neither the base request nor the request schema"):
        load_suite(own=(tmp_path,))


def test_text_that_only_holds_braces_is_sent_as_it_is(tmp_path):
    write(tmp_path, "team.json", case(request={"set": {"description": "{{7*7}} {x} {{ run.name }}"}}))
    assert "team/daily" in [loaded.id for loaded in load_suite(own=(tmp_path,)).cases]


def test_a_header_or_parameter_of_the_clients_own_is_sent_as_it_is(tmp_path):
    """Only a name close to one the request has is taken for a typo: a client's own headers are not."""
    write(tmp_path, "team.json", case(request={"headers": {"X-Correlation-Id": "c-1", "User-Agent": "dialer/2.1",
                                                           "ACCOUNTID": "{{tenant.accountId}}"},
                                               "query": {"trace": "1"}}),
          case(id="on-purpose", undocumented=["acountid"], request={"headers": {"acountid": "a-1"}}))
    assert [loaded.id for loaded in load_suite(own=(tmp_path,)).cases if loaded.id.startswith("team/")] == [
        "team/daily", "team/on-purpose"]


def test_a_header_listed_as_undocumented_is_matched_in_any_case(tmp_path):
    """A header's name is read in any case, but `undocumented` was matched exactly: Acountid sent and acountid listed
    was refused as a likely typo that the case "lists in `undocumented`", which it did."""
    write(tmp_path, "team.json", case(undocumented=["acountid"], request={"headers": {"Acountid": "a-1"}}),
          case(id="ours", undocumented=["X-OURS"], before=[{"headers": {"x-ours": "1"}}]))
    assert [loaded.id for loaded in load_suite(own=(tmp_path,)).cases if loaded.id.startswith("team/")] == [
        "team/daily", "team/ours"]


def test_a_field_the_schema_does_not_describe_may_be_set_when_the_case_lists_it_as_undocumented(tmp_path):
    """Naming it as the case's subject let a typo through when the subject repeated it (copied from the path)."""
    write(tmp_path, "team.json", case(subject="dialingStrategy.x-ours", undocumented=["dialingStrategy.x-ours"],
                                      request={"set": {"dialingStrategy.x-ours": 1}}),
          case(id="known", request={"set": {"description": "{{run.name}} {{tenant.queue|upper}}"}}))
    assert [loaded.id for loaded in load_suite(own=(tmp_path,)).cases if loaded.id.startswith("team/")] == [
        "team/daily", "team/known"]


@pytest.mark.parametrize("key", ["fields", "absent"])
def test_an_expected_field_the_request_does_not_have_is_refused(tmp_path, key):
    """An `absent` field misspelt could never be named by an error, so its check always passed."""
    write(tmp_path, "team.json", case(request={"set": {"priority": "0"}},
                                      expect={"status": 400, key: ["contactList[0]"]}))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path,))
    assert str(refused.value) == (
        f"{tmp_path}/team.json: case daily: expect.{key}: contactList[0]: the request has no such field, header or"
        " query parameter (a typo?): no error could name it")


def test_expected_fields_may_be_headers_query_parameters_and_what_the_case_sets_or_removes(tmp_path):
    write(tmp_path, "team.json", case(request={"remove": ["queue_name"], "set": {"contactLists[1]": "x"},
                                               "headers": {"X-Ours": "1"}, "query": {"page": "2"}},
                                      expect={"status": 400, "fields": ["queue_name", "contactLists[1]", "IID",
                                                                        "accountId", "x-ours", "page"]}))
    assert "team/daily" in [loaded.id for loaded in load_suite(own=(tmp_path,)).cases]


def test_a_case_may_be_skipped_against_a_base_url_target_alone(tmp_path):
    """`skip` skipped a case everywhere: a case about the mock's own behaviour could not run on the mock alone."""
    write(tmp_path, "team.json", case(skip_remote="the mock's own assumption"), case(id="everywhere"))
    suite = load_suite(own=(tmp_path,))
    ours = [loaded for loaded in suite.cases if loaded.id.startswith("team/")]
    facts = tenant_facts(load_tenant(), {})
    local = Runner(suite, Target("http://127.0.0.1:9", facts, is_local=True), "ct-0000abcd-", allow_writes=False)
    remote = Runner(suite, Target("http://127.0.0.1:9", facts, is_local=False), "ct-0000abcd-", allow_writes=True)
    try:
        assert [local.skip_reason(loaded) for loaded in ours] == [None, None]
        assert [remote.skip_reason(loaded) for loaded in ours] == [
            "runs only on the in-process mock: the mock's own assumption", None]
    finally:
        local.close()
        remote.close()


def test_a_reason_to_skip_against_a_base_url_target_is_text(tmp_path):
    write(tmp_path, "team.json", case(skip_remote=True))
    with pytest.raises(ConfigError, match="case daily: skip_remote: the reason the case is skipped, as text"):
        load_cases(tmp_path)


@pytest.mark.parametrize(("document", "said"), [
    ({"group": "team", "cases": []}, "no cases: a case file holds at least one"),
    ({"group": "team", "descripton": "ours", "cases": [case()]},
     "unknown keys ['descripton'] ('descripton' for 'description'?); expected some of ['cases', 'description',"
     " 'group']"),
    # a key of the file misspelt was told only 'a case file is {"group": ..., "cases": [...]}'
    ({"group": "team", "case": [case()]},
     "unknown keys ['case'] ('case' for 'cases'?); expected some of ['cases', 'description', 'group']"),
    ({"groups": "team", "cases": [case()]},
     "unknown keys ['groups'] ('groups' for 'group'?); expected some of ['cases', 'description', 'group']"),
    ({"cases": [case()]}, 'a case file is {"group": ..., "cases": [...]}'),
])
def test_a_case_file_without_cases_or_with_a_key_misspelt_is_refused(tmp_path, document, said):
    """Both were read without a word: a file whose cases ran none, a file-level key that said nothing."""
    (tmp_path / "team.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == f"{tmp_path}/team.json: {said}"


@pytest.mark.parametrize(("description", "shown"), [
    (None, "null"), (True, "true"), ([], "[]"), ({}, "{}"), (1e308, "1e+308"), ("", '""'),
], ids=["null", "true", "array", "object", "number", "empty"])
def test_a_case_file_s_description_of_the_wrong_type_is_named_with_its_file(tmp_path, description, shown):
    """A case's `description` was held to text while the file's took any JSON value without a word: null, true, [],
    {}, 1e308 and "" were all read."""
    (tmp_path / "team.json").write_text(json.dumps({"group": "team", "description": description, "cases": [case()]}),
                                        encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == f"{tmp_path}/team.json: description: text (got {shown})"


def test_a_case_id_used_twice_names_both_files(tmp_path):
    write(tmp_path, "one.json", case())
    write(tmp_path / "more", "two.json", case())
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (f"{tmp_path}/one.json: case daily: case id 'team/daily' is used twice: also in"
                                  f" {tmp_path}/more/two.json: give one of the two another id")


def test_contract_cases_takes_one_case_file_and_refuses_a_folder_without_any(run_contract_suite, tmp_path):
    """A folder holding no case file (a wrong folder) added no case without a word."""
    write(tmp_path / "own", "team.json", case())
    (tmp_path / "empty").mkdir()
    one = run_contract_suite("--collect-only", "-q", "--contract-cases", str(tmp_path / "own" / "team.json"))
    assert one.ret == pytest.ExitCode.OK
    one.stdout.fnmatch_lines(["*test_contract?team/daily?"])
    none = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path / "empty"))
    assert none.ret == pytest.ExitCode.USAGE_ERROR
    none.stderr.fnmatch_lines([f"ERROR: contract suite: --contract-cases {tmp_path}/empty: no case files (*.json) in"
                               " this folder or its subfolders"])


def test_the_readmes_example_case_file_passes_on_the_mock(run_contract_suite, tmp_path):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing your own cases", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    (tmp_path / "team.json").write_text(example, encoding="utf-8")
    result = run_contract_suite("-q", "-rA", "--contract-cases", str(tmp_path), "-k", "team/")
    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes()["passed"] == len(json.loads(example)["cases"]) == 4


@pytest.mark.parametrize(("recipe", "said"), [
    ({"alg": "none", "bogus": 1}, "request.token: unknown keys ['bogus']; expected some of ['alg', 'app', 'claims',"
                                  " 'header', 'padded', 'repeat', 'secret', 'ttl']"),
    ({"alg": ["HS256"]}, "request.token.alg: \"none\" or one of [\"HS256\", \"HS384\", \"HS512\"] (got [\"HS256\"])"),
    ({"alg": "RS256"}, "request.token.alg: \"none\" or one of [\"HS256\", \"HS384\", \"HS512\"] (got \"RS256\")"),
    ({"ttl": "60"},
     "request.token.ttl: seconds, negative for an expired token, null for none (got \"60\"; numbers go without quotes:"
     " send 60)"),
    ({"claims": ["appId"]}, "request.token.claims: an object of claims, null to remove one (got [\"appId\"])"),
    ({"app": "second"}, "request.token.app: \"tenant\" or \"other\" (got \"second\")"),
    ({"secret": 5}, "request.token.secret: text (got 5)"),
    ({"claims": {"appid": None}}, 'request.token.claims.appid: null removes a claim, and the token has no "appid";'
                                  " its claims are sub, appId, iat, exp"),
    ({"header": ["kid"]}, 'request.token.header: an object of header parameters, null to remove one (got ["kid"])'),
    ({"header": {"alg": "none"}}, "request.token.header.alg: the recipe's own `alg` sets it"),
    ({"header": {"kid": None}}, 'request.token.header.kid: null removes a parameter, and the header has no "kid"; its'
                                " parameters are alg, typ"),
    ({"repeat": "appId"}, 'request.token.repeat: a list of claim names (got "appId")'),
    ({"repeat": ["appid"]}, 'request.token.repeat: the token has no "appid" to repeat; its claims are sub, appId, iat,'
                            " exp"),
    ({"repeat": ["exp"], "ttl": None}, 'request.token.repeat: the token has no "exp" to repeat; its claims are sub,'
                                       " appId, iat"),
    ({"repeat": ["sub"], "claims": {"sub": None, "aud": "x"}}, 'request.token.repeat: the token has no "sub" to'
                                                               " repeat; its claims are appId, iat, exp, aud"),
    ({"padded": "yes"}, 'request.token.padded: true or false (got "yes")'),
    # a RecursionError when the case ran: the token, built from its recipe, held itself
    ({"claims": {"appId": "{{auth.token}}"}}, "request.token: the recipe holds {{auth.token}}, the token it makes"),
    ({"header": {"kid": ["{{ auth.token }}"]}}, "request.token: the recipe holds {{auth.token}}, the token it makes"),
])
def test_a_token_recipe_the_suite_cannot_follow_is_refused_before_the_run(tmp_path, recipe, said):
    """It was a ConfigError traceback when the case ran (an unknown key, an alg), or a token of another shape."""
    write(tmp_path, "team.json", case(request={"token": recipe}, expect={"status": 401}))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == f"{tmp_path}/team.json: case daily: {said}"


def test_a_case_file_not_saved_as_utf8_says_so(tmp_path):
    data = json.dumps({"group": "team", "cases": [case(description="café")]}, ensure_ascii=False).encode("latin-1")
    (tmp_path / "team.json").write_bytes(data)
    offset = data.index("é".encode("latin-1"))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (f"{tmp_path}/team.json: not UTF-8 (byte 0xe9 at offset {offset}):"
                                  " save it as UTF-8")


def test_a_case_file_named_twice_is_read_once(tmp_path):
    """`--contract-cases ours --contract-cases ours/team.json` said each of its case ids was used twice, in itself."""
    write(tmp_path, "team.json", case())
    assert [loaded.id for loaded in load_cases(tmp_path, tmp_path / "team.json", tmp_path)] == ["team/daily"]


@pytest.mark.parametrize(("rule", "said"), [
    ({"status": 401, "why": "w"}, "expect[N]: needs a `match`, a shell-style pattern of case ids"),
    ({"match": "boundary/name/*", "staus": 401, "why": "w"},
     "expect[N]: unknown keys ['staus'] ('staus' for 'status'?); expected some of ['code', 'fields', 'match',"
     " 'may_create', 'status', 'why']"),
    ({"match": "boundary/name/*", "status": "401", "why": "w"},
     "expect[N].status: an HTTP status, 100 to 599 (got \"401\"; numbers go without quotes: send 401)"),
    ({"match": "boundary/nmae/*", "status": 400, "why": "w"},
     "expect[N]: match 'boundary/nmae/*' matches no derived case (a typo?)"),
    ({"match": "boundary/name/*", "status": 200, "may_create": True, "why": "w"},
     "expect[N].may_create: it marks a refusal (status 400 or above) that only the mock is known to make, and a case"
     " expecting 200 creates its campaign anyway, so it would change nothing: take it out"),
])
def test_a_mistake_in_the_boundary_settings_is_one_line(tmp_path, rule, said):
    """A rule without `match` or `status` was a KeyError traceback, a misspelt key or pattern did nothing."""
    shutil.copytree(CASES_DIR, tmp_path / "cases")
    settings = tmp_path / "cases" / "_boundaries.json"
    document = json.loads(settings.read_text(encoding="utf-8"))
    settings.write_text(json.dumps({**document, "expect": [*document["expect"], rule]}), encoding="utf-8")
    said = said.replace("expect[N]", f"expect[{len(document['expect'])}]")  # the rule added after the suite's own
    with pytest.raises(ConfigError) as refused:
        load_suite(tmp_path / "cases")
    assert str(refused.value) == f"{settings}: {said}"


@pytest.mark.parametrize("changes", [
    {"request": {"set": {"/dialingStrategy/maxRingTime": 60}}},
    {"request": {"remove": ["/dialingStrategy/maxRingTime"]}},
    {"expect": {"status": 400, "fields": ["/dialingStrategy/maxRingTime"]}},
])
def test_a_json_pointer_for_a_path_is_refused_saying_paths_are_dotted(tmp_path, changes):
    """A JSON pointer was read as one field named "/dialingStrategy/maxRingTime"."""
    write(tmp_path, "team.json", case(**changes))
    with pytest.raises(ConfigError, match=r"'/dialingStrategy/maxRingTime' is a JSON pointer: write the path dotted,"
                                          r" dialingStrategy\.maxRingTime"):
        load_cases(tmp_path)


@pytest.mark.parametrize("name", ["_draft.json", "_boundaries.json", "more/_base.json"])
def test_a_file_named_with_the_settings_prefix_in_a_teams_folder_is_refused_not_skipped(run_contract_suite, tmp_path,
                                                                                       name):
    """Files starting with "_" are the suite's own settings (fixtures/cases/_base.json, _boundaries.json): in a
    team's folder one was left out without a word, its cases never run, and a team's _boundaries.json changed
    nothing."""
    write(tmp_path / "own", "team.json", case())
    drafted = tmp_path / "own" / name
    write(drafted.parent, drafted.name, case(id="drafted"))
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path / "own"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        f"ERROR: contract suite: {tmp_path}/own/{name}: a name starting with '_' is kept for the suite's own settings"
        " (fixtures/cases/_base.json, _boundaries.json), which a case folder given to the suite cannot replace:"
        " rename it to run its cases, or keep a draft outside the folder or as *.json.draft"])


def test_a_settings_named_file_named_on_its_own_is_read_as_a_case_file(run_contract_suite, tmp_path):
    write(tmp_path, "_draft.json", case(id="drafted"))
    result = run_contract_suite("--collect-only", "-q", "--contract-cases", str(tmp_path / "_draft.json"))
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*test_contract?team/drafted?"])


def test_a_case_file_over_the_size_limit_is_refused_without_reading_it_whole(run_contract_suite, tmp_path):
    """A generated or runaway file was read whole, however large, before a word was said."""
    document = json.dumps({"group": "team", "description": "ours", "cases": [case()]})
    (tmp_path / "big.json").write_text(document + " " * (MAX_CASE_FILE_BYTES + 1 - len(document)), encoding="utf-8")
    write(tmp_path, "fits.json", case(id="fits"), group="fits")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (f"{tmp_path}/big.json: {MAX_CASE_FILE_BYTES + 1} bytes, over the 1 MiB a case file"
                                  " may be (a generated or runaway file?): split its cases into several files")
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {tmp_path}/big.json: * bytes, over the 1 MiB *"])


def test_a_case_file_at_the_size_limit_is_read(tmp_path):
    document = json.dumps({"group": "team", "description": "ours", "cases": [case()]})
    (tmp_path / "big.json").write_text(document + " " * (MAX_CASE_FILE_BYTES - len(document)), encoding="utf-8")
    assert [loaded.id for loaded in load_cases(tmp_path)] == ["team/daily"]


def nested(levels: int) -> object:
    value: object = "x"
    for _ in range(levels):
        value = [value]
    return value


def test_a_case_file_nested_past_the_limit_is_refused_in_one_line(run_contract_suite, tmp_path):
    """The suite walks a case recursively: a value 400 levels deep in a `set` was an INTERNALERROR (RecursionError),
    and so was a file nested past the JSON parser's own limit."""
    # the value's path is cases[0].request.set.x-deep: 5 levels before its own
    write(tmp_path / "over", "team.json", case(undocumented=["x-deep"], request={"set": {"x-deep": nested(96)}}))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path / "over")
    assert str(refused.value) == (f"{tmp_path}/over/team.json: nested 101 levels deep, over the {MAX_CASE_DEPTH} a case"
                                  ' file may be: to send a deeply nested body, write it as text ({"body": {"raw":'
                                  ' "[[[...]]]"}})')
    (tmp_path / "parser").mkdir()
    (tmp_path / "parser" / "team.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path / "parser"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: {tmp_path}/parser/team.json: nested too deep to read, over"
                                 " the 100 levels a case file may be: to send a deeply nested body, write it as text*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_case_file_nested_to_the_limit_runs(run_contract_suite, tmp_path):
    write(tmp_path, "team.json", case(undocumented=["x-deep"], request={"set": {"x-deep": nested(95)}}))
    result = run_contract_suite("-q", "--contract-cases", str(tmp_path), "-k", "team/")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    assert result.parseoutcomes()["passed"] == 1


def test_a_case_file_that_is_no_regular_file_is_refused_not_waited_on(tmp_path):
    """A named pipe called *.json in a case folder held the run at its start, waiting for a writer."""
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == f"{tmp_path}/pipe.json: not a regular file, so not a case file"


def test_a_named_pipe_given_as_the_case_file_is_refused_as_in_a_folder(tmp_path):
    """`--contract-cases pipe.json` was taken for a folder, and refused as one without case files."""
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path / "pipe.json")
    assert str(refused.value) == f"{tmp_path}/pipe.json: not a regular file, so not a case file"


def test_the_suites_own_folder_named_again_is_read_once_with_its_settings_files(run_contract_suite):
    result = run_contract_suite("--collect-only", "-q", "--contract-cases", str(CASES_DIR))
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    assert sum("test_contract[" in line for line in result.outlines) == len(load_suite().cases)


def test_hidden_files_and_folders_in_a_case_folder_are_not_read(tmp_path):
    """An editor's lock file (Emacs's .#team.json, a link to nothing while team.json is open) stopped the run as a
    file that cannot be read, and an editor's settings (.vscode/settings.json) as a file that is no case file."""
    own = tmp_path / ".contract-cases"  # the folder given may itself be hidden
    write(own, "team.json", case())
    (own / ".#team.json").symlink_to("someone@host.1234:1700000000")
    (own / ".vscode").mkdir()
    (own / ".vscode" / "settings.json").write_text('{"editor.tabSize": 2}', encoding="utf-8")
    assert [loaded.id for loaded in load_cases(own)] == ["team/daily"]


def test_a_key_given_twice_in_one_object_is_refused_not_read_as_the_last(tmp_path):
    """JSON keeps the last of two keys alike: a case given a second `expect` (pasted from another case) was judged by
    it alone, without a word."""
    text = ('{"group": "team", "description": "ours", "cases": [{"id": "daily", "description": "d",'
            ' "request": {"set": {"priority": "0"}}, "expect": {"status": 400, "fields": ["priority"]},'
            ' "expect": {"status": 200}}]}')
    (tmp_path / "team.json").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (f"{tmp_path}/team.json: the key 'expect' is given twice in one object (JSON would"
                                  " keep the last alone, without a word): keep one")


def test_a_linked_subfolder_is_read_and_a_link_loop_is_read_once(tmp_path):
    """pathlib's rglob does not go into a linked folder: a team's shared cases linked into its folder never ran."""
    write(tmp_path / "shared", "shared.json", case(id="shared"), group="shared")
    own = tmp_path / "own"
    write(own, "team.json", case())
    (own / "shared").symlink_to(tmp_path / "shared", target_is_directory=True)
    (own / "loop").symlink_to(own, target_is_directory=True)
    assert [loaded.id for loaded in load_cases(own)] == ["shared/shared", "team/daily"]


@pytest.mark.parametrize("name", ["team.yaml", "more/team.YML", "team.json5", "team.jsonc", "team.toml"])
def test_a_case_file_in_another_format_is_refused_not_skipped(tmp_path, name):
    """Cases written as YAML, JSON5 or TOML were skipped without a word: the run passed with none of them."""
    write(tmp_path, "team.json", case())
    (tmp_path / name).parent.mkdir(exist_ok=True)
    (tmp_path / name).write_text("cases: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (f"{tmp_path / name}: case files are JSON, and this file would not be read: write its"
                                  " cases as *.json (without comments), or keep it outside the case folder")


@pytest.mark.parametrize("name", ["team.yaml", "team.YML", "team.toml"])
def test_a_case_file_in_another_format_named_on_its_own_says_case_files_are_json(tmp_path, name):
    """In a folder such a file is refused unread; named on its own it was read as JSON, its line the parser's alone
    ("Expecting value: line 1 column 1"), which did not say that the format was the mistake."""
    (tmp_path / name).write_text("group: team\ncases: []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path / name)
    assert str(refused.value) == (f"{tmp_path / name}: not valid JSON: Expecting value: line 1 column 1 (char 0) (a"
                                  f" {name[4:]} file: case files are JSON alone, so write its cases as *.json)")


def test_a_json_case_file_named_yaml_is_read_when_named_on_its_own(tmp_path):
    (tmp_path / "team.yaml").write_text(json.dumps({"group": "team", "cases": [case()]}), encoding="utf-8")
    assert [loaded.id for loaded in load_cases(tmp_path / "team.yaml")] == ["team/daily"]


def test_other_files_in_a_case_folder_are_left_alone(tmp_path):
    write(tmp_path, "team.json", case())
    for name in ("README.md", "notes.txt", "team.json.draft", ".team.yaml"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert [loaded.id for loaded in load_cases(tmp_path)] == ["team/daily"]


def test_two_case_files_whose_names_differ_only_in_case_are_refused(tmp_path):
    """Both ran here; a checkout on a case-insensitive file system (macOS, Windows) holds one of the two alone, and
    there the other's cases were dropped without a word."""
    write(tmp_path, "Team.json", case())
    write(tmp_path, "team.json", case(id="other"))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path}/team.json: its name differs from Team.json's only in case: a case-insensitive file system"
        " (macOS, Windows) holds one of the two alone, and a run there would leave the other's cases out: rename one")


def test_case_files_of_one_name_in_two_folders_are_both_read(tmp_path):
    write(tmp_path / "a", "team.json", case())
    write(tmp_path / "b", "Team.json", case(id="other"))
    assert [loaded.id for loaded in load_cases(tmp_path)] == ["team/daily", "team/other"]


def test_a_case_file_named_twice_by_two_spellings_is_read_once(tmp_path):
    """On macOS `--contract-cases ours/Team.json --contract-cases ours/team.json` name one file, whose paths resolve
    apart (realpath keeps the case given): its case ids were said to be used twice, in itself. A hard link is the
    same: two names, one file."""
    write(tmp_path / "ours", "team.json", case())
    (tmp_path / "also").mkdir()
    os.link(tmp_path / "ours" / "team.json", tmp_path / "also" / "team.json")
    assert [loaded.id for loaded in load_cases(tmp_path / "ours", tmp_path / "also")] == ["team/daily"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_case_file_saved_as_utf16_says_so(tmp_path, encoding):
    """What Windows PowerShell's `>` writes: its byte order mark was "not UTF-8 (byte 0xff at offset 0)", and without
    one the NUL after each character was "not valid JSON: Expecting property name enclosed in double quotes"."""
    (tmp_path / "team.json").write_bytes(json.dumps({"group": "team", "cases": [case()]}).encode(encoding))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert str(refused.value) == (f"{tmp_path}/team.json: saved as UTF-16 (what Windows PowerShell's > and Out-File"
                                  " write, and Notepad calls \"Unicode\"), not UTF-8: save it as UTF-8 (Out-File"
                                  " -Encoding utf8)")


def test_a_case_file_that_links_nowhere_or_to_itself_is_one_line(tmp_path):
    """"cannot read: No such file or directory" named a file that `ls` lists: the link's target is what is missing;
    a link to itself was an INTERNALERROR, RuntimeError("Symlink loop"), from Path.resolve() up to Python 3.12."""
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "team.json").symlink_to(tmp_path / "moved" / "team.json")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "team.json").symlink_to(tmp_path / "loop" / "team.json")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path / "gone")
    assert str(refused.value) == (f"{tmp_path}/gone/team.json: cannot read: No such file or directory (a symbolic link"
                                  f" to {tmp_path}/moved/team.json, which is not there)")
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path / "loop")
    assert str(refused.value) == f"{tmp_path}/loop/team.json: cannot read: Too many levels of symbolic links"


def test_a_case_file_linked_through_a_chain_that_ends_nowhere_names_the_end(tmp_path):
    """a.json -> b.json -> c.json: "a symbolic link to b.json, which is not there" named a file `ls` lists."""
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("c.json")
    with pytest.raises(ConfigError) as refused:  # b.json, a link to c.json, is told too
        load_cases(tmp_path)
    assert (f"  {tmp_path}/a.json: cannot read: No such file or directory (a symbolic link to b.json, a link on to"
            f" {tmp_path}/c.json, which is not there)") in str(refused.value).splitlines()


def test_a_case_that_would_create_a_campaign_without_the_runs_prefix_skips_on_a_remote_target(tmp_path):
    """A case of one's own naming its campaign "My campaign" (or "x {{run.name}}", or "\\\\{{run.name}}") created it on
    a shared sandbox without the run's prefix, which the README says every campaign the suite creates carries."""
    write(tmp_path, "team.json", case(id="literal", request={"set": {"name": "My campaign"}}),
          case(id="after", request={"set": {"name": "x {{run.name}}"}}),
          case(id="setup", before=[{"set": {"name": "Setup campaign"}}], expect={"status": 409}),
          case(id="refused", request={"set": {"name": "My campaign", "priority": 0}}, expect={"status": 400}),
          case(id="prefixed", request={"set": {"name": "{{run.name}} daily"}}))
    suite = load_suite(own=(tmp_path,))
    ours = {loaded.id.removeprefix("team/"): loaded for loaded in suite.cases if loaded.id.startswith("team/")}
    facts = tenant_facts(load_tenant(), {})
    remote = Runner(suite, Target("http://127.0.0.1:9", facts, is_local=False), "ct-0000abcd-", allow_writes=True)
    local = Runner(suite, Target("http://127.0.0.1:9", facts, is_local=True), "ct-0000abcd-", allow_writes=True)
    try:
        skipped = {name: remote.run(ours[name]).skipped for name in ("literal", "after", "setup")}
        assert skipped == {
            "literal": "request would create a campaign named 'My campaign', without the run's prefix (ct-<8 hex>-)"
                       " that every campaign the suite creates on http://127.0.0.1:9 carries: start its name with"
                       " {{run.name}}",
            "after": skipped["after"], "setup": skipped["setup"]}
        assert skipped["after"].startswith("request would create a campaign named 'x ct-0000abcd-")
        assert skipped["setup"].startswith("before[0] would create a campaign named 'Setup campaign'")
        for name in ("refused", "prefixed"):  # a refusal expected, or the prefix first: sent (nothing listens here)
            assert remote.skip_reason(ours[name]) is None
            with pytest.raises(Exception, match="127.0.0.1:9"):
                remote.run(ours[name])
        with pytest.raises(Exception, match="127.0.0.1:9"):  # the in-process mock's database is thrown away
            local.run(ours["literal"])
    finally:
        remote.close()
        local.close()


@pytest.mark.parametrize("body", [{"json": {"name": "My campaign", "priority": 1}},
                                  {"raw": '{"name": "My campaign", "priority": 1}'}], ids=["json", "raw"])
def test_a_whole_body_that_would_create_a_campaign_without_the_runs_prefix_skips_on_a_remote_target(tmp_path, body):
    """A case sending its whole body (body.json, body.raw) named no campaign to the check, and created "My campaign"
    on a shared sandbox without the run's prefix."""
    write(tmp_path, "team.json", case(id="whole", request={"body": body}),
          case(id="prefixed", request={"body": {"json": {"name": "{{run.name}} daily"}}}))
    suite = load_suite(own=(tmp_path,))
    ours = {loaded.id.removeprefix("team/"): loaded for loaded in suite.cases if loaded.id.startswith("team/")}
    remote = Runner(suite, Target("http://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=False),
                    "ct-0000abcd-", allow_writes=True)
    try:
        assert (remote.run(ours["whole"]).skipped or "").startswith(
            "request would create a campaign named 'My campaign', without the run's prefix")
        with pytest.raises(Exception, match="127.0.0.1:9"):  # the prefix first: sent (nothing listens here)
            remote.run(ours["prefixed"])
    finally:
        remote.close()


def test_may_create_with_before_steps_marks_a_refusal_only_the_mock_makes(tmp_path):
    """A case with `before` steps ignored its `may_create`: a service that accepted the request failed it with the
    bare status, without the words that the mock is stricter there; and its skip without --allow-writes still says it
    creates a campaign (its before steps do, whatever the answer)."""
    write(tmp_path, "team.json", case(id="stricter", before=[{"set": {"name": "{{run.name}} first"}}],
                                      request={"set": {"priority": 0}}, expect={"status": 400}, may_create=True))
    suite = load_suite(own=(tmp_path,))
    [ours] = [loaded for loaded in suite.cases if loaded.id == "team/stricter"]
    assert ours.mock_only_refusal
    remote = Runner(suite, Target("http://127.0.0.1:9", tenant_facts(load_tenant(), {}), is_local=False),
                    "ct-0000abcd-", allow_writes=False)
    try:
        assert remote.skip_reason(ours) == "creates a campaign on http://127.0.0.1:9: pass --allow-writes to run it"
    finally:
        remote.close()
