"""The command line's words, declared once: the subcommands and the options of `check`.

Two readers, one table:

- `parse_check` reads a lint command line (`cclint [check] [OPTIONS] PATH...`) without
  typer; `cclint.main` uses it for every lint run, so that no option costs typer's import
  (about 80 ms, as long as the rest of a run);
- `cclint.cli` builds the typer command from the same entries: `--help`, usage errors
  (an unknown option, a bad value) and shell completion. `parse_check` hands typer any
  command line it does not accept, so typer has the last word on every mistake.

Adding an option to `cclint check` is one `Opt(...)` entry in `CHECK_OPTIONS` and a keyword
of the same name in `cclint.check.run_check` (tests/test_cli.py checks that they agree).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time: imported for type checkers only
if TYPE_CHECKING:
    from typing import Any

# Subcommand -> its help (cclint.cli registers exactly these). `cclint PATH` means `check`.
COMMANDS = {
    "check": "Lint job scripts (the default command). Directories are searched for job scripts; `-` "
             "reads standard input. Settings come from the closest .cclint.yaml or [tool.cclint] (see "
             "`cclint config`), then CCLINT_* variables, then these options.",
    "sbatch": "Submit a job through cclint: `cclint sbatch [SBATCH OPTIONS] SCRIPT [ARGS...]` lints the "
              "script as sbatch will see it (these options over the SBATCH_* variables over its #SBATCH "
              "lines; the options are checked like directives), then runs the real sbatch with the same "
              "arguments, unless an error was found. `alias sbatch='cclint sbatch'` makes it the habit. "
              "sbatch's own help: `command sbatch --help`.",
    "config": "Show the effective configuration for a path, and where each value comes from (with the "
              "settings options of `cclint check`: what they would give).",
    "clusters": "List the cluster profiles that --cluster accepts.",
    "cluster": "Show a cluster profile as cclint uses it (merged with what it extends).",
    "rule": "Explain a rule: why it matters, how to fix it, examples.",
    "rules": "List every rule with its code, default severity and summary.",
    "convert": "Rewrite a PBS/Torque/Moab job script as a Slurm script for a cluster: directives, "
               "variables and storage paths translated, the request made valid for the profile, what "
               "could not be decided explained in comments. Printed, or written with -o.",
    "server": "Run the language server for editors (LSP over standard input/output). Needs the `lsp` "
              "extra (pygls).",
}

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


class Opt:
    """One option. `kind`: flag (on/off), text, list (repeatable; each value a comma list),
    int, or choice (one of `choices`). `complete` names what shell completion offers for
    a text or list value: "rules" or "clusters" (choices complete themselves)."""

    __slots__ = ("dest", "names", "help", "kind", "choices", "default", "minimum", "metavar", "complete")

    def __init__(self, dest: str, names: tuple[str, ...], help: str, kind: str = "flag",
                 choices: tuple[str, ...] = (), default: Any = None, minimum: int | None = None,
                 metavar: str | None = None, complete: str | None = None):
        self.dest, self.names, self.help, self.kind = dest, names, help, kind
        self.choices, self.minimum, self.metavar, self.complete = choices, minimum, metavar, complete
        self.default = False if kind == "flag" else default


# The options of `cclint check`, in the order of `--help`. `dest` is run_check's keyword.
CHECK_OPTIONS = (
    Opt("output_format", ("--format", "-f"), "Output format (default: text; github when "
        "GITHUB_ACTIONS=true; env CCLINT_FORMAT).", "choice", FORMATS),
    Opt("output_file", ("--output-file", "-o"), "Write the output to this file.", "text"),
    Opt("statistics", ("--statistics",), "Count findings per rule (text: instead of the list)."),
    Opt("select", ("--select",), "Only these rules (names or codes, comma-separated).", "list",
        complete="rules"),
    Opt("extend_select", ("--extend-select",), "Add rules to the default set (e.g. rules that are "
        "off by default).", "list", complete="rules"),
    Opt("ignore", ("--ignore",), "Skip these rules (names or codes).", "list", complete="rules"),
    Opt("fail_on", ("--fail-on",), "Lowest severity that makes the exit status 1 (default: warning).",
        "choice", ("error", "warning", "info", "never")),
    Opt("submit_dir", ("--submit-dir",), "Directory you will run sbatch from: relative --output paths "
        "are checked there (default: current directory).", "text"),
    Opt("slurm_version", ("--slurm-version",), "Slurm release of the target cluster, e.g. 23.02 "
        "(default: the profile's, else unknown).", "text"),
    Opt("cluster", ("--cluster",), "Cluster profile to judge the scripts against: a name (see "
        "`cclint clusters`) or a profile file such as ./course.yaml (env CCLINT_CLUSTER; default: the "
        "cluster this shell runs on, from CC_CLUSTER, else generic).", "text", complete="clusters"),
    Opt("config", ("--config",), "Use this configuration file (or preset name) for every path (env "
        "CCLINT_CONFIG); no discovery.", "text"),
    Opt("isolated", ("--isolated",), "Read no configuration file but --config's, nor the shell's SBATCH_* "
        "and CC_CLUSTER (grading: a student's own .cclint.yaml does not count, nor the grader's shell)."),
    Opt("no_inline_config", ("--no-inline-config",), "Ignore every `# cclint:` suppression comment "
        "(for graders)."),
    Opt("no_env", ("--no-env",), "Judge the files alone, not this shell: ignore its SBATCH_* variables "
        "(which sbatch would apply) and its CC_CLUSTER (env CCLINT_NO_ENV=1). For CI and grading."),
    Opt("stdin_filename", ("--stdin-filename",), "With `-`: the path of the script read from standard "
        "input (editors): findings carry it, and its configuration is found from it, as for the file.",
        "text", metavar="PATH"),
    Opt("fix", ("--fix",), "Apply safe fixes to the files."),
    Opt("unsafe_fixes", ("--unsafe-fixes",), "With --fix or --diff: also apply unsafe fixes (they "
        "change what the job does)."),
    Opt("diff", ("--diff",), "Print the fixes as a unified diff and change nothing (exit 1 if there is "
        "a diff)."),
    Opt("exit_non_zero_on_fix", ("--exit-non-zero-on-fix",), "With --fix: exit 1 when a file was "
        "changed, even if nothing remains (pre-commit)."),
    Opt("force_exclude", ("--force-exclude",), "Apply `exclude` to files named on the command line "
        "too (pre-commit)."),
    Opt("only_job_scripts", ("--only-job-scripts",), "Skip named files that are not job scripts, as "
        "in a directory (pre-commit): a .sbatch/.slurm/.job/.pbs name, an #SBATCH/#PBS line, or a .sh "
        "using $SLURM_... or srun."),
    Opt("report", ("--report",), "Grading: one table over a folder of submissions (one sub-folder "
        "per student)."),
    Opt("report_format", ("--report-format",), "Format of --report.", "choice",
        ("text", "markdown", "json"), default="text"),
    Opt("report_dir", ("--report-dir",), "Grading: write one Markdown feedback file per submission and "
        "index.html (class summary) into this folder; implies --report.", "text", metavar="OUT"),
    Opt("color", ("--color",), "Colour the text output.", "choice", ("auto", "always", "never"),
        default="auto"),
    Opt("jobs", ("--jobs", "-j"), "Lint files in N processes (default: the number of cores; 1: in this "
        "process only).", "int", minimum=1),
)
PATHS_HELP = "Files or directories (default: .)."
# The options that set the configuration's top layer: `check` lints with them, `config`
# previews what they give (cclint.check.command_line_settings takes exactly these).
SETTINGS_OPTIONS = ("select", "extend_select", "ignore", "fail_on", "submit_dir", "slurm_version", "cluster",
                    "no_inline_config", "no_env")

_BY_NAME = {name: opt for opt in CHECK_OPTIONS for name in opt.names}


def options_named(*dests: str) -> tuple[Opt, ...]:
    """Some options of `check`, for another command that takes them too (same declaration)."""
    found = {opt.dest: opt for opt in CHECK_OPTIONS}
    return tuple(found[dest] for dest in dests)


def parse_check(args: list[str]) -> dict | None:
    """run_check's keywords for a lint command line, or None: typer must read it (a
    subcommand, --help, or anything this parser does not accept, which typer reports)."""
    if args[:1] == ["check"]:
        args = args[1:]
    elif args[:1] and args[0] in COMMANDS:
        return None
    call: dict = {opt.dest: opt.default for opt in CHECK_OPTIONS}
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            paths.extend(args[i:])
            break
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        if arg.startswith("--"):
            name, eq, attached = arg.partition("=")
        else:  # -f json, -fjson
            name, attached = arg[:2], arg[2:]
            eq = "=" if attached else ""
        opt = _BY_NAME.get(name)
        if opt is None:
            return None
        if opt.kind == "flag":
            if eq:
                return None
            call[opt.dest] = True
            continue
        if not eq:
            if i >= len(args):
                return None
            attached = args[i]
            i += 1
        value = _value(opt, attached)
        if value is None:
            return None
        if opt.kind == "list":
            call[opt.dest] = [*(call[opt.dest] or []), value]
        else:
            call[opt.dest] = value
    call["paths"] = paths or None
    return call


def _value(opt: Opt, text: str) -> Any:
    """The value as typer would give it, or None where typer would refuse it."""
    if opt.kind == "choice":
        return text if text in opt.choices else None
    if opt.kind == "int":
        try:
            number = int(text)
        except ValueError:
            return None
        return number if opt.minimum is None or number >= opt.minimum else None
    return text
