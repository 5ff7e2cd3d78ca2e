"""The path glob the journal's `path` filter and fault rules share: `*` the one wildcard, every other character
itself."""

from __future__ import annotations

import itertools
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


def test_covers_is_exact_over_every_pair_of_small_globs():
    """A fault rule is warned of as never applying when an earlier one's glob covers its own: the warning must never
    be wrong, nor missed where it can be told. Every glob of up to 4 characters of `/`, `a`, `?` and `*` (or none,
    any path), against every other: `covers` is True exactly when every path up to 5 characters (starting with `/`,
    as a request's does, and holding `x`, which no glob holds) that the second matches, the first matches too.
    Where it is False, such a path shows it: the second glob with each `*` made an `x`, `/` before it if it starts
    with `*`."""
    globs = [None, *("".join(chars) for size in range(1, 5) for chars in itertools.product("/a?*", repeat=size)
                     if chars[0] in "/*")]
    paths = ["/" + "".join(chars) for size in range(5) for chars in itertools.product("/a?x", repeat=size)]
    matched = {glob: frozenset(path for path in paths if glob is None or path_glob.matches(path, glob))
               for glob in globs}
    wrong = [(first, then) for first in globs for then in globs
             if path_glob.covers(first, then) is not (matched[then] <= matched[first])]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(("first", "then", "covered"), [
    ("/campaign/*/x", "/campaign/a/*/x", True),
    ("/campaign/a/*/x", "/campaign/*/x", False),
    ("/*", "*/campaign", True),  # a request's path starts with /
    ("/*/x", "*/x", False),  # `*/x` matches `/x`, which `/*/x` does not
    ("*a*b*", "/x*a*y*b", True),
    ("*a*b*", "/x*b*a", False),
    ("/a*", None, False),
    ("*", None, True),
])
def test_one_glob_covers_another_where_it_matches_every_path_that_one_does(first, then, covered):
    assert path_glob.covers(first, then) is covered
