"""Answers that are not the service's own, said in words: a page (a sign-in, a captive portal, a web filter, a
gateway) where the API answers JSON.

The runner gives such an answer no verdict (or stops the run at the first answer): judged, each would be a contract
failure, "the body is not JSON", on every case alike.
"""

from __future__ import annotations

import re

# What a page is served as; a body that starts as one counts too, whatever its Content-Type says.
PAGE_TYPES = ("text/html", "application/xhtml+xml")
PAGE_STARTS = ("<!doctype html", "<html")
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

def is_page(content_type: str, text: str) -> bool:
    """Whether an answer is a page (HTML), by its Content-Type or by how its body starts."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in PAGE_TYPES or text.lstrip()[:20].lower().startswith(PAGE_STARTS)


def quoted(text: str) -> str:
    """A page's title, or a body's start, to quote in a line."""
    title = TITLE.search(text[:2000])
    shown = " ".join((title.group(1) if title else text).split())
    return repr(shown[:80] if title else shown[:120])


def page_answer(status: int, content_type: str, text: str) -> str:
    """The words for a page where the API answers JSON."""
    kind = content_type or "no Content-Type"
    return (f"{status} with a page, not the API's JSON ({kind}: {quoted(text)}): a sign-in page, a captive portal or a"
            " gateway in front of the service?")
