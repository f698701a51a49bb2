from cclint.analysis.limits import minutes_text, source
from cclint.analysis.resources import shown, time_limit
from cclint.diagnostics import Severity
from cclint.registry import Rule


class TimeBelowMinimum(Rule):
    code = "CC602"
    name = "time-below-minimum"
    family = "cluster"
    severity = Severity.INFO
    summary = "--time is shorter than the cluster's minimum job length"
    rationale = """
Scheduling a job costs the scheduler and the node as much for five minutes of work as for
five hours. The Alliance asks production jobs to last at least an hour (5 minutes for a
test); Trillium refuses jobs shorter than 15 minutes. Many short jobs are better bundled
into one longer job (a loop, GNU parallel, META). Silent without a `--cluster` profile.
"""
    certain_when = ("`--time` below the profile's minimum job length: a recommendation on the "
                    "Alliance clusters (1 h for production jobs, 5 min for tests: info), an error "
                    "on Trillium, which refuses jobs under 15 minutes.")
    silent_when = "No time limit or an unlimited one; profiles without a minimum (generic, Mila)."
    fix = "Bundle short tasks into one longer job (a loop, GNU parallel or META), or ask for the cluster's minimum."
    bad = "#!/bin/bash\n#SBATCH --time=00:10:00\npython step.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\nfor i in $(seq 1 6); do python step.py $i; done\n"
    example_profile = "trillium"

    def check(self, script, ctx):
        profile = ctx.profile
        policy = profile.time
        if policy.min is None:
            return
        asked, d = time_limit(script.header)
        if asked is None or asked.unlimited or asked.negative or asked.minutes >= policy.min:
            return
        length = f"`{shown(d)}` ({minutes_text(asked.minutes)})"
        cited = source(profile, policy.url)
        if policy.min_test is not None and asked.minutes >= policy.min_test:
            message = (f"{length} is shorter than the {minutes_text(policy.min)} that production jobs "
                       f"on {profile.name} should last: fine for a test, but bundle short tasks into "
                       f"longer jobs ({cited}).")
        elif policy.min_test is not None:
            message = (f"{length} is shorter than the {minutes_text(policy.min_test)} minimum even for "
                       f"a test job on {profile.name} (production jobs: {minutes_text(policy.min)}) "
                       f"({cited}).")
        else:
            message = f"{length} is below the {minutes_text(policy.min)} minimum on {profile.name} ({cited})."
        yield self.report(ctx, d.span, message)


RULE = TimeBelowMinimum
