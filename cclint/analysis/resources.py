"""What the header asks for, in numbers: time limit, nodes, tasks, GPUs, memory.

Only the request is read here; what a cluster allows is in the profile (`cclint.profile`)
and `cclint.analysis.limits` puts the two together.
"""

from __future__ import annotations

from cclint.record import record

from cclint.header.model import Directive, Header
from cclint.header.values import (
    GresItem, TimeLimit, describe_mib, parse_count, parse_gpus, parse_gres, parse_memory, parse_nodes,
    parse_time,
)


def _usable(d: Directive | None) -> bool:
    return d is not None and d.value is not None and (d.problem is None or d.problem.kind == "abbreviation")


def time_limit(header: Header) -> tuple[TimeLimit | None, Directive | None]:
    d = header.get("time")
    if not _usable(d):
        return None, d
    try:
        return parse_time(d.value), d
    except ValueError:
        return None, d


def shown(d: Directive) -> str:
    """The directive as written, for messages (`#PBS -l walltime=...` for translated lines)."""
    if d.origin == "env":
        return d.source_text
    return d.shown if d.origin in ("sbatch", "slurm") else f"#{d.origin.upper()} {d.source_text}".rstrip()


def nodes_given(header: Header) -> bool:
    return _usable(header.get("nodes"))


def nodes(header: Header) -> int:
    d = header.get("nodes")
    if _usable(d):
        try:
            return parse_nodes(d.value)[0] or 1
        except ValueError:
            pass
    return 1


def _count(header: Header, name: str) -> int | None:
    d = header.get(name)
    if _usable(d):
        try:
            return parse_count(d.value, name)
        except ValueError:
            return None
    return None


def ntasks(header: Header) -> int:
    """Tasks of the job: --ntasks, else --ntasks-per-node x nodes, else one per node."""
    explicit = _count(header, "ntasks")
    if explicit:
        return explicit
    per_node = _count(header, "ntasks-per-node")
    if per_node:
        return per_node * nodes(header)
    return 1


def cpus_per_task(header: Header) -> int:
    return _count(header, "cpus-per-task") or 1


def tasks_per_node(header: Header) -> int:
    """--ntasks-per-node, else the tasks spread evenly over the nodes (rounded up)."""
    per_node = _count(header, "ntasks-per-node")
    if per_node:
        return per_node
    n_nodes = nodes(header)
    return -(-ntasks(header) // n_nodes)


def cpus_per_gpu(header: Header) -> int | None:
    return _count(header, "cpus-per-gpu")


def cpus_per_node(header: Header, gpus: "GpuRequest | None" = None) -> int:
    """CPUs the job asks on each node: --cpus-per-gpu x GPUs, else --cpus-per-task x tasks."""
    per_gpu = cpus_per_gpu(header)
    if per_gpu and gpus is not None:
        return per_gpu * gpus.per_node
    return cpus_per_task(header) * tasks_per_node(header)


def cpus_total(header: Header, gpus: "GpuRequest | None" = None) -> int:
    per_gpu = cpus_per_gpu(header)
    if per_gpu and gpus is not None:
        return per_gpu * gpus.total
    return cpus_per_task(header) * ntasks(header)


def memory_mib(header: Header) -> tuple[int | None, Directive | None]:
    """Memory per node when given with --mem (None for --mem=0 or other forms)."""
    d = header.get("mem")
    if _usable(d):
        try:
            mib = parse_memory(d.value)
            return (mib or None), d
        except ValueError:
            pass
    return None, d


@record
class MemoryRequest:
    directive: Directive
    option: str  # mem | mem-per-cpu | mem-per-gpu
    mib: int  # the value, in MiB (0: all the memory of each node)
    per_node: int | None  # MiB per node, when it can be computed
    total: int | None  # MiB for the whole job
    per_gpu: float | None  # MiB per GPU, for a GPU job
    how: str  # how per_node was computed, for messages


def memory_request(header: Header, gpus: "GpuRequest | None" = None) -> MemoryRequest | None:
    """The memory the job asks for, whichever of --mem, --mem-per-cpu, --mem-per-gpu is used
    (the last one written wins here; conflicting-options reports several)."""
    found = []
    for name in ("mem", "mem-per-cpu", "mem-per-gpu"):
        d = header.get(name)
        if _usable(d):
            try:
                found.append((d.line, name, d, parse_memory(d.value, name)))
            except ValueError:
                pass
    if not found:
        return None
    _, name, d, mib = max(found, key=lambda f: f[0])
    n_nodes = nodes(header)
    per_node: int | None
    if name == "mem":
        per_node, how = (mib or None), ""
    elif name == "mem-per-cpu":
        cpus = cpus_per_node(header, gpus)
        per_node, how = mib * cpus, f"{describe_mib(mib)} x {cpus} CPU{'s' if cpus > 1 else ''}"
        if not _tasks_placed(header, gpus):
            # --ntasks without --nodes or --ntasks-per-node: Slurm may spread the tasks over as
            # many nodes as it needs, so only one task's CPUs are certain to share a node
            # (the job's total stays the same).
            one = cpus_per_task(header)
            total = mib * cpus * n_nodes
            how = f"{describe_mib(mib)} x {one} CPU{'s' if one > 1 else ''} of one task"
            return MemoryRequest(d, name, mib, mib * one, total, _per_gpu(gpus, name, mib, total), how)
    elif gpus is not None:
        per_node, how = mib * gpus.per_node, f"{describe_mib(mib)} x {gpus.per_node} GPU{'s' if gpus.per_node > 1 else ''}"
    else:
        per_node, how = None, ""
    total = per_node * n_nodes if per_node is not None else None
    return MemoryRequest(d, name, mib, per_node, total, _per_gpu(gpus, name, mib, total), how)


def _per_gpu(gpus: "GpuRequest | None", name: str, mib: int, total: int | None) -> float | None:
    if gpus is None or not gpus.total:
        return None
    if name == "mem-per-gpu":
        return float(mib)
    return total / gpus.total if total is not None else None


def _tasks_placed(header: Header, gpus: "GpuRequest | None") -> bool:
    """Whether the tasks' CPUs per node are fixed by the header: one task, --nodes,
    --ntasks-per-node, or --cpus-per-gpu with a GPU request per node."""
    if cpus_per_gpu(header) and gpus is not None:
        return True
    return ntasks(header) <= 1 or nodes_given(header) or _count(header, "ntasks-per-node") is not None


@record
class GpuRequest:
    total: int  # GPUs of the whole job
    per_node: int  # GPUs per node
    directive: Directive  # the request to point at
    items: list[GresItem]  # typed counts as written
    per_node_exact: bool = True  # False: --gpus=N (or per task) lets Slurm spread them over nodes

    @property
    def types(self) -> set[str]:
        return {i.type for i in self.items if i.type}


def gpu_requests(header: Header) -> list[GpuRequest]:
    """Every GPU request of the header (one per option), whatever the syntax."""
    return header.cached("gpu_requests", lambda: _gpu_requests(header))


def _gpu_requests(header: Header) -> list[GpuRequest]:
    n_nodes = nodes(header)
    tasks = ntasks(header)
    exact_nodes = nodes_given(header) and n_nodes == 1
    found: list[GpuRequest] = []
    d = header.get("gres")
    if _usable(d):
        try:
            items = [i for i in parse_gres(d.value) if i.name == "gpu"]
        except ValueError:
            items = []
        if items:
            per_node = sum(i.count for i in items)
            found.append(GpuRequest(per_node * n_nodes, per_node, d, items))
    for name in ("gpus", "gpus-per-node", "gpus-per-task", "gpus-per-socket"):
        d = header.get(name)
        if not _usable(d):
            continue
        try:
            items = parse_gpus(d.value)
        except ValueError:
            continue
        count = sum(i.count for i in items)
        if not count:
            continue
        if name == "gpus":
            total, per_node = count, max(1, count // n_nodes)
            exact = exact_nodes
        elif name == "gpus-per-node":
            total, per_node, exact = count * n_nodes, count, True
        elif name == "gpus-per-task":
            total, per_node = count * tasks, max(1, count * tasks // n_nodes)
            exact = exact_nodes or _count(header, "ntasks-per-node") is not None
            if _count(header, "ntasks-per-node"):
                per_node = count * tasks_per_node(header)
        else:
            sockets = _count(header, "sockets-per-node") or 1
            total, per_node, exact = count * sockets * n_nodes, count * sockets, True
        found.append(GpuRequest(total, per_node, d, items, exact))
    return found


def gpu_request(header: Header) -> GpuRequest | None:
    """The job's GPU request, whatever the syntax (rules.md: multi-gpu-request): the largest
    when several options ask for GPUs."""
    candidates = gpu_requests(header)
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.total, r.directive.line))
