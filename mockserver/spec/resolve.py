"""Model -> properties: each field's keywords from its row, its prose (phrases) and the overrides.

Every keyword keeps the line it came from. A "number" the page shows a value of (in its sample, or an
example), whose values shown, bounds and enum values are all whole numbers, becomes an "integer". A keyword the
field's type ignores (minimum on a string), or a lower bound above its upper one (on an integer, with no whole number
between them), stops the generator with the line it came from. The page's prose outside its tables gives no keyword:
wording in it that reads like a constraint stops the generator too, unless a [[prose]] entry says a table row or a
[[set]] gives it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mockserver.errors import SpecError
from mockserver.spec import overrides as overrides_mod
from mockserver.spec import phrases
from mockserver.spec.model import (
    APPLIES_TO,
    PARAMETER_KINDS,
    TABLE_KINDS,
    FieldSpec,
    Keyword,
    Page,
    Property,
    Sample,
    Source,
    Table,
)
from mockserver.spec.overrides import Override, Overrides

PHRASES = "mockserver/spec/phrases.py"


def resolve_page(page: Page, overrides: Overrides) -> dict[str, list[Property]]:
    """Table kind -> its properties, in page order (a table the page lacks is empty)."""
    _unread_prose(page, overrides)
    samples = {"body": page.sample_request, "response": page.sample_response}
    resolved: dict[str, list[Property]] = {}
    for kind in TABLE_KINDS:
        table = page.tables.get(kind) or Table(kind, "", Source(page.file, 1))
        table = overrides_mod.apply(table, overrides)
        resolved[kind] = resolve_table(table, overrides, samples.get(kind), page.file)
    return resolved


def resolve_table(table: Table, overrides: Overrides, sample: Sample | None, page_file: str) -> list[Property]:
    props: dict[str, Property] = {}
    reads = _reads(table, overrides)
    for spec in table.fields:
        entry = reads.get(spec.name)
        constraints = _stated(spec, table.kind, entry, overrides, page_file)
        _add_field(props, spec, sample, constraints, entry.src("words") if entry else None)
    _apply_keywords(props, overrides, table.kind, page_file)
    all_required = overrides.setting(table.kind, "all_required")
    if all_required:
        documented = {spec.name for spec in table.fields if spec.source.file == page_file}
        for name in documented:
            said = props[name].required
            if said is not None and not said.value and said.source.file == page_file:
                message = (f"{name}: the row says optional, and all_required ({_where(all_required, overrides)}) makes "
                           f"every {table.kind} field required: give the field a [[set]] of required (false keeps the "
                           "row's word)")
                raise SpecError(message, where=_where(said.source, overrides))
            if said is None:  # a [[set]] of required = false settles the field, as a row's "optional" does not
                props[name].required = Keyword(True, all_required)
    for prop in props.values():
        if table.kind not in PARAMETER_KINDS:
            _check_listed(prop, props, overrides)
            _check_parents(prop, props, overrides)
        _check_applies(prop, overrides)
        _check_counts(prop, overrides)
        _check_bounds(prop, overrides)
        _check_enum(prop, overrides)
    return list(props.values())


def _prop(props: dict[str, Property], name: str) -> Property:
    if name not in props:
        props[name] = Property(name)
    return props[name]


def _add_field(props: dict[str, Property], spec: FieldSpec, sample: Sample | None,
               constraints: list[phrases.Constraint], read_by: Source | None) -> None:
    prop = _prop(props, spec.name)
    prop.renamed_by, prop.read_by = spec.renamed_by, read_by
    type_source = spec.type_source or spec.source
    if spec.description:
        prop.keywords["description"] = Keyword(spec.description, spec.source)
    if spec.required is not None:
        _agreed(prop, "required", Keyword(spec.required, spec.required_source or spec.source))
    for constraint in constraints:
        target = _prop(props, spec.name + constraint.target)
        _agreed(target, constraint.keyword, Keyword(constraint.value, spec.source))
    json_type = _json_type(spec, prop, sample)
    _agreed(prop, "type", Keyword(json_type, type_source))
    if spec.type.name == "array" and spec.type.items:
        _agreed(_prop(props, spec.name + "[]"), "type", Keyword(spec.type.items, type_source))


def _agreed(prop: Property, keyword: str, given: Keyword) -> None:
    """Set a keyword a row of the page gives, refusing one another row gave another value: an array's row says its
    items' type ("array of string") and a `list[]` row says it too, a row's bullets say what its items' fields
    hold ("day: 'MO', ... 'SU'") and a `days[].day` row says it too. The last row read won, without a word."""
    had = prop.required if keyword == "required" else prop.keywords.get(keyword)
    if had is not None and had.source.file == given.source.file and had.source.line != given.source.line:
        if keyword == "type" and {had.value, given.value} == {"number", "integer"}:
            given = Keyword("integer", given.source)  # whole samples made one of them an integer
        elif had.value != given.value:
            message = (f"{prop.name}: {keyword} {json.dumps(given.value, ensure_ascii=False)} here, "
                       f"{json.dumps(had.value, ensure_ascii=False)} at line {had.source.line}: the page contradicts "
                       "itself")
            raise SpecError(message, where=f"{given.source.file}:{given.source.line}")
    if keyword == "required":
        prop.required = given
    else:
        prop.keywords[keyword] = given


# ---------------------------------------------------------------- the description's prose


def _reads(table: Table, overrides: Overrides) -> dict[str, Override]:
    """Field name -> the [[read]] entry for it; a stale or repeated entry is refused."""
    names, reads = {spec.name for spec in table.fields}, {}
    for entry in overrides.reads(table.kind):
        if entry.field not in names:
            message = overrides_mod.no_field(entry, table.kind, [spec.name for spec in table.fields])
            raise SpecError(message, where=overrides.where(entry, "field"))
        if entry.field in reads:
            message = (f"[[read]] {entry.field}: the entry at line {reads[entry.field].source.line} reads this field "
                       "already: list all its words there")
            raise SpecError(message, where=overrides.where(entry))
        reads[entry.field] = entry
    return reads


def _stated(spec: FieldSpec, kind: str, entry: Override | None, overrides: Overrides,
            page_file: str) -> list[phrases.Constraint]:
    """The keywords the field's description states (phrases), but for the words its [[read]] entry reads."""
    words = entry.words() if entry else []
    try:
        constraints = phrases.apply(spec.description, spec.type, words, spec.required, spec.name)
    except phrases.UnreadPhrase as exc:
        message = _refusal(exc, kind, spec.name, page_file, entry)
        raise SpecError(message, where=_where(spec.source, overrides)) from None
    except phrases.Repeated as exc:
        raise SpecError(f"{spec.name}: {exc}", where=_where(spec.source, overrides)) from None
    except phrases.StaleWords as exc:
        if entry is None:  # only an entry's words can be stale
            raise
        remove = "remove the entry" if len(words) == 1 else "drop those words from the entry"
        now = _reworded(spec, words)
        if now is not None:  # the row reworded them: dropped, what it says now would be refused in turn
            where = _where(spec.source, overrides)
            raise SpecError(f"[[read]] {spec.name}: {_reworded_advice(words, *now, where)}",
                            where=overrides.where(entry, "words")) from None
        message = f"[[read]] {spec.name}: {exc} ({_where(spec.source, overrides)}): {remove}{exc.hint}"
        raise SpecError(message, where=overrides.where(entry, "words")) from None
    return constraints


def _reworded(spec: FieldSpec, words: list[str]) -> tuple[list[str], list[str]] | None:
    """(an entry's words the description no longer says, what it says no rule reads in their place, in its
    order); None when it says them all (a rule reads them) or nothing in their place reads like a constraint."""
    kept = [said for said in words if phrases.said(said, spec.description)]
    if len(kept) == len(words):
        return None
    new: list[str] = []
    while len(new) < len(words) + 8:  # each round settles one phrase; a description holds few
        try:
            phrases.apply(spec.description, spec.type, kept + new, spec.required, spec.name)
        except phrases.UnreadPhrase as exc:
            if exc.phrase in new:
                break
            new.append(exc.phrase)
            continue
        except ValueError:  # another of the kept words' refusals: the old message's advice stands
            return None
        break
    if not new:
        return None
    new.sort(key=lambda phrase: (phrases.said(phrase, spec.description) or [(0, 0)])[0])
    return [said for said in words if said not in kept], new


def _reworded_advice(words: list[str], gone: list[str], new: list[str], where: str) -> str:
    """What to give the entry whose `gone` words the description says no more, saying `new` words no rule reads:
    one phrase for one, as the words in place of the old; otherwise all its words, as pairing them is a guess."""
    said = (f"the description no longer says {' nor '.join(map(_json, gone))} ({where}), but "
            f"{' and '.join(map(_json, new))}, which no rule reads: ")
    if len(gone) == len(new) == 1 and len(words) > 1:
        return f"{said}put {_json(new[0])} in the entry's words for {_json(gone[0])}"
    now = [word for word in words if word not in gone] + new
    return f"{said}give the entry words = {_json(now[0] if len(now) == 1 else now)}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _refusal(exc: phrases.UnreadPhrase, kind: str, name: str, page_file: str, entry: Override | None) -> str:
    """The refusal of wording no rule reads, with both ways out: a phrase rule, or a [[read]] entry."""
    written = phrases.quoted(exc.written)
    said = f"cannot read {written} as a constraint: no phrase rule matches it"
    if exc.written != exc.phrase:  # a rule read words in its middle ("between 5 and 120"): quoted as the page has it
        said = (f"cannot read {written} as a constraint: a phrase rule reads part of it, none"
                f" {phrases.quoted(exc.phrase)}")
    if exc.why:  # a rule matches the words but could not read them for certain ("Preview, etc.")
        said = f"cannot read {written} as a constraint: {exc.why}"
    if exc.inside:
        return f'{said}; it is inside what the phrase rule "{exc.inside}" reads, so add a rule to {PHRASES}'
    words = json.dumps(exc.phrase, ensure_ascii=False)
    overrides_file = Path(page_file).with_suffix(".overrides.toml").name
    if entry:
        return f"{said}; add a rule to {PHRASES}, or {words} to the words of the [[read]] entry at " \
               f"{overrides_file}:{entry.source.line}"
    read = f"table = {json.dumps(kind)}, field = {json.dumps(name)}, words = {words}"
    return f"{said}; add a rule to {PHRASES}, or a [[read]] entry ({read}) to {overrides_file}"


def _unread_prose(page: Page, overrides: Overrides) -> None:
    """No rule reads the page's prose outside its tables: wording in it that reads like a constraint is refused, but
    for the words of a [[prose]] entry (a table row or a [[set]] gives it); an entry whose words the prose no longer
    says, or that hold nothing to refuse, is refused too, as is one that gives words another entry gives."""
    cues = [phrases.cues(prose.text) for prose in page.prose]
    settled: list[list[tuple[int, int]]] = [[] for _ in page.prose]  # each prose's spans the entries' words cover
    given: dict[str, Override] = {}
    for entry in overrides.prose():
        remove = "remove the entry" if len(entry.words()) == 1 else "drop those words from the entry"
        for words in entry.words():
            key = " ".join(words.lower().split())
            if key in given:
                message = (f'[[prose]]: "{words}" is given already (by the entry at line {given[key].source.line}): '
                           "give them once")
                raise SpecError(message, where=overrides.where(entry, "words"))
            given[key] = entry
            spans = [phrases.said(words, prose.text) for prose in page.prose]
            first = next(((prose, at) for prose, at in zip(page.prose, spans, strict=True) if at), None)
            if first is None:
                message = (_prose_reworded(page, cues, overrides, entry)
                           or f'[[prose]]: the page\'s prose outside its tables no longer says "{words}": {remove}')
                raise SpecError(message, where=overrides.where(entry, "words"))
            if not any(_holds(cue, at) for prose_cues, at in zip(cues, spans, strict=True) for cue in prose_cues):
                line = first[0].line_at(first[1][0][0])
                message = (f'[[prose]]: nothing in "{words}" reads as a constraint ({page.file}:{line}): {remove}, or '
                           "give it the words a refusal quotes")
                raise SpecError(message, where=overrides.where(entry, "words"))
            for index, found in enumerate(spans):
                settled[index] += found
    for prose, prose_cues, spans in zip(page.prose, cues, settled, strict=True):
        cue = next((cue for cue in prose_cues if not _holds(cue, spans)), None)
        if cue is not None:
            words = json.dumps(cue.phrase, ensure_ascii=False)
            fixes = Path(page.file).with_suffix(".overrides.toml").name
            message = (f"cannot read {phrases.quoted(cue.phrase)} as a constraint: prose outside the tables is not "
                       f"read; add a [[prose]] entry (words = {words}) to {fixes} once a table row or a [[set]] entry "
                       "gives it")
            raise SpecError(message, where=_where(Source(page.file, prose.line_at(cue.start)), overrides))


def _prose_reworded(page: Page, cues: list[list[phrases.Cue]], overrides: Overrides, entry: Override) -> str | None:
    """The refusal of `entry`, whose words the prose outside the tables no longer says, where it says in their place
    words no rule reads (reworded: dropped, they would be refused in turn); None where it says none. One phrase for
    one is named as the entry's new words; otherwise every gone and every new phrase, as pairing them is a guess."""
    gone = [(each, words) for each in overrides.prose() for words in each.words()
            if not any(phrases.said(words, prose.text) for prose in page.prose)]
    now = _unsettled(page, cues, [words for each in overrides.prose() for words in each.words()
                                  if (each, words) not in gone])
    if not now:
        return None
    mine = [words for each, words in gone if each is entry]
    said = f"[[prose]]: the page's prose outside its tables no longer says {' nor '.join(map(_json, mine))}"
    said += "".join(f" (nor {_json(words)}, the entry's at line {each.source.line})" for each, words in gone
                    if each is not entry)
    said += (f", but {' and '.join(f'{_json(phrase)} ({page.file}:{line})' for phrase, line in now)}, which no rule"
             " reads: ")
    if len(gone) == len(now) == 1 and len(entry.words()) > 1:
        return f"{said}put {_json(now[0][0])} in the entry's words for {_json(mine[0])}"
    if len(mine) < len(gone):  # other entries' words are gone too: which new words are whose is not known
        return f"{said}give each of those entries the new words that replace its own"
    words = [words for words in entry.words() if words not in mine] + [phrase for phrase, _ in now]
    return f"{said}give the entry words = {_json(words[0] if len(words) == 1 else words)}"


def _unsettled(page: Page, cues: list[list[phrases.Cue]], words: list[str]) -> list[tuple[str, int]]:
    """Every wording of the prose outside the tables that reads like a constraint and none of `words` settles, with
    its line, in the page's order (the words of one sentence once)."""
    found: list[tuple[str, int]] = []
    while len(found) < len(words) + 8:  # each round settles one phrase; a page's prose holds few
        now = _first_unsettled(page, cues, words + [phrase for phrase, _ in found])
        if now is None or now in found:
            break
        found.append(now)
    return found


def _first_unsettled(page: Page, cues: list[list[phrases.Cue]], words: list[str]) -> tuple[str, int] | None:
    for prose, prose_cues in zip(page.prose, cues, strict=True):
        spans = [span for said in words for span in phrases.said(said, prose.text)]
        cue = next((cue for cue in prose_cues if not _holds(cue, spans)), None)
        if cue is not None:
            return cue.phrase, prose.line_at(cue.start)
    return None


def _holds(cue: phrases.Cue, spans: list[tuple[int, int]]) -> bool:
    return any(start <= cue.start and cue.end <= end for start, end in spans)


def _constrain(prop: Property, keyword: str, value: Any, source: Source) -> None:
    if keyword == "required":
        prop.required = Keyword(bool(value), source)
    else:
        prop.keywords[keyword] = Keyword(value, source)


def _apply_keywords(props: dict[str, Property], overrides: Overrides, kind: str, page_file: str) -> None:
    for entry in overrides.keywords(kind):
        if entry.field not in props:
            message = overrides_mod.no_field(entry, kind, list(props))
            raise SpecError(message, where=overrides.where(entry, "field"))
        unset = [keyword for keyword in entry.replaces() if keyword not in entry.keywords()]
        if unset:
            message = f"[[{entry.kind}]] {entry.field}: replaces {unset[0]}, which the entry does not set"
            raise SpecError(message, where=overrides.where(entry, "replaces"))
        prop = props[entry.field]
        said = {keyword: _said(prop, keyword, page_file) for keyword in entry.keywords()}
        for keyword, value in entry.keywords().items():
            _contradicts(entry, keyword, value, said, overrides)
            _constrain(prop, keyword, value, entry.src(keyword))


def _said(prop: Property, keyword: str, page_file: str) -> Keyword | None:
    """The keyword as the page's own row gives it (None: the row gives none, or an override set it)."""
    had = prop.required if keyword == "required" else prop.keywords.get(keyword)
    return had if had is not None and had.source.file == page_file else None


def _contradicts(entry: Override, keyword: str, value: Any, page: dict[str, Keyword | None],
                 overrides: Overrides) -> None:
    """An entry's keyword where the page's row gives the field another value is a contradiction (the entry beat the
    row without a word, so a page edit to it went unseen), unless the entry `replaces` it; one where the row gives
    the same value is stale, and so is a `replaces` where the page gives the same value, or none (a fixed page makes
    its override fail loudly). `page`: each of the entry's keywords as the page's row gives it."""
    said = page[keyword]
    replaces = keyword in entry.replaces()
    shown = _shown(value)
    if said is not None and said.value == value and not replaces:
        needed = [key for key, given in entry.keywords().items() if page[key] is None or page[key].value != given]
        remove = "remove the entry" if entry.kind == "set" and not needed else "remove the keyword from the entry"
        message = (f"[[{entry.kind}]] {entry.field}: {keyword} {shown} is stale: the page's line {said.source.line} "
                   f"gives it the same value now: {remove}")
        raise SpecError(message, where=overrides.where(entry, keyword))
    if said is not None and said.value != value and not replaces:
        message = (f"[[{entry.kind}]] {entry.field}: {keyword} {shown} contradicts the page, whose line "
                   f"{said.source.line} gives {_shown(said.value)}: add replaces = [{json.dumps(keyword)}] to the "
                   "entry if it replaces the page's on purpose, else remove the keyword")
        raise SpecError(message, where=overrides.where(entry, keyword))
    if replaces and (said is None or said.value == value):
        given = f"the page (line {said.source.line}) gives it the same value" if said else "the page gives none"
        message = f"[[{entry.kind}]] {entry.field}: replaces {keyword}, but {given}: remove it from replaces"
        raise SpecError(message, where=overrides.where(entry, "replaces"))


def _shown(value: Any, limit: int = 60) -> str:
    """A value as JSON, a long one cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- keywords no value can meet

def _check_applies(prop: Property, overrides: Overrides) -> None:
    type_ = prop.keywords["type"].value if "type" in prop.keywords else None
    if not isinstance(type_, str):
        return
    for keyword, value in prop.keywords.items():
        types = APPLIES_TO.get(keyword)
        if types and type_ not in types:
            message = (f"{keyword} does not apply to a field of type {type_} ({prop.name}): it constrains"
                       f" {' and '.join(types)} values only")
            raise SpecError(message, where=_where(value.source, overrides))


def _check_parents(prop: Property, props: dict[str, Property], overrides: Overrides) -> None:
    """`a.b` needs `a` to be an object and `a[]` needs it to be an array: under any other type a validator never
    looks at the child, so its row would be dropped without a word."""
    tokens = name_tokens(prop.name)
    for depth in range(1, len(tokens)):
        parent = _joined(tokens[:depth])
        type_ = props[parent].keywords.get("type") if parent in props else None
        needed = "array" if tokens[depth] == "[]" else "object"
        if type_ is None or type_.value == needed:
            continue
        hint = f" (a field of its items is {parent}[].{tokens[depth]})" if type_.value == "array" else ""
        row = _row(prop, type_.source)
        line = f"line {type_.source.line}" if type_.source.file == row.file else _where(type_.source, overrides)
        message = (f"{prop.name}: {parent} is {_article(type_.value)} {type_.value} ({line}), not {_article(needed)}"
                   f" {needed}: a validator would not check this field{hint}")
        raise SpecError(message, where=_where(row, overrides))


def _check_listed(prop: Property, props: dict[str, Property], overrides: Overrides) -> None:
    """A list no row documents, only rows of its items (`days[].day` without `days`): an implied object is required
    when a field of it is, but a required field of a list's items says nothing of the list, so the list became
    optional without a word when its own row was deleted."""
    tokens = name_tokens(prop.name)
    for parent in (_joined(tokens[:depth]) for depth, token in enumerate(tokens) if token == "[]"):
        if parent in props:
            continue
        message = (f"{parent}: no row documents it, only rows of its items ({prop.name}): give it a row of its own "
                   "that says whether it is required (a required field of its items does not make the list required)")
        raise SpecError(message, where=_where(_row(prop, Source(overrides.file, 1)), overrides))


def _joined(tokens: list[str]) -> str:
    return "".join(token if token == "[]" or index == 0 else f".{token}" for index, token in enumerate(tokens))


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _row(prop: Property, default: Source) -> Source:
    """The line a property came from (its first keyword's)."""
    sources = [keyword.source for keyword in prop.keywords.values()] + ([prop.required.source] if prop.required else [])
    return min(sources, key=lambda source: (source.file, source.line), default=default)


# (lower bound, upper bound) -> whether the two may be equal: a lower above its upper (or at it, where either is
# exclusive) leaves no valid value.
BOUND_PAIRS = {("minimum", "maximum"): True, ("minimum", "exclusiveMaximum"): False,
               ("exclusiveMinimum", "maximum"): False, ("exclusiveMinimum", "exclusiveMaximum"): False,
               ("minLength", "maxLength"): True, ("minItems", "maxItems"): True}


def _check_bounds(prop: Property, overrides: Overrides) -> None:
    for (low_key, high_key), equal in BOUND_PAIRS.items():
        low, high = prop.keywords.get(low_key), prop.keywords.get(high_key)
        if low is None or high is None or not _is_number(low.value) or not _is_number(high.value):
            continue
        if low.value > high.value or low.value == high.value and not equal:
            elsewhere = f"; {high_key} from {_where(high.source, overrides)}" if high.source != low.source else ""
            above = "greater than" if low.value > high.value else "equal to"
            message = f"{low_key} {low.value} is {above} {high_key} {high.value} ({prop.name}{elsewhere})"
            raise SpecError(f"{message}: no value satisfies both", where=_where(low.source, overrides))
    kind = prop.keywords.get("type")
    if kind is not None and kind.value == "integer":
        _check_whole_bounds(prop, overrides)


def _check_whole_bounds(prop: Property, overrides: Overrides) -> None:
    """An integer's bounds that leave no whole number between them ("within (0, 1)", "[0.2, 0.8]"): each pair passed
    the check above, and every request was refused."""
    for low_key, high_key in BOUND_PAIRS:
        low, high = prop.keywords.get(low_key), prop.keywords.get(high_key)
        if (low_key not in ("minimum", "exclusiveMinimum") or low is None or high is None or not _is_number(low.value)
                or not _is_number(high.value)):
            continue
        least = math.floor(low.value) + 1 if low_key == "exclusiveMinimum" else math.ceil(low.value)
        most = math.ceil(high.value) - 1 if high_key == "exclusiveMaximum" else math.floor(high.value)
        if least > most:
            elsewhere = f"; {high_key} from {_where(high.source, overrides)}" if high.source != low.source else ""
            raise SpecError(f"{low_key} {low.value} and {high_key} {high.value} leave no whole number between them"
                            f" ({prop.name} is an integer{elsewhere}): no value satisfies both",
                            where=_where(low.source, overrides))


# Keywords that count characters or items -> what they count, for the refusal of a negative or fractional one.
COUNTS = {"minLength": "length", "maxLength": "length", "minItems": "count", "maxItems": "count"}


def _check_counts(prop: Property, overrides: Overrides) -> None:
    """A length or count below 0 or not whole ("a maximum of -3 characters"): the meta-schema refused it, naming
    the table's heading rather than the row."""
    for keyword, what in COUNTS.items():
        given = prop.keywords.get(keyword)
        if given is not None and (not isinstance(given.value, int) or isinstance(given.value, bool) or given.value < 0):
            message = f"{keyword} {given.value} ({prop.name}): a {what} is a whole number, 0 or more"
            raise SpecError(message, where=_where(given.source, overrides))


def _check_enum(prop: Property, overrides: Overrides) -> None:
    """A value listed twice: JSON Schema wants enum values unique (linters flag it), and a list with a repeat is
    most often a typo for the value it lacks ("1, 2, 2, 4, or 5")."""
    enum = prop.keywords.get("enum")
    if enum is None or not isinstance(enum.value, list):
        return
    seen: list[Any] = []
    for value in enum.value:
        if any(value == other and isinstance(value, bool) == isinstance(other, bool) for other in seen):
            shown = json.dumps(value, ensure_ascii=False).strip('"')
            message = (f'{prop.name}: the list of values gives "{shown}" twice (enum values are unique: a typo for '
                       "another value?)")
            raise SpecError(message, where=_where(enum.source, overrides))
        seen.append(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _where(source: Source, overrides: Overrides) -> str:
    """`source` as an error message names it: the overrides file by its path, the page by its name."""
    shown = overrides.display if source.file == overrides.file and overrides.display else source.file
    return f"{shown}:{source.line}"


# ---------------------------------------------------------------- number or integer


def _json_type(spec: FieldSpec, prop: Property, sample: Sample | None) -> str:
    """ "number", or "integer" where the page shows the field's values and every one is whole (the vendor's counts,
    "maxAttemptsPerRecord": 3). Whole bounds alone say nothing: "Must be between 0 and 1." is a ratio as often."""
    if spec.type.name != "number":
        return spec.type.name
    shown = list(sample_values(sample.value, spec.name)) if sample else []
    shown += prop.keywords["examples"].value if "examples" in prop.keywords else []
    if not shown:
        return "number"
    evidence = shown + [prop.keywords[k].value for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
                        if k in prop.keywords]
    evidence += prop.keywords["enum"].value if "enum" in prop.keywords else []
    return "integer" if all(_is_whole(v) for v in evidence) else "number"


def _is_whole(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def name_tokens(name: str) -> list[str]:
    """ "a.b[].c" -> ["a", "b", "[]", "c"]."""
    return [token for part in name.split(".") for token in re.split(r"(\[\])", part) if token]


def sample_values(value: Any, name: str) -> Iterator[Any]:
    """Every value a sample holds at the dotted `name` (through every item of an array)."""
    found = [value]
    for token in name_tokens(name):
        if token == "[]":
            found = [item for v in found if isinstance(v, list) for item in v]
        else:
            found = [v[token] for v in found if isinstance(v, dict) and token in v]
    yield from found

