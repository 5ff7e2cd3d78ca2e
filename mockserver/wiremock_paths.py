"""What to send here for an admin request WireMock has and this mock does not: the hint a 400, 404 or 405 on such a
path carries, for a team moving its stubs and its verifications over (`POST /__admin/requests/count`)."""

from __future__ import annotations

from mockserver import path_glob

_NO_STUBS = ("this mock keeps no stubs: it answers as the vendor's page says, and a fault rule makes it fail:"
             " send POST /__admin/faults")
# (path glob, hint), the first that matches the path applies; the paths are WireMock's admin API's
HINTS: tuple[tuple[str, str], ...] = (
    ("/__admin/requests/count", "WireMock's request count is the journal listing's total here: send"
                                " GET /__admin/requests?method=POST&path=/campaign/*&limit=0"),
    ("/__admin/requests/find", "the journal listing takes its filters in the query: send"
                               " GET /__admin/requests?method=POST&path=/campaign/*"),
    ("/__admin/requests/unmatched*", "every request is answered from the contract, none is unmatched; the refused"
                                     " ones list by status: send GET /__admin/requests?status=4xx"),
    ("/__admin/near-misses*", "every request is answered from the contract, none is unmatched; the refused ones"
                              " list by status: send GET /__admin/requests?status=4xx"),
    ("/__admin/requests/reset", "the journal is cleared by a delete: send DELETE /__admin/requests"),
    ("/__admin/mappings*", _NO_STUBS),
    ("/__admin/scenarios*", "a rule's count plays a scenario's steps (fail twice, then succeed), and a reset"
                            " forgets it: send POST /__admin/reset"),
    ("/__admin/settings*", "a delay for every request is a fault rule without a count: send POST /__admin/faults"
                           " with {\"fault\": \"latency=2000\"}"),
    ("/__admin/shutdown", "the mock stops on a signal: send kill -TERM <pid> (the pid its startup line ends with)"),
)


def hint(path: str) -> str | None:
    """The hint for a WireMock admin path (as routed, %-decoded), or None for any other."""
    return next((words for glob, words in HINTS if path_glob.matches(path, glob)), None)


def with_hint(items: list[dict], path: str) -> list[dict]:
    """`items` with the hint on the first, where the path is WireMock's and no item carries a hint of its own."""
    words = hint(path)
    if words is None or not items or any("hint" in item for item in items):
        return items
    return [{**items[0], "hint": words}, *items[1:]]
