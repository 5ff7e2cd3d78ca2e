"""`mockserver journal`: a running mock's request journal, one line per request, and with --follow as they come;
--id prints one entry whole.

For a tester on a shared sandbox, who does not see the server's own log (`serve -v`): the admin API's journal,
narrowed by the same filters (`--account-id` for one's own traffic), read over HTTP.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, NamedTuple, NoReturn

from mockserver import journal_filters as filters
from mockserver import path_glob
from mockserver.admin_client import admin_session, journal_params, token_refused
from mockserver.commands.arguments import described, read_decimal, read_whole, typed_text
from mockserver.commands.journal_listing import READ_BYTES, NotJournal, Spool, is_entry, read_listing
from mockserver.errors import ToolError
from mockserver.failures import DROPPED_CODE, error_text
from mockserver.http_client import check_base_url, check_ca_bundle, check_proxy, proxy_route, reason, tls_advice
from mockserver.redaction import redact_url
from mockserver.shown_text import clip, clipped, printable

MAX_LIMIT = 10_000  # the admin API's
ERRORS_SHOWN = 200  # characters of a request's errors on its line
WARNING_SHOWN = 500  # characters of a warning the listing answered (the mock's are about 250)
ERROR_BODY_BYTES = 1024 * 1024  # of a refusal read for its errors: a mock's are a few hundred bytes
MIN_SECONDS, MAX_SECONDS = 0.1, 3600  # of --timeout and --interval
TIMEOUT_SECONDS = "30"  # each request whole, as the contract suite's --contract-timeout; it bounded each read before
LATE_ADVICE = "give a slow link or mock more with --timeout"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "journal", help="print a running mock's request journal, one line per request (--follow: as they come)",
        **described(
            "Read GET /__admin/requests of a running mock (MOCK_ADMIN_TOKEN if it has an admin token) and print its"
            " newest requests, oldest first: the entry's id, time, method, path, status, latency and the errors"
            " answered.",
            "mockserver journal --status 4xx --limit 50",
            "mockserver journal -f --account-id 65f1c0ffee0ddba11a5e0001   # your own requests, as they come",
            "mockserver journal --id 42                                    # one entry whole: headers, body",
            "mockserver journal --json | jq -c '{id, status, errors}'",
        ))
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the mock (default http://127.0.0.1:8080)")
    parser.add_argument("--status", help="a status or a class, e.g. 409 or 4xx")
    parser.add_argument("--method", help="e.g. POST")
    parser.add_argument("--path", metavar="GLOB", help=f"{path_glob.MEANING}, starting with / or *, e.g."
                        " '/campaign/*'")
    parser.add_argument("--account-id", metavar="ID",
                        help="requests naming this account (accountid header or accountId query)")
    parser.add_argument("--since", metavar="TIME", help="an RFC 3339 time, e.g. 2026-11-26T09:30:00Z")
    parser.add_argument("--after", metavar="ID",
                        help="requests after the entry of this id (the number a line starts with)")
    parser.add_argument("--id", help="print only the entry of this id (the number a line starts with), whole: its"
                        " headers and body too, as indented JSON (one line with --json)")
    parser.add_argument("--limit", metavar="N", help=f"how many of the newest matching requests to show,"
                        f" oldest of them first (default 20, 1 to {MAX_LIMIT})")
    parser.add_argument("--follow", "-f", action="store_true", help="then print new requests as they arrive")
    parser.add_argument("--interval", metavar="SECONDS",
                        help=f"seconds between polls with --follow (default 1, {MIN_SECONDS:g} to {MAX_SECONDS})")
    parser.add_argument("--timeout", metavar="SECONDS",
                        help=f"how long each request to the mock may take, its name lookup, connection and whole"
                        f" answer (default {TIMEOUT_SECONDS}, {MIN_SECONDS:g} to {MAX_SECONDS}); with --follow, each"
                        " poll")
    parser.add_argument("--json", action="store_true", help="print each entry as a JSON line instead")
    parser.set_defaults(func=run)


def line(entry: dict[str, Any]) -> str:
    """One request: its entry's id (GET /__admin/requests/<id> reads the whole entry), when, what, the answer, the
    fault rule that met it, and the errors it carried (a 401's with its hint, as `serve -v` shows)."""
    query = f"?{entry['query']}" if entry.get("query") else ""
    head = (f"{entry['id']}  {entry['at']}  {entry['method']} {entry['path']}{query}  {entry['status']}"
            f"  {entry['latencyMs']:.1f} ms")
    shown = _drop_first(entry.get("errors") or [])
    rule, hints = entry.get("faultRule"), [error.get("hint") for error in shown if isinstance(error, dict)]
    if rule is not None and f"injected by fault rule {rule}" not in hints:
        head += f"  fault rule {rule}"  # a latency or a drop: a forced status's error names it already
    errors = clip("; ".join(error_text(error) for error in shown), ERRORS_SHOWN + 3, printable)
    # The path comes decoded (`%0A` a newline): a client on a shared sandbox must not forge lines on others' screens
    return f"{printable(head)}  {errors}" if errors else printable(head)


def _drop_first(errors: list[Any]) -> list[Any]:
    """A drop=after entry's errors, its drop's first: after a 400's many errors it would be cut off the line, and it
    is what the line's 444 means. Every other entry's, in their order."""
    dropped = [error for error in errors if isinstance(error, dict) and error.get("code") == DROPPED_CODE]
    return [*dropped, *(error for error in errors if error not in dropped)] if dropped else errors


class Listing(NamedTuple):
    lines: Spool  # (id, line) of each entry, oldest first
    total: int  # how many match in all
    newest_id: int | None  # the highest id the journal has given: every entry up to it was there to be listed
    warnings: list[str]  # the mock's: an account its tenant lacks that matched nothing, a path with %-escapes


class Unanswered(ToolError):
    """A read that the same read may get an answer to later: no answer (the mock restarting, a certificate being
    renewed), a 5xx or a 429. `said` is what failed, the message that with the advice."""

    def __init__(self, said: str, advice: str | None = None) -> None:
        super().__init__(f"{said}; {advice}" if advice else said)
        self.said = said


class Journal:
    """The admin API's journal endpoint, with the filters asked for."""

    def __init__(self, args: argparse.Namespace) -> None:
        import requests  # here, not at the top: see mockserver.cli.LAZY

        from mockserver.client_deadline import watched

        self.timeout = bounded("--timeout", TIMEOUT_SECONDS if args.timeout is None else args.timeout, read_decimal,
                               MIN_SECONDS, MAX_SECONDS, " seconds")
        self.requests = requests
        self.http = watched(admin_session())
        self._status: int | None = None  # of the answer being read, once its head has come
        check_base_url(args.url, "--url")
        check_ca_bundle(args.url, os.environ, "the mock's")
        check_proxy(args.url)  # a malformed proxy variable fails every request: said at start, as the contract suite
        self.url = args.url.rstrip("/") + "/__admin/requests"
        self.filters = {"status": args.status, "method": args.method, "path": args.path, "account_id": args.account_id}

    def _get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """A 200 from the admin API, its body still to be read; a refusal (the mock's own words), no answer or a 5xx
        raises."""
        try:
            answer = self.http.get(url, params=params, timeout=self.timeout, stream=True)
        except (self.requests.RequestException, OSError) as exc:  # OSError: a CA bundle that went missing
            raise self._unanswered(url, exc) from None
        self._status = answer.status_code
        if answer.status_code == 200:
            return answer
        with answer:
            said = b"".join(islice(self._chunks(url, answer), ERROR_BODY_BYTES // READ_BYTES))
        if answer.status_code == 401:
            raise ToolError(token_refused(redact_url(url)))
        try:
            found = json.loads(said)
        except ValueError:  # not JSON, or more than ERROR_BODY_BYTES of it
            found = None
        errors = found.get("errors") if isinstance(found, dict) else None
        detail = "; ".join(error_text(error) for error in errors) if isinstance(errors, list) else ""
        said = f"{redact_url(url)} answered {answer.status_code}: {clip(detail, 300) or 'not a mock journal'}"
        if answer.status_code >= 500 or answer.status_code == 429:  # a mock restarting, busy, or behind a proxy
            raise Unanswered(said)
        raise ToolError(said)

    @contextlib.contextmanager
    def _in_time(self, url: str) -> Iterator[None]:
        """The request the block sends, its name lookup, connection and whole answer, within --timeout: requests'
        timeout bounds each read alone, and a sandbox that trickled its answer kept the command for good. Past it the
        connection is cut, and what that makes fail (an answer cut short, or read to its close and no journal) is
        said as the time running out."""
        from mockserver.client_deadline import Deadline

        deadline, self._status = Deadline(self.timeout), None
        try:
            with deadline:
                yield
        except (ToolError, NotJournal):
            if deadline.passed:
                raise self._late(url) from None
            raise
        if deadline.passed:
            raise self._late(url)

    def _late(self, url: str) -> Unanswered:
        where = f"{redact_url(url)}{proxy_route(url, self.http)}"
        said = f"no answer from {where}" if self._status is None else \
            f"the answer from {where} ({self._status}) was not whole"
        return Unanswered(f"{said} within --timeout {self.timeout:g} s", LATE_ADVICE)

    def _unanswered(self, url: str, exc: BaseException) -> Unanswered:
        advice = tls_advice(exc) or "is the mock running there? --url names another"
        route = proxy_route(url, self.http)  # a proxy that is down reads as the mock otherwise
        return Unanswered(f"no answer from {redact_url(url)}{route}: {type(exc).__name__}: {reason(exc)}", advice)

    def _chunks(self, url: str, answer: Any) -> Iterator[bytes]:
        """The answer's body as it comes; an answer cut short (the connection dropped, the mock stopped) raises as
        no answer does."""
        try:
            yield from answer.iter_content(READ_BYTES)
        except (self.requests.RequestException, OSError) as exc:
            raise self._unanswered(url, exc) from None

    def newest(self, limit: int, show: Callable[[dict[str, Any]], str], **more: Any) -> Listing:
        """The newest `limit` matching entries, oldest first, as show() prints them, `more` filters added to the
        command's. The answer is read as it comes, an entry at a time (mockserver.commands.journal_listing)."""
        spool = Spool()
        try:
            with (self._in_time(self.url),
                  self._get(self.url, {**journal_params(**self.filters, **more), "limit": limit}) as answer):
                head = read_listing(self._chunks(self.url, answer),
                                    lambda entry: spool.add(entry["id"], show(entry)))
        except NotJournal:
            spool.close()
            raise ToolError(f"{redact_url(self.url)} answered 200 but not with a mock journal: is it the mock?"
                            ) from None
        except BaseException:
            spool.close()
            raise
        if head.get("journal") == "off":
            spool.close()
            raise ToolError(f"{redact_url(self.url)}: this mock keeps no journal (it was started with --no-journal)")
        newest_id = head.get("newestId")  # None from a mock of an earlier version
        newest_id = newest_id if isinstance(newest_id, int) else None
        return Listing(spool, head["total"], newest_id, head.get("warnings", []))

    def entry(self, entry_id: int) -> dict[str, Any]:
        """One whole entry, headers and body included (GET /__admin/requests/<id>)."""
        url = f"{self.url}/{entry_id}"
        with self._in_time(url):
            with self._get(url) as answer:
                said = b"".join(self._chunks(url, answer))
            try:
                found = json.loads(said)
            except ValueError:
                found = None
            if not is_entry(found):
                raise ToolError(f"{redact_url(url)} answered 200 but not with a journal entry: is it the mock?")
        return found


# option -> (its attribute, how the admin API reads the filter it is sent as)
FILTER_OPTIONS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "--status": ("status", filters.statuses), "--method": ("method", filters.method), "--path": ("path", filters.path),
    "--account-id": ("account_id", filters.text), "--since": ("since", filters.since),
    "--after": ("after", filters.after),
}


def bounded(option: str, text: str, number: Callable[[str], int | float], low: float, high: float,
            unit: str = "") -> Any:
    """An option's number, from `low` to `high`; anything else (`abc` as well as `0`) is one usage line, where
    argparse's own type check would print the usage before it."""
    try:
        value = number(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:  # NaN is in no range
        raise ToolError(f"{option} must be {low:g}-{high:g}{unit} (got {clipped(text, 42)})")
    return value


TYPED_TEXT = ("path", "account_id")  # filters sent as the text typed, which may be any


def check_filters(args: argparse.Namespace) -> None:
    """Each filter option read as the admin API will read it, so a bad value is named by its option (`--status
    must be ...`), not by the query parameter it travels as."""
    for option, (name, read) in FILTER_OPTIONS.items():
        value = getattr(args, name)
        if value is not None and name in TYPED_TEXT:
            value = typed_text(option, value)
            setattr(args, name, value)
        if value is not None:
            try:
                read(value)
            except filters.FilterError as exc:
                raise ToolError(f"{option} must be {exc.wanted} (got {exc.got})") from None


def note(args: argparse.Namespace, text: str) -> None:
    """A line about the listing rather than an entry, in parentheses: on stdout among the lines it speaks of, or on
    stderr with --json, whose stdout holds JSON lines alone."""
    print(f"({text})", file=sys.stderr if args.json else sys.stdout, flush=True)


def older_not_shown(count: int, limit: int) -> str:
    """What to do about the matches --limit left out: raise it, or, at the most, narrow the listing."""
    if limit < MAX_LIMIT:
        return f"{count} older not shown: raise --limit, up to {MAX_LIMIT}"
    return f"{count} older not shown: --limit {MAX_LIMIT} is the most; narrow them with --since or a filter"


def one_entry(args: argparse.Namespace) -> int:
    """--id: the whole entry, which a line only sums up. Listing options are refused rather than ignored."""
    given = [option for option, (name, _) in FILTER_OPTIONS.items() if getattr(args, name) is not None]
    given += ["--limit"] * (args.limit is not None) + ["--follow"] * args.follow
    given += ["--interval"] * (args.interval is not None)
    if given:
        raise ToolError(f"--id reads one entry: it takes no {', '.join(given)} (those are for a listing)")
    # past leading zeros, as GET /__admin/requests/<id> reads them: 20 digits or more were refused as no whole
    # number from 1 to 2**63-1, whatever their value
    entry_id = filters.whole(args.id.lstrip("0") or "0", filters.MAX_ID)
    if not entry_id:
        raise ToolError(f"--id must be {filters.ENTRY_ID} (got {clipped(args.id, 42)})")
    entry = Journal(args).entry(entry_id)
    print(json.dumps(entry) if args.json else json.dumps(entry, indent=2), flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.id is not None:
        return one_entry(args)
    check_filters(args)
    args.limit = bounded("--limit", "20" if args.limit is None else args.limit, read_whole, 1, MAX_LIMIT)
    args.interval = bounded("--interval", "1" if args.interval is None else args.interval, read_decimal, MIN_SECONDS,
                            MAX_SECONDS, " seconds")
    journal = Journal(args)
    show = (lambda entry: json.dumps(entry)) if args.json else line
    lines, total, newest_id, warnings = journal.newest(args.limit, show, since=args.since, after=args.after)
    for text in warnings:  # once: each poll of --follow answers them again
        print(f"mockserver journal: warning: {printable(clip(text, WARNING_SHOWN))}", file=sys.stderr, flush=True)
    if total > len(lines):
        note(args, older_not_shown(total - len(lines), args.limit))
    if not lines:
        filtered = any(getattr(args, name) is not None for name, _ in FILTER_OPTIONS.values())
        waiting = "; waiting for new ones" if args.follow else ""
        note(args, f"no requests {'match the filters' if filtered else 'in the journal'}{waiting}")
    for _, text in lines:
        print(text, flush=True)
    lines.close()
    if not args.follow:
        return 0
    follow(journal, args, show, newest_id, lines.ids)


def follow(journal: Journal, args: argparse.Namespace, show: Callable[[dict[str, Any]], str],
           newest_id: int | None, ids: list[int]) -> NoReturn:
    """Poll for what is new and show it, until Ctrl-C (exit status 130).

    Ids follow the order entries are written in, whichever worker wrote them: polling by id misses none, where
    polling by time would miss a request a worker journalled after a newer one. Each poll asks for the entries
    after the journal's newest id as the last answer gave it (read before its entries), not after the last one
    shown: a follower whose filters matched nothing for a while read everything written since, each poll (~70 ms
    on a full journal). Every entry up to that id was there to be listed; one written after it, but in time to be
    listed too, has a higher id and comes again in the next answer, where it is not shown twice."""
    last_id = _newest(newest_id, ids, 0)
    shown = {entry_id for entry_id in ids if entry_id > last_id}  # shown already, to come again
    floor = int(args.after or 0)  # --after beyond the newest id: what comes up to it is not asked for either
    failing: tuple[float, int] | None = None  # (when the polls began to fail, how many have)
    while True:  # Ctrl-C ends it (exit status 130)
        time.sleep(args.interval)
        try:
            lines, total, newest_id, _ = journal.newest(MAX_LIMIT, show, since=args.since,
                                                        after=max(last_id, floor))
        except Unanswered as exc:  # tried again each interval, said once; a 401 or a wrong URL ends it above
            if failing is None:
                failing = time.monotonic(), 0
                print(f"({exc.said}; trying again every {args.interval:g} s)", file=sys.stderr, flush=True)
            failing = failing[0], failing[1] + 1
            continue
        if failing is not None:
            print(f"(answered again, after {failing[1]} failed poll{'s' if failing[1] != 1 else ''} in"
                  f" {time.monotonic() - failing[0]:.1f} s)", file=sys.stderr, flush=True)
            failing = None
        newest_id = _newest(newest_id, lines.ids, last_id)
        if newest_id < last_id:  # another database (a mock restarted on :memory:), whose ids start again
            lines.close()
            note(args, "the journal's ids start again (the mock is on a new database): following it from its first"
                 " entry")
            last_id, shown, floor = 0, set(), 0
            continue
        if total > len(lines):
            note(args, f"{total - len(lines)} requests not shown: more than {MAX_LIMIT} came between two polls")
        for entry_id, text in lines:
            if entry_id not in shown:
                print(text, flush=True)
        lines.close()
        last_id = newest_id
        shown = {entry_id for entry_id in lines.ids if entry_id > last_id}


def _newest(newest_id: int | None, ids: list[int], last_id: int) -> int:
    """The journal's newest id as the answer gave it; from a mock of an earlier version, which gives none, the
    highest id it showed, or where the follower was."""
    return newest_id if newest_id is not None else max([last_id, *ids])
