"""A job's request held against its cluster's profile: the GPUs it names, the models that
could serve it, and the words every profile-driven finding uses to cite its limit.

The request side is `cclint.analysis.resources`; the cluster side is `cclint.profile`.
"""

from __future__ import annotations

import re
from cclint.patterns import lazy
from cclint.record import record

from cclint.analysis.resources import GpuRequest
from cclint.header.values import describe_mib, describe_minutes
from cclint.profile import GpuModel, GpuSlice, Profile

# MIG profile names as NVIDIA and the Alliance write them: `1g.5gb`, `3g.40gb` at the end.
_MIG_NAME = lazy(r"(^|[_.])\d+g\.\d+gb$", re.I)


@record(frozen=True)
class GpuKind:
    """One GPU item of a request, resolved against the profile."""

    specifier: str  # as written ('' when untyped)
    count: int  # as written, per node / per task / per job depending on the option
    found: GpuModel | GpuSlice | None  # None: untyped, or not a type of this cluster
    is_slice: bool  # a MIG/SoftMig instance (known to the profile, or named like one)

    @property
    def model(self) -> GpuModel | None:
        return self.found if isinstance(self.found, GpuModel) else None


def gpu_kinds(profile: Profile, request: GpuRequest) -> list[GpuKind]:
    kinds = []
    for item in request.items:
        found = profile.gpus.find(item.type) if item.type else None
        is_slice = isinstance(found, GpuSlice) or (found is None and bool(_MIG_NAME.search(item.type)))
        kinds.append(GpuKind(item.type, item.count, found, is_slice))
    return kinds


def slice_count(profile: Profile, request: GpuRequest) -> int:
    """MIG instances the whole job asks for (the option's count times nodes or tasks)."""
    kinds = gpu_kinds(profile, request)
    written = sum(k.count for k in kinds)
    slices = sum(k.count for k in kinds if k.is_slice)
    if not slices or not written:
        return 0
    return slices * request.total // written


def candidate_models(profile: Profile, request: GpuRequest) -> list[GpuModel]:
    """The cluster's GPU models that could serve the request (its type, else any model)."""
    models: list[GpuModel] = []
    for kind in gpu_kinds(profile, request):
        if isinstance(kind.found, GpuModel):
            models.append(kind.found)
        elif isinstance(kind.found, GpuSlice):
            parent = profile.gpus.models.get(kind.found.of)
            if parent is not None:
                models.append(parent)
        elif not kind.specifier:
            models.extend(profile.gpus.models.values())
        else:
            return []  # a type the cluster does not have: gpu-type-unknown says so
    unique = {m.name: m for m in models}
    return list(unique.values())


def offered(profile: Profile) -> str:
    """`h100 (NVIDIA H100 80GB); MIG: a, b` for messages."""
    models = ", ".join(f"{m.name} ({m.description})" if m.description else m.name
                       for m in profile.gpus.models.values())
    slices = ", ".join(profile.gpus.slices)
    return models + (f"; MIG slices: {slices}" if slices else "")


def minutes_text(minutes: int) -> str:
    """`24 h`, `7 days`, `15 min`, `1 h 30 min` (a day is said in hours, as sites write it)."""
    if minutes >= 2880 and minutes % 1440 == 0:
        return f"{minutes // 1440} days"
    return describe_minutes(minutes) if minutes % 1440 else f"{minutes // 60} h"


def mib_text(mib: float) -> str:
    if mib != int(mib):
        return f"{mib / 1024:.1f} GiB"
    return describe_mib(int(mib))


def source(profile: Profile, section_url: str = "") -> str:
    """`fir profile: https://...`: where the limit comes from, so that a student can check it."""
    return f"{profile.name} profile; see {profile.cite(section_url)}"
