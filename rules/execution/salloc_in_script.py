from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class SallocInScript(Rule):
    code = "CC501"
    name = "salloc-in-script"
    family = "execution"
    severity = Severity.ERROR
    summary = "salloc, sinteractive or srun --pty inside a batch script"
    rationale = """
`salloc` (and `sinteractive`, and `srun --pty bash`) asks Slurm for a *new* interactive
allocation. Inside a batch job there is no terminal: the command waits in the queue while
the job holds, and pays for, its own resources, then starts a shell nobody can type in.
The `#SBATCH` lines already request the resources; commands of the script run in them.
"""
    fix = ("Delete this line: the #SBATCH lines already request the resources. Run commands "
           "directly, or as job steps with `srun`; use salloc only on a login node.")
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\nsalloc --gres=gpu:1 --time=1:00:00\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:1\npython train.py\n"

    def check(self, script, ctx):
        source = script.source
        for cmd in script.body.named("salloc", "sinteractive", "srun"):
            if cmd.basename == "srun" and "--pty" not in cmd.args:
                continue
            what = "srun --pty" if cmd.basename == "srun" else cmd.basename
            edit = None
            line_start = source.line_start(cmd.line)
            line_text = source.line(cmd.line)
            if cmd.parsed and not cmd.context and line_text.strip() == source.text[cmd.span.start:cmd.span.end].strip():
                edit = Fix("Delete the line", (Edit(line_start, line_start + len(line_text) + 1, ""),),
                           Applicability.UNSAFE)
            yield self.report(ctx, cmd.span, f"`{what}` inside a batch script requests a new "
                              "interactive allocation: the job waits for it with no terminal.", edit=edit)


RULE = SallocInScript
