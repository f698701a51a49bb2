"""The `cclint` executable (and `python -m cclint`).

Every lint command line (`cclint [check] [OPTIONS] PATH...`) is read by
`cclint.arguments.parse_check` and goes straight to `cclint.check.run_check`, and
`cclint sbatch ...` to `cclint.submit`, so that neither pays typer's import (about 80 ms,
as long as the rest of a run). Other subcommands, --help, shell completion and any command
line the small parser does not accept go through the typer command line, `cclint.cli`,
declared from the same table of options.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    try:
        args = sys.argv[1:]
        if args[:1] == ["sbatch"] and args[1:] not in (["-h"], ["--help"]):
            from cclint.submit import main as submit

            submit(args[1:])
        call = None if "_CCLINT_COMPLETE" in os.environ else _parse(args)
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


def _parse(args: list[str]) -> dict | None:
    from cclint.arguments import parse_check

    return parse_check(args)
