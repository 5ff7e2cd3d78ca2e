"""`mockserver parity A.json B.json`: the drift report between two contract-suite runs."""

from __future__ import annotations

import argparse

from mockserver.commands.arguments import described, given
from mockserver.parity import FORMAT, SHOWN, load_report, render


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "parity", help="compare two contract reports and print the cases whose outcome differs", **described(
            "Compare two reports written by `pytest contract_tests --contract-report FILE`. Exit status: 0 no"
            f" differences, 1 some case differs, 2 a report cannot be read, is not a {FORMAT} report or no case was"
            " answered in both, 3 incomplete: no compared case differs, but a run stopped early or a case was not"
            " checked by both (no verdict, failed without an answer, missing in one report; a skip aside).",
            "pytest contract_tests --contract-report mock.json",
            "pytest contract_tests --base-url https://HOST --contract-report live.json",
            "mockserver parity mock.json live.json",
            "mockserver parity -v mock.json live.json   # one line per case and difference",
        ))
    parser.add_argument("a", metavar="A.json", type=given, help="first report (e.g. the mock's)")
    parser.add_argument("b", metavar="B.json", type=given, help="second report (e.g. the live service's)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="one line per case and difference (default: one per difference, naming how many cases"
                        f" share it and the first {SHOWN})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lines, status = render(load_report(args.a), load_report(args.b), every_case=args.verbose)
    print("\n".join(lines))
    return status
