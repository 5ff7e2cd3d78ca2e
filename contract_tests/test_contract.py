"""One parametrised test over every contract case: hand-written (fixtures/cases) and derived from the schemas."""

from __future__ import annotations

import pytest

from contract_tests.calls import described
from contract_tests.cases import Case
from contract_tests.checks import ContractFailure, NoVerdictFailure, RunStopped
from contract_tests.plugin import suite_for
from contract_tests.runner import Result, Runner, TargetError


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "contract_case" in metafunc.fixturenames:
        cases = suite_for(metafunc.config).cases
        metafunc.parametrize("contract_case", [pytest.param(case, id=case.id) for case in cases])


@pytest.fixture
def contract_result(contract_case: Case, contract_runner: Runner, request: pytest.FixtureRequest) -> Result:
    """The case sent and its answer judged. When the target stops the run (no answer, a wrong address, refused
    credentials: every later case would end the same way), the case is an error at its setup, pytest's word for a
    test that could not run, in the terminal and in JUnit XML alike, with or without pytest-xdist; the session stops
    after it, and the run exits 4 (plugin.exit_status)."""
    try:
        return contract_runner.run(contract_case)
    except TargetError as exc:
        stopped = f"{contract_case.id}: {exc}"
    contract_runner.stopped = stopped  # raised outside the except block, so pytest shows no "during handling" chain
    request.session.shouldstop = f"contract suite: {stopped}"
    raise RunStopped(f"contract suite: {stopped}")


def test_contract(contract_case: Case, contract_result: Result) -> None:
    result = contract_result
    if result.skipped:
        pytest.skip(f"{contract_case.id}: {result.skipped}")
    if result.no_verdict:
        raise NoVerdictFailure(contract_case.id, result.no_verdict)
    if result.problems:
        sent = described(result.call) if result.call else None
        raise ContractFailure(contract_case.id, result.problems, f"{result.step}: {sent}" if result.step else sent)
