"""`mockserver schemas`: generate JSON Schemas from the vendor pages, or check the committed ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockserver.paths import SCHEMAS_DIR, SOURCE_DIR, display


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schemas",
        help="generate JSON Schemas from the vendor pages",
        description="Read every vendor page SOURCE/*.md and write JSON Schemas to OUT/<page>/.",
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming the files that differ from what the pages generate")
    parser.add_argument("--source", type=Path, default=SOURCE_DIR,
                        help="directory of vendor pages (*.md) (default schemas/source)")
    parser.add_argument("--out", type=Path, default=SCHEMAS_DIR,
                        help="directory to write <page>/ into (default schemas)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from mockserver.spec import build  # here, not at the top: see mockserver.cli.LAZY

    if args.check:
        problems = build.check(args.source, args.out)
        for problem in problems:
            print(f"mockserver schemas: out of date: {problem}", file=sys.stderr)
        if problems:
            print("mockserver schemas: run `mockserver schemas` and commit the result", file=sys.stderr)
            return 1
        print("mockserver schemas: generated files are up to date")
        return 0
    changed = build.write(args.source, args.out)
    for path in changed:
        if not path.exists():
            print(f"mockserver schemas: removed {display(path)} (no page generates it)")
    print(f"mockserver schemas: {len(changed)} file(s) changed under {display(args.out)}")
    if changed and _openapi_is_stale(args.out):
        print(f"mockserver schemas: {display(args.out / 'openapi.json')} is built from these schemas and no longer "
              "matches them: run `mockserver openapi` and commit the result")
    return 0


def _openapi_is_stale(out: Path) -> bool:
    """The OpenAPI document beside the schemas (CI checks it too) differs from what they now build."""
    from mockserver import openapi
    from mockserver.contract import load_contract
    from mockserver.errors import ConfigError

    document = out / "openapi.json"
    if not document.is_file():
        return False
    try:
        built = openapi.render(openapi.build_document(load_contract(out)))
    except ConfigError:
        return False  # not this project's contract: no document is built from these schemas
    try:
        return document.read_text(encoding="utf-8") != built
    except (OSError, UnicodeDecodeError):
        return True
