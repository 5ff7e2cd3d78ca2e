"""The seeded tenant: accounts, their streams, JWT apps and the named resources a campaign refers to."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.errors import ConfigError
from mockserver.journal_filters import MAX_FILTER_CHARS
from mockserver.json_mistakes import OTHER_FORMATS, UTF16, syntax_hint, utf16
from mockserver.paths import DEFAULT_TENANT, PROJECT_ROOT, TENANT_SCHEMA
from mockserver.regular_files import not_regular
from mockserver.shown_text import clipped
from mockserver.strict_json import dotted, lone_surrogate, lone_surrogate_path, no_constant, no_repeated_keys
from mockserver.wire import surrogate_problem


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str = field(repr=False)  # kept out of a failing test's report that shows the account
    name: str = ""


COLLECTIONS = {"contactLists": "contact_lists", "dncLists": "dnc_lists", "callerIds": "caller_ids", "queues": "queues"}


@dataclass(frozen=True)
class Account:
    account_id: str
    streams: tuple[str, ...]
    apps: tuple[App, ...]
    contact_lists: dict[str, str]  # name -> id
    dnc_lists: dict[str, str]  # name -> id
    caller_ids: dict[str, bool]  # phone number -> verified
    queues: dict[str, str]  # name -> id
    name: str = ""

    def resource_ids(self, collection: str) -> dict[str, Any]:
        """A tenant collection by its name in the tenant file: name (or phone number) -> id (or verified)."""
        return getattr(self, COLLECTIONS[collection])

    def public(self) -> dict[str, Any]:
        """The account in the tenant file's shape, without the apps' secrets: what a tester may refer to."""
        return {
            "accountId": self.account_id, "name": self.name, "streams": list(self.streams),
            "apps": [{"clientId": app.client_id, "name": app.name} for app in self.apps],
            "contactLists": [{"name": name, "id": id_} for name, id_ in self.contact_lists.items()],
            "dncLists": [{"name": name, "id": id_} for name, id_ in self.dnc_lists.items()],
            "callerIds": [{"phoneNumber": number, "verified": ok} for number, ok in self.caller_ids.items()],
            "queues": [{"name": name, "id": id_} for name, id_ in self.queues.items()],
        }


@dataclass(frozen=True)
class Tenant:
    accounts: tuple[Account, ...]
    source: str = "<memory>"
    _apps: dict[str, tuple[App, Account]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for account in self.accounts:
            for app in account.apps:
                self._apps[app.client_id] = (app, account)

    @property
    def default_account(self) -> Account:
        return self.accounts[0]

    def app(self, client_id: str) -> tuple[App, Account] | None:
        return self._apps.get(client_id)

    def account(self, account_id: str) -> Account | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)

    def account_list(self, most: int | None = None) -> str:
        """The accounts' ids for a message: "a, b, c", cut after `most` of them with ", ..."."""
        ids = [account.account_id for account in self.accounts]
        shown = ids if most is None else ids[:most]
        return ", ".join(shown) + (", ..." if len(shown) < len(ids) else "")


MAX_SHOWN_PROBLEMS = 5  # a tenant file's problems, in one line
MAX_TENANT_BYTES = 16 * 2**20  # the default tenant is 3 KB; a file of thousands of accounts is well under this


@functools.cache
def _validator() -> Any:
    from mockserver.ecma_pattern import Validator  # here: `mockserver serve` imports this module in gunicorn's master

    return Validator(json.loads(TENANT_SCHEMA.read_text(encoding="utf-8")))


@functools.cache
def _compiled() -> Any:
    import jsonschema_rs  # see _validator

    return jsonschema_rs.validator_for(json.loads(TENANT_SCHEMA.read_text(encoding="utf-8")))


def _schema_valid(raw: Any) -> bool:
    """The compiled validator's verdict (as on the endpoint's accept path): the one that words each problem is pure
    Python, and took 5 s over a tenant of 3,000 accounts and 9,000 names, in the master and again in each worker.
    False for a document it cannot take (half a surrogate pair; a dict given in code holding what JSON does not, a
    set or bytes, which it refused with a bare ValueError): the other then judges it."""
    try:
        return _compiled().is_valid(raw)
    except (UnicodeEncodeError, ValueError):
        return False


# Names a campaign refers to, unique within their account's collection, and so are the ids an answer gives for them
# (a row copied and only renamed would answer two lists with one id); client ids, account ids and streams are unique
# across the file (a token's appId and a path's streamId must lead to one account). Accounts may share a list's id, as
# a file of an account per tester copies one account's lists.
UNIQUE_IN_ACCOUNT = (("contactLists", "name"), ("dncLists", "name"), ("queues", "name"), ("callerIds", "phoneNumber"),
                     ("contactLists", "id"), ("dncLists", "id"), ("queues", "id"))


def _owned(raw: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(scope, value, path) for every value that must be unique within its scope."""
    for i, account in enumerate(raw["accounts"]):
        at = f"accounts[{i}]"
        yield "account ids", account["accountId"], f"{at}.accountId"
        for j, stream in enumerate(account["streams"]):
            yield "streams", stream, f"{at}.streams[{j}]"
        for j, app in enumerate(account["apps"]):
            yield "client ids", app["clientId"], f"{at}.apps[{j}].clientId"
        for collection, key in UNIQUE_IN_ACCOUNT:
            for j, row in enumerate(account.get(collection, [])):
                yield f"{at}.{collection}.{key}", row[key], f"{at}.{collection}[{j}].{key}"


# An account id's most characters: as fault rules, the admin filters (`?accountId=`) and an account's reset take
# it, so that every account can be named by each of them.
MAX_ACCOUNT_CHARS = MAX_FILTER_CHARS


def _long_account_ids(raw: dict[str, Any]) -> Iterator[str]:
    for i, account in enumerate(raw["accounts"]):
        if len(account["accountId"]) > MAX_ACCOUNT_CHARS:
            yield (f"accounts[{i}].accountId {clipped(account['accountId'], 17)} must be at most {MAX_ACCOUNT_CHARS}"
                   f" characters (got {len(account['accountId'])}), as fault rules, the admin API's accountId"
                   " filters and an account's reset take it")


# Account ids travel in the accountid header and the accountId parameter, streams in the path and the iid header:
# printable ASCII arrives the same from every client (a header beyond it is Latin-1 from one, UTF-8 from another),
# and a stream holding '/', '?', '#' or '%' is no path segment as written. Blanks inside are kept; at an end, a
# header's are stripped.
PRINTABLE_ASCII = re.compile(r"[!-~](?:[ -~]*[!-~])?")
STREAM_ONLY_AS_WRITTEN = re.compile(r"[/?#%]")
# A header's value holding a comma is two values to a server joining repeated headers (the mock refuses it so), and a
# path segment `.` or `..` is taken out of the URL by the client (RFC 3986, 5.2.4) before it is sent.
DOT_SEGMENTS = (".", "..")


def id_problem(value: str, stream: bool = False) -> str | None:
    """Why an account id (or, with `stream`, a stream) cannot travel as written, or None."""
    if PRINTABLE_ASCII.fullmatch(value) and "," not in value and not (
            stream and (STREAM_ONLY_AS_WRITTEN.search(value) or value in DOT_SEGMENTS)):
        return None
    if stream:
        return ("must be printable ASCII with no blank at either end and no ',', '/', '?', '#' or '%', nor be '.' or"
                " '..', as the request's path and its iid header carry it")
    return ("must be printable ASCII with no blank at either end and no ',', as the accountid header and the accountId"
            " parameter carry it")


def _unreachable(raw: dict[str, Any]) -> Iterator[str]:
    """Values no request could carry: a lone surrogate anywhere (a secret holding one cannot sign a token: `mockserver
    token` ended in a traceback), an account id or a stream id_problem() refuses."""
    if (text := lone_surrogate(raw)) is not None:
        yield f"{dotted(lone_surrogate_path(raw))} {surrogate_problem(text)}"
        return
    for i, account in enumerate(raw["accounts"]):
        if (problem := id_problem(account["accountId"])) is not None:
            yield f"accounts[{i}].accountId {problem} (got {clipped(account['accountId'], 40)})"
        for j, stream in enumerate(account["streams"]):
            if (problem := id_problem(stream, stream=True)) is not None:
                yield f"accounts[{i}].streams[{j}] {problem} (got {clipped(stream, 40)})"


def _problems(raw: Any) -> list[str]:
    """What is wrong with a tenant file's document: its schema's violations, else repeated names and ids."""
    from mockserver.validation import describe  # see _validator

    found = [] if _schema_valid(raw) else sorted({str(describe(error)) for error in _validator().iter_errors(raw)})
    if found:
        return found
    found.extend(_long_account_ids(raw))
    found.extend(_unreachable(raw))
    first_at: dict[tuple[str, str], str] = {}
    for scope, value, at in _owned(raw):
        if (scope, value) in first_at:
            found.append(f"{at} repeats {value!r} (as {first_at[scope, value]})")
        first_at.setdefault((scope, value), at)
    default = raw["accounts"][0]
    if not default["streams"] or not default["apps"]:
        found.append("accounts[0] (the default account) needs at least one stream and one app")
    return found


def _by_name(rows: list[dict[str, Any]], value_key: str) -> dict[str, Any]:
    return {row["name"]: row[value_key] for row in rows}


def _account(raw: dict[str, Any]) -> Account:
    return Account(
        account_id=raw["accountId"],
        name=raw.get("name", ""),
        streams=tuple(raw["streams"]),
        apps=tuple(App(a["clientId"], a["clientSecret"], a.get("name", "")) for a in raw["apps"]),
        contact_lists=_by_name(raw.get("contactLists", []), "id"),
        dnc_lists=_by_name(raw.get("dncLists", []), "id"),
        caller_ids={c["phoneNumber"]: c.get("verified", False) for c in raw.get("callerIds", [])},
        queues=_by_name(raw.get("queues", []), "id"),
    )


def parse_tenant(raw: Any, source: str = "<memory>") -> Tenant:
    """A Tenant from a tenant file's document; ConfigError naming every problem (by its path) in one line."""
    problems = _problems(raw)
    if problems:
        shown = "; ".join(problems[:MAX_SHOWN_PROBLEMS])
        more = f" (and {len(problems) - MAX_SHOWN_PROBLEMS} more)" if len(problems) > MAX_SHOWN_PROBLEMS else ""
        raise ConfigError(f"not a valid tenant file (see {_shipped(TENANT_SCHEMA)}): {shown}{more}", where=source)
    return Tenant(accounts=tuple(_account(a) for a in raw["accounts"]), source=source)


def read_tenant_text(path: str | Path | None = None) -> str:
    """A tenant file's text (the default tenant's if no path), unparsed: what `mockserver serve` reads once in its
    master, so that a worker started later builds the tenant that was checked, whatever became of the file."""
    shown = str(path or DEFAULT_TENANT)  # as given: a Path drops a trailing slash
    if (why := not_regular(shown)) is not None:  # a named pipe held the start, waiting for a writer
        raise ConfigError(f"cannot read tenant file: {why}", where=shown)
    path = Path(shown)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TENANT_BYTES + 1)  # not whole: a runaway file is refused past the most
        if len(data) > MAX_TENANT_BYTES:
            raise ConfigError(f"tenant file is larger than {MAX_TENANT_BYTES // 2**20} MB: is it the tenant file?",
                              where=shown)
        if utf16(data):
            raise ConfigError(f"tenant file {UTF16}", where=shown)
        return data.decode("utf-8-sig")  # past a byte order mark an editor (Notepad) may put first, as the page is read
    except OSError as exc:
        raise ConfigError(f"cannot read tenant file: {exc.strerror}", where=shown) from None
    except UnicodeDecodeError as exc:  # saved in a Windows code page (Notepad's "ANSI"), or Latin-1
        raise ConfigError(f"tenant file is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}): save"
                          " it as UTF-8", where=shown) from None


def _format_hint(path: Path) -> str:
    other = path.suffix.lower() in OTHER_FORMATS
    return f" (a {path.suffix} file: a tenant file is JSON alone, as {_shipped(DEFAULT_TENANT)} is)" if other else ""


def _shipped(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()  # an install's is under mockserver/bundled/


def load_tenant(path: str | Path | None = None, text: str | None = None) -> Tenant:
    """The tenant in a file (the default tenant's if no path), or in `text` read from that file before."""
    text = read_tenant_text(path) if text is None else text  # the path as given: see read_tenant_text
    path = Path(path) if path else DEFAULT_TENANT
    if not text.strip():  # the parser's words were "Expecting value: line 1 column 1 (char 0)"
        raise ConfigError(f"tenant file is empty: write its accounts as {_shipped(DEFAULT_TENANT)} does",
                          where=str(path))
    try:
        raw = json.loads(text, object_pairs_hook=no_repeated_keys, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"tenant file is not valid JSON: {exc}{_format_hint(path) or syntax_hint(exc)}",
                          where=str(path)) from None
    except ValueError as exc:  # a key given twice, NaN or Infinity
        raise ConfigError(f"tenant file is not valid JSON: {exc}", where=str(path)) from None
    except RecursionError:
        raise ConfigError("tenant file is not valid JSON: nested too deeply", where=str(path)) from None
    return parse_tenant(raw, source=str(path))
