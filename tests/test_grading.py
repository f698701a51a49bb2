"""Course grading: `cclint --report submissions/` with the shipped course preset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cclint.grading import md
from tests.conftest import CORPUS
from tests.test_cli import cclint

ROOT = Path(__file__).resolve().parent.parent
SEEDS_SCRIPT = ROOT / "examples" / "atelier.sh"


@pytest.fixture
def submissions(tmp_path):
    root = tmp_path / "submissions"
    for name in ("alice", "bob", "carol", "dave", "<b>eve<i>|[x](javascript:alert)"):
        (root / name).mkdir(parents=True)
    shutil.copy(CORPUS / "scripts" / "clean_atelier_tinyimagenet.sh", root / "alice" / "atelier.sh")
    (root / "alice" / "logs").mkdir()
    (root / "bob" / "atelier.sh").write_text(  # four GPUs, no time, no account, too short
        "#!/bin/bash\n#SBATCH --gres=gpu:4\nmodule load python/3.8\npython ~/atelier-dl-cc/train.py\n")
    (root / "carol" / "atelier.sh").write_text(  # the wrong account, otherwise short and fine
        "#!/bin/bash\n#SBATCH --account=def-carolprof\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:1\n"
        "python train.py\n")
    (root / "dave" / "notes.txt").write_text("I could not finish\n")
    (root / "<b>eve<i>|[x](javascript:alert)" / "job.sh").write_text(
        "#!/bin/bash\n#SBATCH --time=1\n#SBATCH --account=def-sponsor00\nconda activate\n")
    (root / ".cclint.yaml").write_text("extends: course-ift780\n")
    return root


def test_report_text(submissions):
    code, out, err = cclint("--report", submissions)
    assert code == 1, err
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:1].isalpha()}
    assert rows["alice"][1:4] == ["1", "clean", "0"]
    assert rows["bob"][1:3] == ["1", "error"]
    assert rows["dave"][1:4] == ["0", "no", "script"]
    assert "CC902  required-account: 2 findings in 2 submissions" in out
    assert "CC903  max-gpus: 1 finding in 1 submission" in out
    assert "CC901  min-commands" in out


def test_report_json(submissions):
    code, out, _ = cclint("--report", submissions, "--report-format", "json")
    data = json.loads(out)
    subs = {s["name"]: s for s in data["submissions"]}
    assert set(subs) == {"alice", "bob", "carol", "dave", "<b>eve<i>|[x](javascript:alert)"}
    assert subs["bob"]["per_rule"] == {"max-gpus": 1, "min-commands": 1, "missing-time": 1,
                                       "multi-gpu-request": 1, "required-account": 1}
    # the course preset: missing-time is an error, the account is pinned, one GPU at most
    bob = {d["rule"]: d for d in subs["bob"]["diagnostics"]}
    assert bob["missing-time"]["severity"] == "error"
    assert "def-sponsor00" in bob["required-account"]["message"]
    assert subs["carol"]["per_rule"] == {"min-commands": 1, "required-account": 1}
    assert subs["dave"] == {**subs["dave"], "scripts": 0, "worst": "no script"}
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["required-account"] == {"code": "CC902", "rule": "required-account", "findings": 2,
                                         "submissions": 2}
    assert data["summary"]["submissions"] == 5 and data["summary"]["worst"]["error"] == 2


def test_report_markdown_escapes_submission_names(submissions):
    code, out, _ = cclint("--report", submissions, "--report-format", "markdown")
    assert out.startswith("## cclint report: 5 submissions")
    assert "| alice | 1 | clean | 0 |" in out
    assert "<b>" not in out and "](javascript" not in out
    assert md("<b>eve<i>|[x](javascript:alert)") in out
    assert "&lt;b&gt;eve&lt;i&gt;\\|\\[x\\]\\(javascript:alert\\)" in out
    assert "| `CC902` | `required-account` | 2 | 2 |" in out


def test_student_configs_and_suppressions(submissions):
    # a student's own config is not the grader's: discovery starts at the submissions folder
    (submissions / "bob" / ".cclint.yaml").write_text("ignore: [ALL]\n")
    (submissions / "carol" / "atelier.sh").write_text(
        "#!/bin/bash\n#SBATCH --account=def-carolprof  # cclint: disable-line=required-account\n"
        "#SBATCH --time=01:00:00\npython train.py\n")
    data = json.loads(cclint("--report", submissions, "--report-format", "json")[1])
    subs = {s["name"]: s for s in data["submissions"]}
    assert "max-gpus" in subs["bob"]["per_rule"]
    assert "required-account" not in subs["carol"]["per_rule"]
    data = json.loads(cclint("--report", submissions, "--report-format", "json", "--no-inline-config")[1])
    subs = {s["name"]: s for s in data["submissions"]}
    assert "required-account" in subs["carol"]["per_rule"]


def test_report_usage_errors(submissions):
    assert cclint("--report", submissions / "bob" / "atelier.sh")[0] == 2
    assert cclint("--report", submissions, "--fix")[0] == 2
    assert cclint("--report", submissions, "--format", "json")[0] == 2


def test_report_to_file_for_a_job_summary(submissions, tmp_path):
    summary = tmp_path / "summary.md"
    code, out, _ = cclint("--report", submissions, "--report-format", "markdown", "--output-file", summary)
    assert out == "" and summary.read_text("utf-8").startswith("## cclint report")


def test_min_commands_reproduces_the_workshop_check():
    """The workshop's FAQ: "if your script has fewer than 10 commands, re-read the instructions"."""
    code, out, _ = cclint("--format", "json", "--select", "min-commands", SEEDS_SCRIPT)
    assert json.loads(out)["diagnostics"] == []  # the complete atelier.sh has enough commands
    short = "#!/bin/bash\n#SBATCH --time=1\nmodule load python/3.8\npython ~/atelier-dl-cc/train.py ./data\n"
    code, out, _ = cclint("--format", "json", "--select", "min-commands", "-", stdin=short.encode())
    [diag] = json.loads(out)["diagnostics"]
    assert "only 2 commands" in diag["message"] and "re-read the instructions" in diag["message"]
