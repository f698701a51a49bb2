"""Inputs that cannot be linted: one line on stderr, exit status 2, every other file linted.

Also: `--jobs` gives the same output as a sequential run, and a broken pipe or Ctrl-C ends
cclint without a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys

import pytest

from cclint import runner
from cclint.discovery import targets
from cclint.parallel import MIN_FILES_PER_JOB, lint_targets
from cclint.runner import active_rules, lint_path
from cclint.settings import Settings
from tests.test_cli import CLEAN, WARN, cclint

SETTINGS = Settings()


def errors(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if line]
    assert "Traceback" not in err
    assert all(line.startswith("cclint: error: ") for line in lines), err
    return lines


def only_error(err: str, *expected: str) -> None:
    [line] = errors(err)
    for text in expected:
        assert text in line, line


@pytest.fixture
def ok(tmp_path):
    """A script that is linted next to each bad input (it has one warning)."""
    path = tmp_path / "ok.sh"
    path.write_text(WARN)
    return path


def linted(out: str) -> set[str]:
    return {os.path.basename(d["path"]) for d in json.loads(out)["diagnostics"]}


def test_file_over_the_size_limit(tmp_path, ok):
    big = tmp_path / "huge.sh"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    code, out, err = cclint("--format", "json", big, ok)
    assert code == 2 and linted(out) == {"ok.sh"}
    only_error(err, "huge.sh: file too large (50 MiB; the limit is 10 MiB")


def test_directory_is_searched_and_an_empty_one_says_so(tmp_path, ok):
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("no job here\n")
    code, out, err = cclint("--format", "json", empty, tmp_path / "other", ok)
    assert code == 2 and linted(out) == {"ok.sh"}
    lines = errors(err)
    assert len(lines) == 2 and all("no job scripts in this directory" in line for line in lines)


def test_permission_denied_is_reported(tmp_path, ok, monkeypatch):
    locked = tmp_path / "locked.sh"
    locked.write_text(CLEAN)

    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(runner, "open", denied, raising=False)
    assert lint_path(str(locked), SETTINGS).error == f"{locked}: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file: permissions cannot be tested")
def test_permission_denied_from_the_command_line(tmp_path, ok):
    locked = tmp_path / "locked.sh"
    locked.write_text(CLEAN)
    locked.chmod(0)
    folder = tmp_path / "closed"
    folder.mkdir()
    folder.chmod(0)
    try:
        code, out, err = cclint("--format", "json", locked, folder, ok)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code == 2 and linted(out) == {"ok.sh"}
    lines = errors(err)
    assert any("locked.sh: permission denied" in line for line in lines)
    assert any("closed: cannot search this directory (permission denied)" in line for line in lines)


def test_unreadable_subdirectory_is_reported(tmp_path, ok, monkeypatch):
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        onerror(PermissionError(13, "Permission denied", os.path.join(top, "private")))
        yield from real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr("cclint.discovery.os.walk", walk)
    found = targets([str(tmp_path)])
    assert [t.display for t in found if not t.problem] == [str(ok)]
    [problem] = [t.problem for t in found if t.problem]
    assert problem == f"{tmp_path}/private: cannot search this directory (permission denied)"


def test_symlink_loop(tmp_path, ok):
    (tmp_path / "a.sh").symlink_to(tmp_path / "b.sh")
    (tmp_path / "b.sh").symlink_to(tmp_path / "a.sh")
    code, out, err = cclint("--format", "json", tmp_path / "a.sh", tmp_path)
    assert code == 2 and linted(out) == {"ok.sh"}  # in the folder, the loop is skipped
    only_error(err, "a.sh: cannot read (too many levels of symbolic links)")


def test_fifo_is_never_opened(tmp_path, ok):
    fifo = tmp_path / "pipe.sh"
    os.mkfifo(fifo)
    code, out, err = cclint("--format", "json", fifo, tmp_path)  # named, and inside a folder
    assert code == 2 and linted(out) == {"ok.sh"}
    only_error(err, "pipe.sh: not a regular file")


def test_file_deleted_while_linting(tmp_path, ok, monkeypatch):
    doomed = tmp_path / "doomed.sh"
    doomed.write_text(CLEAN)
    found = targets([str(tmp_path)])
    doomed.unlink()  # after discovery, before it is read
    results = list(lint_targets([(t, 0) for t in found], [(SETTINGS, active_rules(SETTINGS))], jobs=1))
    assert [r.error for r in results] == [f"{doomed}: no such file or directory", None]
    assert results[1].diagnostics

    # between stat() and open(): the file vanished mid-read
    doomed.write_text(CLEAN)

    def vanished(path, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", path)

    monkeypatch.setattr(runner, "open", vanished, raising=False)
    assert lint_path(str(doomed), SETTINGS).error == \
        f"{doomed}: no such file or directory (it disappeared while linting)"


def test_stdin_empty_closed_and_read_twice(ok):
    code, out, err = cclint("--format", "json", "-", stdin=b"")  # `cclint - < /dev/null`
    assert code == 1 and "missing-shebang" in out and not err

    proc = subprocess.run(  # fd 0 closed: `cclint - <&-`
        ["bash", "-c", 'exec "$0" -m cclint --format json - "$1" <&-', sys.executable, str(ok)],
        capture_output=True, timeout=60)
    assert proc.returncode == 2 and linted(proc.stdout.decode()) == {"ok.sh"}
    only_error(proc.stderr.decode(), "cannot read standard input (it is closed)")

    code, out, err = cclint("--format", "json", "-", "-", ok, stdin=WARN.encode())
    assert code == 2 and [d["path"] for d in json.loads(out)["diagnostics"]] == ["<stdin>", str(ok)]
    only_error(err, "standard input can be read only once")


@pytest.fixture
def many(tmp_path):
    """Enough scripts with findings for a pool of two workers and a full pipe buffer."""
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(2 * MIN_FILES_PER_JOB + 5):
        (folder / f"job{k:03d}.sh").write_text(WARN if k % 3 else CLEAN + "python train.py &\n")
    (folder / "empty.sbatch").write_text("")  # by its name: an empty .sh is no job script
    return folder


def test_jobs_output_is_the_same_as_sequential(many, tmp_path):
    missing = tmp_path / "missing.sh"
    runs = [cclint("--jobs", jobs, "--format", "json", many, missing, "-", stdin=WARN.encode())
            for jobs in ("1", "2", "3")]
    assert runs[0][0] == 2 and json.loads(runs[0][1])["summary"]["files"] == 2 * MIN_FILES_PER_JOB + 7
    assert runs[1] == runs[0] and runs[2] == runs[0]
    text = [cclint("-j", jobs, many)[1] for jobs in ("1", "2")]
    assert text[0] == text[1]


def test_broken_pipe_ends_quietly(tmp_path):
    for k in range(300):  # more output than a pipe holds: the writes really fail
        (tmp_path / f"job{k}.sh").write_text(WARN)
    proc = subprocess.run(["bash", "-c", f'"$0" -m cclint {tmp_path} | head -1', sys.executable],
                          capture_output=True, timeout=120)
    assert proc.stdout.count(b"\n") == 1
    assert b"Traceback" not in proc.stderr and b"Exception ignored" not in proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupt_ends_quietly(tmp_path, jobs):
    slow = "#!/bin/bash\n#SBATCH --time=00:10:00\n" + "for i in 1 2; do echo $((i+1)) | tee -a out.log; done\n" * 1000
    for k in range(2 * MIN_FILES_PER_JOB):  # seconds of work, for the pool too
        (tmp_path / f"slow{k}.sh").write_text(slow + f"echo {k}\n")
    # cclint, with a hook that says on stderr when the first file is linted: the signal then
    # reaches it in the middle of the work, whatever the speed of the machine.
    proc = subprocess.Popen([sys.executable, "-c", _SAY_WHEN_LINTING, "-j", jobs, str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr.readline() == b"linting\n", "cclint ended before linting a file"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err


_SAY_WHEN_LINTING = """
import sys
import cclint.parallel
from cclint.main import main

lint_targets = cclint.parallel.lint_targets


def announcing(*args, **kwargs):
    for n, result in enumerate(lint_targets(*args, **kwargs)):
        yield result
        if n == 0:
            sys.stderr.write("linting\\n")
            sys.stderr.flush()


cclint.parallel.lint_targets = announcing
sys.argv[0] = "cclint"
main()
"""
