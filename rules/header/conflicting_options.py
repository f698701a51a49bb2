from cclint.analysis.directives import conflicting, rejected, unless_a_release_accepts
from cclint.diagnostics import Severity
from cclint.registry import Rule


class ConflictingOptions(Rule):
    code = "CC108"
    name = "conflicting-options"
    family = "header"
    severity = Severity.ERROR
    summary = "Options that sbatch refuses to combine (e.g. --mem with --mem-per-cpu)"
    rationale = """
Some options exclude each other, and sbatch refuses the script when it finds both: more than
one of `--mem`, `--mem-per-cpu` and `--mem-per-gpu`; `--ntasks-per-gpu` with
`--gpus-per-task` or `--ntasks-per-node`; `--cpus-per-gpu` with `--cpus-per-task`; GPU counts
that cannot agree (`--gpus=3 --gpus-per-node=2`, `--gpus-per-task` with no task count);
`--mem-per-gpu` without any GPU; `--deadline` before `--begin`. A directive counts even when
the other option comes from the sbatch command line.
"""
    certain_when = ("Options that sbatch refuses together in the target release (more than one "
                    "memory option, GPU counts that cannot agree, `--mem-per-gpu` without GPUs, "
                    "`--deadline` before `--begin`...), options from sbatch's command line and "
                    "environment included. Warning: a combination the target release accepts but "
                    "newer ones refuse, one only the cluster's configuration decides, and, with "
                    "the release unknown, one that Slurm 22.05, 24.11 or 25.11 accepts "
                    "(`--gres=gpu:1` with `--gpus-per-node`).")
    silent_when = ("Consistent requests; a value a later one overrides before sbatch checks (only "
                   "the last counts); directives sbatch does not read.")
    fix = "Keep one of the options, or make the counts agree."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mem=16G\n#SBATCH --mem-per-cpu=4G\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mem=16G\n#SBATCH --cpus-per-task=4\npython x.py\n"

    def check(self, script, ctx):
        return unless_a_release_accepts(self, ctx, self._findings(script, ctx))

    def _findings(self, script, ctx):
        for combo in conflicting(ctx):
            where = combo.where
            names = " and ".join(dict.fromkeys(f"`{d.shown}`" for d in combo.directives))
            lines = combo.message.split("\n")
            if combo.stage == "note":
                yield self.report(ctx, where.span, f"{names}: {combo.message.rstrip('.')}.",
                                  fix=combo.hint, severity=self.at_most(ctx, Severity.WARNING))
                continue
            said = " / ".join(f"\"{m}\"" for m in lines)
            yield rejected(self.report(ctx, where.span, f"{names}: sbatch refuses the script: {said}.",
                                       fix=combo.hint))


RULE = ConflictingOptions
