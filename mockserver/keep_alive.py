"""The `Keep-Alive: timeout=N` header on an answer after which a gthread worker keeps the connection.

A gthread worker closes a connection left idle for its keepalive setting (`--idle-timeout`). A client that pools
connections and is not told how long that is (Node's undici, behind fetch, keeps one 4 s by default) may send a
request on one just as the worker closes it, and meet a reset. Told `timeout=N`, undici and others close it before.
Sync workers close after every answer: they say nothing more, and pay nothing for it.

A worker told to stop (SIGTERM, SIGHUP, Ctrl-C) while it answers closes the connection after that answer, so the
answer says `Connection: close` (RFC 9112, 9.6): gunicorn decides keep-alive as the request arrives, and an answer
begun after the stop said `keep-alive` and `timeout=5`, then the connection was closed 2 s later (gthread's grace
for idle kept-alive connections), under a client that may have sent its next request down it meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def said(wsgi_app: WsgiApp, seconds: int, stopping: Callable[[], bool] = lambda: False) -> WsgiApp:
    """`wsgi_app` answering with `Keep-Alive: timeout=<seconds>` where gunicorn keeps the connection after the
    answer, and `Connection: close` where `stopping()` says the worker is told to stop. gunicorn drops a Keep-Alive
    header an app sets (a hop-by-hop field), so it is added to gunicorn's response (start_response's owner) once its
    status and headers are in, which with the request, what the app asked (mockserver.connection) and the stop
    decide whether the answer says `Connection: close`."""
    header = ("Keep-Alive", f"timeout={int(seconds)}")

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = getattr(start_response, "__self__", None)
        if response is None or not hasattr(response, "should_close"):  # not gunicorn's: nothing to add to
            return wsgi_app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            write = start_response(status, headers, exc_info)
            if stopping():  # before the head is written: gunicorn says `Connection: close` and closes after
                response.force_close()
            if not response.should_close() and header not in response.headers:
                response.headers.append(header)
            return write

        return wsgi_app(environ, start)

    return app
