from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class MissingShebang(Rule):
    code = "CC101"
    name = "missing-shebang"
    family = "script"
    severity = Severity.ERROR
    needs_content = False
    summary = "The first line does not start with #! (sbatch refuses the script)"
    rationale = """
sbatch checks the first two bytes of the file: they must be `#!`, followed by the path of
an interpreter. Anything else, including an empty file, a blank first line or an invisible
UTF-8 byte-order mark added by a Windows editor, makes sbatch refuse the script with
"This does not look like a batch script".
"""
    certain_when = ("sbatch checks the first two bytes: an empty or blank file, a byte-order mark, "
                    "blank lines before `#!` or any other first line make it refuse the script.")
    silent_when = ("Any file whose first two bytes are `#!` (`#!/bin/bash`, `#!/usr/bin/env "
                   "python3`...).")
    fix = "Add `#!/bin/bash` as line 1."
    fix_safety = Applicability.SAFE
    bad = "#SBATCH --time=00:10:00\necho hello\n"
    good = "#!/bin/bash\n#SBATCH --time=00:10:00\necho hello\n"

    def check(self, script, ctx):
        source = script.source
        if source.raw.startswith(b"#!"):
            return
        if not source.raw:
            yield self.report(ctx, 1, "The file is empty: sbatch refuses it ('Batch script is empty!').",
                              fix="Write the job script: `#!/bin/bash`, the #SBATCH lines, then the commands.")
            return
        if source.is_blank:
            yield self.report(ctx, 1, "The file contains only whitespace: sbatch refuses it "
                              "('Batch script contains only whitespace!').",
                              fix="Write the job script: `#!/bin/bash`, the #SBATCH lines, then the commands.")
            return
        if source.has_bom and source.text.startswith("#!"):
            yield self.report(
                ctx, 1, "The file starts with an invisible UTF-8 byte-order mark (BOM) before `#!`: "
                "sbatch reads the first two bytes and refuses the script.",
                fix="Save the file as UTF-8 without BOM (in the editor's encoding menu), or run "
                    "`sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`.",
                edit=Fix("Remove the byte-order mark", drop_bom=True))
            return
        text = source.text
        stripped = text.lstrip(" \t\n\r\v\f")
        if stripped.startswith("#!"):
            offset = len(text) - len(stripped)
            shebang_line = source.position(offset)[0]
            yield self.report(
                ctx, 1, f"The `#!` line is on line {shebang_line}, not line 1: sbatch checks the "
                "first two bytes and refuses the script.",
                fix="Delete the blank lines above `#!` so that it is the very first line.",
                edit=Fix("Delete what precedes #!", (Edit(0, offset, ""),), drop_bom=source.has_bom))
            return
        yield self.report(
            ctx, 1, "The first line does not start with `#!`: sbatch refuses the script "
            "('This does not look like a batch script').",
            edit=Fix("Insert #!/bin/bash", (Edit(0, 0, "#!/bin/bash\n"),), drop_bom=source.has_bom))


RULE = MissingShebang
