"""The vendored page states no constraint in prose outside its tables, which the generator does not read.

A paragraph, note, list or footnote that reads like a constraint ("must be a maximum of 32 characters") changes no
schema (README, Where the contract comes from): should the vendor's page gain one, this fails, naming its line.
"""

from __future__ import annotations

import re

import pytest

from mockserver.errors import text_lines
from mockserver.paths import SOURCE_DIR
from mockserver.spec.phrases import unread_constraint

PAGE = SOURCE_DIR / "create-voice-campaign-progressive-v2.md"
FENCE = re.compile(r"^(`{3,}|~{3,})")


def prose_constraints(text: str) -> list[tuple[int, str]]:
    """(line, phrase) of each line outside the tables, code blocks and headings that reads like a constraint."""
    found, fence = [], None
    for number, line in enumerate(text_lines(text), 1):
        stripped = line.strip()
        opening = FENCE.match(stripped)
        if fence is not None:
            if opening and stripped == fence[0] * len(stripped) and len(stripped) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        if not stripped or stripped.startswith(("|", "#")) or "|" in stripped:
            continue
        phrase = unread_constraint(stripped)
        if phrase is not None:
            found.append((number, phrase))
    return found


def test_the_vendored_page_states_no_constraint_outside_its_tables():
    assert prose_constraints(PAGE.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("prose", [
    "The campaign name must be a maximum of 32 characters.",
    "> **Note:** maxRingTime must be between 10 and 90.",
    "- The name must be unique within the account.",
])
def test_a_constraint_stated_in_prose_is_found(prose):
    text = PAGE.read_text(encoding="utf-8").replace("## Sample Response", f"{prose}\n\n## Sample Response", 1)
    line = text_lines(text).index(prose) + 1
    [(found_at, _)] = prose_constraints(text)
    assert found_at == line
