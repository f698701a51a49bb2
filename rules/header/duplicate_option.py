from cclint.diagnostics import Severity
from cclint.header.validate import readable
from cclint.registry import Rule

_MERGE_NOTE = {
    "dependency": " Dependencies are not merged: the job waits only for the last list.",
    "gres": " GRES requests are not merged: only the last one is asked for.",
    "constraint": " Constraints are not merged.",
    "export": " --export lists are not merged.",
}


class DuplicateOption(Rule):
    code = "CC109"
    name = "duplicate-option"
    family = "header"
    severity = Severity.WARNING
    summary = "The same option set twice with different values: the later one silently wins"
    rationale = """
When an option appears twice, each occurrence overwrites the previous one and only the last
counts, without a warning. A header edited over time often ends up with `--time=1:00:00` at
the top and `-t 12:00:00` further down, or two `--dependency` lines that the user expects to
combine (they do not). `#PBS` lines are applied after the `#SBATCH` lines, so they win too.
"""
    certain_when = ("The same option given twice with different values, `#PBS` lines included: "
                    "only the last counts, which may or may not be the one meant (warning).")
    silent_when = ("The same value twice; different components of a heterogeneous job; "
                   "`--mail-type` repeated for releases up to 24.11, which combine the values, or "
                   "when the last line already asks for every type of the others (`ALL` last); "
                   "values sbatch cannot read (other rules'). Repeated `--mail-type` lines get one "
                   "finding, at the last.")
    fix = "Keep one occurrence, with the value you want."
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --mem=4G\n#SBATCH -t 12:00:00\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=12:00:00\n#SBATCH --mem=4G\npython x.py\n"

    def check(self, script, ctx):
        seen = {}
        mail_types: dict[int, list] = {}  # component -> its --mail-type lines, reported together
        for d in script.header.directives:
            if d.spec is None or not readable(d):
                continue
            if d.name == "mail-type":
                mail_types.setdefault(d.component, []).append(d)
                continue
            key = (d.name, d.component)
            earlier = seen.get(key)
            seen[key] = d
            if earlier is None or earlier.value == d.value:
                continue
            where = f"`{earlier.shown}` (line {earlier.line})"
            origin = " (a #PBS line, applied after the #SBATCH lines)" if d.origin in ("pbs", "bsub") else ""
            yield self.report(ctx, d.span, f"`{d.shown}`{origin} overrides {where}: sbatch keeps only "
                              f"the last value.{_MERGE_NOTE.get(d.name, '')}",
                              fix=f"Keep one {d.written if d.origin == 'sbatch' else '--' + d.name} "
                                  "line, with the value you want.")
        version = ctx.version
        if version is not None and not version.at_least(25, 5):
            return  # up to 24.11 repeated --mail-type values are OR-ed together
        for lines in mail_types.values():
            found = self._mail_types(ctx, lines, version is None) if len(lines) > 1 else None
            if found is not None:
                yield found

    def _mail_types(self, ctx, lines, release_unknown: bool):
        """Several --mail-type lines (BEGIN, END, FAIL... one per line, a common habit): one
        finding at the last, which is the only one that counts from 25.05, unless it already
        asks for every type the others did (`ALL` last)."""
        last = lines[-1]
        meant = [w for d in lines for w in _mail_words(d.value)]
        kept = _mail_words(last.value, expand=True)
        lost = [w for d in lines for w in _mail_words(d.value, expand=True) if w not in kept]
        lost = list(dict.fromkeys(lost))
        if not lost:
            return None
        words = list(dict.fromkeys(meant))
        if _ALL <= set(words) or "ALL" in words:
            words = ["ALL"] + [w for w in words if w not in _ALL and w != "ALL"]
        note = (" (Up to Slurm 24.11 the values were combined; from 25.05 only the last counts.)"
                if release_unknown else "")
        numbers = [str(d.line) for d in lines[:-1]]
        earlier = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        return self.report(ctx, last.span, f"`{last.shown}` replaces the --mail-type of line"
                           f"{'s' if len(lines) > 2 else ''} {earlier}: no mail for "
                           f"{', '.join(lost)}.{note}",
                           fix=f"Write one line with every type you want: `#SBATCH --mail-type={','.join(words)}`.")


_MAIL_TYPES = {"BEGIN", "END", "FAIL", "REQUEUE", "ALL", "INVALID_DEPEND", "STAGE_OUT", "TIME_LIMIT",
               "TIME_LIMIT_90", "TIME_LIMIT_80", "TIME_LIMIT_50", "ARRAY_TASKS"}
_ALL = {"BEGIN", "END", "FAIL", "INVALID_DEPEND", "REQUEUE", "STAGE_OUT"}  # what ALL means (facts §4.8)


def _mail_words(value: str | None, expand: bool = False) -> list[str]:
    """The types a --mail-type value sets, as sbatch reads it: unknown words ignored, NONE
    clears what came before it and stops the scan; `expand`: ALL as its types."""
    words: list[str] = []
    for word in (value or "").upper().split(","):
        word = word.strip()
        if word == "NONE":
            return []
        if word in _MAIL_TYPES:
            words += sorted(_ALL) if expand and word == "ALL" else [word]
    return words

RULE = DuplicateOption
