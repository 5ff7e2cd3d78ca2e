"""Answers that are not the service's own, said in words: a forward proxy's, and a page (a sign-in, a captive portal,
a web filter, a gateway) where the API answers JSON.

The runner gives such an answer no verdict (or stops the run at the first answer): judged, each would be a contract
failure, "the body is not JSON", on every case alike.
"""

from __future__ import annotations

import re

# What a page is served as; a body that starts as one counts too, whatever its Content-Type says.
PAGE_TYPES = ("text/html", "application/xhtml+xml")
PAGE_STARTS = ("<!doctype html", "<html")
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# Why a forward proxy answers an http:// target's request itself, by the status it answers.
PROXY_ANSWERS = {
    403: "its policy refuses the request (have the target allowed, or list its host in NO_PROXY if it is reached"
         " directly)",
    502: "it could not reach the target (a host it cannot resolve or connect to, or a target that is down)",
    503: "it cannot pass requests on now",
    504: "the target did not answer it in time",
}
PROXY_ANSWER = "it did not pass the request on"


def is_page(content_type: str, text: str) -> bool:
    """Whether an answer is a page (HTML), by its Content-Type or by how its body starts."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in PAGE_TYPES or text.lstrip()[:20].lower().startswith(PAGE_STARTS)


def quoted(text: str) -> str:
    """A page's title, or a body's start, to quote in a line."""
    title = TITLE.search(text[:2000])
    shown = " ".join((title.group(1) if title else text).split())
    return repr(shown[:80] if title else shown[:120])


def proxy_answer(status: int, content_type: str, text: str) -> str:
    """The words for a forward proxy's own answer to an http:// target's request (one that is not JSON)."""
    kind, why = content_type or "no Content-Type", PROXY_ANSWERS.get(status, PROXY_ANSWER)
    return f"answered {status} itself, not the service ({kind}: {quoted(text)}): {why}"


def page_answer(status: int, content_type: str, text: str) -> str:
    """The words for a page where the API answers JSON."""
    kind = content_type or "no Content-Type"
    return (f"{status} with a page, not the API's JSON ({kind}: {quoted(text)}): a sign-in page, a captive portal or a"
            " gateway in front of the service?")
