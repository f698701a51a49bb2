"""A missing oracle skips its differential tests locally and fails them in CI (conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.differential.oracle import REPO


def _run_without_oracles(tmp_path, ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["CCLINT_ORACLES"] = str(tmp_path)  # an empty folder: 24.11.7 and 25.11.7 are not built
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "tests/differential/test_sbatch_differential.py", "-k", "corpus_claim and 24.11.7"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_a_missing_oracle_is_skipped_locally(tmp_path):
    run = _run_without_oracles(tmp_path, None)
    assert run.returncode == 0 and "1 skipped" in run.stdout, run.stdout + run.stderr


def test_a_missing_oracle_fails_in_ci(tmp_path):
    for value in ("true",):
        run = _run_without_oracles(tmp_path, value)
        assert run.returncode == 1 and "1 error" in run.stdout, run.stdout + run.stderr  # at setup
        assert "in CI a skipped differential test is a failure" in run.stdout
        assert "24.11.7" in run.stdout and "is not built" in run.stdout
    run = _run_without_oracles(tmp_path, "0")  # CI=0 or false: not CI
    assert run.returncode == 0, run.stdout


def test_ci_script_declares_ci():
    script = (REPO / ".ci" / "run").read_text()
    assert 'export CI="${CI:-1}"' in script and ".oracles/$version" in script
