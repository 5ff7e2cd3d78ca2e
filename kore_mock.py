"""The kore_mock fixture's plugin's old name, for a pytest that imports what PYTEST_PLUGINS and `pytest_plugins` name
as a module (before 9.1; later ones load the entry point of that name): it says what to give now, rather than "No
module named 'kore_mock'". See mockserver/old_plugin_name.py."""

from __future__ import annotations

from mockserver.old_plugin_name import pytest_configure, pytest_load_initial_conftests

__all__ = ["pytest_configure", "pytest_load_initial_conftests"]
