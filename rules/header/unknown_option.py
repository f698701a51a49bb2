from cclint.analysis.directives import rejected, unless_a_release_accepts
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.header.options import availability, option_table
from cclint.header.pbs import PBS_SINCE, newer_only
from cclint.registry import Rule
from cclint.slurm_version import release
from cclint.source import Span

# Options that SPANK plugins add on some clusters (plain sbatch does not know them).
_SPANK = {"container-image": "pyxis", "container-mounts": "pyxis", "container-workdir": "pyxis",
          "container-name": "pyxis", "container-writable": "pyxis", "container-readonly": "pyxis",
          "container-mount-home": "pyxis", "no-container-mount-home": "pyxis",
          "container-remap-root": "pyxis", "no-container-remap-root": "pyxis",
          "container-env": "pyxis", "container-save": "pyxis", "container-entrypoint": "pyxis",
          "no-container-entrypoint": "pyxis", "private-tmp": "a site plugin",
          "x11": "the X11 plugin (for srun/salloc)"}
# What a PBS option sbatch does not translate meant, and how to say it in Slurm.
_PBS_MEANT = {"P": "PBS Pro's `-P` names the project: in Slurm that is `#SBATCH --account=...`.",
              "X": "`-X` (X11) has no batch equivalent: remove it.",
              "T": "Remove it, or write its Slurm equivalent as an #SBATCH option."}
_ABBREVIATION_NOTES = {
    "ntasks-per-node": " (if you meant the total number of tasks, that is --ntasks)",
}


class UnknownOption(Rule):
    code = "CC105"
    name = "unknown-option"
    family = "header"
    severity = Severity.ERROR
    summary = "An #SBATCH option that sbatch does not know (typo, srun-only, ambiguous)"
    rationale = """
sbatch reads the `#SBATCH` lines with getopt and refuses the whole script at the first option
it does not know: a typo (`--cpu-per-task`), an srun-only option (`--cpu-bind`, `--mpi`,
`--pty`, `-l`), an option from a plugin your cluster may not have (`--container-image`: a
warning, since a cluster that installs the plugin accepts it; a profile lists such options
in `extra_options`), or an abbreviation that fits several options (`--cpus`, `--mail`).
getopt does accept a unique abbreviation, so `--tasks=4` works, but it silently means
`--tasks-per-node=4`, not `--ntasks=4`: write option names in full.
"""
    certain_when = ("An option that sbatch's getopt does not know in the target release (a typo, "
                    "an srun-only option, an ambiguous abbreviation, a `#PBS` letter the "
                    "translation lacks): sbatch refuses the script. Warning: a unique abbreviation "
                    "(it works; write it in full), a SPANK plugin's option (`--container-image`: "
                    "it works where the cluster installs the plugin), and, with the release "
                    "unknown, an option that Slurm 22.05, 24.11 or 25.11 accepts (`--power`); "
                    "info: `#PBS -d` when the release is unknown.")
    silent_when = ("Full names, aliases and short options; options the profile lists in "
                   "`extra_options`; directives below the first command "
                   "(directive-after-command's).")
    fix = "Write the option's full, correct name (see `sbatch --help`)."
    fix_safety = Applicability.SAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --cpu-per-task=4\npython x.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --cpus-per-task=4\npython x.py\n"

    def check(self, script, ctx):
        return unless_a_release_accepts(self, ctx, self._findings(script, ctx))

    def _findings(self, script, ctx):
        extra = {str(o).lstrip("-") for o in ctx.profile.get("extra_options", []) or []}
        for d in script.header.directives:
            problem = d.problem
            if problem is None or d.origin not in ("sbatch", "slurm"):
                continue
            name = d.written.lstrip("-")
            if name in extra and problem.kind in ("unknown", "srun-only"):
                continue
            kind = problem.kind
            if kind == "abbreviation":
                yield self._abbreviation(ctx, d)
            elif kind == "ambiguous":
                options = ", ".join("--" + c for c in problem.candidates)
                yield rejected(self.report(
                    ctx, d.option_span, f"`{d.written}` is an abbreviation of several options "
                    f"({options}): sbatch stops with \"{problem.message}\".",
                    fix=f"Write the full name of the one you mean: {options}."))
            elif kind == "srun-only":
                tool = problem.candidates[0] if problem.candidates else "srun"
                full = "--" + problem.candidates[1] if len(problem.candidates) > 1 else d.written
                yield rejected(self.report(
                    ctx, d.option_span, f"`{d.written}` is a{'n' if tool == 'srun' else ''} {tool} "
                    f"option, unknown to sbatch: it stops with \"{problem.message}\".",
                    fix=f"Remove it from the #SBATCH lines; give it to {tool} inside the script "
                        f"(`{tool} {full} ...`)." if tool == "srun" else
                        "Remove it: it only means something to salloc."))
            elif kind == "single-dash-long" and d.spec is None:
                meant = problem.candidates[0]
                yield rejected(self.report(
                    ctx, d.option_span, f"`{d.written}...` has a single dash, so getopt reads "
                    f"the short option `{d.written}`, which sbatch does not know: it stops with "
                    f"\"{problem.message}\".", fix=f"Write two dashes: `{meant}`.",
                    edit=self._replace(d.span.start, d.span.start + 1, "--", Applicability.SAFE)))
            elif kind == "unknown":
                yield rejected(self._unknown(ctx, d, name))
        yield from self._pbs(ctx, script)

    def _pbs(self, ctx, script):
        """#PBS options sbatch's translation does not know; -d/-w, which only 23.02+ know."""
        source, version = script.source, ctx.version
        for line, span, problem in script.header.pbs_problems:
            if problem.kind not in ("unknown", "ambiguous"):
                continue
            said = f"\"{problem.message}\" / \"Unrecognized command line parameter ?\""
            letter = problem.candidates[0] if problem.candidates else ""
            text = source.text[span.start:span.end]
            if letter in PBS_SINCE:
                since = PBS_SINCE[letter]
                message = (f"`#PBS -{letter}` is translated (to --chdir) only from Slurm "
                           f"{release(since)}; {version} refuses the script: {said}.")
                fix = "Write `#SBATCH --chdir=DIR` instead (or leave it out: the job starts where you submit it)."
            else:
                message = (f"`{'-' + letter if letter else text}` is not one of the PBS options sbatch "
                           f"translates: it refuses the script with {said}.")
                fix = _PBS_MEANT.get(letter, "Write it as #SBATCH options (`cclint convert` does), or add "
                                     "`#SBATCH --ignore-pbs` if the #PBS lines are only for another cluster.")
            yield rejected(self.report(ctx, span, message, fix=fix))
        if version is not None:
            return
        for d in script.header.directives:
            since = newer_only(d) if d.problem is None else None
            if since:
                yield self.report(ctx, d.option_span, f"`#PBS {d.source_text}` is read as `{d.shown}` from "
                                  f"Slurm {release(since)}; older releases do not know "
                                  f"`-{d.source_text[1]}` in #PBS lines and refuse the script (\"Unrecognized "
                                  "command line parameter ?\"); the target release is unknown.",
                                  severity=self.at_most(ctx, Severity.INFO),
                                  fix=f"Write `#SBATCH {d.shown}` instead, which every release reads "
                                      "(or give --slurm-version).")

    def _replace(self, start, end, text, safety):
        return Fix("Write the full option name", (Edit(start, end, text),), safety)

    def _abbreviation(self, ctx, d):
        full = "--" + d.problem.candidates[0]
        note = _ABBREVIATION_NOTES.get(d.name, "")
        edit = self._replace(d.option_span.start, d.option_span.end, full, Applicability.SAFE)
        return self.report(
            ctx, d.option_span, f"`{d.written}` is not a full option name: getopt expands it and "
            f"sbatch reads `{full}`{note}.", severity=self.at_most(ctx, Severity.WARNING),
            fix=f"Write `{full}` in full, so the script says what sbatch does.", edit=edit)

    def _unknown(self, ctx, d, name):
        problem, version = d.problem, ctx.version
        spec = option_table().get(name)
        where = d.option_span
        if spec is not None:
            need = availability(name)
            return self.report(ctx, where, f"`{d.written}` does not exist in Slurm "
                               f"{version or 'current releases'}{need}: sbatch stops with "
                               f"\"{problem.message}\".",
                               fix="Remove it, or use a cluster that runs a release with it.")
        if name in _SPANK:
            return self.report(ctx, where, f"`{d.written}` comes from {_SPANK[name]}, a plugin, and "
                               f"is unknown to plain sbatch: unless your cluster installs it, "
                               f"sbatch stops with \"{problem.message}\".",
                               fix="Check that your cluster has the plugin (`sbatch --help` lists "
                                   "its options); otherwise remove the line.",
                               severity=self.at_most(ctx, Severity.WARNING))  # the cluster decides
        if d.spec is None and d.written.startswith("-") and not d.written.startswith("--"):
            return self.report(ctx, where, f"`{d.written}` is not an sbatch option: sbatch stops "
                               f"with \"{problem.message}\".", fix="Check the letter in `sbatch --help`.")
        suggestion = problem.candidates[0] if problem.candidates else ""
        if suggestion:
            edit = self._replace(where.start, where.end, "--" + suggestion, Applicability.UNSAFE)
            return self.report(ctx, where, f"`{d.written}` is not an sbatch option (did you mean "
                               f"`--{suggestion}`?): sbatch stops with \"{problem.message}\".",
                               fix=f"Write `--{suggestion}`.", edit=edit)
        return self.report(ctx, Span(where.start, where.end), f"`{d.written}` is not an sbatch "
                           f"option: sbatch stops with \"{problem.message}\".")


RULE = UnknownOption
