"""Every output format on one fixture set (tests/fixtures/formats)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from cclint.diagnostics import Diagnostic, Severity
from cclint.output import Report
from cclint.output.github import command, escape_data, escape_property
from cclint.runner import lint_path
from tests.conftest import TESTS, make_settings
from tests.test_cli import cclint

FIXTURES = TESTS / "fixtures" / "formats"
SCHEMA = TESTS / "data" / "sarif-2.1.0-rtm.5.json"


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "jobs")
    return tmp_path


def run(workdir, *args, env=None):
    return cclint(*args, "jobs", cwd=workdir, env={"GITHUB_ACTIONS": "", **(env or {})})


def test_fixture_bytes_are_intact():
    assert (FIXTURES / "crlf.sh").read_bytes().count(b"\r\n") == 3
    assert hashlib.sha256((SCHEMA).read_bytes()).hexdigest() == \
        "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"


def test_concise(workdir):
    code, out, _ = run(workdir, "--format", "concise")
    lines = out.splitlines()
    assert code == 1
    assert "jobs/gpu_job.sh:3:9: warning: 4 GPUs requested (`--gres=gpu:4`) but nothing in the script uses " \
           "more than one: 3 will sit idle, charged to your allocation. [CC201 multi-gpu-request]" in lines
    assert all(re.fullmatch(r"jobs/[\w.]+:\d+:\d+: (error|warning|info): .+ \[CC\d{3} [a-z-]+\]", line)
               for line in lines[:-1])
    assert lines[-1] == "Found 9 problems (1 error, 8 warnings) in 3 of 4 files."


def test_sarif_is_valid_against_the_official_schema(workdir):
    jsonschema = pytest.importorskip("jsonschema")
    code, out, err = run(workdir, "--format", "sarif")
    log = json.loads(out)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(log)
    assert code == 1 and log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {"CC102", "CC401", "CC202", "CC201", "CC104", "CC402"}
    gpu = next(r for r in rules if r["id"] == "CC201")
    assert gpu["name"] == "multi-gpu-request" and gpu["defaultConfiguration"]["level"] == "warning"
    assert "PyTorch" in gpu["help"]["text"] and gpu["help"]["markdown"].startswith("# multi-gpu-request (CC201)")
    assert gpu["properties"]["fix-safety"] == "unsafe"
    results = run_["results"]
    assert len(results) == 9
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    first = next(r for r in results if r["ruleId"] == "CC201")
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "jobs/gpu_job.sh", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 3 and loc["region"]["startColumn"] == 9
    assert loc["region"]["endColumn"] == 21  # exclusive, as SARIF wants
    assert first["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "gpu:1"
    markup = next(r for r in results if r["ruleId"] == "CC104")
    assert '<img src=x onerror=alert(1)>&"q"' in markup["message"]["text"]  # JSON keeps it as plain text
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_sarif_unreadable_file_is_a_notification(workdir):
    jsonschema = pytest.importorskip("jsonschema")
    (workdir / "jobs" / "binary.sh").write_bytes(b"#!/bin/bash\x00\x01")
    code, out, _ = run(workdir, "--format", "sarif")
    log = json.loads(out)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(log)
    [note] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "binary file" in note["message"]["text"] and code == 2


def test_github_annotations_exact_syntax(workdir):
    code, out, _ = run(workdir, "--format", "github")
    lines = out.splitlines()
    expected = ("::warning file=jobs/gpu_job.sh,line=3,col=9,endLine=3,endColumn=21,"
                "title=CC201 multi-gpu-request::4 GPUs requested (`--gres=gpu:4`) but nothing in the script "
                "uses more than one: 3 will sit idle, charged to your allocation.%0AFix: Request one GPU; or "
                "use them all: `torchrun --nproc_per_node=N`, `srun` with one task per GPU, or one background "
                "run per GPU with CUDA_VISIBLE_DEVICES followed by `wait`.")
    assert expected in lines
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 9
    pattern = re.compile(r"::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+(,endColumn=\d+)?,"
                         r"title=CC\d{3} [a-z-]+::[^\r\n]+")
    assert all(pattern.fullmatch(line) for line in annotations), annotations
    assert "::error file=jobs/crlf.sh,line=1,col=1," in out


def test_github_is_chosen_automatically_in_actions(workdir):
    code, out, _ = cclint("jobs", cwd=workdir, env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::")
    code, out, _ = cclint("--format", "concise", "jobs", cwd=workdir, env={"GITHUB_ACTIONS": "true"})
    assert not out.startswith("::")
    code, out, _ = cclint("jobs", cwd=workdir, env={"GITHUB_ACTIONS": "true", "CCLINT_FORMAT": "json"})
    assert json.loads(out)["version"] == 1


def test_github_escaping_cannot_inject_commands():
    assert escape_data("100% done\r\n::error::x") == "100%25 done%0D%0A::error::x"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    diag = Diagnostic(path="jobs/a,b:c.sh", line=2, column=3, end_line=2, end_column=7, code="CC104",
                      rule="malformed-directive", severity=Severity.INFO, message="bad\n::stop-commands::x",
                      fix="do 50%")
    assert command(diag) == ("::notice file=jobs/a%2Cb%3Ac.sh,line=2,col=3,endLine=2,endColumn=7,"
                             "title=CC104 malformed-directive::bad%0A::stop-commands::x%0AFix: do 50%25\n")


def test_gitlab_code_quality(workdir):
    code, out, _ = run(workdir, "--format", "gitlab")
    issues = json.loads(out)
    assert len(issues) == 9
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"].startswith("jobs/") and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # unique, even for duplicates.sh


def test_gitlab_fingerprints_survive_inserting_a_line_above(workdir):
    before = {(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]): i["fingerprint"]
              for i in json.loads(run(workdir, "--format", "gitlab")[1])}
    for name in ("gpu_job.sh", "duplicates.sh", "crlf.sh"):
        path = workdir / "jobs" / name
        data = path.read_bytes()
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        first, rest = data.split(newline, 1)
        path.write_bytes(first + newline + b"# a comment added above everything" + newline + rest)
    after = {(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]): i["fingerprint"]
             for i in json.loads(run(workdir, "--format", "gitlab")[1])}
    assert len(after) == len(before)
    for (check, path, line), fingerprint in before.items():
        moved = line + 1 if line > 1 else line  # findings on line 1 (the shebang) stay there
        assert after.get((check, path, moved)) == fingerprint or after.get((check, path, line)) == fingerprint, \
            (check, path, line)
    assert set(after.values()) == set(before.values())


def test_junit_xml(workdir):
    code, out, _ = run(workdir, "--format", "junit")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert root.get("tests") == "10" and root.get("failures") == "9" and root.get("errors") == "0"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"jobs/clean.sh", "jobs/crlf.sh", "jobs/duplicates.sh", "jobs/gpu_job.sh"}
    assert suites["jobs/clean.sh"].find("testcase").get("name") == "no problems"
    failure = next(c.find("failure") for c in suites["jobs/gpu_job.sh"] if c.get("name").startswith("CC104"))
    assert '<img src=x onerror=alert(1)>&"q"' in failure.text  # escaped on the way out, intact on the way in
    assert "<img" not in out and "&lt;img" in out
    # below --fail-on: the finding passes, its text kept in system-out
    root = ET.fromstring(run(workdir, "--format", "junit", "--fail-on", "error")[1].encode("utf-8"))
    assert root.get("failures") == "1"


def test_junit_survives_control_characters(tmp_path):
    (tmp_path / "ctl.sh").write_bytes(b"#!/bin/bash\n#SBATCH --time=1\n# SBATCH --job-name=a\x01b\x1bc\nconda activate\n")
    code, out, _ = cclint("--format", "junit", "ctl.sh", cwd=tmp_path)
    root = ET.fromstring(out.encode("utf-8"))
    assert "\ufffd" in "".join(root.itertext())


def test_json_statistics_and_text_statistics(workdir):
    data = json.loads(run(workdir, "--format", "json", "--statistics")[1])
    stats = {s["rule"]: s for s in data["statistics"]}
    assert stats["conda-use"] == {"code": "CC401", "rule": "conda-use", "count": 4, "files": 2,
                                  "severity": "warning", "fixable": 0, "fixable_safe": 0, "fixable_unsafe": 0}
    assert stats["crlf-line-endings"]["fixable_safe"] == stats["crlf-line-endings"]["fixable"] == 1
    assert stats["multi-gpu-request"]["fixable_unsafe"] == 1 and stats["multi-gpu-request"]["fixable_safe"] == 0
    assert data["statistics"][0]["rule"] == "conda-use"  # most frequent first
    code, out, _ = run(workdir, "--statistics")
    first = out.splitlines()[0].split()
    assert first[:5] == ["4", "CC401", "conda-use", "warning", "in"]
    assert "Found 9 problems" in out and "^^^" not in out
    rows = {line.split()[2]: line for line in out.splitlines() if line[:1].isspace() or line[:1].isdigit()}
    assert rows["crlf-line-endings"].endswith("[fixable: safe]")  # --fix applies it
    assert rows["multi-gpu-request"].endswith("[fixable: unsafe]")  # only with --unsafe-fixes
    assert "fixable" not in rows["conda-use"]


def test_statistics_go_to_stderr_for_document_formats(workdir):
    code, out, err = run(workdir, "--format", "sarif", "--statistics")
    json.loads(out)
    assert "CC401" in err and "conda-use" in err


def test_output_file(workdir):
    code, out, _ = run(workdir, "--format", "sarif", "--output-file", "report.sarif")
    assert code == 1 and out == ""
    assert json.loads((workdir / "report.sarif").read_text("utf-8"))["version"] == "2.1.0"
    code, out, _ = run(workdir, "--output-file", "report.txt", "--color", "always")
    text = (workdir / "report.txt").read_text("utf-8")
    assert "\x1b[" not in text and "Found 9 problems" in text
    code, _, err = run(workdir, "--output-file", str(workdir / "no" / "such" / "dir" / "x"))
    assert code == 2 and "--output-file" in err


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
def test_every_format_renders_an_empty_report(fmt):
    import io

    from cclint.output import renderer

    stream = io.StringIO()
    renderer(fmt).render(Report(), stream)
    assert stream.getvalue().strip()


def test_text_summary_hints_at_fixes(workdir):
    code, out, _ = run(workdir)
    assert "[*] 1 fixable with `cclint --fix`; 3 more with `--fix --unsafe-fixes`" in out
    os.remove(workdir / "jobs" / "crlf.sh")  # the only safe fix: nothing to be "more" than
    code, out, _ = run(workdir)
    assert out.splitlines()[-1].startswith("[*] 3 fixable with `cclint --fix --unsafe-fixes` (check them")


def test_per_file_fail_on_from_configs(workdir):
    # one folder fails only on errors: its warnings do not change the exit status
    (workdir / "jobs" / ".cclint.yaml").write_text("fail-on: error\n")
    os.remove(workdir / "jobs" / "crlf.sh")
    assert run(workdir)[0] == 0
    results = [lint_path(str(workdir / "jobs" / "gpu_job.sh"), make_settings())]
    assert Report(results=results).failed


def test_text_shows_a_window_of_a_long_line_with_the_marker_under_the_span(tmp_path):
    words = " ".join(f"w{k}" for k in range(3000))
    script = tmp_path / "long.sh"
    script.write_text(f"#!/bin/bash\n#SBATCH --time=10\n#SBATCH --account=def-x\necho {words} $SLURM_TMPDIR/x | salloc\n")
    code, out, _ = cclint(script)
    assert code == 1
    lines = out.splitlines()
    row = next(k for k, line in enumerate(lines) if line.startswith(" 4 | "))
    source, marker = lines[row], lines[row + 1]
    assert source.startswith(" 4 | ...") and len(source) < 220  # a window, not 20,000 characters
    at = marker.index("^")
    assert source[at:at + len("salloc")] == "salloc"


def test_stray_words_are_one_finding_per_line(tmp_path):
    script = tmp_path / "stray.sh"
    script.write_text("#!/bin/bash\n#SBATCH --time=10 a b c d\n#SBATCH --account=def-x\necho\n")
    found = json.loads(cclint("--format", "json", script)[1])["diagnostics"]
    stray = [d for d in found if d["rule"] == "invalid-option-value"]
    assert [(d["line"], d["column"]) for d in stray] == [(2, 19)]


def test_text_multi_line_fix_stays_in_the_gutter(tmp_path):
    (tmp_path / "pbs.sh").write_text("#!/bin/bash\n#SBATCH --account=def-lab\n#PBS -l nodes=1:ppn=4\n"
                                     "#PBS -l walltime=01:00:00\necho hi\n")
    code, out, _ = cclint("--select", "pbs-directive", "pbs.sh", cwd=tmp_path)
    blocks = [b for b in out.split("\n\n") if "pbs-directive" in b]
    assert blocks and any("#SBATCH --ntasks=4" in b for b in blocks)
    for block in blocks:
        head, *body = block.splitlines()
        assert head.startswith("pbs.sh:")
        assert all(re.match(r" +(\d+ )?[|=]( |$)", line) for line in body), block
    assert "   |      #SBATCH --nodes=1\n   |      #SBATCH --ntasks=4\n" in out


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_a_folder_name_cannot_forge_lines_or_drive_the_terminal(tmp_path, fmt):
    # A student's folder named with a line break and an escape sequence: the grader's
    # terminal must show it as text, one finding per line, no colour or cursor movement.
    folder = tmp_path / "s" / "ev\nsubmissions/alice/atelier.sh:1:1: error: forged\x1b[2J\x1b]0;x\x07"
    folder.mkdir(parents=True)
    (folder / "job.sh").write_text("#!/bin/bash\n#SBATCH --gres=gpu:4 # \x1b[31mred\x1b[0m\npython train.py\n")
    code, out, _ = cclint("--format", fmt, tmp_path / "s")
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith("submissions/alice") for line in out.splitlines())
    heads = [line for line in out.splitlines() if re.match(r"^\S.*:\d+:\d+: ", line)]
    assert heads and all("ev?submissions/alice" in line for line in heads), heads
