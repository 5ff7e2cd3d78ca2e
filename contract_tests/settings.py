"""Settings a CI job gives in one of three places, the pytest-base-url way: a command-line option, an environment
variable, an ini setting.

The first of them that is given wins; one given empty (`--base-url "$URL"` with URL unset,
a CI secret that did not load) stops the run, rather than be read as none given and test something else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from mockserver.errors import ToolError


@dataclass(frozen=True)
class Setting:
    flag: str  # the option, --base-url
    env: str  # the environment variable, CONTRACT_BASE_URL
    ini: str  # the ini setting, contract_base_url (declared in mockserver.pytest_plugin.CONTRACT_INI)
    wanted: str  # what to set it to, in a refusal: "the service's URL"
    without: str  # what a run without it does, in a refusal: "test the in-process mock"
    several: bool = False  # a repeatable option; the variable joins its paths with os.pathsep; the ini takes paths

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


BASE_URL = Setting("--base-url", "CONTRACT_BASE_URL", "contract_base_url", "the service's URL",
                   "test the in-process mock")
CASES = Setting("--contract-cases", "CONTRACT_CASES", "contract_cases",
                f"case folders or files, joined with {os.pathsep!r}", "run the suite's own cases alone", several=True)


@dataclass(frozen=True)
class Given:
    values: tuple[str, ...]  # empty: not given anywhere
    source: str  # where they came from, in a message: "--contract-cases", "$CONTRACT_CASES", "ini contract_cases"


def given(config: pytest.Config, setting: Setting, check: bool = False) -> Given:
    """The setting's value(s) from the first place that gives them; with `check`, ToolError for an empty one (an
    empty option is read as none given otherwise: pytest-base-url sets its option to its empty ini setting)."""
    option = config.getoption(setting.dest, None)
    if option == "" and check:  # ours refuse an empty value as they parse it; another plugin's --base-url may not
        raise ToolError(f"{setting.flag} is empty (a variable in the command line that is not set?): give"
                        f" {setting.wanted}, or leave the option out to {setting.without}")
    if option:
        return Given(tuple(option) if setting.several else (option,), setting.flag)
    variable = os.environ.get(setting.env)
    if variable == "" and check:
        raise ToolError(f"${setting.env} is set but empty: set it to {setting.wanted}, or unset it to"
                        f" {setting.without}")
    if variable:
        values = tuple(variable.split(os.pathsep)) if setting.several else (variable,)
        if "" in values and check:  # a path list's empty entry reads as the working folder, every *.json under it
            raise ToolError(f"${setting.env} has an empty entry ({variable!r}): give {setting.wanted}")
        return Given(tuple(value for value in values if value), f"${setting.env}")
    try:
        ini = config.getini(setting.ini)
    except (TypeError, ValueError) as exc:  # pyproject.toml's value of the wrong type
        raise ToolError(f"ini {setting.ini}: {exc}") from None
    values = tuple(str(value) for value in ini) if setting.several else ((ini,) if ini else ())
    return Given(values, f"ini {setting.ini}" if values else "")
