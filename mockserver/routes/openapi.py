"""GET /openapi.json: the OpenAPI document of this app's contract, built once per app."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from mockserver.openapi import build_document, render

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def document() -> Response:
    text = current_app.extensions.get("openapi")
    if text is None:
        text = current_app.extensions["openapi"] = render(build_document(current_app.extensions["mock"].contract))
    return Response(text, mimetype="application/json")
