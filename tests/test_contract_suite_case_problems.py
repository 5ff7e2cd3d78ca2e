"""Every mistake of the case files said at once, one a line naming its file and case: a file of cases carried over
from another harness was refused one case per run, as many runs as it had mistakes."""

from __future__ import annotations

import json

import pytest

from contract_tests.cases import load_cases
from contract_tests.mistakes import CaseProblems
from contract_tests.suite import load_suite
from mockserver.errors import ConfigError


def case(name: str, **changes) -> dict:
    return {"id": name, "description": "d", "subject": "priority", "expect": {"status": 400}, **changes}


def write(path, *cases: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"group": "team", "description": "ours", "cases": list(cases)}
    path.write_text(json.dumps(document), encoding="utf-8")


CARRIED_OVER = [
    case("fine", request={"set": {"priority": "0"}}),
    case("misspelt", expected={"status": 400}),
    case("quoted", expect={"status": "400"}),
    case("typo", request={"set": {"dialingStrategy.maxRingTme": 500}}),
    case("fine"),
]


def test_every_mistake_of_a_file_is_said_at_once(tmp_path):
    write(tmp_path / "own" / "team.json", *CARRIED_OVER)
    with pytest.raises(CaseProblems) as refused:
        load_suite(own=(tmp_path / "own",))
    where = f"{tmp_path}/own/team.json"
    lines = str(refused.value).splitlines()
    assert lines[0] == "4 problems in case files, each on a line below; the run starts once all are fixed"
    assert [line.split(": ", 3)[:2] for line in lines[1:]] == [
        [f"  {where}", "case misspelt"], [f"  {where}", "case quoted"], [f"  {where}", "case fine"],
        [f"  {where}", "case typo"]]


def test_one_mistake_is_said_as_before(tmp_path):
    write(tmp_path / "team.json", case("quoted", expect={"status": "400"}))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert not isinstance(refused.value, CaseProblems)
    assert str(refused.value).startswith(f"{tmp_path}/team.json: case quoted: expect.status: ")


def test_the_mistakes_of_several_files_are_said_file_by_file(tmp_path):
    write(tmp_path / "a.json", case("one"), case("x", expect={"status": "400"}))
    write(tmp_path / "b.json", case("two", expect={"status": "400"}), case("one"))
    write(tmp_path / "c.json", case("three", expect={"status": "400"}))
    with pytest.raises(CaseProblems) as refused:
        load_cases(tmp_path)
    said = [line.split(": ", 2)[:2] for line in str(refused.value).splitlines()[1:]]
    assert said == [[f"  {tmp_path}/a.json", "case x"], [f"  {tmp_path}/b.json", "case two"],
                    [f"  {tmp_path}/b.json", "case one"], [f"  {tmp_path}/c.json", "case three"]]


def test_a_run_says_them_all_in_its_usage_error(run_contract_suite, tmp_path):
    write(tmp_path / "own" / "team.json", *CARRIED_OVER)
    result = run_contract_suite("--collect-only", "--contract-cases", str(tmp_path / "own"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    where = f"{tmp_path}/own/team.json"
    result.stderr.fnmatch_lines([
        "ERROR: contract suite: 4 problems in case files, each on a line below; the run starts once all are fixed",
        f"  {where}: case misspelt: unknown keys ?'expected'?; *",
        f"  {where}: case quoted: expect.status: *",
        f"  {where}: case fine: case id 'team/fine' is used twice in this file*",
        f"  {where}: case typo: request.set: dialingStrategy.maxRingTme: *"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_a_file_refused_as_a_whole_keeps_the_mistakes_of_the_others(tmp_path):
    """A file not JSON, or with a key misspelt at its top, was raised alone: the mistakes found in the files read
    before it were dropped, and told only in the next run."""
    write(tmp_path / "a.json", case("x", expect={"status": "400"}))
    (tmp_path / "b.json").write_text('{"group": "two", "cases": [}', encoding="utf-8")
    write(tmp_path / "c.json", case("three", expect={"status": "400"}))
    with pytest.raises(CaseProblems) as refused:
        load_cases(tmp_path)
    said = [line.split(": ", 2)[:2] for line in str(refused.value).splitlines()[1:]]
    assert said == [[f"  {tmp_path}/a.json", "case x"], [f"  {tmp_path}/b.json", "not valid JSON"],
                    [f"  {tmp_path}/c.json", "case three"]]


def test_a_case_that_cannot_be_read_still_counts_for_the_ids_used_twice(tmp_path):
    """A case with a mistake was left out of the check of ids: its id's second use was said only once the mistake
    was fixed, a run later."""
    write(tmp_path / "team.json", case("same", expect={"status": "400"}), case("same"))
    with pytest.raises(CaseProblems) as refused:
        load_cases(tmp_path)
    said = [line.split(": ", 3)[1:3] for line in str(refused.value).splitlines()[1:]]
    assert said == [["case same", "expect.status"], ["case same", "case id 'team/same' is used twice in this file"]]


def test_an_id_used_in_two_files_is_said_whichever_case_cannot_be_read(tmp_path):
    write(tmp_path / "a.json", case("same"))
    write(tmp_path / "b.json", case("same", expect={"status": "400"}))
    with pytest.raises(CaseProblems) as refused:
        load_cases(tmp_path)
    lines = str(refused.value).splitlines()[1:]
    assert len(lines) == 2
    assert lines[1].startswith(f"  {tmp_path}/b.json: case same: case id 'team/same' is used twice:"
                               f" also in {tmp_path}/a.json")


def said_of(refused: pytest.ExceptionInfo) -> list[list[str]]:
    """Each problem line's case and what it names first."""
    return [line.split(": ", 3)[1:3] for line in str(refused.value).splitlines()[1:]]


def test_every_mistake_of_one_case_is_said_at_once(tmp_path):
    """A case's second mistake was said only once its first was fixed, a run later."""
    write(tmp_path / "own" / "team.json", case("many", skip=True, expect={"status": "400", "feilds": ["priority"]},
                                               request={"set": {"priority": "0"}, "hedaers": {}}))
    with pytest.raises(CaseProblems) as refused:
        load_suite(own=(tmp_path / "own",))
    assert said_of(refused) == [["case many", "skip"], ["case many", "request"], ["case many", "expect"],
                                ["case many", "expect.status"]]
    assert "unknown keys ['hedaers']" in str(refused.value) and "unknown keys ['feilds']" in str(refused.value)


def test_a_case_read_in_part_is_checked_against_the_base_request_too(tmp_path):
    """A mistake of the case file's form hid one its changes make to the base request (a misspelt path)."""
    write(tmp_path / "own" / "team.json", case("typo", skip=True, request={"set": {
        "dialingStrategy.maxRingTme": 500, "priorty": "1"}, "remove": ["dialingStrategy.callingHours.days[9]"]}))
    with pytest.raises(CaseProblems) as refused:
        load_suite(own=(tmp_path / "own",))
    lines = str(refused.value).splitlines()[1:]
    assert said_of(refused) == [["case typo", "skip"], ["case typo", "request.set"], ["case typo", "request.set"],
                                ["case typo", "request.remove"]]
    assert "dialingStrategy.maxRingTme: neither" in lines[1] and "(a typo of priority?)" in lines[2]


def test_a_key_misspelt_is_said_once_not_also_as_the_key_missing(tmp_path):
    misspelt = {key: value for key, value in case("misspelt", expected={"status": 400}, skip="").items()
                if key != "expect"}
    write(tmp_path / "team.json", misspelt)
    with pytest.raises(CaseProblems) as refused:
        load_cases(tmp_path)
    said = said_of(refused)
    assert [case for case, _ in said] == ["case misspelt"] * 2
    assert said[0][1].startswith("unknown keys ['expected'] ('expected' for 'expect'?)") and said[1][1] == "skip"


def test_a_case_without_an_id_is_named_alike_on_each_of_its_lines(tmp_path):
    """Its check against the base request named it "case None", its other mistake "case ?"."""
    nameless = case("x", request={"set": {"dialingStrategy.maxRingTme": 500}})
    del nameless["id"]
    write(tmp_path / "own" / "team.json", nameless)
    with pytest.raises(CaseProblems) as refused:
        load_suite(own=(tmp_path / "own",))
    lines = str(refused.value).splitlines()[1:]
    assert [line.split(": ", 2)[1] for line in lines] == ["case ?", "case ?"]


def test_an_empty_id_is_said_once(tmp_path):
    """It was said twice: the case needs an id, and the id "" is not one."""
    write(tmp_path / "team.json", case(""))
    with pytest.raises(ConfigError) as refused:
        load_cases(tmp_path)
    assert not isinstance(refused.value, CaseProblems)
    assert str(refused.value) == f"{tmp_path}/team.json: case : a case needs an `id` and a `description`"


def test_a_mistake_said_alike_twice_is_said_once(tmp_path):
    """One bad path in `set` and twice in `remove` gave three identical lines: "request: not a field path: 'a..b'"."""
    write(tmp_path / "own" / "team.json", case("twice", request={"set": {"a..b": 1}, "remove": ["a..b", "a..b"]}))
    with pytest.raises(ConfigError) as refused:
        load_suite(own=(tmp_path / "own",))
    lines = str(refused.value).splitlines()
    assert len(lines) == len(set(lines)) and "a..b" in str(refused.value), lines
