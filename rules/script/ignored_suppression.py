from cclint.diagnostics import Severity
from cclint.registry import Rule
from cclint.source import Span


class IgnoredSuppression(Rule):
    code = "CC004"
    name = "ignored-suppression"
    family = "script"
    severity = Severity.INFO
    summary = "A `# cclint:` comment that this run ignores (--no-inline-config, for grading)"
    rationale = """
A grader runs cclint with `--no-inline-config` so that a submission cannot silence its own
findings with `# cclint: disable...` comments. The comments are then ignored, and each one is
reported here, so that the instructor sees what the submission tried to silence (and a
student sees why the finding still counts). Only reported when inline configuration is off.
"""
    certain_when = ("In a run with `--no-inline-config`, every `# cclint:` comment: it is ignored "
                    "and what it would silence is reported; info, so that the grader sees what was "
                    "attempted.")
    silent_when = ("Runs that read inline configuration (the default); prose that mentions cclint; "
                   "comments in here-documents.")
    fix = ("Fix the problem the comment silences: graded runs ignore `# cclint:` comments. Keep a "
           "comment only with a reason (`-- reason`) your instructor accepts.")
    bad = "#!/bin/bash\n# cclint: disable-file=missing-time\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=00:10:00\npython train.py\n"
    example_settings = {"inline_config": False}

    def check(self, script, ctx):
        source = script.source
        if ctx.settings.inline_config or "cclint" not in source.text.lower():
            return
        from cclint.suppress import find_comments

        for line, column, rest in find_comments(source, script.body.data_lines):
            start = source.line_start(line) + column
            end = source.line_start(line) + len(source.line(line))
            shown = " ".join(rest.split())
            yield self.report(ctx, Span(start, end),
                              f"Suppression comment `cclint: {shown}` ignored (--no-inline-config): "
                              "whatever it would silence is reported.")


RULE = IgnoredSuppression
