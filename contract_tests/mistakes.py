"""The mistakes of the case files, gathered to be said at once: each case's all, each file's together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mockserver.errors import ConfigError

MAX_PROBLEMS_SHOWN = 100  # problems of case files said before "and N more"


class CaseProblems(ConfigError):
    """Every problem found in the case files, one a line, each naming its file and case: a file of 50 cases carried
    over from another harness was refused one case per run, 50 runs to see them all."""

    def __init__(self, problems: list[ConfigError]) -> None:
        super().__init__(f"{len(problems)} problems in case files, each on a line below; the run starts once all are"
                         " fixed")
        self.problems = problems

    def __str__(self) -> str:
        """The heading, then each problem on a line of its own, as it says itself (its control characters escaped,
        a line end too), so that the line ends between them are the only ones."""
        lines = [f"  {problem}" for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        return "\n".join([super().__str__(), *lines, *([f"  and {more} more"] if more > 0 else [])])


def each_problem(exc: ConfigError) -> list[ConfigError]:
    """The problems one refusal holds: several for CaseProblems, else itself."""
    return exc.problems if isinstance(exc, CaseProblems) else [exc]


def raise_all(problems: list[ConfigError]) -> None:
    """Nothing for no problem; the one, as it is, for one; CaseProblems for several, each file's together (in the
    order its first was found). A problem said twice alike (one bad path in `set` and in `remove`) is said once."""
    problems = list({str(problem): problem for problem in reversed(problems)}.values())[::-1]
    if len(problems) == 1:
        raise problems[0]
    if problems:
        files = list(dict.fromkeys(_file_of(problem) for problem in problems))
        raise CaseProblems(sorted(problems, key=lambda problem: files.index(_file_of(problem))))


def _file_of(problem: ConfigError) -> str:
    return (problem.where or "").partition(": case ")[0]


class Mistakes:
    """The mistakes of one case, each of its parts checked on past another's mistake, as the mock says every
    violation of a body: a case's second mistake was said only once its first was fixed, a run later."""

    def __init__(self) -> None:
        self.found: list[ConfigError] = []

    @contextmanager
    def part(self) -> Iterator[None]:
        """A check whose ConfigError (or CaseProblems, each of its problems) is kept, and the rest checked on."""
        try:
            yield
        except ConfigError as exc:
            self.found += each_problem(exc)

    @contextmanager
    def needed(self) -> Iterator[None]:
        """A check the checks after it need passed (a value of the right type): failed, what was found so far is
        raised."""
        count = len(self.found)
        with self.part():
            yield
        if len(self.found) > count:
            self.raise_any()

    def add(self, problem: ConfigError) -> None:
        self.found.append(problem)

    def raise_any(self) -> None:
        raise_all(self.found)
