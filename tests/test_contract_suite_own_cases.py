"""A team's own case files: in a folder of its own (--contract-cases), selected by id, and every mistake in one
is one usage line naming the file, the case and the problem, before any case runs."""

from __future__ import annotations

import json

import pytest

from contract_tests.cases import load_cases


def case(**changes) -> dict:
    return {"id": "daily", "description": "d", "subject": "priority", "expect": {"status": 200}, **changes}


def write(folder, name: str, *cases: dict, group: str = "team") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"group": group, "description": "ours", "cases": list(cases)}),
                               encoding="utf-8")


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
    result.stderr.fnmatch_lines([f"ERROR: contract suite: --contract-cases {tmp_path}/nope: no such folder"])
