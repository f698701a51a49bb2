"""The `cclint` executable (and `python -m cclint`).

The common command lines, made only of paths and plain on/off flags (`cclint job.sh`, the
pre-commit hooks' `cclint check --force-exclude --only-job-scripts FILES`), go straight to
`cclint.check.run_check`. Anything else (an option with a value, a subcommand, --help, a
mistake) goes through the typer command line, `cclint.cli`, which calls the same function
with the same defaults. So typer's import (about 60 ms, a third of a run) is paid only
when it is used; tests/test_cli.py checks that both routes agree.
"""

from __future__ import annotations

import sys

SUBCOMMANDS = ("check", "config", "clusters", "cluster", "rule", "rules", "server", "convert")  # as cclint.cli declares
FLAGS = {  # on/off options of `check` (as cclint.cli declares them) -> run_check's argument
    "--fix": "fix", "--unsafe-fixes": "unsafe_fixes", "--diff": "diff",
    "--exit-non-zero-on-fix": "exit_non_zero_on_fix", "--force-exclude": "force_exclude",
    "--only-job-scripts": "only_job_scripts", "--statistics": "statistics", "--isolated": "isolated",
    "--no-inline-config": "no_inline_config",
}


def direct_call(args: list[str]) -> dict | None:
    """run_check's arguments for a command line of paths and flags; None when typer is needed."""
    if args[:1] == ["check"]:
        args = args[1:]
    elif args[:1] and args[0] in SUBCOMMANDS:
        return None
    call: dict = {"paths": []}
    for arg in args:
        if arg in FLAGS:
            call[FLAGS[arg]] = True
        elif arg == "-" or not arg.startswith("-"):
            call["paths"].append(arg)
        else:
            return None
    return call if call["paths"] else None


def main() -> None:
    try:
        call = direct_call(sys.argv[1:])
        if call is not None:
            from cclint.check import run_check

            run_check(**call)
        from cclint.cli import app

        app(prog_name="cclint")
    except KeyboardInterrupt:
        sys.stderr.write("cclint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(2)
