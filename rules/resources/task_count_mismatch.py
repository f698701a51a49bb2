from cclint.analysis.commands import first_operand
from cclint.analysis.resources import cpus_per_task
from cclint.diagnostics import Severity
from cclint.header.values import parse_count, parse_nodes
from cclint.patterns import lazy
from cclint.registry import Rule

_LAUNCHERS = ("srun", "mpirun", "mpiexec")
_BEFORE = {"time", "nohup", "exec", "command"}  # words that may come before the launcher
_COUNT = {"-n", "--ntasks", "-np", "--np"}  # the number of ranks, as a separate word or with `=`
_OVERCOMMIT = {"-O", "--overcommit", "--oversubscribe", "-oversubscribe"}
_ALL_TASKS = lazy(r"\$\{?(SLURM_NTASKS|SLURM_NPROCS)\}?\Z")  # one rank per task of the job
_CPUS_PER_TASK = lazy(r"\$\{?SLURM_CPUS_PER_TASK\}?\Z")


class TaskCountMismatch(Rule):
    code = "CC206"
    name = "task-count-mismatch"
    family = "resources"
    severity = Severity.WARNING
    summary = "srun/mpirun starts a number of ranks that disagrees with the tasks the job asked for"
    rationale = """
`#SBATCH --ntasks` (or `--ntasks-per-node` on a fixed number of nodes) is what the job
holds and is charged for; `srun -n N` or `mpirun -np N` is how many processes run. With
`--ntasks=256` and `mpirun -np 128`, half the allocation sits idle for the whole job. With
more ranks than the job's cores, the ranks oversubscribe them: srun refuses the step
(`More processors requested than permitted`), and mpirun refuses too or runs ranks that
share cores, slower than with the right count. Without a count, srun and mpirun start one
rank per task, which is nearly always what you want.

Each rank is taken to use its task's cores (--cpus-per-task), or more where the script says
so (`srun -c`, a literal `OMP_NUM_THREADS`): ranks of 8 threads on a job of single-core tasks
fill 8 tasks each. The rule stays silent when a count cannot be read (a variable it cannot
resolve), for several steps that may run at once (background steps, steps in a loop), for
heterogeneous jobs, and without an explicit task count in the header;
`--overcommit`/`--oversubscribe` accept more ranks on purpose.
"""
    certain_when = ("A launcher step (`srun -n`, `mpirun -np`) whose ranks, times their threads, "
                    "exceed the job's cores (srun refuses the step, mpirun may oversubscribe) or, "
                    "when every step is known and runs alone, use fewer (the rest idle). Whether "
                    "srun refuses depends on how the cluster rounds the allocation (whole cores, "
                    "whole nodes), so a warning.")
    silent_when = ("No explicit task count in the header; counts cclint cannot read (an unresolved "
                   "variable); steps that may run at once (in the background, in a loop); "
                   "heterogeneous jobs; node ranges; `--overcommit`/`--oversubscribe`; one rank "
                   "per task (`srun ./app`).")
    fix = "Start one rank per task: `srun ./app` (or `mpirun ./app`), or ask for as many tasks as ranks."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --ntasks=256\nmpirun -np 128 ./simulate\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --ntasks=256\nsrun ./simulate\n"

    def check(self, script, ctx):
        header = script.header
        tasks = _job_tasks(header)
        if tasks is None or header.components > 1:
            return
        per_task = cpus_per_task(header)
        cpus = tasks * per_task
        steps = script.flow.steps_of(script.body.named(*_LAUNCHERS, *_BEFORE))
        launches = [launch for step in steps if not step.in_trap and (launch := _launch(step, tasks, per_task))]
        if not launches:
            return
        asked = f"`{header.get('ntasks').shown}`" if header.get("ntasks") is not None else f"{tasks} tasks"
        for step, shown, ranks, threads, overcommit in launches:
            if ranks is not None and ranks > cpus and not overcommit:
                yield self.report(
                    ctx, step.command.span,
                    f"`{shown}` starts {ranks} ranks, more than the {cpus} cores the job asked for "
                    f"({asked}{_times(per_task)}): the ranks oversubscribe them, so srun refuses the step and "
                    "mpirun refuses it or runs ranks that share cores.", fix=_fix(shown, ranks))
        # Fewer: only when every step is known, runs alone, and none uses the whole allocation.
        if any(ranks is None or threads is None or _concurrent(step) for step, _, ranks, threads, _ in launches):
            return
        step, shown, ranks, threads, _ = max(launches, key=lambda launch: launch[2] * launch[3])
        used = ranks * threads
        if used < cpus:
            yield self.report(
                ctx, step.command.span,
                f"`{shown}` starts {_ranks(ranks, threads)}, but the job asked for {cpus} cores ({asked}"
                f"{_times(per_task)}) and no step uses more: {cpus - used} cores stay idle, charged to "
                "your allocation.", fix=_fix(shown, ranks))


def _fix(shown: str, ranks: int) -> str:
    return f"Start one rank per task (`{shown.split()[0]} ./app`), or ask for `--ntasks={ranks}`."


def _job_tasks(header) -> int | None:
    """The tasks the header asks for explicitly: --ntasks, else --ntasks-per-node x a fixed node count."""
    for name in ("ntasks", "ntasks-per-node"):
        d = header.get(name)
        if d is None or not d.value or d.problem is not None:
            continue
        try:
            count = parse_count(d.value, name)
        except ValueError:
            return None
        if name == "ntasks":
            return count
        nodes = header.get("nodes")
        if nodes is None:
            return count
        try:
            low, high = parse_nodes(nodes.value)
        except (ValueError, TypeError):
            return None
        return count * low if low and (high is None or high == low) else None
    return None


def _launch(step, tasks: int, per_task: int):
    """(step, `launcher count` as written, ranks, threads per rank, overcommit) for a launcher
    step; ranks or threads None when they cannot be read."""
    command = step.command
    if command.basename not in _LAUNCHERS and command.basename not in _BEFORE:
        return None
    words = [w.literal for w in command.words]
    k = 0
    while k < len(words) and words[k] in _BEFORE:
        k += 1
    if k >= len(words) or words[k].rsplit("/", 1)[-1] not in _LAUNCHERS:
        return None
    launcher, args = words[k].rsplit("/", 1)[-1], words[k + 1:]
    options = args[:first_operand(args, launcher)]
    written, raw = _option(options, _COUNT, glued="-n" if launcher == "srun" else None)
    ranks: int | None = tasks
    shown = launcher
    if raw is not None:
        value = step.value(raw)
        ranks = tasks if _ALL_TASKS.match(raw) else int(value.text) if value.exact and value.text.isdigit() else None
        shown = f"{launcher} {written}"
    # Each rank uses its task's CPUs (--cpus-per-task), or more threads where it says so.
    threads_raw = _option(options, {"-c", "--cpus-per-task"}, glued="-c")[1] if launcher == "srun" else None
    if threads_raw is None:
        threads_raw = step.env.get("OMP_NUM_THREADS") or str(per_task)
    threads = per_task if _CPUS_PER_TASK.match(threads_raw) else \
        max(per_task, int(threads_raw)) if threads_raw.isdigit() and int(threads_raw) > 0 else None
    return step, shown, ranks, threads, any(o.split("=")[0] in _OVERCOMMIT for o in options)


def _option(options: list[str], names: set[str], glued: str | None) -> tuple[str, str | None]:
    """(the option as written, its value) for the first of `names` (`-n 4`, `--ntasks=4`, `-n4`)."""
    for k, opt in enumerate(options):
        name, eq, value = opt.partition("=")
        if name in names:
            if eq:
                return opt, value
            return (f"{opt} {options[k + 1]}", options[k + 1]) if k + 1 < len(options) else (opt, None)
        if glued and opt.startswith(glued) and opt[2:].isdigit():
            return opt, opt[2:]
    return "", None


def _concurrent(step) -> bool:
    """A step that may run beside others: in the background, or repeated by a loop."""
    return step.command.background or any(c in ("for", "while", "until") for c in step.command.context)


def _ranks(ranks: int, threads: int) -> str:
    text = f"{ranks} rank{'s' if ranks != 1 else ''}"
    return text + (f" of {threads} threads ({ranks * threads} cores)" if threads > 1 else "")


def _times(per_task: int) -> str:
    return f" x `--cpus-per-task={per_task}`" if per_task > 1 else ""


RULE = TaskCountMismatch
