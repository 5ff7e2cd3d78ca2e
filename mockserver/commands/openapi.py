"""`mockserver openapi`: write the OpenAPI 3.1 document, or check the committed one."""

from __future__ import annotations

import argparse
import json
import select
import sys
from pathlib import Path

from mockserver.commands.arguments import described, given, given_file_path
from mockserver.contract import load_contract
from mockserver.errors import ConfigError, ToolError
from mockserver.paths import DEFAULT_TENANT, SCHEMAS_DIR, display, refuse_installed_copy
from mockserver.regular_files import not_regular
from mockserver.tenant import Account, load_tenant
from mockserver.whole_files import write_problem, write_whole

DEFAULT_OUT = SCHEMAS_DIR / "openapi.json"
ADMIN_OUT = SCHEMAS_DIR / "admin-openapi.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "openapi",
        help="write the mock's OpenAPI 3.1 document",
        **described(
            "Build an OpenAPI 3.1 document from the generated schemas and the mock's failure table.",
            "mockserver openapi -o - | jq .info",
            "mockserver openapi --check && mockserver openapi --admin --check",
            "mockserver openapi --account 65f1c0ffee0ddba11a5e0001 -o fuzz.json",
        ),
    )
    parser.add_argument("-o", "--out", type=given_file_path, default=None, metavar="FILE",
                        help=f"file to write, '-' for standard output (default {display(DEFAULT_OUT)}, with --admin"
                             f" {display(ADMIN_OUT)})")
    parser.add_argument("--admin", action="store_true",
                        help="the admin API's document (/__admin/openapi.json) instead of the endpoint's")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the schemas are stale (`mockserver schemas --check`) or the file"
                             " differs from what they generate")
    parser.add_argument("--account", metavar="ID", default=None, type=given,
                        help="narrow reference fields to this tenant account's names (a document for fuzzers)")
    parser.add_argument("--tenant", default=None, type=given, metavar="FILE",
                        help=f"tenant JSON file for --account (default {display(DEFAULT_TENANT)})")
    parser.set_defaults(func=run)


def chosen_account(args: argparse.Namespace) -> Account | None:
    """The tenant account --account narrows the document to, once the options are known to go together: asked
    before anything is built or checked, so that a bad option is said first."""
    if args.admin:  # before --tenant's own check, which would ask for the --account refused here
        given = next((option for option, value in (("--account", args.account), ("--tenant", args.tenant))
                      if value is not None), None)
        if given is not None:
            raise ConfigError(f"{given} narrows the endpoint's document to an account: the admin API's has no names"
                              " to narrow (leave it out)")
    if args.tenant is not None and args.account is None:
        raise ConfigError("--tenant names the tenant file for --account: give --account too")
    if args.account is None:
        return None
    tenant = load_tenant(args.tenant)
    account = tenant.account(args.account)
    if account is None:
        raise ConfigError(f"no account {args.account!r} in {tenant.source}; its accounts are {tenant.account_list()}")
    return account


def document_text(args: argparse.Namespace, account: Account | None) -> str:
    from mockserver import openapi  # here, not at the top: see mockserver.cli.LAZY

    if args.admin:
        from mockserver import admin_openapi

        return openapi.render(admin_openapi.build_document(load_contract()))
    document = openapi.build_document(load_contract())
    return openapi.render(document if account is None else openapi.narrowed(document, account))


def check_schemas(args: argparse.Namespace) -> int:
    """0 when the schemas the document is built from are what `mockserver schemas` generates; else says to
    regenerate them first, with the status `schemas --check` gives: a document built from stale schemas is stale
    itself, whatever the two files say to each other."""
    from mockserver.commands import schemas

    try:
        problems = schemas.vendored_problems()
    except ToolError as exc:
        raise ConfigError(f"the schemas the document is built from cannot be regenerated (`mockserver schemas` refuses"
                          f" the page, so the document is not checked): {exc}") from None
    if not problems:
        return 0
    print(f"mockserver openapi: the schemas the document is built from must be regenerated first ({len(problems)}"
          f" file(s) differ, named by `mockserver schemas --check`): run `mockserver schemas`, then"
          f" `{fix_command(args)}`, and commit the result", file=sys.stderr)
    return 1


def check(args: argparse.Namespace, text: str) -> int:
    path = args.out
    refuse_other_content(path)
    if (why := not_regular(path)) is not None:  # a named pipe held the check, waiting for a writer
        raise ConfigError(f"cannot read the document: {why}", where=str(path))
    try:  # bytes, as `schemas --check` compares: a copy whose line ends were rewritten to CRLF is drift
        current = path.read_bytes()
    except FileNotFoundError:
        current, state = None, "missing"
    except OSError as exc:
        raise ConfigError(f"cannot read the document: {getattr(exc, 'strerror', None) or exc}", where=str(path)) \
            from None
    else:
        state = "out of date"
    if current == text.encode("utf-8"):
        print(f"mockserver openapi: {display(path)} is up to date")
        return 0
    print(f"mockserver openapi: {state}: {display(path)}", file=sys.stderr)
    print(f"mockserver openapi: run `{fix_command(args)}` and commit the result", file=sys.stderr)
    return 1


def fix_command(args: argparse.Namespace) -> str:
    """The command that writes the checked file, with the options this check was given."""
    return " ".join(["mockserver openapi", *(["--admin"] if args.admin else []), *(
        f"{option} {value}" for option, value in (
            ("--out", None if args.out == default_out(args) else display(args.out)), ("--account", args.account),
            ("--tenant", args.tenant)) if value is not None)])


def default_out(args: argparse.Namespace) -> Path:
    return ADMIN_OUT if args.admin else DEFAULT_OUT


def write_utf8(text: str) -> None:
    """The document on stdout in UTF-8, as the file gets it, whatever the locale's encoding: an ASCII one (LANG=C)
    failed on its first curly quote with a traceback, and a Latin-1 one wrote what no JSON reader takes."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream of text alone (io.StringIO): it has no encoding to get wrong
        sys.stdout.write(text)
        return
    # A write larger than the pipe holds is cut short when its reader goes away (`| head`), and the short count is
    # all Python says of it: write the rest, which meets the closed pipe and exits 141 as every command's output does
    left = memoryview(text.encode("utf-8"))
    while left:
        written = buffer.write(left)
        if written is None:  # `python -u` (a raw FileIO) on a non-blocking pipe that is full: wait till it takes more
            select.select([], [buffer], [])
            continue
        left = left[written:]
    buffer.flush()


def refuse_other_content(path: Path) -> None:
    """A file -o names that holds something else than an OpenAPI document (the tenant file --tenant reads, a case
    file) is refused, not overwritten, nor named by --check as one to write; an OpenAPI document of any version,
    or an empty file, is not. What is not a regular file (/dev/stdout) is not read."""
    try:
        if not path.is_file():
            return
        with path.open("rb") as file:
            head = file.read(1 << 26)  # 64 MiB: the endpoint's document is about 60 KB
    except OSError:
        return  # unreadable: the write or the check says why
    try:
        document = json.loads(head) if head.strip() else {"openapi": None}
    except ValueError:
        document = None
    if not (isinstance(document, dict) and "openapi" in document):
        raise ConfigError("holds something other than an OpenAPI document, which -o would overwrite: name a file of"
                          " its own (or -o - for standard output)", where=str(path))


def run(args: argparse.Namespace) -> int:
    if args.out is None:
        args.out = default_out(args)
    account = chosen_account(args)
    if args.check:
        if str(args.out) == "-":
            raise ConfigError("--check compares a file: name it with --out (standard output has nothing to compare)")
        return check_schemas(args) or check(args, document_text(args, account))
    text = document_text(args, account)
    if str(args.out) == "-":
        write_utf8(text)
        return 0
    refuse_installed_copy(args.out, "-o FILE (or -o - for standard output)")
    refuse_other_content(args.out)
    try:
        write_whole(args.out, text.encode("utf-8"))  # LF on every system: text mode writes CRLF on Windows
    except OSError as exc:
        raise ConfigError(f"cannot write the document: {write_problem(args.out, exc)}", where=str(args.out)) from None
    print(f"mockserver openapi: wrote {display(args.out)}")
    return 0
