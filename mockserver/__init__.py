"""Local mock server and contract-test harness for Kore.ai's Create Voice Campaign (Progressive, v2) API."""

from __future__ import annotations


def _installed_version() -> str:
    """The version pip installed (pyproject.toml's), which `--version` and `/__admin/health` report."""
    import importlib.metadata

    try:
        return importlib.metadata.version("kore-campaign-mock")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def __getattr__(name: str) -> str:
    """`__version__`, read when first asked for: importing importlib.metadata for it as every command started made
    a Ctrl-C in that time end in a traceback, before the command could catch it."""
    if name == "__version__":
        globals()["__version__"] = version = _installed_version()
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
