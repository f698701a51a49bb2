from cclint.analysis.directives import issues, rejected, unless_a_release_accepts
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.header.options import availability
from cclint.header.validate import accepted_form, suggested_value
from cclint.registry import Rule
from cclint.source import Span

class InvalidOptionValue(Rule):
    code = "CC106"
    name = "invalid-option-value"
    family = "header"
    severity = Severity.ERROR
    summary = "A value sbatch refuses (time, memory, counts, GPUs...), or words it cannot read"
    rationale = """
sbatch checks every `#SBATCH` value before it submits anything, and a single bad one rejects
the whole script: `--time=90m` (no units: write `01:30:00`), `--mem=4.5G` (whole numbers
only: `4608M`), `--cpus-per-task=0`, `--gres=gpu:` , `--signal=USR1@70000`... It also stops
at any word that is not an option: a value with a space and no quotes, `--exclusive user`
(an optional value must be attached with `=`), an em dash pasted from a document
(`—time`), an unmatched quote. Array indexes and dependencies are checked a moment later,
by the controller, with the same result: the job is never queued.

A `--gres` name must be one the cluster defines (GresTypes): `--gres=gpus:1` is a typo of
`gpu` and is refused; a name the profile does not list (`tmpfs` on the generic profile,
which knows gpu, mps and shard) is a warning, since only the cluster's configuration
decides. Where sbatch accepts a value and only the controller can judge it
(`--gres=gpu:h100:1:2` from 23.02), this rule stays silent and misleading-value says what
sbatch passes on.

Which release says what: the judgement follows `--slurm-version` (or the profile's).
Slurm 22.05, 24.11 and 25.11 are proven by tests (tests/differential runs the real
clients, `sbatch --test-only`, on thousands of scripts and on a probe of every release
boundary: zero disagreements). The other releases are inferred: a change seen between
22.05 and 24.11 is applied from 23.02 (the next release), one between 24.11 and 25.11 from
25.05; releases after 25.11 follow the Slurm source (26.05 and the development branch).
"""
    certain_when = ("A value or word that sbatch, or the controller for arrays and dependencies, "
                    "refuses in the target release (the grammars are tested against real sbatch "
                    "22.05, 24.11 and 25.11): the job is never queued. Warning: a `--gres` name "
                    "only the cluster's configuration can judge (not listed by a profile that does "
                    "not claim to list them all), and, with the release unknown, a value that "
                    "Slurm 22.05, 24.11 or 25.11 accepts (`--get-user-env=10L`).")
    silent_when = ("Values the target release accepts; values sbatch passes on for the controller "
                   "to judge (misleading-value says what they mean); directives overridden before "
                   "sbatch reads them, or below the first command.")
    fix = "Write the value in a form sbatch accepts (shown with each finding)."
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#SBATCH --time=90m\n#SBATCH --mem=4.5G\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:30:00\n#SBATCH --mem=4608M\npython x.py\n"

    def check(self, script, ctx):
        return unless_a_release_accepts(self, ctx, self._findings(script, ctx))

    def _findings(self, script, ctx):
        header, source = script.header, script.source
        for line, span, problem in header.problems:
            yield rejected(self._word_problem(ctx, source, line, span, problem))
        for d in header.directives:
            if d.problem is None or d.origin not in ("sbatch", "slurm"):
                continue
            if d.problem.kind == "missing-value":
                yield rejected(self.report(
                    ctx, d.option_span, f"`{d.written}` has no value: sbatch stops with "
                    f"\"{d.problem.message}\".", fix=f"Give it a value: {accepted_form(d, ctx.version)}."))
            elif d.problem.kind == "no-value-allowed":
                note = _no_value_note(d.name, ctx.version)
                yield rejected(self.report(
                    ctx, d.span, f"`{d.shown}`: {d.written} takes no value{note}, so sbatch stops "
                    f"with \"{d.problem.message}\".", fix=f"Write `{d.written}` alone."))
        for issue in issues(ctx):
            if issue.stage == "site":  # depends on the cluster's slurm.conf, which is not known
                yield self._value(ctx, source, issue)
            elif issue.stage != "note":
                yield rejected(self._value(ctx, source, issue), issue.stage)
        yield from self._pbs(ctx, script)
        for name in ("uid", "gid"):
            d = header.get(name)
            if d is not None and d.problem is None and d.origin in ("sbatch", "slurm"):
                # Only root may use them; the differential test runs as root and skips them.
                yield self.report(ctx, d.span, f"`{d.shown}`: sbatch refuses it unless you are root: "
                                  f"\"--{name} only permitted by root user\".",
                                  fix="Remove it: jobs run as the user who submits them.")

    def _pbs(self, ctx, script):
        """Words sbatch's #PBS translation stops at, and values the translation itself refuses."""
        source = script.source
        for line, span, problem in script.header.pbs_problems:
            text = source.text[span.start:span.end]
            if problem.kind in ("unknown", "ambiguous"):
                continue  # unknown-option
            if problem.kind == "stray-word":
                why = " (`;` does not start a comment: only `#` does)" if text.startswith(";") else ""
                yield rejected(self.report(
                    ctx, span, f"`{text}` is not a PBS option{why}: sbatch's #PBS translation stops "
                    f"there and refuses the script with \"{problem.message}\".",
                    fix="Start a comment with `#`, quote a value that contains spaces, or remove the word."))
            elif problem.kind in ("unmatched-quote", "unexpected-colon"):
                yield rejected(self._word_problem(ctx, source, line, span, problem))
            else:
                yield rejected(self.report(ctx, span, f"`{text}`: sbatch refuses the script: "
                                           f"\"{problem.message}\".", fix="Give the option its value."))
        for d in script.header.directives:
            if d.origin == "pbs" and d.problem is not None and d.problem.kind == "pbs-value":
                yield rejected(self.report(ctx, d.value_span or d.span, f"`#PBS {d.source_text}`: sbatch's "
                                           f"translation refuses the script: \"{d.problem.message}\".",
                                           fix="Write the value as a whole number (or as #SBATCH options)."))

    def _word_problem(self, ctx, source, line, span, problem):
        text = source.text[span.start:span.end]
        message = problem.message
        if problem.kind == "optional-separate":
            option = problem.candidates[0]
            gap_start = source.text.rfind(option, 0, span.start) + len(option)
            edit = Fix("Attach the value with '='", (Edit(gap_start, span.start, "="),),
                       Applicability.UNSAFE)
            return self.report(ctx, span, f"`{option} {text}`: {option} takes a value only when it "
                               f"is attached with `=`, so sbatch reads `{option}` alone and stops at "
                               f"`{text}`: \"{message}\".", fix=f"Write `{option}={text}`.", edit=edit)
        if problem.kind == "non-ascii-dash":
            dash = text[:1]
            edit = Fix("Type two ASCII hyphens", (Edit(span.start, span.start + 1, "--"),),
                       Applicability.UNSAFE)
            return self.report(ctx, span, f"`{text}` starts with `{dash}` (U+{ord(dash):04X}), not two "
                               f"ASCII hyphens, so it is not an option: sbatch stops with \"{message}\".",
                               fix=f"Type two hyphens: `--{text[1:]}`.", edit=edit)
        if problem.kind == "unmatched-quote":
            return self.report(ctx, span, f"A quote on this line is never closed: sbatch refuses the "
                               f"script with \"{message}\".", fix="Close the quote, or remove it.")
        if problem.kind == "unexpected-colon":
            return self.report(ctx, span, f"A word starts with `:`: sbatch refuses the script with "
                               f"\"{message}\".", fix="Attach the text to its option without a space "
                               "(e.g. `--distribution=block:cyclic`).")
        before = _value_before(ctx.script.header, line, span)
        if before is not None:
            quoted = f'{before.written}{"=" if before.written.startswith("--") else " "}"{before.value} {text}"'
            return self.report(ctx, span, f"`{text}` is not an option: the value of "
                               f"`{before.shown}` seems to go on after a space, and sbatch stops "
                               f"reading the header there: \"{message}\".",
                               fix=f"Quote a value that contains spaces: `{quoted}`.")
        return self.report(ctx, span, f"`{text}` is not an option, and sbatch stops reading the "
                           f"header there: \"{message}\".",
                           fix="Put `--` before option names, quote values that contain spaces, "
                               "or remove the word.")

    def _value(self, ctx, source, issue):
        d = issue.directive
        lines = issue.message.split("\n")
        said = " / ".join(f"\"{m}\"" for m in lines)
        shown = f"`{d.shown}`" if d.origin in ("sbatch", "slurm") else \
            f"`{d.source_text}` (read as `{d.shown}`)"
        severity = None
        if d.origin == "pbs" and d.source_text.startswith("-l") and d.value and ":" in d.value \
                and d.name in ("mem", "tmp", "time"):
            shown += (" (sbatch's PBS translation reads such a value up to the next comma, so the "
                      "rest of the select chunk is part of it)")
        if issue.stage == "slurmctld":
            what = f"{shown}: sbatch passes it on and the job is refused at submission: " \
                   f"\"Batch job submission failed: {lines[0]}\"."
        elif issue.stage == "site":
            what, severity = f"{shown}: {issue.why}: \"{lines[0]}\".", self.at_most(ctx, Severity.WARNING)
        else:
            why = f" ({issue.why})" if issue.why else ""
            what = f"{shown}: sbatch refuses the script: {said}{why}."
        if d.problem is not None and d.problem.kind == "single-dash-long":
            what += f" With one dash, {d.problem.message}."
        span = d.value_span if d.value_span is not None and d.origin in ("sbatch", "slurm", "pbs") else d.span
        edit = None
        guess = suggested_value(d) if issue.stage == "sbatch" else None
        if guess and d.value_span is not None and source.text[span.start:span.end] == d.value \
                and d.problem is None and d.origin in ("sbatch", "slurm"):
            edit = Fix("Use the accepted form", (Edit(span.start, span.end, guess),),
                       Applicability.UNSAFE)
        if span.end <= span.start:
            span = Span(d.span.start, max(d.span.end, d.span.start + 1))
        return self.report(ctx, span, what, fix=f"Accepted: {issue.hint}.", edit=edit, severity=severity)


def _value_before(header, line, span):
    """The directive whose value ends just before a stray word on the same line, if any."""
    found = [d for d in header.directives if d.line == line and d.value and d.value_span is not None
             and d.value_span.end <= span.start and d.spec is not None and d.spec.arg == "required"]
    return max(found, key=lambda d: d.value_span.end) if found else None


def _no_value_note(name: str, version) -> str:
    if name == "requeue":
        return f" before Slurm 25.11 (`--requeue=expedite` is new in 25.11{'' if version else '; the target release is unknown'})"
    if name == "get-user-env":
        return " from Slurm 25.05 (older releases accepted `--get-user-env=10L`)"
    return availability(name)


RULE = InvalidOptionValue
