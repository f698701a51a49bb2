from cclint.analysis.limits import gpu_kinds, offered, source
from cclint.analysis.resources import gpu_requests, shown
from cclint.diagnostics import Severity
from cclint.registry import Rule


class GpuTypeUnknown(Rule):
    code = "CC603"
    name = "gpu-type-unknown"
    family = "cluster"
    severity = Severity.ERROR
    summary = "The GPU type requested is not offered on the cluster"
    rationale = """
The GPU type in `--gpus-per-node=TYPE:N` (or `--gres=gpu:TYPE:N`, `--gpus=TYPE:N`) must be
one the cluster has, spelled as its documentation gives it, MIG slices included. Otherwise
sbatch refuses the job (`Invalid generic resource (gres) specification`) or it never
starts. Scripts copied from retired clusters still ask for `p100` or `v100`. Silent
without a `--cluster` profile that lists the cluster's GPUs.
"""
    certain_when = ("A GPU type, MIG slices included, that the profile's list of the cluster's "
                    "GPUs does not have: the job is refused or never starts.")
    silent_when = ("Untyped requests; types the cluster has, in any case; profiles that list no "
                   "GPUs (generic, alliance).")
    fix = "Use one of the cluster's GPU types (`cclint cluster NAME` lists them), e.g. `--gpus-per-node=h100:1`."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=v100:1\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=h100:1\npython train.py\n"
    example_profile = "fir"

    def check(self, script, ctx):
        profile = ctx.profile
        gpus = profile.gpus
        if not gpus.known:
            return
        for request in gpu_requests(script.header):
            for kind in gpu_kinds(profile, request):
                if not kind.specifier or kind.found is not None:
                    continue
                retired = gpus.retired.get(kind.specifier.lower())
                history = f"; {kind.specifier} GPUs were on {retired}" if retired else ""
                first = next(iter(gpus.models))
                yield self.report(
                    ctx, request.directive.span,
                    f"GPU type `{kind.specifier}` (`{shown(request.directive)}`) is not offered on "
                    f"{profile.name}{history}. {profile.name} has: {offered(profile)} "
                    f"({source(profile, gpus.url)}).",
                    fix=f"Use one of {profile.name}'s GPU types, e.g. `--gpus-per-node={first}:1`.")


RULE = GpuTypeUnknown
