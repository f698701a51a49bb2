from cclint.analysis.pbs import NO_EQUIVALENT, SUBMIT_COMMANDS, VARIABLE_USE, VARIABLES, ignored_hint, rap_id
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.header.pbs import PBS_SINCE, newer_only, pbs_options
from cclint.registry import Rule
from cclint.slurm_version import release
from cclint.source import Span


class PbsDirective(Rule):
    code = "CC111"
    name = "pbs-directive"
    family = "header"
    severity = Severity.WARNING
    summary = "#PBS/#BSUB lines, qsub/msub commands or $PBS_* variables left from another scheduler"
    rationale = """
sbatch translates `#PBS` (and `#BSUB`) lines into Slurm options, and applies them *after*
the `#SBATCH` lines: a forgotten `#PBS -l walltime=1:00:00` silently overrides your
`#SBATCH --time`, and it counts even far below the first command. Only part of PBS is
understood (`-N` is the job name, not nodes; many `-l` keys, `-l feature=k80` among them, are
dropped). `qsub` and `msub` do not exist on Slurm clusters: a script that calls them fails at
that line. Slurm does not set PBS's variables either: `cd $PBS_O_WORKDIR` runs the job in
your home directory, `$PBS_JOBID` and `$PBS_ARRAYID` are empty, `$PBS_NODEFILE` names no file.
`cclint convert` turns a whole PBS script into a Slurm one.
"""
    certain_when = ("A `#PBS`/`#BSUB` line that sbatch translates (after the `#SBATCH` lines, so "
                    "it overrides them) or ignores, `qsub`/`msub` in the body, a `$PBS_*` variable "
                    "Slurm does not set: a leftover whose harm depends on the rest (some sites "
                    "install a `qsub` wrapper), so a warning; what sbatch refuses is "
                    "unknown-option's or invalid-option-value's error.")
    silent_when = ("PBS words in comments and strings; `${PBS_O_WORKDIR:-...}` with a default, "
                   "tests such as `[ -n \"$PBS_JOBID\" ]`; lines sbatch refuses, left to the rules "
                   "above.")
    fix = ("Replace each #PBS line with its #SBATCH equivalent (shown with the finding), each $PBS_* "
           "variable with Slurm's; use sbatch instead of qsub (or run `cclint convert`).")
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#PBS -l walltime=12:00:00\n#PBS -N run\ncd $PBS_O_WORKDIR\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=12:00:00\n#SBATCH --job-name=run\ncd $SLURM_SUBMIT_DIR\npython x.py\n"

    def check(self, script, ctx):
        header = script.header
        hints = _hints(header, ctx.version)
        for pbs in header.pbs_lines:
            if pbs.problem:
                yield self.report(ctx, pbs.span, f"A {pbs.prefix} line: {pbs.problem}.",
                                  fix="Remove it, or write it as #SBATCH options.")
            else:
                yield from self._line(ctx, script, pbs, hints.get(pbs.line, ([], [])))
        for cmd in script.body.named(*SUBMIT_COMMANDS):
            system = SUBMIT_COMMANDS[cmd.basename]
            yield self.report(ctx, cmd.span, f"`{cmd.basename}` is {system}'s submit command; it does "
                              "not exist on a Slurm cluster, so this line fails.",
                              fix="Use `sbatch` (e.g. `sbatch --export=ALL,VAR=value job.sh`), or "
                                  "`--dependency` to chain jobs.")
        yield from self._variables(ctx, script)

    def _line(self, ctx, script, pbs, hint):
        header, source = script.header, script.source
        kind = pbs.prefix[1:]
        shown = [(d, _sbatch_line(d)) for d in pbs.translations if d.name]
        dropped = _partition_notes(ctx, [d for d, _ in shown])
        dropped.update({id(d): "" for d, _ in shown if d.name == "account" and rap_id(d.value)})
        notes = hint[0] + [n for n in dropped.values() if n]
        lines = [line for d, line in shown if id(d) not in dropped] + hint[1]
        refused = any(line == pbs.line for line, _, _ in header.pbs_problems)
        if not shown and not lines and not notes:
            if refused:
                return []  # unknown-option or invalid-option-value says why sbatch refuses it
            message = f"A {kind} directive that sbatch reads but ignores: it has no effect."
        elif shown:
            newer = next((newer_only(d) for d, _ in shown if newer_only(d)), None)
            said = "; ".join(line[8:] for _, line in shown)
            if newer and ctx.version is None:
                message = (f"A {kind} directive: sbatch {release(newer)} and later translate it "
                           f"to `{said}` (older releases refuse it) and apply it after (over) the #SBATCH lines.")
            else:
                message = (f"A {kind} directive: sbatch translates it to `{said}` and applies it after "
                           "(over) the #SBATCH lines.")
        else:
            message = f"A {kind} directive that sbatch {'cannot translate' if refused else 'reads but ignores'}."
        if notes:
            message += " " + " ".join(n[0].upper() + n[1:] + "." for n in notes)
        in_header = header.end_line is None or pbs.line < header.end_line
        if not in_header:
            message += (f" It is below the first command (line {header.end_line}), where an #SBATCH "
                        "line would be ignored: move the options up.")
        text = "\n".join(lines)
        fix = f"Replace it with:\n{text}" if lines else "Remove the line."
        edit = None
        if in_header and not refused:
            start = source.line_start(pbs.line)
            end = min(len(source.text), start + len(pbs.text) + (0 if lines else 1))
            edit = Fix("Write the #SBATCH equivalent" if lines else "Remove the line",
                       (Edit(start, end, text),), Applicability.UNSAFE)
        return [self.report(ctx, pbs.span, message, fix=fix, edit=edit)]

    def _variables(self, ctx, script):
        text = script.source.text
        if "PBS_" not in text and "MOAB_" not in text:  # most scripts: one search, no word walk
            return
        assigned = {a.name for cmd in script.body.commands for a in cmd.assignments}
        assigned |= {w.literal.partition("=")[0] for cmd in script.body.commands
                     if cmd.basename in ("export", "declare", "local", "readonly") for w in cmd.words[1:]}
        tested = {m.group(1) or m.group(2) for cmd in script.body.commands
                  if cmd.basename in ("[", "[[", "test") for w in cmd.words for m in VARIABLE_USE.finditer(w.raw)}
        seen: set[int] = set()
        for cmd in script.body.commands:
            for word in cmd.all_words():
                for m in VARIABLE_USE.finditer(word.raw):
                    name = m.group(1) or m.group(2)
                    start = word.span.start + m.start()
                    if name in assigned or name in tested or start in seen or _single_quoted(word.raw, m.start()):
                        continue
                    seen.add(start)
                    yield self._variable(ctx, cmd, name, start, m)

    def _variable(self, ctx, cmd, name, start, m):
        slurm = VARIABLES[name]
        effect = "it is empty, so this line runs the job in your home directory" \
            if cmd.basename == "cd" and name == "PBS_O_WORKDIR" else "it is empty"
        message = f"`${name}` is set by PBS/Torque/Moab, not by Slurm: here {effect}."
        span = Span(start, start + len(m.group()))
        if slurm is None:
            return self.report(ctx, span, message, fix=NO_EQUIVALENT[name] + ".")
        name_at = start + m.group().index(name)
        edit = Fix(f"Use ${slurm}", (Edit(name_at, name_at + len(name), slurm),), Applicability.UNSAFE)
        return self.report(ctx, span, message + f" Slurm's is `${slurm}`.", fix=f"Write `${slurm}`.", edit=edit)


def _single_quoted(raw: str, at: int) -> bool:
    """Is raw[at] inside '...' (where the shell expands nothing)?"""
    quote = ""
    for c in raw[:at]:
        if c == quote:
            quote = ""
        elif not quote and c in "'\"":
            quote = c
    return quote == "'"


def _sbatch_line(d) -> str:
    value = d.value
    if value is not None and (not value or any(c in value for c in " \t#'\"")):
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"#SBATCH {d.written}" + (f"={value}" if value is not None else "")


def _partition_notes(ctx, directives) -> dict:
    """`-q QUEUE` becomes --partition: where the profile knows its partitions, never write one
    it does not have. {id of a directive left out: why}."""
    policy = ctx.profile.partitions
    known = set(policy.allowed) | set(policy.limits)
    out = {}
    for d in directives:
        if d.name != "partition" or d.value in known:
            continue
        if policy.policy == "discouraged":
            out[id(d)] = (f"the queue `{d.value}` is not a partition of {ctx.profile.name}, where the "
                      "scheduler chooses the partition from --time and the resources: leave it out")
        elif known:
            out[id(d)] = (f"the queue `{d.value}` is not a partition of {ctx.profile.name} (it has "
                      f"{', '.join(sorted(known))}): leave it out or pick one of those")
    return out


def _hints(header, version):
    """Per PBS line: (notes on Moab/Torque habits, #SBATCH lines for what sbatch drops)."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    pbs_lines = [p for p in header.pbs_lines if p.prefix == "#PBS" and not p.problem]
    for opt in pbs_options(pbs_lines):  # every letter: -d/-w have an #SBATCH equivalent anyway
        notes, extra = out.setdefault(opt.pbs.line, ([], []))
        hint = ignored_hint(opt.letter, opt.value)
        if hint:
            notes.append(hint[0])
            if hint[1]:
                extra.append(hint[1])
        elif opt.letter == "A" and rap_id(opt.value):
            notes.append(f"`{opt.value}` is an old Calcul Québec project id (RAP, Moab era), not a Slurm "
                         "account: on today's clusters use yours (`sshare -U` lists them)")
        elif opt.letter in PBS_SINCE and version is not None and not version.at_least(*PBS_SINCE[opt.letter]):
            since = PBS_SINCE[opt.letter]
            notes.append(f"Slurm {release(since)} and later translate it to `--chdir={opt.value}`; "
                         f"{version} refuses it")
            extra.append(f"#SBATCH --chdir={opt.value}")
    return out


RULE = PbsDirective
