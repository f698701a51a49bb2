from cclint.analysis.limits import slice_count, source
from cclint.analysis.resources import gpu_requests, shown
from cclint.diagnostics import Severity
from cclint.registry import Rule


class MultipleMigInstances(Rule):
    code = "CC605"
    name = "multiple-mig-instances"
    family = "cluster"
    severity = Severity.ERROR
    summary = "More than one MIG (GPU slice) instance in one job"
    rationale = """
A MIG instance is a slice of one GPU (`a100_3g.20gb`, `nvidia_h100_80gb_hbm3_1g.10gb`,
`a100l.2`...). Slices cannot talk to each other over NVLink or PCIe, so the Alliance and
Mila give at most one MIG instance per job: a job asking for several is refused or never
starts. Silent without a `--cluster` profile that sets the limit.
"""
    certain_when = ("More MIG instances (GPU slices) in one job than the profile allows (one on "
                    "the Alliance and Mila clusters), counted over its nodes: the job is refused "
                    "or never starts.")
    silent_when = "One slice; full GPUs; profiles without the limit (generic)."
    fix = "Ask for one larger slice or a full GPU, or share one slice between processes (MPS)."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=a100_3g.20gb:2\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gpus-per-node=a100_3g.20gb:1\npython train.py\n"
    example_profile = "narval"

    def check(self, script, ctx):
        profile = ctx.profile
        limit = profile.gpus.max_slices_per_job
        if limit is None:
            return
        for request in gpu_requests(script.header):
            count = slice_count(profile, request)
            if count <= limit:
                continue
            d = request.directive
            yield self.report(
                ctx, d.span,
                f"`{shown(d)}` asks for {count} MIG instances (GPU slices): {profile.name} gives at most {limit} "
                f"per job, so the job is refused or never starts ({source(profile, profile.gpus.url)}).")


RULE = MultipleMigInstances
