from cclint.analysis.commands import running
from cclint.analysis.pip import is_pip, no_index_from_environment, pip_install
from cclint.diagnostics import Applicability, Edit, Fix, Severity
from cclint.registry import Rule


class PipWithoutNoIndex(Rule):
    code = "CC402"
    name = "pip-without-no-index"
    family = "environment"
    severity = Severity.WARNING
    summary = "pip install without --no-index downloads from PyPI inside the job"
    rationale = """
On the Alliance clusters, `pip install --no-index` installs the wheels the staff compiled
for the cluster (optimised, and matched to its modules). Without `--no-index`, pip goes to
PyPI: on clusters whose compute nodes have no internet (Narval, Rorqual, Trillium, tamIA)
the job hangs or fails, and elsewhere generic wheels replace the optimised ones.
"""
    certain_when = ("`pip install` (`pip3`, `python -m pip`) of packages or a requirements file "
                    "without `--no-index`: generic wheels from PyPI replace the cluster's "
                    "(warning); an error where the profile says compute nodes have no internet "
                    "(Narval, Rorqual, Trillium, tamIA): pip fails or hangs there.")
    silent_when = ("`--no-index`, or `PIP_NO_INDEX` set (exported or in front of the command); "
                   "local wheels, archives and paths (`.`, `./pkg`, "
                   "`~/wheels/x.whl`); other pip commands; comments; off on Mila, which has no "
                   "wheelhouse.")
    fix = ("Add `--no-index` (`avail_wheels NAME` lists the cluster's wheels); download anything "
           "missing on a login node first (`pip download`), then install the local file.")
    fix_safety = Applicability.UNSAFE
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\npip install torch\npython train.py\n"
    good = "#!/bin/bash\n#SBATCH --time=01:00:00\npip install --no-index torch\npython train.py\n"

    def check(self, script, ctx):
        internet = ctx.profile.internet
        for cmd in running(script.body, is_pip):
            pip = pip_install(cmd)
            if pip is None or pip.no_index or not (pip.packages or pip.requirements) \
                    or no_index_from_environment(cmd, script.flow):
                continue
            shown = " ".join(w.literal for w in cmd.words)
            what = shown if len(shown) <= 60 else shown[:57] + "..."
            install = pip.invocation.words[pip.install_word]
            edit = Fix("Add --no-index", (Edit(install.span.end, install.span.end, " --no-index"),),
                       Applicability.UNSAFE)
            if internet is False:
                message = (f"`{what}` without --no-index: compute nodes on "
                           f"{ctx.profile.name} have no internet, so this fails or hangs "
                           f"({ctx.profile.cite()}).")
            else:
                message = (f"`{what}` without --no-index downloads from PyPI in the job "
                           "instead of using the cluster's optimised wheels.")
            yield self.report(ctx, cmd.span, message, edit=edit)


RULE = PipWithoutNoIndex
