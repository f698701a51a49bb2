from cclint.analysis.limits import candidate_models, gpu_kinds, source
from cclint.analysis.resources import gpu_request, nodes, shown
from cclint.diagnostics import Severity
from cclint.profile import GpuModel
from cclint.registry import Rule


def _rule_text(model: GpuModel) -> str:
    """What the cluster allows per node, in words."""
    counts = model.allowed_counts
    if model.counts and len(counts) == 1:
        return f"whole nodes only: {counts[0]} {model.name} GPUs per node"
    if model.counts:
        listed = ", ".join(str(c) for c in counts[:-1]) + f" or {counts[-1]}"
        return f"{listed} {model.name} GPUs per node (more: whole nodes of {counts[-1]})"
    return f"at most {model.per_node} {model.name} GPUs per node"


def _fits(model: GpuModel, per_node: int, total: int, exact: bool, n_nodes: int) -> bool:
    counts = model.allowed_counts
    if not counts:
        return True
    whole = max(counts)
    if exact:
        if per_node not in counts:
            return False
        # Several nodes: where the site lists the allowed counts, only whole nodes combine.
        return n_nodes == 1 or not model.counts or per_node == whole
    if total in counts:
        return True
    return total % whole == 0 if model.counts else True


class GpuCountNotAllowed(Rule):
    code = "CC604"
    name = "gpu-count-not-allowed"
    family = "cluster"
    severity = Severity.ERROR
    summary = "A number of GPUs the cluster cannot give (per node, or not a whole node where required)"
    rationale = """
A GPU node has a fixed number of GPUs (4 on Fir, Narval and Rorqual, 8 on Nibi), and some
clusters allow only certain counts: on Trillium 1 GPU or whole nodes of 4; on tamIA whole
nodes only (4 H100 or 8 H200 per node). Other requests are refused at submission or never
start. Silent without a `--cluster` profile that gives the GPUs per node.
"""
    certain_when = ("A number of GPUs per node that no GPU model of the cluster can give: more "
                    "than a node holds, or a count the site forbids (Trillium: 1 or whole nodes of "
                    "4; tamIA: whole nodes only): the job is refused or never starts.")
    silent_when = ("Counts that some model fits; MIG slices (multiple-mig-instances'); unknown "
                   "types (gpu-type-unknown's); profiles without GPU counts.")
    fix = "Ask for a number of GPUs per node that the cluster allows (`cclint cluster NAME` shows it)."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=h100:2\ntorchrun --nproc_per_node=2 train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=h100:4\ntorchrun --nproc_per_node=4 train.py\n"
    example_profile = "trillium"

    def check(self, script, ctx):
        profile = ctx.profile
        if not profile.gpus.known:
            return
        request = gpu_request(script.header)
        if request is None or any(k.is_slice for k in gpu_kinds(profile, request)):
            return  # MIG slices: multiple-mig-instances
        models = [m for m in candidate_models(profile, request) if m.allowed_counts]
        if not models:
            return
        n_nodes = nodes(script.header)
        if any(_fits(m, request.per_node, request.total, request.per_node_exact, n_nodes) for m in models):
            return
        d = request.directive
        if request.per_node_exact:
            asked = f"{request.per_node} GPU{'s' if request.per_node > 1 else ''} per node"
            if n_nodes > 1:
                asked += f" on {n_nodes} nodes"
        else:
            asked = f"{request.total} GPU{'s' if request.total > 1 else ''}"
        allowed = "; ".join(_rule_text(m) for m in models)
        yield self.report(
            ctx, d.span,
            f"`{shown(d)}` asks for {asked}, which {profile.name} cannot give: {allowed} "
            f"({source(profile, profile.gpus.url)}).",
            fix=f"On {profile.name}, ask for {allowed}.")


RULE = GpuCountNotAllowed
