"""The per-file pipeline: read -> model -> rules -> suppressions -> diagnostics.

Imports go one way: runner -> suppress -> registry -> context (what a rule may consult).

`lint_source` never raises for any input text: the model is built to survive anything, and a
rule that fails is reported as an internal error instead of stopping the other rules.
"""

from __future__ import annotations

import gc
import os
import stat
import sys

from cclint.context import Context
from cclint.diagnostics import Diagnostic
from cclint.record import field, record
from cclint.registry import Rule, all_rules
from cclint.script import Script
from cclint.settings import Settings
from cclint.source import SourceFile

MAX_BYTES = 10 * 1024 * 1024  # slurmctld refuses scripts over 4 MiB by default (facts §3)
STDIN = "-"


class InputError(Exception):
    """A path that cannot be linted: the message is one line for the user."""


@record
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None  # could not be read: one-line message
    internal_errors: list[str] = field(default_factory=list)
    source: SourceFile | None = None
    incomplete: int = 0  # statements bashlex could not parse, and a syntax error (no fix may add one)
    settings: Settings | None = None  # what it was linted with (fail-on may differ per file)
    fixed: int = 0  # findings whose fix --fix applied
    found: int | None = None  # after --fix changed the file: the findings it had before


def active_rules(settings: Settings) -> list[Rule]:
    rules = []
    for cls in all_rules():
        selected = (settings.select is not None and cls.name in settings.select) \
            or cls.name in settings.extend_select
        if settings.select is not None and not selected:
            continue
        if settings.select is None and not cls.enabled_by_default and not selected:
            continue
        if not selected and settings.profile.rule_setting(cls.name) == "off":
            continue
        if cls.name in settings.ignore:
            continue
        rules.append(cls())
    return rules


def lint_source(source: SourceFile, settings: Settings, rules: list[Rule] | None = None) -> FileResult:
    # The model of a script is many small objects alive until its rules are done, and no
    # cycles: the cyclic collector, run every few thousand allocations, would walk them over
    # and over (a fifth of the time on a 20,000-line script). It waits until the file is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _lint_source(source, settings, rules)
    finally:
        if was_enabled:
            gc.enable()


def _lint_source(source: SourceFile, settings: Settings, rules: list[Rule] | None) -> FileResult:
    result = FileResult(source.path, source=source, settings=settings)
    try:
        script = Script.build(source, settings.version, settings.environment, settings.command_line)
    except Exception as exc:  # a bug in the model: report it, and let the other files be linted
        result.internal_errors.append(
            f"internal error while reading the script ({type(exc).__name__}: {exc}); please report it")
        return result
    ctx = Context(settings, script, source.path)
    result.incomplete = len(script.body.incomplete) + (script.body.syntax_error is not None)
    rules = rules if rules is not None else active_rules(settings)
    skipped = settings.ignored_for(source.path)
    if skipped:
        rules = [r for r in rules if r.name not in skipped]
    if source.is_blank:
        rules = [r for r in rules if not r.needs_content]
    if not script.is_shell:
        rules = [r for r in rules if not r.needs_shell_body]
    ctx.active = frozenset(r.name for r in rules)
    check_rules(rules, script, ctx, result)
    if settings.inline_config and "cclint" in source.text.lower():
        from cclint.suppress import apply_suppressions

        try:
            result.diagnostics = apply_suppressions(script, ctx, result.diagnostics, {r.name for r in rules})
        except Exception as exc:  # never lose the findings to a bug in the suppression pass
            result.internal_errors.append(
                f"internal error in suppression comments ({type(exc).__name__}: {exc}); please report it")
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result


def check_rules(rules: list[Rule], script: Script, ctx: Context, result: FileResult) -> None:
    """Add each rule's findings to `result`, with the configured severities; a rule that
    fails is an internal error, and the others still run."""
    for rule in rules:
        try:
            found = list(rule.check(script, ctx))
        except Exception as exc:  # a bug in one rule must not hide the others
            result.internal_errors.append(
                f"internal error in rule {rule.name} ({type(exc).__name__}: {exc}); please report it")
            continue
        override = ctx.settings.severity.get(rule.name)
        for diag in found:
            if override is not None:
                diag.severity = override
            result.diagnostics.append(diag)


def lint_text(text: str, settings: Settings | None = None, path: str = "<string>") -> FileResult:
    return lint_source(SourceFile.from_text(text, path), settings or Settings())


def read_source(path: str, display: str | None = None) -> SourceFile:
    """Read a file (or stdin for '-') into a SourceFile, or raise InputError."""
    shown = display or path
    if path == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None or sys.stdin.closed:
            raise InputError("cannot read standard input (it is closed)")
        try:
            raw = stream.read(MAX_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read standard input: {exc}") from None
        return _checked(shown if display else "<stdin>", raw)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file or directory") from None
    except PermissionError:
        raise InputError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{shown}: is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{shown}: not a regular file (a FIFO, socket or device is never read)")
    if info.st_size > MAX_BYTES:
        raise InputError(f"{shown}: file too large ({info.st_size // 1048576} MiB; the limit is "
                         f"{MAX_BYTES // 1048576} MiB, and Slurm refuses scripts over 4 MiB by default)")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(info.st_size + 1)  # (asking for MAX_BYTES + 1 allocates that much)
            if len(raw) > info.st_size:  # it grew since stat(): read on, up to the limit
                raw += fh.read(MAX_BYTES + 1 - len(raw))
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file or directory (it disappeared while linting)") from None
    except PermissionError:
        raise InputError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({_reason(exc)})") from None
    return _checked(shown, raw)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _checked(shown: str, raw: bytes) -> SourceFile:
    if len(raw) > MAX_BYTES:
        raise InputError(f"{shown}: input too large (over {MAX_BYTES // 1048576} MiB)")
    if b"\x00" in raw:
        raise InputError(f"{shown}: binary file (it contains NUL bytes), not a job script")
    return SourceFile.from_bytes(shown, raw)


def lint_path(path: str, settings: Settings, rules: list[Rule] | None = None,
              display: str | None = None) -> FileResult:
    try:
        source = read_source(path, display)
    except InputError as exc:
        return FileResult(display or path, error=str(exc))
    return lint_source(source, settings, rules)
