"""Signs in the body that a job really uses several GPUs (rules.md: multi-gpu-request)."""

from __future__ import annotations

import re

from cclint.analysis.commands import invocation, option_values
from cclint.analysis.resources import ntasks
from cclint.header.model import Header
from cclint.shell.model import Body

# Launchers that start one process per GPU, or tools that use every visible GPU by themselves.
_ALWAYS_MULTI = {"deepspeed", "horovodrun", "mpirun", "mpiexec", "fairseq-train",
                 "fairseq-hydra-train", "ray", "dask-worker", "dask-scheduler", "dask",
                 "llamafactory-cli"}
_COUNT_FLAGS = ("--gpus", "--devices", "--num_gpus", "--num-gpus", "--ngpus", "--n_gpus", "--n-gpus",
                "--world_size", "--world-size", "--nproc_per_node", "--nproc-per-node",
                "--num_processes", "--num-processes", "--trainer.devices", "--gpu_ids", "--gpu-ids",
                "--gpus-per-node", "--nnodes")
_SWITCHES = ("--multiprocessing-distributed", "--distributed", "--multi_gpu", "--multi-gpu",
             "--multigpu", "--ddp", "--use_ddp", "--use-ddp")
_HYDRA_DEVICES = re.compile(r"^(\+?trainer\.)?(devices|gpus|num_gpus|n_gpus|world_size)=(.+)$")


def _several(value: str) -> bool:
    value = value.strip().strip("'\"")
    if "," in value:
        return True
    if value.isdigit():
        return int(value) > 1
    return value.lower() not in ("", "0", "1", "none", "cpu", "false")


def multi_gpu_evidence(body: Body, header: Header) -> str | None:
    """A short description of what uses several GPUs, or None."""
    job_tasks = ntasks(header)
    packed = 0
    for cmd in body.commands:
        for a in cmd.assignments:
            if a.name == "CUDA_VISIBLE_DEVICES":
                if "," in a.value.literal:
                    return "CUDA_VISIBLE_DEVICES lists several devices"
                if cmd.background and cmd.words:
                    packed += 2 if cmd.in_loop else 1
        inv = invocation(cmd)
        if inv is None:
            continue
        if cmd.basename in ("export", "declare") and any(
                w.literal.startswith("CUDA_VISIBLE_DEVICES=") and "," in w.literal for w in cmd.words):
            return "CUDA_VISIBLE_DEVICES lists several devices"
        if "srun" in inv.wrappers or cmd.basename == "srun":
            srun_args = [w.literal for w in cmd.words[1:]]
            tasks = option_values(srun_args, "-n", "--ntasks")
            if tasks and _several(tasks[0]) or not tasks and job_tasks > 1:
                return "srun starts several tasks"
        name = inv.name
        if name in _ALWAYS_MULTI:
            return f"{name} starts one process per GPU"
        if name == "accelerate":
            values = option_values(inv.args, "--num_processes", "--num-processes")
            if not values or _several(values[0]):
                return "accelerate launch starts one process per GPU"
        if name == "torchrun":
            values = option_values(inv.args, "--nproc_per_node", "--nproc-per-node")
            if values and _several(values[0]):
                return "torchrun starts one process per GPU"
        given = {a.partition("=")[0] for a in inv.args if a.startswith("--")}
        if not given.isdisjoint(_COUNT_FLAGS):
            for flag in _COUNT_FLAGS:  # (in this order: the first one given is reported)
                values = option_values(inv.args, flag) if flag in given else None
                if values and _several(values[0]):
                    return f"{flag} {values[0]} asks for several devices"
        if any(a in _SWITCHES for a in inv.args):
            return "a distributed-training switch is set"
        for arg in inv.args:
            m = _HYDRA_DEVICES.match(arg)
            if m and _several(m.group(3)):
                return f"{arg} asks for several devices"
        if name in ("julia",) and option_values(inv.args, "-p", "--procs"):
            return "julia starts worker processes"
    if packed >= 2:
        return "several background processes are packed over CUDA_VISIBLE_DEVICES"
    return None
