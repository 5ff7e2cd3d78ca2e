"""`mockserver schemas`: generate JSON Schemas from the vendor pages, or check the committed ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockserver.commands.arguments import described, given_path
from mockserver.paths import SCHEMAS_DIR, SOURCE_DIR, display, refuse_installed_copy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schemas",
        help="generate JSON Schemas from the vendor pages",
        **described(
            "Read every vendor page DIR/*.md (--source) and write its JSON Schemas, endpoint facts and samples to"
            " OUT/<page>/ (--out).",
            "mockserver schemas --check  # what CI runs: exit 1 if a generated file is stale",
            "mockserver schemas && mockserver openapi && mockserver openapi --admin",
        ),
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming the files that differ from what the pages generate")
    parser.add_argument("--source", type=given_path, default=SOURCE_DIR, metavar="DIR",
                        help=f"directory of vendor pages (*.md) (default {display(SOURCE_DIR)})")
    parser.add_argument("--out", type=given_path, default=SCHEMAS_DIR, metavar="DIR",
                        help=f"directory to write <page>/ into (default {display(SCHEMAS_DIR)})")
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
    refuse_installed_copy(args.out, "--out DIR")
    changed = build.write(args.source, args.out)
    for path in changed:
        if not path.exists():
            print(f"mockserver schemas: removed {display(path)} (no page generates it)")
    print(f"mockserver schemas: {len(changed)} file(s) changed under {display(args.out)}")
    for name, command in _stale_documents(args.out) if changed else []:
        print(f"mockserver schemas: {display(args.out / name)} is built from these schemas and no longer matches them:"
              f" run `{command}` and commit the result")
    return 0


def vendored_problems() -> list[str]:
    """What `mockserver schemas --check` names on the vendored pages and the schemas beside them, which the OpenAPI
    documents are built from: their own check says nothing while these are stale. A page the generator refuses
    raises its ToolError, as `schemas --check` does."""
    from mockserver.spec import build  # here, not at the top: see mockserver.cli.LAZY

    return build.check(SOURCE_DIR, SCHEMAS_DIR)


# The OpenAPI documents beside the schemas, built from them (CI checks each), and the command that builds each
DOCUMENTS = (("openapi.json", "mockserver openapi"), ("admin-openapi.json", "mockserver openapi --admin"))


def _stale_documents(out: Path) -> list[tuple[str, str]]:
    """Each OpenAPI document beside the schemas that differs from what they now build, with its command: the
    admin API's holds the stored campaign's schema, the response's `data`."""
    from mockserver import admin_openapi, openapi
    from mockserver.contract import load_contract
    from mockserver.errors import ConfigError

    builders = {"openapi.json": openapi.build_document, "admin-openapi.json": admin_openapi.build_document}
    present = [(name, command) for name, command in DOCUMENTS if (out / name).is_file()]
    if not present:
        return []
    try:
        contract = load_contract(out)
    except ConfigError:
        return []  # not this project's contract: no document is built from these schemas
    return [(name, command) for name, command in present
            if _text(out / name) != openapi.render(builders[name](contract))]


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
