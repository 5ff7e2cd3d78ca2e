"""`mockserver parity A.json B.json`: the cases whose outcome differs between two contract reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockserver.cli import main
from mockserver.errors import ToolError
from mockserver.parity import load_report


def record(case_id: str, status: int | None = 400, fields=(), shape=("errors", "errors[].msg"), verdict="pass"):
    return {"id": case_id, "verdict": verdict, "status": status, "fields": list(fields), "shape": list(shape)}


def write(path, *records, target="t", **members) -> str:
    document = {"format": "kore-contract-report/1", "target": target, **members, "records": list(records)}
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_identical_outcomes_exit_0(tmp_path, capsys):
    a = write(tmp_path / "a.json", record("x/1", fields=["name"]), record("x/2", status=200, shape=["data"]))
    b = write(tmp_path / "b.json", record("x/1", fields=["name"]), record("x/2", status=200, shape=["data"]))
    assert main(["parity", a, b]) == 0
    assert "0 of 2 compared case(s) differ; 0 not compared" in capsys.readouterr().out


def test_a_report_an_editor_saved_with_a_byte_order_mark_is_read(tmp_path, capsys):
    """A report opened and saved in Notepad was refused with json's "decode using utf-8-sig", advice for Python
    code, not for whoever compares two runs."""
    a = write(tmp_path / "a.json", record("x/1"))
    b = write(tmp_path / "b.json", record("x/1"))
    Path(b).write_text("\ufeff" + Path(b).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["parity", a, b]) == 0
    assert "0 of 1 compared case(s) differ" in capsys.readouterr().out


def test_each_differing_aspect_is_printed_and_exits_1(tmp_path, capsys):
    a = write(tmp_path / "a.json", record("s/1", status=400), record("f/1", fields=["queue_name"]),
              record("r/1", status=200, shape=["data", "data.createdAt"]), target="mock")
    b = write(tmp_path / "b.json", record("s/1", status=200), record("f/1", fields=[]),
              record("r/1", status=200, shape=["data", "data.created_at"]), target="live")
    assert main(["parity", a, b]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"A: {a} (mock)" and out[1] == f"B: {b} (live)"
    assert "s/1: status: A 400, B 200" in out
    assert "f/1: error fields named: A ['queue_name'], B []" in out
    assert "r/1: response shape: only in A: data.createdAt; only in B: data.created_at" in out
    assert out[-1].startswith("3 of 3 compared case(s) differ")


def test_keys_under_an_object_only_one_side_has_are_counted_not_listed(tmp_path, capsys):
    """A 400 case answered 200 listed every key path of the created campaign, one line of some 900 characters."""
    created = ["data", "data.id", "data.days", "data.days[].day", "message"]
    a = write(tmp_path / "a.json", record("s/1", status=400, shape=["errors", "errors[].code", "errors[].msg"]))
    b = write(tmp_path / "b.json", record("s/1", status=200, shape=created))
    assert main(["parity", a, b]) == 1
    assert ("s/1: response shape: only in A: errors (and 2 keys under it); only in B: data (and 3 keys under it),"
            " message") in capsys.readouterr().out.splitlines()


def test_error_codes_that_differ_are_a_difference(tmp_path, capsys):
    """A service answering every refusal with another code than the mock (4003 for 4002) compared alike, exit 0,
    while the contract suite failed its 401 cases on that code: a client that reads the code meets the difference."""
    a = write(tmp_path / "a.json", {**record("auth/1", status=401), "codes": [4002]},
              {**record("body/1"), "codes": [4000]}, {**record("ok/1", status=200, shape=["data"]), "codes": []})
    b = write(tmp_path / "b.json", {**record("auth/1", status=401), "codes": [4003]},
              {**record("body/1"), "codes": [4000]}, {**record("ok/1", status=200, shape=["data"]), "codes": []})
    assert main(["parity", a, b]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[2:] == ["auth/1: error codes: A [4002], B [4003]",
                       "1 of 3 compared case(s) differ; 0 not compared (none)"]


def test_values_of_another_json_type_are_a_difference_where_both_answers_have_them(tmp_path, capsys):
    """Only the paths both answers have are compared on type: a key one lacks is a difference of shape alone."""
    types_a = {"data": "object", "data.maxRingTime": "number", "data.days[]": "object", "data.a": "string"}
    types_b = {"data": "object", "data.maxRingTime": "string", "data.days[]": "object or string"}
    a = write(tmp_path / "a.json", {**record("ok/1", status=200, shape=["data"]), "types": types_a},
              {**record("old/1", status=200, shape=["data"]), "types": {"data": "object"}})
    b = write(tmp_path / "b.json", {**record("ok/1", status=200, shape=["data"]), "types": types_b},
              record("old/1", status=200, shape=["data"]))  # written without types: not compared on them
    assert main(["parity", a, b]) == 1
    assert capsys.readouterr().out.splitlines()[2:] == [
        "ok/1: value types: data.days[] A object, B object or string; data.maxRingTime A number, B string",
        "1 of 2 compared case(s) differ; 0 not compared (none)"]


def test_a_record_with_types_that_are_not_names_is_refused(tmp_path):
    a = write(tmp_path / "a.json", {**record("ok/1", status=200), "types": {"data": 3}})
    with pytest.raises(ToolError, match="malformed record"):
        load_report(a)


def test_a_record_without_codes_is_not_compared_on_them(tmp_path, capsys):
    a = write(tmp_path / "a.json", {**record("auth/1", status=401), "codes": [4002]})
    b = write(tmp_path / "b.json", record("auth/1", status=401))
    assert main(["parity", a, b]) == 0, capsys.readouterr().out


def test_a_record_whose_codes_are_not_a_list_is_refused(tmp_path, capsys):
    a = write(tmp_path / "a.json", record("auth/1", status=401))
    b = write(tmp_path / "b.json", {**record("auth/1", status=401), "codes": "4002"})
    assert main(["parity", a, b]) == 2
    assert "malformed record (record 1:" in capsys.readouterr().err


def shared_difference_reports(tmp_path, extra: int) -> tuple[str, str]:
    """s/1 differs in status alone; x/1 ... x/N and y/1, y/2 share one difference each (B has one more key)."""
    many, two = [f"x/{n}" for n in range(1, extra + 1)], ["y/1", "y/2"]
    a = write(tmp_path / "a.json", record("s/1", status=400), *(record(i, status=200, shape=["data"]) for i in many),
              *(record(i, fields=["name"]) for i in two))
    b = write(tmp_path / "b.json", record("s/1", status=200),
              *(record(i, status=200, shape=["data", "data.extra"]) for i in many), *(record(i) for i in two))
    return a, b


def test_a_difference_many_cases_share_is_one_line_naming_how_many_and_the_first(tmp_path, capsys):
    """A live answer with one extra field gave 95 identical "response shape" lines, one per case."""
    a, b = shared_difference_reports(tmp_path, extra=95)
    assert main(["parity", a, b]) == 1
    assert capsys.readouterr().out.splitlines()[2:] == [
        "s/1: status: A 400, B 200",
        "95 cases: response shape: only in A: -; only in B: data.extra (x/1, x/2, x/3 and 92 more; -v lists every"
        " case)",
        "2 cases: error fields named: A ['name'], B [] (y/1, y/2)",
        "98 of 98 compared case(s) differ; 0 not compared (none)",
    ]


def test_verbose_lists_every_case_of_every_difference(tmp_path, capsys):
    a, b = shared_difference_reports(tmp_path, extra=4)
    assert main(["parity", "-v", a, b]) == 1
    assert capsys.readouterr().out.splitlines()[2:] == [
        "s/1: status: A 400, B 200",
        *(f"x/{n}: response shape: only in A: -; only in B: data.extra" for n in range(1, 5)),
        "y/1: error fields named: A ['name'], B []",
        "y/2: error fields named: A ['name'], B []",
        "7 of 7 compared case(s) differ; 0 not compared (none)",
    ]


def test_skipped_unanswered_or_missing_cases_are_counted_apart_not_compared(tmp_path, capsys):
    a = write(tmp_path / "a.json", record("x/1"), record("w/1"), record("gone/1"), record("only-a/1"))
    b = write(tmp_path / "b.json", record("x/1"), record("w/1", status=None, verdict="skip"),
              record("gone/1", status=None, verdict="fail"), record("only-b/1"))
    assert main(["parity", a, b]) == 3
    assert capsys.readouterr().out.splitlines()[-1] == ("incomplete: 0 of 1 compared case(s) differ; 4 not compared"
                                                        " (1 skipped, 1 failed without an answer, 2 missing in one"
                                                        " report)")


def test_a_report_that_stopped_early_is_incomplete_not_alike(tmp_path, capsys):
    """A live run that stopped after 2 of 5 cases (the target went down) exited 0: its 2 cases matched the mock's."""
    a = write(tmp_path / "a.json", *(record(f"x/{n}") for n in range(1, 6)), target="mock")
    b = write(tmp_path / "b.json", record("x/1"), record("x/2"), target="live", stopped="x/3: no answer")
    assert main(["parity", a, b]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[2:] == ["B stopped early, so it lacks the cases after: x/3: no answer",
                       "incomplete (B stopped early): 0 of 2 compared case(s) differ; 3 not compared (3 missing in one"
                       " report)"]


def test_reports_that_both_stopped_where_they_agree_are_still_incomplete(tmp_path, capsys):
    a = write(tmp_path / "a.json", record("x/1"), stopped="interrupted")
    b = write(tmp_path / "b.json", record("x/1"), stopped="-x")
    assert main(["parity", a, b]) == 3
    assert capsys.readouterr().out.splitlines()[-1] == ("incomplete (A and B stopped early): 0 of 1 compared case(s)"
                                                        " differ; 0 not compared (none)")


@pytest.mark.parametrize(("b_has", "why"), [
    ([record("x/1")], "1 missing in one report"),
    ([record("x/1"), record("x/2", status=503, verdict="no-verdict")], "1 no verdict"),
    ([record("x/1"), record("x/2", status=None, verdict="fail")], "1 failed without an answer"),
], ids=["missing", "no-verdict", "failed-without-an-answer"])
def test_a_case_one_report_did_not_check_makes_the_comparison_incomplete(tmp_path, capsys, b_has, why):
    a = write(tmp_path / "a.json", record("x/1"), record("x/2"))
    b = write(tmp_path / "b.json", *b_has)
    assert main(["parity", a, b]) == 3
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"incomplete: 0 of 1 compared case(s) differ; 1 not compared ({why})"


def test_skipped_cases_alone_leave_a_comparison_complete(tmp_path, capsys):
    """A skip is the run's own choice (no --allow-writes on a remote target, a fact its tenant lacks), the same on
    every run: it does not make a comparison incomplete."""
    a = write(tmp_path / "a.json", record("x/1"), record("w/1"))
    b = write(tmp_path / "b.json", record("x/1"), record("w/1", status=None, verdict="skip"))
    assert main(["parity", a, b]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 of 1 compared case(s) differ; 1 not compared (1 skipped)"


def test_a_difference_in_an_incomplete_comparison_keeps_exit_1(tmp_path, capsys):
    a = write(tmp_path / "a.json", record("x/1", status=400), record("x/2"))
    b = write(tmp_path / "b.json", record("x/1", status=200), stopped="x/2: no answer")
    assert main(["parity", a, b]) == 1
    # the differences come first (exit 1), but the line still says the comparison is incomplete: it did not
    assert capsys.readouterr().out.splitlines()[-1] == ("1 of 1 compared case(s) differ; 1 not compared (1 missing in"
                                                        " one report); incomplete (B stopped early)")


def test_nothing_compared_is_no_verdict_and_exits_2(tmp_path, capsys):
    """`0 of 0 compared case(s) differ` exited 0, as if the two targets agreed."""
    a = write(tmp_path / "a.json", record("w/1"), record("gone/1"))
    b = write(tmp_path / "b.json", record("w/1", status=None, verdict="skip"),
              record("gone/1", status=None, verdict="fail"))
    assert main(["parity", a, b]) == 2
    assert capsys.readouterr().out.splitlines()[-1] == (
        "nothing compared: no case has an answer in both reports (1 skipped, 1 failed without an answer); compare"
        " reports of runs that reached their targets, with the same cases selected")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read report"), ("{not json", "report is not JSON"), ('{"records": [1]}', "not a contract report"),
     ("[" * 100_000, "report is not JSON: nested too deeply")],
    ids=["missing", "not-json", "not-a-report", "nested-too-deeply"],
)
def test_unreadable_input_is_one_line_and_exit_2(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    good = write(tmp_path / "good.json", record("x/1"))
    assert main(["parity", str(bad), good]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"mockserver parity: error: {bad}: {message}")


WRITES = "pytest contract_tests --contract-report FILE writes"
NEWER = "mockserver parity reads kore-contract-report/1 ones (write both with the contract suite of this installation)"


@pytest.mark.parametrize(("document", "what"), [
    ({"format": "kore-contract-report/2", "records": [record("x/1")]}, f"a kore-contract-report/2 report: {NEWER}"),
    ({"format": "kore-contract-report", "records": [record("x/1")]}, f"a kore-contract-report report: {NEWER}"),
    ({"openapi": "3.1.0", "info": {}, "paths": {}},
     f'not a contract report: a JSON object with no "format" (its members: openapi, info, paths); {WRITES} one'),
    ({"format": "junit/1", "records": [record("x/1")]},
     f'not a contract report: a JSON object of format "junit/1"; {WRITES} one'),
    ({"format": 5}, f"not a contract report: a JSON object of format 5; {WRITES} one"),
    ([1, 2], f"not a contract report: a JSON array; {WRITES} one"),
    (None, f"not a contract report: JSON null; {WRITES} one"),
    ({"format": "kore-contract-report/1", "records": [{"id": "x/1"}, {"id": 3}]},
     f'a kore-contract-report/1 report with a malformed record (record 2: {{"id": 3}}); {WRITES} well-formed ones'),
], ids=["next-version", "no-version", "another-document", "another-format", "format-not-a-string", "array", "null",
        "malformed-record"])
def test_a_file_of_another_format_is_refused_in_one_line_saying_what_it_is(tmp_path, capsys, document, what):
    """A report of another format version, or a JSON file of something else with a "records" list, was compared."""
    other = tmp_path / "other.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    good = write(tmp_path / "good.json", record("x/1"))
    assert main(["parity", good, str(other)]) == 2
    assert capsys.readouterr().err == f"mockserver parity: error: {other}: {what}\n"


def test_the_error_members_only_the_mock_adds_are_not_drift(tmp_path, capsys):
    mock = ("errors", "errors[]", "errors[].code", "errors[].field", "errors[].hint", "errors[].msg")
    live = ("errors", "errors[]", "errors[].code", "errors[].msg")
    a = write(tmp_path / "a.json", record("auth/1", status=401, shape=mock), target="mock")
    b = write(tmp_path / "b.json", record("auth/1", status=401, shape=live), target="live")
    assert main(["parity", str(a), str(b)]) == 0
    b = write(tmp_path / "b.json", record("auth/1", status=401, shape=(*live, "errors[].detail")), target="live")
    assert main(["parity", str(a), str(b)]) == 1
    assert "only in A: -; only in B: errors[].detail" in capsys.readouterr().out


def test_the_header_says_when_each_run_ended_so_an_old_report_shows(tmp_path, capsys):
    """Reports archived night after night were named only by path and target: a report left from an earlier night
    read as tonight's."""
    a = write(tmp_path / "a.json", record("x/1"), target="mock")
    b = tmp_path / "b.json"
    b.write_text(json.dumps({"format": "kore-contract-report/1", "target": "live", "finishedAt":
                             "2026-11-25T02:00:07+00:00", "records": [record("x/1")]}), encoding="utf-8")
    assert main(["parity", a, str(b)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"A: {a} (mock)", f"B: {b} (live; finished 2026-11-25T02:00:07+00:00)"]


@pytest.mark.parametrize("member", [{"fields": 5}, {"fields": ["name", 3]}, {"shape": "data.id"}, {"shape": [None]}],
                         ids=["fields-number", "fields-item-number", "shape-string", "shape-item-null"])
def test_a_record_whose_fields_or_shape_are_not_lists_of_names_is_refused(tmp_path, capsys, member):
    """Compared as they were, `"fields": 5` was a traceback and `"shape": "data.id"` a shape of seven letters."""
    a = write(tmp_path / "a.json", record("auth/1", status=401))
    b = write(tmp_path / "b.json", {**record("auth/1", status=401), **member})
    assert main(["parity", a, b]) == 2
    assert "malformed record (record 1:" in capsys.readouterr().err


@pytest.mark.parametrize("malformed", [{"id": "x", "fields": 5}, {"id": 3}, {"id": "x", "shape": [["a"]]},
                                       {"id": "x", "status": "200"}])
def test_a_malformed_report_record_is_a_tool_error(tmp_path, malformed):
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"format": "kore-contract-report/1", "records": [malformed]}), encoding="utf-8")
    with pytest.raises(ToolError, match="a kore-contract-report/1 report with a malformed record"):
        load_report(report)


def test_the_help_s_verbose_example_says_what_verbose_prints(tmp_path, capsys):
    """`parity --help` said `-v` printed "every case compared, alike or not": it prints the cases that differ, one
    line per case and difference, and no line for a case alike in both."""
    import argparse

    from mockserver.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parity = sub.choices["parity"]
    verbose = next(action for action in parity._actions if "-v" in action.option_strings)
    example = next(line for line in parity.epilog.splitlines() if "parity -v" in line)
    assert example.split("# ", 1)[1] == verbose.help.split(" (default", 1)[0]
    a = write(tmp_path / "a.json", record("x/1"), record("x/2"))
    b = write(tmp_path / "b.json", record("x/1"), record("x/2", status=200))
    assert main(["parity", "-v", a, b]) == 1
    assert capsys.readouterr().out.splitlines()[2:] == ["x/2: status: A 400, B 200",
                                                         "1 of 2 compared case(s) differ; 0 not compared (none)"]
