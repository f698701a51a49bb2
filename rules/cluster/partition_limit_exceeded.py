from cclint.analysis.limits import mib_text, minutes_text, source
from cclint.analysis.resources import cpus_total, gpu_request, memory_request, shown, time_limit
from cclint.diagnostics import Severity
from cclint.profile import PartitionLimit
from cclint.registry import Rule


class PartitionLimitExceeded(Rule):
    code = "CC609"
    name = "partition-limit-exceeded"
    family = "cluster"
    severity = Severity.ERROR
    summary = "The job asks for more than its partition allows (CPUs, memory, GPUs or time)"
    rationale = """
Where partitions are part of the interface (the Mila cluster: `unkillable`, `main`,
`long`...), each has per-job limits on CPUs, memory, GPUs and time. A job above them is
refused or stays pending forever (`QOSMaxCpuPerJobLimit`, `PartitionTimeLimit`...).
Silent without a `--cluster` profile that gives the partitions' limits.
"""
    certain_when = ("More CPUs, memory, GPUs or time than every partition the job names allows, by "
                    "the profile's limits: the job is refused or stays pending forever.")
    silent_when = ("A list of partitions one of which fits (Slurm uses it); partitions the profile "
                   "does not describe; profiles without partition limits.")
    fix = "Ask for less, or choose a partition whose limits fit the job."
    bad = ("#!/bin/bash\n#SBATCH --partition=unkillable-cpu\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=300G\n"
           "#SBATCH --time=01:00:00\npython analyse.py\n")
    good = ("#!/bin/bash\n#SBATCH --partition=long-cpu\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=300G\n"
            "#SBATCH --time=01:00:00\npython analyse.py\n")
    example_profile = "mila"

    def check(self, script, ctx):
        profile = ctx.profile
        limits = profile.partitions.limits
        if not limits:
            return
        header = script.header
        d = header.get("partition")
        if d is None or not d.value:
            return
        known = [limits[n.strip()] for n in d.value.split(",") if n.strip() in limits]
        if not known:
            return  # a partition the profile does not describe: nothing to judge
        gpus = gpu_request(header)
        memory = memory_request(header, gpus)
        asked_time, _ = time_limit(header)
        job = {
            "cpus": cpus_total(header, gpus),
            "memory": memory.total if memory is not None else None,
            "gpus": gpus.total if gpus is not None else 0,
            "time": None if asked_time is None or asked_time.negative else asked_time,
        }
        verdicts = [(p, self._excess(p, job)) for p in known]
        if any(not excess for _, excess in verdicts):
            return  # Slurm uses the first partition in the list that can run the job
        partition, excess = verdicts[0]
        others = [p.name for p in limits.values() if not self._excess(p, job)]
        suggestion = f" (it would fit in: {', '.join(others)})" if others else ""
        yield self.report(
            ctx, d.span,
            f"`{shown(d)}`: partition {partition.name} on {profile.name} allows {'; '.join(excess)} "
            f"per job: the job is refused or never starts "
            f"({source(profile, profile.partitions.url)}).",
            fix=f"Ask for less, or choose another partition of {profile.name}{suggestion}.")

    @staticmethod
    def _excess(p: PartitionLimit, job: dict) -> list[str]:
        out = []
        if p.cpus is not None and job["cpus"] > p.cpus:
            out.append(f"at most {p.cpus} CPUs, not {job['cpus']}")
        if p.memory is not None and job["memory"] is not None and job["memory"] > p.memory:
            out.append(f"at most {mib_text(p.memory)} of memory, not {mib_text(job['memory'])}")
        if p.gpus is not None and job["gpus"] > p.gpus:
            out.append("no GPUs" if p.gpus == 0 else f"at most {p.gpus} GPU{'s' if p.gpus > 1 else ''}, "
                       f"not {job['gpus']}")
        t = job["time"]
        if p.time is not None and t is not None:
            if t.unlimited:
                out.append(f"at most {minutes_text(p.time)}, not an unlimited time")
            elif t.minutes > p.time:
                out.append(f"at most {minutes_text(p.time)}, not {minutes_text(t.minutes)}")
        return out


RULE = PartitionLimitExceeded
