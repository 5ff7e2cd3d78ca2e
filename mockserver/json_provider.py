"""Flask's JSON provider on orjson: every JSON answer (and the stored campaign) is encoded about 10x faster than
by the standard library, which matters on the create path. Keys keep their order (the vendor sample's)."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import JSONProvider


def dumps_bytes(obj: Any) -> bytes:
    """Compact UTF-8 JSON; values orjson refuses (integers beyond 64 bits, non-string keys) go through json."""
    try:
        return orjson.dumps(obj)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(obj, separators=(",", ":")).encode()


class OrjsonProvider(JSONProvider):
    mimetype = "application/json"

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps_bytes(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return json.loads(s, **kwargs)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return self._app.response_class(dumps_bytes(self._prepare_response_obj(args, kwargs)) + b"\n",
                                        mimetype=self.mimetype)
