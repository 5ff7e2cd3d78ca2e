"""A fault rule's path with %-escapes (`/campaign/a%2Fb`): matched as written against the request's path decoded, as
the journal's `path` filter matches it, so it meets only a request that sent each escape's `%` encoded again
(`%252F`). It is kept, as such a request may be meant, and its answer warns, with the path decoded to send; it was
added with a bare 201 and faulted nothing the client sent."""

from __future__ import annotations

import json
import re
import warnings

import pytest
import requests

from mockserver.testing import FaultRuleWarning, running_mock

DECODED = "a rule's path is matched against the request's path decoded"


def _warning(path: str, send: str | None) -> str:
    why = f'{DECODED}: send "{send}"' if send is not None else DECODED
    return (f"path's %-escapes match a request's path only where it sent their % encoded again, as %25"
            f" (got {path!r}; {why})")


@pytest.mark.parametrize(("rule", "send"), [
    ({"path": "/campaign/a%2Fb"}, "/campaign/a/b"),
    ({"path": "/campaign/a%2fb", "method": "GET"}, "/campaign/a/b"),  # any method: not about creates alone
    ({"path": "/files/caf%C3%A9"}, "/files/caf\u00e9"),
    ({"path": "*/st%2F1/*"}, "*/st/1/*"),  # a glob too
    ({"path": "/a%2Ab"}, None),  # decoded, the `*` would be a wildcard: nothing to send
    ({"path": "/a%252Fb"}, None),  # decoded once, `/a%2Fb` would be warned of again
])
def test_a_rule_path_with_escapes_is_kept_with_a_warning(client, rule, send):
    answer = client.post("/__admin/faults", json={"fault": "status=503", **rule})
    assert answer.status_code == 201
    assert answer.get_json()["warnings"] == [_warning(rule["path"], send)]
    assert client.get("/__admin/faults").get_json()["rules"][0]["path"] == rule["path"]


@pytest.mark.parametrize("path", ["/100%", "/a%zz", "/a%2", "/caf\u00e9", "/a b", "/campaign/*"])
def test_a_path_without_escapes_has_no_warning(client, path):
    answer = client.post("/__admin/faults", json={"fault": "status=503", "method": "GET", "path": path})
    assert answer.status_code == 201 and "warnings" not in answer.get_json(), answer.get_json()


def test_a_create_s_path_with_escapes_is_warned_of_once(client):
    path = "/campaign/api/v2/public/st%2D7c0f9a52-1b3d-4e8f-a6c2-5d9e0b1f2a01/campaign"
    [warned] = client.post("/__admin/faults", json={"fault": "drop", "path": path}).get_json()["warnings"]
    assert warned.startswith("path matches no create") and DECODED in warned


def test_what_the_warning_says_holds_over_a_socket():
    """The rule as sent faults only the request that sent `%252F`; the path the warning says to send faults the
    request that sent `%2F`, which the server decoded to `/`."""
    with running_mock(database=":memory:") as mock:
        with pytest.warns(FaultRuleWarning, match="^add_fault\\(\\): path's %-escapes match"):
            mock.add_fault("status=503", path="/campaign/a%2Fb")
        statuses = [requests.get(f"{mock.url}{sent}", timeout=10).status_code
                    for sent in ("/campaign/a%2Fb", "/campaign/a%252Fb")]
        assert statuses == [404, 503]
        mock.reset()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            mock.add_fault("status=503", path="/campaign/a/b")
        assert requests.get(f"{mock.url}/campaign/a%2Fb", timeout=10).status_code == 503


QUERY = "a rule's path is matched without the query string"


@pytest.mark.parametrize("method", ["DELETE", None])
def test_a_query_string_is_left_out_of_the_path_to_send(client, method):
    """`/a b?x=/` was named, which a request's path cannot hold but as `/a%20b%3Fx=/`: the query string apart, the
    escapes decoded, as the warning of a query string in a create's path or a glob says it."""
    answer = client.post("/__admin/faults", json={"fault": "status=503", "method": method, "path": "/a%20b?x=%2F"})
    assert answer.get_json()["warnings"] == [
        "path's %-escapes match a request's path only where it sent their % encoded again, as %25 (got"
        f" '/a%20b?x=%2F'; {QUERY} and {DECODED}: send \"/a b\")"]


SENT = re.compile(r'; [^;]*: send ("(?:[^"\\]|\\.)*")\)$')  # the path a warning names, as JSON

# Paths whose warnings name, or once named, a path that drew a warning itself
PATHS = ["/a%252Fb", "/a%20b?x=%2F", "/campaign/*?accountId=x%2F", "/campaign/a%2F*?x=1", "/campaign%3Fx",
         "/campaign/api/v2/public/st-1/campaign%3Fx=1", "/campaign/api/v2/public/st-1/campaign?x=%2F",
         "/campaign/api/v2/public/st%252D1/campaign ", "/campaign/api/v2/public/st%2D1/campaign", "*/a%3Fb=1/*",
         "/a%2Fb#frag", "/campaign/api/v2/public/%7BstreamId%7D/campaign", "/Campaign%2Fapi", "/a%2523",
         "/campaign/api/v2/public/st-1/campaign%2F?x=1", "/campaign%252F*?accountId=1"]


@pytest.mark.parametrize("method", [None, "POST", "GET"])
@pytest.mark.parametrize("path", PATHS)
def test_each_path_a_warning_names_draws_no_warning_itself_and_all_name_one(client, method, path):
    """`/a%252Fb` was told to send `/a%2Fb`, warned of again; a glob with escapes before its query string was told
    to send it with them, and its escapes' warning to send it with the query string, each drawing the other."""
    said = client.post("/__admin/faults", json={"fault": "status=503", "method": method, "path": path}).get_json()
    named = {json.loads(found.group(1)) for text in said.get("warnings", []) if (found := SENT.search(text))}
    assert len(named) <= 1, said["warnings"]
    for meant in named:
        again = client.post("/__admin/faults", json={"fault": "status=503", "method": method, "path": meant})
        assert "warnings" not in again.get_json() or not any(
            text.startswith("path") for text in again.get_json()["warnings"]), (said["warnings"], again.get_json())
