"""The admin API, in the style of WireMock's /__admin: health, campaigns, request journal, reset."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

bp = Blueprint("admin", __name__, url_prefix="/__admin")


def _count(name: str, default: int, most: int) -> int:
    """A whole-number query parameter, clamped to 0..most; the default when it is not one."""
    try:
        return max(0, min(int(request.args.get(name, default)), most))
    except ValueError:
        return default


def _limit() -> int:
    return _count("limit", 100, 10_000)


@bp.get("/health")
def health():
    store = current_app.extensions["mock"].store
    return jsonify({"status": "ok", "campaigns": store.count_campaigns()})


@bp.get("/campaigns")
def campaigns():
    store = current_app.extensions["mock"].store
    offset = _count("offset", 0, 2**62)
    return jsonify({"total": store.count_campaigns(), "campaigns": store.campaigns(limit=_limit(), offset=offset)})


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
