from cclint.analysis.directives import rejected
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule

_SUBMIT = {"qsub": "Torque/PBS", "msub": "Moab", "bsub": "LSF"}


class PbsDirective(Rule):
    code = "CC111"
    name = "pbs-directive"
    family = "header"
    severity = Severity.WARNING
    summary = "#PBS/#BSUB lines or qsub/msub commands left from another scheduler"
    rationale = """
sbatch translates `#PBS` (and `#BSUB`) lines into Slurm options, and applies them *after*
the `#SBATCH` lines: a forgotten `#PBS -l walltime=1:00:00` silently overrides your
`#SBATCH --time`, and it counts even far below the first command. Only part of PBS is
understood (`-N` is the job name, not nodes; many `-l` keys are dropped). `qsub` and `msub`
do not exist on Slurm clusters: a script that calls them fails at that line.
"""
    fix = "Replace each #PBS line with its #SBATCH equivalent (shown with the finding); use sbatch instead of qsub."
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#PBS -l walltime=12:00:00\n#PBS -N run\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=12:00:00\n#SBATCH --job-name=run\npython x.py\n"

    def check(self, script, ctx):
        header, source = script.header, script.source
        for pbs in header.pbs_lines:
            lines = _translation(pbs)
            kind = pbs.prefix[1:]
            if pbs.problem and pbs.problem.startswith("not translated"):
                yield self.report(ctx, pbs.span, f"A {pbs.prefix} line: {pbs.problem}.",
                                  fix="Remove it, or write it as #SBATCH options.")
                continue
            if pbs.problem:
                yield rejected(self.report(
                    ctx, pbs.span, f"sbatch cannot translate this {pbs.prefix} line and refuses the "
                    f"script: \"{pbs.problem}\".", severity=Severity.ERROR,
                    fix="Remove it, or write it as #SBATCH options (or add #SBATCH --ignore-pbs)."))
                continue
            in_header = header.end_line is None or pbs.line < header.end_line
            if lines:
                shown = "\n".join(lines)
                message = (f"A {kind} directive: sbatch translates it to `{'; '.join(l[8:] for l in lines)}` "
                           "and applies it after (over) the #SBATCH lines.")
                fix = f"Replace it with:\n{shown}"
            else:
                message = f"A {kind} directive that sbatch reads but ignores: it has no effect."
                fix, shown = "Remove the line.", ""
            if not in_header:
                message += (f" It is below the first command (line {header.end_line}), where an #SBATCH "
                            "line would be ignored: move the options up.")
            edit = None
            if in_header:
                start = source.line_start(pbs.line)
                end = min(len(source.text), start + len(pbs.text) + (1 if not shown else 0))
                edit = Fix("Write the #SBATCH equivalent", (Edit(start, end, shown),), Applicability.UNSAFE)
            yield self.report(ctx, pbs.span, message, fix=fix, edit=edit)
        for cmd in script.body.named(*_SUBMIT):
            system = _SUBMIT[cmd.basename]
            yield self.report(ctx, cmd.span, f"`{cmd.basename}` is {system}'s submit command; it does "
                              "not exist on a Slurm cluster, so this line fails.",
                              fix="Use `sbatch` (e.g. `sbatch --export=ALL,VAR=value job.sh`), or "
                                  "`--dependency` to chain jobs.")


def _translation(pbs) -> list[str]:
    out = []
    for d in pbs.translations:
        value = d.value
        if value is not None and (not value or any(c in value for c in " \t#'\"")):
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(f"#SBATCH {d.written}" + (f"={value}" if value is not None else ""))
    return out


RULE = PbsDirective
