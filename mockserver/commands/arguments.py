"""Value types the commands' options share."""

from __future__ import annotations

import argparse
from pathlib import Path


def given(value: str) -> str:
    """A value that is not empty. `--db "$DB"` with DB unset was read as no option at all, or as the current folder:
    `serve --db ''` kept a private throwaway database per connection, `--certfile ''` served plain HTTP, and
    `--tenant ''` the default tenant, each without a word."""
    if not value:
        raise argparse.ArgumentTypeError("empty value (a variable in the command line that is not set?)")
    return value


def given_path(value: str) -> Path:
    """A file or folder name that is not empty (Path('') is the current folder)."""
    return Path(given(value))
