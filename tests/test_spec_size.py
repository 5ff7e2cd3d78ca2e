"""A long page is read in time proportional to its size, and a page too large to be a vendor page is refused."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE

from mockserver.cli import main
from mockserver.errors import MAX_TEXT_BYTES
from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec

STEM = "create-voice-campaign-progressive-v2"
PAGE = FROZEN_SOURCE / f"{STEM}.md"
STRING, INTEGER, ARRAY = TypeSpec("string"), TypeSpec("integer"), TypeSpec("array", "string")


def _source(tmp_path: Path, text: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    (source / PAGE.name).write_text(text, encoding="utf-8")
    return source


def _with_response_rows(count: int) -> str:
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    rows = [f"| `data.extra{i}` | Extra field {i}. | string |" for i in range(count)]
    return "\n".join(lines[:226] + rows + lines[226:]) + "\n"


def test_each_required_field_the_sample_lacks_is_counted_once(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Every response field is required (all_required), so each row the sample response lacks is one contradiction:
    each was counted once per missing field, n * n findings (and as many seconds and gigabytes on a long table)."""
    source = _source(tmp_path, _with_response_rows(150))
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert 'required field "data.extra0", which the sample response' in err
    assert err.rstrip().endswith("(and 149 more)")


def test_a_page_larger_than_the_limit_is_refused_in_one_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = PAGE.read_text(encoding="utf-8")
    source = _source(tmp_path, text + "\n" + "x" * MAX_TEXT_BYTES + "\n")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"mockserver schemas: error: {source / PAGE.name}: the vendor page is ")
    assert f"larger than the {MAX_TEXT_BYTES // 1_000_000} MB a vendor page may be: is it the right file?" in err
    assert not (tmp_path / "out").exists()


def test_a_page_at_the_limit_is_read(tmp_path: Path) -> None:
    text = PAGE.read_text(encoding="utf-8")
    padding = MAX_TEXT_BYTES - len(text.encode("utf-8")) - 1
    source = _source(tmp_path, text + "\n" + ("<!-- " + "x" * 70 + " -->\n") * (padding // 80))
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 0


def test_an_overrides_file_larger_than_the_limit_is_refused_in_one_line(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = _source(tmp_path, PAGE.read_text(encoding="utf-8"))
    overrides = source / f"{STEM}.overrides.toml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + "#" * MAX_TEXT_BYTES + "\n", encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{overrides}: the overrides file is " in err


@pytest.mark.parametrize("end", [".", ", etc."])
def test_a_long_list_of_names_with_codes_is_read_in_time(end: str) -> None:
    """ "Order: First (C0), Second (C1), ..." with a dozen codes and no "etc." took the rule "open-ended-list"
    minutes, twice as long for each code more: its words between two codes could be split every way."""
    codes = ", ".join(f"Name {i} (C{i})" for i in range(40))
    script = ("from mockserver.spec import phrases; from mockserver.spec.model import TypeSpec\n"
              "try: phrases.apply(sys.argv[1], TypeSpec('string'))\nexcept phrases.UnreadPhrase: pass\n")
    subprocess.run([sys.executable, "-c", "import sys\n" + script, f"Order: {codes}{end}"], check=True, timeout=20)


# Long repetitive descriptions, each the time it took before (the time grew with the square or the cube of the length)
LONG = {
    "valid values are": ("Field: " + "valid values are " * 640, STRING),  # 15.5 s
    "supported:": ("Field: " + "supported: " * 500, STRING),  # 10 s
    "e.g.": ("e.g. " * 2000, STRING),  # 4.4 s
    "e.g. 5,": ("Wait: " + "e.g. 5, " * 2000, INTEGER),  # 6 s
    "clock times": ("Field: " + "9:00 AM " * 2500, STRING),  # 9 s
    "one of": ("Priority " + "one of " * 5000, STRING),  # 5 s
    "only": ("only " * 8000, STRING),  # 6 s
    "intervals": ("Range " + "in [1, 2] " * 4000, INTEGER),  # 9 s
    # 200 KB each: a start of a list of codes tried after each parenthesis, the "is required" looked for after each
    # "at least one", to the end of the sentence
    "x (Y)": ("x (Y) " * 34_000, STRING),  # 18 s
    "at least one": ("at least one " * 15_500, ARRAY),  # 59 s
    # the sentences after each bounds, each looked at once for all of them: 1 s
    "bounds, then a default": ("Between 1 and 2. Defaults to 3. " * 6_250, INTEGER),
    # a number's digits, commas and periods looked through from each digit to their end
    "bounds, then digits and periods": ("Must be between 5 and 120. " + "1." * 10_000, INTEGER),  # 14 s
    "digits and commas": ("1," * 10_000, STRING),  # 6.5 s
    "digits and two periods": ("1.." * 10_000, STRING),  # 9.6 s
    # "\s*,?\s+" before an "or": a run of spaces split in two every way it could
    "spaces": ("Field" + " " * 100_000 + "name", STRING),  # 27 s
    "line ends": ("Field" + "\n" * 100_000 + "name", STRING),  # 27 s
    # "supports ... except": from each "supports" to the end of its sentence
    "supports": ("supports a " * 10_000, STRING),  # 8 s
    # a value in quotes never closed: from each opening quote to the end of the text
    "opening quotes": ("“a " * 20_000, STRING),  # 6 s
    # the sentences beside each list of values, looked through again for each list
    "lists of two values": ("Must be either a or b. " * 3_000, STRING),  # 18 s
    "valid values": ("Valid values are a, b. " * 3_000, STRING),  # 16 s
    "quoted values": ('Use "a". ' * 4_000, STRING),  # 12.6 s
}
# 200 KB of the phrases the rules read and refuse, one after the other
MIXED = " ".join(["Must be between 1 and 48 characters.", "Valid values are voice, sms.", "e.g. FIFO.",
                  "Example: 30 seconds.", "Must be one of: A, B.", 'Use "voice".', "Required.", "Allowed values: x, y.",
                  "Must be in [1, 100].", "Supported: voice.", "Always voice.", "Starts at 9:00 AM.",
                  "Type: FIFO, LIFO, etc.", "(ISO 8601)", "maximum of 48 characters", "Only Progressive.",
                  "one of the following: a, b.", "Must exist in the system."] * 550)[:200_000]


@pytest.mark.parametrize(("text", "type_"), [*LONG.values(), (MIXED, STRING), (MIXED, INTEGER)],
                         ids=[*LONG, "200 KB mixed, string", "200 KB mixed, integer"])
def test_a_long_repetitive_description_is_read_in_time(text: str, type_: TypeSpec) -> None:
    """A page may be 1 MB: a description of 11 KB took as long as the comment above says, some patterns looking from
    each repeated word to the end of its sentence (and again from each word after it), some rules reading the whole
    description again for each of their matches."""
    started = time.process_time()  # this process's time, whatever else the machine runs
    with contextlib.suppress(phrases.UnreadPhrase, phrases.Repeated):
        phrases.apply(text, type_)
    assert time.process_time() - started < 2


@pytest.mark.parametrize("depth", [2, 400])
def test_properties_of_a_property_are_refused(depth: int) -> None:
    """ "Each object should include: a: Each object should include: a: ..." 400 deep was a RecursionError (a
    traceback from `mockserver schemas`); two deep, the property "a" was typed a string with items of its own."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("List. " + "Each object should include: a: " * depth + "b", TypeSpec("array", "object"))
    assert caught.value.why == ('the phrase rule "each-object-includes" cannot read it for certain: "Each object '
                                'should include" lists the properties of a property, and the rule reads the properties'
                                " of the items alone")


# Where the rules tried only at some places may match: a list after a parenthesis that is no code's, or after one
# ("(see below) First (FIFO), etc."), inside another ("(e.g. First (FIFO), etc.)"), two in one text
ANCHORED_TEXTS = ["Order: First (FIFO), Last (LIFO), etc.", "(see below) First (FIFO), etc.", "x (note 1) A (B) etc.",
                  "(e.g. First (FIFO), etc.)", "A (B). C (D), etc. E (F), etc.", "x (Y) (y) (Z) etc.",
                  "Codes: A, B, etc.", "at least one. is required",
                  "At least one name is required; at least one is required.", "at least ones is required",
                  "this is required at least one"]


@pytest.mark.parametrize("name", ["open-ended-list", "at-least-one"])
def test_a_rule_tried_at_some_places_finds_what_its_pattern_does(name: str) -> None:
    pattern = next(rule.pattern for rule in phrases.RULES if rule.name == name)
    for text in ANCHORED_TEXTS:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.compiled.finditer(text)], text
        found, expected = pattern.search(text), pattern.compiled.search(text)
        assert (found and found.span()) == (expected and expected.span()), text
