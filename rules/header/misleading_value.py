import re

from cclint.analysis.commands import reads_array_index
from cclint.analysis.directives import FREE_TEXT_OPTIONS, issues
from cclint.analysis.resources import time_limit
from cclint.diagnostics import Severity
from cclint.header.options import availability
from cclint.patterns import lazy
from cclint.registry import Rule
from cclint.source import Span

_FILES = ("output", "error", "input")
# Values that only newer releases accept, for when the target release is unknown.
_NEW_VALUES = (
    ("requeue", lazy(r"^expedite$", re.I), "25.11"),
    ("exclusive", lazy(r"^topo$", re.I), "24.05"),
    ("exclusive", lazy(r"^allocation$", re.I), "26.05"),
    ("gres-flags", lazy(r"sharing", re.I), "23.11"),
    ("nodes", lazy(r"[,:]"), "23.02"),
)


class MisleadingValue(Rule):
    code = "CC113"
    name = "misleading-value"
    family = "header"
    severity = Severity.WARNING
    summary = "A value sbatch accepts but that does not mean what it looks like"
    rationale = """
Some values pass sbatch's checks and then do something else: `--time=1:30` is 1 minute 30
seconds (MM:SS), not an hour and a half; `--time=0` means no limit; `--mem=16` is 16 MiB;
`-partition=gpu` (one dash) is `-p` with the value `artition=gpu`, a partition that cannot
exist (an error: the job is refused); `-J run#2` is cut at the
`#` (a comment); `%a` in the log name of a job that is not an array becomes 4294967294;
`--gpus=gpu:2` asks for GPUs of a type named "gpu". From Slurm 23.02 sbatch also passes on
GRES requests that only the controller can judge: `--gres=gpu:h100:1:2` asks for GPUs of a
type named `h100:1` (no node has one), `gpu::1` for a type named '', `--gres=:1` ends the
list, `--gpus-per-task=a100:x` asks for none. When the Slurm release is unknown, cclint also
points out values and options that only recent releases accept.
"""
    certain_when = ("A value sbatch accepts that likely does not mean what it says (`--time=1:30` "
                    "is 90 seconds, `--mem=16` is 16 MiB, `%a` outside an array, a value cut at "
                    "`#`, GRES fields only the controller judges): the intent is a guess, so a "
                    "warning. One dash before a long name (`-partition=gpu` is `-p artition=gpu`) "
                    "is an error when that names a partition, QOS, node list or input that cannot "
                    "exist, a warning in a free-text value; options and values newer than an "
                    "unknown target release are info.")
    silent_when = ("Explicit values (`01:30:00`, `16G`); `%a` in array jobs, or in a job whose "
                   "body reads $SLURM_ARRAY_TASK_ID (the array is given on the command line); a "
                   "quoted `#`; version notes when the target release is known; `--time=UNLIMITED` "
                   "or `0` on a profile with a maximum walltime, which time-exceeds-limit reports "
                   "(an error, with the cap).")
    fix = "Write the value explicitly (shown with each finding)."
    bad = "#!/bin/bash\n#SBATCH --time=1:30\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:30:00\npython x.py\n"

    def check(self, script, ctx):
        header, source = script.header, script.source
        failing = {id(i.directive) for i in issues(ctx) if i.stage != "note"}
        beyond_the_cap = _unlimited_beyond_the_cap(script, ctx)
        for issue in issues(ctx):
            if issue.category == "misleading":
                d = issue.directive
                if d is beyond_the_cap:
                    continue  # time-exceeds-limit says it with the cluster's maximum
                yield self.report(ctx, d.value_span or d.span, f"`{d.shown}`: {issue.message}.",
                                  fix=f"Accepted: {issue.hint}.")
        array = header.has("array") or reads_array_index(source.text)
        for d in header.directives:
            if d.spec is None or d.origin not in ("sbatch", "slurm"):
                continue
            problem = d.problem
            if problem is not None and problem.kind == "single-dash-long" and id(d) not in failing:
                meant = problem.candidates[0]
                severity, outcome = None, ""
                if d.name not in FREE_TEXT_OPTIONS:  # a name the controller or node must know
                    severity = self.raised(ctx, Severity.ERROR)
                    outcome = " The job fails at start: no input file has that name." if d.name == "input" \
                        else f" No {d.name} has that name: the job is refused."
                yield self.report(ctx, d.span, f"`{d.written}{d.value}` has one dash: getopt reads "
                                  f"it as `{d.written}` with the value `{d.value}`, not as `{meant}`.{outcome}",
                                  fix=f"Write two dashes: `-{d.written}{d.value}`.", severity=severity)
            if d.name in _FILES and d.value and not array and re.search(r"%[0-9]*a", d.value):
                yield self.report(ctx, d.value_span or d.span, f"`{d.shown}`: this job is not an "
                                  "array, so %a becomes 4294967294 in the file name.",
                                  fix="Use %j (the job id), or add --array.")
            cut = d.value_span.end if d.value_span is not None else None
            if cut is not None and d.value and cut < len(source.text) and source.text[cut] == "#":
                rest = re.match(r"[^\s]*", source.text[cut:]).group()
                sep = "=" if d.written.startswith("--") else " "
                yield self.report(ctx, Span(d.value_span.start, cut + len(rest)),
                                  f"`{d.shown}{rest}`: an unquoted `#` starts a comment, so sbatch "
                                  f"cuts the value to `{d.value}`.",
                                  fix=f"Quote the value: `{d.written}{sep}\"{d.value}{rest}\"`, or avoid `#`.")
            if d.origin == "slurm" and d is _first_slurm(header):
                yield self.report(ctx, d.line, "`#SLURM` is a legacy prefix: sbatch prints \"Change "
                                  "from #SLURM to #SBATCH in your script and verify the options are "
                                  "valid in sbatch\".", fix="Write `#SBATCH`.")
            if ctx.version is None:
                yield from self._version_notes(ctx, source, d)

    def _version_notes(self, ctx, source, d):
        note = availability(d.name)
        if "added in" in note and d.problem is None:
            yield self.report(ctx, d.option_span, f"`{d.written}` exists only in recent Slurm "
                              f"releases{note}; the target release is unknown.",
                              severity=self.at_most(ctx, Severity.INFO),
                              fix="Check `sbatch --version` on your cluster (or give --slurm-version).")
        for name, pattern, release in _NEW_VALUES:
            if d.name == name and d.value and pattern.search(d.value):
                yield self.report(ctx, d.value_span or d.span, f"`{d.shown}` needs Slurm {release} "
                                  "or later; older releases refuse the script.",
                                  severity=self.at_most(ctx, Severity.INFO), fix="Check `sbatch --version` on your cluster (or give --slurm-version).")
        if d.value and d.value_span is not None and " " in d.value \
                and "\\ " in source.text[d.value_span.start:d.value_span.end]:
            yield self.report(ctx, d.value_span, f"`\\ ` in `{d.shown}` keeps the space only from "
                              "Slurm 24.05; older releases split the word there and refuse the script.",
                              fix=f"Quote the value instead: `{d.written}{'=' if d.written.startswith('--') else ' '}"
                                  f"\"{d.value}\"`.")


def _first_slurm(header):
    return next((d for d in header.directives if d.origin == "slurm"), None)


def _unlimited_beyond_the_cap(script, ctx):
    """The winning `--time=UNLIMITED` (or 0) when the profile caps the walltime and
    time-exceeds-limit runs: that rule reports it, certain, with the cap."""
    if ctx.profile.time.max is None or not ctx.runs("time-exceeds-limit"):
        return None
    asked, d = time_limit(script.header)
    return d if asked is not None and asked.unlimited else None


RULE = MisleadingValue
