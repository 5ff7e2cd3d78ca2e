"""Local mock server and contract-test harness for Kore.ai's Create Voice Campaign (Progressive, v2) API."""

from __future__ import annotations

import importlib.metadata


def _installed_version() -> str:
    """The version pip installed (pyproject.toml's), which `--version` and `/__admin/health` report."""
    try:
        return importlib.metadata.version("kore-campaign-mock")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


__version__ = _installed_version()
