from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class DirectiveAfterCommand(Rule):
    code = "CC103"
    name = "directive-after-command"
    family = "header"
    severity = Severity.ERROR
    summary = "An #SBATCH line after the first command is silently ignored"
    rationale = """
sbatch reads `#SBATCH` lines from the top of the file and stops for good at the first line
that is not blank and not a comment. Even `set -e`, `module load` or `export X=1` end the
header: every `#SBATCH` line below is an ordinary comment, and the job runs with default
resources (one core, little memory, the default account) without any warning.
"""
    fix = "Move all #SBATCH lines directly under the #! line, above the first command."
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\nmodule load python/3.11\n#SBATCH --time=01:00:00\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\nmodule load python/3.11\npython train.py\n"

    def check(self, script, ctx):
        header, source = script.header, script.source
        if not header.ignored or header.end_line is None:
            return
        insert_at = source.line_start(header.end_line)
        command = header.end_text if len(header.end_text) <= 40 else header.end_text[:37] + "..."
        for part in header.ignored:
            start = source.line_start(part.line)
            end = min(len(source.text), start + len(part.text) + 1)
            moved = part.text + "\n"
            edit = Fix("Move the directive above the first command",
                       (Edit(insert_at, insert_at, moved), Edit(start, end, "")), Applicability.UNSAFE)
            yield self.report(
                ctx, part.span,
                f"sbatch ignores this directive: the header ended at line {header.end_line} "
                f"(`{command}`), the first command.",
                fix=f"Move it above line {header.end_line}, with the other #SBATCH lines.", edit=edit)


RULE = DirectiveAfterCommand
