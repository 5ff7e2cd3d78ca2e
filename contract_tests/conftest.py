"""The contract suite's pytest plugin, loaded for every run that includes this directory."""

from contract_tests.plugin import *  # noqa: F403 -- pytest finds hooks and fixtures by name in a conftest
