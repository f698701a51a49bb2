import re

from cclint.analysis.commands import invocation, running
from cclint.diagnostics import Severity
from cclint.patterns import lazy
from cclint.registry import Rule

_CONDA_BINARIES = {"conda", "mamba", "micromamba"}
_CONDA_MODULE = lazy(r"^(ana|mini)conda|^miniforge|^mambaforge|^mamba|^micromamba", re.I)
_CONDA_PATH = lazy(r"/(ana|mini)conda\d*|/miniforge\d*|/mambaforge|/micromamba", re.I)
_CONDA_BIN = lazy("(?:" + _CONDA_PATH.pattern + r")(?:/envs/[^/:]+)?/(?:bin|condabin)/?(?::|$)", re.I)
# The programs `_conda` looks at by name; other commands only matter through a conda path
_PROGRAMS = {*_CONDA_BINARIES, "export", "declare", "typeset", "readonly", "source", ".", "module", "ml"}
# Where the text names a conda installation, even with quotes in the path (`/"miniconda3"/bin`)
_NAMES_CONDA_PATH = lazy(r"""/[$"'\\]*(?:(?:ana|mini)conda|miniforge|mambaforge|micromamba)""", re.I)


class CondaUse(Rule):
    code = "CC401"
    name = "conda-use"
    family = "environment"
    severity = Severity.WARNING
    summary = "Anaconda/conda/mamba in a job on a cluster that recommends virtualenv"
    rationale = """
On the Alliance clusters, Anaconda installs its own unoptimised copies of libraries that
conflict with the cluster's modules, fills $HOME with hundreds of thousands of small files
(slow to read from every job), and edits .bashrc. Python virtual environments built from
the cluster's optimised wheels avoid all three. Every form counts: conda/mamba commands,
`source activate`, an Anaconda module (`module load`/`add`, `ml`), conda's own programs, or
its `bin` directory put in front of PATH. (The Mila profile turns this rule off: conda is
supported there.)
"""
    certain_when = ("Any use of conda: `conda`/`mamba`/`micromamba`, `source activate`, `conda.sh` "
                    "or its hook, an Anaconda, Miniconda or Miniforge module (`module load`/`add`, "
                    "`ml`), a program of a conda installation, its `bin` put first in PATH. The "
                    "job may work, slower and heavier on `$HOME` (warning); off on the Mila "
                    "profile, which supports conda.")
    silent_when = ("Python modules and virtual environments; other PATH edits; conda words in "
                   "comments and strings.")
    fix = ("Use `module load python/3.x`, `virtualenv --no-download $SLURM_TMPDIR/env`, "
           "`source $SLURM_TMPDIR/env/bin/activate` and `pip install --no-index -r requirements.txt`.")
    bad = "#!/bin/bash\n#SBATCH --time=01:00:00\nmodule load anaconda3\nconda activate torch\npython train.py\n"
    good = ("#!/bin/bash\n#SBATCH --time=01:00:00\nmodule load python/3.11\n"
            "source ~/venvs/torch/bin/activate\npython train.py\n")

    def check(self, script, ctx):
        commands = running(script.body, _PROGRAMS.__contains__)
        if _NAMES_CONDA_PATH.search(script.source.text):
            commands = script.body.commands  # any command may run from that path or put it in PATH
        for cmd in commands:
            what = self._conda(cmd)
            if what:
                yield self.report(ctx, cmd.span, f"{what}: Anaconda is discouraged on the Alliance "
                                  "clusters (unoptimised libraries, many small files in $HOME).")

    @staticmethod
    def _conda(cmd) -> str | None:
        for a in cmd.assignments:
            if a.name == "PATH" and _CONDA_BIN.search(a.value.literal):
                return f"`PATH={a.value.literal}` puts conda's programs first"
        inv = invocation(cmd)
        if inv is None or not inv.name:
            return None
        if inv.name in ("export", "declare", "typeset", "readonly"):
            for arg in inv.args:
                if arg.startswith("PATH=") and _CONDA_BIN.search(arg):
                    return f"`{inv.name} {arg}` puts conda's programs first"
            return None
        if inv.name in _CONDA_BINARIES:
            return f"`{inv.name}` is used"
        if _CONDA_PATH.search(cmd.name):
            return f"`{cmd.name}` runs a program from a conda installation"
        args = inv.args
        if inv.name in ("source", ".") and args:
            target = args[0]
            if target == "activate" or target.endswith("/conda.sh") or _CONDA_PATH.search(target):
                return f"`{inv.name} {target}` activates conda"
        if inv.name in ("module", "ml") and args:
            loads = args[1:] if args[0] in ("load", "add", "try-load", "swap") else \
                (args if inv.name == "ml" else [])
            for m in loads:
                if _CONDA_MODULE.match(m):
                    return f"`{inv.name} {args[0]} {m}` loads Anaconda"
        return None


RULE = CondaUse
