"""The pre-commit hooks, end to end, with the real `pre-commit` executable.

`pre-commit try-repo` installs cclint from this checkout (its committed HEAD, plus
uncommitted changes to tracked files) into a fresh environment, as a user's
`.pre-commit-config.yaml` would, and runs the hook on a temporary git repository. The
first run installs the hook's environment (about a minute); it is shared by the tests here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")

pytestmark = pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None,
                                reason="needs the pre-commit executable and git")

BAD = "#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --gres=gpu:4\npython train.py\n"
GOOD = "#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --time=00:10:00\npython train.py\n"


def _git(*args, cwd):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("this checkout is not a git repository")
    listed = subprocess.run(["git", "ls-files", ".pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert listed.stdout.strip() == ".pre-commit-hooks.yaml", "commit .pre-commit-hooks.yaml first"
    return tmp_path_factory.mktemp("pre-commit-home")


def _repo(tmp_path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    _git("add", "-A", cwd=repo)
    return repo


def _try_repo(home, repo, hook, *extra):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files", "--color", "never", *extra],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=900)
    out = proc.stdout + proc.stderr
    offline = _index_unreachable(proc.returncode, out)
    if offline:
        pytest.skip(f"the package index is unreachable, so pre-commit cannot install the hook ({offline})")
    return proc.returncode, out


# What pip prints when it cannot reach the package index (pre-commit then exits with 3).
_OFFLINE = ("No matching distribution found", "Failed to establish a new connection",
            "Temporary failure in name resolution", "Network is unreachable", "Name or service not known",
            "Could not fetch URL", "ProxyError", "Read timed out", "Connection refused")


def _index_unreachable(code: int, out: str) -> str:
    """The line of pip's output that shows the index could not be reached ('' otherwise)."""
    if code != 3:
        return ""
    return next((line.strip() for line in out.splitlines() if any(sign in line for sign in _OFFLINE)), "")


def test_manifest_is_valid():
    proc = subprocess.run([PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_lints_job_scripts_and_skips_other_text_files(home, tmp_path):
    repo = _repo(tmp_path, {
        "jobs/train.sbatch": BAD,  # by suffix
        "jobs/run_training": BAD.replace("gpu:4", "gpu:2"),  # no suffix: sniffed for #SBATCH
        "jobs/ok.slurm": GOOD,
        "README.md": "# Project\n\nRun `sbatch jobs/train.sbatch`.\n",
        "tools/plot.py": "print('not a job')\n",
        "tools/setup.sh": "#!/bin/bash\nmodule load python/3.11\npip install -r requirements.txt\n",  # a helper
        "drafts/old.sh": BAD,
        ".cclint.yaml": "exclude: [drafts]\n",
    })
    code, out = _try_repo(home, repo, "cclint")
    assert code == 1, out
    assert "jobs/train.sbatch:3:9: warning CC201 multi-gpu-request" in out
    assert "jobs/run_training:3:9: warning CC201 multi-gpu-request" in out
    assert "README.md" not in out
    assert "plot.py" not in out and "setup.sh" not in out and "drafts/old.sh" not in out  # excluded even though pre-commit named it
    assert "in 2 of 3 files" in out


def test_hook_passes_on_clean_scripts(home, tmp_path):
    repo = _repo(tmp_path, {"job.sh": GOOD, "notes.txt": "nothing\n"})
    code, out = _try_repo(home, repo, "cclint")
    assert code == 0, out
    assert "Passed" in out


def test_fix_hook_rewrites_and_stops_the_commit(home, tmp_path):
    repo = _repo(tmp_path, {"job.sh": "#sbatch --time=1\n#SBATCH --account=def-lab\necho hi\n"})
    code, out = _try_repo(home, repo, "cclint-fix")
    assert code == 1, out  # files were modified: the user re-stages
    assert (repo / "job.sh").read_text() == "#!/bin/bash\n#SBATCH --time=1\n#SBATCH --account=def-lab\necho hi\n"


def test_an_unreachable_index_skips_with_its_reason(tmp_path):
    """Offline, installing the hook fails (pre-commit exits 3): the tests skip and say why."""
    if os.environ.get("CCLINT_NESTED_PRECOMMIT"):
        pytest.skip("already inside the offline run")
    env = {**os.environ, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_EXTRA_INDEX_URL": "",
           "PIP_FIND_LINKS": "", "PIP_CONFIG_FILE": os.devnull, "PIP_RETRIES": "0", "PIP_TIMEOUT": "2",
           "CCLINT_NESTED_PRECOMMIT": "1"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           f"{__file__}::test_hook_passes_on_clean_scripts"], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=900)
    assert proc.returncode == 0 and "1 skipped" in proc.stdout, proc.stdout + proc.stderr
    assert "the package index is unreachable" in proc.stdout
