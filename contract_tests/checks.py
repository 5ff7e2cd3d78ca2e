"""Checks on one response. Each returns (ok, reason) or a list of Problems; a ContractFailure collects them.

A failure says which case and which field: "boundary/name/maxLength/outside: name: expected status 400, got 200".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from contract_tests.cases import Expectation
from mockserver.key_paths import and_under, outermost
from mockserver.shown_text import clip, clipped
from mockserver.strict_json import dotted
from mockserver.validation import describe, missing_name

Check = tuple[bool, str]


@dataclass(frozen=True)
class Problem:
    field: str  # a dotted path in the request or response, a header name, or "(response)"
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ContractFailure(AssertionError):
    """The service answered a case in a way the contract does not allow. `sent`: the request, on one line
    (contract_tests.calls.described), shown after the problems."""

    def __init__(self, case_id: str, problems: list[Problem], sent: str | None = None) -> None:
        self.case_id = case_id
        self.problems = problems
        self.field = problems[0].field
        self.message = problems[0].message
        lines = [*map(str, problems), *([sent] if sent else [])]
        super().__init__("\n".join(f"{case_id}: {line}" for line in lines))


class NoVerdictFailure(AssertionError):
    """The infrastructure got in the way (no answer, a gateway's page, a rate limit that did not lift): the case is
    neither passed nor a contract failure. It fails, so that a run with no verdict on some case is not green."""

    def __init__(self, case_id: str, reason: str) -> None:
        self.case_id = case_id
        self.reason = reason
        super().__init__(f"{case_id}: no verdict: {reason}")


class RunStopped(Exception):
    """The target stopped the run at a case (no answer, a wrong address, refused credentials): that case could not
    run, and no later one could either. Not an AssertionError: it is no finding about the contract."""


# The API's answers are nested 6 levels deep at most. A deeper one is judged as a body that is not JSON (`document`
# None): each level was a frame of the suite's walks over an answer, and an answer some 900 levels deep ended every
# case in a RecursionError (one past the parser's own limit, too)
MAX_ANSWER_DEPTH = 100


@dataclass(frozen=True)
class Response:
    """What came back for a case's request."""

    status: int
    document: Any  # parsed JSON, or None when the body is not JSON
    text: str  # the start of the body, for messages
    latency_ms: float
    content_type: str = ""  # as the answer says it, "" without one


# --- shapes ---------------------------------------------------------------------------------------------


def key_shape(document: Any, at: str = "") -> set[str]:
    """Every key path in the document, list items as "[]": {"data", "data.days", "data.days[].start", ...}."""
    paths: set[str] = set()
    if isinstance(document, dict):
        for key, value in document.items():
            here = f"{at}.{key}" if at else key
            paths |= {here} | key_shape(value, here)
    elif isinstance(document, list):
        for item in document:
            paths |= key_shape(item, f"{at}[]")
    return paths


# JSON's names for the types a value may have; a whole number and a fraction are both a number to a JSON client
JSON_TYPES = ((bool, "boolean"), ((int, float), "number"), (str, "string"), (dict, "object"), (list, "array"),
              (type(None), "null"))


def value_types(document: Any, at: str = "") -> dict[str, str]:
    """The JSON type of the value at each key path (as key_shape names them): {"data.maxRingTime": "number", ...}; a
    path whose list items differ in type has them all, "number or string"."""
    found: dict[str, set[str]] = {}
    _gather_types(document, at, found)
    return {path: " or ".join(sorted(kinds)) for path, kinds in found.items() if path}


def _gather_types(value: Any, at: str, found: dict[str, set[str]]) -> None:
    found.setdefault(at, set()).add(next(name for kind, name in JSON_TYPES if isinstance(value, kind)))
    if isinstance(value, dict):
        for key, item in value.items():
            _gather_types(item, f"{at}.{key}" if at else key, found)
    elif isinstance(value, list):
        for item in value:
            _gather_types(item, f"{at}[]", found)


def error_path(error: ValidationError) -> str:
    path = list(error.absolute_path)
    if error.validator == "required":
        path.append(missing_name(error))
    return dotted(path) or "(response)"


def schema_rule(error: ValidationError) -> str:
    """The mock's words for a schema error; a missing key's without the keys the object has instead, which the body
    quoted on the first such line shows, and the sample's check names beside the key ("renamed?")."""
    return "is required" if error.validator == "required" else describe(error, advise=False).rule


def schema_problems(validator: Draft202012Validator, document: Any, what: str) -> list[Problem]:
    """One problem a schema error, in the words the mock's own field errors use ("must be an object (got an array)"),
    not jsonschema's, which quoted the whole value in Python's notation."""
    return [
        Problem(error_path(e), f"{what}: {schema_rule(e)}")
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]


# --- error responses ------------------------------------------------------------------------------------


def error_items(document: Any) -> list[dict[str, Any]]:
    errors = document.get("errors") if isinstance(document, dict) else None
    return [item for item in errors if isinstance(item, dict)] if isinstance(errors, list) else []


def error_codes(items: list[dict[str, Any]]) -> list[Any]:
    """The codes the errors carry, each once, in the order of their text: as JSON values, since a target may send
    any (a code that was an array or an object ended the case in a TypeError, unhashable in a set)."""
    unique = {json.dumps(item.get("code"), sort_keys=True): item.get("code") for item in items}
    return sorted(unique.values(), key=str)


def _within(named: str, field: str) -> bool:
    return named == field or named.startswith((f"{field}.", f"{field}["))


def _leaf(field: str) -> str:
    """A path's last key, with the index of a list item it names: `days[0]`, never a bare `0`, which any message
    holding the number would name."""
    return field.rsplit(".", 1)[-1]


def _word_in(words: str, msg: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(words)}(?!\w)", msg) is not None


MSG_SHOWN = 82  # characters of an error's msg a reason quotes, its quotes included


_ITEM = re.compile(r"(.+)\[\d+\]")


def holding_list(field: str, absent: Iterable[str] = ()) -> str | None:
    """The list an expected list item is in (`contactLists` for `contactLists[0]`), which a service may name for its
    item's fault: its items are alike, so naming it says which field, as naming `dialingStrategy` for its
    `maxRingTime` (an object of unlike fields) or `days` for `days[0].start` (a field within the item) does not. None
    for any other path, and where the case expects another item of the list not named (`absent`): the list's name
    could not tell the two apart."""
    item = _ITEM.fullmatch(field)
    if item is None or any(other != field and other.startswith(f"{item.group(1)}[") for other in absent):
        return None
    return item.group(1)


def _names_list(item: dict[str, Any], holder: str) -> bool:
    """Whether an error names the list `holder` itself: its field member, else its msg's word, not one of its items
    (`contactLists[1]`) nor a field within it."""
    if isinstance(item.get("field"), str):
        return item["field"] == holder
    # a full stop after it ends the sentence ("Unknown list in contactLists."); a dot before a key leads within it
    return re.search(rf"(?<![\w.]){re.escape(holder)}(?![\w\[]|\.[\w\[])", str(item.get("msg", ""))) is not None


def names(item: dict[str, Any], field: str, holder: str | None = None) -> Check:
    """Whether one error item names `field`: by its "field" member, or (services without one) in its msg; or names
    `holder`, the list `field` is an item of (holding_list)."""
    if holder is not None and _names_list(item, holder):
        where = "field is" if isinstance(item.get("field"), str) else "msg names"
        return True, f"its {where} {holder!r}, the list that holds it"
    if isinstance(item.get("field"), str):
        ok = _within(item["field"], field)
        # a service that lowercases its paths (dnclists.name) named the field, but not as the request writes it
        other_case = not ok and _within(item["field"].casefold(), field.casefold())
        return ok, f"its field is {item['field']!r}" + (", which differs from it in case alone" if other_case else "")
    msg = str(item.get("msg", ""))
    if _word_in(field, msg):  # a word: "queue_name is unknown" does not name "name"
        return True, f"its msg names {field!r}"
    leaf = _leaf(field)
    if leaf and _word_in(leaf, msg):
        return True, f"its msg names {leaf!r} (no field member; the full path is {field!r})"
    return False, f"its msg {clipped(msg, MSG_SHOWN)} does not name {field!r}{_in_other_case(field, msg)}"


def _in_other_case(field: str, msg: str) -> str:
    """Words for a msg naming `field`, or its last key as a msg may ("MAXRINGTIME is required"), in other case."""
    if _word_in(field.casefold(), msg.casefold()):
        return ", but names it in other case"
    leaf = _leaf(field)
    if leaf != field and _word_in(leaf.casefold(), msg.casefold()):
        return f", but names its last key, {leaf!r}, in other case"
    return ""


def named_by(items: list[dict[str, Any]], field: str, holder: str | None = None) -> Check:
    """Whether any error item names `field` (or `holder`, the list it is an item of: see names); when none does,
    the reason lists why each did not."""
    tried = []
    for index, item in enumerate(items):
        ok, reason = names(item, field, holder)
        if ok:
            return True, f"errors[{index}] names it: {reason}"
        tried.append(f"errors[{index}]: {reason}")
    return False, "no error names it (" + ("; ".join(tried) or "no error items") + ")"


def fields_named(items: list[dict[str, Any]], expected: Iterable[str] = (), absent: Iterable[str] = ()) -> list[str]:
    """Which of the expected fields the errors name, each judged as the check judges it: by an error's "field"
    member, or in the msg of one without. A service without the member (the vendor) can only be asked about the
    fields a case expects, so the mock is asked the same, and two reports compare like with like."""
    absent = tuple(absent)
    return sorted(field for field in expected if named_by(items, field, holding_list(field, absent))[0])


ENVELOPE, RESPONSE_SCHEMA = "error envelope", "response schema"  # what schema_problems' messages start with
SCHEMA_CHECKS = (f"{ENVELOPE}:", f"{RESPONSE_SCHEMA}:")


def error_problems(expect: Expectation, document: Any, envelope: Draft202012Validator) -> list[Problem]:
    problems = schema_problems(envelope, document, ENVELOPE)
    items = error_items(document)
    for field in expect.fields:  # an item's list named is enough; an `absent` field must not be named in any way
        ok, reason = named_by(items, field, holding_list(field, expect.absent))
        if not ok:
            problems.append(Problem(field, f"the errors must name this field, but {reason}"))
    for field in expect.absent:
        ok, reason = named_by(items, field)
        if ok:
            problems.append(Problem(field, f"the errors must not name this field yet (checked later): {reason}"))
    codes = error_codes(items)
    if expect.code is not None and expect.code not in codes:
        problems.append(Problem("errors[].code", f"expected code {expect.code}, got {codes}"))
    return problems


# --- success responses ----------------------------------------------------------------------------------


def empty_lists(document: Any, at: str = "") -> set[str]:
    """The key paths of the document's empty lists, in key_shape's notation: their items' keys cannot be there."""
    if isinstance(document, dict):
        return set().union(*(empty_lists(value, f"{at}.{key}" if at else key) for key, value in document.items()))
    if isinstance(document, list):
        return {at} if not document else set().union(*(empty_lists(item, f"{at}[]") for item in document))
    return set()


def shape_problems(document: Any, sample: Any) -> list[Problem]:
    """The keys of the vendor's sample a success answer lacks. A key beyond the sample is no problem: a client ignores
    what it does not know, and a service adds fields without breaking one (extra_keys lists them for the run's
    summary). Beside a missing key, an extra one at the same place is named, as a renamed key shows."""
    got, want = key_shape(document), key_shape(sample)
    itemless = tuple(f"{path}[]" for path in empty_lists(document))  # an empty list the request sent is echoed so
    want = {path for path in want if not path.startswith(itemless)} if itemless else want
    extra = [path for path, _ in outermost(got - want)]
    return [Problem(p, "missing from the response (the vendor's sample has it" + (f", {and_under(n)})" if n else ")")
                    + _beside(p, extra)) for p, n in outermost(want - got)]


def extra_keys(document: Any, sample: Any) -> list[str]:
    """The outermost key paths of an answer that the vendor's sample does not show."""
    return [path for path, _ in outermost(key_shape(document) - key_shape(sample))]


def refusal_in_body(document: Any, sample: Any) -> str | None:
    """Why a 2xx answer is a refusal rather than a campaign: a `status` other than the vendor's sample's ("failure"
    where it says "success"), or errors and no data; None for one that is not."""
    if not isinstance(document, dict):
        return None
    said, usual = document.get("status"), sample.get("status") if isinstance(sample, dict) else None
    if isinstance(said, str) and isinstance(usual, str) and said.casefold() != usual.casefold():
        return f"its status is {clipped(said, 42)}, not {usual!r}"
    if "errors" in document and "data" not in document:
        return "it holds errors and no data"
    return None


ID_EXPECTED = "expected the campaign's id"  # the start of the line that says data.id is not there
KEYS_SHOWN = 4  # keys of an object a message names before "and N more"


def _kind(value: Any) -> str:
    """A value's JSON type, with its article: "an object", "a string", "null"."""
    name = next(name for kind, name in JSON_TYPES if isinstance(value, kind))
    return name if name == "null" else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _keys(document: dict[str, Any]) -> str:
    keys = list(map(str, document))  # as the answer has them
    more = f" and {len(keys) - KEYS_SHOWN} more" if len(keys) > KEYS_SHOWN else ""
    return f"its keys: {', '.join(keys[:KEYS_SHOWN])}{more}" if keys else "no keys"


def campaign_id(document: Any) -> tuple[str | None, str]:
    """(the created campaign's id, data.id, as text; None when the answer does not carry one), and what came in its
    place, for a message "expected the campaign's id as data.id, got ...": the one value that says a campaign was
    created, which the suite lists and deletes by."""
    if not isinstance(document, dict):
        return None, f"{_kind(document)}, not an object"
    if "data" not in document:
        return None, f"no data ({_keys(document)})"
    data = document["data"]
    if not isinstance(data, dict):
        return None, f"data {_kind(data)}, not an object"
    if "id" not in data:
        return None, f"data without id ({_keys(data)})"
    found = data["id"]
    if isinstance(found, bool) or not isinstance(found, str | int) or not str(found):
        return None, f"data.id {clipped(found, 42) if isinstance(found, str) else _kind(found)}"
    return str(found), ""


def id_problems(document: Any, found: list[Problem]) -> list[Problem]:
    """`found`, with the problems of data.id, the schema's and the sample's, said as one line first: what the
    campaign's id was expected as, and what came. Only for an answer whose data is an object: one without it is
    said by its data's own line."""
    data = document.get("data") if isinstance(document, dict) else None
    made, came = campaign_id(document)
    if not isinstance(data, dict) or made is not None:
        return found
    rest = [problem for problem in found if problem.field != "data.id"]
    return [Problem("data.id", f"{ID_EXPECTED}, a string, got {came}"), *rest]


def _parent(path: str) -> str:
    return path.rpartition(".")[0]  # key_shape's paths end in a key: "data.days[].start" is under "data.days[]"


def _beside(path: str, extra: list[str]) -> str:
    siblings = [other for other in extra if _parent(other) == _parent(path)]
    return f"; the response has {', '.join(siblings)}, which the sample does not: renamed?" if siblings else ""


def shape_values(document: Any, path: str) -> list[Any]:
    """Every value at a key path in key_shape's notation ("days[].start"), in document order."""
    found = [document]
    for part in re.findall(r"\[\]|[^.\[\]]+", path):
        if part == "[]":
            found = [item for value in found if isinstance(value, list) for item in value]
        else:
            found = [value[part] for value in found if isinstance(value, dict) and part in value]
    return found


def _holds_object(values: list[Any]) -> bool:
    return any(isinstance(v, dict) or (isinstance(v, list) and any(isinstance(i, dict) for i in v)) for v in values)


def echoed_paths(sample_request: Any, sample_data: Any) -> tuple[str, ...]:
    """The key paths whose values the vendor's sample response (its `data`) repeats from its sample request: what
    the page shows a created campaign giving back as sent. Objects are compared key by key, not whole, so that the
    keys the response leaves out (unknown fields) do not count."""
    found = []
    for path in sorted(key_shape(sample_data)):
        values = shape_values(sample_data, path)
        if values and not _holds_object(values) and values == shape_values(sample_request, path):
            found.append(path)
    return tuple(found)


def _shown(values: list[Any], path: str) -> str:
    return repr(values) if "[]" in path else repr(values[0]) if values else "nothing"


def echo_problems(document: Any, sent: Any, name_field: str, echoed: tuple[str, ...] = ()) -> list[Problem]:
    """The created campaign echoes the name the request sent, its lowercase form and the vendor's message, and
    every other value the vendor's sample response echoes (`echoed`, from echoed_paths) as it was sent."""
    name = sent.get(name_field) if isinstance(sent, dict) else None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(name, str) or not isinstance(data, dict):
        return []
    wanted = {
        "message": (document.get("message"), f"Campaign {name} creation in progress"),
        f"data.{name_field}": (data.get(name_field), name),
        "data.lname": (data.get("lname"), name.lower()),
    }
    found = [Problem(field, f"expected {want!r}, got {got!r}") for field, (got, want) in wanted.items() if got != want]
    for path in echoed:
        want, got = shape_values(sent, path), shape_values(data, path)
        if path != name_field and want and got != want:
            found.append(Problem(f"data.{path}", f"expected {_shown(want, path)} (as sent), got {_shown(got, path)}"))
    return found


BODY_SHOWN = 300  # characters of a body a message quotes


def shown_body(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return f" (body: {text if len(text) <= BODY_SHOWN else clip(text, BODY_SHOWN + 3)})"


def with_body(problems: list[Problem], text: str) -> list[Problem]:
    """The first problem found by a schema (the answer is not in the shape its status calls for) quotes the body
    received, which a status line quotes only when the status was wrong."""
    for index, problem in enumerate(problems):
        if problem.message.startswith((*SCHEMA_CHECKS, ID_EXPECTED)):
            quoted = Problem(problem.field, problem.message + shown_body(text))
            return [*problems[:index], quoted, *problems[index + 1:]]
    return problems


CREDENTIALS_CHECK = "are the credentials an app of the account under test?"  # where nothing says whence they came
REFUSED_CREDENTIALS_HINT = " -- the target refused the token: "  # then what to check (target.credentials_check)
RECIPE_REFUSED_HINT = (" -- the target takes the run's own token, so it is this case's token recipe it refused"
                       " (the token the recipe makes, signed with the run's credentials)")
MOCK_ONLY_HINT = (" -- the target accepted what only the mock is known to refuse: the case is `may_create`, a"
                  " refusal that is the mock's own reading (its description says which), so here the mock is stricter"
                  " than the target")


def credentials_hint(status: int, own_token: bool, recipe_refused: bool,
                     credentials_check: str = CREDENTIALS_CHECK) -> str:
    """What a 401 adds to its status line, a case's or a `before` step's alike (a step's said nothing, where the
    case's named the credentials and where they came from), or empty: see Checker.problems for the flags."""
    if status != 401:
        return ""
    if own_token:  # the vendor's answer to credentials it does not know
        return REFUSED_CREDENTIALS_HINT + credentials_check
    return RECIPE_REFUSED_HINT if recipe_refused else ""


@dataclass(frozen=True)
class Checker:
    """Everything one response is checked against: the generated response schema, its sample, the envelope."""

    response: Draft202012Validator
    sample_response: dict[str, Any]
    envelope: Draft202012Validator
    name_field: str = "name"
    echoed: tuple[str, ...] = ()  # echoed_paths of the vendor's samples: values a created campaign gives back

    def problems(self, subject: str, expect: Expectation, response: Response, sent: Any,
                 own_token: bool = True, mock_only: bool = False, recipe_refused: bool = False,
                 credentials_check: str = CREDENTIALS_CHECK) -> list[Problem]:
        """`own_token`: the request sent the run's own token, so that a 401 says the target refused its credentials
        (not a case that sends no token, or one of its own making), and what to check of them, `credentials_check`,
        naming where they came from as the run's stop line does. `mock_only`: the case is a `may_create` refusal
        sent to a target other than the in-process mock, so that a 2xx says the mock is stricter than the target.
        `recipe_refused`: the case's own token recipe was refused where the run's own token is taken."""
        found = []
        success = 200 <= response.status < 300
        refusal = refusal_in_body(response.document, self.sample_response) if success else None
        if response.status != expect.status:
            wrong = f"expected status {expect.status}, got {response.status}{shown_body(response.text)}"
            if hint := credentials_hint(response.status, own_token, recipe_refused, credentials_check):
                wrong += hint
            elif refusal:
                wrong += f" -- a refusal all the same: {refusal}"
            elif mock_only and success and expect.status >= 400:
                wrong += MOCK_ONLY_HINT
            found.append(Problem(subject or "(status)", wrong))
        if response.document is None:
            return [*found, Problem("(response)", f"the body is not JSON (or JSON nested over {MAX_ANSWER_DEPTH} levels"
                                                  f" deep): {response.text[:120]!r}")]
        if refusal and expect.status < 300:
            return [*found, Problem("(response)", f"a refusal, not the campaign: {refusal}{shown_body(response.text)}")]
        if success and not refusal:
            body = self.success_problems(response.document, sent)
        else:
            body = error_problems(expect, response.document, self.envelope)
        return found + (body if found else with_body(body, response.text))

    def success_problems(self, document: Any, sent: Any) -> list[Problem]:
        return id_problems(document, (
            schema_problems(self.response, document, RESPONSE_SCHEMA)
            + shape_problems(document, self.sample_response)
            + echo_problems(document, sent, self.name_field, self.echoed)
        ))
