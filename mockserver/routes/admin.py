"""The admin API, in the style of WireMock's /__admin: health, campaigns, request journal, reset."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

bp = Blueprint("admin", __name__, url_prefix="/__admin")


def _limit(default: int = 100, most: int = 10_000) -> int:
    try:
        return max(0, min(int(request.args.get("limit", default)), most))
    except ValueError:
        return default


@bp.get("/health")
def health():
    store = current_app.extensions["mock"].store
    return jsonify({"status": "ok", "campaigns": store.count_campaigns()})


@bp.get("/campaigns")
def campaigns():
    store = current_app.extensions["mock"].store
    return jsonify({"total": store.count_campaigns(), "campaigns": store.campaigns(limit=_limit())})


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
