"""The path glob the journal's `path` filter and fault rules share: `*` the one wildcard, every other character
itself."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from mockserver import path_glob

# (pattern, the path a request is sent to (%-encoded), whether the pattern matches the path it names)
CASES = [
    ("/nope?", "/nopeX", False),  # `?` was SQLite's and fnmatch's one-character wildcard
    ("/nope?", "/nope%3F", True),
    ("/a[1]", "/a[1]", True),  # `[1]` was a class, which matched /a1 and not the path itself
    ("/a[1]", "/a1", False),
    ("/a[!b]", "/ac", False),
    ("/x]", "/x]", True),
    ("/campaign/*", "/campaign/a/b", True),  # `*` matches across `/`, as documented
    ("/*/b*", "/a[1]/b?", True),
    ("/A*", "/a", False),  # case and all
]


@pytest.mark.parametrize(("pattern", "sent", "matched"), CASES)
def test_the_journal_filter_and_a_fault_rule_read_a_path_glob_alike(client, pattern, sent, matched):
    assert client.get(sent).status_code == 404
    listed = client.get(f"/__admin/requests?path={quote(pattern, safe='')}").get_json()
    assert listed["total"] == int(matched)
    added = client.post("/__admin/faults", json={"fault": "status=503", "path": pattern})
    assert added.status_code == 201, added.get_json()
    assert client.get(sent).status_code == (503 if matched else 404)


@pytest.mark.parametrize(("pattern", "path", "matched"), [
    ("/nope?", "/nopeX", False), ("/nope?", "/nope?", True), ("/a[1]", "/a[1]", True), ("/a[1]", "/a1", False),
    ("*", "", True), ("/a*b*c", "/a/x/b/y/c", True), ("/a*b", "/a/b/c", False),
])
def test_star_is_the_only_wildcard(pattern, path, matched):
    assert path_glob.matches(path, pattern) is matched
