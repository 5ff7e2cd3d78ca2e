"""A fault rule's path with %-escapes (`/campaign/a%2Fb`): matched as written against the request's path decoded, as
the journal's `path` filter matches it, so it meets only a request that sent each escape's `%` encoded again
(`%252F`). It is kept, as such a request may be meant, and its answer warns, with the path decoded to send; it was
added with a bare 201 and faulted nothing the client sent."""

from __future__ import annotations

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
    ({"path": "/a%20b?x=%2F", "method": "DELETE"}, "/a b?x=/"),
    ({"path": "/a%2Ab"}, None),  # decoded, the `*` would be a wildcard: nothing to send
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
