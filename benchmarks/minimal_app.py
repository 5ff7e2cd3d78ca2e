"""The baseline: a Flask app that only parses the JSON body and answers JSON, as cheap as Flask gets."""

from __future__ import annotations

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/campaign/api/v2/public/<stream_id>/campaign")
def create(stream_id: str):
    body = request.get_json()
    return jsonify({"status": "success", "message": f"Campaign {body.get('name')} creation in progress"})


@app.get("/__admin/health")
def health():
    return jsonify({"status": "ok"})
