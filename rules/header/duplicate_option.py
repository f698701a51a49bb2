from cclint.diagnostics import Severity
from cclint.header.validate import readable
from cclint.registry import Rule

_MERGE_NOTE = {
    "dependency": " Dependencies are not merged: the job waits only for the last list.",
    "gres": " GRES requests are not merged: only the last one is asked for.",
    "constraint": " Constraints are not merged.",
    "export": " --export lists are not merged.",
}


class DuplicateOption(Rule):
    code = "CC109"
    name = "duplicate-option"
    family = "header"
    severity = Severity.WARNING
    summary = "The same option set twice with different values: the later one silently wins"
    rationale = """
When an option appears twice, each occurrence overwrites the previous one and only the last
counts, without a warning. A header edited over time often ends up with `--time=1:00:00` at
the top and `-t 12:00:00` further down, or two `--dependency` lines that the user expects to
combine (they do not). `#PBS` lines are applied after the `#SBATCH` lines, so they win too.
"""
    certain_when = ("The same option given twice with different values, `#PBS` lines included: "
                    "only the last counts, which may or may not be the one meant (warning).")
    silent_when = ("The same value twice; different components of a heterogeneous job; "
                   "`--mail-type` repeated for releases up to 24.11, which combine the values; "
                   "values sbatch cannot read (other rules').")
    fix = "Keep one occurrence, with the value you want."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mem=4G\n#SBATCH -t 12:00:00\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=12:00:00\n#SBATCH --mem=4G\npython x.py\n"

    def check(self, script, ctx):
        seen = {}
        for d in script.header.directives:
            if d.spec is None or not readable(d):
                continue
            key = (d.name, d.component)
            earlier = seen.get(key)
            seen[key] = d
            if earlier is None or earlier.value == d.value:
                continue
            note = _MERGE_NOTE.get(d.name, "")
            if d.name == "mail-type":
                version = ctx.version
                if version is not None and not version.at_least(25, 5):
                    continue  # up to 24.11 repeated --mail-type values are OR-ed together
                note = (" (Up to Slurm 24.11 the two --mail-type values were combined; from 25.05 "
                        "only the last counts.)") if version is None else ""
            where = f"`{earlier.shown}` (line {earlier.line})"
            origin = " (a #PBS line, applied after the #SBATCH lines)" if d.origin in ("pbs", "bsub") else ""
            yield self.report(ctx, d.span, f"`{d.shown}`{origin} overrides {where}: sbatch keeps only "
                              f"the last value.{note}",
                              fix=f"Keep one {d.written if d.origin == 'sbatch' else '--' + d.name} "
                                  "line, with the value you want.")


RULE = DuplicateOption
