import re

from cclint.analysis.resources import time_limit
from cclint.diagnostics import Severity
from cclint.header.grammars import parse_array
from cclint.header.values import describe_minutes
from cclint.patterns import lazy
from cclint.registry import Rule

# Words that show a job resumes or checkpoints; searched once in all the words of the script,
# joined by NULs (a script has none), so `^`/`$` of a single word become "next to a NUL".
_RESUME = lazy(r"(?=[rcsl.-])(?:resum|checkpoint|ckpt|restart|snapshot|--continue\b"
               r"|(?<![^\0])-cpi\n?(?![^\0])|\.cpt\b|save[-_]?state|load[-_]?state)",
               re.IGNORECASE)
# A piece of every alternative of _RESUME (keep them in step): text without any cannot match.
_RESUME_PIECES = ("resum", "checkpoint", "ckpt", "restart", "snapshot", "continue", "cpi", ".cpt", "state")


class LongJobWithoutCheckpoint(Rule):
    code = "CC204"
    name = "long-job-without-checkpoint"
    family = "resources"
    severity = Severity.INFO
    needs_shell_body = True
    summary = "More than 24 h in one job, and nothing suggests it can resume"
    rationale = """
A job of several days waits longer in the queue (few nodes free up for that long, and the
scheduler cannot backfill it), and a node failure, a time limit set too short or a
maintenance window loses everything. Jobs of 24 h or less that save a checkpoint and resume
from it start sooner and lose at most one chunk. An array with a throttle of 1
(`--array=1-10%1`) runs such chunks one after the other.
"""
    certain_when = ("A time limit above 24 h and no word of checkpointing or resuming in the "
                    "commands: a failure would lose all of it, and long jobs wait longer; good "
                    "practice, not a failure (info).")
    silent_when = ("24 h or less, or no limit; a resume, checkpoint or restart word in the "
                   "commands (`--resume`, `ckpt`, GROMACS `-cpi`); an array throttled to one task "
                   "at a time (`--array=1-4%1`); a job that resubmits itself (`sbatch $0`); a body "
                   "run by another interpreter than a shell (`#!/usr/bin/env python3`), which cclint "
                   "does not read.")
    fix = ("Save checkpoints and resume from the last one; run 24 h chunks, e.g. "
           "`#SBATCH --time=24:00:00` with `#SBATCH --array=1-3%1` for three chunks run one after the other.")
    bad = "#!/bin/bash\n#SBATCH --time=3-00:00:00\npython train.py --epochs 500\n"
    good = ("#!/bin/bash\n#SBATCH --time=24:00:00\n#SBATCH --array=1-3%1\n"
            "python train.py --epochs 500 --resume last.pt\n")

    def check(self, script, ctx):
        limit, d = time_limit(script.header)
        if limit is None or limit.minutes is None or limit.minutes <= 24 * 60:
            return
        if _chained(script.header) or _resumes(script):
            return
        yield self.report(ctx, d.span if d.origin in ("sbatch", "slurm") else d.line,
                          f"A {describe_minutes(limit.minutes)} job (`{d.shown}`) with no sign of "
                          "checkpointing or resuming: a failure or a short limit loses all of it, "
                          "and long jobs wait longer in the queue.", fix=_fix(limit.minutes))


def _fix(minutes: int) -> str:
    chunks = -(-minutes // (24 * 60))
    return ("Save checkpoints and resume from the last one; run 24 h chunks one after the other, here "
            f"{chunks}: `#SBATCH --time=24:00:00` with `#SBATCH --array=1-{chunks}%1`.")


def _chained(header) -> bool:
    array = header.value("array")
    if not array:
        return False
    try:
        return parse_array(array, 2**31)[1] == 1
    except ValueError:
        return False


def _resumes(script) -> bool:
    # Most scripts have none of the words at all. A word's literal is its text less some
    # quotes, backslashes, `$` (of `$'...'`) and continued lines, none of which the words
    # contain: if the whole text less all of those lacks them, so does every word.
    text = script.source.text
    if "$0" not in text and "BASH_SOURCE" not in text:
        for ch in "\"'\\$\n":
            text = text.replace(ch, "")
        text = text.casefold().replace("\u0131", "i")  # what IGNORECASE matches, as ASCII
        if not any(piece in text for piece in _RESUME_PIECES):
            return False
    texts = []
    for cmd in script.body.commands:
        if cmd.basename == "sbatch" and any("$0" in w.raw or "BASH_SOURCE" in w.raw for w in cmd.words[1:]):
            return True  # resubmits itself
        texts += [w.literal for w in cmd.words]
        for a in cmd.assignments:
            texts += (a.name, a.value.literal)
    return _RESUME.search("\0".join(texts)) is not None


RULE = LongJobWithoutCheckpoint
