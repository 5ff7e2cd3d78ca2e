"""Closed lists and single values said in other words than the rules' own: read where the reading is certain,
refused otherwise, never dropped."""

from __future__ import annotations

import re

import pytest

from mockserver.spec import phrases
from mockserver.spec.markdown import clean_cell
from mockserver.spec.model import TypeSpec
from mockserver.spec.phrases import Constraint

STRING, INTEGER = TypeSpec("string"), TypeSpec("integer")


@pytest.mark.parametrize(("text", "type_", "values"), [
    ('Indicates the overall response status: "success" or "failure".', STRING, ["success", "failure"]),
    ("Type of campaign: 'voice', 'sms', or 'email'.", STRING, ["voice", "sms", "email"]),
    ('Dialing order: "FIFO" or "LIFO" (case-sensitive).', STRING, ["FIFO", "LIFO"]),
    ('Campaign priority: "1" or "2"', INTEGER, [1, 2]),
])
def test_quoted_values_after_a_colon_are_an_enum(text: str, type_: TypeSpec, values: list[object]) -> None:
    """ "status: “success” or “failure”" gave no keyword and no refusal: the list was dropped without a word."""
    assert phrases.apply(text, type_) == [Constraint("enum", values)]


@pytest.mark.parametrize(("text", "phrase"), [
    ('Status is "success" or "failure".', 'is "success" or "failure"'),
    ('Returns "success" or "failure".', 'Returns "success" or "failure"'),
    ('Type of campaign ("voice" or "sms").', 'campaign ("voice" or "sms")'),
    ('Specify "voice" or "sms".', 'Specify "voice" or "sms"'),
    ('Indicates the status: "success" or "failure" (lowercase).', '"success" or "failure" (lowercase)'),
])
def test_quoted_values_joined_by_or_that_no_rule_reads_are_refused(text: str, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase


@pytest.mark.parametrize(("text", "phrase"), [
    ("Indicates the status: “don’t” or “do”.", "“don’t” or “do”"),
    ("Status: \"can't\" or \"can\".", "\"can't\" or \"can\""),
])
def test_quoted_values_joined_by_or_with_an_apostrophe_in_one_are_refused(text: str, phrase: str) -> None:
    """An apostrophe inside a quoted value was taken for its closing quote: the list gave no keyword and no refusal,
    dropped without a word."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase


@pytest.mark.parametrize(("text", "phrase"), [
    ("Order in which contacts are dialed: First In First Out (FIFO) or Last In First Out (LIFO).",
     "First In First Out (FIFO) or Last In First Out (LIFO)"),
    ("Order in which contacts are dialed: First In First Out (FIFO), Last In First Out (LIFO).",
     "First In First Out (FIFO), Last In First Out (LIFO)"),
    ("Dialed First In First Out (FIFO) or Last In First Out (LIFO).", "(FIFO) or Last In First Out (LIFO)"),
])
def test_a_closed_list_of_names_with_codes_is_refused(text: str, phrase: str) -> None:
    """The page's "First In First Out (FIFO), Last In First Out (LIFO), etc." gives the codes as examples; closed,
    it gave nothing, where it names every value: the name or the code, which the rules cannot tell."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase


@pytest.mark.parametrize("text", [
    "Contains the contact lists added under the Do Not Call (DNC) list.",
    "Contacts added under Do Not Call (DNC) or blocked lists.",
])
def test_a_code_in_parentheses_alone_is_prose(text: str) -> None:
    assert phrases.apply(text, STRING) == []


@pytest.mark.parametrize(("text", "phrase"), [
    ('Indicates the overall response status. Always "success" on a 200.', 'Always "success" on a 200'),
    ('Type of campaign. The value is always "voice".', 'always "voice"'),
    ("Whether scheduling is on. Always true for voice campaigns.", "Always true for voice campaigns"),
    ("Order in which records are dialed. Always FIFO.", "Always FIFO"),
])
def test_a_value_said_to_be_always_the_one_is_refused(text: str, phrase: str) -> None:
    """ `Always "success" on a 200` gave nothing: a constant, on a condition the schema cannot state, dropped."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase


@pytest.mark.parametrize("text", ["The header is always sent.", "Always returned, even when empty of lists."])
def test_always_with_no_value_after_it_is_prose(text: str) -> None:
    assert phrases.apply(text, STRING) == []


@pytest.mark.parametrize(("text", "examples"), [
    ("Order in which contacts are dialed: FIFO, LIFO, etc.", ["FIFO", "LIFO"]),
    ("Order in which contacts are dialed: FIFO, LIFO etc.", ["FIFO", "LIFO"]),
    ("Order in which contacts are dialed: FIFO, etc.", ["FIFO"]),
])
def test_codes_after_a_colon_that_end_in_etc_are_examples(text: str, examples: list[str]) -> None:
    """ "...: FIFO, LIFO, etc." gave nothing, where "...: First In First Out (FIFO), Last In First Out (LIFO), etc."
    and "Example: FIFO, LIFO, etc." give the codes as examples: the list names some values, not every one."""
    assert phrases.apply(text, STRING) == [Constraint("examples", examples)]


@pytest.mark.parametrize("text", ["Campaign priority: HIGH, LOW, etc.",
                                  "Campaign priority: Highest (HIGH), Lowest (LOW), etc."])
def test_codes_that_end_in_etc_are_no_examples_of_a_number(text: str) -> None:
    """ "Highest (HIGH), ..., etc." of an integer field gave the example "HIGH", a string no value of it can be."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, INTEGER)
    assert caught.value.why == ('the phrase rule "open-ended-list" cannot read it for certain: "HIGH" is no number, as '
                                "an example of an integer field must be")


@pytest.mark.parametrize("text", ["Status: “success” or “failure”.", "Valid values are: success, failure."])
def test_a_list_of_words_is_no_enum_of_a_number(text: str) -> None:
    """ "Status: “success” or “failure”." of an integer field gave it an enum of strings, which no value of it meets."""
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, INTEGER)
    assert caught.value.why.endswith('cannot read it for certain: "success" is no value an integer field can take')


def test_day_codes_that_end_in_etc_are_still_refused() -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply("Day of the week: MO, TU, WE, etc.", STRING)
    assert caught.value.why == ('the phrase rule "day-codes" cannot read it for certain: "etc." says the list does '
                                "not name every day")


@pytest.mark.parametrize("text", [
    "Dialing mode. Possible values are Agentless, Progressive and Preview.",
    "Dialing mode. Allowed values: Agentless, Progressive, or Preview.",
    "Dialing mode. Supported values are: Agentless, Progressive, Preview.",
    "Dialing mode. Accepted values are Agentless, Progressive or Preview.",
])
def test_other_words_for_valid_values_are_read_as_valid_values_are(text: str) -> None:
    """ "Possible values are A and B" was refused where "Valid values are: A and B" is read: one list of values,
    read or not by its adjective."""
    assert phrases.apply(text, STRING) == [Constraint("enum", ["Agentless", "Progressive", "Preview"])]


@pytest.mark.parametrize(("text", "phrase"), [
    ("Dialing mode. Allowed values include Agentless, Progressive, or Preview.",
     "Allowed values include Agentless, Progressive, or Preview"),
    ("Dialing mode. Possible values are Agentless, Progressive, Preview, etc.",
     "Possible values are Agentless, Progressive, Preview, etc"),
])
def test_other_words_for_valid_values_that_may_name_only_some_are_refused(text: str, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(text, STRING)
    assert caught.value.phrase == phrase


# (a cell as a vendor may write a closed list or a single value, the phrase the refusal quotes): each gave no keyword
# and no refusal
REWORDED = [
    ("Type of campaign: voice or sms.", "voice or sms"),
    ("Type of campaign: `voice` or `sms`.", "voice or sms"),
    ("Type of campaign: 'voice' \\| 'sms'.", "'voice' | 'sms'"),
    ("Status: success \\| failure.", "success | failure"),
    ("Dialing order: FIFO or LIFO.", "FIFO or LIFO"),
    ("Dialing order: FIFO/LIFO.", "FIFO/LIFO"),
    ("Dialing order: FIFO, LIFO.", "FIFO, LIFO"),
    # words joined by commas or "and", without an "or" (these were dropped)
    ("Type: voice, sms.", "voice, sms"),
    ("Channels: voice, sms.", "voice, sms"),
    ("Channel: voice, sms, email.", "voice, sms, email"),
    ("Type: voice and sms.", "voice and sms"),
    ("Channel - voice, sms.", "voice, sms"),
    ("Type of campaign. voice, sms.", "voice, sms"),
    ("Type of campaign. Voice, SMS, and email.", "Voice, SMS, and email"),
    # and with more words after a comma or in parentheses (these were dropped too)
    ("Frequency: WEEKLY, DAILY or CUSTOM, depending on the plan.", "WEEKLY, DAILY or CUSTOM, depending on the plan"),
    ("Dialing order: FIFO, LIFO (voice only).", "FIFO, LIFO (voice only)"),
    ("Dialing order, FIFO or LIFO.", "FIFO or LIFO"),
    ('Dialing mode. Only "Progressive".', 'Only "Progressive"'),
    ("Dialing mode. Only Progressive.", "Only Progressive"),
    ("Dialing mode. Progressive only.", "Progressive only"),
    ("Dialing mode: Progressive only.", "Progressive only"),
    ("Type of campaign. Constant: voice.", "Constant: voice"),
    ('Type of campaign. Hard-coded to "voice".', 'Hard-coded to "voice"'),
    ("Type of campaign. Must equal voice.", "Must equal voice"),
    ("Type of campaign. Equals voice.", "Equals voice"),
    ('Type of campaign. Takes the value "voice".', 'the value "voice"'),
    ('Type of campaign. Set this to "voice".', 'Set this to "voice"'),
    ('Type of campaign. Reserved; send "voice".', 'send "voice"'),
    ('Type of campaign. Enter "voice".', 'Enter "voice"'),
    ("Type of campaign: voice (default) or sms.", "(default) or sms"),
    ("Type of campaign. Supported: voice.", "Supported: voice"),
    # a sentence of words alone, the values said with "and", "Always" and one word (backticks are gone before the
    # rules run), a value for a case
    ("Type of campaign. voice or sms.", "voice or sms"),
    ("Type of campaign. `voice` or `sms`.", "voice or sms"),
    ("Type of campaign. Voice, SMS or email.", "Voice, SMS or email"),
    ("Type of campaign. Supports voice and sms.", "Supports voice and sms"),
    ("Supported campaign types: voice and sms.", "Supported campaign types: voice and sms"),
    ("Type of campaign. Always voice.", "Always voice"),
    ("Type of campaign. Always `voice`.", "Always voice"),
    ('Status. "success" on success, "failure" otherwise.', '"success" on success, "failure" otherwise'),
    ("Status. “success” when the campaign is created.", "“success” when the campaign is created"),
]


@pytest.mark.parametrize(("cell", "phrase"), REWORDED, ids=[case[0] for case in REWORDED])
def test_a_closed_list_or_a_single_value_said_otherwise_is_refused(cell: str, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(cell), STRING)
    assert caught.value.phrase == phrase


# The wordings the rules already refused: kept refused
@pytest.mark.parametrize(("cell", "phrase"), [
    ("Type of campaign. Either `voice` or `sms`.", "Either voice or sms"),
    ("Dialing mode. Must be `Progressive`.", "Must be Progressive"),
    ("Dialing mode. Value: Progressive", "Value: Progressive"),
    ("Dialing mode. Only Progressive is supported.", "Only Progressive is supported"),
])
def test_a_closed_list_or_a_single_value_the_rules_refused_stays_refused(cell: str, phrase: str) -> None:
    with pytest.raises(phrases.UnreadPhrase) as caught:
        phrases.apply(clean_cell(cell), STRING)
    assert caught.value.phrase == phrase


@pytest.mark.parametrize("text", [
    "Indicates whether scheduling is enabled: true or false.",  # a boolean's two values: its type
    "Pass 'true' to enable scheduling.",  # what a value does, as "Set to true to enable ..."
    "Set the value \"true\" to enable scheduling.",
    "Equals the number of contacts dialed.",
    "Read-only.",
    "For internal use only.",
    "The host's URL or IP address.",
    "Send the JWT in the auth header.",
    "Always returned.",  # what is done with the field, not its value
    "Always sent, even when empty.",
    "Supports pagination and filtering of results.",
    "Indicates whether it is on. True or false.",
    "Used internally. Read and write.",  # two words joined by "and" alone are prose
    "Note: call the API, then wait.",
])
def test_prose_near_a_closed_list_is_not_refused(text: str) -> None:
    assert phrases.apply(text, STRING) == []


# more after "Use “voice”" in its sentence: a condition or another value, which the enum of “voice” alone dropped
@pytest.mark.parametrize(("text", "rest"), [
    ("Type of campaign. Use “voice” for voice campaigns.", '"for voice campaigns" follows the values'),
    ("Type of campaign. Use “voice” (or “sms” for sms campaigns).", '"(or “sms” for sms campaigns)" follows'),
    ("Type of campaign. Use “voice”; “sms” is coming.", '"; “sms” is coming" follows'),
])
def test_a_value_to_use_with_more_in_its_sentence_is_refused(text: str, rest: str) -> None:
    with pytest.raises(phrases.UnreadPhrase, match=re.escape(rest)):
        phrases.apply(text, STRING)


@pytest.mark.parametrize("text", ["Type of campaign. Use “voice”.", "Type of campaign. Use “voice” (case-sensitive)."])
def test_a_value_to_use_alone_in_its_sentence_is_read(text: str) -> None:
    assert phrases.apply(text, STRING) == [Constraint("enum", ["voice"])]


# another sentence that says more of a list's values: another value, a case or another form, which the enum dropped
@pytest.mark.parametrize(("text", "words"), [
    ("Valid values are: A, B. B is for sms only.", '"B is for sms only" stands beside the list'),
    ("Valid values are: A, B. Deprecated: C.", '"Deprecated: C" stands beside the list'),
    ("Valid values are: A, B. Lowercase is also accepted.", '"Lowercase" may say another value'),
    ("Must be one of: A, B. Case-insensitive.", '"Case-insensitive" may say'),
    ("Valid values are: A, B. Other values are ignored.", '"Other values" may say'),
    ("Must be either voice or sms. Email is also supported.", '"Email is also supported" stands beside the list'),
    ("Must be one of: voice, sms. In sandbox, any value.", '"In sandbox, any value" stands beside the list'),
    ("Use “voice”. “sms” is accepted too.", '"accepted" may say another value'),
    ("Status: “success” or “failure”. Others may be added.", '"Others" may say another value'),
])
def test_a_list_beside_a_sentence_that_says_more_of_its_values_is_refused(text: str, words: str) -> None:
    with pytest.raises(phrases.UnreadPhrase, match=re.escape(words)):
        phrases.apply(text, STRING)


@pytest.mark.parametrize("text", [
    "Dialing mode defines how calls are handled. Valid values are: A, B.",
    "Campaign priority. Higher values indicate higher execution priority. Priority must be one of the following: 1, 2.",
    "Valid values are: A, B. Example: A.",
])
def test_a_list_beside_sentences_that_say_nothing_more_of_it_is_read(text: str) -> None:
    assert [c.keyword for c in phrases.apply(text, STRING)] in (["enum"], ["examples", "enum"])
