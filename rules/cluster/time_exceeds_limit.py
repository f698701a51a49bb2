from cclint.analysis.limits import minutes_text, source
from cclint.analysis.resources import shown, time_limit
from cclint.diagnostics import Severity
from cclint.header.values import format_minutes
from cclint.registry import Rule


class TimeExceedsLimit(Rule):
    code = "CC601"
    name = "time-exceeds-limit"
    family = "cluster"
    severity = Severity.ERROR
    summary = "--time is above the cluster's maximum walltime"
    rationale = """
Every cluster caps the walltime of a job (7 days on most Alliance clusters, 24 hours on
Trillium and tamIA). A longer `--time` is refused at submission, or the job stays pending
forever with the reason `PartitionTimeLimit`. Long runs should be split into chunks that
resume from a checkpoint. Silent without a `--cluster` profile that gives the limit.
"""
    certain_when = ("`--time` above the profile's maximum walltime, or no limit where there is "
                    "one: the job is refused or never starts.")
    silent_when = ("Limits within the maximum; profiles without a documented limit (generic, "
                   "Killarney); invalid values (invalid-option-value's); directives sbatch does "
                   "not read.")
    fix = ("Ask for at most the cluster's maximum, and split longer work into chunks that resume "
           "from a checkpoint, run one after the other by an array with a throttle of 1 "
           "(`#SBATCH --array=1-4%1` for four chunks).")
    bad = "#!/bin/bash\n#SBATCH --time=36:00:00\npython train.py --resume\n"
    good = "#!/bin/bash\n#SBATCH --time=24:00:00\npython train.py --resume\n"
    example_profile = "trillium"

    def check(self, script, ctx):
        profile = ctx.profile
        limit = profile.time.max
        if limit is None:
            return
        asked, d = time_limit(script.header)
        if asked is None or asked.negative:
            return
        if asked.unlimited:
            what = f"`{shown(d)}` asks for no time limit, beyond"
        elif asked.minutes > limit:
            what = f"`{shown(d)}` ({minutes_text(asked.minutes)}) is above"
        else:
            return
        chunks = f"{-(-asked.minutes // limit)} chunks" if not asked.unlimited else "chunks"
        array = f"`#SBATCH --array=1-{-(-asked.minutes // limit)}%1`" if not asked.unlimited else \
            "an array with a throttle of 1 (`#SBATCH --array=1-4%1` for four)"
        yield self.report(
            ctx, d.span,
            f"{what} the {minutes_text(limit)} maximum walltime on {profile.name}: the job is refused "
            f"or never starts ({source(profile, profile.time.url)}).",
            fix=f"Ask for at most `--time={format_minutes(limit)}` on {profile.name}, and split the work "
                f"into {chunks} that resume from a checkpoint, run one after the other: {array}.")


RULE = TimeExceedsLimit
