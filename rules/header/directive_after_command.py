from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class DirectiveAfterCommand(Rule):
    code = "CC103"
    name = "directive-after-command"
    family = "header"
    severity = Severity.ERROR
    summary = "An #SBATCH line after the first command is silently ignored"
    rationale = """
sbatch reads `#SBATCH` lines from the top of the file and stops for good at the first line
that is not blank and not a comment. Even `set -e`, `module load` or `export X=1` end the
header: every `#SBATCH` line below is an ordinary comment, and the job runs with default
resources (one core, little memory, the default account) without any warning. (A line that
only repeats a value the header already sets loses nothing: a warning.)

The unsafe fix moves the line above the first command. It never creates an override or a
conflict: a line setting an option the header already sets (to another value), or one that
sbatch refuses beside it (`--mem-per-cpu` under `--mem`), or that an earlier ignored line
sets too, is not moved; the finding says which line it would clash with.
"""
    certain_when = ("An `#SBATCH` line below the first command is never read: the job runs without "
                    "that option. A line that only repeats a value the header already sets loses "
                    "nothing: a warning.")
    silent_when = ("`#SBATCH` lines in here-documents (data, such as a script written for another "
                   "job); `##SBATCH` and other comments; blank and comment lines, which do not end "
                   "the header.")
    fix = "Move all #SBATCH lines directly under the #! line, above the first command."
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\nmodule load python/3.11\n#SBATCH --time=01:00:00\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\nmodule load python/3.11\npython train.py\n"

    def check(self, script, ctx):
        header, source = script.header, script.source
        if not header.ignored or header.end_line is None:
            return
        insert_at = source.line_start(header.end_line)
        command = header.end_text if len(header.end_text) <= 40 else header.end_text[:37] + "..."
        # option (or family of options sbatch refuses together) -> the directive it would meet
        # above the first command (a moved line too)
        taken = {_slot(d.name): (d.name, d.value, d.shown, d.line) for d in header.directives if d.name}
        for part in header.ignored:
            ignored = f"sbatch ignores this directive: the header ended at line {header.end_line} " \
                      f"(`{command}`), the first command."
            options = _options(part.text, ctx.version)
            clash = next((d for d in options if _slot(d.name) in taken
                          and taken[_slot(d.name)][:2] != (d.name, d.value)), None)
            if clash is not None:  # moving it up would silently override (or be overridden), or conflict
                name, _, shown, line = taken[_slot(clash.name)]
                where = "the header already sets" if line < header.end_line else \
                    "an ignored line above, moved up too, sets"
                if name == clash.name:
                    result, keep = "one would silently override the other", f"Keep one --{name}"
                else:
                    result, keep = (f"sbatch refuses --{name} and --{clash.name} together",
                                    f"Keep one of --{name} and --{clash.name}")
                yield self.report(
                    ctx, part.span,
                    f"{ignored} It cannot simply be moved up: {where} `{shown}` (line {line}), "
                    f"and {result}.",
                    fix=f"{keep}: write the value you want on line {line} and delete this line.")
                continue
            # Only a repeat of what the header already sets: ignored, but nothing is lost.
            repeat = bool(options) and all(_slot(d.name) in taken and taken[_slot(d.name)][3] < header.end_line
                                           for d in options)
            taken.update((_slot(d.name), (d.name, d.value, d.shown, part.line)) for d in options)
            start = source.line_start(part.line)
            end = min(len(source.text), start + len(part.text) + 1)
            moved = part.text + "\n"
            edit = Fix("Move the directive above the first command",
                       (Edit(insert_at, insert_at, moved), Edit(start, end, "")), Applicability.UNSAFE)
            if repeat:
                ignored += " The header already sets the same value, so nothing is lost."
            yield self.report(ctx, part.span, ignored,
                              fix=f"Move it above line {header.end_line}, with the other #SBATCH lines.", edit=edit,
                              severity=self.at_most(ctx, Severity.WARNING) if repeat else None)


# Options sbatch refuses together ("--mem, --mem-per-cpu, and --mem-per-gpu are mutually
# exclusive"): a moved line must not meet another of them.
_EXCLUSIVE = {"mem": "memory", "mem-per-cpu": "memory", "mem-per-gpu": "memory"}


def _slot(name: str) -> str:
    return _EXCLUSIVE.get(name, name)


def _options(line: str, version):
    """The options an ignored `#SBATCH` line would set, were it in the header."""
    from cclint.header.scan import scan_header
    from cclint.source import SourceFile

    return [d for d in scan_header(SourceFile.from_text(f"#!/bin/bash\n{line}\n"), version=version).directives
            if d.name]


RULE = DirectiveAfterCommand
