"""Where the project's data lives: `schemas/` and `fixtures/` at the top of a checkout (and of an editable install),
or, in a regular install (a wheel, a git URL), inside the package as `mockserver/bundled/` (see pyproject.toml)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED = Path(__file__).resolve().parent / "bundled"
DATA_ROOT = BUNDLED if BUNDLED.is_dir() else PROJECT_ROOT
SCHEMAS_DIR = DATA_ROOT / "schemas"
SOURCE_DIR = SCHEMAS_DIR / "source"
FIXTURES_DIR = DATA_ROOT / "fixtures"
DEFAULT_TENANT = FIXTURES_DIR / "tenant.json"
LIVE_TENANT_EXAMPLE = FIXTURES_DIR / "live-tenant.example.json"  # a starting point for runs against the service
TENANT_SCHEMA = FIXTURES_DIR / "tenant.schema.json"
ENVELOPE_SCHEMA = FIXTURES_DIR / "error-envelope.schema.json"
CASES_DIR = FIXTURES_DIR / "cases"


def refuse_installed_copy(path: Path, way_out: str) -> None:
    """Refuse to write `path` when it is the data a regular install carries (mockserver/bundled/): files pip owns,
    which every mock of that environment reads. A checkout's, or an editable install's, are the project's own."""
    from mockserver.errors import ConfigError  # here: every command imports this module as it starts

    if DATA_ROOT == BUNDLED and Path(path).resolve().is_relative_to(BUNDLED):
        raise ConfigError(f"{display(Path(path))} is the installed package's own copy, which its mocks read: write"
                          f" elsewhere with {way_out}")


def display(path: Path) -> str:
    """A path as error messages show it: relative to the working directory when under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError):  # RuntimeError: a link loop, up to Python 3.12
        return str(path)


NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)  # what Path.exists() answered False for to 3.13


def lookup_problem(path: str | os.PathLike[str]) -> str | None:
    """Why the system cannot look `path` up, other than its not being there: a name too long (a file's text pasted
    in its place), a folder that may not be searched. Path.exists() raised these up to Python 3.13; from 3.14 on it
    answers False, as for a name that is not there, so this asks the system itself."""
    try:
        os.stat(path)
    except OSError as exc:
        return None if exc.errno in NOT_THERE else exc.strerror or str(exc)
    except ValueError:  # only a NUL reaches here: argv and the environment cannot hold one
        return "the name holds a NUL character"
    return None


def file_in_the_way(folder: str | os.PathLike[str]) -> str | None:
    """The file, if any, that stands where `folder` or a folder above it should be (`plain/out.json` with `plain` a
    file), as an absolute path; None if none does."""
    folder = Path(os.path.abspath(folder))
    return next((str(part) for part in (folder, *folder.parents) if os.path.isfile(part)), None)


# The one contract this project imitates; its schemas live in SCHEMAS_DIR / CONTRACT.
CONTRACT = "create-voice-campaign-progressive-v2"
