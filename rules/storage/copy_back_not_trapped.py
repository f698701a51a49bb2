from cclint.analysis.storage import copy_backs
from cclint.diagnostics import Severity
from cclint.registry import Rule


class CopyBackNotTrapped(Rule):
    code = "CC304"
    name = "copy-back-not-trapped"
    family = "storage"
    severity = Severity.INFO
    summary = "Results are copied back only by the last commands: a timeout loses them"
    rationale = """
When a job reaches its time limit, Slurm kills it: the copy-back lines at the end of the
script never run and $SLURM_TMPDIR is erased. Asking Slurm for a warning signal a few
minutes before the limit (`--signal=B:USR1@300`) and copying back from a `trap` (or an EXIT
trap) saves the results even then.
"""
    certain_when = ("Results are copied back from node-local storage only by plain final commands, "
                    "with no `trap`: a job killed at its time limit loses them. Good practice, not "
                    "a certain loss (info).")
    silent_when = ("A copy-back in a `trap` (a function or a string, on a signal or EXIT); no "
                   "copy-back at all (missing-copy-back's); copies into node-local storage.")
    fix = ("Add `#SBATCH --signal=B:USR1@300`, put the copy-back in a function, and call it from "
           "`trap save USR1 EXIT` (run the main command with `&` then `wait` so the trap can fire).")
    bad = ("#!/bin/bash\n#SBATCH --time=01:00:00\ncd $SLURM_TMPDIR\npython ~/train.py\n"
           "cp -r results ~/scratch/out\n")
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --signal=B:USR1@300\n"
            "save() { cp -r $SLURM_TMPDIR/results ~/scratch/out; }\ntrap save USR1 EXIT\n"
            "cd $SLURM_TMPDIR\npython ~/train.py &\nwait\n")

    def check(self, script, ctx):
        backs = ctx.cached("copy-backs", lambda: copy_backs(script.flow, script.source.text))
        if not backs or any(b.step.in_trap for b in backs):
            return
        first = backs[0].step.command
        yield self.report(ctx, first.span,
                          "The results are copied back only here, at the end of the script: if the "
                          "job hits its time limit, this line never runs and the results are lost.")


RULE = CopyBackNotTrapped
