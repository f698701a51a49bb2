from cclint.diagnostics import Severity
from cclint.registry import Rule
from cclint.shell.interpreter import BASH_GRAMMAR

# The keyword that closes each construct bash can leave open at the end of the file.
_CLOSERS = {"if": "`fi`", "case": "`esac`", "for": "`done`", "select": "`done`", "while": "`done`",
            "until": "`done`", "{": "`}`", "(": "`)`", "[[": "`]]`", "$(": "`)`"}


class BashSyntaxError(Rule):
    code = "CC006"
    name = "bash-syntax-error"
    family = "script"
    severity = Severity.ERROR
    summary = "bash refuses the script: a syntax error stops the job there"
    rationale = """
bash reads a job script one command at a time. At a syntax error it stops: the job ends
there with exit code 2, after running the commands above, and everything below never runs.
Template text left in a command (`source <path/to/venv>`, `conda activate <ENV>`: bash reads
`<` and `>` as redirections), a quote never closed, or an `if` without its `fi` are the
usual causes. cclint reports the first error, with bash's own message and line (what
`bash -n job.sh` prints), without running anything. It stays silent where it cannot be sure
bash refuses the script, and on scripts for another interpreter (`#!/usr/bin/env python3`).
"""
    certain_when = ("bash itself refuses the script (what `bash -n` reports: `<...>` read as "
                    "redirections, an unclosed quote, `if` without `fi`): the job stops at that line. "
                    "cclint follows bash's grammar over its own tokens and reports the first error.")
    silent_when = ("Constructs bash accepts that cclint cannot read (parse-incomplete); lines where "
                   "cclint is not sure bash refuses them (extended globs or aliases the script turns "
                   "on, see tests/differential/SYNTAX_FINDINGS.md); scripts for another interpreter, "
                   "and zsh or ksh scripts.")
    fix = "Correct the line (`bash -n job.sh` checks the script without running it)."
    bad = "#!/bin/bash\n#SBATCH --time=00:10:00\nconda activate <ENV_NAME>\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=00:10:00\nconda activate torch\npython train.py\n"

    def check(self, script, ctx):
        problem = script.body.syntax_error
        if problem is None or script.interpreter not in BASH_GRAMMAR:
            return
        source = script.source
        said = f"bash refuses the script at line {problem.line}: {problem.message}"
        if not problem.opened:
            yield self.report(ctx, problem.line, f"{said}. The job stops there, after running the "
                              "commands above.", fix=_fix(problem, source.line(problem.line)))
            return
        line = source.line_of(problem.offset)
        if problem.opened == "function":
            what = "the function defined here has no body"
        elif problem.opened in _CLOSERS:
            what = f"the `{problem.opened}` opened here is never closed by {_CLOSERS[problem.opened]}"
        else:  # && || |
            what = f"the command after this `{problem.opened}` is missing"
        yield self.report(ctx, line, f"{said} ({what}). The job stops there, after running the "
                          "commands above.",
                          fix="Close it (`bash -n job.sh` checks the script without running it).")


def _fix(problem, line: str) -> str:
    if "`newline'" in problem.message and "<" in line and ">" in line:
        return "Replace the `<...>` template text with the real value: bash reads `<` and `>` as redirections."
    if problem.message.startswith("unexpected EOF while looking for matching"):
        return "Close the quote opened on this line (or escape it: `\\\"`, `\\'`)."
    return BashSyntaxError.fix


RULE = BashSyntaxError
