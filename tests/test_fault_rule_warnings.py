"""A fault rule that can fault nothing a tester likely meant is kept, and its answer (and add_fault(), as a
FaultRuleWarning) says why and what to send: a path, matched whole, that can match no create though it looks meant for
one (`/campaign`); a method spelt near one HTTP defines (`PSOT`); a rule an earlier one always meets first."""

from __future__ import annotations

import json
import warnings

import pytest

from mockserver.admin_openapi import build_document
from mockserver.paths import DEFAULT_TENANT
from mockserver.testing import FaultRuleWarning, running_mock

STREAM = "st-7c0f9a52-1b3d-4e8f-a6c2-5d9e0b1f2a01"  # the default tenant's first
CREATE = f"/campaign/api/v2/public/{STREAM}/campaign"
SHAPE = "/campaign/api/v2/public/<streamId>/campaign"


def _warning(path: str, why: str, send: str) -> str:
    return f"path matches no create, whose path is {SHAPE} (got {path!r}; {why}: send \"{send}\")"


WHOLE = "a path without * is matched whole"


@pytest.mark.parametrize(("path", "why", "send"), [
    ("/campaign", WHOLE, "/campaign/*"),
    ("/campaign/", WHOLE, "/campaign/*"),
    ("/", WHOLE, "/*"),
    ("/campaign/api/v2/public", WHOLE, "/campaign/api/v2/public/*"),
    ("/campaign/api/v2/public/", WHOLE, "/campaign/api/v2/public/*"),
    (f"/campaign/api/v2/public/{STREAM}", WHOLE, CREATE),
    (f"/campaign/api/v2/public/{STREAM}/", WHOLE, CREATE),
    (f"/campaign/api/v2/public/{STREAM}/camp", WHOLE, CREATE),
    (f"{CREATE}/", "a create's path has no / at its end", CREATE),
    (f"{CREATE}?accountId=65f1c0ffee0ddba11a5e0001", "a rule's path is matched without the query string and a rule"
     " names its account in accountId", CREATE),
    (CREATE.replace("st-", "st%2D"), "a rule's path is matched against the request's path decoded", CREATE),
    (CREATE.replace("/campaign/api", "/Campaign/API"), "paths are case-sensitive", CREATE),
    ("/Campaign", f"paths are case-sensitive and {WHOLE}", "/campaign/*"),
    (f"/api/v2/public/{STREAM}/campaign", "a rule's path is the request's whole path", CREATE),
    ("/campaign/api/v2/public/{streamId}/campaign", "{streamId} is the template's placeholder, no stream",
     "/campaign/api/v2/public/*/campaign"),
    ("/campaign/api/v2/public/<streamId>/campaign", "<streamId> is the template's placeholder, no stream",
     "/campaign/api/v2/public/*/campaign"),
    ("/campaign?x=1", f"a rule's path is matched without the query string and {WHOLE}", "/campaign/*"),
    ("/campaign ", f"it has white space at its end and {WHOLE}", "/campaign/*"),
    (f"{CREATE}\n", "it has white space at its end", CREATE),
    (f"{CREATE}#top", "a client sends no #fragment", CREATE),
    ("/campaign/*?accountId=65f1c0ffee0ddba11a5e0001", "a rule's path is matched without the query string and a rule"
     " names its account in accountId", "/campaign/*"),
    ("*?status=1", "a rule's path is matched without the query string", "*"),
])
def test_a_rule_path_that_can_fault_no_create_is_kept_with_a_warning_naming_what_to_send(client, path, why, send):
    """`"path": "/campaign"` was accepted with a bare 201 and then faulted no create (a path without `*` is the
    whole path, as WireMock's urlPath): a client's retry test passed with no fault met."""
    answer = client.post("/__admin/faults", json={"fault": "status=503", "path": path})
    assert answer.status_code == 201
    assert answer.get_json()["warnings"] == [_warning(path, why, send)]
    [kept] = client.get("/__admin/faults").get_json()["rules"]
    assert kept["path"] == path and "warnings" not in kept
    assert client.post("/__admin/faults", json={"fault": "status=503", "path": send}).get_json().get("warnings") is None


@pytest.mark.parametrize("path", [
    CREATE, "/campaign/api/v2/public/st-elsewhere/campaign", "/campaign/*", "*/campaign", "*", None, "/nowhere", "/x",
    "/nowhere ", "/campaign/*?", "/a?b*",
    "/campaigns", "/camp", "/c", "/campaign/api/v2/pub", f"{CREATE}/more", f"/{STREAM}/campaign", "/caf\u00e9",
    "/campaign/api/v2/public//campaign",
])
def test_a_create_s_path_a_glob_or_another_path_has_no_warning(client, path):
    """A create's path for any stream (a client may use one the tenant lacks, refused after the fault's turn), every
    glob, and a path no create's start or spelling looks like (a client may call it) are left alone."""
    answer = client.post("/__admin/faults", json={"fault": "status=503", "path": path})
    assert answer.status_code == 201 and "warnings" not in answer.get_json(), answer.get_json()


def test_a_rule_for_another_method_than_a_create_s_has_no_warning(client):
    """`GET /campaign` is not a create's request, so a rule for it was not meant for creates."""
    answer = client.post("/__admin/faults", json={"fault": "status=503", "method": "get", "path": "/campaign"})
    assert "warnings" not in answer.get_json()
    answer = client.post("/__admin/faults", json={"fault": "status=503", "method": "post", "path": "/campaign"})
    assert answer.get_json()["warnings"] == [_warning("/campaign", WHOLE, "/campaign/*")]


def test_a_rule_replaced_with_such_a_path_is_warned_of_too(client):
    rule = client.post("/__admin/faults", json={"fault": "drop", "path": "/campaign/*"}).get_json()
    answer = client.put(f"/__admin/faults/{rule['id']}", json={"fault": "drop", "path": "/campaign"})
    assert answer.status_code == 200 and answer.get_json()["warnings"] == [_warning("/campaign", WHOLE, "/campaign/*")]


def test_a_placeholder_the_tenant_has_as_a_stream_is_a_create_s_path(make_app, tmp_path):
    """A stream named `{streamId}` is a stream like any other: its create path is not the template's."""
    data = json.loads(DEFAULT_TENANT.read_text(encoding="utf-8"))
    data["accounts"][0]["streams"].append("{streamId}")
    tenant = tmp_path / "tenant.json"
    tenant.write_text(json.dumps(data), encoding="utf-8")
    client = make_app({"TENANT": str(tenant), "DATABASE": ":memory:"}).test_client()
    path = "/campaign/api/v2/public/{streamId}/campaign"
    answer = client.post("/__admin/faults", json={"fault": "drop", "path": path})
    assert answer.status_code == 201 and "warnings" not in answer.get_json(), answer.get_json()


def test_the_admin_document_s_example_warning_is_the_mock_s(app, client):
    schemas = build_document(app.extensions["mock"].contract)["components"]["schemas"]
    [example] = schemas["FaultRule"]["properties"]["warnings"]["examples"]
    answer = client.post("/__admin/faults", json={"fault": "status=503", "path": "/campaign"})
    assert answer.get_json()["warnings"] == example


def test_add_fault_warns_where_it_is_called_and_keeps_the_rule():
    with running_mock(database=":memory:") as mock:
        with pytest.warns(FaultRuleWarning) as caught:
            rule = mock.add_fault("status=503", path="/campaign")
        [warned] = caught
        assert str(warned.message) == "add_fault(): " + _warning("/campaign", WHOLE, "/campaign/*")
        assert warned.filename == __file__
        assert [kept["id"] for kept in mock.fault_rules()] == [rule["id"]]
        with pytest.warns(FaultRuleWarning, match=r"^replace_fault\(\): path matches no create"):
            mock.replace_fault(rule["id"], "drop", path=f"{CREATE}/")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            mock.add_fault("status=503", path="/campaign/*")
            mock.replace_fault(rule["id"], "drop", path=CREATE)


def _shadowed_by(rule_id: int) -> str:
    return (f"fault rule {rule_id} comes first and meets every request this one does, every time (no count,"
            f" probability 1): this one applies only once rule {rule_id} is removed (DELETE /__admin/faults/{rule_id})"
            " or narrowed")


@pytest.mark.parametrize(("first", "then"), [
    ({"fault": "latency=100"}, {"fault": "status=503", "path": "/campaign/*"}),
    ({"fault": "drop", "path": "/campaign/*"}, {"fault": "status=503", "path": CREATE}),
    ({"fault": "drop", "path": "/campaign/*"}, {"fault": "status=503", "path": "/campaign/api/*", "method": "POST",
                                                "accountId": "65f1c0ffee0ddba11a5e0001", "count": 2}),
    ({"fault": "drop", "method": "post", "path": "*", "probability": 1.0}, {"fault": "status=503", "method": "POST"}),
    # a glob with a `*` inside it, which took in the later rule's every path but was not told: every rule after it
    # faulted nothing, with a bare 201
    ({"fault": "drop", "path": "/campaign/*/x"}, {"fault": "status=503", "path": "/campaign/a/*/x"}),
    ({"fault": "drop", "path": "/campaign/*/campaign"}, {"fault": "status=503", "path": CREATE}),
    ({"fault": "drop", "path": "*/campaign"}, {"fault": "status=503", "path": "/campaign/*/campaign"}),
    ({"fault": "drop", "path": "/*"}, {"fault": "status=503", "path": "*/campaign"}),  # a request's path starts with /
])
def test_a_rule_an_earlier_one_always_meets_first_is_kept_with_a_warning(client, first, then):
    """Only the first rule that matches and fires applies: a catch-all left from another test (no count) made every
    rule added after it fault nothing, with a bare 201."""
    earlier = client.post("/__admin/faults", json=first).get_json()
    answer = client.post("/__admin/faults", json=then)
    assert answer.status_code == 201 and answer.get_json()["warnings"] == [_shadowed_by(earlier["id"])]
    assert len(client.get("/__admin/faults").get_json()["rules"]) == 2


@pytest.mark.parametrize(("first", "then"), [
    ({"fault": "latency=100", "count": 1}, {"fault": "status=503"}),
    ({"fault": "latency=100", "probability": 0.5}, {"fault": "status=503"}),
    ({"fault": "drop", "method": "GET"}, {"fault": "status=503"}),
    ({"fault": "drop", "path": "/campaign/api/*"}, {"fault": "status=503", "path": "/campaign/*"}),
    ({"fault": "drop", "path": "/campaign/a/*/x"}, {"fault": "status=503", "path": "/campaign/*/x"}),
    ({"fault": "drop", "path": "/*/x"}, {"fault": "status=503", "path": "*/x"}),  # `*/x` matches /x too
    ({"fault": "drop", "accountId": "65f1c0ffee0ddba11a5e0001"}, {"fault": "status=503"}),
    ({"fault": "drop", "path": CREATE}, {"fault": "status=503", "path": "/campaign/*"}),
])
def test_a_rule_an_earlier_one_may_let_through_has_no_warning(client, first, then):
    """A counted or chancy rule, or a narrower one, lets some of the later rule's requests through to it."""
    client.post("/__admin/faults", json=first)
    answer = client.post("/__admin/faults", json=then)
    assert answer.status_code == 201 and "warnings" not in answer.get_json(), answer.get_json()


def test_a_rule_replaced_in_its_place_is_warned_of_only_for_the_rules_before_it(client):
    first = client.post("/__admin/faults", json={"fault": "drop", "count": 1}).get_json()
    client.post("/__admin/faults", json={"fault": "latency=5"})
    answer = client.put(f"/__admin/faults/{first['id']}", json={"fault": "status=503"})
    assert "warnings" not in answer.get_json()
    later = client.post("/__admin/faults", json={"fault": "drop", "path": "/nowhere", "count": 1}).get_json()
    answer = client.put(f"/__admin/faults/{later['id']}", json={"fault": "status=502"})
    assert answer.get_json()["warnings"] == [_shadowed_by(first["id"])]


def test_add_fault_warns_of_a_rule_an_earlier_one_always_meets_first():
    with running_mock(database=":memory:") as mock:
        first = mock.add_fault("latency=5")
        with pytest.warns(FaultRuleWarning) as caught:
            mock.add_fault("status=503", path="/campaign/*", count=1)
        assert [str(each.message) for each in caught] == ["add_fault(): " + _shadowed_by(first["id"])]


@pytest.mark.parametrize(("method", "meant"), [("psot", "POST"), ("GTE", "GET"), ("Path", "PATCH"),
                                              ("DELET", "DELETE")])
def test_a_method_spelt_near_one_http_defines_is_kept_with_a_warning(client, method, meant):
    """`"method": "PSOT"` was stored as a method no client sends: a rule that faulted nothing, with a bare 201."""
    answer = client.post("/__admin/faults", json={"fault": "drop", "method": method})
    assert answer.status_code == 201 and answer.get_json()["warnings"] == [
        f"method is none of the methods HTTP defines (got {method.upper()!r}; it looks misspelt: send \"{meant}\")"]


@pytest.mark.parametrize("method", ["POST", "get", "PURGE", "QUERY", "PROPFIND", None])
def test_a_method_http_defines_or_one_of_a_server_s_own_has_no_warning(client, method):
    answer = client.post("/__admin/faults", json={"fault": "drop", "method": method, "count": 1})
    assert answer.status_code == 201 and "warnings" not in answer.get_json(), answer.get_json()
