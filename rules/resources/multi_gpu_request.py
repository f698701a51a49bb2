import re

from cclint.analysis.gpu_use import multi_gpu_evidence
from cclint.analysis.resources import gpu_request
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class MultiGpuRequest(Rule):
    code = "CC201"
    name = "multi-gpu-request"
    family = "resources"
    severity = Severity.WARNING
    needs_shell_body = True
    summary = "Several GPUs requested, but nothing in the script uses more than one"
    rationale = """
PyTorch and TensorFlow use a single GPU unless the code is written for several (a
distributed launcher, one task per GPU, or several processes each pinned to a GPU). The
other GPUs stay idle for the whole job, are charged to your allocation, delay your next
jobs and are taken from other users; some centres stop jobs whose GPUs sit at 0 %.
The rule stays silent at any sign that the GPUs are used: a launcher with several ranks
(`srun`, `mpirun`, `torchrun`, `accelerate launch`, `deepspeed`), a tool that uses every GPU
(LLaMA-Factory, fairseq, vLLM with `--tensor-parallel-size`, `--device_map auto`), a device
count or list, a distributed launcher or switch, several background runs each on its own
GPU, Ray, Dask or Julia workers, or a program other than python whose options ask for
parallel work.
"""
    certain_when = ("More than one GPU requested (in any syntax) and no sign in the body that more "
                    "than one is used: the others idle, charged to the allocation, but the job "
                    "runs (warning).")
    silent_when = ("Any sign of multi-GPU use: a launcher with several ranks (`srun`, `mpirun`, "
                   "`torchrun`, `accelerate launch`, `deepspeed`), a device count or list (`--gpus "
                   "4`, `--device_map auto`, `--tensor-parallel-size 4`), a distributed switch or "
                   "launcher, background runs each on its own GPU, Ray, Dask or Julia workers, "
                   "tools that use every GPU (fairseq, LLaMA-Factory); a program other than python "
                   "whose options ask for parallel work; a body run by another interpreter than a "
                   "shell (`#!/usr/bin/env python3`), which cclint does not read.")
    fix = ("Request one GPU; or use them all: `torchrun --nproc_per_node=N`, `srun` with one task "
           "per GPU, or one background run per GPU with CUDA_VISIBLE_DEVICES followed by `wait`.")
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:4\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:4\ntorchrun --nproc_per_node=4 train.py\n"

    def check(self, script, ctx):
        request = gpu_request(script.header)
        if request is None or request.total <= 1:
            return
        if multi_gpu_evidence(script.body, script.header) is not None:
            return
        d = request.directive
        how = d.shown if d.origin == "sbatch" else d.source_text
        extra = "" if request.total == request.per_node else f" ({request.per_node} per node)"
        edit = None
        if d.origin == "sbatch" and d.value_span is not None and d.name in ("gres", "gpus", "gpus-per-node") \
                and "," not in d.value and request.total == request.per_node:
            new_value = re.sub(r"[0-9]+$", "1", d.value) if re.search(r":[0-9]+$|^[0-9]+$", d.value) else None
            if new_value:
                edit = Fix("Request one GPU", (Edit(d.value_span.start, d.value_span.end, new_value),),
                           Applicability.UNSAFE)
        yield self.report(
            ctx, d.span,
            f"{request.total} GPUs requested (`{how}`{extra}) but nothing in the script uses more "
            f"than one: {request.total - 1} will sit idle, charged to your allocation.", edit=edit)


RULE = MultiGpuRequest
