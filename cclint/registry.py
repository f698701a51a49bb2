"""Step 3: rules. The `Rule` base class, and the registry of every rule cclint ships.

A rule is one class in one file under `rules/` (installed as `cclint.rules`). Its class
attributes are the single source for `cclint rule NAME`, the README's rule table, SARIF
metadata and the test that runs its examples: stable `code` and kebab-case `name`, default
`severity`, one-line `summary`, `rationale` (why it matters), `certain_when` (what makes a
finding certain: why it has its severity, and which findings get another) and `silent_when`
(the near-misses it leaves alone on purpose), `fix` (the suggestion shown with every
finding), `fix_safety` (safe, unsafe or suggestion), and a `bad` and a `good` example
script. `check(script, ctx)` yields the findings.

Severity means: `error` only when the job will certainly be rejected, misconfigured or lose
its results; `warning` when it works but wastes the cluster or its own time, or when the
evidence of a failure is partial; `info` for good practice. A rule whose findings differ in
evidence gives each its own (`self.report(..., severity=self.at_most(ctx, WARNING))`).
"""

from __future__ import annotations

import functools
import importlib
from cclint.record import record
from collections.abc import Iterator

from cclint.diagnostics import Applicability, Diagnostic, Fix, Severity
from cclint.source import Span

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from cclint.context import Context
    from cclint.script import Script


OUTSIDE = "outside"  # Diagnostic.extra key: the text of a finding outside the script


@record(frozen=True)
class Option:
    """A rule setting a configuration may change (`options: {RULE: {KEY: VALUE}}`).

    `kind` is one of int, str, bool, list[str]; `minimum` bounds an int.
    """

    kind: str
    default: Any
    doc: str
    minimum: int | None = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    rationale: ClassVar[str]
    certain_when: ClassVar[str]  # what makes a finding certain (why its severity)
    silent_when: ClassVar[str]  # the near-misses it deliberately leaves alone
    fix: ClassVar[str]
    fix_safety: ClassVar[str] = Applicability.SUGGESTION
    bad: ClassVar[str]
    good: ClassVar[str]
    family: ClassVar[str] = ""
    enabled_by_default: ClassVar[bool] = True
    needs_content: ClassVar[bool] = True  # skipped on empty files (only missing-shebang runs)
    # skipped when the body is not shell (`#!/usr/bin/env python3`): the rule judges what the
    # commands lack, and a body cclint does not read would always seem to lack it
    needs_shell_body: ClassVar[bool] = False
    example_profile: ClassVar[str] = "generic"  # profile the examples are checked with
    example_settings: ClassVar[dict] = {}  # Settings fields the examples need (grading mode)
    good_settings: ClassVar[dict | None] = None  # for the good example, if not example_settings
    options: ClassVar[dict[str, Option]] = {}  # settings a config may give (policy rules)

    def check(self, script: "Script", ctx: "Context") -> Iterator[Diagnostic]:
        raise NotImplementedError

    # -- helpers for subclasses ---------------------------------------------------------

    def at_most(self, ctx: "Context", severity: Severity) -> Severity:
        """The rule's severity (as the profile sets it), lowered to `severity` for a finding
        whose evidence is partial: a profile that turns the rule down still turns it down."""
        return min(ctx.default_severity(self), severity)

    def raised(self, ctx: "Context", severity: Severity) -> Severity:
        """The rule's severity raised to `severity` for a finding whose evidence is certain,
        unless the profile sets the rule's severity (then that one)."""
        if ctx.profile.rule_setting(self.name):
            return ctx.default_severity(self)
        return max(self.severity, severity)

    def report(self, ctx: "Context", where: Span | int | None, message: str, *,
               fix: str | None = None, severity: Severity | None = None,
               edit: Fix | None = None) -> Diagnostic:
        """Build a finding. `where` is a span, a 1-based line number, or None (line 1). A
        span outside the script (sbatch's command line or environment) gives a finding
        there, with no edit (a fix edits the script)."""
        source = ctx.script.source
        path = ctx.path
        outside = getattr(where, "source", None)
        if outside is not None:
            source, path, edit = outside, outside.path, None
        if isinstance(where, Span):
            line, column = source.position(where.start)
            end = max(where.end, where.start)
            if end > where.start and source.text[end - 1:end] == "\n":
                end -= 1  # a span that swallowed a line end stops at the end of that line
            end_line, end_column = source.position(end)
            offset = where.start
        else:
            line = where if isinstance(where, int) and where > 0 else 1
            text = source.line(line)
            column, end_line, end_column = 1, line, len(text) + 1
            offset = source.line_start(line) if source.text else 0
        return Diagnostic(
            path=path, line=line, column=column, end_line=end_line, end_column=end_column,
            code=self.code, rule=self.name,
            severity=severity if severity is not None else ctx.default_severity(self),
            message=message, fix=fix if fix is not None else self.fix, edit=edit, offset=offset,
            extra={OUTSIDE: outside.text} if outside is not None else None,
        )

    @classmethod
    def describe(cls) -> dict:
        return {
            "code": cls.code, "name": cls.name, "severity": cls.severity.label,
            "family": cls.family, "summary": cls.summary, "rationale": cls.rationale.strip(),
            "certain_when": cls.certain_when, "silent_when": cls.silent_when,
            "fix": cls.fix, "fix_safety": cls.fix_safety,
            "enabled_by_default": cls.enabled_by_default,
            "options": {k: {"type": o.kind, "default": o.default, "doc": o.doc} for k, o in cls.options.items()},
            "bad": cls.bad, "good": cls.good,
        }


@functools.lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    rules_package = importlib.import_module("cclint.rules")
    found = []
    for module_name in rules_package.RULE_MODULES:
        module = importlib.import_module(f"cclint.rules.{module_name}")
        found.append(module.RULE)
    return tuple(sorted(found, key=lambda r: r.code))


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, type[Rule]]:
    index: dict[str, type[Rule]] = {}
    for rule in all_rules():
        index[rule.name] = rule
        index[rule.code.lower()] = rule
    return index


def find_rule(name_or_code: str) -> type[Rule] | None:
    """A rule by kebab-case name or by code, case-insensitive."""
    key = name_or_code.strip().lower()
    return _index().get(key) or _index().get(key.replace("_", "-"))


def resolve_rules(names: list[str] | tuple[str, ...] | set[str], what: str = "rule") -> set[str]:
    """Turn names, codes or code prefixes (`CC2`, `ALL`) into rule names; ValueError if unknown."""
    out: set[str] = set()
    for raw in names:
        item = raw.strip()
        if not item:
            continue
        rule = find_rule(item)
        if rule is not None:
            out.add(rule.name)
            continue
        upper = item.upper()
        matches = [r.name for r in all_rules() if upper == "ALL" or r.code.startswith(upper)]
        if not matches or not upper.startswith(("CC", "ALL")):
            raise ValueError(f"unknown {what} {item!r}{did_you_mean(item)} (see `cclint rules`)")
        out.update(matches)
    return out


def closest_rules(text: str) -> list[str]:
    """The rule names a mistyped name or code most likely meant (none when nothing is close)."""
    from cclint.spelling import closest

    key = text.strip().lower().replace("_", "-")
    close = closest(key, _index())
    if close:
        return [_index()[close].name]
    # a distinctive part of a name: `copy-back` -> missing-copy-back, copy-back-not-trapped
    return [r.name for r in all_rules() if len(key) >= 5 and key in r.name][:3]


def prefixed_rules(text: str) -> list[str]:
    """`CODE name` of each rule a code prefix such as `CC5` covers (none for another text):
    where one rule must be named, a prefix is not a misspelling of the nearest code."""
    prefix = text.strip().upper()
    if not prefix.startswith("CC"):
        return []
    return [f"{r.code} {r.name}" for r in all_rules() if r.code.startswith(prefix)]


def did_you_mean(text: str) -> str:
    """` (did you mean `NAME`?)`, or '' when no rule name is close."""
    close = closest_rules(text)
    return f" (did you mean {' or '.join(f'`{name}`' for name in close)}?)" if close else ""
