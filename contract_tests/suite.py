"""The whole suite as data: the contract, the base request, the hand-written cases and the derived boundaries."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from contract_tests import boundaries
from contract_tests.calls import Base, check_case, load_base
from contract_tests.cases import Case, check_boundary_rule, load_folders, read_json, refuse_unknown
from contract_tests.checks import Checker, echoed_paths
from contract_tests.mistakes import each_problem, raise_all
from mockserver.contract import Contract, load_contract
from mockserver.ecma_pattern import Validator
from mockserver.errors import ConfigError
from mockserver.paths import CASES_DIR, ENVELOPE_SCHEMA, display


@dataclass
class Suite:
    contract: Contract
    base: Base
    checker: Checker
    cases: list[Case]
    counts: tuple[tuple[Path, int], ...] = ()  # each case folder (the suite's, then --contract-cases) and its cases
    numbers: dict[str, int] = field(init=False)  # case id -> 1-based position, stable however a run is filtered

    def __post_init__(self) -> None:
        self.numbers = {case.id: index for index, case in enumerate(self.cases, start=1)}


def boundary_cases(contract: Contract, base: Base, settings_file: Path) -> list[Case]:
    raw = read_json(settings_file)
    where = display(settings_file)
    if isinstance(raw, dict):  # "expects" misspelt left every derived case at its default, without a word
        refuse_unknown(raw, {"description", "expect"}, where)
    rules = raw.get("expect", []) if isinstance(raw, dict) else None
    if not isinstance(rules, list):
        raise ConfigError('boundary settings are {"expect": [rules]}', where)
    settings = boundaries.Settings(expect=[check_boundary_rule(rule, where, f"expect[{i}]")
                                           for i, rule in enumerate(rules)])
    parts = [
        boundaries.Part("request", "", base.body()),
        boundaries.Part("query", "query.", base.query),
        boundaries.Part("headers", "header.", {name.lower(): value for name, value in base.headers.items()}),
    ]
    derived = boundaries.derive(parts, contract.schemas, settings)
    for index, rule in enumerate(settings.expect):  # a misspelt pattern left the case it was meant for as it was
        if not any(fnmatch.fnmatchcase(case.id, rule["match"]) for case in derived):
            raise ConfigError(f"expect[{index}]: match {rule['match']!r} matches no derived case (a typo?)", where)
    return derived


def load_suite(cases_dir: Path = CASES_DIR, schemas_dir: Path | None = None, own: tuple[Path, ...] = ()) -> Suite:
    """The suite's cases, then those of each folder in `own` (--contract-cases), then the derived boundaries."""
    contract = load_contract(schemas_dir)
    base = load_base(cases_dir / "_base.json", contract)
    checker = Checker(
        response=Validator(contract.response, format_checker=boundaries.format_checker()),  # createdAt's date-time
        sample_response=contract.sample_response,
        echoed=echoed_paths(contract.sample_request, contract.sample_response["data"]),
        envelope=Validator(read_json(ENVELOPE_SCHEMA)),
        name_field=base.name_field,
    )
    problems: list[ConfigError] = []  # every mistake in the case files, said at once
    folders = load_folders(cases_dir, *own, settings_in=cases_dir, problems=problems)
    written = [case for _, cases in folders for case in cases]
    for case in written:
        try:
            check_case(case, base, contract.schemas)
        except ConfigError as exc:
            problems += each_problem(exc)
    raise_all(problems)
    cases = written + boundary_cases(contract, base, cases_dir / "_boundaries.json")
    return Suite(contract=contract, base=base, checker=checker, cases=cases,
                 counts=tuple((folder, len(cases)) for folder, cases in folders))
