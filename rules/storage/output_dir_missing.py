import os
import posixpath
import re
from pathlib import Path

from cclint.diagnostics import Severity
from cclint.registry import Rule

_PATTERN = re.compile(r"%(\d*)([AabjJNnrSstux%])")
_PER_JOB = set("AabjJNnrSst")  # replaced on the compute node: no such directory can exist before


class OutputDirMissing(Rule):
    code = "CC302"
    name = "output-dir-missing"
    family = "storage"
    severity = Severity.WARNING
    summary = "The directory of --output/--error/--input does not exist"
    rationale = """
Slurm opens the job's log files on the compute node before the first line of the script
runs, in the directory given by `--output`/`--error` (relative paths start from `--chdir`,
else from the directory you submit from). Before Slurm 23.02 a missing directory makes the
job fail at once, with no log to explain why; from 23.02 slurmstepd creates it. A
`mkdir -p logs` inside the script always runs too late.
"""
    fix = "Create the directory before submitting (`mkdir -p logs`), or use a flat file name."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --output=no-such-dir/%j.out\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --output=%x-%j.out\npython train.py\n"

    def check(self, script, ctx):
        header = script.header
        chdir = header.value("chdir")
        submit = Path(ctx.settings.submit_dir)
        if chdir is not None:
            if "$" in chdir or chdir.startswith("~") or "%" in chdir:
                return  # unknowable; variable-in-directive reports the `~`/`$`
            base = Path(chdir) if chdir.startswith("/") else submit / chdir
        else:
            base = submit
        job_name = header.value("job-name") or posixpath.basename(ctx.path) or "sbatch"
        version = ctx.version
        release = f"Slurm {version}" if ctx.settings.slurm_version is not None or version is None else \
            f"Slurm {version} ({ctx.profile.name}'s release)"
        if version is None:
            severity, consequence = Severity.WARNING, (
                "before Slurm 23.02 the job fails at start with no log (newer versions create it)")
        elif version.at_least(23, 2):
            severity, consequence = Severity.INFO, (
                f"{release} creates it when the job starts, but keep it explicit")
        else:
            severity, consequence = Severity.ERROR, (
                f"with {release} the job fails at start, with no log to say why")
        for name in ("output", "error", "input"):
            for d in header.all(name):
                value = d.value
                if not value or value.lower() == "none" or value.startswith("/dev/") or "\\" in value:
                    continue
                directory = posixpath.dirname(value)
                if not directory:
                    continue
                expanded, per_job = self._expand(directory, job_name)
                option = d.written if d.origin in ("sbatch", "env") else f"#PBS {d.source_text}"
                if directory.startswith("/"):
                    if not per_job and os.path.isdir(expanded):
                        continue
                    yield self.report(ctx, d.span, f"Cannot check that {directory}/ (for {option}) "
                                      "exists: that path is not on this machine.",
                                      severity=Severity.INFO,
                                      fix=f"Make sure `{directory}` exists on the cluster before "
                                          "submitting (`mkdir -p` it on the login node).")
                    continue
                if not per_job and os.path.isdir(os.path.join(base, expanded)):
                    continue
                shown = directory if expanded == directory else f"{directory} (= {expanded})"
                where = "under --chdir" if chdir is not None else "in the submission directory"
                yield self.report(
                    ctx, d.span, f"The directory {shown} for {option} does not exist {where} "
                    f"({base}): {consequence}.",
                    severity=severity,
                    fix=f"Run `mkdir -p {expanded}` before sbatch (inside the script is too late), "
                        "or write the log to an existing directory.")

    @staticmethod
    def _expand(directory: str, job_name: str) -> tuple[str, bool]:
        per_job = False

        def repl(m):
            nonlocal per_job
            letter = m.group(2)
            if letter == "%":
                return "%"
            if letter == "x":
                return job_name
            if letter == "u":
                return os.environ.get("USER", "%u")
            per_job = True
            return m.group(0)

        return _PATTERN.sub(repl, directory), per_job


RULE = OutputDirMissing
