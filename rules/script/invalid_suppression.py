from cclint.diagnostics import Severity
from cclint.registry import Rule


class InvalidSuppression(Rule):
    code = "CC003"
    name = "invalid-suppression"
    family = "script"
    severity = Severity.WARNING
    summary = "A `# cclint:` comment that cannot be applied as written"
    rationale = """
A suppression comment that cclint cannot read must never be skipped in silence: whoever
wrote it believes a finding is silenced. cclint reports unknown rule names, unknown actions,
names not separated by commas, `all` (a suppression names its rules), keywords in the wrong
place (`disable-next-line` at the end of a line), an own-line `disable=` range that no
`enable=` closes (it covers nothing: write `disable-next-line=` for one line), and an
`enable=` that closes no range.
"""
    certain_when = ("A `# cclint:` comment that cannot be applied as written (an unknown rule or "
                    "action, names not separated by commas, `all`, a keyword in the wrong place, a "
                    "range never closed): the finding it meant to silence is still reported, so a "
                    "warning, not an error.")
    silent_when = ("Valid comments; `cclint:` inside quotes, here-documents or text that is not a "
                   "comment.")
    fix = ("Write `# cclint: disable-line=RULE -- reason` at the end of a line, "
           "`# cclint: disable-next-line=RULE` above it, `disable=`/`enable=` around a range, or "
           "`disable-file=RULE`.")
    bad = "#!/bin/bash\n#SBATCH --time=00:10:00\n# cclint: disable=conda-use\nconda activate env\npython train.py\n"
    good = ("#!/bin/bash\n#SBATCH --time=00:10:00\n# cclint: disable-next-line=conda-use\n"
            "conda activate env\npython train.py\n")

    def check(self, script, ctx):
        return iter(())  # reported by cclint.suppress after every other rule has run


RULE = InvalidSuppression
