"""The journal's `path` filter with %-escapes (`/a%2Fb`, once the query string's own decoding is done): the journal
keeps each request's path decoded, so the filter matches only a request that sent each escape's `%` encoded again
(`/a%252Fb`), as a fault rule's path does. A listing or count narrowed so answers with `warnings` naming the path to
give; `count_requests(path="/a%2Fb")` was silently 0 for the request sent as `/a%2Fb`."""

from __future__ import annotations

import warnings

import pytest
import requests
from commands import mockserver_command

from mockserver.testing import PathFilterWarning, UnknownAccountWarning, running_mock

KEPT = "the journal keeps a request's path decoded"


def _warning(path: str, send: str | None) -> str:
    why = f'{KEPT}: send "{send}"' if send is not None else KEPT
    return (f"path's %-escapes match a request's path only where it sent their % encoded again, as %25"
            f" (got {path!r}; {why})")


@pytest.mark.parametrize(("given", "path", "send"), [
    ("/a%252Fb", "/a%2Fb", "/a/b"),  # %25: the query string's own decoding leaves `/a%2Fb`
    ("/campaign/*/st%252D1/*", "/campaign/*/st%2D1/*", "/campaign/*/st-1/*"),  # a glob too
    ("/%252Fx", "/%2Fx", "//x"),  # a doubled slash is journaled as sent
    ("/a%252Ab", "/a%2Ab", None),  # decoded, the `*` would be a wildcard: nothing to send
    ("/a%25252Fb", "/a%252Fb", None),  # decoded once, `/a%2Fb` would be warned of again
])
def test_a_path_filter_with_escapes_is_answered_with_a_warning(client, given, path, send):
    answer = client.get(f"/__admin/requests?path={given}&limit=0")
    assert answer.status_code == 200
    assert answer.get_json()["warnings"] == [_warning(path, send)]


def test_a_path_filter_s_query_string_is_left_out_of_the_path_to_give(client):
    """`/a b?x=/` was named, which the journal keeps as a path only for a request sent as `/a%20b%3Fx=/`."""
    answer = client.get("/__admin/requests?path=/a%2520b%3Fx%3D%252F&limit=0")
    assert answer.get_json()["warnings"] == [
        "path's %-escapes match a request's path only where it sent their % encoded again, as %25 (got"
        f" '/a%20b?x=%2F'; the journal keeps a request's query string apart from its path and {KEPT}: send \"/a b\")"]


@pytest.mark.parametrize("given", ["/a%2Fb", "/100%25", "/a%25zz", "/caf%C3%A9", "/campaign/*"])
def test_a_path_filter_without_escapes_once_decoded_has_no_warning(client, given):
    """A hand-typed `?path=/a%2Fb` is decoded once by the query string: `/a/b`, the path a request sent as `/a%2Fb`
    is journaled under."""
    assert "warnings" not in client.get(f"/__admin/requests?path={given}").get_json()


def test_both_warnings_of_a_listing_come_together(client):
    answer = client.get("/__admin/requests?path=/a%252Fb&accountId=nope").get_json()
    assert [text.split(" ", 1)[0] for text in answer["warnings"]] == ["accountId", "path's"]


def test_count_requests_warns_and_the_path_it_names_counts_the_request():
    with running_mock(database=":memory:") as mock:
        requests.get(f"{mock.url}/a%2Fb", timeout=10)
        with pytest.warns(PathFilterWarning, match="^count_requests\\(\\): path's %-escapes match") as warned:
            assert mock.count_requests(path="/a%2Fb") == 0
        assert str(warned[0].message).endswith(f'{KEPT}: send "/a/b")')
        with pytest.warns(PathFilterWarning, match="^journal\\(\\): "):
            assert mock.journal(path="/a%2Fb") == []
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert mock.count_requests(path="/a/b") == 1
        with pytest.warns(UnknownAccountWarning):  # an account's warning keeps its own class
            mock.count_requests(account_id="nope")


def test_the_journal_command_prints_the_warning_once():
    with running_mock(database=":memory:") as mock:
        result = mockserver_command("journal", "--url", mock.url, "--path", "/a%2Fb")
    assert (result.returncode, result.stdout) == (0, "(no requests match the filters)\n")
    assert result.stderr == f"mockserver journal: warning: {_warning('/a%2Fb', '/a/b')}\n"
