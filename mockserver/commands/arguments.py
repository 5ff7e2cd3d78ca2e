"""What the commands' parsers share: value types for their options, and the layout of their --help."""

from __future__ import annotations

import argparse
import textwrap
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


def described(description: str, *examples: str) -> dict:
    """add_parser's keywords for a command's --help: what it does, wrapped, then examples kept line by line."""
    return {
        "description": textwrap.fill(description, width=79, break_on_hyphens=False),
        "epilog": "examples:\n" + "\n".join(f"  {example}" for example in examples) if examples else None,
        "formatter_class": argparse.RawDescriptionHelpFormatter,
    }
