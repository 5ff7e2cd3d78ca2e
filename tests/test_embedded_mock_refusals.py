"""An option's value the mock cannot use, given to running_mock or a kore_mock marker: refused naming the option as
the caller gave it (`running_mock(clock=...)`), not as the command line spells it (`--clock (config CLOCK)`)."""

from __future__ import annotations

import pytest

from mockserver.app import DEFAULTS, create_app
from mockserver.errors import ConfigError
from mockserver.testing import UnknownOption, running_mock

# Each option as a caller may give it, a value refused, and what is wrong with it
REFUSED = [
    ("tenant", 123, "must be a file name (str or Path), a Tenant or the file's document (a dict) (got 123)"),
    ("TENANT", "", "must be a file name, not empty"),
    ("seed", "abc", "must be a whole number (got 'abc')"),
    ("SEED", 1.5, "must be a whole number (got 1.5)"),
    ("clock", "yesterday", "is not an ISO 8601 time: 'yesterday'"),
    ("CLOCK", "2025-12-04Z", "needs a time of day as well as its zone (got '2025-12-04Z'), e.g. 2025-12-04T00:00:00Z"),
    ("database", 5, "must be a file name (str or Path) (got 5)"),
    ("DATABASE", "", "must be a file name, not empty"),
    ("SCHEMAS_DIR", 5, "must be a folder name (str or Path) (got 5)"),
    ("MAX_BODY_BYTES", 0, "must be a whole number from 1 to 104,857,600 (got 0)"),
    ("IDLE_TIMEOUT", 0, "must be a whole number from 1 to 3,600 (got 0)"),
    ("BODY_TIMEOUT", "20", "must be a whole number from 1 to 3,600 (got '20')"),
    ("JOURNAL", "yes", "must be True or False (got 'yes')"),
    ("JOURNAL_LIMIT", -1, "must be a whole number from 1 to 1,000,000,000 (got -1)"),
    ("RATE_LIMIT", "60/minute!", "must be N/UNIT, N requests from 1 to 1,000,000,000 per UNIT (s, min or hour, with a"
                                 " count if more than 1, up to a day), e.g. 60/min, 10/s, 1000/hour or 100/5min (got"
                                 " '60/minute!')"),
    ("REQUEST_LOG", "no", "must be True or False (got 'no')"),
    ("ADMIN_TOKEN", "a b", "must be 1 to 256 printable ASCII characters without spaces"),
    ("FORWARDED_ALLOW_IPS", "10.0.0.300", "must be addresses or networks separated by commas, or * (got '10.0.0.300'"
                                          " in '10.0.0.300')"),
    ("CORS", "localhost:3000", "must be True for any origin, or origins as scheme://host[:port], comma-separated, e.g."
                               " http://localhost:3000,https://qa.example (got 'localhost:3000')"),
]
# serve's own, which it fills in for its workers: refused as options whatever their value (below)
INTERNAL = {"TENANT_TEXT", "DATABASE_FILE_ID"}


def test_every_option_has_a_refusal_checked():
    assert {name.upper() for name, _, _ in REFUSED} == set(DEFAULTS) - INTERNAL


@pytest.mark.parametrize(("name", "value", "said"), REFUSED, ids=[name for name, _, _ in REFUSED])
def test_running_mock_names_the_option_as_given(name, value, said, tmp_path, monkeypatch):
    """running_mock(clock="yesterday") was refused as `--clock (config CLOCK) is not an ISO 8601 time`: words of a
    command line the caller never typed."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as refused:
        with running_mock(**{name: value}):
            pass
    assert str(refused.value) == f"running_mock({name}=...) {said}"
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    assert not list(tmp_path.iterdir())


# The factory takes no dict for a tenant, and its words say so
FACTORY = [("tenant", 123, "must be a file name (str or Path), or a Tenant (got 123)"), *REFUSED[1:4]]


@pytest.mark.parametrize(("name", "value", "said"), FACTORY, ids=[name for name, _, _ in FACTORY])
def test_the_app_factory_names_both_spellings_still(name, value, said, tmp_path):
    """create_app, which `mockserver serve` builds its app with, keeps the command line's words beside the key."""
    with pytest.raises(ConfigError) as refused:
        create_app({"DATABASE": str(tmp_path / "mock.sqlite3"), name.upper(): value})
    assert str(refused.value).endswith(f"(config {name.upper()}) {said}")
    assert str(refused.value).startswith("--")


@pytest.mark.parametrize(("key", "instead"), [
    ("TENANT_TEXT", "give tenant= the tenant file, a Tenant or the file's document (a dict)"),
    ("DATABASE_FILE_ID", "give database= the database file"),
])
def test_a_key_serve_fills_in_is_not_an_option(key, instead, tmp_path, monkeypatch):
    """running_mock(TENANT_TEXT="x") was refused as "fixtures/tenant.json: tenant file is not valid JSON", a file the
    caller never named, and DATABASE_FILE_ID pinned the database to a file whose inode the caller could not know."""
    monkeypatch.chdir(tmp_path)
    for value in ("{}", (1, 2), 5):
        with pytest.raises(UnknownOption) as refused:
            with running_mock(**{key: value}):
                pass
        assert str(refused.value) == (f"running_mock() got {key}, a key `mockserver serve` fills in for its workers"
                                      f" rather than an option: {instead}")
    with pytest.raises(UnknownOption, match="unknown option.*; it takes .*CORS$") as refused:
        with running_mock(TENANT_TXT="{}"):
            pass
    assert key not in str(refused.value)
    assert not list(tmp_path.iterdir())


def test_a_marker_names_its_own_option_as_given(pytester, monkeypatch):
    """@pytest.mark.kore_mock(clock="yesterday") failed the test's setup with `--clock (config CLOCK) ...`, and a typo
    with `running_mock() got unknown option(s)`: neither a command line nor running_mock was in the test."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    tests = "".join(f"\n\n@pytest.mark.kore_mock({name}={value!r})\ndef test_{number}(kore_mock):\n    pass\n"
                    for number, (name, value, _) in enumerate(REFUSED))
    pytester.makepyfile(test_markers=f"import pytest{tests}\n\n@pytest.mark.kore_mock(rate_limit='1/s')\n"
                                     "def test_typo(kore_mock):\n    pass\n")
    monkeypatch.chdir(pytester.path)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=len(REFUSED) + 1)
    result.stdout.fnmatch_lines_random([
        *(f"kore_mock could not start the mock: @pytest.mark.kore_mock({name}=...) {said}"
          for name, _, said in REFUSED),
        "kore_mock could not start the mock: @pytest.mark.kore_mock got unknown option(s) 'rate_limit'"
        " (did you mean RATE_LIMIT?); it takes *",
    ])
    assert "(config " not in result.stdout.str()


MERGED = '''
import pytest

pytestmark = pytest.mark.kore_mock(clock="yesterday", SEED="abc")


@pytest.mark.kore_mock(CLOCK="2025-12-04Z", seed=1)
def test_closer(kore_mock):
    pass


@pytest.mark.kore_mock(RATE_LIMIT="1/s")
def test_module(kore_mock):
    pass
'''


def test_a_merged_marker_names_the_option_as_the_marker_that_won_spelt_it(pytester, monkeypatch):
    """A module's SEED= was named seed= once merged with a test's own markers."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pytester.makepyfile(test_merged=MERGED)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines([
        "kore_mock could not start the mock: @pytest.mark.kore_mock(CLOCK=...) needs a time of day *",
        "kore_mock could not start the mock: @pytest.mark.kore_mock(SEED=...) must be a whole number"
        " (got 'abc')",
    ])
