"""An admin request WireMock has and this mock does not is answered with what to send here instead."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("method", "path", "status", "instead"), [
    ("POST", "/__admin/requests/count", 405,
     "WireMock's request count is the journal listing's total here: send"
     " GET /__admin/requests?method=POST&path=/campaign/*&limit=0"),
    ("GET", "/__admin/requests/count", 400,
     "WireMock's request count is the journal listing's total here: send"
     " GET /__admin/requests?method=POST&path=/campaign/*&limit=0"),
    ("POST", "/__admin/requests/find", 405,
     "the journal listing takes its filters in the query: send GET /__admin/requests?method=POST&path=/campaign/*"),
    ("GET", "/__admin/requests/unmatched", 400,
     "every request is answered from the contract, none is unmatched; the refused ones list by status: send"
     " GET /__admin/requests?status=4xx"),
    ("GET", "/__admin/mappings", 404,
     "this mock keeps no stubs: it answers as the vendor's page says, and a fault rule makes it fail: send"
     " POST /__admin/faults"),
    ("POST", "/__admin/mappings/reset", 404,
     "this mock keeps no stubs: it answers as the vendor's page says, and a fault rule makes it fail: send"
     " POST /__admin/faults"),
    ("POST", "/__admin/scenarios/reset", 404, "a rule's count plays a scenario's steps (fail twice, then succeed),"
     " and a reset forgets it: send POST /__admin/reset"),
    ("POST", "/__admin/settings", 404, "a delay for every request is a fault rule without a count: send"
     " POST /__admin/faults with {\"fault\": \"latency=2000\"}"),
    ("POST", "/__admin/shutdown", 404, "the mock stops on a signal: send kill -TERM <pid> (the pid its startup"
     " line ends with)"),
])
def test_a_wiremock_admin_request_is_told_what_to_send_here(client, method, path, status, instead):
    """A team moving from WireMock sends its admin requests as it did (`POST /__admin/requests/count` to verify a
    client sent one create): it got a bare 404, a 405 saying `send DELETE or GET`, or a 400 about a journal id."""
    answer = client.open(path, method=method, json={"method": "POST"} if method == "POST" else None)
    assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["errors"][0]["hint"] == instead


@pytest.mark.parametrize(("method", "path"), [("GET", "/__admin/nothing"), ("GET", "/__admin/requests/abc"),
                                              ("GET", "/__admin/requests/99"), ("PUT", "/__admin/reset")])
def test_an_admin_request_wiremock_lacks_too_is_answered_as_before(client, method, path):
    answer = client.open(path, method=method)
    assert answer.status_code in (400, 404, 405)
    assert "hint" not in answer.get_json()["errors"][0]
