"""`--fix`, `--unsafe-fixes`, `--diff`: on the whole shared corpus, atomically, never breaking parsing."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cclint import fixer
from cclint.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from cclint.fixer import fix_source, write_atomic
from cclint.runner import lint_path
from cclint.source import SourceFile
from tests.conftest import CORPUS, make_settings
from tests.test_cli import cclint

SCRIPTS = CORPUS / "scripts"


@pytest.fixture
def corpus(tmp_path):
    target = tmp_path / "scripts"
    shutil.copytree(SCRIPTS, target)
    return target


def _lint_all(folder: Path):
    settings = make_settings(submit_dir=folder)
    return {p.name: lint_path(str(p), settings) for p in sorted(folder.glob("*.sh"))}


def _snapshot(folder: Path):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_on_every_corpus_file(corpus, unsafe):
    before = _lint_all(corpus)
    wanted = Applicability.UNSAFE if unsafe else Applicability.SAFE
    args = ["--fix", "--isolated", "--submit-dir", corpus, "--format", "json", *(["--unsafe-fixes"] if unsafe else [])]
    code, out, err = cclint(*args, *sorted(corpus.glob("*.sh")))
    assert code in (0, 1), err
    assert "Traceback" not in err
    after = _lint_all(corpus)
    # the corpus has fixes of the kind this run applies, and the run changed those files
    of_kind = {name for name, result in before.items()
               if any(d.edit is not None and d.edit.applicability == wanted for d in result.diagnostics)}
    assert of_kind and all((corpus / n).read_bytes() != (SCRIPTS / n).read_bytes() for n in of_kind), of_kind
    for name, result in before.items():
        fixable = Counter(d.rule for d in result.diagnostics
                          if d.edit is not None and fixer.allowed(d.edit, unsafe))
        now = after[name]
        assert now.incomplete <= result.incomplete, f"{name}: the fix made the script less parsable"
        # nothing fixable is left, so a second --fix would change nothing
        left = [(d.line, d.rule) for d in now.diagnostics if d.edit is not None and fixer.allowed(d.edit, unsafe)]
        assert not left, f"{name}: still fixable after --fix: {left}"
        counts_before = Counter(d.rule for d in result.diagnostics)
        counts_after = Counter(d.rule for d in now.diagnostics)
        for rule, n in fixable.items():
            assert counts_after[rule] <= counts_before[rule] - n, f"{name}: {rule} findings were not fixed"
        if not fixable:
            assert (corpus / name).read_bytes() == (SCRIPTS / name).read_bytes(), f"{name} changed for nothing"


def test_fix_is_idempotent(corpus):
    cclint("--fix", "--unsafe-fixes", "--isolated", "--submit-dir", corpus, corpus)
    snapshot = _snapshot(corpus)
    code, out, err = cclint("--fix", "--unsafe-fixes", "--isolated", "--submit-dir", corpus, corpus)
    assert _snapshot(corpus) == snapshot, err


def test_diff_never_touches_a_file_and_applies_as_a_patch(corpus, tmp_path):
    snapshot = _snapshot(corpus)
    code, out, err = cclint("--diff", "--unsafe-fixes", "--isolated", "--submit-dir", corpus, corpus,
                            cwd=corpus.parent)
    assert code == 1, err
    assert _snapshot(corpus) == snapshot
    assert "would be changed by the fixes (nothing was written)" in err
    patch_file = tmp_path / "fixes.patch"
    raw = subprocess.run([os.sys.executable, "-m", "cclint", "--diff", "--unsafe-fixes", "--isolated",
                          "--submit-dir", str(corpus), "scripts"], cwd=corpus.parent, capture_output=True,
                         env={**os.environ, "NO_COLOR": "1"}).stdout
    patch_file.write_bytes(raw)
    assert b"--- a/scripts/crlf_windows_editor.sh" in raw
    applied = tmp_path / "applied"
    shutil.copytree(corpus, applied / "scripts")
    proc = subprocess.run(["patch", "-p1", "-s", "-i", str(patch_file)], cwd=applied, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    cclint("--fix", "--unsafe-fixes", "--isolated", "--submit-dir", corpus, corpus)
    for path in corpus.glob("*.sh"):
        assert (applied / "scripts" / path.name).read_bytes() == path.read_bytes(), path.name


def test_diff_exit_zero_when_nothing_to_fix(tmp_path):
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/bash\n#SBATCH --time=1\necho hi\n")
    code, out, err = cclint("--diff", job)
    assert code == 0 and out == ""


def test_diff_goes_to_the_output_file(tmp_path):
    job = tmp_path / "job.sh"
    job.write_bytes(b"#!/bin/bash\n#SBATCH --time=1\n#sbatch --mem=1G\necho caf\xe9\n")  # Latin-1
    code, out, err = cclint("--diff", "--output-file", tmp_path / "fix.patch", job)
    assert code == 1 and out == "" and "1 of 1 file would be changed" in err
    patch = (tmp_path / "fix.patch").read_bytes()
    assert b"-#sbatch --mem=1G\n+#SBATCH --mem=1G\n" in patch and b" echo caf\xe9\n" in patch
    assert job.read_bytes().count(b"#sbatch") == 1  # nothing written


def test_fix_summary_and_exit_status(tmp_path):
    job = tmp_path / "job.sh"
    job.write_bytes(b"#SBATCH --time=1\r\n#sbatch --mem=1G\r\nconda activate\r\n")
    code, out, err = cclint("--fix", job)
    assert "Found 5 problems in 1 file (3 fixed, 2 remaining: 1 warning, 1 info)." in out, out + err
    assert code == 1  # conda-use remains
    assert job.read_bytes() == b"#!/bin/bash\n#SBATCH --time=1\n#SBATCH --mem=1G\nconda activate\n"
    job.write_bytes(b"#SBATCH --time=1\necho\n")
    assert cclint("--fix", job)[0] == 0
    job.write_bytes(b"#SBATCH --time=1\necho\n")
    assert cclint("--fix", "--exit-non-zero-on-fix", job)[0] == 1


@pytest.mark.parametrize("found,fixed,remaining,expected", [
    (8, 5, 3, "Found 8 problems in 1 file (5 fixed, 3 remaining: 3 warnings)."),
    (7, 5, 3, "Found 7 problems in 1 file (5 fixed, 3 remaining: 3 warnings, 1 of them raised by the fixes)."),
    (9, 5, 3, "Found 9 problems in 1 file (5 fixed, 3 remaining: 3 warnings, 1 more cleared by the fixes)."),
])
def test_fix_summary_counts_add_up(found, fixed, remaining, expected):
    from cclint.output import Report
    from cclint.output.text import summary_line
    from cclint.runner import FileResult

    left = [Diagnostic("job.sh", 1, 1, 1, 2, "CC401", "conda-use", Severity.WARNING, "m", "f")] * remaining
    result = FileResult("job.sh", diagnostics=left, fixed=fixed, found=found)
    assert summary_line(Report(results=[result], fixing=True)) == expected


def test_fix_summary_counts_the_findings_of_the_original_file(tmp_path):
    job = tmp_path / "job.sh"
    text = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --gres=gpu:4\nmodule load python\n"
            "#SBATCH --time=02:00:00\n#SBATCH --mem=4G\npip install torch\nsalloc -n 1\n\nconda activate x\n")
    job.write_text(text)
    before = len(lint_path(str(job), make_settings(submit_dir=tmp_path)).diagnostics)
    code, out, err = cclint("--fix", "--unsafe-fixes", "--isolated", "--format", "json", job, cwd=tmp_path)
    summary = json.loads(out)["summary"]
    assert summary["found"] == before
    assert summary["fixed"] + summary["error"] + summary["warning"] + summary["info"] == before
    assert "duplicate-option" not in out  # the moved lines created no override


def test_unsafe_fixes_need_the_flag(tmp_path):
    job = tmp_path / "job.sh"
    job.write_text("#!/bin/bash\n#SBATCH --time=1\npip install torch\n")
    cclint("--fix", job)
    assert "--no-index" not in job.read_text()
    cclint("--fix", "--unsafe-fixes", job)
    assert "pip install --no-index torch" in job.read_text()
    code, _, err = cclint("--unsafe-fixes", job)
    assert code == 2 and "--fix or --diff" in err


def test_fix_keeps_permissions_encoding_and_follows_symlinks(tmp_path):
    job = tmp_path / "job.sh"
    job.write_bytes("#sbatch --time=1\n# Tâche\necho é\n".encode("latin-1"))
    os.chmod(job, 0o751)
    link = tmp_path / "link.sh"
    link.symlink_to(job)
    code, out, err = cclint("--fix", link)
    assert link.is_symlink()
    assert stat.S_IMODE(job.stat().st_mode) == 0o751
    assert job.read_bytes() == "#!/bin/bash\n#SBATCH --time=1\n# Tâche\necho é\n".encode("latin-1")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".cclint-tmp")]


def test_fix_refuses_standard_input():
    code, _, err = cclint("--fix", "-", stdin=b"#SBATCH --time=1\n")
    assert code == 2 and "standard input" in err
    code, out, _ = cclint("--diff", "-", stdin=b"#SBATCH --time=1\necho\n")
    assert code == 1 and "+#!/bin/bash" in out


def test_failed_write_leaves_the_original_untouched(tmp_path, monkeypatch):
    job = tmp_path / "job.sh"
    original = b"#SBATCH --time=1\r\necho hi\r\n"
    job.write_bytes(original)
    os.chmod(job, 0o640)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixer.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(str(job), b"#!/bin/bash\n")
    assert job.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.sh"]

    # the same failure through the command line: reported, exit 2, file untouched
    from cclint.cli import app

    result = CliRunner().invoke(app, ["--fix", str(job)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "cannot write the fixed file" in result.output and "unchanged" in result.output
    assert job.read_bytes() == original and stat.S_IMODE(job.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.sh"]


def test_failed_write_midway(tmp_path, monkeypatch):
    job = tmp_path / "job.sh"
    job.write_bytes(b"#!/bin/bash\necho\n")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fixer.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(str(job), b"#!/bin/bash\n" * 100_000)
    assert job.read_bytes() == b"#!/bin/bash\necho\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.sh"]


def test_a_fix_that_breaks_parsing_is_refused():
    source = SourceFile.from_text("#!/bin/bash\necho ok\n")

    def diag(edit):
        return Diagnostic("job.sh", 2, 1, 2, 8, "CC999", "test", Severity.WARNING, "m", "f",
                          edit=Fix("break it", (edit,), Applicability.SAFE))

    def lint(src):
        from cclint.script import Script

        incomplete = len(Script.build(src).body.incomplete)
        found = [diag(Edit(12, 19, "if then fi done ((( $(( "))] if "echo ok" in src.text else []
        return found, incomplete

    outcome = fix_source(source, lint)
    assert not outcome.changed and outcome.refused and outcome.text == source.text


def test_fixes_loop_until_stable():
    # each round's fix exposes the next one: applied over several rounds
    source = SourceFile.from_text("#!/bin/bash\nx\n")

    def lint(src):
        count = src.text.count("x")
        if count >= 4:
            return [], 0
        end = src.text.rindex("x") + 1
        return [Diagnostic("job.sh", 2, 1, 2, 2, "CC999", "test", Severity.INFO, "m", "f",
                           edit=Fix("add", (Edit(end, end, "x"),), Applicability.SAFE))], 0

    outcome = fix_source(source, lint)
    assert outcome.text == "#!/bin/bash\nxxxx\n" and outcome.converged and len(outcome.applied) == 3
