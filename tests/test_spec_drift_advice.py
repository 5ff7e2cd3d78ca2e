"""A refusal of a page that drifted names what to do, and doing it literally makes `mockserver schemas` succeed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main

STEM = "create-voice-campaign-progressive-v2"
PAGE = f"{STEM}.md"
OVERRIDES = f"{STEM}.overrides.toml"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A scratch copy of the frozen page and its overrides file (tests/frozen_page.py): the lines these tests quote
    stay where they are when the vendored page changes."""
    folder = tmp_path / "source"
    folder.mkdir()
    for name in (PAGE, OVERRIDES):
        shutil.copy(FROZEN_SOURCE / name, folder / name)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _schemas(source: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["schemas", "--source", str(source), "--out", str(source.parent / "out")])
    return status, capsys.readouterr().err


def _append(source: Path, entry: str) -> None:
    with (source / OVERRIDES).open("a", encoding="utf-8") as file:
        file.write(f"\n{entry}\n")


@pytest.mark.parametrize(("sent", "now", "entry"), [
    ('        "lname": "service renewal outreach campaign61",\n', "",
     'table = "response", field = "data.lname", required = false'),
    # the row says required: a [[set]] without replaces was refused as contradicting the page
    ('    "priority": "5",\n    "dialingMode"', '    "dialingMode"',
     'table = "body", field = "priority", required = false, replaces = ["required"]'),
    ('        "defaultRetryPeriod": 10,\n        "maxRingTime": 30\n', '        "defaultRetryPeriod": 10\n',
     'table = "body", field = "dialingStrategy.maxRingTime", required = false, replaces = ["required"]'),
    ('                        "end": "6:00 PM",\n                        "day": "MO"\n',
     '                        "end": "6:00 PM"\n',
     'table = "response", field = "data.dialingStrategy.callingHours.days[].day", required = false'),
], ids=["all-required", "row-required", "nested", "list-item"])
def test_a_set_of_required_false_resolves_a_required_field_the_sample_no_longer_sends(
        source: Path, capsys: pytest.CaptureFixture[str], sent: str, now: str, entry: str) -> None:
    """The response table's rows say neither required nor optional: all_required makes them required. The
    refusal says to resolve it in the overrides file, and the entry that does is a [[set]] of required = false
    (all_required overrode it, so the same contradiction came back), with replaces where the row says required."""
    _edit(source / PAGE, sent, now)
    status, err = _schemas(source, capsys)
    assert status == 2
    assert f"; resolve it in {OVERRIDES}: a [[set]] entry ({entry}) if the " in err, err
    # the entry as the refusal words it, one key a line, and the `why` every entry gives
    said = re.search(r"a \[\[set\]\] entry \((.*?)\)", err)[1]
    _append(source, "[[set]]\n" + "\n".join(said.split(", ")) + '\nwhy = "The sample response leaves it out."')
    assert _schemas(source, capsys) == (0, "")
    part = "response" if 'table = "response"' in entry else "request"
    node = json.loads((source.parent / "out" / STEM / f"{part}.schema.json").read_text(encoding="utf-8"))
    *parents, name = re.search(r'field = "([^"]*)"', entry)[1].replace("[]", ".[]").split(".")
    for key in parents:
        node = node["items"] if key == "[]" else node["properties"][key]
    assert name in node["properties"] and name not in node.get("required", [])


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        ("", "set"),  # the committed [[set]] of x-reference on queue_name
        ('[[read]]\ntable = "body"\nfield = "queue_name"\nwords = "used to route calls"\nwhy = "x"', "read"),
        ('[[drop]]\ntable = "body"\nfield = "queue_name"\nwhy = "x"', "drop"),
    ],
    ids=["set", "read", "drop"],
)
def test_an_entry_on_a_field_the_page_renamed_names_the_new_name(
        source: Path, capsys: pytest.CaptureFixture[str], entry: str, kind: str) -> None:
    page = source / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("queue_name", "queueName"), encoding="utf-8")
    if entry:
        _edit(source / OVERRIDES, '[[set]]\ntable = "body"\nfield = "queue_name"\n',
              '[[set]]\ntable = "body"\nfield = "queueName"\n')
        _append(source, entry)
    status, err = _schemas(source, capsys)
    assert status == 2
    assert err.endswith(f"[[{kind}]]: the body table has no field 'queue_name' (now 'queueName'?)\n")


def test_a_field_of_no_close_name_gets_no_guess(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(source, '[[set]]\ntable = "body"\nfield = "queue"\nminLength = 1\nwhy = "x"')
    status, err = _schemas(source, capsys)
    assert status == 2
    assert err.endswith("[[set]]: the body table has no field 'queue'\n")


QUEUE_ROW = "Required for Progressive dialing. |"
INTRO = "routes answered calls to live agents via a queue."


def _follow(source: Path, err: str, old: str) -> None:
    """The refusal's `give the entry words = "..."`, done as it says."""
    advice = re.search(r'give the entry (words = "[^"]*")\n$', err)
    assert advice, err
    _edit(source / OVERRIDES, f'words = "{old}"', advice.group(1))


@pytest.mark.parametrize(
    ("where", "said", "entry", "reworded", "message"),
    [
        (QUEUE_ROW, "Required for Progressive dialing. The queue must exist in the account. |",
         '[[read]]\ntable = "body"\nfield = "queue_name"\nwords = "must exist in the account"\nwhy = "x"',
         "must exist in the tenant",
         '[[read]] queue_name: the description no longer says "must exist in the account" ({page}:121), but '
         '"must exist in the tenant", which no rule reads: give the entry words = "must exist in the tenant"'),
        (INTRO, f"{INTRO} The campaign name must be a maximum of 64 characters.",
         '[[prose]]\nwords = "must be a maximum of 64 characters"\nwhy = "x"',
         "must be at most 64 characters long",
         "[[prose]]: the page's prose outside its tables no longer says \"must be a maximum of 64 characters\", but "
         '"must be at most 64 characters long" ({page}:5), which no rule reads: give the entry words = '
         '"must be at most 64 characters long"'),
    ],
    ids=["read", "prose"],
)
def test_an_entry_whose_words_the_page_reworded_is_refused_with_the_new_words(
        source: Path, capsys: pytest.CaptureFixture[str], where: str, said: str, entry: str, reworded: str,
        message: str) -> None:
    _edit(source / PAGE, where, said)
    _append(source, entry)
    assert _schemas(source, capsys) == (0, "")
    old = re.search(r'words = "([^"]*)"', entry).group(1)
    _edit(source / PAGE, old, reworded)
    status, err = _schemas(source, capsys)
    assert status == 2
    line = (source / OVERRIDES).read_text(encoding="utf-8").splitlines().index(f'words = "{old}"') + 1
    assert err == f"mockserver schemas: error: {source / OVERRIDES}:{line}: {message.format(page=PAGE)}\n"
    _follow(source, err, old)
    assert _schemas(source, capsys) == (0, "")


def test_an_entry_whose_words_the_page_dropped_is_still_told_to_go(
        source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(source / PAGE, QUEUE_ROW, "Required for Progressive dialing. The queue must exist in the account. |")
    _append(source, '[[read]]\ntable = "body"\nfield = "queue_name"\nwords = "must exist in the account"\nwhy = "x"')
    _edit(source / PAGE, " The queue must exist in the account.", " Calls are routed to it.")
    status, err = _schemas(source, capsys)
    assert status == 2
    assert err.endswith('no longer says "must exist in the account" '
                        f"({PAGE}:121): remove the entry\n")


TWO_WORDS = ('[[read]]\ntable = "body"\nfield = "queue_name"\n'
             'words = ["must exist in the account", "cannot exceed 5 agents"]\nwhy = "x"')
TWO_SAID = "Required for Progressive dialing. The queue must exist in the account. It cannot exceed 5 agents. |"


@pytest.mark.parametrize(("edits", "advice"), [
    # one of two phrases reworded: the pair is certain
    ([("cannot exceed 5 agents", "may hold no more than 5 agents")],
     'no longer says "cannot exceed 5 agents" ({page}:121), but "no more than 5 agents", which no rule reads: put '
     '"no more than 5 agents" in the entry\'s words for "cannot exceed 5 agents"'),
    # one dropped, the other reworded: "no more than 5 agents" was put "in the entry's words for" the dropped one
    ([(" The queue must exist in the account.", ""), ("cannot exceed 5 agents", "may hold no more than 5 agents")],
     'no longer says "must exist in the account" nor "cannot exceed 5 agents" ({page}:121), but "no more than 5 '
     'agents", which no rule reads: give the entry words = "no more than 5 agents"'),
    # both reworded, in another order: the first gone was paired with the first the rules found, the other one's
    ([("The queue must exist in the account. It cannot exceed 5 agents.",
       "It may hold no more than 5 agents. The queue must exist in the tenant.")],
     'no longer says "must exist in the account" nor "cannot exceed 5 agents" ({page}:121), but "no more than 5 '
     'agents" and "must exist in the tenant", which no rule reads: give the entry words = ["no more than 5 agents", '
     '"must exist in the tenant"]'),
], ids=["one-reworded", "one-dropped", "both-reworded"])
def test_an_entry_of_several_words_the_page_reworded_is_not_told_a_guessed_pair(
        source: Path, capsys: pytest.CaptureFixture[str], edits: list[tuple[str, str]], advice: str) -> None:
    _edit(source / PAGE, QUEUE_ROW, TWO_SAID)
    _append(source, TWO_WORDS)
    assert _schemas(source, capsys) == (0, "")
    for old, new in edits:
        _edit(source / PAGE, old, new)
    status, err = _schemas(source, capsys)
    assert status == 2
    assert err.endswith(f"[[read]] queue_name: the description {advice.format(page=PAGE)}\n"), err
    given = re.search(r"give the entry words = (.*)\n$", err)
    if given:  # done as it says, the page generates again
        _edit(source / OVERRIDES, 'words = ["must exist in the account", "cannot exceed 5 agents"]',
              f"words = {given.group(1)}")
        assert _schemas(source, capsys) == (0, "")


PROSE_SAID = f"{INTRO} The campaign name must be a maximum of 64 characters. A queue cannot exceed 5 agents."
ONE_ENTRY = '[[prose]]\nwords = ["must be a maximum of 64 characters", "cannot exceed 5 agents"]\nwhy = "x"'
TWO_ENTRIES = ('[[prose]]\nwords = "must be a maximum of 64 characters"\nwhy = "x"\n\n'
               '[[prose]]\nwords = "cannot exceed 5 agents"\nwhy = "x"')


@pytest.mark.parametrize(("entry", "advice"), [
    # "no more than 5 agents" was put "in the entry's words for" the dropped "must be a maximum of 64 characters"
    (ONE_ENTRY, 'no longer says "must be a maximum of 64 characters" nor "cannot exceed 5 agents", but "no more than 5 '
     'agents" ({page}:5), which no rule reads: give the entry words = "no more than 5 agents"'),
    # the first entry was told to take the second one's new words
    (TWO_ENTRIES, 'no longer says "must be a maximum of 64 characters" (nor "cannot exceed 5 agents", the entry\'s at '
     'line {line}), but "no more than 5 agents" ({page}:5), which no rule reads: give each of those entries the new '
     "words that replace its own"),
], ids=["one-entry", "two-entries"])
def test_a_prose_entry_the_page_reworded_is_not_told_a_guessed_pair(
        source: Path, capsys: pytest.CaptureFixture[str], entry: str, advice: str) -> None:
    _edit(source / PAGE, INTRO, PROSE_SAID)
    _append(source, entry)
    assert _schemas(source, capsys) == (0, "")
    _edit(source / PAGE, " The campaign name must be a maximum of 64 characters.", "")
    _edit(source / PAGE, "cannot exceed 5 agents", "may hold no more than 5 agents")
    status, err = _schemas(source, capsys)
    assert status == 2
    lines = (source / OVERRIDES).read_text(encoding="utf-8").splitlines()
    line = next((at for at, text in enumerate(lines) if text == 'words = "cannot exceed 5 agents"'), 0)  # [[prose]]
    message = f"[[prose]]: the page's prose outside its tables {advice.format(page=PAGE, line=line)}\n"
    assert err.endswith(message), err


@pytest.mark.parametrize(("gone", "other"), [
    ("data.name", "data.lname"),
    ("data.dialingStrategy.callingHours.days[].start", "data.dialingStrategy.callingHours.days[].end"),
])
def test_an_entry_on_a_field_the_page_dropped_is_not_told_a_neighbour(
        source: Path, capsys: pytest.CaptureFixture[str], gone: str, other: str) -> None:
    """A name merely close was named as the new one: a dropped data.name was "(now 'data.lname'?)"."""
    _append(source, f'[[set]]\ntable = "response"\nfield = "{gone}"\nminLength = 1\nwhy = "x"')
    _edit(source / PAGE, f"| `{gone}` |", f"| `{gone}x` |")
    status, err = _schemas(source, capsys)
    assert status == 2
    assert err.endswith(f"[[set]]: the response table has no field {gone!r}\n"), err
    assert other not in err
