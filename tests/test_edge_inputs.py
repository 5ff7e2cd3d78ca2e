"""Edge inputs: unicode digits, numbers beyond SQLite or float, zone-file aliases, mistyped data files: each gets a
clear 4xx or a one-line tool error, never a 500 or a traceback."""

from __future__ import annotations

import json

import jwt
import pytest

from mockserver.errors import ToolError
from mockserver.parity import load_report


@pytest.mark.parametrize("spec", ["status=\u00b2\u00b2\u00b2", "status=\u00b2", "latency=\u0661\u0660\u0660"])
def test_unicode_digits_in_a_fault_are_refused(client, post, sample_body, headers, spec):
    response = post(sample_body, headers=headers | {"X-Mock-Fault": spec.encode("utf-8").decode("latin-1")})
    assert response.status_code == 400
    rule = client.post("/__admin/faults", json={"fault": spec})
    assert rule.status_code == 400


def test_a_fault_rule_count_beyond_sqlite_is_refused(client):
    response = client.post("/__admin/faults", json={"fault": "status=500", "count": 10**30})
    assert response.status_code == 400
    assert client.get("/__admin/faults").get_json() in ({"rules": []}, [])


def test_deleting_a_rule_id_beyond_sqlite_deletes_nothing(client):
    response = client.delete("/__admin/faults/" + "9" * 30)
    assert (response.status_code, response.get_json()) == (200, {"deleted": 0})


@pytest.mark.parametrize("raw", ["\u0663", "-1", "x", "1.0"])
def test_a_rule_id_that_is_not_a_whole_number_is_refused_naming_it_and_deletes_nothing(client, raw):
    """`\u0663` (an Arabic-Indic 3) deleted rule 3, where every other number the admin API reads is ASCII digits;
    `x` was answered "No such endpoint: DELETE /__admin/faults/x", an endpoint there is."""
    for _ in range(3):
        client.post("/__admin/faults", json={"fault": "status=503", "path": "/nowhere"})
    response = client.delete(f"/__admin/faults/{raw}")
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "ruleId" and error["msg"].startswith("ruleId in the path must be a fault rule's id")
    assert len(client.get("/__admin/faults").get_json()["rules"]) == 3


def test_a_signed_token_with_a_huge_exp_is_accepted_as_never_expiring(post, sample_body, headers, account):
    app = account.apps[0]
    token = jwt.encode({"sub": "1", "appId": app.client_id, "exp": 10**400}, app.client_secret, algorithm="HS256")
    assert post(sample_body, headers=headers | {"auth": token}).status_code == 200


@pytest.mark.parametrize("zone", ["localtime", "right/UTC", "posixrules", "../etc/passwd"])
def test_only_iana_zone_names_are_time_zones(post, sample_body, zone):
    sample_body["dialingStrategy"]["callingHours"]["timezone"] = zone
    assert post(sample_body).status_code == 400


@pytest.mark.parametrize("record", [{"id": "x", "fields": 5}, {"id": 3}, {"id": "x", "shape": [["a"]]},
                                    {"id": "x", "status": "200"}])
def test_a_malformed_report_record_is_a_tool_error(tmp_path, record):
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"format": "kore-contract-report/1", "records": [record]}), encoding="utf-8")
    with pytest.raises(ToolError, match="a kore-contract-report/1 report with a malformed record"):
        load_report(report)


@pytest.mark.parametrize(("host", "shown"), [("a..b", "'a..b'"), ("x" * 70 + ".example", "'" + "x" * 58 + "...")])
def test_a_host_header_that_is_no_host_name_is_named_in_the_answer(client, host, shown):
    """werkzeug's generic "The browser (or proxy) sent a request that this server could not understand" said
    nothing of what was wrong, and is in no row of the failure table."""
    response = client.get("/__admin/health", headers={"Host": host})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"msg": f"Not a valid HTTP request: the Host header is not a host name"
                                                     f" (got {shown})", "code": 4000}]  # a long one cut, saying so


def test_the_openapi_server_is_relative_when_the_host_header_is_unreadable(client):
    """`Host: a b` made the served document name its server "http:"."""
    assert client.get("/openapi.json", headers={"Host": "a b"}).get_json()["servers"][0]["url"] == "/"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/__admin//health"), ("GET", "//__admin/campaigns"), ("DELETE", "/__admin/faults//1"),
    ("POST", "/campaign/api/v2/public/st-1//campaign"), ("GET", "//openapi.json"),
])
def test_a_doubled_slash_is_no_such_endpoint_in_the_envelope(client, method, path):
    """Werkzeug answered 308 with an HTML page sending the client to the path with the slashes merged: the only
    answer of the mock's outside the error envelope, and one no document declares (a POST to be sent again)."""
    response = client.open(path, method=method)
    assert (response.status_code, response.mimetype) == (404, "application/json")
    assert response.get_json()["errors"][0]["code"] == 4004
