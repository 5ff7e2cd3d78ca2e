"""The kore_mock fixture's plugin's name before it took its module's, `kore_mock`: an old command line naming it is
told in one line what to give now.

Kept as an entry point of its own, rather than pytest's "Error importing plugin "kore_mock": No module named
'kore_mock'" (`-p kore_mock`) or nothing at all (`-p no:kore_mock`, which left the plugin in). It does nothing else:
plugin autoload loads it in every run."""

from __future__ import annotations

import pytest

OLD, NEW = "kore_mock", "mockserver.pytest_plugin"


def renamed(early_config: pytest.Config) -> str | None:
    """The line for an old name among the run's `-p` values (the command line, PYTEST_ADDOPTS, an ini's addopts), or
    None."""
    given = [str(value).strip() for value in getattr(early_config.known_args_namespace, "plugins", None) or []]
    if f"no:{OLD}" in given and f"no:{NEW}" not in given:
        return (f"-p no:{OLD}: the kore_mock fixture's plugin is now named {NEW}, so it was not left out; give"
                f" -p no:{NEW}")
    if OLD in given:
        return (f"-p {OLD}: the kore_mock fixture's plugin is now named {NEW}; give -p {NEW} (or nothing, where"
                " plugins load on their own)")
    return None


def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    said = renamed(early_config)
    if said:
        raise pytest.UsageError(said)
