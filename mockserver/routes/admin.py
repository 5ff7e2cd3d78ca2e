"""The admin API, in the style of WireMock's /__admin: health, campaigns, request journal, reset."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from mockserver.intake import Refusal

MAX_LIMIT, MAX_OFFSET = 10_000, 2**62  # an offset beyond SQLite's INTEGER range cannot be bound

bp = Blueprint("admin", __name__, url_prefix="/__admin")


def _count(name: str, default: int, most: int) -> int:
    """A whole-number query parameter from 0 to `most`; anything else is refused, naming the parameter."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(most)) or int(raw) > most:
        raise Refusal("admin.parameter", field=name, most=most, got=repr(raw[:40]))
    return int(raw)


def _limit() -> int:
    return _count("limit", 100, MAX_LIMIT)


@bp.get("/health")
def health():
    store = current_app.extensions["mock"].store
    return jsonify({"status": "ok", "campaigns": store.count_campaigns()})


@bp.get("/campaigns")
def campaigns():
    store = current_app.extensions["mock"].store
    offset = _count("offset", 0, MAX_OFFSET)
    return jsonify({"total": store.count_campaigns(), "campaigns": store.campaigns(limit=_limit(), offset=offset)})


@bp.get("/campaigns/<campaign_id>")
def campaign(campaign_id: str):
    found = current_app.extensions["mock"].store.campaign(campaign_id)
    if found is None:
        raise Refusal("admin.not_found", id=repr(campaign_id[:80]))
    return jsonify(found)


@bp.get("/requests")
def requests_journal():
    return jsonify({"requests": current_app.extensions["mock"].store.journal(limit=_limit())})


@bp.delete("/requests")
def clear_requests():
    current_app.extensions["mock"].store.clear_journal()
    return jsonify({"status": "ok"})


@bp.post("/reset")
def reset():
    current_app.extensions["mock"].store.reset()
    return jsonify({"status": "ok"})
