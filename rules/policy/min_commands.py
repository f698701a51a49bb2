from cclint.diagnostics import Severity
from cclint.registry import Option, Rule


class MinCommands(Rule):
    code = "CC901"
    name = "min-commands"
    family = "policy"
    severity = Severity.WARNING
    needs_shell_body = True
    enabled_by_default = False
    summary = "The script has fewer commands than the course expects (course policy)"
    rationale = """
A course policy, not a Slurm rule. A workshop's instructions build the job script step by
step (modules, virtual environment, data copied to `$SLURM_TMPDIR`, training, results
copied back); a script much shorter than that usually means a step was skipped. The IFT780
workshop says it in its FAQ: "if your script has fewer than 10 commands, re-read the
instructions". Every simple command of the body counts, including a bare assignment such as
`OUTDIR=...`; comments, blank lines and `#SBATCH` lines do not. Enable it with
`extend-select: [min-commands]` and set `options: {min-commands: {threshold: N}}`.
"""
    certain_when = ("Fewer simple commands in the body than the configured `threshold` (default "
                    "10): a step is probably missing, not certainly (warning).")
    silent_when = ("Comments, blank lines and `#SBATCH` lines, which do not count; a body that is not "
                   "shell (`#!/usr/bin/env python3`), whose statements are not commands; off by default.")
    fix = "Re-read the instructions: a step is probably missing (environment, data copy, copy-back)."
    options = {"threshold": Option("int", 10, "fewest commands a complete script has", minimum=1)}
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\nmodule load python/3.11\npython train.py\n"
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\nmodule load python/3.11\ncd $SLURM_TMPDIR\n"
            "virtualenv --no-download env\nsource env/bin/activate\npip install --no-index -r ~/req.txt\n"
            "mkdir data\ncp ~/projects/def-sponsor00/$USER/data.tar data/\ntar xf data/data.tar -C data\n"
            "python ~/code/train.py ./data\nOUTDIR=~/projects/def-sponsor00/$USER/out_$SLURM_JOB_ID\n"
            "mkdir -p $OUTDIR\ncp -r lightning_logs $OUTDIR\n")

    def check(self, script, ctx):
        threshold = ctx.option(self, "threshold")
        count = len(script.body.commands)
        if count >= threshold:
            return
        where = script.body.commands[0].line if script.body.commands else 1
        what = "no command" if not count else f"only {count} command{'s' if count != 1 else ''}"
        yield self.report(ctx, where, f"The script has {what}; a complete job for this course has at "
                          f"least {threshold}: re-read the instructions.")


RULE = MinCommands
