from cclint.diagnostics import Severity
from cclint.registry import Rule


class SbatchInScript(Rule):
    code = "CC502"
    name = "sbatch-in-script"
    family = "execution"
    severity = Severity.WARNING
    summary = "sbatch called from inside a job"
    rationale = """
Submitting jobs from a job is fragile: a loop of `sbatch` floods the scheduler (each job
counts against the 1000-job limit), a self-resubmitting job that fails can resubmit itself
forever, and some clusters (Trillium) forbid submission from compute nodes. Slurm has
built-in ways to chain work: job arrays with a throttle (`--array=1-10%1`) and
dependencies (`sbatch --dependency=afterok:JOBID next.sh` from the login node).
"""
    certain_when = ("`sbatch` run by the job (once, in a loop, or resubmitting itself): it works "
                    "on most clusters but floods the queue or can resubmit forever (warning).")
    silent_when = "`sbatch` in comments, strings and here-documents."
    fix = ("Submit from the login node: chain with `sbatch --dependency=afterok:$JOBID next.sh`, "
           "or use a job array for repeated steps (`--array=1-10%1`: ten steps, one at a time).")
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\npython step1.py\nsbatch step2.sh\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\npython step1.py\n"

    def check(self, script, ctx):
        for cmd in script.body.named("sbatch"):
            if cmd.in_loop:
                message = "`sbatch` in a loop submits one job per iteration from inside this job."
                fix = ("Use one job array, a task per iteration, indexed by $SLURM_ARRAY_TASK_ID "
                       "(`#SBATCH --array=1-10` for ten).")
            elif any(a in ("$0", "${0}", "${BASH_SOURCE[0]}") for a in cmd.args):
                message = ("The job resubmits itself with `sbatch`: if it fails early it can "
                           "resubmit itself forever.")
                fix = ("Prefer a job array with a throttle of 1 (`--array=1-10%1`: ten runs, one at a time) "
                       "that resumes from the last checkpoint; if you keep resubmission, do it only on a "
                       "positive test.")
            else:
                message = "`sbatch` inside a job submits another job from the compute node."
                fix = self.fix
            yield self.report(ctx, cmd.span, message, fix=fix)


RULE = SbatchInScript
