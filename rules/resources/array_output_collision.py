import re

from cclint.diagnostics import Severity
from cclint.header.validate import readable
from cclint.patterns import lazy
from cclint.registry import Rule

_TASK_UNIQUE = lazy(r"(?<!%)(?:%%)*%[0-9]*[ajJ]")  # %a, %j, %J (not %%a)


class ArrayOutputCollision(Rule):
    code = "CC205"
    name = "array-output-collision"
    family = "resources"
    severity = Severity.WARNING
    summary = "An array job whose tasks all write the same log file"
    rationale = """
Every task of an array job opens the `--output` and `--error` files. Unless the name
contains `%a` (the task index) or `%j` (each task's own job id), all tasks write to the same
file: they overwrite or interleave each other's logs and the evidence of the one task that
failed is lost. `%A` alone is the same for every task (it is the array's id), and so are
`%x` (the job name) and `%u`. Without `--output` Slurm uses `slurm-%A_%a.out`, which is fine.
"""
    certain_when = ("An array job whose `--output` or `--error` name has neither `%a` nor `%j`: "
                    "every task writes the same file and the logs overwrite each other, but the "
                    "tasks run (warning).")
    silent_when = ("Names with `%a`, `%j` or `%J`; the default `slurm-%A_%a.out`; `/dev/null` and "
                   "`none`; jobs without `--array`; `%%a` (a literal percent).")
    fix = "Put the task index in the name: `--output=logs/%x-%A_%a.out`."
    bad = "#!/bin/bash\n#SBATCH --array=1-50\n#SBATCH --output=logs/run.out\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --array=1-50\n#SBATCH --output=logs/run-%A_%a.out\npython x.py\n"

    def check(self, script, ctx):
        header = script.header
        if not header.has("array"):
            return
        shared = []
        for name in ("output", "error"):
            d = header.get(name)
            if d is None or not readable(d) or d.value is None:
                continue
            value = d.value
            if value.lower() in ("none", "/dev/null") or value == "":
                continue
            if "\\" in value or not _TASK_UNIQUE.search(value):
                shared.append(d)
        if not shared:
            return
        first = min(shared, key=lambda d: (d.line, d.span.start))
        names = " and ".join(f"`{d.shown}`" for d in shared)
        fixed = re.sub(r"(\.[A-Za-z]+)?$", lambda m: "-%A_%a" + (m.group(1) or ""), first.value, count=1)
        yield self.report(ctx, first.value_span or first.span,
                          f"Every task of the array writes to the same file ({names}): the logs "
                          "overwrite each other. %A and %x are the same for all tasks.",
                          fix=f"Add %a (task index) or %j (job id): `{first.written}={fixed}`.")


RULE = ArrayOutputCollision
