"""The words before a rule's words in their sentence that may make what it reads hold in some cases only, or not at all.

"For sms campaigns, between 1 and 50.", "If dialingMode is Progressive, must be one of: A, B.", "Must not be between 1
and 5.", "0 to disable, otherwise between 5 and 120.": read as the constraint alone, the schema refused values the page
allows, or allowed values it refuses. The words after bounds are looked at by the bounds' own checks; these are the
words before. A subject and a verb ("The name must be a", "Value must be", "The number of seconds,") leave the
constraint as it is, and so do a unit ("(in seconds)", "in minutes") and a condition every value sent meets ("If
provided,", "When set,"): a schema constrains a value only where one is sent.
"""

from __future__ import annotations

import re

# A condition, an exception, a negation, an alternative or another value: a word that may make the words after it
# hold in some cases only ("for", "when", "since", "in preview mode"), not at all ("not", "cannot") or beside another
# value ("0 ... otherwise", "either ... or")
_LEADS = re.compile(
    r"\b(?:for|when|whenever|if|unless|since|in|on|during|while|once|with|without|where|wherever|whether|except"
    r"|excluding|only|otherwise|else|but|either|or|not|never|cannot|can['’]t|no|nor|outside|from|at|under|over"
    r"|within|above|below|beyond|instead|unlike|than|besides|also|default|defaults|legacy|deprecated|appl(?:y|ies"
    r"|icable)|restricted|limited|relevant|exclusive|exclusively|strictly|as of)\b|n['’]t\b|\d+(?:[.,]\d+)*"
    # (at the start alone: "After the first attempt, ..."; "Maximum ring time before hanging up, ..." names the value)
    r"|^(?:after|before|until|till)\b", re.I)
_UNIT = r"(?:milliseconds?|ms|seconds?|minutes?|hours?|days?|characters?)"
# Words a lead may hold that make nothing conditional: a unit, and a condition every value sent meets
_HARMLESS = re.compile(
    rf"\(\s*(?:in\s+)?{_UNIT}\s*\)|\bin\s+{_UNIT}\b"
    r"|\b(?:if|when|where|whenever)\s+(?:it\s+is\s+|one\s+is\s+|this\s+is\s+)?"
    r"(?:set|provided|present|given|specified|sent|supplied|included|passed)\b", re.I)
# A label before bounds that may name a case, "Voice: between 1 and 50", "Progressive mode: between 5 and 120": a word
# or two, other than the range's own ("Range:", "Allowed values:"); a longer one names the value ("Maximum ring time
# before hanging up, in seconds: (0, 120]")
_CASE_LABEL = re.compile(r"(?!(?:(?:the\s+)?(?:allowed|valid|accepted|permitted)\s+)?(?:range|values?|bounds|limits?)$)"
                         r"[^\s:]+(?:\s+[^\s:]+)?", re.I)
# A noun that may name the case the words hold in, "Voice campaigns, between 1 and 50", "Progressive mode, one of: A, B"
# (not beside words that count it, "Number of campaigns, between 1 and 50", "Calls per agent, ...": the value itself)
_CASE_NOUN = re.compile(r"\b(?:campaigns|modes?|plans|tenants|channels|accounts|environments)\b", re.I)
_COUNTING = re.compile(r"\b(?:of|per|number|count|total)\b", re.I)
_REACH = 300  # characters looked at before the words: a sentence's, not a long text's


def lead(text: str, start: int) -> str:
    """The words of `text` before `start` in their sentence, as written (white space joined)."""
    return " ".join(_SENTENCE_END.split(text[max(0, start - _REACH) : start])[-1].split())


# A period before a space ends a sentence, not the one of "e.g." or "i.e.": "For sms (i.e. text), between 1 and 50"
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\.\s", re.I)


def condition_before(text: str, start: int, labels: bool = False) -> str | None:
    """Why the words of `text` at `start` may hold in some cases only, or not at all, for the words before them in
    their sentence (a refusal's reason), or None. `labels`: a label before them other than one of the range ("Voice:")
    names a case too."""
    words = lead(text, start)
    found = _LEADS.search(_HARMLESS.sub(" ", words))
    if found:
        return (f'"{words}" comes before it in its sentence, and "{found[0]}" may make it hold in some cases only, or '
                "not at all")
    noun = _CASE_NOUN.search(words)
    if noun and not _COUNTING.search(words):
        return (f'"{words}" comes before it in its sentence, and "{noun[0]}" may name the case it holds in, which the '
                "words alone would drop")
    label = next((part.strip() for part in words.split(":")[:-1] if _CASE_LABEL.fullmatch(part.strip())), None)
    if labels and label is not None:
        return (f'"{label}:" comes before it in its sentence, and may name the case it holds in (bounds are read after'
                ' no label, "Range:", or a label of three words or more that names the value)')
    return None
