"""The command line (typer). `cclint PATH...` lints; `cclint rule NAME`, `cclint rules` explain.

The executable starts in `cclint.main`, which sends lint command lines to `cclint.check`
without typer; this module serves the rest (other subcommands, --help, completion, usage
errors). `check`'s options are built from the table in `cclint.arguments`.

Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 for a usage error or
a path that could not be read (every other path is still linted).
"""

from __future__ import annotations

import inspect
import sys
from enum import Enum
from typing import Any, List, Optional

import typer
from typer.core import TyperGroup

from cclint.arguments import CHECK_OPTIONS, COMMANDS, PATHS_HELP, SETTINGS_OPTIONS, options_named
from cclint.check import EXIT_OK, fail, run_check
from cclint.submit import FORCE, FORCE_HELP


class _DefaultToCheck(TyperGroup):
    """`cclint a.sh` means `cclint check a.sh`: any first word that is not a subcommand."""

    def parse_args(self, ctx, args):
        if ctx.resilient_parsing and not args:  # shell completion of the first word: the subcommands
            return super().parse_args(ctx, args)
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version", "-V")
                        and not args[0].startswith("--install-completion")
                        and not args[0].startswith("--show-completion")):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx, incomplete):
        """`cclint --sel<TAB>`: an option as the first word is one of `check` (implied) too."""
        results = super().shell_complete(ctx, incomplete)
        if incomplete.startswith("-"):
            check = self.commands["check"]
            seen = {item.value for item in results}
            with check.make_context("check", [], parent=ctx, resilient_parsing=True) as sub:
                results.extend(item for item in check.shell_complete(sub, incomplete) if item.value not in seen)
        return results


app = typer.Typer(
    cls=_DefaultToCheck, add_completion=True, rich_markup_mode=None, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Lint Slurm batch job scripts: `cclint job.sh`, `cclint submissions/`, `cclint rule NAME`.",
)


class ListFormat(str, Enum):
    text = "text"
    json = "json"


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


def _complete_rules(incomplete: str) -> list[tuple[str, str]]:
    """Rule names and codes; after a comma, the next item of the list."""
    from cclint.registry import all_rules

    head, comma, last = incomplete.rpartition(",")
    found = [(word, r.summary) for r in all_rules() for word in (r.name, r.code)
             if word.lower().startswith(last.lower())]
    return [(head + comma + word, summary) for word, summary in found]


def _complete_clusters(incomplete: str) -> list[tuple[str, str]]:
    from cclint.profiles import list_profiles

    return [(p.name, p.description) for p in list_profiles() if p.name.startswith(incomplete)]


COMPLETERS = {"rules": _complete_rules, "clusters": _complete_clusters}


def table_options(function, options) -> None:
    """Add options of the table (cclint.arguments) to a command function that takes them as
    `**options`: its typer signature is its own parameters, then theirs."""
    own = [p for p in inspect.signature(function, eval_str=True).parameters.values()
           if p.kind is not inspect.Parameter.VAR_KEYWORD]
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
    for opt in options:
        annotation: Any = {"flag": bool, "text": Optional[str], "list": Optional[List[str]],
                           "int": Optional[int]}.get(opt.kind)
        default = opt.default
        extra: dict = {}
        if opt.kind == "choice":
            annotation = Enum(opt.dest, [(c, c) for c in opt.choices], type=str)
            default = annotation(default) if default is not None else None
            annotation = Optional[annotation] if default is None else annotation
        if opt.minimum is not None:
            extra["min"] = opt.minimum
        if opt.complete:
            extra["autocompletion"] = COMPLETERS[opt.complete]
        option = typer.Option(default, *opt.names, help=opt.help, metavar=opt.metavar, **extra)
        params.append(inspect.Parameter(opt.dest, inspect.Parameter.KEYWORD_ONLY, default=option,
                                        annotation=annotation))
    function.__signature__ = inspect.Signature(params)
    function.__annotations__ = {p.name: p.annotation for p in params}


def plain(options: dict) -> dict:
    """The values of table options as run_check takes them (text, not Enum members)."""
    return {key: value.value if isinstance(value, Enum) else value for key, value in options.items()}


def check(paths: Optional[List[str]] = typer.Argument(None, help=PATHS_HELP), **options) -> None:
    run_check(paths, **plain(options))


table_options(check, CHECK_OPTIONS)
app.command("check", help=COMMANDS["check"])(check)


@app.command("sbatch", help=COMMANDS["sbatch"], context_settings={"allow_extra_args": True,
                                                                   "ignore_unknown_options": True})
def sbatch(ctx: typer.Context, force: bool = typer.Option(False, FORCE, help=FORCE_HELP)) -> None:
    from cclint.submit import main

    main([FORCE, *ctx.args] if force else ctx.args)  # (cclint.main calls it directly but for --help)


def config_command(
    path: str = typer.Argument(".", help="A job script or a directory (default: .)."),
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
    schema: bool = typer.Option(False, "--schema", help="Print the JSON Schema of the configuration (for editors)."),
    **options,
) -> None:
    from cclint.check import command_line_settings
    from cclint.config import ConfigError, Resolver, presets

    if schema:
        import json

        from cclint.config.schema import json_schema

        typer.echo(json.dumps(json_schema(), indent=2))
        return
    try:
        options = plain(options)
        config, isolated = options.pop("config"), options.pop("isolated")
        values, labels = command_line_settings(**options)
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
    typer.echo(f"Precedence: defaults < CC_CLUSTER (the cluster) < extends < config file < CCLINT_* < command line. "
               f"Presets: {', '.join(presets())}.")


table_options(config_command, options_named("config", "isolated", *SETTINGS_OPTIONS))
app.command("config", help=COMMANDS["config"])(config_command)


@app.command("clusters", help=COMMANDS["clusters"])
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
              ("retired", "Retired clusters (checked against their replacement, or as they were)"))
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


@app.command("cluster", help=COMMANDS["cluster"])
def cluster(
    name: str = typer.Argument(..., help="Profile name (see `cclint clusters`) or path to a profile file.",
                               autocompletion=_complete_clusters),
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


@app.command("convert", help=COMMANDS["convert"])
def convert_command(
    path: str = typer.Argument(..., help="The PBS script (- for standard input)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Target cluster profile (default: generic; env CCLINT_CLUSTER)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the Slurm script to this file (atomically; an existing file, the input above all, only with --force)."),
    account: Optional[str] = typer.Option(None, "--account", help="Your account on the target cluster (it also names your project folder)."),
    force: bool = typer.Option(False, "--force", help="Let -o replace an existing file."),
) -> None:
    from cclint.convert import run

    raise typer.Exit(run(path, cluster, output, account, force))


@app.command("rule", help=COMMANDS["rule"])
def rule(name: str = typer.Argument(..., help="Rule name or code, e.g. missing-time or CC202.",
                                    autocompletion=_complete_rules)) -> None:
    from cclint.docs import rule_markdown
    from cclint.registry import did_you_mean, find_rule

    found = find_rule(name)
    if found is None:
        from cclint.registry import prefixed_rules

        several = prefixed_rules(name)
        if several:
            fail(f"{name!r} is a prefix of several rules: {', '.join(several)} (name one)")
        fail(f"unknown rule {name!r}{did_you_mean(name)} (see `cclint rules`)")
    typer.echo(rule_markdown(found))


@app.command("rules", help=COMMANDS["rules"])
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


def server(**options) -> None:
    try:
        from cclint.lsp.server import serve
    except ImportError:
        fail("`cclint server` needs pygls: install cclint with its `lsp` extra, e.g. "
             "pip install -e '.[lsp]'")
    serve(options["config"], options["isolated"])


table_options(server, options_named("config", "isolated"))
app.command("server", help=COMMANDS["server"])(server)
