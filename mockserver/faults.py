"""Fault injection: added latency, a forced status in the vendor's envelope, a dropped connection.

Per request, the `X-Mock-Fault` header; for many requests, rules added through `/__admin/faults` and kept in the
store, so every gunicorn worker sees them. A fault applies before authentication, as a failing network or
gateway in front of the real service would. The admin API and /openapi.json are never faulted.

Syntax: directives separated by `;` or `,`, e.g. `latency=200`, `latency=100-300`, `status=503`, `drop`,
`latency=50;status=429`, `latency=30000;status=504` (a gateway that gave up waiting), `status=503;retry-after=5`,
`drop=after` (the request served, its answer lost), `drop=reset` (the connection reset, not closed),
`drop=after-reset` (the request served, then the connection reset).
Each directive is one entry of DIRECTIVES.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import math
import random
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask, Response, current_app, g, make_response, request
from werkzeug.exceptions import HTTPException

from mockserver import path_glob, rule_sent_back, tls
from mockserver.failures import DROPPED_CODE, failure
from mockserver.routes import own_path
from mockserver.routes.admin_auth import presented_token, refusal_item
from mockserver.routes.errors import refused
from mockserver.send_instead import got, send_instead
from mockserver.shown_text import clip, clipped, header_text, sent
from mockserver.store import Store
from mockserver.tenant import MAX_ACCOUNT_CHARS  # as the filters that delete and reset an account's rules take it

HEADER = "X-Mock-Fault"
MAX_LATENCY_MS = 30_000  # mockserver.server gives gunicorn's arbiter a timeout with room for it
FORCED = {  # status -> failure row
    429: "rate.limited", 500: "fault.forced", 502: "fault.bad_gateway", 503: "fault.unavailable",
    504: "fault.gateway_timeout",
}
MAX_RETRY_AFTER_S = 86_400  # a day, as the rate limit's longest window
DROPPED_STATUS = 444  # nginx's code for "closed without a response"; only the journal and test clients see it


class FaultError(ValueError):
    """A fault or rule that cannot be understood: (field, reason) pairs, field None for the spec as a whole."""

    def __init__(self, *problems: tuple[str | None, str]) -> None:
        super().__init__("; ".join(reason for _, reason in problems))
        self.problems = list(problems)

    def items(self, default_field: str) -> list[dict[str, Any]]:
        row = failure("fault.invalid")
        return [row.item(field or default_field, detail=reason) for field, reason in self.problems]


@dataclass(frozen=True)
class Fault:
    latency_ms: tuple[int, int] | None = None  # (low, high), drawn uniformly
    status: int | None = None
    drop: bool = False
    drop_after: bool = False  # drop=after: the request is served first (a create stored), then its answer dropped
    drop_reset: bool = False  # drop=reset, drop=after-reset: the connection reset (ECONNRESET), not closed with a FIN
    retry_after_s: int | None = None  # the forced status's Retry-After; a forced 429's is 1 without it
    source: str = "the X-Mock-Fault header"  # or "fault rule 7": said with the answer, so a tester knows whose it is
    rule_id: int | None = None  # the rule's, for the journal; None for the header


def _latency(value: str | None) -> dict[str, Any]:
    match = re.fullmatch(r"([0-9]{1,6})(?:-([0-9]{1,6}))?", value or "")
    if not match and _wait(value) is None:
        raise FaultError((None, f"latency wants milliseconds, e.g. latency=200 or latency=100-300 (got {sent(value)})"))
    low, high = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, MAX_LATENCY_MS + 1)
    if low > high:  # within the bounds, so "within 0-30000" would not say what is wrong
        raise FaultError((None, f"latency's range runs from low to high: send latency={high}-{low}"
                                f" (got {sent(value)})"))
    if high > MAX_LATENCY_MS:  # or a number all the same (2000.5, -5, 2s, 99999999): the one to send is near it
        raise FaultError((None, f"latency must be whole milliseconds, or a range low-high, within 0-{MAX_LATENCY_MS}"
                                f" {got(sent(value), send_instead([], f'latency={_waited(value)}'))}"))
    return {"latency_ms": (low, high)}


def _status(value: str | None) -> dict[str, Any]:
    if value is None or not re.fullmatch(r"[0-9]{3}", value) or int(value) not in FORCED:
        raise FaultError((None, f"status must be one of {', '.join(map(str, FORCED))} (got {sent(value)})"))
    return {"status": int(value)}


# drop's values: none closes the connection with a FIN before the request is served ("Remote end closed connection
# without response"); `after` serves it first; `reset` resets it instead (ECONNRESET), as WireMock's
# CONNECTION_RESET_BY_PEER does, which many clients handle on another path; `after-reset` serves it, then resets
DROPS: dict[str | None, dict[str, bool]] = {
    None: {}, "after": {"drop_after": True}, "reset": {"drop_reset": True},
    "after-reset": {"drop_after": True, "drop_reset": True},
}


def _drop(value: str | None) -> dict[str, Any]:
    form = DROPS.get(value if value is None else value.lower())
    if form is None:
        *others, last = filter(None, DROPS)
        raise FaultError((None, f"drop takes no value, {', '.join(others)} or {last} (got {sent(value)})"))
    return {"drop": True, **form}


def _retry_after(value: str | None) -> dict[str, Any]:
    if value is None or not re.fullmatch(r"[0-9]{1,5}", value) or int(value) > MAX_RETRY_AFTER_S:
        raise FaultError((None, f"retry-after must be whole seconds, 0-{MAX_RETRY_AFTER_S} (got {sent(value)})"))
    return {"retry_after_s": int(value)}


DIRECTIVES: dict[str, Callable[[str | None], dict[str, Any]]] = {
    "latency": _latency,
    "status": _status,
    "drop": _drop,
    "retry-after": _retry_after,
}


BLANK = " \t"  # what may stand around a directive, its `=` and its value: a header's own white space

_NUMBER = r"-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
# No two runs of white space side by side: `latency=1`, a 64 KiB body's worth of spaces and `x` took 9 s to refuse
_WAIT = re.compile(rf"({_NUMBER})(?:[{BLANK}]*-[{BLANK}]*({_NUMBER}))?(?:[{BLANK}]*(ms|s))?")


def _wait(value: str | None) -> re.Match[str] | None:
    return _WAIT.fullmatch((value or "").strip(BLANK))


def _waited(value: str | None) -> str:
    """The latency to send for another tool's wait: its value as whole milliseconds, or a range of them, as latency
    takes it (low to high, within 0-MAX_LATENCY_MS); `s` after it counts seconds. The hint's own 200 only when no
    number was sent: `fixedDelayMilliseconds: 2000.5` was told to send latency=200, and `delay=60000` latency=60000,
    which latency refuses."""
    match = _wait(value)
    if match is None:
        return "200"
    scale = 1000 if match.group(3) == "s" else 1
    # float() reads any length of digits (int() refuses over 4,300), an exponent too; half a millisecond rounds up
    low, high = sorted(math.floor(min(max(float(each) * scale, 0), MAX_LATENCY_MS) + 0.5)
                       for each in match.groups(match.group(1))[:2])
    return f"{low}" if low == high else f"{low}-{high}"


# Directives as other tools, or a client's retry test, name them (WireMock's faults, fixedDelay): name -> the reason
# and the directive to send, given the value sent (None without one)
OTHER_NAMES: dict[str, tuple[str, Callable[[str | None], str]]] = {
    "timeout": ("a client's timeout comes of a wait longer than it", lambda _: "latency=30000"),
    **{name: ("a wait is a latency, in ms", lambda value: f"latency={_waited(value)}")
       for name in ("delay", "fixeddelay", "fixeddelaymilliseconds", "sleep", "wait")},
    **{name: ("a connection closed without an answer is a drop", lambda _: "drop")
       for name in ("empty_response", "close", "disconnect")},
    **{name: ("a connection reset is a drop of its own", lambda _: "drop=reset")
       for name in ("connection_reset_by_peer", "reset")},
}


def _any_case(word: str) -> str:
    return "".join(f"[{char.upper()}{char.lower()}]" if char.isalpha() else char for char in word)


# The syntax as the admin API's document gives a rule's `fault`: a spec matches PATTERN and not REPEATED exactly
# when parse() takes it, but for a latency range from high to low (`latency=300-100`), which no pattern can say, and
# has a status if it has a retry-after (RETRY_AFTER without STATUS, under the document's `not` with REPEATED), and
# no drop beside a status or retry-after (ANSWERED_DROP, there too).
# Both use only syntax ECMA-262 (JSON Schema's), RE2 and Rust's regex share: "each directive once" is REPEATED under
# `not`, not a lookahead. Milliseconds are 1 to 6 digits up to MAX_LATENCY_MS (30000).
_MS = "(?:[0-9]{1,4}|0?(?:[0-2][0-9]{4}|30000))"
_SECONDS = "(?:[0-9]{1,4}|[0-7][0-9]{4}|8[0-5][0-9]{3}|86[0-3][0-9]{2}|86400)"  # up to MAX_RETRY_AFTER_S (86400)
_EQUALS = f"[{BLANK}]*=[{BLANK}]*"
_DIRECTIVE = (f"(?:{_any_case('latency')}{_EQUALS}{_MS}(?:-{_MS})?"
              f"|{_any_case('status')}{_EQUALS}(?:{'|'.join(map(str, FORCED))})"
              f"|{_any_case('drop')}(?:{_EQUALS}(?:{'|'.join(_any_case(form) for form in DROPS if form)}))?"
              f"|{_any_case('retry-after')}{_EQUALS}{_SECONDS})")
PATTERN = (f"^(?:[{BLANK}]*[;,])*[{BLANK}]*{_DIRECTIVE}[{BLANK}]*"
           f"(?:[;,][{BLANK}]*(?:{_DIRECTIVE}[{BLANK}]*)?)*$")
REPEATED = "|".join(f"{_any_case(name)}.*{_any_case(name)}" for name in DIRECTIVES)
STATUS, RETRY_AFTER = _any_case("status"), _any_case("retry-after")
_ANSWER, _DROP = f"(?:{STATUS}|{RETRY_AFTER})", _any_case("drop")
ANSWERED_DROP = f"{_DROP}.*{_ANSWER}|{_ANSWER}.*{_DROP}"


def in_syntax(spec: str) -> bool:
    """Whether a spec is one the document's `fault` schema takes (its `$`, as ECMA-262's, is the end of the text)."""
    return (re.fullmatch(PATTERN, spec) is not None and re.search(REPEATED, spec) is None
            and re.search(ANSWERED_DROP, spec) is None
            and (re.search(RETRY_AFTER, spec) is None or re.search(STATUS, spec) is not None))


def parse(spec: str, stored: bool = False) -> Fault:
    """The Fault a header value or rule describes; FaultError names the first directive that is wrong. `stored`: a
    rule a database kept, read as the version that took it read it: a drop beside a status wins, a directive given
    twice is its last, and any white space (a newline, a no-break space) may stand around a directive, its `=` and
    its value."""
    fault = Fault()
    blank = None if stored else BLANK  # None: str.strip's white space, which those versions stripped
    parts = [part.strip(blank) for part in re.split(r"[;,]", spec) if part.strip(blank)]
    if not parts:
        raise FaultError((None, f"no directive (known: {', '.join(DIRECTIVES)})"))
    seen: set[str] = set()
    for part in parts:
        name, _, value = part.partition("=")
        name = name.strip(blank)
        key = name.lower()
        directive = DIRECTIVES.get(key)
        if directive is None:
            raise FaultError((None, _unknown(name, value.strip(blank) if "=" in part else None)))
        if key in seen and not stored:  # status=503;status=500: the last would win without a word
            raise FaultError((None, f"{key} is given twice: give each directive once"))
        seen.add(key)
        fault = replace(fault, **directive(value.strip(blank) if "=" in part else None))
    if not stored:
        _answerless(fault, seen)
    if fault.retry_after_s is not None and fault.status is None:
        raise FaultError((None, "retry-after goes with a status, e.g. status=503;retry-after=5"))
    return fault


def _unknown(name: str, value: str | None) -> str:
    """The refusal of a directive the mock does not know, with the one to send where another tool names it so."""
    known = ", ".join(DIRECTIVES)
    other = OTHER_NAMES.get(name.lower())
    instead = f"; {send_instead([other[0]], other[1](value))}" if other else ""
    return f"unknown directive {clipped(name, 42)} (known: {known}{instead})"


def _answerless(fault: Fault, seen: set[str]) -> None:
    """A drop sends no answer (drop=after drops the one served), so a status or Retry-After given with it would be
    left out without a word."""
    given = [name for name in ("status", "retry-after") if name in seen]
    if fault.drop and given:
        raise FaultError((None, f"drop sends no answer, so {' and '.join(given)} cannot apply: send the drop, or a"
                                " status (and its retry-after), not both"))


MAX_COUNT = 2**63 - 1  # SQLite's INTEGER
# Rules kept at most: every request to the API reads them all (about 13 us each), exhausted ones included, and
# GET /__admin/faults lists them in one answer, as no other listing answers more than 10,000 entries.
MAX_RULES = 1_000
METHOD = re.compile(r"[A-Za-z]{1,20}")  # as the journal's filter takes it; str.isalpha took 'pöst', no method at all
# WireMock's method for every method (and the `*` some tools write): stored, `ANY` would match no request at all
ANY_METHODS = ("ANY", "*")
ANY_INSTEAD = send_instead(["a rule for any method leaves method out, where WireMock says ANY"], '"method": null')

# Rules: what the admin API accepts. Each field: (JSON type check, reason when wrong).
RULE_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "fault": (lambda v: isinstance(v, str), "a fault spec such as 'status=503'"),
    "method": (lambda v: v is None or isinstance(v, str) and METHOD.fullmatch(v) is not None
               and v.upper() not in ANY_METHODS,
               "an HTTP method, ASCII letters such as 'POST'"),
    "path": (lambda v: v is None or isinstance(v, str) and v.startswith(path_glob.STARTS), path_glob.WANTED),
    "probability": (lambda v: _number(v) and 0 <= v <= 1, "a number from 0 to 1"),
    "count": (lambda v: v is None or _integer(v) and 1 <= v <= MAX_COUNT, "a whole number of requests, 1 to 2**63-1"),
    "accountId": (lambda v: v is None or isinstance(v, str) and 1 <= len(v) <= MAX_ACCOUNT_CHARS,
                  f"an account id (1 to {MAX_ACCOUNT_CHARS} characters), as a request sends it"),
}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


NUMERIC_FIELDS = ("probability", "count")
QUOTED_NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")


def _got(name: str, data: dict[str, Any]) -> str:
    """A rule field's refused value, quoted back as every other refusal quotes one (`nothing` when it is not in the
    rule), with how to send a number given in quotes (`"count": "3"`, as a form or a hand-edited body sends it)."""
    if name not in data:
        return " (got nothing)"
    value = data[name]
    number = _unquoted(name, value)
    hint = "" if number is None else send_instead(["numbers go without quotes"], json.dumps(number))
    if name == "method" and isinstance(value, str) and value.strip().upper() in ANY_METHODS:
        hint = ANY_INSTEAD
    return " " + got(sent(value) if isinstance(value, str) else clipped(value, 40, json.dumps), hint)


def _unquoted(name: str, value: Any) -> int | float | None:
    """The number a numeric rule field's string holds, when the field takes that number (not `"0"` for a count,
    which would be refused next); else None."""
    text = value.strip() if isinstance(value, str) else ""  # white space around it goes with the quotes
    if name not in NUMERIC_FIELDS or not QUOTED_NUMBER.fullmatch(text):
        return None
    number = float(text) if "." in text else int(text)
    return number if RULE_FIELDS[name][0](number) else None


# Rule fields as a WireMock stub mapping names them, for a team moving its stubs over: name -> (why, what to send)
_A_GLOB = ("a rule matches the path by a glob", '"path": "/campaign/*"')
_NOT_A_STUB = ("a rule is one flat object, not a WireMock stub",
               '{"fault": "status=503", "method": "POST", "path": "/campaign/*"}')
OTHER_FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    **{name: (_A_GLOB[0], lambda _: _A_GLOB[1]) for name in ("url", "urlpath", "urlpattern", "urlpathpattern")},
    **{name: (_NOT_A_STUB[0], lambda _: _NOT_A_STUB[1]) for name in ("request", "response")},
    "fixeddelaymilliseconds": ("a wait is a fault of its own, in ms",
                               lambda value: f'"fault": "latency={_waited(str(value))}"'),
    "status": (f"a forced status is a fault, one of {', '.join(map(str, FORCED))}",
               lambda value: f'"fault": "status={value if _integer(value) and value in FORCED else 503}"'),
}


def _field_instead(name: Any, value: Any) -> str:
    """What to send for a field the rule does not take: a known field in another case (`accountid`, as the request
    header spells it), or one a WireMock stub has in its place."""
    cased = next((field for field in RULE_FIELDS if field.lower() == str(name).lower()), None)
    if cased is not None:
        return f"; {send_instead(['field names are case-sensitive'], json.dumps(cased))}"
    other = OTHER_FIELDS.get(str(name).lower())
    return f"; {send_instead([other[0]], other[1](value))}" if other else ""


def rule_from_json(data: Any) -> dict[str, Any]:
    """A rule to store, from the admin API's JSON; FaultError lists every field that is wrong."""
    if not isinstance(data, dict):
        raise FaultError((None, 'a rule is a JSON object, e.g. {"fault": "status=503", "path": "/campaign/*"}'))
    rule = {"fault": data.get("fault"), "method": data.get("method"), "path": data.get("path"),
            "probability": 1 if data.get("probability") is None else data["probability"], "count": data.get("count"),
            "accountId": data.get("accountId")}  # null is the default, for every field that has one
    problems = [(name, f"must be {wanted}{_got(name, data)}")
                for name, (ok, wanted) in RULE_FIELDS.items() if not ok(rule[name])]
    if isinstance(rule["path"], str) and own_path(rule["path"]):  # a glob under /__admin/ matches only own paths
        problems.append(("path", "matches only the mock's own paths (/__admin, the paths under /__admin/,"
                                 " /openapi.json), which faults never apply to"))
    elif isinstance(rule["path"], str) and path_glob.fixed(rule["path"]) > path_glob.LONGEST_PATH:
        problems.append(("path", path_glob.too_long(rule["path"])))
    problems += [(clip(str(name), 40),
                  f"is not a rule field (known: {', '.join(RULE_FIELDS)}{_field_instead(name, data[name])})")
                 for name in sorted(set(data) - set(RULE_FIELDS) - set(rule_sent_back.FIELDS))]
    problems += rule_sent_back.problems(data)  # a rule sent back as the mock answered it: id, remaining, applied
    if problems:
        raise FaultError(*problems)
    rule["count"] = rule_sent_back.count(data)
    rule["sentBack"] = {name: data[name] for name in (*rule_sent_back.FIELDS, "count") if name in data}
    try:
        parse(rule["fault"])
    except FaultError as exc:
        raise FaultError(*[("fault", reason) for _, reason in exc.problems]) from None
    rule["method"] = rule["method"].upper() if rule["method"] else None
    return rule


def matches(rule: dict[str, Any], method: str, path: str, accounts: frozenset[str] = frozenset()) -> bool:
    return ((rule["method"] is None or rule["method"] == method)
            and (rule["path"] is None or path_glob.matches(path, rule["path"]))
            and (rule["accountId"] is None or rule["accountId"] in accounts)
            and (rule["remaining"] is None or rule["remaining"] > 0))


def named_accounts() -> frozenset[str]:
    """The account ids the current request names, in the `accountid` header and the `accountId` query parameter
    (one tester's traffic on a shared sandbox, whether or not the two agree)."""
    return frozenset(value for value in (request.headers.get("accountid"), request.args.get("accountId")) if value)


def from_rules(store: Store, method: str, path: str,
               accounts: Callable[[], frozenset[str]] = frozenset) -> Fault | None:
    """The fault of the first rule that matches, fires (its probability) and can still be claimed. `accounts`
    gives the request's account ids, asked only if a rule names one."""
    rules = store.fault_rules()
    named = accounts() if any(rule["accountId"] is not None for rule in rules) else frozenset()
    for rule in rules:
        if not matches(rule, method, path, named) or draws(rule["id"], rules).random() >= rule["probability"]:
            continue
        if store.claim_fault_rule(rule["id"]):  # another worker may have taken a counted rule's last use
            return replace(parse(rule["fault"], stored=True), source=f"fault rule {rule['id']}", rule_id=rule["id"])
    return None


def draws(rule_id: int | None, rules: list[dict[str, Any]] | None = None) -> Any:
    """Where a rule's chances and latencies are drawn from (rule_id None: the header's): without a seed, the process's
    generator; with one, the rule's own sequence in this worker, seeded by (seed, rule id), so the same requests
    sent one at a time to one worker meet the same faults in every run. Each worker draws its own sequence, so
    across workers it repeats only as far as the requests reach the same workers in the same order.
    `rules` are those held: once more sequences are kept than rules may be, those of rules gone are forgotten."""
    mock = current_app.extensions["mock"]
    if mock.seed is None:
        return random  # the module's generator, seeded anew in each forked worker (a Random made here would not be)
    kept = mock.fault_draws
    if rule_id not in kept:
        if len(kept) > MAX_RULES and rules:
            for gone in set(kept) - {rule["id"] for rule in rules}:
                kept.pop(gone, None)
        kept.setdefault(rule_id, random.Random(f"{mock.seed}:fault rule:{rule_id}"))
    return kept[rule_id]


def forced(status: int, source: str, retry_after_s: int | None = None) -> Response:
    """The forced status in the envelope, its hint naming where the fault came from (on a shared sandbox, another
    tester's rule may be what a client meets)."""
    item = {**failure(FORCED[status]).item(status=status), "hint": f"injected by {source}"}
    response = make_response(refused(status, [item]))
    if retry_after_s is not None:
        response.headers["Retry-After"] = str(retry_after_s)
    elif status == 429:
        response.headers["Retry-After"] = "1"  # a forced 429 has no window; a client may retry at once
    return response


DROP = "mock.drop"  # the environ key of a socket to close once the request is journalled


FAULT_SOURCE = "mock.fault_source"  # the environ key of where a dropping fault came from, for the request log
DROP_AFTER = "mock.drop_after"  # the environ key of a request whose answer is dropped once it is served
DROP_RESET = "mock.drop_reset"  # the environ key of a dropped connection to reset rather than close


# A dropped connection's journal entry carries an error saying which drop it was, in the envelope's shape, its hint
# naming where the fault came from as a forced status's does (WireMock's journal likewise names the fault:
# EMPTY_RESPONSE, CONNECTION_RESET_BY_PEER): the journal's only, as the client got no answer to carry it. A drop
# before an answer has it alone; a `drop=after` entry has it after the errors of the answer it dropped, so that
# errors[0] of a refused request is the refusal's, whether or not its answer was lost.
DROPPED_MESSAGES = {  # by (DROP_AFTER, DROP_RESET)
    (False, False): "Connection closed without an answer (injected fault: drop)",
    (False, True): "Connection reset without an answer (injected fault: drop=reset)",
    (True, False): "Connection closed after serving the request, its answer not sent (injected fault: drop=after)",
    (True, True): "Connection reset after serving the request, its answer not sent (injected fault: drop=after-reset)",
}


def journal_errors(errors: list[dict[str, Any]] | None, environ: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors a journal entry carries: those answered, then, for a dropped connection, the drop's."""
    if FAULT_SOURCE not in environ:
        return errors or []
    form = (bool(environ.get(DROP_AFTER)), bool(environ.get(DROP_RESET)))
    return [*(errors or []), {"msg": DROPPED_MESSAGES[form], "code": DROPPED_CODE,
                              "hint": f"injected by {environ[FAULT_SOURCE]}"}]


def drop_connection(environ: dict[str, Any]) -> Response:
    """Have the client's socket closed so it gets no response; the server's later write fails and is ignored.
    It is closed at the request's teardown, after the journal recorded the 444 (closed here, a client that looked
    at the journal as soon as its connection dropped could find the request not there yet)."""
    environ[DROP] = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    return Response(status=DROPPED_STATUS)


def close_dropped(_error: BaseException | None = None) -> None:
    """Flask's teardown: after the after-request hooks (the journal's), before the server writes a byte."""
    sock = request.environ.pop(DROP, None)
    if sock is not None:
        _take_body()
        with contextlib.suppress(OSError):  # the client went first
            if request.environ.get(DROP_RESET):
                tls.reset(sock)
            else:
                tls.shutdown(sock, socket.SHUT_RDWR)


def _take_body() -> None:
    """Read the body the client is sending before its connection is cut, as a server that fails after reading the
    request does. Cut while the client was still sending, the close or reset met its send, which urllib3 (among
    others) ignores so as to read an early answer; its read then found only the end: a reset read as a clean close,
    and the bytes that arrived after a clean close made the kernel reset it, both depending on timing. A body that
    cannot be read (too large, cut off, too slow) is left: the connection is cut all the same."""
    with contextlib.suppress(OSError, ValueError, HTTPException):
        request.get_data(cache=False)


FAULT_RULE = "fault_rule"  # the `g` attribute of the rule that met the request, which the journal names


def apply(fault: Fault, environ: dict[str, Any]) -> Response | None:
    if fault.rule_id is not None:
        setattr(g, FAULT_RULE, fault.rule_id)
    if fault.latency_ms:
        # cut short when an in-process mock stops (running_mock's block ends), so its store outlives the request,
        # or resets (RunningMock.reset), so the request is answered before it rather than into the next test
        current_app.extensions["mock"].waking.wait(draws(fault.rule_id).uniform(*fault.latency_ms) / 1000)
    if fault.drop:
        environ[FAULT_SOURCE] = fault.source
        environ[DROP_RESET] = fault.drop_reset
        if not fault.drop_after:
            return drop_connection(environ)
        environ[DROP_AFTER] = True
    if fault.status:
        return forced(fault.status, fault.source, fault.retry_after_s)
    return None


def before_request() -> Response | None:
    if own_path(request.path):
        return None
    spec = header_text(request.headers.get(HEADER))  # as sent, so that a message quoting it shows what was sent
    expected = current_app.extensions["mock"].admin_token
    if spec is not None and expected is not None and not hmac.compare_digest(presented_token(), expected):
        # on a shared sandbox, two `latency=30000` requests would hold both workers for every team
        return make_response(refused(failure("fault.unauthorized").status, [refusal_item("fault.unauthorized")]))
    try:
        fault = parse(spec) if spec is not None else from_rules(
            current_app.extensions["mock"].store, request.method, request.path, named_accounts)
    except FaultError as exc:
        return make_response(refused(failure("fault.invalid").status, exc.items(HEADER)))
    return apply(fault, request.environ) if fault else None


def drop_served(response: Response) -> Response:
    """drop=after, drop=after-reset: the request was served (a create stored or refused as usual), and its answer is
    dropped now, before the journal's hook, registered earlier, records it (as a 444, with the errors the answer
    carried, then the drop's)."""
    return drop_connection(request.environ) if request.environ.get(DROP_AFTER) else response


def register(app: Flask) -> None:
    app.before_request(before_request)
    app.after_request(drop_served)
    app.teardown_request(close_dropped)
