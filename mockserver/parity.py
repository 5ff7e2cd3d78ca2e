"""Drift between two contract reports (say the mock's and the live service's): the cases whose outcome differs.

An outcome is the status received, the error fields named, the error codes, the response's key shape and the JSON
type of each value both answers have (a number sent as a string). Cases
skipped, with no verdict (the infrastructure got in the way: no answer, a gateway's page, a rate limit that did not
lift), failed without an answer (a setup request that failed) or missing in either report are not compared; they are
counted, so a run that compared little says so, one that compared nothing is no verdict at all, and one that left
cases unchecked for any reason but a skip (or stopped early) is incomplete, not alike.

The members the error envelope marks optional ("field" and "hint", which the mock adds and the vendor's page does
not show) are left out of the shape: otherwise every refused case would differ between the mock and the service.
Which fields an error names is compared on its own: a record lists which of the fields its case expects named the
errors name, judged alike whether a service has the "field" member (the mock) or names them only in "msg".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.errors import ToolError
from mockserver.key_paths import and_under, outermost
from mockserver.paths import ENVELOPE_SCHEMA
from mockserver.regular_files import not_regular
from mockserver.shown_text import clipped

ASPECTS = (("status", "status"), ("fields", "error fields named"), ("codes", "error codes"),
           ("shape", "response shape"), ("types", "value types"))
TYPES_SHOWN = 5  # the key paths a value types difference names before "and N more"


def _optional_error_members() -> frozenset[str]:
    item = json.loads(ENVELOPE_SCHEMA.read_text(encoding="utf-8"))["properties"]["errors"]["items"]
    return frozenset(f"errors[].{name}" for name in item["properties"] if name not in item["required"])


OPTIONAL_ERROR_MEMBERS = _optional_error_members()


@dataclass(frozen=True)
class Report:
    path: str
    target: str
    records: dict[str, dict[str, Any]]  # case id -> record
    stopped: str | None = None  # why its run ended before its last case
    finished: str | None = None  # when its run ended (finishedAt), so that reports of other days show as such


@dataclass(frozen=True)
class Difference:
    case_id: str
    aspect: str  # words, e.g. "response shape"
    detail: str

    def __str__(self) -> str:
        return f"{self.case_id}: {self.aspect}: {self.detail}"


def _strings(value: Any) -> bool:
    return value is None or isinstance(value, list) and all(isinstance(item, str) for item in value)


def well_formed(record: Any) -> bool:
    """A record as the contract suite writes it, in the parts parity compares."""
    return (isinstance(record, dict) and isinstance(record.get("id"), str)
            and (record.get("status") is None or type(record.get("status")) is int)
            and _strings(record.get("fields")) and _strings(record.get("shape"))
            and (record.get("codes") is None or isinstance(record.get("codes"), list))
            and (record.get("types") is None or isinstance(record.get("types"), dict)
                 and all(isinstance(kind, str) for kind in record["types"].values())))


FORMAT = "kore-contract-report/1"  # what the contract suite writes (contract_tests/report.py) and parity reads
WRITTEN_BY = "pytest contract_tests --contract-report FILE"
JSON_KINDS = ((dict, "a JSON object"), (list, "a JSON array"), (str, "a JSON string"), (bool, "JSON true or false"),
              ((int, float), "a JSON number"), (type(None), "JSON null"))


def _excerpt(value: Any, limit: int = 60) -> str:
    return clipped(value, limit, lambda item: json.dumps(item, ensure_ascii=False))


def what_it_is(document: Any) -> str:
    """What a JSON document that is not a report of FORMAT is, in words: another version, or something else."""
    kind = next(words for types, words in JSON_KINDS if isinstance(document, types))
    if not isinstance(document, dict):
        return f"not a contract report: {kind}; {WRITTEN_BY} writes one"
    found = document.get("format")
    if isinstance(found, str) and found.partition("/")[0] == FORMAT.partition("/")[0]:
        return (f"a {found} report: mockserver parity reads {FORMAT} ones (write both with the contract suite of this"
                " installation)")
    if "format" in document:
        return f"not a contract report: {kind} of format {_excerpt(found)}; {WRITTEN_BY} writes one"
    members = ", ".join(list(document)[:5]) + (", ..." if len(document) > 5 else "")
    return f'not a contract report: {kind} with no "format" (its members: {members or "none"}); {WRITTEN_BY} writes one'


def _records(document: dict[str, Any], path: str) -> list[dict[str, Any]]:
    records = document.get("records")
    if not isinstance(records, list):
        raise ToolError(f'a {FORMAT} report with no "records" list; {WRITTEN_BY} writes them', path)
    for number, item in enumerate(records, start=1):
        if not well_formed(item):
            raise ToolError(f"a {FORMAT} report with a malformed record (record {number}: {_excerpt(item)});"
                            f" {WRITTEN_BY} writes well-formed ones", path)
    return records


def load_report(path: str | Path) -> Report:
    if (why := not_regular(path)) is not None:
        raise ToolError(f"cannot read report: {why}", where=str(path))
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8-sig"))  # an editor's BOM
    except OSError as exc:
        raise ToolError(f"cannot read report: {exc.strerror}", where=str(path)) from None
    except ValueError as exc:
        raise ToolError(f"report is not JSON: {exc}", where=str(path)) from None
    except RecursionError:
        raise ToolError("report is not JSON: nested too deeply", where=str(path)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ToolError(what_it_is(document), str(path))
    records = _records(document, str(path))
    stopped, finished = document.get("stopped"), document.get("finishedAt")
    return Report(str(path), str(document.get("target", "?")), {r["id"]: r for r in records},
                  None if stopped is None else str(stopped), None if finished is None else str(finished))


NO_VERDICT = "no-verdict"  # a case the infrastructure got in the way of (a gateway's page, a rate limit, no answer)


def compared(record: dict[str, Any] | None) -> bool:
    return (record is not None and record.get("verdict") not in ("skip", NO_VERDICT)
            and record.get("status") is not None)


def _listed(paths: list[tuple[str, int]]) -> str:
    return ", ".join(f"{path} ({and_under(count)})" if count else path for path, count in paths) or "-"


def _detail(aspect: str, left: Any, right: Any) -> str:
    if aspect == "shape":
        only_a, only_b = (_listed(outermost(set(one) - set(other))) for one, other in ((left, right), (right, left)))
        return f"only in A: {only_a}; only in B: {only_b}"
    return f"A {left}, B {right}"


def type_differences(left: dict[str, str], right: dict[str, str]) -> str | None:
    """The key paths both answers have whose values differ in JSON type, as "path A number, B string", or None."""
    paths = sorted(path for path in set(left) & set(right) if left[path] != right[path])
    said = [f"{path} A {left[path]}, B {right[path]}" for path in paths[:TYPES_SHOWN]]
    more = f"; and {len(paths) - TYPES_SHOWN} more" if len(paths) > TYPES_SHOWN else ""
    return "; ".join(said) + more if said else None


def case_differences(case_id: str, a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    found = []
    for key, words in ASPECTS:
        left, right = a.get(key), b.get(key)
        if key in ("codes", "types") and (left is None or right is None):  # a record written without them
            continue
        if key == "types":
            said = type_differences(left, right)
            found += [Difference(case_id, words, said)] if said else []
            continue
        if key != "status":
            left, right = sorted(left or [], key=str), sorted(right or [], key=str)
        if key == "shape":
            left, right = (sorted(set(side) - OPTIONAL_ERROR_MEMBERS) for side in (left, right))
        if left != right:
            found.append(Difference(case_id, words, _detail(key, left, right)))
    return found


# Why a case is not compared -> whether that leaves the comparison incomplete: a skip is the run's own choice (no
# --allow-writes on a remote target, a fact its tenant lacks), the same on every run; the others are cases a run did
# not check, so agreement on the rest says nothing of them.
NOT_COMPARED = {"skipped": False, "no verdict": True, "failed without an answer": True, "missing in one report": True}


@dataclass
class Comparison:
    differences: list[Difference] = field(default_factory=list)
    compared: int = 0
    not_compared: dict[str, list[str]] = field(default_factory=lambda: {why: [] for why in NOT_COMPARED})
    stopped: list[str] = field(default_factory=list)  # the sides ("A", "B") whose run stopped before its last case

    @property
    def incomplete(self) -> bool:
        return bool(self.stopped) or any(ids and NOT_COMPARED[why] for why, ids in self.not_compared.items())

    def summary(self) -> str:
        reasons = ", ".join(f"{len(ids)} {why}" for why, ids in self.not_compared.items() if ids) or "none"
        if not self.compared:
            return (f"nothing compared: no case has an answer in both reports ({reasons}); compare reports of runs"
                    " that reached their targets, with the same cases selected")
        differing = len({d.case_id for d in self.differences})
        total = sum(map(len, self.not_compared.values()))
        line = f"{differing} of {self.compared} compared case(s) differ; {total} not compared ({reasons})"
        if not self.incomplete:
            return line
        stopped = f" ({' and '.join(self.stopped)} stopped early)" if self.stopped else ""
        return f"{line}; incomplete{stopped}" if self.differences else f"incomplete{stopped}: {line}"


def not_compared_because(left: dict[str, Any] | None, right: dict[str, Any] | None) -> str:
    """Why a case is not compared: missing in a report, skipped, or failed with no answer to its request (the target
    went away, or a setup request failed)."""
    if left is None or right is None:
        return "missing in one report"
    if "skip" in (left.get("verdict"), right.get("verdict")):
        return "skipped"
    if NO_VERDICT in (left.get("verdict"), right.get("verdict")):
        return "no verdict"
    return "failed without an answer"


def differences(a: Report, b: Report) -> Comparison:
    """The cases compared and how they differ, in the first report's case order, and the ones not compared."""
    ids = list(a.records) + [i for i in b.records if i not in a.records]
    found = Comparison(stopped=[side for side, report in (("A", a), ("B", b)) if report.stopped])
    for case_id in ids:
        left, right = a.records.get(case_id), b.records.get(case_id)
        if not (compared(left) and compared(right)):
            found.not_compared[not_compared_because(left, right)].append(case_id)
            continue
        found.compared += 1
        found.differences += case_differences(case_id, left, right)
    return found


SHOWN = 3  # the case ids a line of a difference several cases share names before "and N more"


def grouped(found: list[Difference]) -> list[str]:
    """One line per distinct difference, in the order each first appears: its case, or how many cases share it with
    the first SHOWN of them (an extra key in every answer is one line, not one per case)."""
    cases: dict[tuple[str, str], list[str]] = {}
    for difference in found:
        cases.setdefault((difference.aspect, difference.detail), []).append(difference.case_id)
    return [_shared(aspect, detail, ids) for (aspect, detail), ids in cases.items()]


def _shared(aspect: str, detail: str, ids: list[str]) -> str:
    if len(ids) == 1:
        return str(Difference(ids[0], aspect, detail))
    more = f" and {len(ids) - SHOWN} more; -v lists every case" if len(ids) > SHOWN else ""
    return f"{len(ids)} cases: {aspect}: {detail} ({', '.join(ids[:SHOWN])}{more})"


ALIKE, DIFFER, NOTHING_COMPARED, INCOMPLETE = 0, 1, 2, 3  # 2 is also a report that cannot be read (a ToolError)


def exit_status(found: Comparison) -> int:
    if not found.compared:
        return NOTHING_COMPARED
    if found.differences:
        return DIFFER
    return INCOMPLETE if found.incomplete else ALIKE


def render(a: Report, b: Report, every_case: bool = False) -> tuple[list[str], int]:
    """The lines `mockserver parity` prints, and its exit status: 0 alike, 1 some case differs, 2 nothing compared,
    3 the compared cases are alike but a run stopped early or some case was not checked by both (a skip aside).
    `every_case`: one line per case and difference, rather than one per difference."""
    found = differences(a, b)
    lines = [f"{side}: {report.path} ({report.target}{f'; finished {report.finished}' if report.finished else ''})"
             for side, report in (("A", a), ("B", b))]
    lines += [f"{side} stopped early, so it lacks the cases after: {report.stopped}"
              for side, report in (("A", a), ("B", b)) if report.stopped]
    lines += [*(map(str, found.differences) if every_case else grouped(found.differences)), found.summary()]
    return lines, exit_status(found)
