from cclint.analysis.commands import has_flag, invocation
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule

_NOT_A_CREATION = {"--version", "-h", "--help", "--list-seeders"}


class VirtualenvWithoutNoDownload(Rule):
    code = "CC403"
    name = "virtualenv-without-no-download"
    family = "environment"
    severity = Severity.INFO
    summary = "virtualenv without --no-download (Alliance clusters)"
    rationale = """
On the Alliance clusters, `virtualenv --no-download ENV` seeds the new environment with
the pip, setuptools and wheel bundled with the cluster's Python module instead of trying to
fetch newer ones from PyPI, which fails or hangs on compute nodes without internet and
mixes generic packages into an environment built from the cluster's wheels. Checked only
on profiles with the Alliance wheelhouse (`--cluster alliance`, `fir`, `narval`, ...).
`python -m venv` does not download anything and is not reported.
"""
    certain_when = ("`virtualenv` creating an environment without `--no-download`, on a profile "
                    "with the Alliance wheelhouse: it may fetch pip, setuptools and wheel from "
                    "PyPI (info).")
    silent_when = ("`--no-download` or `--never-download`; `python -m venv`; `virtualenv "
                   "--version` or `--help`; profiles without the wheelhouse (generic, Mila).")
    fix = "Write `virtualenv --no-download ENV`, then `pip install --no-index ...`."
    fix_safety = Applicability.SAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\nvirtualenv $SLURM_TMPDIR/env\nsource $SLURM_TMPDIR/env/bin/activate\n"
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\nvirtualenv --no-download $SLURM_TMPDIR/env\n"
            "source $SLURM_TMPDIR/env/bin/activate\n")
    example_profile = "fir"

    def check(self, script, ctx):
        profile = ctx.profile
        if not profile.wheelhouse:
            return
        for cmd in script.body.commands:
            inv = invocation(cmd)
            if inv is None or inv.name != "virtualenv":
                continue
            if has_flag(inv.args, "--no-download", "--never-download") or any(a in _NOT_A_CREATION for a in inv.args):
                continue
            program = next((w for w in cmd.words if w.literal.rsplit("/", 1)[-1] == "virtualenv"), None)
            edit = None
            if program is not None:
                edit = Fix("Add --no-download", (Edit(program.span.end, program.span.end, " --no-download"),),
                           Applicability.SAFE)
            offline = " (its compute nodes have no internet)" if profile.internet is False else ""
            yield self.report(
                ctx, cmd.span,
                f"`virtualenv` without --no-download on {profile.name}{offline}: it may fetch pip, "
                "setuptools and wheel from PyPI instead of using the versions bundled for the cluster.",
                edit=edit)


RULE = VirtualenvWithoutNoDownload
