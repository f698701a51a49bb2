"""What the header asks for, in numbers: time limit, nodes, tasks, GPUs, memory."""

from __future__ import annotations

from dataclasses import dataclass

from cclint.header.model import Directive, Header
from cclint.header.values import (
    GresItem, TimeLimit, parse_count, parse_gpus, parse_gres, parse_memory, parse_nodes, parse_time,
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


@dataclass
class GpuRequest:
    total: int  # GPUs of the whole job
    per_node: int  # GPUs per node
    directive: Directive  # the request to point at
    items: list[GresItem]  # typed counts as written

    @property
    def types(self) -> set[str]:
        return {i.type for i in self.items if i.type}


def gpu_request(header: Header) -> GpuRequest | None:
    """The job's GPU request, whatever the syntax (rules.md: multi-gpu-request)."""
    n_nodes = nodes(header)
    tasks = ntasks(header)
    candidates: list[GpuRequest] = []
    d = header.get("gres")
    if _usable(d):
        try:
            items = [i for i in parse_gres(d.value) if i.name == "gpu"]
        except ValueError:
            items = []
        if items:
            per_node = sum(i.count for i in items)
            candidates.append(GpuRequest(per_node * n_nodes, per_node, d, items))
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
        elif name == "gpus-per-node":
            total, per_node = count * n_nodes, count
        elif name == "gpus-per-task":
            total, per_node = count * tasks, max(1, count * tasks // n_nodes)
        else:
            sockets = _count(header, "sockets-per-node") or 1
            total, per_node = count * sockets * n_nodes, count * sockets
        candidates.append(GpuRequest(total, per_node, d, items))
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.total, r.directive.line))
