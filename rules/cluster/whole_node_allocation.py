from cclint.analysis.limits import source
from cclint.analysis.resources import cpus_per_node, gpu_request, memory_request, nodes, shown
from cclint.diagnostics import Severity
from cclint.registry import Rule

_CORE_OPTIONS = ("ntasks-per-node", "ntasks", "cpus-per-task")


class WholeNodeAllocation(Rule):
    code = "CC611"
    name = "whole-node-allocation"
    family = "cluster"
    severity = Severity.WARNING
    summary = "A CPU job asks for part of a node where CPU jobs get whole nodes (--mem ignored, the node charged)"
    rationale = """
Some clusters give CPU jobs whole nodes only: on Trillium every CPU job gets, and is charged
for, whole 192-core nodes with all their memory. There `--mem` (and `--mem-per-cpu`) is
ignored, and a job that asks for 4 cores still uses up a node's 192-core share of the
allocation while 188 cores sit idle. Fill the node (many tasks or threads, or several
small jobs bundled into one with GNU parallel), or run small jobs on another cluster.
Silent for GPU jobs (they get a share per GPU), for a job that does not say how many cores
it wants, and without a `--cluster` profile whose CPU jobs get whole nodes.
"""
    certain_when = ("A CPU job that asks for part of a node, or gives `--mem`, where CPU jobs get "
                    "whole nodes (Trillium): it runs, charged for the whole node (warning).")
    silent_when = ("Full nodes; GPU jobs; jobs that give no core count; profiles where CPU jobs "
                   "share nodes.")
    fix = ("Use the whole node (`#SBATCH --ntasks-per-node=192`, or threads with --cpus-per-task), "
           "or bundle small tasks into one job with GNU parallel; remove --mem.")
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --ntasks=4\n#SBATCH --mem=8G\nsrun ./simulate\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --nodes=1\n#SBATCH --ntasks-per-node=192\nsrun ./simulate\n"
    example_profile = "trillium"

    def check(self, script, ctx):
        profile = ctx.profile
        if not profile.nodes.whole:
            return
        header = script.header
        if gpu_request(header) is not None:
            return
        memory = memory_request(header)
        ignored = memory is not None and profile.nodes.memory_ignored
        cores = _node_cores(profile)
        given = [header.get(name) for name in _CORE_OPTIONS if header.get(name) is not None]
        asked = cpus_per_node(header) if given else None
        partial = asked is not None and cores is not None and asked < cores
        if not ignored and not partial:
            return
        parts = []
        if ignored:
            parts.append(f"`{shown(memory.directive)}` is ignored on {profile.name}: CPU jobs get whole "
                         "nodes, with all their memory")
        if partial:
            n = nodes(header)
            charged = f"{n} whole node{'s' if n != 1 else ''} of {cores} cores"
            parts.append(f"{'and' if ignored else f'On {profile.name},'} the job asks for {asked} "
                         f"core{'s' if asked != 1 else ''} per node but is charged for {charged}, "
                         f"{cores - asked} of them idle{' on each' if n != 1 else ''}")
        where = memory.directive if ignored else given[0]
        fixes = [f"use the whole node (`#SBATCH --ntasks-per-node={cores}`, or threads with --cpus-per-task), "
                 "or bundle small tasks into one job with GNU parallel"] if partial else []
        if ignored:
            fixes.append("remove the memory line (the job gets all the memory of its nodes)")
        fix = "; ".join(fixes)
        yield self.report(ctx, where.span, f"{'; '.join(parts)} ({source(profile, profile.nodes.url or profile.url)}).",
                          fix=fix[0].upper() + fix[1:] + ".")


def _node_cores(profile) -> int | None:
    """Cores of the cluster's CPU nodes (the `cpu` type, else the only type listed)."""
    types = profile.nodes.types
    node = types.get("cpu") or (next(iter(types.values())) if len(types) == 1 else None)
    return node.cores if node is not None else None


RULE = WholeNodeAllocation
