from cclint.analysis.limits import source
from cclint.analysis.resources import shown
from cclint.diagnostics import Severity
from cclint.registry import Rule


class PartitionDiscouraged(Rule):
    code = "CC608"
    name = "partition-discouraged"
    family = "cluster"
    severity = Severity.WARNING
    summary = "--partition on a cluster where the scheduler should choose it"
    rationale = """
On the Alliance clusters the scheduler places each job in a partition from its time limit
and resources (by-node and by-core pools, walltime tiers). A partition chosen by hand,
often copied from another cluster's script, is refused or restricts the job to a few nodes
so that it waits longer. Only the partitions a cluster documents for users (such as
Trillium's `debug`) are fine. Silent without a `--cluster` profile that says so.
"""
    certain_when = ("`--partition` naming one not documented for users, on a profile where the "
                    "scheduler chooses the partition (Alliance): refused or slower to start, "
                    "depending on the partition (warning).")
    silent_when = ("Partitions documented for users (Trillium's `debug`); profiles where "
                   "partitions are the interface (Mila) or whose policy is not documented.")
    fix = "Remove the --partition line: ask for the time and resources the job needs instead."
    bad = "#!/bin/bash\n#SBATCH --time=03:00:00\n#SBATCH --partition=gpubase_bygpu_b3\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=03:00:00\npython train.py\n"
    example_profile = "fir"

    def check(self, script, ctx):
        profile = ctx.profile
        policy = profile.partitions
        if policy.policy != "discouraged":
            return
        d = script.header.get("partition")
        if d is None or not d.value:
            return
        names = [n.strip() for n in d.value.split(",") if n.strip()]
        chosen = [n for n in names if n not in policy.allowed]
        if not chosen:
            return
        allowed = f" (only {', '.join(policy.allowed)} may be named there)" if policy.allowed else ""
        yield self.report(
            ctx, d.span,
            f"`{shown(d)}`: on {profile.name} the scheduler chooses the partition from --time and the "
            f"resources{allowed}; a partition picked by hand is refused or makes the job wait "
            f"({source(profile, policy.url)}).")


RULE = PartitionDiscouraged
