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
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


class ReportFormat(str, Enum):
    text = "text"
    markdown = "markdown"
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
             "for job scripts; `-` reads standard input. Settings come from the closest .cclint.yaml "
             "or [tool.cclint] (see `cclint config`), then CCLINT_* variables, then these options.")
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or directories (default: .)."),
    output_format: Optional[OutputFormat] = typer.Option(
        None, "--format", "-f", help="Output format (default: text; github when GITHUB_ACTIONS=true; "
        "env CCLINT_FORMAT)."),
    output_file: Optional[str] = typer.Option(None, "--output-file", "-o", help="Write the output to this file."),
    statistics: bool = typer.Option(False, "--statistics", help="Count findings per rule (text: instead of the list)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rules (names or codes, comma-separated)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Add rules to the default set (e.g. rules that are off by default)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these rules (names or codes)."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit status 1 (default: warning)."),
    submit_dir: Optional[str] = typer.Option(None, "--submit-dir", help="Directory you will run sbatch from: relative --output paths are checked there (default: current directory)."),
    slurm_version: Optional[str] = typer.Option(None, "--slurm-version", help="Slurm release of the target cluster, e.g. 23.02 (default: the profile's, else unknown)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Cluster profile to judge the scripts against: a name (see `cclint clusters`) or a profile file such as ./course.yaml (env CCLINT_CLUSTER; default: generic)."),
    config: Optional[str] = typer.Option(None, "--config", help="Use this configuration file for every path (env CCLINT_CONFIG); no discovery."),
    isolated: bool = typer.Option(False, "--isolated", help="Read no configuration file."),
    no_inline_config: bool = typer.Option(False, "--no-inline-config", help="Ignore every `# cclint:` suppression comment (for graders)."),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes to the files."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With --fix or --diff: also apply unsafe fixes (they change what the job does)."),
    diff: bool = typer.Option(False, "--diff", help="Print the fixes as a unified diff and change nothing (exit 1 if there is a diff)."),
    exit_non_zero_on_fix: bool = typer.Option(False, "--exit-non-zero-on-fix", help="With --fix: exit 1 when a file was changed, even if nothing remains (pre-commit)."),
    force_exclude: bool = typer.Option(False, "--force-exclude", help="Apply `exclude` to files named on the command line too (pre-commit)."),
    only_job_scripts: bool = typer.Option(False, "--only-job-scripts", help="Skip named files that are not job scripts (by suffix or an #SBATCH/#PBS line), as in a directory (pre-commit)."),
    report: bool = typer.Option(False, "--report", help="Grading: one table over a folder of submissions (one sub-folder per student)."),
    report_format: ReportFormat = typer.Option(ReportFormat.text, "--report-format", help="Format of --report."),
    color: Color = typer.Option(Color.auto, "--color", help="Colour the text output."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Lint files in N processes "
                                       "(default: the number of cores; 1: in this process only)."),
) -> None:
    from cclint.config import ConfigError, Resolver

    if unsafe_fixes and not (fix or diff):
        fail("--unsafe-fixes applies with --fix or --diff")
    if report and (fix or diff):
        fail("--report does not fix files; run --fix or --diff without --report")
    if report and output_format is not None:
        fail("--report has its own formats: use --report-format text|markdown|json")
    paths = paths or ["."]
    if report and (len(paths) != 1 or not os.path.isdir(paths[0])):
        fail("--report takes one folder of submissions (one sub-folder per student)")
    if fix and not diff and "-" in paths:
        fail("--fix cannot rewrite standard input; use --diff to see the changes")
    fmt = _choose_format(output_format)

    cli_values = {
        "select": _split(select) if select else None,
        "extend-select": _split(extend_select) if extend_select else None,
        "ignore": _split(ignore) if ignore else None,
        "fail-on": fail_on.value if fail_on is not None else None,
        "submit-dir": submit_dir,
        "slurm-version": slurm_version,
        "cluster": cluster,
        "inline-config": False if no_inline_config else None,
    }
    labels = {key: f"--{key}" for key in cli_values}
    labels["inline-config"] = "--no-inline-config"
    try:
        resolver = Resolver(config_file=config, isolated=isolated, cli=cli_values, cli_labels=labels,
                            root=paths[0] if report else None)
        results = _lint_all(resolver, paths, force_exclude, only_job_scripts, fix, diff, unsafe_fixes, report,
                            jobs)
    except ConfigError as exc:
        fail(str(exc))

    if diff:
        _finish_diff(results)
    from cclint.output import Report

    rep = Report(results=[r for r, _, _ in results], fixing=fix, with_statistics=statistics)
    if report:
        from cclint import grading

        _emit(output_file, lambda out: grading.render(report_format.value, paths[0],
                                                       grading.collect(paths[0], rep.results), out))
    else:
        from cclint.output import renderer

        module = renderer(fmt)
        _emit(output_file, lambda out: module.render(rep, out, color=output_file is None and fmt == "text"
                                                      and _use_color(color, out)))
        if statistics and fmt in ("sarif", "gitlab", "junit"):
            from cclint.output import statistics_table

            sys.stderr.write(statistics_table(rep))
    internal = any(r.internal_errors for r in rep.results)
    if rep.unreadable or internal:
        raise typer.Exit(EXIT_ERROR)
    if fix and exit_non_zero_on_fix and any(changed for _, changed, _ in results):
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_FINDINGS if rep.failed else EXIT_OK)


def _choose_format(given) -> str:
    if given is not None:
        return given.value
    env = os.environ.get("CCLINT_FORMAT", "").strip().lower()
    if env:
        if env not in OutputFormat.__members__:
            fail(f"environment variable CCLINT_FORMAT: unknown format {env!r} "
                 f"(choose from {', '.join(OutputFormat.__members__)})")
        return env
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


def _emit(output_file: Optional[str], write) -> None:
    if output_file is None:
        out = sys.stdout
        write(out)
        out.flush()
        return
    import io

    buffer = io.StringIO()
    write(buffer)
    try:
        with open(output_file, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(buffer.getvalue())
    except OSError as exc:
        fail(f"--output-file {output_file}: {exc.strerror or exc}")


_NOTIFIED: set[int] = set()


def _profile_notices(profile) -> None:
    """Once per profile: a retired cluster's replacement, and the profile's own warnings."""
    if id(profile) in _NOTIFIED:
        return
    _NOTIFIED.add(id(profile))
    retired = getattr(profile, "retired", None)
    if retired is not None:
        typer.echo(f"cclint: note: {retired.notice()}", err=True)
    for warning in getattr(profile, "warnings", ()):
        typer.echo(f"cclint: warning: {warning}", err=True)


def _lint_all(resolver, paths, force_exclude, only_job_scripts, fix, diff, unsafe, grading=False, jobs=None):
    """Lint (and fix) every target; returns [(FileResult, changed, diff bytes or None)].

    When grading, each script's submit directory is its own folder (where the student
    runs sbatch), unless a configuration, CCLINT_SUBMIT_DIR or --submit-dir sets one."""
    from dataclasses import replace
    from pathlib import Path

    from cclint.discovery import is_job_script, targets
    from cclint.parallel import lint_targets
    from cclint.runner import active_rules

    # Settings and rules are resolved here, file by file; linting may then run in processes.
    rules_for: dict[int, tuple] = {}  # id(settings) -> (settings, kept alive; its rules)
    groups: list[tuple] = []  # the distinct (settings, rules) that files are linted with
    group_of: dict[int, int] = {}  # id(settings) -> index in groups
    work = []  # (target, group index)
    for target in targets(paths):
        effective = resolver.effective(target.path)
        settings = effective.settings
        if settings.excluded(target.path) and (not target.explicit or force_exclude):
            continue
        if target.explicit and only_job_scripts and target.path != "-" and os.path.isfile(target.path) \
                and not is_job_script(target.path):
            continue
        if id(settings) not in rules_for:
            rules_for[id(settings)] = (settings, active_rules(settings))
            _profile_notices(settings.profile)
        rules = rules_for[id(settings)][1]
        if grading and "submit-dir" not in effective.explicit:
            settings = replace(settings, submit_dir=Path(os.path.dirname(os.path.abspath(target.path))))
        if id(settings) not in group_of:
            group_of[id(settings)] = len(groups)
            groups.append((settings, rules))
        work.append((target, group_of[id(settings)]))

    out = []
    for (target, group), result in zip(work, lint_targets(work, groups, jobs)):
        settings, rules = groups[group]
        if result.error:
            typer.echo(f"cclint: error: {result.error}", err=True)
        for message in result.internal_errors:
            typer.echo(f"cclint: error: {result.path}: {message}", err=True)
        changed, patch = False, None
        if (fix or diff) and result.source is not None and not result.error:
            changed, patch = _fix_one(target, result, settings, rules, unsafe, write=fix and not diff)
        out.append((result, changed, patch))
    return out


def _fix_one(target, result, settings, rules, unsafe: bool, write: bool) -> tuple[bool, bytes | None]:
    """Fix one file: write it (atomically) or return its diff."""
    from cclint.fixer import fix_source, unified_diff, write_atomic
    from cclint.runner import lint_source
    from cclint.source import SourceFile

    def run(src):
        linted = lint_source(src, settings, rules)
        return linted.diagnostics, linted.incomplete

    outcome = fix_source(result.source, run, unsafe=unsafe)
    for d in outcome.refused:
        typer.echo(f"cclint: note: {result.path}:{d.line}: fix for {d.rule} not applied: it would make "
                   "the script unparsable", err=True)
    if not outcome.converged:
        typer.echo(f"cclint: warning: {result.path}: fixes did not converge; the file may need another run",
                   err=True)
    if not outcome.changed:
        return False, None
    data = outcome.encoded()
    if not write:
        from cclint.output import display_path

        return True, unified_diff(outcome, display_path(result.path).lstrip("/"))
    try:
        write_atomic(target.path, data)
    except OSError as exc:
        result.internal_errors.append(f"cannot write the fixed file ({exc.strerror or exc}); it is unchanged")
        typer.echo(f"cclint: error: {result.path}: cannot write the fixed file ({exc.strerror or exc}); "
                   "it is unchanged", err=True)
        return False, None
    result.source = SourceFile.from_bytes(result.path, data)
    result.diagnostics = outcome.diagnostics
    result.fixed = len(outcome.applied)
    return True, None


def _finish_diff(results) -> None:
    out = getattr(sys.stdout, "buffer", None)
    changed = 0
    for result, was_changed, patch in results:
        if was_changed and patch:
            changed += 1
            if out is not None:
                out.write(patch)
            else:
                sys.stdout.write(patch.decode("utf-8", "replace"))
    if out is not None:
        out.flush()
    unreadable = any(r.error or r.internal_errors for r, _, _ in results)
    files = sum(1 for r, _, _ in results if not r.error)
    typer.echo(f"{changed} of {files} file{'s' if files != 1 else ''} would be changed by the fixes "
               "(nothing was written).", err=True)
    raise typer.Exit(EXIT_ERROR if unreadable else EXIT_FINDINGS if changed else EXIT_OK)


@app.command("config", help="Show the effective configuration for a path, and where each value comes from.")
def config_command(
    path: str = typer.Argument(".", help="A job script or a directory (default: .)."),
    config: Optional[str] = typer.Option(None, "--config", help="Use this configuration file."),
    isolated: bool = typer.Option(False, "--isolated", help="Read no configuration file."),
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
    schema: bool = typer.Option(False, "--schema", help="Print the JSON Schema of the configuration (for editors)."),
) -> None:
    from cclint.config import ConfigError, Resolver, presets

    if schema:
        import json

        from cclint.config.schema import json_schema

        typer.echo(json.dumps(json_schema(), indent=2))
        return
    try:
        effective = Resolver(config_file=config, isolated=isolated).effective(path)
    except ConfigError as exc:
        fail(str(exc))
    if output_format == ListFormat.json:
        import json

        typer.echo(json.dumps({"path": path, "config_file": effective.config_file,
                               "settings": [{"key": k, "value": v, "origin": o} for k, v, o in effective.lines]},
                              indent=2, ensure_ascii=False))
        return
    width = max(len(k) for k, _, _ in effective.lines)
    typer.echo(f"Effective configuration for {path}:")
    for key, value, origin in effective.lines:
        typer.echo(f"  {key:<{width}}  {value}" + (f"    ({origin})" if origin else ""))
    typer.echo(f"Precedence: defaults < extends < config file < CCLINT_* < command line. "
               f"Presets: {', '.join(presets())}.")


@app.command("clusters", help="List the cluster profiles that --cluster accepts.")
def clusters(
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
) -> None:
    import json

    from cclint.profiles import list_profiles

    found = list_profiles()
    if output_format == OutputFormat.json:
        typer.echo(json.dumps([vars(p) for p in found], indent=2, ensure_ascii=False))
        return
    groups = (("active", "Clusters"), ("policy", "Shared policies (extended by the clusters)"),
              ("retired", "Retired clusters (checked against their replacement)"))
    width = max(len(p.name) for p in found)
    for status, title in groups:
        members = [p for p in found if p.status == status]
        if not members:
            continue
        typer.echo(f"{title}:")
        for p in members:
            typer.echo(f"  {p.name:<{width}}  {p.description}")
        typer.echo("")
    typer.echo("Use one with `cclint --cluster NAME job.sh`; `cclint cluster NAME` shows its limits. "
               "A profile file of your own: `--cluster ./my-course.yaml` (`extends: narval`).")


@app.command("cluster", help="Show a cluster profile as cclint uses it (merged with what it extends).")
def cluster(
    name: str = typer.Argument(..., help="Profile name (see `cclint clusters`) or path to a profile file."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
) -> None:
    import json

    from cclint.profiles import ProfileError, effective_data, load_profile

    try:
        profile = load_profile(name)
    except ProfileError as exc:
        fail(str(exc))
    data = effective_data(profile)
    notices = ([profile.retired.notice()] if profile.retired else []) + list(profile.warnings)
    if output_format == OutputFormat.json:
        data["chain"] = list(profile.chain)
        data["notices"] = notices
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False
    yaml.width = 1000
    for line in notices:
        typer.echo(f"# note: {line}")
    typer.echo(f"# profile {profile.name}: {' -> '.join(profile.chain)} ({profile.source})")
    yaml.dump(data, sys.stdout)


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
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    import json

    from cclint.registry import all_rules

    if output_format == ListFormat.json:
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
