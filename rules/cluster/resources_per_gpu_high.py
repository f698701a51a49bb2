from cclint.analysis.limits import candidate_models, gpu_kinds, mib_text, source
from cclint.analysis.resources import cpus_per_gpu, cpus_total, gpu_request, memory_request, shown
from cclint.diagnostics import Severity
from cclint.profile import GpuSlice
from cclint.registry import Rule


class ResourcesPerGpuHigh(Rule):
    code = "CC606"
    name = "resources-per-gpu-high"
    family = "cluster"
    severity = Severity.WARNING
    summary = "More CPU cores or memory per GPU than the cluster's share for one GPU"
    rationale = """
A GPU node's cores and memory are shared among its GPUs: on Narval, 12 cores and 124 GB
go with each A100. A job that takes more leaves GPUs of the node without cores or memory,
so they sit idle, and it is charged as if it used more GPUs (the Alliance counts the
largest of its GPU, core and memory shares). Silent without a `--cluster` profile that
gives the recommended resources per GPU.
"""
    certain_when = ("More cores or memory per GPU (or per MIG slice) than the cluster's share for "
                    "one: the job runs, charged for the largest share and leaving the node's other "
                    "GPUs short (warning).")
    silent_when = ("Requests within the share (an untyped request is judged against the most "
                   "generous model); CPU jobs; memory on Trillium, where it is fixed; profiles "
                   "without shares (generic, Killarney, Mila).")
    fix = "Ask for at most the cluster's cores and memory per GPU (`--cpus-per-gpu`, `--mem-per-gpu`)."
    bad = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=a100:1\n#SBATCH --cpus-per-task=32\n"
           "#SBATCH --mem=200G\npython train.py\n")
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=a100:1\n#SBATCH --cpus-per-task=12\n"
            "#SBATCH --mem=120G\npython train.py\n")
    example_profile = "narval"

    def check(self, script, ctx):
        profile = ctx.profile
        header = script.header
        request = gpu_request(header)
        if request is None or not profile.gpus.known or not request.total:
            return
        kinds = [k.found for k in gpu_kinds(profile, request) if isinstance(k.found, GpuSlice)]
        if kinds:
            shares = kinds  # a MIG slice has its own share
        else:
            shares = candidate_models(profile, request)
        cores_limits = [s.cores for s in shares if s.cores]
        memory_limits = [s.memory for s in shares if s.memory]
        # Several possible models (an untyped request): judge against the most generous.
        max_cores = max(cores_limits) if cores_limits and len(cores_limits) == len(shares) else None
        max_memory = max(memory_limits) if memory_limits and len(memory_limits) == len(shares) else None
        if profile.nodes.memory_ignored:
            max_memory = None
        gpu = "MIG slice" if kinds else "GPU"
        problems, advice, where = [], [], None
        per_gpu_cpus = cpus_per_gpu(header)
        cores = per_gpu_cpus if per_gpu_cpus else cpus_total(header, request) / request.total
        if max_cores is not None and cores > max_cores:
            problems.append(f"{_number(cores)} cores per {gpu} (recommended: {max_cores})")
            advice.append(f"`--cpus-per-gpu={max_cores}`")
            where = header.get("cpus-per-gpu") if per_gpu_cpus else header.get("cpus-per-task") \
                or header.get("ntasks-per-node") or header.get("ntasks")
        memory = memory_request(header, request)
        if max_memory is not None and memory is not None and memory.per_gpu is not None \
                and memory.per_gpu > max_memory:
            problems.append(f"{mib_text(memory.per_gpu)} of memory per {gpu} (recommended: "
                            f"{mib_text(max_memory)})")
            advice.append(f"`--mem-per-gpu={_slurm_size(max_memory)}`")
            where = where or memory.directive
        if not problems:
            return
        where = where or request.directive
        what = " and ".join(problems)
        yield self.report(
            ctx, where.span,
            f"{what} with `{shown(request.directive)}` on {profile.name}: the node's other GPUs are "
            f"left without their share, and the job is charged for the largest share it takes "
            f"({source(profile, profile.gpus.url)}).",
            fix=f"On {profile.name}, stay within the share of one {gpu}: {' and '.join(advice)} "
                "(or the same totals with --cpus-per-task and --mem).")


def _slurm_size(mib: int) -> str:
    return f"{mib // 1024}G" if mib % 1024 == 0 else f"{mib}M"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


RULE = ResourcesPerGpuHigh
