"""The mock inside your own tests: served in-process on an ephemeral 127.0.0.1 port, with what a client needs.

    from mockserver.testing import running_mock

    with running_mock(seed=1) as mock:
        answer = requests.post(mock.endpoint, json=mock.sample_request(name="Spring renewals"), headers=mock.headers)
        assert mock.journal()[0]["status"] == 200

Under pytest the `kore_mock` fixture (mockserver.pytest_plugin) gives the same object, one fresh mock per test.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, overload
from urllib.parse import quote, urlencode

import requests
from werkzeug.serving import make_server
from werkzeug.wsgi import ClosingIterator

from mockserver.admin_client import journal_params
from mockserver.auth import MAX_TTL_S, TOKEN_HEADER, mint_token
from mockserver.errors import ConfigError, OptionError, unknown_names
from mockserver.fault_keywords import keyword_hint
from mockserver.faults import RULE_FIELDS
from mockserver.fitted_sample import fitted_sample
from mockserver.in_process_server import handler_for
from mockserver.routes.admin import MAX_LIMIT
from mockserver.shown_text import MAX_SHOWN, clip, clipped
from mockserver.tenant import Account, Tenant, parse_tenant
from mockserver.wire import surrogate_problem

# What a client uses: ConfigError is what running_mock raises for an option's value it cannot use (seed="abc")
__all__ = ["ConfigError", "FaultRuleWarning", "PathFilterWarning", "RunningMock", "UnknownAccountWarning",
           "UnknownOption", "running_mock", "serve"]

ADMIN_PAGE = MAX_LIMIT  # entries asked for at a time by journal() and campaigns(): the admin API's largest limit


STOP_WAIT_S = 5  # how long a stop waits for the requests in hand, as `mockserver serve` gives them on SIGTERM


class _InHand:
    """A WSGI app that counts its requests in hand, each until its answer is closed (a listing's rows are read as
    it is sent), so that a stop can wait for them before what they use is closed."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.changed:
            self.count += 1
        try:
            return ClosingIterator(self.app(environ, start_response), self._done)
        except BaseException:
            self._done()
            raise

    def _done(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait(self, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout)


@contextmanager
def serve(app: Any, port: int = 0, ssl_context: Any = None) -> Iterator[str]:
    """Serve a WSGI app on an ephemeral 127.0.0.1 port (or `port`, to serve again where a stopped one was) in a
    thread, over TLS with an `ssl_context` (werkzeug's: a (cert, key) pair will do); yields its base URL, stops it
    on exit, once the requests in hand are answered (STOP_WAIT_S at most), so that the app's store can be closed
    after; closing it is the caller's."""
    with _served(app, port, ssl_context) as (url, _):
        yield url


@contextmanager
def _served(app: Any, port: int = 0, ssl_context: Any = None) -> Iterator[tuple[str, _InHand]]:
    """serve()'s work, yielding the requests in hand beside the URL, which RunningMock.reset() waits for."""
    in_hand = _InHand(app)
    server = make_server("127.0.0.1", port, in_hand, threaded=True, request_handler=handler_for(app),
                         ssl_context=ssl_context)
    # a short poll: shutdown() waits for the loop to look, 0.5 s by default, and a suite may start many mocks
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="mock-server", daemon=True)
    thread.start()
    try:
        yield f"{'https' if ssl_context else 'http'}://127.0.0.1:{server.server_port}", in_hand
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        in_hand.wait(STOP_WAIT_S)


JOURNAL_FILTERS = tuple(inspect.signature(journal_params).parameters)  # status, method, path, account_id, ...
# add_fault()'s keywords, each a fault rule's field: method, path, probability, count, account_id (accountId)
FAULT_NARROWING = {re.sub("[A-Z]", lambda upper: f"_{upper[0].lower()}", field): field
                   for field in RULE_FIELDS if field != "fault"}


def _sendable(caller: str, /, **values: Any) -> None:
    """A ValueError naming the method called and the value, for text no request can carry: a lone surrogate ended
    in requests' UnicodeEncodeError, or urllib's, from deep inside them. `values` may hold a `method` filter."""
    for name, value in values.items():
        if isinstance(value, str) and (problem := surrogate_problem(value)) is not None:
            raise ValueError(f"{caller}() got {name}={value!r}: it {problem}")


def _journal_filters(method: str, filters: dict[str, Any]) -> dict[str, Any]:
    """The admin API's journal parameters for a method's filters; an unknown one is a TypeError naming the method
    and the likely meant filter (journal_params' own would name journal_params, which the caller never called)."""
    unknown = [name for name in filters if name not in JOURNAL_FILTERS]
    if unknown:
        raise TypeError(f"{method}() got unknown filter(s) {unknown_names(unknown, JOURNAL_FILTERS)}; it takes"
                        f" {', '.join(JOURNAL_FILTERS)}" + (" and limit" if method == "journal" else ""))
    _sendable(method, **filters)
    return journal_params(**filters)


def _fault_rule(method: str, fault: str, narrowing: dict[str, Any]) -> dict[str, Any]:
    """A fault rule's JSON from a method's keywords; an unknown one is a TypeError naming the method and the
    likely meant keyword (the mock's refusal would list the rule's JSON fields: accountId, not account_id)."""
    unknown = [name for name in narrowing if name not in FAULT_NARROWING]
    if unknown:
        keywords = {field: keyword for keyword, field in FAULT_NARROWING.items()}
        named = [f"{name!r} ({hint})" if (hint := keyword_hint(method, fault, name, narrowing[name], keywords))
                 else unknown_names([name], FAULT_NARROWING) for name in unknown]
        raise TypeError(f"{method}() got unknown narrowing(s) {', '.join(named)}; it takes"
                        f" {', '.join(FAULT_NARROWING)}")
    for name, value in {"fault": fault, **narrowing}.items():
        _json_value(method, name, value)
    return {"fault": fault, **{FAULT_NARROWING[name]: value for name, value in narrowing.items()}}


def _rule_body(method: str, fault: Any, narrowing: dict[str, Any]) -> dict[str, Any]:
    """A rule's JSON from a fault and keywords, or from a rule as read (a dict), keywords in place of its fields: the
    mock's words on it left out, and for add_fault() its id and count of requests met, which a rule added gets anew;
    a count given anew in place of what it had left."""
    if not isinstance(fault, Mapping):
        return _fault_rule(method, fault, narrowing)
    left = {"warnings", *(("id", "applied") if method == "add_fault" else ()), *(("remaining",) if "count" in
                                                                                   narrowing else ())}
    read = {name: value for name, value in fault.items() if name not in left}
    return {**read, **_fault_rule(method, read.get("fault"), narrowing)}


def _json_value(method: str, name: str, value: Any) -> None:
    """A TypeError (ValueError for NaN and infinity) naming the method and keyword, for a value the rule's JSON
    cannot carry: probability=float("nan") ended in requests' InvalidJSONError, path=b"/x" in json's "Object of type
    bytes is not JSON serializable", neither saying which keyword."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        wanted = RULE_FIELDS[FAULT_NARROWING.get(name, name)][1]
        error = ValueError if isinstance(exc, ValueError) else TypeError
        raise error(f"{method}() got {name}={clipped(value, MAX_SHOWN)}, which JSON cannot carry: {name} must be"
                    f" {wanted}") from None


def _whole_id(method: str, whose: str, given: Any) -> int:
    """An id as a method was given it for its admin path: a whole number, or a TypeError naming the method and whose
    id it takes (a string such as "../reset" would reach another admin route)."""
    if isinstance(given, bool) or not isinstance(given, int):
        raise TypeError(f"{method}() takes {whose}'s id, a whole number (got {given!r})")
    return given


def _unless_journal_off(listing: dict[str, Any]) -> dict[str, Any]:
    """An admin listing, unless it is the journal of a mock that keeps none (JOURNAL=False): that one is always empty,
    and `assert mock.count_requests(status="5xx") == 0` would pass whatever was answered."""
    if listing.get("journal") == "off":
        raise RuntimeError("this mock keeps no journal (it was started with JOURNAL=False): its listing is empty"
                           " whatever requests came")
    return listing


@dataclass(frozen=True)
class RunningMock:
    """A served mock, one account's facts (the tenant's first, or the one for_account names), and its admin API as
    methods."""

    url: str  # base URL, e.g. http://127.0.0.1:41234
    account: Account  # the tenant's first account (for_account: another): its streams, lists, caller IDs, queues
    app: Any  # the Flask app, for what the admin API does not offer
    admin_token: str | None = None  # the ADMIN_TOKEN it was given: the admin methods below send it
    _in_hand: _InHand | None = dataclasses.field(default=None, repr=False, compare=False)  # what reset() waits for

    def __repr__(self) -> str:
        """What a failing test's report shows of the fixture: the address and the account, not the admin token nor
        the account's app secrets (the dataclass's own repr printed both, and every list of the account)."""
        token = ", admin_token=<redacted>" if self.admin_token is not None else ""
        return f"RunningMock(url={self.url!r}, account_id={self.account_id!r}{token})"

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def stream_id(self) -> str:
        if not self.account.streams:  # a tenant's later accounts may list none: an IndexError said nothing of it
            raise ValueError(f"account {self.account_id!r} has no stream in the tenant, so no endpoint to call: give"
                             " it one in its \"streams\"")
        return self.account.streams[0]

    @property
    def endpoint(self) -> str:
        """The create endpoint's full URL for the account and its first stream, query included: accountId,
        campaignType=voice and any other parameter the page's sample URL gives a value (none on the vendored page)."""
        contract = self.app.extensions["mock"].contract
        path = contract.endpoint["pathTemplate"].replace("{streamId}", self.stream_id)
        query = contract.with_sample_values("query", {"accountId": self.account_id, "campaignType": "voice"})
        return f"{self.url}{path}?{urlencode(query)}"

    def token(self, ttl: int | None = 3600) -> str:
        """A fresh JWT for the account's first app, minted as the vendor documents (HS256, `sub` and `appId`)."""
        if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int)):
            raise TypeError(f"token() takes ttl as whole seconds (a negative one: already expired), or None for a"
                            f" token that never expires (got {ttl!r})")
        if ttl is not None and abs(ttl) > MAX_TTL_S:  # 10**30 was minted, and read as never expiring
            # str() fails past 4300 digits
            shown = str(ttl) if abs(ttl) < 10**40 else f"{'-' * (ttl < 0)}more than 10**40"
            raise ValueError(f"token() takes ttl from -{MAX_TTL_S} to {MAX_TTL_S} seconds, ten years either way (got"
                             f" {shown}): None leaves exp out")
        if not self.account.apps:
            raise ValueError(f"account {self.account_id!r} has no app in the tenant, so no token to mint: give it one"
                             " in its \"apps\" (a clientId and clientSecret)")
        app = self.account.apps[0]
        return mint_token(app.client_id, app.client_secret, ttl=ttl)

    @property
    def headers(self) -> dict[str, str]:
        """The headers the endpoint requires: auth (a fresh token), accountid and iid, and any other the page's sample
        request sends with a value of its own, as it sends it (none on the vendored page)."""
        own = {TOKEN_HEADER: self.token(), "accountid": self.account_id, "iid": self.stream_id}
        return self.app.extensions["mock"].contract.with_sample_values("headers", own)

    def sample_request(self, **fields: Any) -> dict[str, Any]:
        """The vendor page's sample request body, a fresh copy naming the account's own lists, caller ID and queue
        where the sample's are not its own (for_account), with the top-level `fields` given set in it:
        sample_request(name="Spring renewals"). Against the default tenant it creates a campaign. A field the
        request does not have (Name=, queue=) is a TypeError naming the likely meant one: the mock ignores a body's
        unknown fields, so it would have been sent and the test passed with the sample's own value instead. A field
        deeper in the body, or one the vendor does not define, is set on the dict returned."""
        contract = self.app.extensions["mock"].contract
        known = [*contract.sample_request, *(name for name in contract.request.get("properties", {})
                                             if name not in contract.sample_request)]
        unknown = [name for name in fields if name not in known]
        if unknown:
            raise TypeError(f"sample_request() got unknown field(s) {unknown_names(unknown, known)}; the request's"
                            f" top-level fields are {', '.join(known)} (set anything else on the dict it returns)")
        mock = self.app.extensions["mock"]
        return {**fitted_sample(contract.sample_request, mock.references, self.account), **fields}

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Every account of the tenant, in its file's order (the first is `account` unless for_account chose
        another): for an isolation test, `mock.for_account(mock.accounts[1].account_id)`."""
        return tuple(self.app.extensions["mock"].tenant.accounts)

    def for_account(self, account_id: str) -> RunningMock:
        """This mock as another account of its tenant sees it: account_id, stream_id (the account's first stream),
        token(), headers, endpoint and sample_request() are that account's. The admin methods still see the whole
        mock (narrow them with account_id=)."""
        tenant = self.app.extensions["mock"].tenant
        account = tenant.account(account_id)
        if account is None:
            raise ValueError(f"the tenant has no account {account_id!r}; its accounts are {tenant.account_list()}")
        return dataclasses.replace(self, account=account)

    def _admin(self, method: str, path: str, **kwargs: Any) -> Any:
        if self.app.extensions["mock"].stopping.is_set():  # its port is free: another mock may serve there now
            raise RuntimeError(f"the mock at {self.url} has stopped: its `with running_mock()` block, or the test its"
                               " kore_mock fixture served, has ended")
        if self.admin_token is not None:
            kwargs.setdefault("headers", {})["Authorization"] = f"Bearer {self.admin_token}"
        with requests.Session() as session:
            session.trust_env = False  # the mock is in this process on 127.0.0.1: no HTTP_PROXY, .netrc or CA bundle
            answer = session.request(method, f"{self.url}/__admin{path}", timeout=30, **kwargs)
        if answer.status_code >= 400:  # raise_for_status() alone drops the mock's own words ("unknown directive")
            try:
                said = "; ".join(str(error.get("msg")) for error in answer.json()["errors"])
            except (ValueError, KeyError, TypeError, AttributeError):
                said = clip(answer.text, 200)
            raise requests.HTTPError(f"{answer.status_code} from {method} /__admin{path}: {said}", response=answer)
        return answer.json()

    def journal(self, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
        """The request journal, newest first, narrowed as asked (status, method, path, account_id, since, after):
        journal(status="4xx"), journal(status=409, path="/campaign/*"), journal(after=entry["id"]) (see the
        README's admin API). Every matching entry, read a page at a time, or the newest `limit` of them. `path` is
        the whole path, as WireMock's urlPath, unless it holds `*` (any run of characters, `/` too): "/campaign"
        matches no create, which goes to /campaign/<streamId>, so `assert not journal(path="/campaign")` passes
        whatever was created; "/campaign/*" matches every create."""
        return self._listing("journal", "/requests", "requests", limit, _journal_filters("journal", filters))

    def journal_entry(self, entry_id: int) -> dict[str, Any]:
        """One journal entry by its `id`, as journal() lists it: journal_entry(entry["id"]). requests.HTTPError
        (404) if the journal holds none with that id: never given, deleted, or gone beyond the journal's limit."""
        return self._admin("GET", f"/requests/{_whole_id('journal_entry', 'an entry', entry_id)}")

    def delete_journal_entry(self, entry_id: int) -> None:
        """Forget one journal entry by its `id` (a request that carried what should not be kept, say), leaving the
        rest: delete_journal_entry(entry["id"]). requests.HTTPError (404) if the journal holds none with that id."""
        self._admin("DELETE", f"/requests/{_whole_id('delete_journal_entry', 'an entry', entry_id)}")

    def _listing(self, caller: str, path: str, key: str, limit: int | None,
                 params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every entry of an admin listing, or the first `limit`: the admin API answers at most ADMIN_PAGE a
        request, so the listing is read by `offset` a page at a time. A journal entry that comes again (entries
        written between two pages move the older ones down the newest-first journal) is kept once, by its id."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
            raise ValueError(f"limit must be a whole number from 0, or None for every entry (got {limit!r})")
        entries: list[dict[str, Any]] = []
        seen: set[Any] = set()
        offset = 0
        while limit is None or len(entries) < limit:
            asked = ADMIN_PAGE if limit is None else min(ADMIN_PAGE, limit - len(entries))
            listing = _unless_journal_off(self._admin("GET", path, params={**params, "limit": asked, "offset": offset}))
            if not offset:
                _account_warned(caller, listing, stacklevel=4)  # where journal() or campaigns() was called
            page = listing[key]
            offset += len(page)
            for entry in page:
                ident = entry.get("id")  # a journal entry's; campaigns, oldest first, do not move down
                if ident is None or ident not in seen:
                    seen.add(ident)
                    entries.append(entry)
            if len(page) < asked:  # the end of the listing
                break
        return entries[:limit] if limit is not None else entries

    def count_requests(self, **filters: Any) -> int:
        """How many journalled requests match, without listing them:
        `assert mock.count_requests(method="POST", path="/campaign/*") == 1`, as WireMock's verify does. The filters
        are journal()'s: `path` the whole path unless it holds `*`."""
        params = {"limit": 0, **_journal_filters("count_requests", filters)}
        listing = _unless_journal_off(self._admin("GET", "/requests", params=params))
        return _account_warned("count_requests", listing)["total"]

    def campaigns(self, limit: int | None = None, *, account_id: str | None = None, name: str | None = None,
                  stream_id: str | None = None) -> list[dict[str, Any]]:
        """The stored campaigns, oldest first, each as the create's `data` answered it; narrowed to an account, a
        name (whatever its case) or a stream, when given. Every one, read a page at a time, or the oldest `limit`."""
        _sendable("campaigns", account_id=account_id, name=name, stream_id=stream_id)
        wanted = {"accountId": account_id, "name": name, "streamId": stream_id}
        params = {key: value for key, value in wanted.items() if value is not None}
        return [entry["campaign"] for entry in self._listing("campaigns", "/campaigns", "campaigns", limit, params)]

    def delete_campaign(self, campaign_id: str) -> None:
        """Forget one campaign, so its name can be created again; requests.HTTPError (404) if there is none."""
        _sendable("delete_campaign", campaign_id=campaign_id)
        # %-encoded whole, dots too: "../requests" was sent as DELETE /__admin/requests, which cleared the journal
        self._admin("DELETE", f"/campaigns/{quote(str(campaign_id), safe='').replace('.', '%2E')}")

    def add_fault(self, fault: str | Mapping[str, Any], **narrowing: Any) -> dict[str, Any]:
        """A fault rule, e.g. add_fault("status=503", count=2) (fails twice, then lets requests through),
        add_fault("status=503;retry-after=2"), add_fault("latency=500", path="/campaign/*"), add_fault("drop",
        account_id=...), add_fault("drop=reset") (the connection reset, not closed), add_fault("drop=after", count=1)
        (served, a create stored, its answer lost) or add_fault("drop=after-reset", count=1) (as drop=after, the
        connection reset). `fault` may be a rule as read (fault_rule(), another mock's fault_rules()), keywords in
        place of its fields: it is added with its `remaining`, under an id of its own, `applied` from 0."""
        rule = _rule_body("add_fault", fault, narrowing)
        return _warned("add_fault", self._admin("POST", "/faults", json=rule))

    def replace_fault(self, rule_id: int | Mapping[str, Any], fault: str | Mapping[str, Any] | None = None,
                      **narrowing: Any) -> dict[str, Any]:
        """Replace a fault rule whole, as add_fault() takes it, keeping its `id` and its place among the rules:
        replace_fault(rule["id"], "status=503", count=1) makes a spent rule fail once more (`remaining` is the new
        count, `applied` goes on). A rule as read, edited, is sent back whole: replace_fault(rule | {"probability":
        0.5}) or replace_fault(rule, probability=0.5) keeps its `remaining` (requests.HTTPError 400 if the rule met
        requests since it was read, so that what it has left is not what was read; a `count=` keyword gives it that
        many anew). requests.HTTPError (404) if no rule has that id."""
        if isinstance(rule_id, Mapping):
            fault, rule_id = {**rule_id, **({"fault": fault} if isinstance(fault, str) else {})}, rule_id.get("id")
        rule = _rule_body("replace_fault", fault, narrowing)
        return _warned("replace_fault", self._admin("PUT", f"/faults/{_whole_id('replace_fault', 'a rule', rule_id)}",
                                                    json=rule))

    def fault_rules(self) -> list[dict[str, Any]]:
        """The fault rules in the order added, each as add_fault() answered it, with `remaining` and `applied` as
        they now are: `assert mock.fault_rules()[0]["applied"] == 2`."""
        return self._admin("GET", "/faults")["rules"]

    def fault_rule(self, rule_id: int) -> dict[str, Any]:
        """One fault rule by its `id`, as fault_rules() lists it: fault_rule(rule["id"])["applied"].
        requests.HTTPError (404) if no rule has that id (removed already, or by a reset)."""
        return self._admin("GET", f"/faults/{_whole_id('fault_rule', 'a rule', rule_id)}")

    def delete_fault(self, rule_id: int) -> bool:
        """Remove one fault rule by its `id` (add_fault()'s answer has it), leaving the others; False if there is
        no rule with that id (removed already, or by a reset)."""
        return self._admin("DELETE", f"/faults/{_whole_id('delete_fault', 'a rule', rule_id)}")["deleted"] == 1

    @overload
    def reset(self, *, account_id: None = None) -> None: ...

    @overload
    def reset(self, *, account_id: str) -> dict[str, int]: ...

    def reset(self, *, account_id: str | None = None) -> dict[str, int] | None:
        """Forget campaigns, journal, fault rules and rate-limit counts; with `account_id`, only that account's
        (the journal entries naming it, the rules narrowed to it), returning how many of each went:
        {"campaigns", "requests", "faultRules"}."""
        if account_id is None:
            self._answer_in_hand()
            self._admin("POST", "/reset")
            return None
        _sendable("reset", account_id=account_id)
        answer = self._admin("POST", "/reset", params={"accountId": account_id})
        return _account_warned("reset", answer)["deleted"]


    def _answer_in_hand(self) -> None:
        """Let the requests in hand be answered before a reset, a latency fault's wait cut short (STOP_WAIT_S at
        most): a timeout test's request, still sleeping, was answered after the reset, into the next test."""
        if self._in_hand is None:
            return
        waking = self.app.extensions["mock"].waking
        waking.set()
        try:
            self._in_hand.wait(STOP_WAIT_S)
        finally:  # cleared, then set again if the mock stopped meanwhile: its stop must wake every wait, for good
            waking.clear()
            if self.app.extensions["mock"].stopping.is_set():
                waking.set()


class FaultRuleWarning(UserWarning):
    """A fault rule added (or replaced) that can fault no create though its path looks meant for one, such as
    add_fault("status=503", path="/campaign") (a path without `*` is matched whole), whose path holds %-escapes
    (path="/a%2Fb": matched against the request's path decoded, it meets only `/a%252Fb`), whose method is spelt near
    one HTTP defines (method="PSOT"), or that never applies while an earlier rule meets all its requests every time.
    The rule is kept, as the admin API keeps it; `-W error::mockserver.testing.FaultRuleWarning` makes it a failure,
    `-W ignore::...` silences it."""


def _warned(method: str, rule: dict[str, Any]) -> dict[str, Any]:
    """The rule as the admin API answered it, each of its `warnings` warned of where the caller called `method`."""
    for text in rule.get("warnings", ()):
        warnings.warn(FaultRuleWarning(f"{method}(): {text}"), stacklevel=3)
    return rule


class UnknownAccountWarning(UserWarning):
    """A reset or listing narrowed to an account the tenant lacks that matched nothing, such as
    reset(account_id=<a misspelt id>): it deleted nothing, and `assert not mock.journal(account_id=...)` passes
    whatever came. `-W error::mockserver.testing.UnknownAccountWarning` makes it a failure."""


class PathFilterWarning(UserWarning):
    """A journal listing or count narrowed by a path with %-escapes, such as count_requests(path="/a%2Fb"): the
    journal keeps each request's path decoded, so it matches only a request sent as `/a%252Fb`, and a client's
    `/a%2Fb` is counted under "/a/b", the path the warning names. `-W error::mockserver.testing.PathFilterWarning`
    makes it a failure."""


def _account_warned(method: str, answer: dict[str, Any], stacklevel: int = 3) -> dict[str, Any]:
    """The admin API's answer, each of its `warnings` (an account the tenant lacks; a journal path filter with
    %-escapes, whose words start with `path`) warned of where the caller called `method`."""
    for text in answer.get("warnings", ()):
        kind = PathFilterWarning if text.startswith("path") else UnknownAccountWarning
        warnings.warn(kind(f"{method}(): {text}"), stacklevel=stacklevel)
    return answer


class UnknownOption(TypeError):
    """An option running_mock does not take (a typo: rate_limit=, RATE_LIMT=), or one given in both its spellings."""


# running_mock's own options, each also taken as the app factory's key it sets
SPELLINGS = {"tenant": "TENANT", "seed": "SEED", "clock": "CLOCK", "database": "DATABASE"}
# The factory's keys `mockserver serve` fills in for its workers, and the option that does their work here
SERVE_OWN = {"TENANT_TEXT": "give tenant= the tenant file, a Tenant or the file's document (a dict)",
             "DATABASE_FILE_ID": "give database= the database file"}


@contextmanager
def running_mock(*, tenant: str | os.PathLike[str] | Tenant | Mapping[str, Any] | None = None, seed: int | None = None,
                 clock: str | datetime | None = None, database: str | os.PathLike[str] | None = None,
                 **config: Any) -> Iterator[RunningMock]:
    """A mock with a fresh database (or `database`), served until the block ends: `tenant` a tenant file (or a
    Tenant; the default tenant if None), `clock` an ISO 8601 time with its zone (or an aware datetime) every createdAt
    reports. `config` takes the factory's other keys by name, e.g. RATE_LIMIT="60/min" or MAX_BODY_BYTES=1024. A
    tenant may also be given as its file's document, a dict, checked as the file would be."""
    given = {"tenant": tenant, "seed": seed, "clock": clock, "database": database}
    with started({**{name: value for name, value in given.items() if value is not None}, **config},
                 "running_mock()") as mock:
        yield mock


@contextmanager
def started(options: Mapping[str, Any], caller: str) -> Iterator[RunningMock]:
    """running_mock's work, for the options a `caller` gave ("running_mock()", or the kore_mock fixture's
    "@pytest.mark.kore_mock"), each under either spelling (clock= or CLOCK=). A refusal names the caller and the
    option as it was given, `running_mock(clock=...) is not an ISO 8601 time`: the factory's own words name the
    command line's option, `--clock (config CLOCK)`, which a Python caller never gave."""
    from mockserver.app import create_app

    config = _factory_config(options, caller)
    with tempfile.TemporaryDirectory(prefix="kore-mock-") as folder:
        try:
            app = create_app({"DATABASE": Path(folder) / "mock.sqlite3", **config})  # DATABASE="" refused
        except OptionError as exc:
            raise ConfigError(f"{_as_given(caller, exc.key, options)} {exc.said}") from None
        try:
            with _served(app) as (url, in_hand):
                try:
                    yield RunningMock(url=url, account=app.extensions["mock"].tenant.default_account, app=app,
                                      admin_token=config.get("ADMIN_TOKEN"), _in_hand=in_hand)
                finally:  # a request sleeping in a latency fault goes on now, and is answered before serve() ends
                    app.extensions["mock"].stopping.set()
                    app.extensions["mock"].waking.set()
        finally:
            app.extensions["mock"].store.close()


def _factory_config(options: Mapping[str, Any], caller: str) -> dict[str, Any]:
    """The app factory's config for a caller's options, its own names (seed=) as the factory's keys (SEED); an
    option given in both spellings, or one neither running_mock nor the factory takes, is an UnknownOption."""
    from flask import Flask

    from mockserver.app import DEFAULTS

    twice = [name for name, key in SPELLINGS.items() if name in options and key in options]
    if twice:  # the factory key's value would have won without a word, whichever was meant
        raise UnknownOption(f"{caller} got {twice[0]} and {SPELLINGS[twice[0]]}, one option given twice: give it"
                            " once")
    config = {SPELLINGS.get(name, name): value for name, value in options.items()}
    if "DATABASE" in config and config["DATABASE"] is None:  # a fresh one, as running_mock(database=None) has: a
        # marker's database=None, and DATABASE=None, were refused as no file name, while the other options' None is
        # their default
        del config["DATABASE"]
    keys = [key for key in DEFAULTS if key not in SERVE_OWN]
    unknown = sorted(set(config) - set(keys) - set(Flask.default_config))  # the factory takes Flask's (TESTING)
    serve_own = [key for key in unknown if key in SERVE_OWN]
    if serve_own:  # TENANT_TEXT's refusals named fixtures/tenant.json, and DATABASE_FILE_ID pinned a file unknown
        raise UnknownOption(f"{caller} got {serve_own[0]}, a key `mockserver serve` fills in for its workers rather"
                            f" than an option: {SERVE_OWN[serve_own[0]]}")
    if unknown:  # a typo (rate_limit=, RATE_LIMT=) was dropped without a word, and the mock ran without it
        said = unknown_names(unknown, ["tenant", "seed", "clock", "database", *keys])
        raise UnknownOption(f"{caller} got unknown option(s) {said}; it takes tenant, seed, clock, database and the"
                            f" app factory's keys: {', '.join(keys)}")
    tenant = config.get("TENANT")
    if isinstance(tenant, Mapping):  # a test's own accounts and names, without a file written first
        config["TENANT"] = parse_tenant(dict(tenant), source=_as_given(caller, "TENANT", options))
    elif tenant is not None and not isinstance(tenant, str | os.PathLike | Tenant):  # the factory's words leave out
        # the dict, which it does not take
        raise ConfigError(f"{_as_given(caller, 'TENANT', options)} must be a file name (str or Path), a Tenant or the"
                          f" file's document (a dict) (got {clipped(tenant, MAX_SHOWN)})") from None
    return config


def _as_given(caller: str, key: str, options: Mapping[str, Any]) -> str:
    """The option of a factory key as the caller gave it: `running_mock(clock=...)`, `running_mock(CLOCK=...)`."""
    own = next((name for name, spelt in SPELLINGS.items() if spelt == key and name in options), key)
    return f"{caller.removesuffix('()')}({own}=...)"
