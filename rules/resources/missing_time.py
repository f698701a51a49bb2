from cclint.diagnostics import Severity
from cclint.registry import Rule


class MissingTime(Rule):
    code = "CC202"
    name = "missing-time"
    family = "resources"
    severity = Severity.WARNING
    summary = "No --time: the job gets the partition's default time limit"
    rationale = """
Without `--time` the job gets the partition's default limit: often too short (the job is
killed before it ends) or the maximum (it waits longer in the queue, and the scheduler
cannot fit it into gaps). Several centres, including the Alliance clusters, require it.
"""
    certain_when = ("No time limit anywhere sbatch reads one (directives, `#PBS -l walltime`, "
                    "sbatch's environment and command line): the partition's default applies, "
                    "maybe too short or too long (warning); an error on profiles whose site "
                    "requires `--time` (Alliance).")
    silent_when = ("Any time limit, even an invalid one (invalid-option-value's); a `--time` below "
                   "the first command does not count.")
    fix = ("Add `#SBATCH --time=03:00:00` with your own value (D-HH:MM:SS): the run time you measured "
           "plus about 20 % (here, for a run of 2.5 hours).")
    bad = "#!/bin/bash\n#SBATCH --mem=4G\npython analyse.py\n"
    good = "#!/bin/bash\n#SBATCH --mem=4G\n#SBATCH --time=00:30:00\npython analyse.py\n"

    def check(self, script, ctx):
        if script.header.has("time"):
            return
        where = script.header.directive_lines[-1] if script.header.directive_lines else 1
        profile = ctx.profile
        policy = f" ({profile.name} requires one: {profile.cite(profile.time.url)})" if profile.time.required else ""
        yield self.report(ctx, where, f"No --time in the header{policy}: the partition's default "
                          "time limit applies, which may kill the job early or keep it waiting.")


RULE = MissingTime
