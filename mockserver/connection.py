"""The connection a request came on, as far as the app needs it: asking the server to close it after the answer.

The mock's gunicorn workers (mockserver.workers) say which request each thread is answering; under another server
(mockserver.testing's in-process mock, Flask's test client) there is none, and nothing to do. Apart from the
workers so that the app imports no gunicorn, which needs POSIX: the in-process mock runs on Windows too.
"""

from __future__ import annotations

import threading
from typing import Any

_serving = threading.local()  # the gunicorn request this worker thread is answering


def answering(request: Any) -> None:
    """The server's request object this thread now answers (None once it is answered)."""
    _serving.request = request


def close_after_response() -> None:
    """Have the answer being written say `Connection: close`, and close the connection after it: the app found the
    rest of the request unreadable (a stalled or malformed body), so no next request can follow on it. gunicorn
    drops a Connection header an app sets, and otherwise says keep-alive on gthread workers and then closes
    anyway, so a client reusing the connection would fail its next request. Outside gunicorn, nothing to do."""
    request = getattr(_serving, "request", None)
    if request is not None:
        request.must_close = True
