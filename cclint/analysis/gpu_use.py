"""Signs in the body that a job really uses several GPUs (rules.md: multi-gpu-request).

The rule warns only when nothing says the job uses more than one GPU, so every sign counts:
- a launcher that starts several processes: `srun`/`mpirun`/`mpiexec` with several ranks
  (or the job's tasks), `torchrun`, `accelerate launch`, `deepspeed`, `horovodrun`...;
- a tool that uses every visible GPU by itself (fairseq, LLaMA-Factory) or spreads over the
  allocation (Ray, Dask, IPython parallel, Julia workers);
- an argument that asks for several devices: a count (`--gpus 4`, `--tensor-parallel-size 4`,
  `trainer.devices=4`), a device list (`--gpu_devices 0 1 2 3`), `--device_map auto`, a
  launcher or strategy that says distributed (`--launcher pytorch`, `--command_launcher
  multi_gpu`, `--strategy ddp`), or a distribution switch (`--multi_gpu`);
- `CUDA_VISIBLE_DEVICES` listing several devices, or several background runs each given its
  own GPU (a CUDA_VISIBLE_DEVICES prefix or export, a device argument, an `srun` step);
- a Python script or module whose name says it (`multigpu.py`, `train_ddp.py`,
  `-m distributed_train`): its author wrote it for several GPUs;
- for a program that is not a known single-process interpreter (python, Rscript), options
  whose names say parallel work (`--num_workers 16`, `--nprocs 8`).
"""

from __future__ import annotations

import re

from cclint.analysis.commands import invocation, is_python, option_values
from cclint.analysis.resources import ntasks
from cclint.header.model import Header
from cclint.patterns import lazy
from cclint.shell.model import Body

# Programs that start one process per GPU, or use every visible GPU or node by themselves.
_ALWAYS_MULTI = {"deepspeed", "horovodrun", "mpirun", "mpiexec", "fairseq-train",
                 "fairseq-hydra-train", "ray", "dask-worker", "dask-scheduler", "dask", "dask-mpi",
                 "llamafactory-cli", "ipcluster", "ipengine", "charmrun"}
# ... and their `python -m` forms (the first part of the module name).
_ALWAYS_MULTI_MODULES = {"llamafactory", "fairseq_cli", "ray", "dask", "ipyparallel", "horovod"}
# Option names (without dashes, `-` as `_`, a Hydra/Lightning `trainer.` prefix dropped) whose
# value is a number of devices or processes.
_COUNT_NAMES = {"gpus", "devices", "num_gpus", "ngpus", "n_gpus", "ngpu", "n_gpu", "num_gpu",
                "gpu_count", "num_devices", "n_devices", "world_size", "nproc_per_node",
                "num_processes", "gpu_ids", "gpu_devices", "gpus_per_node", "nnodes", "num_nodes",
                "tensor_parallel_size", "tp", "tp_size", "pipeline_parallel_size", "pp_size"}
# Options whose value says how the work is spread.
_LAUNCHER_NAMES = {"launcher", "command_launcher", "strategy", "distributed_backend", "accelerator"}
_DISTRIBUTED_VALUE = lazy(r"multi|distrib|ddp|fsdp|deepspeed|horovod|pytorch|torchrun|slurm|mpi"
                          r"|^dp$", re.I)
_SPREAD_MAPS = ("auto", "balanced", "balanced_low_0", "sequential")  # --device_map over all GPUs
_SWITCHES = {"multiprocessing_distributed", "distributed", "multi_gpu", "multigpu", "ddp", "use_ddp",
             "data_parallel", "dataparallel", "use_multi_gpu", "multiple_gpus"}
_SINGLE_PROCESS = ("Rscript", "R")  # interpreters that run one process (python: is_python)
# For other programs: option names that speak of parallel work.
_PARALLEL_WORD = lazy(r"(?:^|_)(?:n|num|nb)?_?(?:workers?|procs?|nprocs|processes|ranks|"
                      r"replicas|gpus?|devices|nodes|parallel|distributed|mpi)$")
# A script's or module's name that says it spreads over GPUs (`multigpu.py`, `train_ddp.py`).
_MULTI_NAME = lazy(r"multi[-_]?gpus?|(?:^|[^a-z])(?:ddp|fsdp)(?:[^a-z]|$)|distributed|data[-_]?parallel"
                   r"|deepspeed|horovod", re.I)
_DEVICE_ARG = lazy(r"^--?(?:gpu|gpu_id|gpu-id|gpuid|device|cuda)$|^cuda:\d+$")
_SRUN_COUNTS = ("-n", "--ntasks", "--ntasks-per-node", "-N", "--nodes")
_MPI_COUNTS = ("-np", "-n", "-c", "--np", "-N", "-ppn", "--npernode", "-npernode")


def _norm(option: str) -> str:
    name = option.lstrip("-").partition("=")[0].lstrip("+").lower().replace("-", "_")
    return name[8:] if name.startswith("trainer.") else name


def _several(value: str) -> bool:
    """A value that means more than one device or process (a variable counts: it may)."""
    value = value.strip().strip("'\"[]()")
    if "," in value or " " in value or "$" in value:
        return True
    m = re.fullmatch(r"(?:cuda:|gpu:)?(-?\d+)", value)
    if m:
        return int(m.group(1)) > 1 or m.group(1) == "-1"
    return value.lower() in ("auto", "all")


def _list_after(args: list[str], k: int) -> int:
    """How many plain numbers follow args[k] (`--gpu_devices 0 1 2 3`)."""
    n = 0
    while k + 1 + n < len(args) and args[k + 1 + n].isdigit():
        n += 1
    return n


def _argument_evidence(args: list[str], single_process: bool) -> str | None:
    for k, arg in enumerate(args):
        if arg.startswith("-"):
            name = _norm(arg)
            value = arg.partition("=")[2] if "=" in arg else (
                args[k + 1] if k + 1 < len(args) and not args[k + 1].startswith("-") else None)
        elif "=" in arg:  # Hydra-style override: trainer.devices=4
            name, value = _norm(arg), arg.partition("=")[2]
        else:
            continue
        shown = arg if value is None or "=" in arg else f"{arg} {value}"
        if name in _COUNT_NAMES and value is not None:
            if _several(value) or _list_after(args, k) > 1:
                return f"{shown} asks for several devices"
        elif name in _LAUNCHER_NAMES and value and _DISTRIBUTED_VALUE.search(value):
            return f"{shown} spreads the work over the GPUs"
        elif name == "device_map" and value and value.strip("'\"") in _SPREAD_MAPS:
            return f"{shown} spreads the model over the GPUs"
        elif name in _SWITCHES and arg.startswith("-") and (value is None or "=" not in arg
                                                            or value.lower() in ("1", "true", "yes")):
            return f"the switch {arg} starts distributed training"
        elif not single_process and _PARALLEL_WORD.search(name) and (
                value is None and arg.startswith("-") and re.search(r"parallel|distributed|mpi", name)
                or value is not None and _several(value)):
            return f"{shown} asks for parallel work"
    return None


def multi_gpu_evidence(body: Body, header: Header) -> str | None:
    """A short description of what uses several GPUs, or None."""
    job_tasks = ntasks(header)
    pinned = 0  # background runs given a GPU each
    pinned_last = 0  # a foreground run with its own CUDA_VISIBLE_DEVICES (alongside them)
    cvd_set = False  # CUDA_VISIBLE_DEVICES exported before: later background runs are pinned
    for cmd in body.commands:
        inv = invocation(cmd)
        cvd_here = False
        for a in cmd.assignments:
            if a.name == "CUDA_VISIBLE_DEVICES":
                if "," in a.value.literal:
                    return "CUDA_VISIBLE_DEVICES lists several devices"
                cvd_here = True
                if not cmd.words:
                    cvd_set = True
        if inv is None:
            continue
        if cmd.basename in ("export", "declare"):
            for w in cmd.words[1:]:
                if w.literal.startswith("CUDA_VISIBLE_DEVICES="):
                    if "," in w.literal:
                        return "CUDA_VISIBLE_DEVICES lists several devices"
                    cvd_set = True
            continue
        prefix = [w.literal for w in cmd.words[1:inv.at]]  # the wrappers' options
        if "srun" in inv.wrappers or cmd.basename == "srun":
            tasks = option_values(prefix, *_SRUN_COUNTS)
            if any(_several(t) for t in tasks) or not tasks and job_tasks > 1:
                return "srun starts several tasks"
        if "mpirun" in inv.wrappers or "mpiexec" in inv.wrappers:
            ranks = option_values(prefix, *_MPI_COUNTS)
            if not ranks or any(_several(r) for r in ranks):
                return f"{inv.wrappers[-1] if inv.wrappers[-1].startswith('mpi') else 'mpirun'} " \
                       "starts several ranks"
        name = inv.name
        if name in _ALWAYS_MULTI or inv.module.split(".")[0] in _ALWAYS_MULTI_MODULES:
            return f"{name if not inv.module else inv.module} starts one process per GPU"
        if is_python(name):
            script = inv.module or next((a for a in inv.args if not a.startswith("-")), "")
            base = script.rsplit("/", 1)[-1]
            if _MULTI_NAME.search(base):
                return f"{base}: its name says it uses several GPUs"
        if name == "accelerate":
            values = option_values(inv.args, "--num_processes", "--num-processes")
            if not values or _several(values[0]):
                return "accelerate launch starts one process per GPU"
        if name == "torchrun":
            values = option_values(inv.args, "--nproc_per_node", "--nproc-per-node")
            if values and _several(values[0]):
                return "torchrun starts one process per GPU"
        if name == "julia" and (option_values(inv.args, "-p", "--procs", "--machine-file")
                                or job_tasks > 1):
            return "julia starts Distributed workers"
        found = _argument_evidence(inv.args, is_python(name) or name in _SINGLE_PROCESS)
        if found:
            return found
        if cmd.background and (cvd_here or cvd_set or "srun" in inv.wrappers
                               or any(_DEVICE_ARG.match(a) for a in inv.args)):
            pinned += 2 if cmd.in_loop else 1
        elif cvd_here and cmd.words:
            pinned_last = 1
    if pinned >= 2 or pinned and pinned_last:
        return "several background runs each use their own GPU"
    return None
