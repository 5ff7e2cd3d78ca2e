"""A token's form, read as RFC 7515's compact serialization has it: three unpadded base64url parts, the first two a
JSON object each, and no critical extension.

Each way a token falls short is said in words a client author can act on (which part, and what is wrong with it),
where PyJWT's one DecodeError said only that it is no JWT.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from mockserver.shown_text import clipped
from mockserver.strict_json import RepeatedKey, no_repeated_keys

PARTS = ("header", "payload", "signature")
ORDINALS = ("first", "second", "third")
LETTERS = re.compile(r"[A-Za-z0-9_-]*")  # base64url's alphabet (RFC 4648 section 5)
WHITE_SPACE = re.compile(r"\s")
SPACES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break"}
NOT_A_JWT = "the auth header is not a JWT: "
KINDS = {list: "an array", str: "a string", bool: "true or false", int: "a number", float: "a number"}


class OutOfForm(ValueError):
    """The token is not a JWS in compact form; str() is the 401's hint."""


def prefixed(token: str) -> str | None:
    """The word before a JWT and a space (`Bearer <jwt>`, `JWT <jwt>`: what an Authorization header holds), if any."""
    scheme, space, rest = token.partition(" ")
    if not space or not scheme.isalpha():
        return None
    try:
        read(rest)
    except OutOfForm:
        return None
    return scheme


def read(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The token's header and claims, unverified. Raises OutOfForm. An empty signature passes: it is told as the
    signature's failure, once alg and appId are known."""
    space = WHITE_SPACE.search(token)
    if space is not None:
        said = SPACES.get(space[0], f"white space (U+{ord(space[0]):04X})")
        raise OutOfForm(f"{NOT_A_JWT}it holds {said} at character {space.start() + 1}: send the token in one piece,"
                        " as minted")
    parts = token.split(".")
    if len(parts) != 3:
        raise OutOfForm(NOT_A_JWT + _counted(len(parts)))
    header, payload = _json_object(0, _decoded(0, parts[0])), _json_object(1, _decoded(1, parts[1]))
    _decoded(2, parts[2])
    _understood(header)
    return header, payload


def _counted(count: int) -> str:
    if count == 5:
        return ("it has 5 dot-separated parts, as an encrypted token (JWE) has: this API takes a signed JWT, 3 parts"
                " (header.payload.signature)")
    return f"it has {count} dot-separated part{'s' if count > 1 else ''}, where a JWT has 3 (header.payload.signature)"


def _decoded(index: int, part: str) -> bytes:
    name = PARTS[index]
    if not part:
        if index == 2:
            return b""
        raise OutOfForm(f"{NOT_A_JWT}its {name} (the {ORDINALS[index]} part) is empty")
    if not LETTERS.fullmatch(part):
        raise OutOfForm(NOT_A_JWT + _unlettered(name, part))
    if len(part) % 4 == 1:
        raise OutOfForm(f"{NOT_A_JWT}its {name} is cut short: {len(part)} base64url letters, a length no bytes encode"
                        " to")
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != part:  # the last letter's unused bits not 0
        raise OutOfForm(f"{NOT_A_JWT}its {name} is not base64url as any bytes encode to: its last letter,"
                        f" {part[-1]!r}, sets bits no byte fills (a letter changed in copying?)")
    return raw


def _unlettered(name: str, part: str) -> str:
    """What is wrong with a part holding a letter base64url does not use."""
    if LETTERS.fullmatch(part.rstrip("=")):
        return (f"its {name} ends in '=' padding, which a JWT leaves out (base64url without padding, RFC 7515"
                " section 2)")
    if re.fullmatch(r"[A-Za-z0-9+/]*=*", part):
        return (f"its {name} holds '+' or '/', standard base64's letters: a JWT's parts are base64url, which writes"
                " them '-' and '_'")
    other = next(char for char in part if not LETTERS.fullmatch(char))  # '=' inside, '+' beside '-', ...
    # not quoted when it is no ASCII: a server reads the header's bytes as Latin-1, so UTF-8's 'é' would show as 'Ã'
    shown = clipped(other, 20) if other.isascii() else "a character that is not ASCII"
    return f"its {name} holds {shown}, which base64url does not use (it uses A-Z, a-z, 0-9, '-' and '_')"


def _json_object(index: int, raw: bytes) -> dict[str, Any]:
    name, where = PARTS[index], f"its {PARTS[index]} (the {ORDINALS[index]} part)"
    try:  # a name given twice is refused (RFC 7515 4 allows it): two parsers would read two different tokens
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=no_repeated_keys)
    except UnicodeDecodeError:
        raise OutOfForm(f"{NOT_A_JWT}{where} is not base64url-encoded UTF-8 text") from None
    except RepeatedKey as exc:
        each = "claim" if index == 1 else "header parameter"
        raise OutOfForm(f"the token's {name} gives {clipped(exc.key, 40, str)} twice: a JWT gives each {each} once"
                        f" (RFC {7519 if index == 1 else 7515} section 4)") from None
    except RecursionError:
        raise OutOfForm(f"{NOT_A_JWT}{where} is not base64url-encoded JSON: nested too deep") from None
    except ValueError as exc:
        raise OutOfForm(f"{NOT_A_JWT}{where} is not base64url-encoded JSON: {str(exc)[:100]}") from None
    if not isinstance(value, dict):
        kind = "null" if value is None else KINDS[type(value)]
        whose = "claims are" if index == 1 else "header is"
        raise OutOfForm(f"the token's {name} is JSON but not an object (got {kind}): a JWT's {whose} a JSON object")
    return value


def _understood(header: dict[str, Any]) -> None:
    """RFC 7515 4.1.11: a token whose crit names an extension the recipient does not understand is refused. This API
    understands none, nor RFC 7797's unencoded payload (b64: false) that PyJWT would otherwise refuse in its words."""
    if "crit" in header:
        listed = clipped(header["crit"], 60, json.dumps)
        raise OutOfForm(f"the token's header lists critical extensions (crit: {listed}): this API understands none,"
                        " so it refuses the token (RFC 7515 section 4.1.11)")
    if header.get("b64") is False:
        raise OutOfForm("the token's header sets b64 to false (RFC 7797's unencoded payload): this API reads the"
                        " payload base64url-encoded, leave b64 out")
