"""--contract-cases given the pytest-base-url way: the option wins over $CONTRACT_CASES (several paths joined with
os.pathsep), which wins over the `contract_cases` ini setting (paths relative to the ini file); an empty one is
refused rather than read as none given, which ran the suite's own cases alone and passed."""

from __future__ import annotations

import json
import os

import pytest


def write(folder, group: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    case = {"id": "daily", "description": "d", "subject": "priority", "expect": {"status": 200}}
    (folder / f"{group}.json").write_text(json.dumps({"group": group, "description": "ours", "cases": [case]}),
                                          encoding="utf-8")


def groups(result: pytest.RunResult) -> set[str]:
    """The groups of the team cases collected (those written here are named after their folder)."""
    return {line.split("[", 1)[1].split("/", 1)[0] for line in result.outlines
            if "test_contract[" in line and line.split("[", 1)[1].startswith(("opt", "env", "ini"))}


@pytest.fixture
def folders(tmp_path):
    for name in ("opt", "env1", "env2", "ini"):
        write(tmp_path / name, name)
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\ncontract_cases = ini\n", encoding="utf-8")  # relative to the ini file
    return tmp_path


def test_the_option_wins_over_the_environment_which_wins_over_the_ini(run_contract_suite, monkeypatch, folders):
    ini = ("-c", str(folders / "pytest.ini"))
    from_ini = run_contract_suite("--collect-only", "-q", *ini)
    assert from_ini.ret == pytest.ExitCode.OK, from_ini.stderr.str()
    assert groups(from_ini) == {"ini"}
    monkeypatch.setenv("CONTRACT_CASES", os.pathsep.join([str(folders / "env1"), str(folders / "env2" / "env2.json")]))
    from_env = run_contract_suite("--collect-only", "-q", *ini)
    assert groups(from_env) == {"env1", "env2"}
    from_option = run_contract_suite("--collect-only", "-q", *ini, "--contract-cases", str(folders / "opt"))
    assert groups(from_option) == {"opt"}


def test_the_header_names_where_the_cases_came_from(run_contract_suite, monkeypatch, folders):
    monkeypatch.setenv("CONTRACT_CASES", str(folders / "env1"))
    result = run_contract_suite("--collect-only")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"contract cases: * from *fixtures/cases, 1 from {folders}/env1 ($CONTRACT_CASES),"
                                 " * derived boundaries"])


@pytest.mark.parametrize(("value", "said"), [
    ("", "$CONTRACT_CASES is set but empty"),
    (f"{{folder}}{os.pathsep}", "$CONTRACT_CASES has an empty entry"),
])
def test_an_empty_variable_or_entry_is_refused_not_read_as_none(run_contract_suite, monkeypatch, folders, value,
                                                                said):
    monkeypatch.setenv("CONTRACT_CASES", value.format(folder=folders / "env1"))
    result = run_contract_suite("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert said in result.stderr.str()
    assert "Traceback" not in result.stderr.str()


def test_a_folder_in_the_variable_that_does_not_exist_is_named_with_the_variable(run_contract_suite, monkeypatch,
                                                                               tmp_path):
    monkeypatch.setenv("CONTRACT_CASES", str(tmp_path / "nope"))
    result = run_contract_suite("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: contract suite: $CONTRACT_CASES {tmp_path}/nope: no such file or folder"])


def test_an_empty_option_is_refused(run_contract_suite):
    result = run_contract_suite("--collect-only", "--contract-cases", "")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "argument --contract-cases: empty value" in result.stderr.str()
