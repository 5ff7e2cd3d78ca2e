"""The kore_mock fixture's plugin's name before it took its module's, `kore_mock`: an old command line, PYTEST_PLUGINS
or conftest naming it is told in one line what to give now.

Kept as an entry point of its own, rather than pytest's "Error importing plugin "kore_mock": No module named
'kore_mock'" (`-p kore_mock`) or nothing at all (`-p no:kore_mock`, which left the plugin in). It does nothing else:
plugin autoload loads it in every run. A pytest before 9.1 imports the names PYTEST_PLUGINS and `pytest_plugins` give
as modules, without looking at entry points: it says "No module named 'kore_mock'", as no top-level module of that name
is installed (one would take the name from a team's own module or plugin)."""

from __future__ import annotations

import os

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


def named_otherwise(config: pytest.Config) -> str | None:
    """The line for the old name loaded by PYTEST_PLUGINS or a conftest's `pytest_plugins` where plugins do not load on
    their own: the fixture's plugin is not there (a test asking for `kore_mock` said only "fixture 'kore_mock' not
    found"). None where it is, or is left out by name."""
    manager = config.pluginmanager
    if manager.is_blocked(NEW) or any(getattr(plugin, "__name__", None) == NEW for plugin in manager.get_plugins()):
        return None
    given = [name.strip() for name in os.environ.get("PYTEST_PLUGINS", "").split(",")]
    where = f"PYTEST_PLUGINS={os.environ['PYTEST_PLUGINS']}" if OLD in given else f'pytest_plugins = ["{OLD}"]'
    return f"{where}: the kore_mock fixture's plugin is now named {NEW}; name {NEW} there"


def pytest_configure(config: pytest.Config) -> None:
    said = named_otherwise(config)
    if said:
        raise pytest.UsageError(said)
