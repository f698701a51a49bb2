"""CI integrations and the distribution: the GitHub action's steps run locally (inputs as
environment variables, as the runner passes them), the GitLab job and the GitHub Classroom
workflow run as documented, and the package name, licence and URLs agree everywhere."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cclint import DISTRIBUTION, REPOSITORY, __version__

ROOT = Path(__file__).resolve().parent.parent
CCLINT_BIN = Path(sys.executable).parent  # where the test environment's `cclint` is
JOB = "#!/bin/bash\n#SBATCH --gres=gpu:4\npython train.py\n"  # no --time (warning), 4 GPUs (warning)
CLEAN = "#!/bin/bash\n#SBATCH --time=00:10:00\n#SBATCH --account=def-sponsor00\necho hello\n"


def load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


ACTION = load(ROOT / "action.yml")


def _expand(value: str, inputs: dict[str, str]) -> str:
    """The runner's `${{ }}` expressions the action uses; any other (a typo) fails."""
    def one(m):
        expr = m[1].strip()
        if expr == "github.action_path":
            return str(ROOT)
        name = expr.removeprefix("inputs.")
        assert name != expr and name in ACTION["inputs"], f"unknown expression {expr!r} in action.yml"
        return inputs.get(name, ACTION["inputs"][name]["default"])
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def run_step(name: str, inputs: dict[str, str], env: dict[str, str], cwd: Path):
    [step] = [s for s in ACTION["runs"]["steps"] if s["name"] == name]
    script = cwd.parent / "step.sh"
    script.write_text(step["run"])
    full = {k: v for k, v in os.environ.items() if not k.startswith(("CCLINT_", "GITHUB_"))}
    full.update(env)
    full.update({k: _expand(v, inputs) for k, v in step.get("env", {}).items()})
    # `shell: bash` runs `bash --noprofile --norc -eo pipefail FILE`
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=120)


def test_action_is_a_composite_action_with_its_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"paths", "format", "cluster", "fail-on", "args", "version"}
    assert ACTION["inputs"]["format"]["default"] == "github" and ACTION["inputs"]["paths"]["default"] == "."
    assert all(i["description"] and i["required"] is False for i in ACTION["inputs"].values())
    assert [s["name"] for s in ACTION["runs"]["steps"]] == ["Install cclint", "Run cclint"]
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"]  # inputs only through the environment: no injection
    assert ACTION["name"] and ACTION["description"] and ACTION["branding"]


@pytest.fixture
def workspace(tmp_path):
    work = tmp_path / "repo"
    (work / "jobs").mkdir(parents=True)
    (work / "jobs" / "train.sh").write_text(JOB)
    (work / "jobs" / "ok.sh").write_text(CLEAN)
    (work / "other").mkdir()
    (work / "other" / "x.sh").write_text(JOB)
    return work


def _runner_env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": f"{CCLINT_BIN}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(tmp_path),
            "GITHUB_PATH": str(tmp_path / "github_path"), "GITHUB_ACTIONS": "true", "NO_COLOR": "1"}


@pytest.mark.parametrize("version,spec", [("", str(ROOT)), ("0.2.0", "cclint-slurm==0.2.0"),
                                          ("v0.2.0", "cclint-slurm==0.2.0")])
def test_action_install_step(workspace, tmp_path, version, spec):
    # python3 stands in for the runner's: `-m venv DIR` makes DIR/bin/python, which records pip's arguments
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "python3").write_text(
        '#!/bin/bash\n[ "$1 $2" = "-m venv" ] || exit 3\nmkdir -p "$3/bin"\n'
        'printf \'#!/bin/bash\\nprintf "%%s\\\\n" "$@" > "$(dirname "$0")/pip-args"\\n\' > "$3/bin/python"\n'
        'chmod +x "$3/bin/python"\n')
    (stub / "python3").chmod(0o755)
    env = _runner_env(tmp_path)
    env["PATH"] = f"{stub}{os.pathsep}{env['PATH']}"
    proc = run_step("Install cclint", {"version": version}, env, workspace)
    assert proc.returncode == 0, proc.stderr
    venv = tmp_path / "cclint-venv"
    args = (venv / "bin" / "pip-args").read_text().split("\n")
    assert args[:3] == ["-m", "pip", "install"] and args[-2] == spec
    assert (tmp_path / "github_path").read_text() == f"{venv}/bin\n"


def test_action_run_step_annotates(workspace, tmp_path):
    env = _runner_env(tmp_path)
    proc = run_step("Run cclint", {"paths": "jobs"}, env, workspace)
    assert proc.returncode == 1, proc.stderr  # warnings fail by default
    assert "::warning file=jobs/train.sh,line=2,col=9" in proc.stdout and "other/x.sh" not in proc.stdout
    # every input: several paths over lines, a cluster, fail-on, extra args, another format
    inputs = {"paths": "jobs/train.sh\nother", "cluster": "narval", "fail-on": "never",
              "args": "--select missing-time --ignore conda-use", "format": "json"}
    proc = run_step("Run cclint", inputs, env, workspace)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {(d["path"], d["rule"]) for d in data["diagnostics"]} == {("jobs/train.sh", "missing-time"),
                                                                     ("other/x.sh", "missing-time")}
    assert all(d["severity"] == "error" for d in data["diagnostics"])  # narval requires --time
    # inputs are words, never code: shell syntax in them is a (missing) path or an argument
    proc = run_step("Run cclint", {"paths": "jobs $(touch pwned) `touch pwned2`", "args": "--fail-on never;id"},
                    env, workspace)
    assert proc.returncode == 2 and "fail-on" in proc.stderr
    proc = run_step("Run cclint", {"paths": "jobs $(touch pwned) `touch pwned2`"}, env, workspace)
    assert proc.returncode == 2 and "::warning file=jobs/train.sh" in proc.stdout
    assert not list(workspace.glob("pwned*"))
    proc = run_step("Run cclint", {"format": "nonsense"}, env, workspace)
    assert proc.returncode == 2


def test_gitlab_job_produces_a_code_quality_report(workspace):
    doc = load(ROOT / "examples" / "ci" / "gitlab-ci.yml")
    job = doc["cclint"]
    report = job["artifacts"]["reports"]["codequality"]
    assert job["artifacts"]["when"] == "always"
    assert job["before_script"] == [f'pip install --quiet "git+{REPOSITORY}@${{CCLINT_REF}}"']
    [command] = job["script"]
    args = shlex.split(command)
    assert args[0] == "cclint" and args[args.index("--output-file") + 1] == report
    proc = subprocess.run(args, cwd=workspace, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{CCLINT_BIN}{os.pathsep}{os.environ['PATH']}"})
    assert proc.returncode == 1 and proc.stdout == ""
    assert "multi-gpu-request" in proc.stderr  # --statistics: the counts in the job log
    issues = json.loads((workspace / report).read_text())
    assert {i["location"]["path"] for i in issues} == {"jobs/train.sh", "other/x.sh"}
    assert all(set(i) >= {"description", "check_name", "fingerprint", "severity", "location"} for i in issues)


def test_gitlab_grading_job(tmp_path):
    job = load(ROOT / "examples" / "ci" / "gitlab-grade.yml")["grade"]
    assert job["artifacts"]["paths"] == ["feedback/"] and job["artifacts"]["when"] == "always"
    [command] = job["script"]
    args = shlex.split(command)
    assert args[:4] == ["cclint", "--isolated", "--config", "course.yaml"] and "--no-inline-config" in args
    (tmp_path / "course.yaml").write_text("extends: course-ift780\n")
    for student, text in (("alice", CLEAN), ("bob", JOB)):
        (tmp_path / "submissions" / student).mkdir(parents=True)
        (tmp_path / "submissions" / student / "job.sh").write_text(text)
    (tmp_path / "submissions" / "bob" / ".cclint.yaml").write_text("ignore: [ALL]\n")
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{CCLINT_BIN}{os.pathsep}{os.environ['PATH']}"})
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == ["alice.md", "bob.md", "index.html"]
    assert "ignored-config" in (tmp_path / "feedback" / "bob.md").read_text()


def test_classroom_autograding_workflow(tmp_path):
    doc = load(ROOT / "examples" / "ci" / "classroom.yml")
    steps = doc["jobs"]["run-autograding-tests"]["steps"]
    [install] = [s for s in steps if s.get("name") == "Install cclint"]
    assert install["run"] == f'pip install "git+{REPOSITORY}@v{__version__}"'
    [grader] = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command-grader")]
    [reporter] = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter")]
    assert reporter["with"]["runners"] == grader["id"]
    assert f"steps.{grader['id']}.outputs.result" in reporter["env"][f"{grader['id'].upper()}_RESULTS"]
    command = shlex.split(grader["with"]["command"])
    assert "--isolated" in command and "--no-inline-config" in command

    def grade(files: dict[str, str]) -> int:
        repo = tmp_path / f"student{len(list(tmp_path.iterdir()))}"
        for name, text in files.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(text)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CCLINT_")}
        env["PATH"] = f"{CCLINT_BIN}{os.pathsep}{env['PATH']}"
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, timeout=60).returncode

    good = CLEAN.replace("echo hello\n", "".join(f"echo step {i}\n" for i in range(10)))
    assert grade({"atelier.sh": good}) == 0
    assert grade({"atelier.sh": JOB}) == 1  # no --time is an error in the course preset
    # what a student could try: their own configuration, a suppression comment
    assert grade({"atelier.sh": JOB, ".cclint.yaml": "ignore: [ALL]\nfail-on: never\n"}) == 1
    assert grade({"atelier.sh": "#!/bin/bash\n# cclint: disable-file=missing-time,required-account\n" + JOB[12:]}) == 1


def _pyproject() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_distribution_name_licence_and_changelog():
    project = _pyproject()["project"]
    assert project["name"] == DISTRIBUTION and DISTRIBUTION != "cclint"  # `cclint` on PyPI is another project
    assert project["scripts"] == {"cclint": "cclint.main:main"}  # the command keeps its name
    assert project["dynamic"] == ["version"]
    assert _pyproject()["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cclint.__version__"}
    assert project["license"] == {"text": "MIT"} and "License :: OSI Approved :: MIT License" in project["classifiers"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n")
    assert f"\n## {__version__}\n" in (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert project["urls"]["Repository"] == REPOSITORY


def test_the_name_and_the_release_tag_are_used_everywhere():
    tag = f"v{__version__}"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f'pip install "git+{REPOSITORY}@{tag}"' in readme  # before the release is on PyPI
    assert f"pip install {DISTRIBUTION}" in readme
    assert not re.search(r"pip install (-q )?cclint(\s|$|&)", readme)  # the unrelated PyPI project
    assert f"  - repo: {REPOSITORY}\n    rev: {tag}\n" in readme
    owner_repo = REPOSITORY.removeprefix("https://github.com/")
    assert f"uses: {owner_repo}@{tag}" in readme
    assert f"uses: {owner_repo}@{tag}" in (ROOT / "action.yml").read_text("utf-8")
    assert f"{DISTRIBUTION}==" in ACTION["runs"]["steps"][0]["run"]
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert f"repo: {REPOSITORY}" in hooks and f"rev: {tag}" in hooks
    for example in ("gitlab-ci.yml", "gitlab-grade.yml", "classroom.yml"):
        text = (ROOT / "examples" / "ci" / example).read_text("utf-8")
        assert f"git+{REPOSITORY}@" in text and tag in text
        assert text in readme  # the README shows the file as it is


def test_sarif_points_to_the_project():
    from cclint.output import Report
    from cclint.output.sarif import build

    assert build(Report())["runs"][0]["tool"]["driver"]["informationUri"] == REPOSITORY


def test_installed_distribution_metadata():
    from importlib import metadata

    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{DISTRIBUTION} is not installed here (an environment from before the rename: "
                    "pip install -e '.[test]' again)")
    assert dist.metadata["Name"] == DISTRIBUTION and dist.version == __version__
    assert dist.metadata["License"] == "MIT"
    assert [e.value for e in dist.entry_points if e.group == "console_scripts" and e.name == "cclint"] == \
        ["cclint.main:main"]
