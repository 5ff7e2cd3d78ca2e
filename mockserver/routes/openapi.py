"""GET /openapi.json and GET /__admin/openapi.json: the OpenAPI documents of this app's contract and of its admin
API (mockserver.admin_openapi), each naming this mock as its server.

The committed document (`mockserver openapi`) names `mockserver serve`'s default address; the served one names the
address it was fetched from (scheme, host and port), so Postman, Prism or a fuzzer loading it from a mock on
another port, or over HTTPS, sends its requests back to that mock, and gives each parameter of the endpoint an
example, the mock's default account and its first stream, which Swagger UI and Postman fill in.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, request

from mockserver import admin_openapi, openapi

bp = Blueprint("openapi", __name__)

HOST = re.compile(r"([\w.~%-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?")  # a name or an IPv6 address, and a port
CACHED_ADDRESSES = 16  # rendered documents kept per app: one per document and address clients use, not per Host


def _endpoint_document(mock: Any) -> dict[str, Any]:
    """The committed document, its parameters' examples this mock's default account and first stream (those
    `mockserver token` mints for by default): a request Swagger UI or Postman builds from it reaches the mock."""
    return openapi.with_examples(openapi.build_document(mock.contract), mock.tenant.default_account)


DOCUMENTS = {"/openapi.json": _endpoint_document,
             "/__admin/openapi.json": lambda mock: admin_openapi.build_document(mock.contract,
                                                                                mock.admin_token is not None)}


@bp.get("/openapi.json")
@bp.get("/__admin/openapi.json")
def document() -> Response:
    cache: dict[tuple[str, str], str] = current_app.extensions.setdefault("openapi", {})
    # A Host that is no host name ("a b"; werkzeug 3.1 reads it as empty, 3.0 as it came) names the server
    # relatively, "/", which OpenAPI resolves against wherever the document was fetched from. Behind a trusted proxy
    # (--forwarded-allow-ips), the address the proxy was sent to, with the path it serves the mock under
    base = request.root_url.rstrip("/") if HOST.fullmatch(request.host) else request.script_root or "/"
    base = base.replace("{", "%7B").replace("}", "%7D")  # in a server's URL, {x} is a variable the document lacks
    key = (request.url_rule.rule, base)
    text = cache.get(key)
    if text is None:
        built = DOCUMENTS[key[0]](current_app.extensions["mock"])
        built["servers"] = [{"url": base, "description": "this mock, at the address this document was fetched from"}]
        text = openapi.render(built)
        if len(cache) < CACHED_ADDRESSES:
            cache[key] = text
    return Response(text, mimetype="application/json")
