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
        # option -> the directive it would meet above the first command (a moved line too)
        taken = {d.name: (d.value, d.shown, d.line) for d in header.directives if d.name}
        moved_lines: list[tuple[int, str]] = []  # (line, text) of the lines the fixes move up
        for part in header.ignored:
            ignored = f"sbatch ignores this directive: the header ended at line {header.end_line} " \
                      f"(`{command}`), the first command."
            options = _options(part.text, ctx.version)
            clash = next((d for d in options if d.name in taken and taken[d.name][0] != d.value), None)
            refused = None
            if clash is not None:  # moving it up would silently override (or be overridden)
                _, shown, line = taken[clash.name]
                result, keep = "one would silently override the other", f"Keep one --{clash.name}"
            else:  # ... or make a pair sbatch refuses (`--mem-per-cpu` under `--mem`)
                refused = _refused_beside(script, ctx, moved_lines, part)
                if refused is not None:
                    (name, shown, line), other = refused
                    result, keep = (f"sbatch refuses --{name} and --{other} together",
                                    f"Keep one of --{name} and --{other}")
            if clash is not None or refused is not None:
                where = "the header already sets" if line < header.end_line else \
                    "an ignored line above, moved up too, sets"
                yield self.report(
                    ctx, part.span,
                    f"{ignored} It cannot simply be moved up: {where} `{shown}` (line {line}), "
                    f"and {result}.",
                    fix=f"{keep}: write the value you want on line {line} and delete this line.")
                continue
            # Only a repeat of what the header already sets: ignored, but nothing is lost.
            repeat = bool(options) and all(d.name in taken and taken[d.name][2] < header.end_line
                                           for d in options)
            taken.update((d.name, (d.value, d.shown, part.line)) for d in options)
            moved_lines.append((part.line, part.text))
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


def _refused_beside(script, ctx, moved_lines, part):
    """Whether the header with the lines moved so far and `part` would hold a pair of options
    sbatch refuses together (the conflicting-options table): ((name, shown, line) of the
    directive `part` would meet, the option of `part`), or None."""
    from cclint.analysis.directives import site
    from cclint.header.combos import conflicts
    from cclint.header.scan import scan_header
    from cclint.source import SourceFile

    source, end_line = script.source, script.header.end_line
    lines = [source.line(n) for n in range(1, end_line)] + [text for _, text in moved_lines] + [part.text]
    original = list(range(1, end_line)) + [line for line, _ in moved_lines] + [part.line]
    header = scan_header(SourceFile.from_text("\n".join(lines) + "\n"), version=ctx.version)
    mine = len(lines)  # `part`, read as the last line
    for combo in conflicts(header, ctx.version, site(ctx)):
        if combo.stage != "sbatch" or not any(d.line == mine for d in combo.directives):
            continue
        other = next((d for d in combo.directives if d.line != mine), None)
        if other is not None:
            own = next(d for d in combo.directives if d.line == mine)
            return (other.name, other.shown, original[other.line - 1]), own.name
    return None


def _options(line: str, version):
    """The options an ignored `#SBATCH` line would set, were it in the header."""
    from cclint.header.scan import scan_header
    from cclint.source import SourceFile

    return [d for d in scan_header(SourceFile.from_text(f"#!/bin/bash\n{line}\n"), version=version).directives
            if d.name]


RULE = DirectiveAfterCommand
