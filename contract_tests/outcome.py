"""What a run of the suite did, as its report, its terminal summary, its clean-up and its exit status need it.

Without pytest-xdist it is the one runner's. Under pytest-xdist (`-n 2`) each worker runs part of the cases in a
session of its own, with a runner of its own: each sends its part to the controller in plain data (`to_wire`, through
xdist's `workeroutput`), and the controller puts the parts together (`merged`), so that the report holds every case,
in the suite's order, and the summary and the clean-up are the run's, said once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from contract_tests.report import NO_VERDICT, Record
from contract_tests.runner import Created, MaybeCreated, Runner

WIRE_KEY = "contract_suite"  # the worker's part, in config.workeroutput
PREFIX_KEY = "contract_run_prefix"  # the run's prefix, given to each worker in node.workerinput


@dataclass
class Outcome:
    labels: list[str]  # the target as each runner named it: one, or an in-process mock per worker
    is_local: bool
    prefix: str
    records: list[Record] = field(default_factory=list)
    created: list[Created] = field(default_factory=list)
    maybe_created: list[MaybeCreated] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)  # seconds waited on 429 answers
    stopped: str | None = None  # why the suite stopped the run (a runner's TargetError)
    cleanup: list[str] = field(default_factory=list)  # what --delete-created did
    cleanup_incomplete: bool = False

    @property
    def label(self) -> str:
        return "; ".join(dict.fromkeys(self.labels))

    def no_verdict_only(self, failed: int) -> bool:
        """Whether the `failed` tests of the run are all cases that got no verdict: none failed the contract."""
        without = sum(record.verdict == NO_VERDICT for record in self.records)
        return bool(without) and without == failed

    def beyond_sample(self) -> dict[str, int]:
        """Each key path success answers carried that the vendor's sample does not show, with how many cases."""
        return dict(Counter(path for record in self.records for path in record.beyond_sample))

    @property
    def unconfirmed(self) -> list[MaybeCreated]:
        """The creates that may have stored a campaign, but for names a 2xx confirmed anyway."""
        confirmed = {c.name for c in self.created}
        return [m for m in self.maybe_created if m.name not in confirmed]


def from_runner(runner: Runner) -> Outcome:
    return Outcome([runner.target.label], runner.target.is_local, runner.prefix, list(runner.records),
                   list(runner.created), list(runner.maybe_created), list(runner.waits), runner.stopped)


def to_wire(runner: Runner) -> dict[str, Any]:
    """A worker's part in what execnet carries (dicts, lists, strings, numbers), each record with its case's
    position in the suite."""
    numbers = runner.suite.numbers
    return {
        "label": runner.target.label,
        "isLocal": runner.target.is_local,
        "prefix": runner.prefix,
        "records": [[numbers.get(record.id, 0), asdict(record)] for record in runner.records],
        "created": [[numbers.get(c.case_id, 0), asdict(c)] for c in runner.created],
        "maybeCreated": [[numbers.get(m.case_id, 0), asdict(m)] for m in runner.maybe_created],
        "waits": list(runner.waits),
        "stopped": runner.stopped,
    }


def _in_order(parts: list[dict[str, Any]], key: str, kind: type) -> list[Any]:
    numbered = [(number, item) for part in parts for number, item in part[key]]
    return [kind(**item) for _, item in sorted(numbered, key=lambda pair: pair[0])]


def merged(parts: list[dict[str, Any]]) -> Outcome | None:
    """The run's outcome from its workers' parts, cases in the suite's order; None when no worker ran a case."""
    if not parts:
        return None
    return Outcome(
        labels=[part["label"] for part in parts],
        is_local=all(part["isLocal"] for part in parts),
        prefix=parts[0]["prefix"],
        records=_in_order(parts, "records", Record),
        created=_in_order(parts, "created", Created),
        maybe_created=_in_order(parts, "maybeCreated", MaybeCreated),
        waits=[wait for part in parts for wait in part["waits"]],
        stopped=next((part["stopped"] for part in parts if part["stopped"]), None),
    )
