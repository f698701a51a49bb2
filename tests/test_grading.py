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


def _rows(out: str) -> dict[str, list[str]]:
    """The per-submission lines of the text report, by student."""
    lines = out.splitlines()
    table = lines[lines.index(next(l for l in lines if l.startswith("student"))) + 2:]
    return {line.split()[0]: line.split() for line in table[:table.index("")]}


def test_report_text(submissions):
    code, out, err = cclint("--report", submissions)
    assert code == 1, err
    assert max(len(line) for line in out.splitlines()) <= 100
    rows = _rows(out)
    assert rows["alice"][1:] == ["0", "0", "clean"]
    assert rows["bob"][1:3] == ["3", "2"] and rows["bob"][3:5] == ["max-gpus,", "missing-time,"]
    assert rows["carol"][1:] == ["1", "1", "required-account,", "min-commands"]
    assert rows["dave"][1:] == ["1", "0", "no", "job", "script"]
    assert "Class: 5 submissions, 1 clean, 3 with errors, 1 without a job script." in out
    assert "  CC902  required-account   error    2/5  bob, carol" in out
    assert "  CC903  max-gpus           error    1/5  bob" in out
    assert "  -      no job script      error    1/5  dave" in out
    assert "\nClean: alice\n" in out


def test_report_text_fits_100_columns_for_a_large_class(tmp_path):
    root = tmp_path / ("a-very-long-course-folder-name" * 4)
    script = ("#!/bin/bash\n#SBATCH --gres=gpu:4\n#SBATCH --output=nowhere/%j.out\nconda activate\n"
              "pip install torch\nsalloc -N1\ncd $SLURM_TMPDIR\ntar xf data.tar\npython train.py > out.txt\n")
    for i in range(40):
        name = f"student-with-a-remarkably-long-name-{i:02d}" if i % 2 else f"s{i:02d}"
        (root / name).mkdir(parents=True)
        (root / name / "job.sh").write_text(script)
    (root / "clean-one").mkdir()
    shutil.copy(CORPUS / "scripts" / "clean_atelier_tinyimagenet.sh", root / "clean-one" / "atelier.sh")
    (root / "clean-one" / "logs").mkdir()
    code, out, _ = cclint("--report", root, "--extend-select", "min-commands")
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 100, max(out.splitlines(), key=len)
    assert "+" in out and "more" in out  # long problem lists are cut, never wrapped
    assert out.splitlines()[0].startswith("cclint report: 41 submissions, 41 job scripts in …")
    assert "\nClean: clean-one\n" in out


def test_report_json(submissions):
    code, out, _ = cclint("--report", submissions, "--report-format", "json")
    data = json.loads(out)
    subs = {s["name"]: s for s in data["submissions"]}
    assert set(subs) == {"alice", "bob", "carol", "dave", "<b>eve<i>|[x](javascript:alert)"}
    assert subs["bob"]["per_rule"] == {"max-gpus": 1, "min-commands": 1, "missing-time": 1,
                                       "multi-gpu-request": 1, "required-account": 1}
    assert (subs["bob"]["errors"], subs["bob"]["warnings"]) == (3, 2)
    assert subs["bob"]["problems"][:3] == ["max-gpus", "missing-time", "required-account"]
    # the course preset: missing-time is an error, the account is pinned, one GPU at most
    bob = {d["rule"]: d for d in subs["bob"]["diagnostics"]}
    assert bob["missing-time"]["severity"] == "error"
    assert "def-sponsor00" in bob["required-account"]["message"]
    assert subs["carol"]["per_rule"] == {"min-commands": 1, "required-account": 1}
    assert subs["dave"] == {**subs["dave"], "scripts": 0, "worst": "no script", "errors": 1,
                            "problems": ["no job script"]}
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["required-account"] == {"code": "CC902", "rule": "required-account", "severity": "error",
                                         "findings": 2, "submissions": 2, "names": ["bob", "carol"]}
    summary = data["summary"]
    assert summary["submissions"] == 5 and summary["worst"]["error"] == 2
    assert summary["clean"] == ["alice"] and summary["no_script"] == ["dave"]


def test_report_markdown_escapes_submission_names(submissions):
    code, out, _ = cclint("--report", submissions, "--report-format", "markdown")
    assert out.startswith("## cclint report: 5 submissions")
    assert "| alice | 0 | 0 | clean |" in out
    assert "| dave | **1** | 0 | no job script |" in out
    assert "<b>" not in out and "](javascript" not in out
    assert md("<b>eve<i>|[x](javascript:alert)") in out
    assert "&lt;b&gt;eve&lt;i&gt;\\|\\[x\\]\\(javascript:alert\\)" in out
    assert "| `CC902` | `required-account` | error | 2 | 2 |" in out
    assert "Clean: alice." in out


def test_missing_script_is_an_error_of_the_report(tmp_path):
    root = tmp_path / "class"
    (root / "alice").mkdir(parents=True)
    (root / "alice" / "job.sh").write_text("#!/bin/bash\n#SBATCH --time=00:10:00\necho hi\n")
    (root / "bob").mkdir()
    assert cclint("--report", root, "--fail-on", "never")[0] == 1  # bob submitted nothing
    code, out, _ = cclint("--report", root, "--report-format", "json")
    assert code == 1 and json.loads(out)["summary"]["no_script"] == ["bob"]
    (root / "bob" / "job.sh").write_text("#!/bin/bash\n#SBATCH --time=00:10:00\necho hi\n")
    assert cclint("--report", root)[0] == 0


def test_a_submitted_shell_script_without_any_header_is_graded(tmp_path):
    # In a folder walk a .sh with no sign of a batch job is a helper and is skipped; in a class
    # it is the student's script, and its missing header is what the report must show.
    root = tmp_path / "class"
    (root / "carol").mkdir(parents=True)
    (root / "carol" / "atelier.sh").write_text("#!/bin/bash\npython train.py\n")
    data = json.loads(cclint("--report", root, "--report-format", "json")[1])
    assert data["summary"]["no_script"] == []
    (carol,) = data["submissions"]
    assert "missing-time" in json.dumps(carol)
    assert "no job scripts" in cclint(root / "carol")[2]  # outside grading: not a job script


def test_empty_class_lists_no_submission(tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = cclint("--report", tmp_path / "empty")
    assert code == 1, err  # nothing to grade is never a pass, but not an unreadable path either
    assert "0 submissions" in out and "No submissions" in out
    assert "\n.  " not in out and "unreadable" not in out
    data = json.loads(cclint("--report", tmp_path / "empty", "--report-format", "json")[1])
    assert data["submissions"] == [] and data["summary"]["submissions"] == 0
    # sub-folders with nothing in them: each is a submission without a script, not "."
    (tmp_path / "empty" / "ann").mkdir()
    code, out, _ = cclint("--report", tmp_path / "empty", "--report-format", "json")
    assert code == 1 and [s["name"] for s in json.loads(out)["submissions"]] == ["ann"]


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
    code, out, err = cclint("--report", submissions, "--statistics")
    assert code == 2 and out == "" and "--report already counts each problem" in err


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


# -- --report-dir: feedback files and the class page -------------------------------------------

HOSTILE = "<svg onload=alert(1)>&\"'x"


@pytest.fixture
def report_dir(submissions, tmp_path):
    (submissions / HOSTILE).mkdir()
    (submissions / HOSTILE / "job.sh").write_text(  # student text in a message and a source line
        "#!/bin/bash\n#SBATCH --time=1\n#SBATCH --account=<img src=x onerror=alert(2)>\n"
        "echo '```' `<b>bold</b>` [link](javascript:alert(3))\n")
    out = tmp_path / "feedback"
    code, stdout, err = cclint("--report-dir", out, submissions)
    assert code == 1, err
    assert stdout.startswith("cclint report: 6 submissions") and "wrote 6 feedback files" in err
    return out


class _Page(__import__("html.parser").parser.HTMLParser):
    """Every start tag with its attributes, and the text of each table row."""

    def __init__(self):
        super().__init__()
        self.tags, self.rows, self._row = [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._row.append("")

    def handle_endtag(self, tag):
        if tag == "tr" and self._row:
            self.rows.append(self._row)
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row:
            self._row[-1] += data


def test_report_dir_writes_one_feedback_file_per_submission(report_dir):
    names = sorted(p.name for p in report_dir.iterdir())
    assert names == sorted(["alice.md", "bob.md", "carol.md", "dave.md", "_b_eve_i___x__javascript_alert_.md",
                            "_svg_onload_alert_1_____x.md", "index.html"])
    bob = (report_dir / "bob.md").read_text("utf-8")
    assert bob.startswith("# Job script feedback: bob\n")
    assert "checked 1 job script: 3 errors, 2 warnings." in bob
    assert "### Line 2: warning, `multi-gpu-request` (CC201)" in bob
    assert "2 | #SBATCH --gres=gpu:4\n  |         ^^^^^^^^^^^^" in bob  # the source line and a marker
    assert bob.count("**Why it matters.**") == 5 and bob.count("**How to fix it.**") == 5
    assert "**No job script was found in your submission**" in (report_dir / "dave.md").read_text("utf-8")
    assert "no problems found. Well done!" in (report_dir / "alice.md").read_text("utf-8")


def test_feedback_markdown_shows_student_text_as_text(report_dir):
    markdown_it = pytest.importorskip("markdown_it")
    text = (report_dir / "_svg_onload_alert_1_____x.md").read_text("utf-8")
    assert "````text\n4 | echo '```'" in text  # a fence longer than any backtick run in the line
    rendered = markdown_it.MarkdownIt("commonmark").render(text)  # raw HTML allowed, as GitHub's would be sanitised
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "href" not in rendered  # no link from a student's text
    assert "&lt;svg onload=alert(1)&gt;" in rendered  # the name shows, as text
    assert "<svg" not in rendered
    assert "<code>#SBATCH --account=&lt;img src=x onerror=alert(2)&gt;</code>" in rendered \
        or "&lt;img src=x onerror=alert(2)&gt;" in rendered


def test_class_page_structure_and_escaping(report_dir):
    page = (report_dir / "index.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "http:" not in page and "https:" not in page  # no external resource
    parser = _Page()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert all("src" not in a for _, a in tags)
    assert [a["href"] for t, a in tags if t == "a"] == [  # only the feedback files, relative
        "_b_eve_i___x__javascript_alert_.md", "_svg_onload_alert_1_____x.md", "alice.md", "bob.md",
        "carol.md", "dave.md"]
    assert not [k for _, a in tags for k in a if k.startswith("on")]
    assert sum(1 for t, _ in tags if t == "script") == 1 and sum(1 for t, _ in tags if t == "style") == 1
    [csp] = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp.startswith("default-src 'none'; style-src 'sha256-") and "unsafe" not in csp
    # the chart: inline SVG, one bar per problem across the class (and its track)
    assert sum(1 for t, _ in tags if t == "svg") == 1
    data = json.loads(cclint("--report", report_dir.parent / "submissions", "--report-format", "json")[1])
    problems = len(data["rules"]) + 1  # and "no job script"
    assert sum(1 for t, _ in tags if t == "rect") == 2 * problems
    assert sum(1 for t, _ in tags if t == "title") == 2 + problems  # the page's, the chart's, each bar's
    # the table: sortable headers, one row per submission, student names shown exactly
    assert [a.get("type") for t, a in tags if t == "button"] == ["button"] * 5
    students = {row[0]: row for row in parser.rows}
    assert set(students) == {"alice", "bob", "carol", "dave", "<b>eve<i>|[x](javascript:alert)", HOSTILE}
    assert students["bob"][1:5] == ["1", "3", "2", "0"] and students["dave"][1:3] == ["0", "1"]
    assert "<svg onload" not in page and "&lt;svg onload=alert(1)&gt;&amp;&quot;&#x27;x" in page


def test_report_format_without_report_is_a_usage_error(submissions):
    # forgetting --report must not print the ordinary findings as if they were the report
    code, out, err = cclint("--report-format", "json", submissions)
    assert code == 2 and "--report-format applies with --report" in err and out == ""


def test_report_dir_errors(submissions, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = cclint("--report-dir", blocker / "out", submissions)
    assert code == 2 and "--report-dir" in err
    code, out, err = cclint("--report-dir", blocker, submissions)  # a file: said so, before any work
    assert code == 2 and f"--report-dir {blocker}: a file, not a folder" in err and out == ""


def test_readme_report_example_is_real(tmp_path):
    """The report shown in the README's "Grading a class" is what cclint prints."""
    root = tmp_path / "submissions"
    for name in ("alice", "bob", "carol", "dave"):
        (root / name).mkdir(parents=True)
    shutil.copy(CORPUS / "scripts" / "clean_atelier_tinyimagenet.sh", root / "alice" / "atelier.sh")
    (root / "alice" / "logs").mkdir()
    (root / "bob" / "atelier.sh").write_text(
        "#!/bin/bash\n#SBATCH --gres=gpu:4\nmodule load python/3.8\npython ~/atelier-dl-cc/train.py\n")
    (root / "bob" / ".cclint.yaml").write_text("ignore: [ALL]\n")
    (root / "carol" / "atelier.sh").write_text(
        "#!/bin/bash\n#SBATCH --account=def-carolprof\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:1\n"
        "python train.py  # cclint: disable-line=required-account\n")
    (root / "dave" / "notes.txt").write_text("I could not finish\n")
    code, out, _ = cclint("--isolated", "--config", "course-ift780", "--no-inline-config", "--report",
                          "submissions/", cwd=tmp_path)
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("cclint report: 4 submissions")
    assert code == 1 and out == readme[start:readme.index("Clean: alice\n", start) + len("Clean: alice\n")]


def test_a_symbolic_link_cannot_take_another_submission_or_read_the_graders_files(tmp_path):
    # abe links bob's script, quinn a file of the grader's: bob keeps his findings, abe and
    # quinn submitted no script of their own, and nothing outside a submission is read.
    root = tmp_path / "class"
    for name in ("abe", "bob", "quinn", "rose"):
        (root / name).mkdir(parents=True)
    (root / "bob" / "atelier.sh").write_text("#!/bin/bash\n#SBATCH --gres=gpu:4\npython train.py\n")
    (root / "abe" / "atelier.sh").symlink_to("../bob/atelier.sh")
    secret = tmp_path / "solution.sh"
    secret.write_text("#!/bin/bash\n#SBATCH --time=0\nexport TOKEN=hunter2 # the grader's\n")
    (root / "quinn" / "atelier.sh").symlink_to(secret)
    (root / "rose" / "scripts").mkdir()  # a link inside her own submission is hers
    (root / "rose" / "scripts" / "job.sh").write_text("#!/bin/bash\n#SBATCH --gres=gpu:4\npython train.py\n")
    (root / "rose" / "atelier.sh").symlink_to("scripts/job.sh")
    code, out, _ = cclint("--report", root, "--report-format", "json")
    assert code == 1 and "hunter2" not in out and "solution" not in out
    data = json.loads(out)
    subs = {s["name"]: s for s in data["submissions"]}
    assert data["summary"]["no_script"] == ["abe", "quinn"]
    assert subs["bob"]["scripts"] == 1 and "missing-time" in subs["bob"]["problems"]
    assert subs["rose"]["scripts"] == 1 and "missing-time" in subs["rose"]["problems"]
    # a plain lint of the folder (the junit grading command): bob's findings are bob's
    out = cclint("--format", "json", root)[1]
    paths = {d["path"].split("/class/")[-1] for d in json.loads(out)["diagnostics"]}
    assert "bob/atelier.sh" in paths and "abe/atelier.sh" not in paths


def test_long_student_names_stay_distinct_in_the_text_report(tmp_path):
    # GitHub Classroom names each repository `<assignment>-<username>`: a name cut at its end
    # showed every student as the same `atelier-slurm-ift780-…`.
    root = tmp_path / "class"
    for user in ("alice", "bob", "carol-anne"):
        (root / f"atelier-slurm-ift780-hiver-{user}").mkdir(parents=True)
        (root / f"atelier-slurm-ift780-hiver-{user}" / "job.sh").write_text("#!/bin/bash\npython train.py\n")
    out = cclint("--report", root)[1]
    lines = out.splitlines()
    rows = lines[lines.index(next(l for l in lines if l.startswith("student"))) + 2:][:3]
    assert max(len(line) for line in lines) <= 100
    assert len({row.split()[0] for row in rows}) == 3, rows
    for row, user in zip(rows, ("alice", "bob", "carol-anne")):
        assert row.split()[0].startswith("atelier") and row.split()[0].endswith(user), row


def test_text_report_counts_columns_not_characters(tmp_path):
    # A CJK character takes two columns of the grader's terminal, a combining accent none.
    import unicodedata

    def columns(line):
        return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
                   for ch in line)

    root = tmp_path / "class"
    script = ("#!/bin/bash\n#SBATCH --gres=gpu:4\n#SBATCH --output=nowhere/%j.out\nconda activate\n"
              "pip install torch\nsalloc -N1\ncd $SLURM_TMPDIR\ntar xf data.tar\npython train.py > out.txt\n")
    names = ("学生" * 12, "王小明", "e\u0301lodie", "zoe")
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "job.sh").write_text(script)
    for i in range(30):  # and a long list of clean ones
        (root / f"王小明{i:02d}").mkdir()
        shutil.copy(CORPUS / "scripts" / "clean_atelier_tinyimagenet.sh", root / f"王小明{i:02d}" / "atelier.sh")
        (root / f"王小明{i:02d}" / "logs").mkdir()
    out = cclint("--report", root, "--extend-select", "min-commands")[1]
    lines = out.splitlines()
    assert max(columns(line) for line in lines) <= 100, max(lines, key=columns)
    table = lines[lines.index(next(l for l in lines if l.startswith("student"))) + 1:][:5]
    # the columns line up: each row's problems start at the same column
    assert len({columns(row[:row.index("missing-copy-back")]) for row in table[1:]}) == 1, table


def test_feedback_says_why_it_matters_not_how_the_rule_decides(tmp_path):
    # A rule's rationale goes on to its edge cases, its fix and its tests (for `cclint rule`);
    # the student's feedback keeps the paragraph that says why it matters.
    root = tmp_path / "class"
    (root / "kim").mkdir(parents=True)
    (root / "kim" / "job.sh").write_text("#!/bin/bash\n#SBATCH --time=90m\n#SBATCH --account=def-sponsor00\n"
                                         "salloc -N1\npython train.py\n")
    cclint("--report-dir", tmp_path / "out", root)
    text = (tmp_path / "out" / "kim.md").read_text("utf-8")
    assert "**Why it matters.** sbatch checks every `#SBATCH` value" in text
    assert "tests/differential" not in text and "The unsafe fix" not in text and "GresTypes" not in text
    assert "`cclint rule NAME` explains a rule in full" in text
