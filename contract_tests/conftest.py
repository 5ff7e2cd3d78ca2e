"""Loads the contract suite's pytest plugin for every run that includes this directory, unless it is loaded already
(by `-p contract_tests.plugin`, or by mockserver.pytest_plugin for `pytest --pyargs contract_tests`).

The plugin loads for --pyargs because pytest would otherwise refuse the suite's options: it reads a conftest's
options only from the paths given, not from --pyargs names.
"""

from __future__ import annotations

import pytest

PLUGIN = "contract_tests.plugin"


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not pluginmanager.has_plugin(PLUGIN):
        pluginmanager.import_plugin(PLUGIN)  # its own pytest_addoption is called as it is registered
