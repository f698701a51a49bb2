from cclint.diagnostics import Applicability, Severity
from cclint.registry import Rule


class UnusedSuppression(Rule):
    code = "CC002"
    name = "unused-suppression"
    family = "script"
    severity = Severity.INFO
    summary = "A `# cclint:` suppression that suppresses nothing"
    rationale = """
A suppression comment outlives the problem it silenced: the line was fixed, moved or
deleted, or the comment names the wrong rule. A stale suppression is noise for the next
reader, and it would silently hide the same rule if the problem came back there. cclint
reports each name that silenced no finding in its scope (a rule left out of the run, by
`--select` for example, is still run quietly to judge it). The safe fix deletes the unused
names, or the whole comment.
"""
    certain_when = ("A name in a `# cclint:` comment that silenced no finding in its scope, the "
                    "rule having run (a rule left out by `--select` is run quietly to judge it): "
                    "deleting it changes nothing today (info).")
    silent_when = ("Names that silenced a finding; every comment when inline configuration is off "
                   "(`--no-inline-config`: ignored-suppression reports them).")
    fix = "Delete the unused name, or the whole `# cclint:` comment."
    fix_safety = Applicability.SAFE
    bad = "#!/bin/bash\n#SBATCH --time=00:10:00\npython train.py  # cclint: disable-line=conda-use\n"
    good = ("#!/bin/bash\n#SBATCH --time=00:10:00\n"
            "module load anaconda3  # cclint: disable-line=conda-use -- course image has no python module\n"
            "python train.py\n")

    def check(self, script, ctx):
        return iter(())  # reported by cclint.suppress after every other rule has run


RULE = UnusedSuppression
