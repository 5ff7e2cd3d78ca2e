"""Interval notation in a description, "[1, 100]" or "(0, 60]": it was dropped without a word (or, after "Must be
in", refused as the words "Must be in"), so a field kept no bound where the page gives two."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frozen_page import FROZEN_SOURCE, generated_with

from mockserver.cli import main
from mockserver.paths import CONTRACT
from mockserver.spec import phrases
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint
from mockserver.validation import SchemaValidator

STRING, NUMBER, INTEGER = TypeSpec("string"), TypeSpec("number"), TypeSpec("integer")


@pytest.mark.parametrize(("text", "expected"), [
    ("Attempts per record. Must be in [1, 100].", [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Attempts per record [1, 100].", [Constraint("minimum", 1), Constraint("maximum", 100)]),
    ("Seconds to wait (0, 60].", [Constraint("exclusiveMinimum", 0), Constraint("maximum", 60)]),
    ("Share of the calls, in the range [0, 1).", [Constraint("minimum", 0), Constraint("exclusiveMaximum", 1)]),
    ("Seconds to wait, within (0, 60).", [Constraint("exclusiveMinimum", 0), Constraint("exclusiveMaximum", 60)]),
    ("Offset in hours, in [-12, 14.5].", [Constraint("minimum", -12), Constraint("maximum", 14.5)]),
])
def test_an_interval_bounds_a_number_as_its_brackets_say(text: str, expected: list[Constraint]) -> None:
    assert phrases.apply(text, NUMBER) == expected


@pytest.mark.parametrize(("text", "type_", "phrase", "why"), [
    ("Seconds to wait (0, 60).", NUMBER, "(0, 60)", "two numbers in parentheses may be a pair, not an interval"),
    ("Attempts per record, e.g. [1, 2].", INTEGER, "[1, 2]", "reads like a constraint, not an example"),
    ("Name of the campaign, [1, 48] characters.", STRING, "[1, 48] characters",
     "an interval bounds a number's value, and the field is of type string"),
    ("Names of the lists, in [1, 5].", TypeSpec("array", "string"), "[1, 5]",
     "an interval bounds a number's value, and the field is of type array"),
    ("Retry period, in [1, 1.440].", NUMBER, "[1, 1.440]", '"1.440" may be 1440'),
    # after an interval the rule read: it was refused as the interval said twice ("say it once")
    ("Retry period, in [0, 10]. Example: [1, 2].", NUMBER, "[1, 2]", "it stands in an example"),
])
def test_an_interval_not_read_for_certain_is_refused(text: str, type_: TypeSpec, phrase: str, why: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, type_)
    assert caught.value.phrase == phrase and why in caught.value.why


@pytest.mark.parametrize(("text", "type_"), [
    ("Codes of the queue (1, 2).", STRING),  # a pair in parentheses of a string: prose
    ("The ids[1, 2] of the list.", NUMBER),  # an index
    ("Retry periods [1, 2, 3] in turn.", NUMBER),  # a JSON array
    ('Names such as ["a", "b"].', STRING),
])
def test_brackets_that_are_no_interval_are_prose(text: str, type_: TypeSpec) -> None:
    assert phrases.apply(text, type_) == []


def test_an_interval_on_the_page_gives_the_bounds_and_the_mock_says_them(tmp_path: Path) -> None:
    response = generated_with(tmp_path, "| Maximum ring time before hanging up. (seconds) |",
                              "| Maximum ring time before hanging up, in seconds: (0, 120]. |")
    ring = response["properties"]["data"]["properties"]["dialingStrategy"]["properties"]["maxRingTime"]
    assert (ring["exclusiveMinimum"], ring["maximum"]) == (0, 120)
    assert ring["x-source"]["exclusiveMinimum"] == ring["x-source"]["maximum"] == f"{CONTRACT}.md:221"
    validator = SchemaValidator({"type": "object", "properties": {"ring": ring}})
    assert [str(v) for v in validator.violations({"ring": 0})] == ["ring must be greater than 0 (got 0)"]
    assert [str(v) for v in validator.violations({"ring": 120})] == []


def test_an_empty_interval_is_refused_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    old = "| Maximum ring time before hanging up. (seconds) |"
    page.write_text(text.replace(old, "| Maximum ring time before hanging up, in [30, 30). |"), encoding="utf-8")
    assert main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "minimum 30 is equal to exclusiveMaximum 30" in err and "no value satisfies both" in err


@pytest.mark.parametrize(("text", "message"), [
    ("Must be between 1 and 100. In (0, 100].",
     'a lower bound twice, minimum 1 ("between 1 and 100") and exclusiveMinimum 0 ("In (0, 100]")'),
    ("Minimum is 1 and maximum is 60. Within [1, 60).",
     'an upper bound twice, maximum 60 ("Minimum is 1 and maximum is 60") and exclusiveMaximum 60 ("Within [1, 60)")'),
])
def test_an_interval_and_other_words_bounding_one_side_two_ways_are_refused(text: str, message: str) -> None:
    """Both bounds kept, the stricter would have won without a word: the page says one side twice, differently."""
    with pytest.raises(phrases.Repeated) as caught:
        phrases.apply(text, NUMBER)
    assert message in str(caught.value) and "say it once" in str(caught.value)


def test_an_interval_saying_again_what_other_words_said_is_read() -> None:
    assert set(phrases.apply("Must be between 1 and 100. In [1, 100].", NUMBER)) == {
        Constraint("minimum", 1), Constraint("maximum", 100)}


@pytest.mark.parametrize(("words", "said"), [
    ("within (0, 1)", "exclusiveMinimum 0 and exclusiveMaximum 1 leave no whole number between them"),
    ("in (29, 31]", None),  # 30 and 31 are in it
])
def test_an_integers_interval_without_a_whole_number_is_refused_at_its_line(tmp_path: Path, words: str,
                                                                            said: str | None,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """maxRingTime is an integer (its sample shows 30): "(0, 1)" passed the bound check, and every request was
    refused."""
    source = tmp_path / "source"
    shutil.copytree(FROZEN_SOURCE, source)
    page = source / f"{CONTRACT}.md"
    text = page.read_text(encoding="utf-8")
    old = "| Maximum ring time before hanging up. (seconds) |"
    page.write_text(text.replace(old, f"| Maximum ring time before hanging up, {words}. |"), encoding="utf-8")
    status = main(["schemas", "--source", str(source), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    if said is None:
        assert status == 0, err
        return
    assert status == 2 and said in err and "maxRingTime is an integer" in err and f"{CONTRACT}.md:221" in err
