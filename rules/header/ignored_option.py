from cclint.analysis.directives import issues, without_effect
from cclint.diagnostics import Severity
from cclint.registry import Rule

_EARLY = {
    "wrap": "sbatch reads --wrap only on its command line (`sbatch --wrap=\"cmd\"`)",
    "help": "it only means something on the command line",
    "usage": "it only means something on the command line",
    "version": "it only means something on the command line",
    "verbose": "use `sbatch -v job.sh` (or SBATCH_DEBUG) to get sbatch's details",
    "quiet": "use `sbatch -Q job.sh` on the command line",
}


class IgnoredOption(Rule):
    code = "CC112"
    name = "ignored-option"
    family = "header"
    severity = Severity.WARNING
    summary = "An option sbatch accepts but ignores, drops or overrides without a word"
    rationale = """
sbatch accepts some directives and then does nothing with them: `--wrap`, `-v`, `--quiet`
and `--help` only work on its command line; `--hint` is dropped when `--ntasks-per-core`,
`--cores-per-socket`, `--sockets-per-node`, `--threads-per-core` or `-B` is also given;
unknown `--mail-type` words are dropped (`END,FAILED` means END only). Others only make
sense together with another option: `--mail-user` without `--mail-type` sends no mail,
`--kill-on-invalid-dep` needs `--dependency`, `--time-min` needs `--time`, `--gpu-bind`
needs GPUs. No error appears, so the job silently runs without what you asked for.
"""
    certain_when = ("An option sbatch accepts and drops: a command-line-only option (`--wrap`, "
                    "`--help`, `-v`), `--hint` beside an explicit layout, an unknown `--mail-type` "
                    "word, an option without the companion it needs (`--mail-user` without "
                    "`--mail-type`, `--time-min` without `--time`). The job runs without it "
                    "(warning).")
    silent_when = ("Options given with their companion; `--hint` where the target release keeps it "
                   "(22.05, next to `--sockets-per-node`).")
    fix = "Remove the option, or add what it needs (shown with each finding)."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mail-user=ana@umontreal.ca\npython x.py\n"
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mail-user=ana@umontreal.ca\n"
            "#SBATCH --mail-type=END,FAIL\npython x.py\n")

    def check(self, script, ctx):
        for d in script.header.directives:
            if d.problem is not None and d.problem.kind == "early-pass":
                why = _EARLY.get(d.name, "it only means something on the command line")
                yield self.report(ctx, d.span, f"`{d.shown}` is ignored in a job script: {why}.",
                                  fix="Remove the line" + (", and run the command in the script body."
                                                           if d.name == "wrap" else "."))
        for issue in issues(ctx):
            if issue.category == "ignored":
                d = issue.directive
                yield self.report(ctx, d.value_span or d.span, f"`{d.shown}`: {issue.message}.",
                                  fix=f"Accepted: {issue.hint}.")
        for combo in without_effect(ctx):
            yield self.report(ctx, combo.where.span, f"`{combo.where.shown}`: {combo.message}.",
                              fix=combo.hint)


RULE = IgnoredOption
