"""The command line (typer). `cclint PATH...` lints; `cclint rule NAME`, `cclint rules` explain.

Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 for a usage error or
a path that could not be read (every other path is still linted).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer
from typer.core import TyperGroup

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _DefaultToCheck(TyperGroup):
    """`cclint a.sh` means `cclint check a.sh`: any first word that is not a subcommand."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version", "-V")
                        and not args[0].startswith("--install-completion")
                        and not args[0].startswith("--show-completion")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToCheck, add_completion=True, rich_markup_mode=None, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Lint Slurm batch job scripts: `cclint job.sh`, `cclint submissions/`, `cclint rule NAME`.",
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        from cclint import __version__

        typer.echo(f"cclint {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """cclint: catch the mistakes in Slurm job scripts before they waste a queue wait."""


def fail(message: str) -> None:
    typer.echo(f"cclint: error: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _split(values: Optional[List[str]]) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _use_color(choice: Color, stream) -> bool:
    if choice == Color.always:
        return True
    if choice == Color.never or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


@app.command("check", help="Lint job scripts (the default command). Directories are searched "
             "for job scripts; `-` reads standard input.")
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or directories (default: .)."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rules (names or codes, comma-separated)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these rules (names or codes)."),
    fail_on: FailOn = typer.Option(FailOn.warning, "--fail-on", help="Lowest severity that makes the exit status 1."),
    submit_dir: Optional[str] = typer.Option(None, "--submit-dir", help="Directory you will run sbatch from: relative --output paths are checked there (default: current directory)."),
    slurm_version: Optional[str] = typer.Option(None, "--slurm-version", help="Slurm release of the target cluster, e.g. 23.02 (default: the profile's, else unknown)."),
    color: Color = typer.Option(Color.auto, "--color", help="Colour the text output."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Lint files in N processes "
                                       "(default: the number of cores; 1: in this process only)."),
) -> None:
    from pathlib import Path

    from cclint.diagnostics import Severity
    from cclint.discovery import targets
    from cclint.output import Report, renderer
    from cclint.parallel import lint_targets
    from cclint.registry import resolve_rules
    from cclint.runner import active_rules
    from cclint.settings import Settings
    from cclint.slurm_version import SlurmVersion

    try:
        selected = frozenset(resolve_rules(_split(select), "rule in --select")) if select else None
        ignored = frozenset(resolve_rules(_split(ignore), "rule in --ignore"))
        version = SlurmVersion.parse(slurm_version)
    except ValueError as exc:
        fail(str(exc))
    if submit_dir is not None and not Path(submit_dir).is_dir():
        fail(f"--submit-dir {submit_dir}: not a directory")
    settings = Settings(
        select=selected, ignore=ignored, slurm_version=version,
        fail_on=None if fail_on == FailOn.never else Severity.parse(fail_on.value),
        submit_dir=Path(submit_dir) if submit_dir else Path.cwd(),
    )
    rules = active_rules(settings)
    report = Report(fail_on=settings.fail_on)
    for result in lint_targets(targets(paths or ["."]), settings, rules, jobs):
        if result.error:
            typer.echo(f"cclint: error: {result.error}", err=True)
        for message in result.internal_errors:
            typer.echo(f"cclint: error: {result.path}: {message}", err=True)
        report.results.append(result)
    out = sys.stdout
    renderer(output_format.value).render(report, out, color=_use_color(color, out))
    out.flush()
    internal = any(r.internal_errors for r in report.results)
    if report.unreadable or internal:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if report.failed else EXIT_OK)


@app.command("rule", help="Explain a rule: why it matters, how to fix it, examples.")
def rule(name: str = typer.Argument(..., help="Rule name or code, e.g. missing-time or CC202.")) -> None:
    from cclint.docs import rule_markdown
    from cclint.registry import find_rule

    found = find_rule(name)
    if found is None:
        fail(f"unknown rule {name!r} (see `cclint rules`)")
    typer.echo(rule_markdown(found))


@app.command("rules", help="List every rule with its code, default severity and summary.")
def rules(
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
) -> None:
    import json

    from cclint.registry import all_rules

    if output_format == OutputFormat.json:
        typer.echo(json.dumps([r.describe() for r in all_rules()], indent=2, ensure_ascii=False))
        return
    for r in all_rules():
        default = "" if r.enabled_by_default else " (off by default)"
        typer.echo(f"{r.code}  {r.name:<32} {r.severity.label:<8} {r.summary}{default}")


def main() -> None:
    try:
        app(prog_name="cclint")
    except KeyboardInterrupt:
        sys.stderr.write("cclint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
