from cclint.analysis.resources import gpu_request
from cclint.diagnostics import Severity
from cclint.registry import Option, Rule


class MaxGpus(Rule):
    code = "CC903"
    name = "max-gpus"
    family = "policy"
    severity = Severity.ERROR
    enabled_by_default = False
    summary = "More GPUs requested than the course or group allows (course policy)"
    rationale = """
A policy an instructor or a group sets in the configuration: a job may request at most
`max` GPUs in total (`options: {max-gpus: {max: 1}}`, default 1), whatever the syntax
(`--gres=gpu:N`, `--gpus`, `--gpus-per-node` times nodes, `--gpus-per-task` times tasks).
A workshop cluster has a handful of GPUs for a whole class: one student's four-GPU job keeps
three classmates waiting.
"""
    certain_when = ("More GPUs in total (any syntax) than the configured `max`: the course's "
                    "policy, set in its configuration, refuses it.")
    silent_when = "At most `max` GPUs; off by default."
    fix = "Request at most the allowed number of GPUs, e.g. `#SBATCH --gres=gpu:1`."
    options = {"max": Option("int", 1, "most GPUs a job may request", minimum=0)}
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:2\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:1\npython train.py\n"

    def check(self, script, ctx):
        limit = ctx.option(self, "max")
        request = gpu_request(script.header)
        if request is None or request.total <= limit:
            return
        d = request.directive
        how = d.shown if d.origin == "sbatch" else d.source_text
        allowed = "no GPU" if limit == 0 else f"at most {limit} GPU{'s' if limit != 1 else ''}"
        yield self.report(ctx, d.span, f"{request.total} GPUs requested (`{how}`): this course allows "
                          f"{allowed} per job.", fix=f"Request {allowed}." if limit else "Remove the GPU request.")


RULE = MaxGpus
