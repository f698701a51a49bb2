from cclint.analysis.storage import copy_backs, results_written_locally
from cclint.diagnostics import Severity
from cclint.registry import Rule


class MissingCopyBack(Rule):
    code = "CC303"
    name = "missing-copy-back"
    family = "storage"
    severity = Severity.ERROR
    summary = "Results are written to $SLURM_TMPDIR and never copied back"
    rationale = """
$SLURM_TMPDIR (and /tmp) is a disk inside the compute node, erased as soon as the job ends.
A job that works there (it `cd`s there before the main command, or writes its outputs,
checkpoints or logs there) must copy the results to /project, /scratch or /home before it
ends; otherwise the hours of computation are lost with the node's disk.

An explicit output there (an output option, `KEY=`, or a redirect) is an error; a command
that only runs there, or an output variable exported there, is a warning, and is not
reported when the job names shared storage for its outputs. Files a later command reads
are intermediates, not results.
"""
    certain_when = ("Error, the loss is certain: an output option, output `KEY=` or redirect of a "
                    "work command points into node-local storage, and no later "
                    "`cp`/`rsync`/`mv`/`scp`/`tar c`/`zip`, upload (`aws s3`, `gsutil`, `rclone`) "
                    "or `trap` copies from there to shared storage or a remote. Warning, the loss "
                    "is likely: the command only runs with its working directory there, the job "
                    "exports an output variable there (`export OUT_DIR=$SLURM_TMPDIR/out`), or one "
                    "command writes some outputs there and others to shared storage.")
    silent_when = ("Intermediates: a node-local output that a later command reads or runs, or "
                   "whose path names data with more work after it (`prep.py -o "
                   "$SLURM_TMPDIR/data/splits`, then `train.py`); for the likely cases, a job that "
                   "names shared storage for its outputs (an output option or redirect there, an "
                   "output variable such as `CKPT_DIR=~/scratch/ckpt`); setup commands (`tar`, "
                   "`pip`, `sed`, downloads...), which write no results.")
    fix = ("Copy the results back at the end: `cp -r $SLURM_TMPDIR/results $SLURM_SUBMIT_DIR/results_$SLURM_JOB_ID` "
           "(the fix names the project directory the script uses, if any; for safety, copy in a trap too, "
           "see copy-back-not-trapped).")
    bad = ("#!/bin/bash\n#SBATCH --time=01:00:00\ncd $SLURM_TMPDIR\n"
           "python ~/code/train.py --out results\n")
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\ncd $SLURM_TMPDIR\n"
            "python ~/code/train.py --out results\ncp -r results ~/scratch/run_$SLURM_JOB_ID\n")

    def check(self, script, ctx):
        written = results_written_locally(script.flow)
        if written is None:
            return
        step = written.step
        backs = ctx.cached("copy-backs", lambda: copy_backs(script.flow, script.source.text))
        if any(b.step.in_trap or b.step.order > step.order for b in backs):
            return
        command = step.command.name
        if written.certain:
            yield self.report(ctx, step.command.span,
                              f"`{command}` {written.how}, on the node-local disk erased at the end of "
                              "the job, and nothing copies the results back to shared storage.", fix=_fix(script))
        else:  # inferred from where it runs or from the environment: likely, not certain
            yield self.report(ctx, step.command.span,
                              f"`{command}` {written.how}, on the node-local disk erased at the end of "
                              "the job: whatever it writes there is lost, since nothing copies it back "
                              "to shared storage.", severity=self.at_most(ctx, Severity.WARNING),
                              fix=_fix(script))


def _fix(script) -> str:
    from cclint.analysis.suggest import results_destination

    return (f"Copy the results back at the end: `cp -r $SLURM_TMPDIR/results {results_destination(script)}` "
            "(and, for safety, in a trap, see copy-back-not-trapped).")


RULE = MissingCopyBack
