"""Grading mode that students cannot steer: --isolated, --no-inline-config, and a broken
configuration in one student's folder that costs only that folder."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.test_cli import cclint

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
JOB = "#!/bin/bash\n#SBATCH --gres=gpu:4\nmodule load python/3.11\npython train.py\n"  # no --time, 4 GPUs


@pytest.fixture
def submissions(tmp_path):
    root = tmp_path / "submissions"
    for name in ("alice", "bob", "carol"):
        (root / name).mkdir(parents=True)
    (root / "alice" / "atelier.sh").write_text(JOB)
    (root / "bob" / "atelier.sh").write_text(JOB)
    (root / "bob" / ".cclint.yaml").write_text("ignore: [ALL]\nfail-on: never\n")
    (root / "carol" / "atelier.sh").write_text(JOB.replace("\nmodule", "\n# cclint: disable-file=missing-time,"
                                                           "multi-gpu-request -- my choice\nmodule"))
    return root


def _paths(fmt: str, out: str) -> dict[str, set[str]]:
    """Rules found per student, read from any output format."""
    found: dict[str, set[str]] = {}

    def add(path, rule):
        found.setdefault(next(p for p in ("alice", "bob", "carol") if f"/{p}/" in f"/{path}"), set()).add(rule)

    if fmt == "json":
        for d in json.loads(out)["diagnostics"]:
            add(d["path"], d["rule"])
    elif fmt == "sarif":
        run = json.loads(out)["runs"][0]
        names = {r["id"]: r["name"] for r in run["tool"]["driver"]["rules"]}
        for r in run["results"]:
            add(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], names[r["ruleId"]])
    elif fmt == "gitlab":
        for issue in json.loads(out):
            add(issue["location"]["path"], issue["check_name"].split()[-1])
    elif fmt == "junit":
        for case in ET.fromstring(out).iter("testcase"):
            if case.get("name") not in ("no problems", "read"):
                add(case.get("file"), case.get("name").split()[1])
    else:
        import re

        pattern = {"text": r"^(\S+?):\d+:\d+: \w+ CC\d+ ([a-z-]+):",
                   "concise": r"^(\S+?):\d+:\d+: \w+: .* \[CC\d+ ([a-z-]+)\]$",
                   "github": r"^::\w+ file=([^,]+),.*title=CC\d+ ([a-z-]+)::"}[fmt]
        for m in re.finditer(pattern, out, re.M):
            add(m[1], m[2])
    return found


def test_students_steer_the_verdict_without_grading_mode(submissions):
    code, out, _ = cclint("--format", "json", submissions)
    found = _paths("json", out)
    assert "bob" not in found  # his own ignore: [ALL]
    assert "missing-time" not in found["carol"]  # her disable-file


@pytest.mark.parametrize("fmt", FORMATS)
def test_isolated_no_inline_config_reports_every_student_in_every_format(submissions, fmt):
    code, out, err = cclint("--isolated", "--no-inline-config", "--format", fmt, submissions)
    assert code == 1, err
    found = _paths(fmt, out)
    for student in ("alice", "bob", "carol"):
        assert {"missing-time", "multi-gpu-request"} <= found[student], (student, found)
    # and the instructor sees what each tried
    assert "ignored-config" in found["bob"] and "ignored-suppression" in found["carol"]
    assert "ignored-config" not in found["alice"] | found["carol"]
    assert "ignored-suppression" not in found["alice"] | found["bob"]


def test_what_a_submission_carries_is_named(submissions):
    (submissions / "bob" / "pyproject.toml").write_text("[tool.cclint]\nselect = ['CC001']\n")
    out = cclint("--isolated", "--no-inline-config", "--format", "json", submissions)[1]
    diags = json.loads(out)["diagnostics"]
    bob = sorted(d["message"] for d in diags if d["rule"] == "ignored-config")
    assert len(bob) == 2 and all("/bob/atelier.sh" in d["path"] for d in diags if d["rule"] == "ignored-config")
    assert "`ignore`, `fail-on`" in bob[0] + bob[1] and "`select`" in bob[0] + bob[1]
    [carol] = [d for d in diags if d["rule"] == "ignored-suppression"]
    assert (carol["line"], carol["column"]) == (3, 1) and "disable-file=missing-time" in carol["message"]


def test_isolated_keeps_the_graders_config_and_preset(submissions, tmp_path):
    course = tmp_path / "course.yaml"
    course.write_text("extends: course-ift780\noptions:\n  required-account: {accounts: [def-prof]}\n")
    for config in (str(course), "course-ift780"):
        out = cclint("--isolated", "--config", config, "--format", "json", submissions)[1]
        found = _paths("json", out)
        assert {"max-gpus", "required-account", "missing-time"} <= found["bob"], config
    messages = [d["message"] for d in json.loads(cclint("--isolated", "--config", course, "--format", "json",
                                                         submissions)[1])["diagnostics"]
                if d["rule"] == "required-account"]
    assert messages and all("def-prof" in m for m in messages)
    # CCLINT_CONFIG is a file's choice, not the grader's flag: --isolated ignores it
    out = cclint("--isolated", "--format", "json", submissions, env={"CCLINT_CONFIG": str(course)})[1]
    assert "max-gpus" not in _paths("json", out)["bob"]
    code, _, err = cclint("--isolated", "--config", "no-such-preset", submissions)
    assert code == 2 and "nor a preset" in err


def test_config_shows_a_preset_given_to_config(tmp_path):
    code, out, _ = cclint("config", "--isolated", "--config", "course-ift780", tmp_path)
    assert code == 0 and "preset course-ift780" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_broken_config_in_one_folder_costs_only_that_folder(submissions, fmt):
    (submissions / "bob" / ".cclint.yaml").write_text("ignore: [ALL\n")
    (submissions / "bob" / "second.sh").write_text(JOB)
    code, out, err = cclint("--format", fmt, submissions)
    assert code == 2
    [line] = [line for line in err.splitlines() if "error" in line]  # one line for bob's folder
    assert "bob/.cclint.yaml:2:1: invalid YAML" in line and "2 job scripts under" in line
    found = _paths(fmt, out)
    assert "bob" not in found and {"missing-time", "multi-gpu-request"} <= found["alice"]
    assert "missing-account" in found["carol"]  # (her comment silences the others)
    if fmt == "json":
        [error] = json.loads(out)["errors"]
        assert error["path"].endswith("bob/.cclint.yaml") and "invalid YAML" in error["message"]
    # the grader's own configuration is another matter: nothing can be graded without it
    bad = submissions.parent / "course.yaml"
    bad.write_text("select: [nope]\n")
    code, out, err = cclint("--format", fmt, "--config", bad, submissions)
    assert code == 2 and "unknown rule" in err and "missing-time" not in out


def test_broken_config_error_comes_at_its_place(submissions):
    (submissions / "bob" / ".cclint.yaml").write_text("fail-on: sometimes\n")
    code, out, err = cclint("--format", "concise", submissions)
    assert code == 2
    assert "bob/.cclint.yaml:1:10: `fail-on` must be one of" in err and "1 job script under" in err
    assert "could not be linted" in out


def test_errors_of_the_run_itself_stay_fatal(submissions):
    # the command line and the environment concern every file: nothing is linted
    for args, env in ((["--cluster", "nowhere"], None), ([], {"CCLINT_FAIL_ON": "often"})):
        code, out, err = cclint("--format", "json", *args, submissions, env=env)
        assert code == 2 and out == "" and err.count("cclint: error:") == 1, err
    # two configuration files in one student's folder: that folder only
    (submissions / "carol" / ".cclint.yml").write_text("ignore: [ALL]\n")
    (submissions / "carol" / ".cclint.yaml").write_text("ignore: [ALL]\n")
    code, out, err = cclint("--format", "json", submissions)
    assert code == 2 and "two configuration files" in err
    found = _paths("json", out)
    assert "alice" in found and "carol" not in found


def test_the_graders_shell_does_not_grade(submissions, tmp_path):
    # An instructor grading on a login node has SBATCH_ACCOUNT in .bashrc, as the Alliance
    # recommends, and CC_CLUSTER: a student's job is not submitted from that shell.
    shell = {"SBATCH_ACCOUNT": "def-sponsor00", "SBATCH_TIMELIMIT": "1:00:00", "CC_CLUSTER": "narval"}
    for args in (["--format", "json", submissions], ["--report", submissions, "--report-format", "json"]):
        out = cclint("--isolated", "--config", "course-ift780", "--no-inline-config", *args, env=shell)[1]
        text = json.dumps(json.loads(out))
        assert "missing-time" in text and "required-account" in text and "\"environment\"" not in text, args
    # the grader can still ask for them, in the course's configuration or on the command line
    course = tmp_path / "course.yaml"
    course.write_text("extends: course-ift780\nenv: true\n")
    out = cclint("--isolated", "--config", course, "--format", "json", submissions, env=shell)[1]
    assert "missing-time" not in _paths("json", out)["alice"]
    code, out, _ = cclint("config", "--isolated", submissions / "alice" / "atelier.sh", env=shell)
    assert code == 0 and "--isolated" in out and "ignored: SBATCH_ACCOUNT=def-sponsor00" in out


def test_the_graders_file_at_the_top_of_the_class_is_not_a_students(submissions):
    # "a .cclint.yaml at its top is the instructor's": with --isolated --config it is not read,
    # but it is nobody's submission: no student is told to delete it, and alice stays clean.
    (submissions / ".cclint.yaml").write_text("extends: course-ift780\n")
    (submissions / "alice" / "atelier.sh").write_text(
        "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-sponsor00\necho hello\n")
    code, out, _ = cclint("--isolated", "--config", "course-ift780", "--report", submissions, "--report-format",
                          "json", "--ignore", "min-commands")
    data = json.loads(out)
    assert data["summary"]["clean"] == ["alice"], data["summary"]
    found = {s["name"]: s["problems"] for s in data["submissions"]}
    assert "ignored-config" in found["bob"] and "ignored-config" not in found["carol"]
