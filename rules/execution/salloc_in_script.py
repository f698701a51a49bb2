from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class SallocInScript(Rule):
    code = "CC501"
    name = "salloc-in-script"
    family = "execution"
    severity = Severity.ERROR
    summary = "salloc, sinteractive or srun --pty inside a batch script"
    rationale = """
`salloc` and `sinteractive` ask Slurm for a *new* interactive allocation. Inside a batch job
there is no terminal: the command waits in the queue, possibly until the job's own time
limit, while the job holds, and pays for, its own resources; then it starts a shell nobody
can type in, and the commands written after it, meant for that allocation, run in the
job's own. `salloc` with a program of its own does run it, in a second allocation, after
that wait (a warning). `srun --pty` inside a job has no terminal to attach: srun ignores
the option ("Not using a pseudo-terminal, disregarding --pty option"), so `srun --pty bash`
starts a shell that reads the job's empty input and exits at once, and the commands meant
to be typed into it run in the batch script anyway (a warning); `srun --pty PROGRAM` runs
the program as a plain step (info). The `#SBATCH` lines already request the resources;
commands of the script run in them.

The unsafe fix deletes a `salloc`/`sinteractive` line or an `srun --pty SHELL` line; for
`srun --pty PROGRAM` it removes `--pty` only, so the program still runs; a `salloc` line
that runs a command of its own is left for you to edit.
"""
    certain_when = ("`salloc` or `sinteractive` in the body: the job waits in the queue for a "
                    "second allocation, with no terminal, and the commands after it do not run in "
                    "it. Warning: `salloc PROGRAM` (the program runs, late, in that allocation) "
                    "and `srun --pty SHELL` (srun ignores `--pty` without a terminal, the shell "
                    "exits at once, the job goes on); info: `srun --pty PROGRAM`, a plain step.")
    silent_when = ("`salloc` in comments and strings (`echo \"test with salloc first\"`); `srun` "
                   "without `--pty`.")
    fix = ("Delete this line: the #SBATCH lines already request the resources. Run commands "
           "directly, or as job steps with `srun`; use salloc only on a login node.")
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\nsalloc --gres=gpu:1 --time=1:00:00\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:1\npython train.py\n"

    def check(self, script, ctx):
        from cclint.analysis.commands import first_operand

        source = script.source
        for cmd in script.body.named("salloc", "sinteractive", "srun"):
            args = cmd.args
            if cmd.basename == "srun" and "--pty" not in args:
                continue
            at = first_operand(args, cmd.basename)
            program = args[at].rsplit("/", 1)[-1] if at < len(args) else ""
            whole_line = cmd.parsed and not cmd.context and \
                source.line(cmd.line).strip() == source.text[cmd.span.start:cmd.span.end].strip()
            fix, edit, severity = self.fix, None, None
            if cmd.basename != "srun" and program and cmd.basename == "salloc":
                message = (f"`salloc` inside a batch script runs `{program}` in a second allocation: the "
                           "job waits in the queue for it, holding and paying for its own resources.")
                severity = self.at_most(ctx, Severity.WARNING)  # the program does run, late
            elif cmd.basename != "srun":
                message = (f"`{cmd.basename}` inside a batch script requests a new interactive allocation: "
                           "the job waits for it with no terminal, and the commands after it do not "
                           "run in it.")
                if whole_line and not program:
                    edit = _delete_line(source, cmd.line)
            elif program and program not in _SHELLS:
                message = (f"`srun --pty` inside a batch script: with no terminal, srun ignores --pty (\"Not "
                           f"using a pseudo-terminal, disregarding --pty option\") and runs `{program}` as a "
                           "plain job step.")
                severity = self.at_most(ctx, Severity.INFO)  # the step runs as without --pty
                fix = f"Drop `--pty`: `srun {' '.join(a for a in args if a != '--pty')}`."
                word = cmd.words[1 + args.index("--pty")]  # remove the word and one blank after it
                end = word.span.end + (1 if source.text[word.span.end:word.span.end + 1] == " " else 0)
                edit = Fix("Remove --pty", (Edit(word.span.start, end, ""),), Applicability.UNSAFE)
            else:  # the job goes on without it: a leftover of interactive work, not a failure
                message = ("`srun --pty` inside a batch script starts an interactive job step with nobody "
                           f"at its terminal: {'the shell' if program else 'it'} reads no input and exits at "
                           "once, and the commands after it do not run inside it.")
                severity = self.at_most(ctx, Severity.WARNING)
                if whole_line:
                    edit = _delete_line(source, cmd.line)
            yield self.report(ctx, cmd.span, message, fix=fix, edit=edit, severity=severity)


_SHELLS = {"bash", "sh", "zsh", "ksh", "csh", "tcsh", "fish", "dash"}


def _delete_line(source, line: int) -> Fix:
    """Delete a whole line; between two blank lines (or a blank line and the end), one blank
    line goes too, so that no double blank line is left."""
    start = source.line_start(line)
    end = min(len(source.text), start + len(source.line(line)) + 1)
    before_blank = line > 1 and not source.line(line - 1).strip()
    after_blank = end >= len(source.text) or not source.line(line + 1).strip()
    if before_blank and after_blank:
        start = source.line_start(line - 1)
    return Fix("Delete the line", (Edit(start, end, ""),), Applicability.UNSAFE)


RULE = SallocInScript
