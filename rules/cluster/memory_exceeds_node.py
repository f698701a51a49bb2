from cclint.analysis.limits import candidate_models, mib_text, source
from cclint.analysis.resources import gpu_request, memory_request, shown
from cclint.diagnostics import Severity
from cclint.registry import Rule


class MemoryExceedsNode(Rule):
    code = "CC607"
    name = "memory-exceeds-node"
    family = "cluster"
    severity = Severity.ERROR
    summary = "More memory per node than the cluster's nodes have"
    rationale = """
`--mem` is memory per node, and a node can give only its usable memory (less than the RAM
installed: the system keeps some). A request above the largest suitable node can never be
met: sbatch refuses it (`Requested node configuration is not available`) or it waits
forever. Where the profile lists only the regular nodes (large-memory nodes may exist),
the finding is a warning. Silent without a `--cluster` profile that gives node sizes.
"""
    certain_when = ("More memory per node than the largest suitable node has usable: the job is "
                    "refused or never starts, where the profile lists every node type; a warning "
                    "where it lists only the regular ones (large-memory nodes may exist).")
    silent_when = ("Requests that fit; `--mem=0` (the whole node); `--mem-per-cpu` whose tasks may "
                   "spread over nodes (`--ntasks` without `--nodes` or `--ntasks-per-node`) and whose "
                   "single task fits; Trillium, which ignores memory requests; profiles without node "
                   "sizes.")
    fix = "Ask for at most the usable memory of the cluster's nodes, or spread the work over several nodes."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mem=1500G\npython analyse.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mem=500G\npython analyse.py\n"
    example_profile = "mila"

    def check(self, script, ctx):
        profile = ctx.profile
        if profile.nodes.memory_ignored:
            return
        header = script.header
        gpus = gpu_request(header)
        memory = memory_request(header, gpus)
        if memory is None or memory.per_node is None:
            return
        severity = None
        if gpus is not None:
            if not profile.gpus.known:
                return
            sized = [m for m in candidate_models(profile, gpus) if m.node_memory]
            if not sized:
                return
            largest = max(sized, key=lambda m: m.node_memory)
            limit, kind = largest.node_memory, f"{largest.name} GPU nodes"
            url = profile.gpus.url or profile.nodes.url
        else:
            sized = [t for t in profile.nodes.types.values() if t.memory]
            if not sized:
                return
            largest = max(sized, key=lambda t: t.memory)
            limit = largest.memory
            kind = "CPU nodes" if profile.nodes.complete else "regular CPU nodes"
            url = profile.nodes.url
            if not profile.nodes.complete:
                severity = self.at_most(ctx, Severity.WARNING)
        if memory.per_node <= limit:
            return
        how = f" ({memory.how})" if memory.how else ""
        consequence = ("the job can never start" if severity is None else
                       "unless the cluster has large-memory nodes for it, the job is refused or never starts")
        yield self.report(
            ctx, memory.directive.span,
            f"`{shown(memory.directive)}` asks for {mib_text(memory.per_node)} per node{how}, more than "
            f"the {mib_text(limit)} usable on {profile.name}'s largest {kind}: {consequence} "
            f"({source(profile, url)}).",
            severity=severity,
            fix=f"Ask for at most {mib_text(limit)} per node on {profile.name} (usable memory, not the "
                "installed RAM), or spread the work over several nodes.")


RULE = MemoryExceedsNode
