"""The command line as users run it: exit codes, formats, inputs that cannot be read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

SCRIPTS = CORPUS / "scripts"
CLEAN = "#!/bin/bash\n#SBATCH --time=00:10:00\n#SBATCH --account=def-lab\necho hello\n"
WARN = "#!/bin/bash\n#SBATCH --account=def-lab\necho hello\n"  # missing-time (warning)


def cclint(*args, stdin: bytes | None = None, cwd=None, env=None):
    # The caller's CCLINT_* settings and GITHUB_ACTIONS (auto github format) must not leak in.
    base = {k: v for k, v in os.environ.items()
            if k == "CCLINT_CACHE_DIR" or not k.startswith(("CCLINT_", "GITHUB_ACTIONS"))}
    full_env = {**base, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "cclint", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, env=full_env, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "clean.sh").write_text(CLEAN)
    (tmp_path / "warn.sh").write_text(WARN)
    return tmp_path


def test_clean_file_exits_zero(files):
    code, out, err = cclint(files / "clean.sh")
    assert code == 0, out + err
    assert "All checks passed" in out


def test_warning_fails_by_default_and_fail_on_controls_it(files):
    assert cclint(files / "warn.sh")[0] == 1
    assert cclint("--fail-on", "error", files / "warn.sh")[0] == 0
    assert cclint("--fail-on", "never", files / "warn.sh")[0] == 0
    assert cclint("--fail-on", "info", files / "clean.sh", "--select", "missing-time")[0] == 0


def test_text_output_shows_location_source_marker_and_fix(files):
    code, out, _ = cclint(files / "warn.sh")
    assert f"{files / 'warn.sh'}:2:1: warning CC202 missing-time:" in out
    assert "2 | #SBATCH --account=def-lab" in out
    assert "^" in out and "= fix: Add `#SBATCH --time=" in out
    assert "Found 1 problem (1 warning) in 1 of 1 file." in out
    assert "\x1b[" not in out


def test_color_only_when_asked(files):
    assert "\x1b[" in cclint("--color", "always", files / "warn.sh")[1]
    assert "\x1b[" not in cclint(files / "warn.sh", env={"FORCE_COLOR": ""})[1]


def test_json_output(files):
    code, out, _ = cclint("--format", "json", files / "warn.sh", files / "clean.sh")
    data = json.loads(out)
    assert data["version"] == 1
    [diag] = data["diagnostics"]
    for key in ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                "message", "fix"):
        assert key in diag
    assert diag["rule"] == "missing-time" and diag["severity"] == "warning" and diag["line"] == 2
    assert data["summary"]["files"] == 2 and data["summary"]["warning"] == 1


def test_select_and_ignore_take_names_and_codes(files):
    assert cclint("--ignore", "missing-time", files / "warn.sh")[0] == 0
    assert cclint("--ignore", "CC202", files / "warn.sh")[0] == 0
    assert cclint("--select", "conda-use,CC101", files / "warn.sh")[0] == 0
    code, _, err = cclint("--select", "no-such-rule", files / "warn.sh")
    assert code == 2 and "unknown rule" in err and "no-such-rule" in err


def test_missing_file_is_reported_and_others_still_linted(files):
    code, out, err = cclint(files / "nope.sh", files / "warn.sh")
    assert code == 2
    assert "nope.sh: no such file or directory" in err
    assert "missing-time" in out


def test_directory_is_searched_for_job_scripts(files):
    (files / "notes.txt").write_text("nothing to see\n")
    (files / "job.slurm").write_text(WARN)
    (files / "README").write_text("#!/bin/bash\n#SBATCH --time=1\n#SBATCH --account=def-lab\n")
    (files / "notes.md").write_text("Write `#SBATCH --time=1` in your script.\n    #SBATCH --mem=1G\n")
    code, out, _ = cclint("--format", "json", files)
    paths = sorted(Path(d["path"]).name for d in json.loads(out)["diagnostics"])
    assert paths == ["job.slurm", "warn.sh"]
    # clean.sh, job.slurm, README (sniffed: #SBATCH at column 0), warn.sh; not notes.md
    assert json.loads(out)["summary"]["files"] == 4


def test_stdin(files):
    code, out, _ = cclint("--format", "json", "-", stdin=WARN.encode())
    data = json.loads(out)
    assert code == 1 and data["diagnostics"][0]["path"] == "<stdin>"


@pytest.mark.parametrize("name,content,message", [
    ("binary.sh", b"\x7fELF\x00\x01\x02", "binary file"),
])
def test_unreadable_inputs(files, name, content, message):
    (files / name).write_bytes(content)
    code, _, err = cclint(files / name, files / "clean.sh")
    assert code == 2 and message in err and "Traceback" not in err


def test_odd_inputs_never_crash(files):
    weird = {
        "empty.sh": b"",
        "latin1.sh": "#!/bin/bash\n# Tâche : données\necho 'é'\n".encode("latin-1"),
        "crlf.sh": b"#!/bin/bash\r\n#SBATCH --time=1\r\necho hi\r\n",
        "unparsable.sh": b"#!/bin/bash\nif then fi done ((( $(( \n",
        "big.sh": b"#!/bin/bash\n#SBATCH --time=10\n" + b"echo $((i+1)) | tee -a out.log\n" * 20_000,
    }
    for name, data in weird.items():
        (files / name).write_bytes(data)
    code, out, err = cclint("--format", "json", *[files / n for n in weird], files)
    assert "Traceback" not in err
    assert code in (0, 1)
    data = json.loads(out)
    rules = {(Path(d["path"]).name, d["rule"]) for d in data["diagnostics"]}
    assert ("empty.sh", "missing-shebang") in rules
    assert ("crlf.sh", "crlf-line-endings") in rules
    assert ("unparsable.sh", "bash-syntax-error") in rules  # (bash refuses it: not only cclint)


def test_directory_given_as_file_and_fifo(files):
    fifo = files / "pipe.sh"
    os.mkfifo(fifo)
    code, _, err = cclint(fifo, files / "clean.sh")
    assert code == 2 and "not a regular file" in err


def test_rule_and_rules_commands():
    code, out, _ = cclint("rule", "missing-time")
    assert code == 0 and "# missing-time (CC202)" in out and "## Why it matters" in out
    assert cclint("rule", "CC202")[1] == out
    code, _, err = cclint("rule", "nope")
    assert code == 2 and "unknown rule" in err
    code, out, _ = cclint("rules")
    assert code == 0 and "missing-shebang" in out and "CC101" in out
    assert any(r["name"] == "conda-use" for r in json.loads(cclint("rules", "--format", "json")[1]))


def test_version_and_help():
    code, out, _ = cclint("--version")
    assert code == 0 and out.startswith("cclint ")
    code, out, _ = cclint("--help")
    assert code == 0 and "rule" in out


def test_submit_dir_decides_output_directories(files):
    script = files / "job.sh"
    script.write_text("#!/bin/bash\n#SBATCH --time=1\n#SBATCH --account=x\n#SBATCH --output=logs/%j.out\necho\n")
    assert cclint(script, "--submit-dir", files)[0] == 1
    (files / "logs").mkdir()
    assert cclint(script, "--submit-dir", files)[0] == 0
    code, _, err = cclint(script, "--submit-dir", files / "nope")
    assert code == 2 and "not a directory" in err


def test_usage_error_exits_two(files):
    code, _, err = cclint("--format", "xml", files / "clean.sh")
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize("args", [["warn.sh"], ["clean.sh", "warn.sh"], ["warn.sh", "-"], ["."],
                                  ["nope.sh", "clean.sh"], ["--statistics", "warn.sh"],
                                  ["--force-exclude", "--only-job-scripts", "warn.sh", "notes.txt"],
                                  ["--diff", "--unsafe-fixes", "warn.sh"], ["--isolated", "--no-inline-config", "."]])
def test_paths_and_flags_skip_typer_and_give_the_same_result(files, args):
    """`cclint [flags] PATH...` goes straight to run_check; `cclint check ...` through typer."""
    from cclint.main import direct_call

    (files / "notes.txt").write_text("not a job script\n")
    assert direct_call(args) is not None and direct_call(["check", *args]) is not None
    fast = cclint(*args, cwd=files, stdin=WARN.encode())
    full = cclint("check", "--format", "text", *args, cwd=files, stdin=WARN.encode())  # typer's route
    assert fast == full and (fast[1] or fast[2])
    probe = ("import sys\nfrom cclint.main import main\nsys.argv = ['cclint', 'clean.sh']\n"
             "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
             "assert 'typer' not in sys.modules, 'typer imported'\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=files)
    assert proc.returncode == 0, proc.stderr


def test_the_direct_route_knows_the_commands_and_flags_as_typer_declares_them():
    import typer.main

    from cclint.cli import app
    from cclint.main import FLAGS, SUBCOMMANDS, direct_call

    assert set(SUBCOMMANDS) == {c.name for c in app.registered_commands}
    check = typer.main.get_command(app).commands["check"]
    declared = {opt: p for p in check.params for opt in p.opts}
    for flag, argument in FLAGS.items():
        assert declared[flag].name == argument and declared[flag].is_flag, flag
    for args in ([], ["rules"], ["check"], ["-f", "json", "a.sh"], ["a.sh", "--fix=1"], ["--version"],
                 ["--help"], ["a.sh", "--jobs", "2"], ["--", "a.sh"]):
        assert direct_call(args) is None, args


def test_a_5_mb_script_is_linted_whole(tmp_path):
    """Issue 2: a 5 MB script gives findings, not a traceback (10 MiB is the limit)."""
    chunk = (b"# " + "données ".encode() * 100 + b"\ncd $SLURM_TMPDIR\nfor f in a b c; do\n"
             b"  python ~/code/train.py --data ~/projects/def-x/d/$f\ndone\npip install numpy\nsalloc -n 1\n")
    big = tmp_path / "big.sh"
    big.write_bytes(b"#!/bin/bash\n#SBATCH --time=10\n#SBATCH --account=def-x\n"
                    + chunk * (5_000_000 // len(chunk) + 1))
    assert big.stat().st_size > 5_000_000
    code, out, err = cclint("--format", "json", big)
    assert code == 1 and "Traceback" not in err
    found = json.loads(out)["diagnostics"]
    salloc = [d["line"] for d in found if d["rule"] == "salloc-in-script"]
    lines = big.read_bytes().count(b"\n")
    assert len(salloc) == big.read_bytes().count(b"salloc") and salloc[-1] == lines  # to the very end
