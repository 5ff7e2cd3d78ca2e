"""A pytest fixture for client test suites: `kore_mock`, a fresh mock per test (see mockserver.testing).

Installed with the package (entry point `pytest11`), so a test only names it:

    def test_my_client_creates_a_campaign(kore_mock):
        MyClient(kore_mock.url, kore_mock.token()).create(kore_mock.stream_id, body)
        assert [c["name"] for c in kore_mock.campaigns()] == [body["name"]]

`@pytest.mark.kore_mock(seed=1, clock="2025-12-04T10:50:56.762Z", RATE_LIMIT="60/min")` passes options on. Every
kore_mock marker that applies counts (the test's own, its class's, a module's `pytestmark`): their options are
merged, the closest marker's value winning for a key given twice, in pytest's `iter_markers` order.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING

import pytest

from mockserver.old_plugin_name import renamed

if TYPE_CHECKING:
    from mockserver.testing import RunningMock


CONTRACT_SUITE = "contract_tests"
# The suite's ini settings (contract_tests/settings.py reads them): name, type, help. Written out here rather than
# imported: a team's own `contract_tests` package, first on the path (`python -m pytest` in its repository), would
# stand in for the suite's as pytest starts, and fail every run of the team's there.
CONTRACT_INI = (
    ("contract_base_url", "string", "service the contract suite tests (see --base-url)"),
    ("contract_cases", "paths",
     "case folders or files the contract suite also runs, relative to this file (see --contract-cases)"),
)


def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """`pytest --pyargs contract_tests --base-url URL`, the way to run the contract suite from a regular install:
    pytest loads a conftest's options only from the paths on its command line, not from --pyargs names, so every
    option of the suite was refused as unrecognised. A --pyargs run naming the suite (or one of its modules) loads
    its plugin here, before the options are read; the suite's conftest then loads nothing more."""
    said = renamed(early_config)  # `-p no:kore_mock` leaves out the old name's entry point, not this plugin
    if said:
        raise pytest.UsageError(said)
    given = early_config.known_args_namespace
    named = [str(arg).split("::")[0].split(".")[0] for arg in getattr(given, "file_or_dir", None) or []]
    if getattr(given, "pyargs", False) and CONTRACT_SUITE in named:
        early_config.pluginmanager.import_plugin(f"{CONTRACT_SUITE}.plugin")


def pytest_addoption(parser: pytest.Parser) -> None:
    """The contract suite's ini settings, declared in every run: a team's ini file holds them for its
    `pytest --pyargs contract_tests` runs, and its runs of its own tests, which load no suite, refused them as unknown
    options under --strict-config (and warned of them without it)."""
    declare_contract_ini(parser)


def declare_contract_ini(parser: pytest.Parser) -> None:
    """Declare CONTRACT_INI, each setting once: this plugin and the suite's both call it (the suite's for a run
    without this one, under PYTEST_DISABLE_PLUGIN_AUTOLOAD)."""
    declared = getattr(parser, "_inidict", {})  # pytest has no public lookup
    for name, kind, help_text in CONTRACT_INI:
        if name not in declared:
            parser.addini(name, help_text, type=kind, default=[] if kind == "paths" else "")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "kore_mock(**options): options for the kore_mock fixture (running_mock's)")


class KoreMockMarkerWarning(pytest.PytestWarning):
    """A kore_mock marker that can have done nothing: `-W error::mockserver.pytest_plugin.KoreMockMarkerWarning`
    makes it a failure, `-W ignore::...` silences it."""


USED = pytest.StashKey[bool]()  # set on a test whose kore_mock fixture started


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Warn of a kore_mock marker set on the test itself when the test passed without the fixture: its options went
    nowhere (a mock the test starts itself, or a shared one, takes them where it is started). Not for a class's or a
    module's marker, which may cover tests that use the fixture beside some that do not; not when a fixture named
    kore_mock is among the test's (a team's own may read the marker), nor when the fixture was asked for as the test
    ran (request.getfixturevalue)."""
    yield  # raises for a test that failed or skipped: it may not have come to ask for the fixture
    own = [marker for marker in item.own_markers if marker.name == "kore_mock"]
    if own and not item.stash.get(USED, False) and "kore_mock" not in getattr(item, "fixturenames", ()):
        options = ", ".join(f"{key}={value!r}" for key, value in own[0].kwargs.items())
        item.warn(KoreMockMarkerWarning(
            f"@pytest.mark.kore_mock({options}) does nothing on {item.name}: the test does not use the kore_mock"
            f" fixture, which reads it (a mock the test starts itself is given its options there: running_mock("
            f"{options}))"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """The warning made a failure (-W error) reported as its one line, not as a traceback through this plugin."""
    report = yield
    if call.excinfo is not None and isinstance(call.excinfo.value, KoreMockMarkerWarning):
        report.longrepr = f"{type(call.excinfo.value).__name__}: {call.excinfo.value}"
    return report


@pytest.fixture
def kore_mock(request: pytest.FixtureRequest) -> Iterator[RunningMock]:
    """A fresh mock for the test, in-process on an ephemeral 127.0.0.1 port (a mockserver.testing.RunningMock: url,
    endpoint, headers, sample_request(), journal(), campaigns(), add_fault(), reset(), ...), stopped after it.
    @pytest.mark.kore_mock(seed=1, clock=..., RATE_LIMIT=...) passes running_mock's options."""
    from mockserver.errors import ToolError
    from mockserver.store_hard_links import WARNED_BY
    from mockserver.testing import UnknownOption, started  # imported when a test asks, not at every start

    with ExitStack() as stack:
        try:  # a refusal names the marker's option (seed=), not running_mock's, which the test never called
            request.node.stash[USED] = True
            warned_by = WARNED_BY.set(request.node.warn)  # a HardLinkWarning at the test, not in this plugin
            try:
                mock = stack.enter_context(started(marker_options(request.node), "@pytest.mark.kore_mock"))
            finally:
                WARNED_BY.reset(warned_by)
        except (UnknownOption, ToolError) as exc:  # a marker's option: the fixture's and factory's frames say nothing
            refusal = f"kore_mock could not start the mock: {exc}"
        else:
            refusal = None
        if refusal is not None:  # failed outside the except block, so pytest does not show the refusal twice
            pytest.fail(refusal, pytrace=False)
        yield mock


def marker_options(node: pytest.Item) -> dict[str, object]:
    """The options of every kore_mock marker on the test, its class and its module, merged: for an option given more
    than once, the closest marker's value (iter_markers yields the closest first; of two markers stacked on one
    test, the one nearer the `def`), whichever way each spelt it (a test's seed= wins over its module's SEED=), kept
    as that marker spelt it, so that a refusal names the option as written. Only the closest marker counted once, so
    a module's `pytestmark` clock was dropped without a word when the test had a marker of its own. Both spellings in
    one marker are left for running_mock to refuse."""
    from mockserver.testing import SPELLINGS

    own = {key: name for name, key in SPELLINGS.items()}
    options: dict[str, object] = {}
    for marker in node.iter_markers("kore_mock"):
        if marker.args:
            pytest.fail(f"@pytest.mark.kore_mock takes options by name, e.g. kore_mock(seed=1) (got {marker.args!r})",
                        pytrace=False)
        given = {own.get(key, key) for key in options}  # by the closer markers
        options.update({key: value for key, value in marker.kwargs.items() if own.get(key, key) not in given})
    return options
