from cclint.diagnostics import Severity
from cclint.registry import Rule


class IgnoredConfig(Rule):
    code = "CC005"
    name = "ignored-config"
    family = "script"
    severity = Severity.INFO
    summary = "A configuration file next to the script that this run does not read (grading)"
    rationale = """
In grading mode (`--isolated`, `--config FILE` or `--report`) cclint reads only the
instructor's configuration: a `.cclint.yaml` or `[tool.cclint]` that a submission carries
(`ignore: [ALL]`, `fail-on: never`...) does not count. Each such file, in the script's folder
or a parent up to the folder being graded, is reported once per script with the keys it
sets, so that the instructor sees an attempt to change the verdict, and the student sees
that it had no effect.
"""
    certain_when = ("In a grading run (`--isolated`, `--config FILE`, `--report`), each "
                    "configuration file in the script's folder or a parent up to the graded "
                    "folder: it is not read (info).")
    silent_when = "Ordinary runs, which read the closest configuration file."
    fix = "Delete the file: graded runs use the course's configuration only; fix the findings instead."
    bad = ("#!/bin/bash\n# graded with `cclint --isolated`, next to a .cclint.yaml saying `ignore: [ALL]`\n"
           "#SBATCH --time=00:10:00\npython train.py\n")
    good = "#!/bin/bash\n# graded with `cclint --isolated`, no configuration file of its own\n" \
           "#SBATCH --time=00:10:00\npython train.py\n"
    needs_content = False
    example_settings = {"unread_configs": (("submission/.cclint.yaml", "it sets `ignore`"),)}
    good_settings = {}

    def check(self, script, ctx):
        for path, what in ctx.settings.unread_configs:
            yield self.report(ctx, None, f"Configuration file `{path}` not read (this run uses the "
                                         f"grader's configuration only): {what}, to no effect.")


RULE = IgnoredConfig
