"""A seeded, clock-fixed mock answers the same bytes for the same requests from one run to the next, whatever Python's
hash seed: what a snapshot (golden-file) test of a client needs, as README promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

REQUESTS = textwrap.dedent("""
    import copy, json
    from mockserver.app import create_app
    from mockserver.testing import running_mock

    with running_mock() as mock:
        headers, endpoint, sample = mock.headers, mock.endpoint[len(mock.url):], mock.sample_request
    client = create_app({"DATABASE": ":memory:", "SEED": 3, "CLOCK": "2025-12-04T11:50:56.762+01:00"}).test_client()
    broken = sample(name=5, priority="x", campaignType="sms")
    broken["dialingStrategy"] = {"maxRingTime": 500, "zzz": 1, "aaa": 2}
    broken["dialingStrategy"]["callingHours"] = {"days": [{"day": "XX", "start": 5}] * 12, "timezone": "Mars/Base"}
    unknown = sample(name="refs", contactLists=["nope", "CL Only 2020 Dec 4", "nope2"], queue_name="q?")
    unknown["dialingStrategy"]["callerId"]["phoneNumber"] = "+19995550100"
    unknown["dialingStrategy"]["callingHours"]["days"][1]["start"] = "11:00 PM"
    answers = []
    for body in [sample(name="Spring"), sample(name="b:c"), broken, unknown, sample(name="SPRING"), {"z": 1, "a": 2}]:
        answer = client.post(endpoint, json=body, headers=headers)
        answers.append([answer.status_code, answer.get_data(as_text=True),
                        [[k, v] for k, v in answer.headers.items() if k != "Date"]])
    answers.append(client.get("/__admin/campaigns").get_data(as_text=True))
    journal = client.get("/__admin/requests").get_json()
    for entry in journal["requests"]:
        del entry["at"], entry["latencyMs"]  # the real clock's, as README says
    answers.append(journal)
    print(json.dumps(answers))
""")


def answers_under(hash_seed: str) -> list:
    """What a fresh seeded mock answers to REQUESTS, in a Python process started with that PYTHONHASHSEED."""
    done = subprocess.run([sys.executable, "-c", REQUESTS], capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "PYTHONHASHSEED": hash_seed}, encoding="utf-8")
    return json.loads(done.stdout)


def test_the_same_requests_get_the_same_bytes_whatever_the_hash_seed():
    first, second = answers_under("1"), answers_under("2")
    assert first == second
    created = json.loads(first[0][1])["data"]
    assert created["createdAt"] == created["updatedAt"] == "2025-12-04T10:50:56.762Z"
    many, unknown = json.loads(first[2][1])["errors"], json.loads(first[3][1])["errors"]
    assert len(many) > 10 and len(unknown) >= 4  # every violation, in an order that must not move
    assert [status for status, *_ in first[:6]] == [200, 200, 400, 400, 409, 400]
