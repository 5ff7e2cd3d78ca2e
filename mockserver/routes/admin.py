"""The admin API, in the style of WireMock's /__admin: health, campaigns, request journal, reset."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from mockserver import __version__
from mockserver.intake import Refusal
from mockserver.responses import timestamp
from mockserver.routes.listing import streamed
from mockserver.store import JournalFilter

MAX_LIMIT, MAX_OFFSET = 10_000, 2**62  # an offset beyond SQLite's INTEGER range cannot be bound

bp = Blueprint("admin", __name__, url_prefix="/__admin")


def _count(name: str, default: int, most: int) -> int:
    """A whole-number query parameter from 0 to `most`; anything else is refused, naming the parameter."""
    given = request.args.getlist(name)
    if not given:
        return default
    if len(given) > 1:
        raise Refusal("admin.parameter", field=name, most=most, got=f"{len(given)} values")
    whole = _whole(given[0], most)
    if whole is None:
        raise Refusal("admin.parameter", field=name, most=most, got=repr(given[0][:40]))
    return whole


def _whole(raw: str, most: int) -> int | None:
    """A query value as a whole number from 0 to `most` (ASCII digits only), or None."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(most)) or int(raw) > most:
        return None
    return int(raw)


def _limit() -> int:
    return _count("limit", 100, MAX_LIMIT)


@bp.get("/health")
def health():
    store = current_app.extensions["mock"].store
    return jsonify({"status": "ok", "campaigns": store.count_campaigns(), "version": __version__})


@bp.get("/tenant")
def tenant():
    """The accounts the mock serves and the names a request may refer to; the apps' secrets are left out."""
    return jsonify({"accounts": [account.public() for account in current_app.extensions["mock"].tenant.accounts]})


@bp.get("/campaigns")
def campaigns():
    store = current_app.extensions["mock"].store
    account_id, name = (_text_filter(parameter) for parameter in ("accountId", "name"))
    # a name matches whatever its case, as the duplicate-name check compares them
    which = {"account_id": account_id, "lname": None if name is None else name.lower()}
    offset, limit = _count("offset", 0, MAX_OFFSET), _limit()

    def fetch(count: int, after: int | None) -> tuple[list[dict[str, Any]], int | None]:
        page = store.campaigns(limit=count, offset=offset if after is None else 0, after=after, **which)
        return [{k: v for k, v in entry.items() if k != "seq"} for entry in page], page[-1]["seq"] if page else after

    return streamed({"total": store.count_campaigns(**which)}, "campaigns", fetch, limit)


@bp.get("/campaigns/<campaign_id>")
def campaign(campaign_id: str):
    found = current_app.extensions["mock"].store.campaign(campaign_id)
    if found is None:
        raise Refusal("admin.not_found", id=repr(campaign_id[:80]))
    return jsonify(found)


@bp.delete("/campaigns/<campaign_id>")
def delete_campaign(campaign_id: str):
    """One campaign forgotten, so that a tester on a shared sandbox can create its name again without a reset."""
    if not current_app.extensions["mock"].store.delete_campaign(campaign_id):
        raise Refusal("admin.not_found", id=repr(campaign_id[:80]))
    return jsonify({"deleted": 1})


FILTERS = ("status", "method", "path", "accountId", "since", "after")
STATUS = re.compile(r"([1-5])(?:xx|XX)|[1-5][0-9][0-9]")
METHOD = re.compile(r"[A-Za-z]{1,20}")
MAX_FILTER_CHARS = 500


def _journal_filter() -> JournalFilter:
    """The journal filter the query parameters ask for; a value that cannot match anything sensible is refused,
    naming the parameter, rather than matching nothing."""
    args = request.args
    for name in FILTERS:
        if len(given := args.getlist(name)) > 1:
            raise Refusal("admin.filter", field=name, wanted="given once", got=f"{len(given)} values")
    fields: dict[str, object] = {}
    if (status := args.get("status")) is not None:
        matched = STATUS.fullmatch(status)
        if matched is None:
            raise Refusal("admin.filter", field="status", wanted="a status like 409 or a class like 4xx",
                          got=repr(status[:40]))
        hundreds = matched.group(1)
        fields["statuses"] = (int(hundreds) * 100, int(hundreds) * 100 + 99) if hundreds else (int(status),) * 2
    if (method := args.get("method")) is not None:
        if not METHOD.fullmatch(method):
            raise Refusal("admin.filter", field="method", wanted="an HTTP method, e.g. POST", got=repr(method[:40]))
        fields["method"] = method.upper()
    if (since := args.get("since")) is not None:
        fields["since"] = _since(since)
    if (after := args.get("after")) is not None:
        fields["after"] = _whole(after, MAX_OFFSET)
        if fields["after"] is None:
            raise Refusal("admin.filter", field="after", wanted="an entry's id, a whole number", got=repr(after[:40]))
    for name, key in (("path", "path"), ("accountId", "account_id")):
        if (value := _text_filter(name)) is not None:
            fields[key] = value
    return JournalFilter(**fields)  # type: ignore[arg-type]


def _text_filter(name: str) -> str | None:
    """A filter's text, 1 to MAX_FILTER_CHARS characters, given at most once; None if not given."""
    given = request.args.getlist(name)
    if len(given) > 1:
        raise Refusal("admin.filter", field=name, wanted="given once", got=f"{len(given)} values")
    if not given:
        return None
    if not 1 <= len(given[0]) <= MAX_FILTER_CHARS:
        raise Refusal("admin.filter", field=name, wanted=f"1 to {MAX_FILTER_CHARS} characters",
                      got=f"{len(given[0])} characters")
    return given[0]


def _since(value: str) -> str:
    """An ISO 8601 time with a zone, in the journal's `at` format."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is not None:
            return timestamp(moment)
    except (ValueError, OverflowError):  # OverflowError: before year 1 or after 9999 once in UTC
        pass
    raise Refusal("admin.filter", field="since", wanted="an ISO 8601 time with its zone, e.g. 2026-11-26T09:30:00Z",
                  got=repr(value[:40]))


@bp.get("/requests")
def requests_journal():
    mock = current_app.extensions["mock"]
    which, offset, limit = _journal_filter(), _count("offset", 0, MAX_OFFSET), _limit()

    def fetch(count: int, before: tuple[str, int] | None) -> tuple[list[dict[str, Any]], tuple[str, int] | None]:
        page = mock.store.journal(limit=count, offset=offset if before is None else 0,
                                  which=which if before is None else dataclasses.replace(which, before=before))
        return page, (page[-1]["at"], page[-1]["id"]) if page else before

    # "off": started with --no-journal, so the empty listing says nothing about the requests that came
    return streamed({"total": mock.store.count_journal(which), "journal": "on" if mock.journal else "off"}, "requests",
                    fetch, limit)


@bp.delete("/requests")
def clear_requests():
    current_app.extensions["mock"].store.clear_journal()
    return jsonify({"status": "ok"})


@bp.post("/reset")
def reset():
    current_app.extensions["mock"].store.reset()
    return jsonify({"status": "ok"})
