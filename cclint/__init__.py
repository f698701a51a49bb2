"""cclint: a linter and validator for Slurm batch job scripts."""

__version__ = "0.1.0"
