"""The admin API, in the style of WireMock's /__admin: health, the tenant, campaigns, request journal, reset."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from mockserver import __version__, rule_paths
from mockserver import journal_filters as filters
from mockserver.connection import close_after_response
from mockserver.errors import unknown_names
from mockserver.intake import Refusal
from mockserver.journal_filters import MAX_ID, FilterError
from mockserver.responses import lowercased, timestamp
from mockserver.routes.admin_auth import own_origin_only
from mockserver.routes.listing import streamed
from mockserver.routes.unknown_account import with_warnings
from mockserver.shown_text import clip, clipped, header_text
from mockserver.store import JournalFilter

MAX_LIMIT, MAX_OFFSET = 10_000, filters.MAX_WHOLE

bp = Blueprint("admin", __name__, url_prefix="/__admin")

FILTERS = ("status", "method", "path", "accountId", "since", "after")
# The query parameters each admin request takes (by endpoint; none where it is not named). Any other is refused:
# a misspelt one (`DELETE /__admin/requests?accountid=X`) would clear every team's journal, as if it had been heard.
PARAMETERS = {
    "admin.campaigns": ("accountId", "name", "streamId", "offset", "limit"),
    "admin.requests_journal": (*FILTERS, "offset", "limit"),
    "admin.clear_requests": ("accountId",),
    "admin.reset": ("accountId",),
    "faults.clear_rules": ("accountId",),
}


# What to send for a parameter a request lacks but its neighbour takes: the campaign listing takes streamId, and a
# tester narrowing the journal to their stream sent it there too.
INSTEAD = {("admin.requests_journal", "streamId"): "a stream's requests: send path=*/<streamId>/*"}


def check_parameters() -> None:
    """An admin blueprint's before_request: refuse a query parameter the request does not take (400), naming it."""
    taken = PARAMETERS.get(request.endpoint or "", ())
    unknown = [name for name in dict.fromkeys(request.args) if name not in taken]
    if unknown:
        takes = f"it takes {', '.join(taken)}" if taken else "it takes none"
        # each unknown parameter's hint, not the first one's alone: `?limt=5&streamId=X` lost streamId's
        if instead := [hint for name in unknown if (hint := INSTEAD.get((request.endpoint or "", name)))]:
            takes += f" ({'; '.join(instead)})"
        raise Refusal("admin.unknown_parameter", field=unknown[0], method=request.method, path=request.path,
                      names=unknown_names(unknown, taken), takes=takes)


# The admin requests that change state and take no body. One sent with a body (`{"accountId": ...}` to
# /__admin/reset) would have been done whole, as if the body had been heard: it is refused, unread, instead.
BODYLESS = ("admin.delete_campaign", "admin.delete_request_entry", "admin.clear_requests", "admin.reset",
            "faults.clear_rules", "faults.delete_rule")


def check_no_body() -> None:
    """An admin blueprint's before_request: refuse a body sent to a request that takes none (400), before reading it;
    the connection closes after the answer, as what the client sent after its head is left unread."""
    if request.endpoint not in BODYLESS or request.method == "OPTIONS":
        return
    if request.content_length:
        framing = f"Content-Length: {request.content_length}"
    elif "Transfer-Encoding" in request.headers:
        framing = f"Transfer-Encoding: {clip(header_text(request.headers['Transfer-Encoding']), 43)}"
    else:
        return
    close_after_response()
    taken = PARAMETERS.get(request.endpoint, ())
    narrowed = f": it is narrowed by its query alone, ?{taken[0]}=ID" if taken else ""
    raise Refusal("admin.body", field="body", method=request.method, path=clip(request.path, 103), framing=framing,
                  narrowed=narrowed)


bp.before_request(own_origin_only)  # first: a page on another origin changes nothing
bp.before_request(check_parameters)
bp.before_request(check_no_body)


def _count(name: str, default: int, most: int) -> int:
    """A whole-number query parameter from 0 to `most`; anything else is refused, naming the parameter."""
    given = request.args.getlist(name)
    if not given:
        return default
    if len(given) > 1:
        raise Refusal("admin.parameter", field=name, most=most, got=f"{len(given)} values")
    whole = filters.whole(given[0], most)
    if whole is None:
        raise Refusal("admin.parameter", field=name, most=most, got=clipped(given[0], 42))
    return whole


def _limit() -> int:
    return _count("limit", 100, MAX_LIMIT)


@bp.get("/health")
def health():
    mock = current_app.extensions["mock"]
    mock.store.check_writes()  # 503 when the database cannot be written (a full disk), or its files were replaced
    wal = mock.store.wal_state()
    return jsonify({"status": "ok", "campaigns": mock.store.count_campaigns(), "journal": journal_state(mock),
                    "wal": "none" if wal is None else wal, "version": __version__})


def journal_state(mock: Any) -> dict[str, Any] | str:
    """How full the journal is: its entries, the most it keeps (beyond which the oldest go, whoever sent them), the
    oldest entry's id and the newest id given; "off" for a mock started with --no-journal."""
    if not mock.journal:
        return "off"
    entries, oldest = mock.store.journal_span()
    return {"entries": entries, "limit": mock.store.journal_limit, "oldestId": oldest,
            "newestId": mock.store.journal_newest_id()}


@bp.get("/tenant")
def tenant():
    """The accounts the mock serves and the names a request may refer to; the apps' secrets are left out."""
    return jsonify({"accounts": [account.public() for account in current_app.extensions["mock"].tenant.accounts]})


@bp.get("/campaigns")
def campaigns():
    store = current_app.extensions["mock"].store
    account_id, name, stream_id = (text_filter(parameter) for parameter in ("accountId", "name", "streamId"))
    # a name matches whatever its case, as the duplicate-name check compares them
    which = {"account_id": account_id, "lname": None if name is None else lowercased(name), "stream_id": stream_id}
    offset, limit = _count("offset", 0, MAX_OFFSET), _limit()

    def fetch(count: int, ended: tuple[list[int], int] | None) -> tuple[list[dict[str, Any]], tuple[list[int], int]]:
        # The listing's campaigns are found once, as it begins (at most MAX_LIMIT numbers): a page read each time
        # from where the last one ended searched the account's (or name's) index again for each page of 50.
        seqs, at = ended or (store.campaign_seqs(limit=limit, offset=offset, **which), 0)
        page: list[dict[str, Any]] = []
        while len(page) < count and at < len(seqs):  # one deleted since is left out, and the page filled on
            wanted = seqs[at:at + count - len(page)]
            page, at = page + store.campaigns_at(wanted), at + len(wanted)
        return [{k: v for k, v in entry.items() if k != "seq"} for entry in page], (seqs, at)

    total = store.count_campaigns(**which)
    return streamed(with_warnings({"total": total}, account_id, total), "campaigns", fetch, limit)


NOT_AN_ID = ": a campaign's id starts with cd- (GET /__admin/campaigns?name=NAME finds one by its name)"


def no_campaign(campaign_id: str) -> Refusal:
    """404 for an id no campaign has; one that is no campaign id at all (a campaign's name, pasted where its id goes)
    says where an id comes from."""
    why = "" if campaign_id.startswith("cd-") else NOT_AN_ID
    return Refusal("admin.not_found", what="campaign", id=clipped(campaign_id, 82), why=why)


@bp.get("/campaigns/<campaign_id>")
def campaign(campaign_id: str):
    found = current_app.extensions["mock"].store.campaign(campaign_id)
    if found is None:
        raise no_campaign(campaign_id)
    return jsonify(found)


@bp.delete("/campaigns/<campaign_id>")
def delete_campaign(campaign_id: str):
    """One campaign forgotten, so that a tester on a shared sandbox can create its name again without a reset."""
    if not current_app.extensions["mock"].store.delete_campaign(campaign_id):
        raise no_campaign(campaign_id)
    return jsonify({"deleted": 1})


def _filter(name: str, read: Callable[[str], Any]) -> Any:
    """A journal filter's value read by `read` (mockserver.journal_filters), None if not given; a value given twice,
    or one that cannot match anything sensible, is refused, naming the parameter, rather than matching nothing."""
    given = request.args.getlist(name)
    if len(given) > 1:
        raise Refusal("admin.filter", field=name, wanted="given once", got=f"{len(given)} values")
    if not given:
        return None
    try:
        return read(given[0])
    except FilterError as exc:
        raise Refusal("admin.filter", field=name, wanted=exc.wanted, got=exc.got) from None


def _journal_filter() -> JournalFilter:
    """The journal filter the query parameters ask for."""
    for name in FILTERS:  # every repeat refused before any value is judged
        if len(given := request.args.getlist(name)) > 1:
            raise Refusal("admin.filter", field=name, wanted="given once", got=f"{len(given)} values")
    readers = {"statuses": ("status", filters.statuses), "method": ("method", filters.method),
               "since": ("since", lambda value: timestamp(filters.since_in_query(value))),
               "after": ("after", filters.after), "path": ("path", filters.path),
               "account_id": ("accountId", filters.text)}
    fields = {key: _filter(name, read) for key, (name, read) in readers.items()}
    return JournalFilter(**{key: value for key, value in fields.items() if value is not None})


def text_filter(name: str) -> str | None:
    """A filter's text, 1 to journal_filters.MAX_FILTER_CHARS characters, given at most once; None if not given."""
    return _filter(name, filters.text)


@bp.get("/requests")
def requests_journal():
    mock = current_app.extensions["mock"]
    which, offset, limit = _journal_filter(), _count("offset", 0, MAX_OFFSET), _limit()

    def fetch(count: int, before: tuple[str, int] | None) -> tuple[list[dict[str, Any]], tuple[str, int] | None]:
        page = mock.store.journal(limit=count, offset=offset if before is None else 0, settled=True,
                                  which=which if before is None else dataclasses.replace(which, before=before))
        return page, (page[-1]["at"], page[-1]["id"]) if page else before

    # Counted first (which writes what this worker holds and waits for the batches other workers hold: the pages
    # need not wait again, `settled`), then the
    # newest id: read before the entries, so every entry up to it is in the listing if it matches. A follower
    # moves on to it whether or not any matched (`after=newestId` next time), and reads no more than what is new.
    total = mock.store.count_journal(which)
    newest = mock.store.journal_newest_id()
    # "off": started with --no-journal, so the empty listing says nothing about the requests that came
    # journalLimit: a `total` that reaches it says the journal is full, and the oldest entries go as new ones come
    head = {"total": total, "journalLimit": mock.store.journal_limit, "newestId": newest,
            "journal": "on" if mock.journal else "off"}
    # a path with %-escapes meets only requests that sent them encoded twice, as a fault rule's does: said each time
    # (such requests may be meant), with the path to give
    escaped = rule_paths.escape_warnings(which.path, rule_paths.KEPT_DECODED, rule_paths.KEPT_QUERY)
    return streamed(with_warnings(head, which.account_id, total, escaped), "requests", fetch, limit)


def path_id(raw: str, field: str, wanted: str, lowest: int = 1) -> int | None:
    """A whole-number id from the path (ASCII digits: `\u0663` is no id), `lowest` or more; None for one beyond
    SQLite's INTEGER, which nothing has. Anything else is refused (400), naming the path parameter, as a bad query
    value is, rather than answered "no such endpoint"."""
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(MAX_ID)) and raw.isascii() and raw.isdigit():  # int() of 5,000 digits raises
        return None
    if not (raw.isascii() and raw.isdigit()) or int(digits) < lowest:
        raise Refusal("admin.id", field=field, wanted=wanted, got=clipped(raw, 42))
    return int(digits) if int(digits) <= MAX_ID else None


def _entry_id(raw: str) -> int:
    """A journal entry's id from the path; one beyond MAX_ID, the admin document's maximum, is refused as one below
    1 is (it was answered 404, as if it could have been given)."""
    entry_id = path_id(raw, "requestId", filters.ENTRY_ID)
    if entry_id is None:
        raise Refusal("admin.id", field="requestId", wanted=filters.ENTRY_ID, got=clipped(raw, 42))
    return entry_id


def _no_entry(entry_id: int) -> Refusal:
    """The 404 for an id the journal does not hold, saying why: not given yet, or gone (deleted, cleared, or pushed
    out beyond the journal's limit), or a mock that keeps no journal."""
    mock = current_app.extensions["mock"]
    newest = mock.store.journal_newest_id()
    if not mock.journal:
        why = ": this mock keeps no journal (it was started with --no-journal)"
    elif entry_id > newest:
        why = f": none has been given that id yet (the newest is {newest})"
    else:
        entries, oldest = mock.store.journal_span()
        holds = f"the oldest it holds is {oldest}" if entries else "it holds none"
        why = (f": it was deleted, or pushed out as the journal keeps its newest {mock.store.journal_limit:,} entries"
               f" ({holds})")
    return Refusal("admin.not_found", what="journal entry", id=str(entry_id), why=why)


@bp.get("/requests/<raw_id>")
def request_entry(raw_id: str):
    """One journal entry, as the listing shows it."""
    entry_id = _entry_id(raw_id)
    found = current_app.extensions["mock"].store.journal_entry(entry_id)
    if found is None:
        raise _no_entry(entry_id)
    return jsonify(found)


@bp.delete("/requests/<raw_id>")
def delete_request_entry(raw_id: str):
    """One journal entry forgotten (a request carrying what should not be kept, say), the rest left as they are."""
    entry_id = _entry_id(raw_id)
    if not current_app.extensions["mock"].store.delete_journal_entry(entry_id):
        raise _no_entry(entry_id)
    return jsonify({"deleted": 1})


@bp.delete("/requests")
def clear_requests():
    """The journal cleared; with `accountId`, only the entries naming that account (those its filter lists)."""
    account_id = text_filter("accountId")
    deleted = current_app.extensions["mock"].store.clear_journal(account_id)
    return jsonify(with_warnings({"deleted": deleted}, account_id, deleted))


@bp.post("/reset")
def reset():
    """Everything forgotten; or, with `accountId`, that account's state alone (a tester's clean-up on a shared
    sandbox), answered with how much of it went, and a warning for an account the tenant lacks that nothing named
    (a misspelt id)."""
    store = current_app.extensions["mock"].store
    account_id = text_filter("accountId")
    if account_id is None:
        store.reset()
        return jsonify({"status": "ok"})
    deleted = store.reset_account(account_id)
    return jsonify(with_warnings({"status": "ok", "accountId": account_id, "deleted": deleted}, account_id,
                                 sum(deleted.values())))
