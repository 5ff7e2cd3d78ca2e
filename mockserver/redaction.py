"""Credentials kept out of what the mock keeps and logs (the journal, the -v log, the workers' warnings about requests
they could not parse).

What is kept out: credential-named headers' and query parameters' values, values that hold a JWT whatever their name,
and a URL's user:password@.

No Flask here: gunicorn's master loads the workers' module, and imports none of the app.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import urllib.parse
from urllib.parse import urlsplit, urlunsplit

# A header or query parameter whose name says it carries a credential: its value is never kept. "auth" is the
# vendor's JWT header; the rest are what clients commonly send tokens, keys and sessions in (`pwd`, `pass` and `sig`
# as words of their own, as in a signed URL's `sig=`, not inside `bypass` or `signal`; an OAuth client_assertion is
# a signed JWT).
SECRET_NAME = re.compile(r"auth|token|secret|passw|passphrase|(?<![a-z])(?:key|pwd|pass|sig)(?![a-z])|api[-_]?key"
                         r"|private[-_]?key|cookie|session|credential|signature|assertion|jwt|bearer", re.I)
# a word each of those names holds, for a quick look at a whole query first (a test checks they agree)
SECRET_CUES = ("auth", "token", "secret", "pass", "key", "pwd", "sig", "cookie", "session", "credential",
               "assertion", "jwt", "bearer")
REDACTED = "<redacted>"
# A JWT (a JWS or JWE in compact form) under a name that does not say so (ALB's `X-Amzn-Oidc-Data`, an `id_hint=` in
# a query): dot-separated base64url parts, the first at least 12 long (`{"alg":0}`, the shortest header there is).
# Looked for at each part's start (a lookahead), not past the last match: `svc-name-1234.<jwt>` hid the JWT's header
# in the match of the part before it.
JWT_SHAPE = re.compile(r"(?<![A-Za-z0-9_-])(?=([A-Za-z0-9_-]{12,})\.[A-Za-z0-9_-]*\.)")


@functools.lru_cache(maxsize=256)
def is_secret_name(name: str) -> bool:
    """Whether a header or parameter name speaks of a credential; the few names clients send, looked at once."""
    return SECRET_NAME.search(name) is not None


def holds_jwt(value: str) -> bool:
    """Whether a value holds a JWT: dot-separated base64url parts whose first decodes to a JSON object naming its
    "alg" (RFC 7515 and 7516 both ask for it), alone or inside other text (`Bearer <jwt>`)."""
    if value.count(".") < 2:
        return False  # nearly every value
    return any(_jose_header(match[1]) for match in JWT_SHAPE.finditer(value))


def _jose_header(part: str) -> bool:
    try:
        decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        # JSON is parsed only where it may name alg: 8 KB of dotted text that is no JWT is read in about 0.7 ms
        return b'"alg"' in decoded and isinstance(header := json.loads(decoded), dict) and "alg" in header
    except (ValueError, binascii.Error, RecursionError):  # not base64url, not UTF-8, not JSON
        return False


def _secret_parameter(name: str, value: str) -> bool:
    """Whether a query parameter (name and value as sent, %-encoded) carries a credential: by its name or its value."""
    return is_secret_name(urllib.parse.unquote_plus(name)) or holds_jwt(urllib.parse.unquote_plus(value))


def redacted_query(query: str) -> str:
    """The query as sent (%-encoded), the value of each parameter that is credential-named or holds a JWT replaced
    (a part without `=` that holds one, whole)."""
    text = urllib.parse.unquote_plus(query) if "%" in query or "+" in query else query
    if not any(cue in text.lower() for cue in SECRET_CUES) and not holds_jwt(text):
        return query  # nearly every request: nothing to do
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        if sep:
            parts.append(f"{name}={REDACTED}" if _secret_parameter(name, value) else part)
        else:
            parts.append(REDACTED if holds_jwt(urllib.parse.unquote_plus(part)) else part)
    return "&".join(parts)


# a query parameter inside a message's text: after ? or &, up to the next &, space, quote or #
QUERY_PARAMETER = re.compile(r"(?<=[?&])([^=&\s'\"#]+)=([^&\s'\"#]*)")
# the user:password@ of a URL inside a message's text (a request target in absolute form, as sent to a proxy): from
# the scheme's // up to the authority's last @
USERINFO = re.compile(r"(?<=://)[^/?#\s'\"]*@")


def redacted_text(text: str) -> str:
    """A message that quotes a request line (gunicorn's about a malformed request), the value of each query parameter
    that is credential-named or holds a JWT, and any user:password@, replaced."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        return f"{name}={REDACTED}" if _secret_parameter(name, match.group(2)) else match.group(0)

    return QUERY_PARAMETER.sub(replace, USERINFO.sub("***@", text))


def redacted_target(target: str) -> str:
    """A request target as sent (%-encoded; origin or absolute form), for the -v log: its query as the journal keeps
    it, and the user:password@ of an absolute form, which the journal does not keep, replaced."""
    path, sep, query = target.partition("?")
    return USERINFO.sub("***@", path) + sep + redacted_query(query)


def redact_url(url: str) -> str:
    """The URL without any user:password part, so logs and reports never carry credentials."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL: drop everything before the last "@" of what follows the scheme
        scheme, sep, rest = url.partition("://")
        return f"{scheme}{sep}***@{rest.rsplit('@', 1)[1]}" if "@" in rest else url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))
