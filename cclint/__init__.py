"""cclint: a linter and validator for Slurm batch job scripts."""

__version__ = "0.2.0"
DISTRIBUTION = "cclint-slurm"  # the name on PyPI (`pip install cclint-slurm`); the command is `cclint`
REPOSITORY = "https://github.com/cclint-slurm/cclint-slurm"
