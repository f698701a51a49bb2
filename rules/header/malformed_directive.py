from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule

_WHY = {
    "indented": "is indented: sbatch only reads `#SBATCH` at the very start of a line",
    "space": "has a space after `#`: `# SBATCH` is an ordinary comment to sbatch",
    "case": "is not in capitals: sbatch only reads `#SBATCH` (case-sensitive)",
    "spelling": "is misspelled: sbatch only reads `#SBATCH`",
}


class MalformedDirective(Rule):
    code = "CC104"
    name = "malformed-directive"
    family = "header"
    severity = Severity.WARNING
    summary = "A line that looks like #SBATCH but is an ordinary comment to sbatch"
    rationale = """
sbatch recognises a directive only when the line starts with exactly `#SBATCH` in column 1.
`# SBATCH`, `#sbatch`, `#Sbatch`, an indented `  #SBATCH` (pasted from a wiki) or a typo
such as `#SBATXH` are plain comments: the option is silently lost, e.g. the job gets no GPU.
`##SBATCH` is the usual way to switch a directive off and is never reported.
"""
    certain_when = ("A comment that looks like a directive (`# SBATCH --time=...`, `#sbatch`, an "
                    "indented `#SBATCH`, a typo such as `#SBATXH` before an option): sbatch "
                    "ignores it. It may be switched off on purpose, so a warning.")
    silent_when = ("`##SBATCH` (the usual way to switch a directive off); usage comments that show "
                   "how to submit (`# sbatch --array=0-9 job.sh`, `# Usage: sbatch ...`); prose "
                   "with no option after the word.")
    fix = "Write `#SBATCH` in capitals, at column 1."
    fix_safety = Applicability.SAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n# SBATCH --gres=gpu:1\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:1\npython train.py\n"

    def check(self, script, ctx):
        source, header = script.source, script.header
        for part in header.malformed:
            line_text = source.line(part.line)
            start = source.line_start(part.line)
            hash_at = line_text.index("#")
            rest = line_text[hash_at + 1:].lstrip()
            word_end = len(rest) - len(rest.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
            fixed = "#SBATCH" + rest[word_end:]
            safe = part.reason in ("indented", "case")
            edit = Fix("Rewrite as #SBATCH at column 1", (Edit(start, start + len(line_text), fixed),),
                       Applicability.SAFE if safe else Applicability.UNSAFE)
            late = header.end_line is not None and part.line > header.end_line
            note = f"; it is also below the first command (line {header.end_line}), where sbatch " \
                   "reads no directive at all" if late else ""
            yield self.report(ctx, part.span, f"This line {_WHY[part.reason]}, so the option is "
                              f"ignored{note}.", fix=f"Write `{fixed.strip()}`.", edit=edit)


RULE = MalformedDirective
