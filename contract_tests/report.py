"""`--contract-report FILE`: one JSON record per case, so two runs (mock and live) can be compared.

Records carry what was received and how it was judged, never the request's headers: no token or secret.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract_tests.checks import (
    error_codes,
    error_items,
    extra_keys,
    fields_named,
    key_shape,
    refusal_in_body,
    value_types,
)
from mockserver.errors import ConfigError
from mockserver.parity import FORMAT, NO_VERDICT
from mockserver.whole_files import in_place, write_whole

if TYPE_CHECKING:
    from contract_tests.checks import Response
    from contract_tests.runner import Result
    from contract_tests.target import Target


@dataclass(frozen=True)
class Record:
    id: str
    target: str
    verdict: str  # "pass", "fail", "skip" or "no-verdict" (the infrastructure got in the way: not compared)
    expected: dict[str, Any]
    status: int | None = None
    latency_ms: float | None = None
    fields: list[str] = field(default_factory=list)  # error fields the response named
    codes: list[Any] = field(default_factory=list)  # error codes the response carried
    shape: list[str] = field(default_factory=list)  # the response's key paths, list items as []
    types: dict[str, str] = field(default_factory=dict)  # the JSON type of the value at each of them
    # a success answer's key paths the vendor's sample does not show (outermost): no failure, said in the summary
    beyond_sample: list[str] = field(default_factory=list)
    reason: str | None = None  # why it was skipped, or what failed


def _verdict(result: Result) -> str:
    if result.no_verdict:
        return NO_VERDICT
    return "skip" if result.skipped else ("fail" if result.problems else "pass")


def _success(response: Response, sample_response: Any) -> bool:
    """A success answer: a 2xx that is no refusal said in its body ("status": "failure")."""
    return 200 <= response.status < 300 and refusal_in_body(response.document, sample_response) is None


def record_for(result: Result, target: Target, sample_response: Any) -> Record:
    case, response = result.case, result.response
    expected = {"status": case.expect.status, "fields": list(case.expect.fields)}
    reason = result.skipped or ("; ".join(map(str, result.problems)) or None)
    if result.no_verdict:
        reason = f"no verdict: {result.no_verdict}"
    if response is None:
        return Record(case.id, target.label, _verdict(result), expected, reason=reason)
    items = error_items(response.document)
    return Record(
        id=case.id,
        target=target.label,
        verdict=_verdict(result),
        expected=expected,
        status=response.status,
        latency_ms=response.latency_ms,
        fields=fields_named(items, case.expect.fields, case.expect.absent),
        codes=error_codes(items),
        shape=sorted(key_shape(response.document)),
        types=dict(sorted(value_types(response.document).items())),
        beyond_sample=extra_keys(response.document, sample_response) if _success(response, sample_response) else [],
        reason=reason,
    )


def check_report_path(path: str | Path) -> None:
    """Refuse a report path before the run, not after it: its folder (created if missing) must take the file, which
    is opened to be sure (a place like /proc passes every other check) and removed again if it was not there. A
    report of an earlier run there is removed: a run that writes none (it is refused before its cases) must not
    leave that one to be read as its own. A file of anything else (the tenant file, a case file) is refused: the
    report would have replaced it. A symbolic link is followed, as the report is written through it."""
    where = str(path)
    if in_place(path):  # /dev/stdout, a pipe: written as a stream at the end, never read nor removed
        try:
            with open(path, "ab"):
                pass
        except OSError as exc:
            raise ConfigError(f"cannot write the contract report: {exc.strerror or exc}", where=where) from None
        return
    report = Path(os.path.realpath(path))
    try:
        if report.parent.exists() and not report.parent.is_dir():
            raise ConfigError(f"cannot write the contract report: {report.parent} is not a directory", where=where)
        if report.is_dir():
            raise ConfigError("cannot write the contract report: it is a directory", where=where)
        existed = report.exists()  # these raise for a name too long to look up, as the rest does
        if existed and report.is_file() and report.stat().st_size and not is_report(report):
            raise ConfigError("the file there is not a contract report, and the report would replace it: give"
                              " --contract-report a path of its own", where=where)
        report.parent.mkdir(parents=True, exist_ok=True)
        with report.open("a", encoding="utf-8"):
            pass
        if not existed or is_report(report):
            report.unlink()
    except OSError as exc:
        raise ConfigError(f"cannot write the contract report: {exc.strerror or exc}", where=where) from None


def is_report(path: Path) -> bool:
    """Whether the file is a contract report (of any format version); anything else there is left as it is."""
    try:
        with path.open("rb") as file:
            document = json.loads(file.read(1 << 26))  # 64 MiB: a report of every case is about 200 KB
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and str(document.get("format", "")).startswith(FORMAT.split("/")[0] + "/")


def write_report(path: str | Path, target: str, prefix: str, records: list[Record],
                 stopped: str | None = None) -> None:
    """`stopped`: why the run ended before its last case (None: it ran them all), so a short report says so."""
    document = {
        "format": FORMAT,
        "target": target,
        "runPrefix": prefix,
        "finishedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "stopped": stopped,
        "records": [asdict(record) for record in records],
    }
    try:
        if not in_place(path):
            Path(os.path.realpath(path)).parent.mkdir(parents=True, exist_ok=True)
        write_whole(Path(path), (json.dumps(document, indent=2) + "\n").encode("utf-8"))  # never cut off mid-way
    except OSError as exc:
        raise ConfigError(f"cannot write the contract report: {exc.strerror}", where=str(path)) from None
