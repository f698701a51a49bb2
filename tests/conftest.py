"""Shared helpers: lint a text with options, the way the CLI would."""

from __future__ import annotations

from pathlib import Path

import pytest

from cclint.registry import resolve_rules
from cclint.runner import lint_source
from cclint.settings import Settings
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
# What the shell running the tests must not change: cclint's own settings, the cluster it
# runs on, and what sbatch reads from the environment (a login node exports some).
OUTSIDE = ("CCLINT_", "SBATCH_", "SLURM_", "CC_CLUSTER", "GITHUB_ACTIONS")


def hermetic_environ(environ) -> dict:
    return {k: v for k, v in environ.items() if k == "CCLINT_CACHE_DIR" or not k.startswith(OUTSIDE)}


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch):
    import os

    for key in set(os.environ) - set(hermetic_environ(os.environ)):
        monkeypatch.delenv(key)


def make_settings(select=None, ignore=(), slurm_version=None, submit_dir=None, cluster=None, **extra) -> Settings:
    settings = Settings(
        select=frozenset(resolve_rules(select)) if select else None,
        ignore=frozenset(resolve_rules(list(ignore))),
        slurm_version=SlurmVersion.parse(slurm_version) if slurm_version else None,
    )
    if submit_dir is not None:
        settings.submit_dir = Path(submit_dir)
    if cluster is not None:
        from cclint.profiles import load_profile

        settings.profile = load_profile(cluster)
    for key, value in extra.items():
        setattr(settings, key, value)
    return settings


def lint(text: str | bytes, path: str = "job.sh", **options):
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    return lint_source(SourceFile.from_bytes(path, raw), make_settings(**options)).diagnostics


def rules_found(text: str | bytes, **options) -> set[str]:
    return {d.rule for d in lint(text, **options)}


@pytest.fixture
def lint_text():
    return lint
