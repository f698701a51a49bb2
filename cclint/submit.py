"""`cclint sbatch [SBATCH OPTIONS] SCRIPT [ARGS...]`: a submission guard.

The script is linted as sbatch will see it: its #SBATCH lines, under this shell's SBATCH_*
variables, under the options of this command line (header/external.py). The options are
also validated like directives, with findings on the command line. No error: the real
`sbatch` found on PATH replaces this process, with the same arguments (same output, same
exit status). An error: the findings are printed and nothing is submitted, unless
`--force` (which is not passed on). cclint's own output goes to standard error, so that
`jobid=$(sbatch --parsable job.sh)` reads sbatch's answer only.
"""

from __future__ import annotations

import os
import shutil
import sys

from cclint.check import EXIT_ERROR, EXIT_FINDINGS, say

FORCE = "--force"
FORCE_HELP = "Submit even when an error is found (the findings are still printed)."
# Options that make sbatch print something and exit: nothing to check.
_INFO = {"-h", "--help", "--usage", "-V", "--version"}
# Rules that read the header's own directives one by one: they validate the command line.
COMMAND_LINE_RULES = ("unknown-option", "invalid-option-value", "misleading-value", "placeholder-value",
                      "ignored-option")


def main(args: list[str]) -> None:
    """Lint, then exec sbatch or exit 1 (2 when there is no sbatch to run)."""
    from cclint.header.external import split_command_line

    options, rest = split_command_line(args)
    force = FORCE in options
    if force:
        args = [a for i, a in enumerate(args) if not (a == FORCE and i < len(options))]
        options = [a for a in options if a != FORCE]
    sbatch = _real_sbatch()
    stdin_data = None
    if not _INFO.intersection(o.partition("=")[0] for o in options):
        stdin_data = _stdin_script(options, rest)
        errors = _lint(args, options, rest, stdin_data)
        if errors and not force:
            say(f"cclint: not submitted: {errors} error{'s' if errors != 1 else ''} above "
                 f"(`cclint sbatch {FORCE} ...` submits anyway)")
            raise SystemExit(EXIT_FINDINGS)
    if sbatch is None:
        say("cclint: error: no `sbatch` on PATH: nothing was submitted")
        raise SystemExit(EXIT_ERROR)
    sys.stdout.flush()
    sys.stderr.flush()
    if stdin_data is not None:  # sbatch reads the script from standard input: give it back
        import tempfile

        copy = tempfile.TemporaryFile()
        copy.write(stdin_data)
        copy.seek(0)
        os.dup2(copy.fileno(), 0)
    os.execv(sbatch, ["sbatch", *args])


def _real_sbatch() -> str | None:
    """The first `sbatch` on PATH that is not this program (a wrapper named sbatch)."""
    me = os.path.realpath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        found = shutil.which("sbatch", path=folder or ".")
        if found and os.path.realpath(found) != me:
            return found
    return None


def _stdin_script(options: list[str], rest: list[str]) -> bytes | None:
    """sbatch reads the script from standard input when none is named (and no --wrap)."""
    if rest[:1] and rest[0] != "--" or any(o.startswith("--wrap") for o in options):
        return None
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None or sys.stdin.closed:
        return None
    return stream.read()


def _lint(args: list[str], options: list[str], rest: list[str], stdin_data: bytes | None) -> int:
    """Print the findings (standard error); the number of errors."""
    from cclint.check import fail, use_color
    from cclint.config import ConfigError, Resolver
    from cclint.diagnostics import Severity
    from cclint.output import Report
    from cclint.record import replace
    from cclint.runner import lint_path, lint_source
    from cclint.source import SourceFile

    rest = rest[1:] if rest[:1] == ["--"] else rest
    script = rest[0] if rest else None
    try:  # the shell's environment applies whatever the configuration says: it is sbatch's
        resolver = Resolver(cli={"env": True}, cli_labels={"env": "cclint sbatch"})
        settings = resolver.settings_for(script or "-")
    except ConfigError as exc:
        fail(str(exc))
    settings = replace(settings, command_line=tuple(args))
    if script is not None:
        result = lint_path(script, settings, display=script)
    elif stdin_data is not None:
        result = lint_source(SourceFile.from_bytes("<stdin>", stdin_data), settings)
    else:  # --wrap: sbatch writes the script itself
        wrap = next(o.partition("=")[2] for o in options if o.startswith("--wrap"))
        text = f"#!/bin/sh\n# This script was created by sbatch --wrap.\n\n{wrap}\n"
        result = lint_source(SourceFile.from_text(text, "--wrap"), settings)
    if result.error:  # sbatch says it itself
        result.diagnostics = []
    command_line = _command_line_result(args, settings)
    moved = [d for d in result.diagnostics if d.path == command_line.path]
    result.diagnostics = [d for d in result.diagnostics if d.path != command_line.path]
    seen = {(d.rule, d.line, d.column, d.message) for d in command_line.diagnostics}
    command_line.diagnostics += [d for d in moved if (d.rule, d.line, d.column, d.message) not in seen]
    command_line.diagnostics.sort(key=lambda d: d.sort_key)
    results = [command_line, result]
    for r in results:  # what may stop or matter to a submission: errors and warnings
        r.diagnostics = [d for d in r.diagnostics if d.severity >= Severity.WARNING]
    from cclint.output.text import render_findings

    render_findings(Report(results=results), sys.stderr, color=use_color("auto", sys.stderr))
    return sum(1 for r in results for d in r.diagnostics if d.severity >= Severity.ERROR)


def _command_line_result(args: list[str], settings):
    """The options of the command line checked like directives, as a file of their own."""
    from cclint.context import Context
    from cclint.header.external import COMMAND_LINE, command_line_header, command_line_source
    from cclint.runner import FileResult, active_rules, check_rules
    from cclint.script import Script
    from cclint.source import SourceFile

    source, _ = command_line_source(args)
    script = Script.build(SourceFile.from_text("", COMMAND_LINE), settings.version)
    script.source, script.header = source, command_line_header(args, settings.version)
    ctx = Context(settings, script, COMMAND_LINE)
    result = FileResult(COMMAND_LINE, source=source, settings=settings)
    rules = [r for r in active_rules(settings) if r.name in COMMAND_LINE_RULES]
    ctx.active = frozenset(r.name for r in rules)
    check_rules(rules, script, ctx, result)
    return result
