from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class CrlfLineEndings(Rule):
    code = "CC102"
    name = "crlf-line-endings"
    family = "script"
    severity = Severity.ERROR
    summary = "Windows line breaks (\\r\\n): sbatch refuses the script"
    rationale = """
A script written in Notepad, Word or a mail client and copied to the cluster keeps Windows
line breaks. sbatch refuses any file containing a `\\r\\n` pair ("Batch script contains DOS
line breaks"), even a single one in a pasted here-document; and if it ran, bash would see
`/bin/bash\\r` and every command would end with an invisible `\\r`. Old Mac line ends (a
`\\r` alone) are accepted by sbatch but turn the whole file into one comment line for bash.
"""
    certain_when = ("Any `\\r\\n` pair, even one in a here-document: sbatch refuses the script. Old "
                    "Mac line ends (`\\r` alone): sbatch accepts the file, but bash reads a single "
                    "line, so the job runs nothing.")
    silent_when = "Unix line ends; a `\\r` written as text (`tr -d '\\r'`)."
    fix = "Convert the file with `dos2unix FILE` (or save it with Unix line endings)."
    fix_safety = Applicability.SAFE
    bad = "#!/bin/bash\r\n#SBATCH --time=00:10:00\r\necho hello\r\n"
    good = "#!/bin/bash\n#SBATCH --time=00:10:00\necho hello\n"

    def check(self, script, ctx):
        source = script.source
        if source.crlf_lines:
            count, first = len(source.crlf_lines), source.crlf_lines[0]
            where = "every line" if count >= source.line_count else \
                f"{count} line{'s' if count > 1 else ''}, the first one here"
            yield self.report(
                ctx, first, f"Windows line breaks (\\r\\n) on {where}: sbatch refuses the script "
                "('Batch script contains DOS line breaks (\\r\\n) instead of expected UNIX line "
                "breaks (\\n)').", edit=Fix("Convert \\r\\n to \\n", to_lf=True))
        if source.lone_cr:
            text = source.text
            first = text.index("\r")
            edits = tuple(Edit(i, i + 1, "\n") for i, ch in enumerate(text) if ch == "\r")
            yield self.report(
                ctx, source.position(first)[0],
                "Old Mac line ends (\\r alone): sbatch accepts the file, but bash sees a single "
                "line, so the job runs nothing after the first `#`.",
                fix="Convert the line ends: `tr '\\r' '\\n' < FILE > FIXED` (or `mac2unix FILE`).",
                edit=Fix("Convert \\r to \\n", edits, Applicability.UNSAFE))


RULE = CrlfLineEndings
