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


def close_if_body_left(body: Any, most: int) -> None:
    """Close the connection after an answer given without reading the whole body (a refusal on the headers: 401,
    404, a fault), when what is left is chunked or more than `most` bytes. gunicorn reads a body left unread before
    the next request on a connection it keeps (gthread workers): a chunked one may be malformed, and its 400 followed
    the answer unasked; a large one may never come. A shorter one is read and dropped, and the connection kept.
    `body` is gunicorn's (wsgi.input): a chunked reader's parser goes once its body is read, a length reader counts
    down what is left."""
    served = getattr(_serving, "request", None)
    if served is None or served.must_close:
        return
    reader = getattr(body, "reader", None)
    if getattr(reader, "parser", None) is not None or getattr(reader, "length", 0) > most:
        served.must_close = True


def register(app: Any, most: int) -> None:
    """The app's hook for close_if_body_left, on every answer."""
    from flask import request  # here: gunicorn's master imports this module (mockserver.workers), and no Flask

    @app.after_request
    def close_if_left(response: Any) -> Any:
        close_if_body_left(request.environ.get("wsgi.input"), most)
        return response
