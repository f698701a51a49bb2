"""What a command really runs: `srun python train.py`, `nohup python -m pip install x`.

Wrappers (srun, mpirun, nohup, env, time, timeout, apptainer exec...) are peeled off so
that rules match the program that does the work. Options of the wrappers that take a
separate value are skipped with their value.
"""

from __future__ import annotations

from cclint.patterns import lazy
from cclint.record import Record

from cclint.shell.model import Body, Command, Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

# wrapper -> short/long options that take their value as the next word
_WRAPPER_VALUE_OPTIONS: dict[str, set[str]] = {
    "srun": {"-A", "-b", "-c", "-d", "-D", "-e", "-G", "-i", "-J", "-L", "-m", "-M", "-n", "-N",
             "-o", "-p", "-q", "-t", "-T", "-w", "-x", "-C", "-B", "-F", "-W", "-S",
             "--account", "--cpus-per-task", "--ntasks", "--nodes", "--time", "--partition",
             "--gres", "--gpus", "--gpus-per-task", "--gpus-per-node", "--mem", "--mem-per-cpu",
             "--mem-per-gpu", "--output", "--error", "--input", "--job-name", "--cpu-bind",
             "--mpi", "--nodelist", "--exclude", "--ntasks-per-node", "--distribution",
             "--export", "--chdir", "--constraint", "--jobid", "--het-group", "--gpu-bind",
             "--kill-on-bad-exit", "--cpus-per-gpu", "--overlap-all"},
    "mpirun": {"-np", "-n", "-N", "-c", "-H", "--host", "-hostfile", "--hostfile", "-machinefile",
               "--machinefile", "--map-by", "--bind-to", "--rank-by", "-x", "-ppn", "--npernode",
               "-npernode", "--wdir", "-wdir", "-genv", "-env"},
    "mpiexec": set(),
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "nice": {"-n", "--adjustment"},
    "ionice": {"-c", "-n", "-p"},
    "taskset": set(),
    "numactl": {"-C", "-N", "-m", "-p", "-i"},
    "stdbuf": {"-i", "-o", "-e"},
    "env": {"-u", "--unset", "-C", "--chdir", "-S"},
    "xargs": {"-n", "-P", "-I", "-L", "-d", "-E", "-s", "--max-args", "--max-procs"},
    "apptainer": {"-B", "--bind", "--env", "--pwd", "-W", "--workdir", "--home", "-H",
                  "--overlay", "-o", "--env-file", "--mount"},
    "time": {"-f", "--format", "-o", "--output"},
    "nohup": set(), "exec": set(), "command": set(), "builtin": set(), "sudo": {"-u", "-g"},
    "catchsegv": set(), "unbuffer": set(), "strace": {"-o", "-e", "-p"},
}
_WRAPPER_VALUE_OPTIONS["mpiexec"] = _WRAPPER_VALUE_OPTIONS["mpirun"]
_WRAPPER_VALUE_OPTIONS["singularity"] = _WRAPPER_VALUE_OPTIONS["apptainer"]
_CONTAINER_VERBS = {"exec", "run"}
PYTHONS = ("python", "python2", "python3")


def is_python(name: str) -> bool:
    return name in PYTHONS or (name.startswith("python3.") and name[8:].isdigit())


class Invocation(Record):
    """The program a command runs after wrappers are removed (one per command: a slotted class)."""

    __slots__ = ("name", "args", "words", "wrappers", "module", "at")

    def __init__(self, name: str, args: list[str], words: list[Word], wrappers: list[str],
                 module: str = "", at: int = 0):
        self.name = name  # basename of the program, or 'pip'/'venv' for `python -m pip`/`-m venv`
        self.args = args  # literal arguments after the program (after `-m MODULE` for python)
        self.words = words  # the matching Word objects (same length as args)
        self.wrappers = wrappers  # e.g. ['srun'], ['nohup']
        self.module = module  # for `python -m MODULE`
        self.at = at  # index of the program's word in the command (the wrappers' words before it)

    @property
    def via_srun(self) -> bool:
        return "srun" in self.wrappers


def invocation(cmd: Command) -> Invocation | None:
    """Peel wrappers off a command; None for a bare assignment. Computed once per command."""
    try:
        return cmd.cache["invocation"]
    except KeyError:
        found = cmd.cache["invocation"] = _invocation(cmd)
        return found


def _invocation(cmd: Command) -> Invocation | None:
    words = cmd.words
    if not words:
        return None
    lits = [w.literal for w in words]
    wrappers: list[str] = []
    i = 0
    while i < len(lits):
        name = lits[i].rsplit("/", 1)[-1]
        if name not in _WRAPPER_VALUE_OPTIONS:
            break
        wrappers.append(name)
        i += 1
        takes_value = _WRAPPER_VALUE_OPTIONS[name]
        if name in ("apptainer", "singularity"):
            if i < len(lits) and lits[i] in _CONTAINER_VERBS:
                i += 1
            i = _skip_options(lits, i, takes_value)
            i += 1  # the image
            continue
        if name == "env":
            i = _skip_options(lits, i, takes_value)
            while i < len(lits) and "=" in lits[i] and not lits[i].startswith("="):
                i += 1
            continue
        i = _skip_options(lits, i, takes_value)
        if name in ("timeout",) and i < len(lits):
            i += 1  # the duration
        elif name == "taskset" and i < len(lits):
            i += 1  # the mask
    if i >= len(lits):
        return Invocation(wrappers[-1] if wrappers else "", [], [], wrappers[:-1], at=len(lits))
    name = lits[i].rsplit("/", 1)[-1]
    args, arg_words = lits[i + 1:], words[i + 1:]
    if is_python(name):
        j = 0
        while j < len(args) and args[j].startswith("-") and args[j] != "-m":
            j += 2 if args[j] in ("-W", "-X", "-c") else 1
        if j + 1 < len(args) and args[j] == "-m":
            module = args[j + 1]
            short = {"pip": "pip", "venv": "venv", "virtualenv": "virtualenv",
                     "torch.distributed.run": "torchrun", "torch.distributed.launch": "torchrun",
                     "accelerate.commands.launch": "accelerate", "deepspeed": "deepspeed",
                     "huggingface_hub.commands.huggingface_cli": "huggingface-cli"}.get(module, "")
            return Invocation(short or name, args[j + 2:], arg_words[j + 2:], wrappers, module, i)
    return Invocation(name, args, list(arg_words), wrappers, at=i)


def running(body: Body, wanted: "Callable[[str], bool]") -> list[Command]:
    """The commands whose program (`invocation(cmd).name`) `wanted` accepts (`NAMES.__contains__`,
    `is_pip`), in source order. One pass over the body indexes every command by its program:
    a rule that looks for a few programs reads only their commands, not every one of a
    10,000-line script."""
    index = body.cache.get("programs")
    if index is None:
        index = body.cache["programs"] = {}
        for cmd in body.commands:
            inv = invocation(cmd)
            if inv is not None:
                index.setdefault(inv.name, []).append(cmd)
    lists = [cmds for name, cmds in index.items() if wanted(name)]
    if len(lists) == 1:
        return lists[0]
    return sorted((cmd for cmds in lists for cmd in cmds), key=_source_order)


def _source_order(cmd: Command) -> int:
    return cmd.index


def first_operand(args: list[str], command: str) -> int:
    """Index of the first argument of `command` (srun, salloc...) that is not one of its options."""
    return _skip_options(args, 0, _WRAPPER_VALUE_OPTIONS.get(command, _WRAPPER_VALUE_OPTIONS["srun"]))


def _skip_options(lits: list[str], i: int, takes_value: set[str]) -> int:
    while i < len(lits) and lits[i].startswith("-") and lits[i] != "-":
        opt = lits[i]
        i += 1
        if opt == "--":
            break
        if "=" not in opt and opt in takes_value and i < len(lits):
            i += 1
    return i


# Options of file-moving commands that take the next word as their value.
_VALUE_OPTIONS = {
    "cp": {"-t", "--target-directory", "-S", "--suffix"},
    "mv": {"-t", "--target-directory", "-S", "--suffix"},
    "rsync": {"--exclude", "--include", "--exclude-from", "--include-from", "--files-from", "-e",
              "--rsh", "--filter", "-f", "--log-file", "--partial-dir", "--backup-dir", "--suffix",
              "-T", "--temp-dir", "--compare-dest", "--link-dest", "--copy-dest", "--timeout",
              "--port", "--password-file", "--chmod", "--chown", "--bwlimit", "--max-size",
              "--min-size", "--rsync-path", "--out-format", "--log-file-format"},
    "scp": {"-P", "-i", "-o", "-F", "-l", "-c", "-J", "-S"},
}


def operands(inv: Invocation) -> list[Word]:
    """The non-option words of a cp/mv/rsync/scp command (option values skipped)."""
    takes_value = _VALUE_OPTIONS.get(inv.name, set())
    out: list[Word] = []
    k = 0
    after_dashdash = False
    while k < len(inv.args):
        arg = inv.args[k]
        if not after_dashdash and arg == "--":
            after_dashdash = True
        elif not after_dashdash and arg.startswith("-") and arg != "-":
            if arg in takes_value:
                k += 1
        else:
            out.append(inv.words[k])
        k += 1
    return out


def option_values(args: list[str], *names: str) -> list[str]:
    """Values of an option given as `--name value`, `--name=value` or `-nVALUE` forms."""
    out = []
    for k, arg in enumerate(args):
        for name in names:
            if arg == name and k + 1 < len(args):
                out.append(args[k + 1])
            elif name.startswith("--") and arg.startswith(name + "="):
                out.append(arg[len(name) + 1:])
            elif len(name) == 2 and name[0] == "-" and name[1] != "-" and arg.startswith(name) \
                    and len(arg) > 2 and not arg.startswith("--"):
                out.append(arg[2:])
    return out


def has_flag(args: list[str], *names: str) -> bool:
    for arg in args:
        if arg in names or any(n.startswith("--") and arg.startswith(n + "=") for n in names):
            return True
    return False


def short_flags(args: list[str]) -> set[str]:
    """Letters of grouped short options (`-xzf` -> {'x', 'z', 'f'}) and tar's old style."""
    letters: set[str] = set()
    for k, arg in enumerate(args):
        if arg.startswith("-") and not arg.startswith("--"):
            letters.update(arg[1:])
    return letters


_ARRAY_INDEX = lazy(r"(?<![\w])SLURM_ARRAY_TASK_(?:ID|MIN|MAX|COUNT)\b")


def reads_array_index(text: str) -> bool:
    """Whether the script (outside comment lines) reads its array task id: then it is meant to
    be an array, given on the command line (`sbatch --array=0-9 job.sh`) when not in the
    header. Here-document bodies count (`$SLURM_ARRAY_TASK_ID` expands there, and a Python
    `os.environ` read is the same intent)."""
    if "SLURM_ARRAY_TASK_" not in text:
        return False
    return any(_ARRAY_INDEX.search(line) for line in text.splitlines()
               if "SLURM_ARRAY_TASK_" in line and not line.lstrip().startswith("#"))
