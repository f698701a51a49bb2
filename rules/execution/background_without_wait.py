from cclint.analysis.commands import invocation
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule

# Commands that are not the job's work: reporting, sleeping, bookkeeping.
_NOT_WORK = {
    "echo", "printf", "date", "true", "false", ":", "exit", "return", "cd", "pushd", "popd",
    "export", "set", "unset", "shopt", "hostname", "pwd", "env", "printenv", "which", "type", "ls",
    "cat", "head", "tail", "mkdir", "touch", "trap", "declare", "local", "readonly", "sleep",
    "sync", "nvidia-smi", "module", "ml", "source", ".", "id", "whoami", "uname", "free", "df",
    "du", "seff", "sacct", "squeue", "sq", "disown", "jobs", "[", "test",
}


class BackgroundWithoutWait(Rule):
    code = "CC503"
    name = "background-without-wait"
    family = "execution"
    severity = Severity.WARNING
    summary = "The job's last work runs in the background and nothing waits for it"
    rationale = """
A batch job ends when its script ends, and Slurm then kills every process it started. If
the main work is started with `&` (or `nohup ... &`) and no `wait` follows, the script
reaches its end within a second and the training is killed with it. Starting a helper
such as TensorBoard with `&` is fine when the main work runs in the foreground after it.
"""
    certain_when = ("The last work command runs in the background (`&`) and no `wait` follows: the "
                    "job ends and Slurm kills it. A warning, since a script can wait another way "
                    "(a `while kill -0` loop, a long `sleep`).")
    silent_when = ("A `wait` after it (`wait $PID` too); a background helper such as TensorBoard "
                   "followed by foreground work; background commands that are not work (`echo`, "
                   "`sleep`, `nvidia-smi`...).")
    fix = "Add `wait` after the background commands (or run the main command in the foreground)."
    fix_safety = Applicability.SAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\npython train.py &\necho started\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\npython train.py &\nwait\n"

    def check(self, script, ctx):
        steps = script.flow.main
        last = None
        for step in steps:
            inv = invocation(step.command)
            if inv is None or not inv.name or inv.name in _NOT_WORK or inv.name == "wait":
                continue
            last = step
        if last is None or not last.command.background:
            return
        if any(s.command.basename == "wait" and s.order > last.order for s in steps):
            return
        cmd = last.command
        where = " in a loop" if cmd.in_loop else ""
        text = script.source.text
        end = len(text) if text.endswith("\n") else len(text)
        insertion = "wait\n" if text.endswith("\n") or not text else "\nwait\n"
        yield self.report(
            ctx, cmd.span,
            f"`{cmd.name}` runs in the background{where} and nothing waits for it: the script "
            "ends at once and Slurm kills the process with the job.",
            edit=Fix("Add `wait` at the end", (Edit(end, end, insertion),), Applicability.SAFE))


RULE = BackgroundWithoutWait
