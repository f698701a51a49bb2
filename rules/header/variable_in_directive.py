from cclint.analysis.directives import FREE_TEXT_OPTIONS
from cclint.diagnostics import Severity
from cclint.patterns import lazy
from cclint.registry import Rule
from cclint.source import Span

_EXPANSION = lazy(r"\$\{[^}]*\}?|\$\([^)]*\)?|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?!$]|`[^`]*`?")
_PATH_OPTIONS = {"output", "error", "input", "chdir"}


class VariableInDirective(Rule):
    code = "CC107"
    name = "variable-in-directive"
    family = "header"
    severity = Severity.ERROR
    summary = "$VAR, $(...), backticks or ~ in an #SBATCH value are never expanded"
    rationale = """
sbatch reads `#SBATCH` lines itself; no shell ever sees them. `$SCRATCH`, `${USER}`,
`$(date)` and a leading `~` stay literal: `--output=$SCRATCH/logs/%j.out` writes into a
directory literally named `$SCRATCH` under the submission directory (or fails), and
`--chdir=~/run` looks for a directory named `~` (and, not finding it, the job runs in /tmp).
In a job name, a comment, a mail address, a log name or `--export`, the job still runs: a
warning; elsewhere (`--account=$ACCOUNT`, `--dependency=afterok:$JOBID`) it is refused.
"""
    certain_when = ("`$VAR`, `$(...)`, backticks or a leading `~` are never expanded: in "
                    "`--account` or `--dependency` the job is refused, in `--chdir` it runs in "
                    "/tmp, in `--input` it finds no file. In a free-text value (`--job-name`, "
                    "`--comment`, `--mail-user`, `--output`, `--error`, `--export`) the job runs "
                    "misnamed or logs elsewhere: a warning (output-dir-missing judges the log's "
                    "directory).")
    silent_when = ("Slurm's own patterns (`%j`, `%x`, `%A`, `%u`...); a `$` in a trailing `# "
                   "comment`; directives below the first command; `#PBS` lines under "
                   "`--ignore-pbs`.")
    fix = ("Use Slurm's patterns (%j job id, %x job name, %A/%a array ids, %u user) or an absolute "
           "path, or pass the option on the sbatch command line, where your shell expands it.")
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --output=$SCRATCH/logs/%j.out\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --output=logs/%x-%j.out\npython train.py\n"

    def check(self, script, ctx):
        for d in script.header.directives:
            if d.origin not in ("sbatch", "slurm", "pbs") or not d.value or d.value_span is None:
                continue
            value = d.value
            found = [(m.start(), m.end(), m.group()) for m in _EXPANSION.finditer(value)]
            if value.startswith("~"):
                found.insert(0, (0, 1, "~"))
            if not found:
                continue
            a, b, what = found[0]
            span = d.value_span
            start = span.start + a if span.end - span.start >= len(value) else span.start
            end = span.start + b if span.end - span.start >= len(value) else span.end
            option = d.written
            if what == "~":
                message = f"`~` at the start of {option} is not expanded: Slurm looks for a directory named `~`."
                fix = f"Write the absolute path, your home typed out: `{option}=/home/<username>/...` (`echo ~` shows it)."
                if d.name in _PATH_OPTIONS:
                    fix = (f"Write the absolute path instead of `~` (run `echo ~` on the cluster to see it), "
                           f"or give {option} on the sbatch command line.")
            else:
                read_as = f"`#PBS {d.source_text.split()[0]}` (read as {option})" if d.origin == "pbs" else option
                message = f"`{what}` in {read_as} is not expanded: sbatch uses the text literally."
                fix = self.fix
                if d.name in ("output", "error", "input"):
                    fix = ("Use a relative or absolute path with Slurm patterns such as %x-%j.out, or "
                           f"submit with `sbatch {option}=\"{value}\" job.sh` so that your shell expands it.")
                elif d.name == "mail-user":
                    fix = "Write your e-mail address in full."
                elif d.name == "job-name":
                    fix = "Write a literal job name (use %x in --output to reuse it)."
            # In a free-text value the job runs, misnamed or with its log elsewhere (a log
            # directory that does not exist is output-dir-missing's); elsewhere it is refused
            # (`--account=$ACCOUNT`) or runs where it should not (`--chdir=~/run`: in /tmp).
            severity = self.at_most(ctx, Severity.WARNING) if d.name in FREE_TEXT_OPTIONS else None
            yield self.report(ctx, Span(start, max(end, start + 1)), message, fix=fix, severity=severity)


RULE = VariableInDirective
