"""JSON answers go through orjson, and whatever orjson refuses still comes out as JSON."""

from __future__ import annotations

import json

from mockserver.json_provider import dumps_bytes


def test_compact_utf8_in_key_order():
    assert dumps_bytes({"b": 1, "a": "Zürich • “q”"}) == '{"b":1,"a":"Zürich • “q”"}'.encode()


def test_what_orjson_refuses_falls_back_to_the_standard_library():
    huge = 2**70  # beyond orjson's 64-bit integers
    assert json.loads(dumps_bytes({"n": huge})) == {"n": huge}
    assert json.loads(dumps_bytes({1: "x"})) == {"1": "x"}  # a non-string key


def test_app_answers_are_json_with_a_newline(tmp_path, make_app):
    client = make_app({"DATABASE": str(tmp_path / "db.sqlite3")}).test_client()
    response = client.get("/__admin/health")
    assert response.mimetype == "application/json"
    assert response.data.endswith(b"}\n") and response.get_json()["status"] == "ok"

