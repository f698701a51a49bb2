from cclint.diagnostics import Severity
from cclint.registry import Rule


class ParseIncomplete(Rule):
    code = "CC001"
    name = "parse-incomplete"
    family = "script"
    severity = Severity.INFO
    summary = "A part of the script could not be fully parsed"
    rationale = """
cclint parses the shell with bashlex. When a statement uses a construct bashlex cannot read
(even after cclint's own rewrites), cclint reads that statement word by word instead, so
commands there are still checked, but less precisely. This finding says which lines were
read that way, so that a missing finding there is not mistaken for a clean bill of health.
A statement bash itself refuses is reported by bash-syntax-error instead.
"""
    certain_when = ("Not a problem in the job: it notes a statement that bashlex "
                    "cannot read even after cclint's own rewrites, which cclint then reads word by "
                    "word, so findings there may be missing (info).")
    silent_when = ("Statements cclint parses, with its own reader or after its rewrites "
                   "(`$((...))`, `[[ ]]`, `case`, arrays, `for ((;;))`, here-documents...); "
                   "comments and blank lines; a statement bash refuses (bash-syntax-error reports it).")
    fix = "Check the statement with `bash -n FILE`; if bash accepts it, you can ignore this note."
    bad = "#!/bin/bash\n#SBATCH --time=00:10:00\nN=$[SLURM_ARRAY_TASK_ID + 1]\n"
    good = "#!/bin/bash\n#SBATCH --time=00:10:00\nN=$((SLURM_ARRAY_TASK_ID + 1))\n"

    def check(self, script, ctx):
        error = script.body.syntax_error
        refused = script.source.line_of(error.offset) if error is not None else 0
        for region in script.body.incomplete:
            if region.first_line <= refused <= region.last_line:
                continue  # bash refuses it: bash-syntax-error says so
            lines = f"line {region.first_line}" if region.first_line == region.last_line \
                else f"lines {region.first_line}-{region.last_line}"
            yield self.report(ctx, region.span,
                              f"Could not fully parse {lines} ({region.reason}); cclint read them "
                              "word by word, so findings there may be incomplete.")


RULE = ParseIncomplete
