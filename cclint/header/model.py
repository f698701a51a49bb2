"""What the `#SBATCH` header of a script says, as sbatch would read it."""

from __future__ import annotations

from cclint.record import Record, field, record

from cclint.header.options import OptionSpec
from cclint.source import Span


@record
class Problem:
    """A getopt-level or word-level problem sbatch reports before any value check."""

    kind: str  # unknown | ambiguous | abbreviation | missing-value | no-value-allowed |
    #            optional-separate | stray-word | unmatched-quote | unexpected-colon |
    #            single-dash-long | after-double-dash | early-pass
    message: str  # what sbatch itself prints (without the `sbatch: error:` prefix)
    candidates: tuple[str, ...] = ()


class Directive(Record):
    """One option occurrence in the header (or translated from a #PBS/#BSUB line)."""

    __slots__ = ("name", "spec", "written", "value", "line", "span", "option_span", "value_span",
                 "value_line", "form", "origin", "component", "problem", "source_text")

    def __init__(self, name: str, spec: OptionSpec | None, written: str, value: str | None, line: int,
                 span: Span, option_span: Span, value_span: Span | None = None, value_line: int = 0,
                 form: str = "long", origin: str = "sbatch", component: int = 0,
                 problem: Problem | None = None, source_text: str = ""):
        self.name = name  # canonical long option name; '' when sbatch does not know the option
        self.spec = spec
        self.written = written  # the option as written: '--cpu-per-task', '-c', '--tasks'
        self.value = value
        self.line = line
        self.span = span  # the whole option word (with an attached value)
        self.option_span = option_span  # the option part only
        self.value_span = value_span
        self.value_line = value_line
        self.form = form  # long= | long | short | short-glued | flag
        self.origin = origin  # sbatch | slurm (legacy #SLURM) | pbs | bsub
        self.component = component  # heterogeneous-job component
        self.problem = problem
        self.source_text = source_text  # for PBS/BSUB: the original option as written

    @property
    def shown(self) -> str:
        """The directive as a student would write it, for messages."""
        if self.value is None:
            return self.written
        sep = "=" if self.written.startswith("--") else " "
        return f"{self.written}{sep}{self.value}"


@record
class LinePart:
    """A directive line that sbatch does not read, or reads as something else."""

    line: int
    span: Span
    text: str
    reason: str = ""


@record
class PbsLine:
    line: int
    span: Span
    text: str
    prefix: str  # '#PBS' or '#BSUB'
    translations: list[Directive] = field(default_factory=list)
    problem: str = ""  # what sbatch says when the line cannot be translated


@record
class Header:
    directives: list[Directive] = field(default_factory=list)  # effective, in argv order
    problems: list[tuple[int, Span, Problem]] = field(default_factory=list)  # not tied to an option
    directive_lines: list[int] = field(default_factory=list)
    ignored: list[LinePart] = field(default_factory=list)  # #SBATCH after the first command
    malformed: list[LinePart] = field(default_factory=list)  # look like directives, are comments
    pbs_lines: list[PbsLine] = field(default_factory=list)
    # What makes sbatch's #PBS translation refuse the script (unknown letter, stray word...)
    pbs_problems: list[tuple[int, Span, Problem]] = field(default_factory=list)
    end_line: int | None = None  # the first command line, which ended the header
    end_text: str = ""

    # -- queries used by rules ---------------------------------------------------------

    def cached(self, key: str, compute):
        """A fact derived from the finished header, computed once (several rules ask for it)."""
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def by_name(self) -> dict[str, list[Directive]]:
        """Occurrences of each option, in argv order."""
        return self._tables()[0]

    def _tables(self) -> tuple[dict[str, list[Directive]], dict[int, dict[str, Directive]]]:
        """(occurrences by name, winner by name for each component already asked), built on
        the first query once scanning is done, again if the directives change."""
        directives = self.directives
        index = self.__dict__.get("_index")
        if index is None or index[0] is not directives or index[1] != len(directives):
            by_name: dict[str, list[Directive]] = {}
            for d in directives:
                by_name.setdefault(d.name, []).append(d)
            index = self.__dict__["_index"] = (directives, len(directives), by_name, {})
        return index[2], index[3]

    def all(self, name: str, component: int | None = 0) -> list[Directive]:
        """Every effective occurrence of an option (sbatch lines, then PBS translations)."""
        found = self.by_name().get(name, ())
        return list(found) if component is None else [d for d in found if d.component == component]

    def get(self, name: str, component: int | None = 0) -> Directive | None:
        """The occurrence that wins (the last one: facts §1.6)."""
        if component is None:
            found = self.by_name().get(name)
            return found[-1] if found else None
        return self.winners(component).get(name)

    def winners(self, component: int = 0) -> dict[str, Directive]:
        """The occurrence that wins, by option name, in one component: one table, as `get` is
        asked ~100 times a script, mostly for absent options."""
        tables = self._tables()[1]
        table = tables.get(component)
        if table is None:
            table = tables[component] = {d.name: d for d in self.directives if d.component == component}
        return table

    def value(self, name: str, default: str | None = None) -> str | None:
        d = self.get(name)
        return d.value if d is not None and d.value is not None else default

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    @property
    def components(self) -> int:
        return 1 + max((d.component for d in self.directives), default=0)
