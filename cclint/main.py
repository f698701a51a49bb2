"""The `cclint` executable (and `python -m cclint`).

A plain `cclint PATH...` (paths only: no option, no subcommand), the most common run and
the one on every commit, goes straight to `cclint.check.run_check`; anything else goes
through the typer command line (`cclint.cli`), which calls the same function with the same
defaults. So typer's import (about 60 ms, a third of a run) is paid only when it is used.
"""

from __future__ import annotations

import sys

SUBCOMMANDS = ("check", "config", "clusters", "cluster", "rule", "rules")  # as cclint.cli declares


def plain_paths(args: list[str]) -> bool:
    return bool(args) and args[0] not in SUBCOMMANDS and all(a == "-" or not a.startswith("-") for a in args)


def main() -> None:
    args = sys.argv[1:]
    try:
        if plain_paths(args):
            from cclint.check import run_check

            run_check(args)
        from cclint.cli import app

        app(prog_name="cclint")
    except KeyboardInterrupt:
        sys.stderr.write("cclint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(2)
