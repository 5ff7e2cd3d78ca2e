"""A pytest plugin: a test fails at teardown if it leaves open a mock's store that it made, naming the stores'
databases; a store is closed by `store.close()`, or by the fixture or command that made it (`make_app`, `serve`).

An open store keeps its checkpoint and journal threads, its connections and its lock file until the garbage
collector takes it; tests that dropped apps unclosed left hundreds of such threads running in a worker, so that
later tests forked beside them. The stores a test makes are held until its teardown, so that one the garbage
collector happened to take first is found all the same. A test that means to leave a store to the garbage
collector is marked `leaves_stores_open`, and its stores are not held.
"""

from __future__ import annotations

import pytest

from mockserver.store import SqliteStore

_made: list[SqliteStore] | None = None  # the stores the running test has made; None between tests or when marked


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "leaves_stores_open: the test leaves stores for the garbage collector")
    made = SqliteStore.__init__

    def tracked(self: SqliteStore, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        if _made is not None:
            _made.append(self)

    SqliteStore.__init__ = tracked  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def stores_closed(request: pytest.FixtureRequest):
    """Set up before, and so torn down after, every other function-scoped fixture of the test: theirs close the
    stores they made. Stores a module's or session's fixture made are theirs to close, after the test."""
    global _made
    _made = None if request.node.get_closest_marker("leaves_stores_open") else []
    try:
        yield
        left = [store.database for store in _made or () if not store.closed]
    finally:
        _made = None
    if left:
        pytest.fail(f"the test left {len(left)} store(s) open: {', '.join(left[:5])}", pytrace=False)
