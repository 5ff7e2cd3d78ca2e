"""The words a refusal ends with for a value likely meant as another, in one grammar for every refusal.

After the quote of what was sent come `; `, why it was refused in a few words, then `: send ` and the value to send,
one the field, tenant or query would take: `(got 'monday'; days are written as their first 2 letters: send 'MO')`. A
refusal whose words quote the value already gives the rest alone: `queue 'default queue' does not exist in this
account (names are case-sensitive: send 'Default Queue')`."""

from __future__ import annotations

from collections.abc import Sequence


def send_instead(why: Sequence[str], value: str) -> str:
    """`why: send value`, the reasons listed as prose lists them (`a, b and c`)."""
    if not why:  # no reason found: the value alone, rather than an IndexError and a 500
        return f"send {value}"
    return f"{listed(why)}: send {value}"


def listed(why: Sequence[str]) -> str:
    """Reasons as prose lists them, `a, b and c`: a hint's words where there is nothing to send."""
    return why[-1] if len(why) == 1 else f"{', '.join(why[:-1])} and {why[-1]}"


def got(value: str, hint: str = "") -> str:
    """`(got value)`, or `(got value; hint)` with a hint from `send_instead`; `value` quoted as the caller quotes."""
    return f"(got {value}; {hint})" if hint else f"(got {value})"


def spelled_otherwise(sent: str, meant: str, names: str, spacing: str = "the spaces inside it differ") -> list[str]:
    """Why `sent` is not `meant`, which it spells but for white space or case (the caller found it so): white space
    at its ends, which the eye does not see in a refusal's quote; `spacing` when what is between its ends differs
    otherwise than in case; and that `names` are case-sensitive when its letters' case differs."""
    ends = [end for end, trimmed in (("start", sent.lstrip()), ("end", sent.rstrip())) if trimmed != sent]
    why = [f"it has white space at its {' and '.join(ends)}"] if ends else []
    why += [spacing] if sent.strip().lower() != meant.lower() else []
    why += [f"{names} are case-sensitive"] if _cased(sent) != _cased(meant) else []
    return why


def _cased(text: str) -> str:
    """The characters that have a case: letters, and Roman numerals and circled letters, which are no letters to
    str.isalpha (`Queue ⅱ` for `Queue Ⅱ` would have been given no reason at all)."""
    return "".join(char for char in text if char.lower() != char.upper())
