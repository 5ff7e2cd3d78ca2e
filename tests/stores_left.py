"""A pytest plugin: a test fails at teardown if it leaves open a mock's store that it made, naming the stores'
databases; so does the last test if a module's or the session's fixture left one open.

A store is closed by `store.close()`, or by the fixture or command that made it (`make_app`, `running_mock`).

An open store keeps its checkpoint and journal threads, its connections and its lock file until the garbage
collector takes it; tests that dropped apps unclosed left hundreds of such threads running in a worker, so that
later tests forked beside them. The stores are held until they are checked, so that one the garbage collector
happened to take first is found all the same. A test that means to leave a store to the garbage collector is
marked `leaves_stores_open`, and its stores are not held.
"""

from __future__ import annotations

import pytest

from mockserver.store import SqliteStore

_made: list[SqliteStore] | None = None  # the stores the running test has made; None when it is marked
_outside: list[SqliteStore] = []  # those made outside any test's call: by a module's or session's fixture
_in_test = False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "leaves_stores_open: the test leaves stores for the garbage collector")
    made = SqliteStore.__init__

    def tracked(self: SqliteStore, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        if not _in_test:
            _outside.append(self)
        elif _made is not None:
            _made.append(self)

    SqliteStore.__init__ = tracked  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def stores_closed(request: pytest.FixtureRequest):
    """Set up before, and so torn down after, every other function-scoped fixture of the test: theirs close the
    stores they made. A module's or session's fixture is set up before this, and torn down after."""
    global _made, _in_test
    _made, _in_test = None if request.node.get_closest_marker("leaves_stores_open") else [], True
    try:
        yield
        left = [store.database for store in _made or () if not store.closed]
    finally:
        _made, _in_test = None, False
    if left:
        pytest.fail(f"the test left {len(left)} store(s) open: {', '.join(left[:5])}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After the process's last test, whose teardown ends every module's and the session's fixtures, a store one of
    them left open fails that teardown: a report of a test's, which xdist's workers send on as they send any."""
    result = yield
    if nextitem is None:
        left = [store.database for store in _outside if not store.closed]
        _outside.clear()
        if left:
            pytest.fail(f"fixtures of a module or the session left {len(left)} store(s) open: {', '.join(left[:5])}",
                        pytrace=False)
    return result
