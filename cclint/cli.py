"""The command line (typer). `cclint PATH...` lints; `cclint rule NAME`, `cclint rules` explain.

The executable starts in `cclint.main`; the work of `check` is in `cclint.check`.

Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 for a usage error or
a path that could not be read (every other path is still linted).
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import List, Optional

import typer
from typer.core import TyperGroup

from cclint.check import EXIT_OK, fail, run_check


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


# Options that set the configuration's top layer, declared once: `check` lints with them,
# `config` previews what they give.
SELECT = typer.Option(None, "--select", help="Only these rules (names or codes, comma-separated).")
EXTEND_SELECT = typer.Option(None, "--extend-select", help="Add rules to the default set (e.g. rules that are off by default).")
IGNORE = typer.Option(None, "--ignore", help="Skip these rules (names or codes).")
FAIL_ON = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit status 1 (default: warning).")
SUBMIT_DIR = typer.Option(None, "--submit-dir", help="Directory you will run sbatch from: relative --output paths are checked there (default: current directory).")
SLURM_VERSION = typer.Option(None, "--slurm-version", help="Slurm release of the target cluster, e.g. 23.02 (default: the profile's, else unknown).")
CLUSTER = typer.Option(None, "--cluster", help="Cluster profile to judge the scripts against: a name (see `cclint clusters`) or a profile file such as ./course.yaml (env CCLINT_CLUSTER; default: generic).")
CONFIG = typer.Option(None, "--config", help="Use this configuration file for every path (env CCLINT_CONFIG); no discovery.")
ISOLATED = typer.Option(False, "--isolated", help="Read no configuration file.")
NO_INLINE_CONFIG = typer.Option(False, "--no-inline-config", help="Ignore every `# cclint:` suppression comment (for graders).")


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
    select: Optional[List[str]] = SELECT,
    extend_select: Optional[List[str]] = EXTEND_SELECT,
    ignore: Optional[List[str]] = IGNORE,
    fail_on: Optional[FailOn] = FAIL_ON,
    submit_dir: Optional[str] = SUBMIT_DIR,
    slurm_version: Optional[str] = SLURM_VERSION,
    cluster: Optional[str] = CLUSTER,
    config: Optional[str] = CONFIG,
    isolated: bool = ISOLATED,
    no_inline_config: bool = NO_INLINE_CONFIG,
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
    run_check(
        paths, output_format=output_format.value if output_format else None, output_file=output_file,
        statistics=statistics, select=select, extend_select=extend_select, ignore=ignore,
        fail_on=fail_on.value if fail_on else None, submit_dir=submit_dir, slurm_version=slurm_version,
        cluster=cluster, config=config, isolated=isolated, no_inline_config=no_inline_config, fix=fix,
        unsafe_fixes=unsafe_fixes, diff=diff, exit_non_zero_on_fix=exit_non_zero_on_fix,
        force_exclude=force_exclude, only_job_scripts=only_job_scripts, report=report,
        report_format=report_format.value, color=color.value, jobs=jobs)


@app.command("config", help="Show the effective configuration for a path, and where each value comes from "
             "(with the settings options of `cclint check`: what they would give).")
def config_command(
    path: str = typer.Argument(".", help="A job script or a directory (default: .)."),
    config: Optional[str] = CONFIG,
    isolated: bool = ISOLATED,
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
    schema: bool = typer.Option(False, "--schema", help="Print the JSON Schema of the configuration (for editors)."),
    select: Optional[List[str]] = SELECT,
    extend_select: Optional[List[str]] = EXTEND_SELECT,
    ignore: Optional[List[str]] = IGNORE,
    fail_on: Optional[FailOn] = FAIL_ON,
    submit_dir: Optional[str] = SUBMIT_DIR,
    slurm_version: Optional[str] = SLURM_VERSION,
    cluster: Optional[str] = CLUSTER,
    no_inline_config: bool = NO_INLINE_CONFIG,
) -> None:
    from cclint.check import command_line_settings
    from cclint.config import ConfigError, Resolver, presets

    if schema:
        import json

        from cclint.config.schema import json_schema

        typer.echo(json.dumps(json_schema(), indent=2))
        return
    try:
        values, labels = command_line_settings(select, extend_select, ignore, fail_on.value if fail_on else None,
                                               submit_dir, slurm_version, cluster, no_inline_config)
        effective = Resolver(config_file=config, isolated=isolated, cli=values, cli_labels=labels).effective(path)
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
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    import json

    from cclint.profiles import list_profiles

    found = list_profiles()
    if output_format == ListFormat.json:
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
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    import json

    from cclint.profiles import ProfileError, effective_data, load_profile

    try:
        profile = load_profile(name)
    except ProfileError as exc:
        fail(str(exc))
    data = effective_data(profile)
    notices = ([profile.retired.notice()] if profile.retired else []) + list(profile.warnings)
    if output_format == ListFormat.json:
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
    from cclint.registry import did_you_mean, find_rule

    found = find_rule(name)
    if found is None:
        fail(f"unknown rule {name!r}{did_you_mean(name)} (see `cclint rules`)")
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

