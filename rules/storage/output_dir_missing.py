import os
import posixpath
from pathlib import Path

from cclint.diagnostics import Severity
from cclint.patterns import lazy
from cclint.registry import Option, Rule

_PATTERN = lazy(r"%(\d*)([AabjJNnrSstux%])")
_PER_JOB = set("AabjJNnrSst")  # replaced on the compute node: no such directory can exist before
# Written literally by sbatch (it expands nothing): `$USER`, `${X}`, `$(...)`, `<username>`.
_NEVER_MADE = lazy(r"\$[A-Za-z_{(]|<[^<>/]+>")


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

The directory of `--input` must exist in every release: Slurm creates log directories
only. An absolute directory is checked when its file system is on this machine; elsewhere it
cannot be checked, and is not reported (the `unverifiable` option notes it at info). A
directory part holding `%j`, `$USER` or `<username>` never exists: sbatch expands none
of them before opening the log.
"""
    certain_when = ("The directory of `--output`/`--error` does not exist (relative: under "
                    "`--chdir` or the submission directory; absolute: on a file system mounted "
                    "here), or no one could make it (`%j`, `$VAR`, `<placeholder>` in it): an "
                    "error before Slurm 23.02 (the job fails with no log), info from 23.02 "
                    "(slurmstepd creates it), a warning when the release is unknown. The directory "
                    "of `--input`: an error in every release (Slurm never creates it).")
    silent_when = ("Existing directories; names without a directory; `/dev/...`; an absolute "
                   "directory on a file system absent from this machine (`/scratch/...` on a "
                   "laptop): \"cannot check\" is not a finding (the `unverifiable` option notes it "
                   "at info).")
    fix = "Create the directory before submitting (`mkdir -p logs`), or use a flat file name."
    options = {"unverifiable": Option(
        "bool", False, "also note (info) absolute directories whose file system is not on this "
                       "machine, which cannot be checked")}
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
        logs = severity, consequence
        for name in ("output", "error", "input"):
            # No release creates the directory of an input file, which must exist already.
            severity, consequence = (Severity.ERROR, "the job fails at start, unable to open its "
                                     "input (Slurm creates directories only for logs)") \
                if name == "input" else logs
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
                    never = per_job or _NEVER_MADE.search(directory)
                    if not never and os.path.isdir(expanded):
                        continue
                    if not never and not self._file_system_here(expanded):
                        if ctx.option(self, "unverifiable"):
                            yield self.report(
                                ctx, d.span, f"Cannot check that {directory}/ (for {option}) exists: "
                                "that file system is not on this machine.", severity=Severity.INFO,
                                fix=f"Make sure `{directory}` exists on the cluster before "
                                    "submitting (`mkdir -p` it on the login node).")
                        continue  # "cannot check" is not a finding
                    if per_job:
                        why = "is named per job, so it cannot exist before the job starts"
                    elif never:
                        why = ("is taken literally (sbatch expands no variable or placeholder), so it "
                               "does not exist")
                    else:
                        why = "does not exist"
                    yield self.report(
                        ctx, d.span, f"The directory {directory} for {option} {why}: {consequence}.",
                        severity=severity,
                        fix="Write the log to a directory that exists: `mkdir -p` it before sbatch, "
                            "with the real path (sbatch expands no variable in #SBATCH lines).")
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
    def _file_system_here(path: str) -> bool:
        """Whether the file system of an absolute path is mounted here: some directory below
        the top level (`/home/me`, `/scratch/me`) exists, so a missing one really is missing."""
        parts = [p for p in path.split("/") if p]
        for k in range(len(parts) - 1, 1, -1):
            if os.path.isdir("/" + "/".join(parts[:k])):
                return True
        return False

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
