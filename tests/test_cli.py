"""The command line as users run it: exit codes, formats, inputs that cannot be read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, hermetic_environ

SCRIPTS = CORPUS / "scripts"
CLEAN = "#!/bin/bash\n#SBATCH --time=00:10:00\n#SBATCH --account=def-lab\necho hello\n"
WARN = "#!/bin/bash\n#SBATCH --account=def-lab\necho hello\n"  # missing-time (warning)


TYPER_ROUTE = "import sys\nfrom cclint.cli import app\napp(sys.argv[1:], prog_name='cclint')"


def cclint(*args, stdin: bytes | None = None, cwd=None, env=None, typer_route=False):
    # The caller's CCLINT_*, SBATCH_*, CC_CLUSTER and GITHUB_ACTIONS must not leak in.
    full_env = {**hermetic_environ(os.environ), "NO_COLOR": "1", **(env or {})}
    start = ["-c", TYPER_ROUTE] if typer_route else ["-m", "cclint"]
    proc = subprocess.run([sys.executable, *start, *map(str, args)], input=stdin,
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
    code, _, err = cclint("--ignore", "missing_tme", files / "warn.sh")
    assert code == 2 and "(did you mean `missing-time`?)" in err


def test_missing_file_is_reported_and_others_still_linted(files):
    code, out, err = cclint(files / "nope.sh", files / "warn.sh")
    assert code == 2
    assert "nope.sh: no such file or directory" in err
    assert "missing-time" in out
    assert out.splitlines()[-1].startswith("1 path could not be linted (see above); found 1 problem (1 warning) in 1 of 1 file.")
    code, out, err = cclint(files / "nope.sh")  # the failure leads, never "All checks passed"
    assert code == 2 and out.strip() == "1 path could not be linted (see above): nothing was linted."
    code, out, err = cclint(files / "nope.sh", files / "clean.sh")
    assert code == 2 and out.strip() == "1 path could not be linted (see above); no problems found in the 1 file linted."


def test_a_failure_that_is_not_a_file_read_is_not_called_one(files, tmp_path):
    # a folder with no job script, `-` twice, a broken configuration: nothing failed to be read
    (tmp_path / "empty").mkdir()
    code, out, err = cclint(tmp_path / "empty")
    assert code == 2 and "no job scripts in this directory" in err
    assert "could not be read" not in out and "1 path could not be linted" in out
    (files / ".git").mkdir()
    (files / ".cclint.yaml").write_text("fail-on: sometimes\n")
    code, out, err = cclint(files / "warn.sh")
    assert code == 2 and "`fail-on` must be one of" in err
    assert "could not be read" not in out and "1 path could not be linted" in out


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
    assert code == 2 and "unknown rule" in err and "did you mean" not in err
    code, _, err = cclint("rule", "copy-back")
    assert code == 2 and "unknown rule 'copy-back' (did you mean `missing-copy-back`?)" in err
    code, _, err = cclint("rule", "CC9")  # a prefix (as --select takes it): its rules, not one guessed
    assert code == 2 and "CC901 min-commands, CC902 required-account, CC903 max-gpus" in err
    assert "did you mean" not in err
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
                                  ["--diff", "--unsafe-fixes", "warn.sh"], ["--isolated", "--no-inline-config", "."],
                                  ["--format", "json", "--select", "CC202,CC101", "warn.sh", "-j", "1"],
                                  ["-fconcise", "--fail-on=error", "--ignore", "missing-time", "warn.sh"]])
def test_lint_runs_skip_typer_and_give_the_same_result(files, args):
    """`cclint [OPTIONS] PATH...` goes straight to run_check, with the result typer's route gives."""
    from cclint.arguments import parse_check

    (files / "notes.txt").write_text("not a job script\n")
    assert parse_check(args) is not None and parse_check(["check", *args]) is not None
    fast = cclint(*args, cwd=files, stdin=WARN.encode())
    full = cclint(*args, cwd=files, stdin=WARN.encode(), typer_route=True)
    assert fast == full and (fast[1] or fast[2])
    probe = ("import sys\nfrom cclint.main import main\nsys.argv = ['cclint', *%r]\n"
             "try:\n    main()\nexcept SystemExit as e:\n    pass\n"
             "assert 'typer' not in sys.modules, 'typer imported'\n"
             "assert 'typing' not in sys.modules, 'typing imported (use collections.abc, or "
             "TYPE_CHECKING = False; if TYPE_CHECKING: from typing import ...)'\n" % (args,))
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=files,
                          input=WARN)
    assert proc.returncode == 0, proc.stderr


def _typer_call(args):
    """The keywords typer passes to run_check for a command line, or the usage error's code."""
    import cclint.cli

    calls = []
    original = cclint.cli.run_check
    cclint.cli.run_check = lambda paths=None, **kw: calls.append({"paths": paths, **kw})
    try:
        cclint.cli.app(args, prog_name="cclint", standalone_mode=False)
    except Exception as exc:  # click's usage errors
        return type(exc).__name__
    finally:
        cclint.cli.run_check = original
    return calls[0] if calls else None


@pytest.mark.parametrize("args", [
    [], ["a.sh"], ["check", "a.sh", "b.sh"], ["-f", "json", "a.sh"], ["-fjson", "a.sh"], ["--format=sarif", "a.sh"],
    ["a.sh", "--select", "CC1", "--select", "missing-time,CC202"], ["--jobs", "2", "a.sh"], ["-j3", "a.sh"],
    ["--fail-on", "never", "--color", "always", "--report", "--report-format", "json", "d"],
    ["--cluster", "narval", "--slurm-version", "23.02", "--submit-dir", "x", "--config", "c.yaml", "a.sh"],
    ["--output-file", "-", "--", "-x.sh"], ["--format", "json", "--format", "text", "a.sh"],
    ["--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "a.sh"], ["--extend-select=min-commands", "."]])
def test_the_fast_parser_reads_a_command_line_as_typer_does(args):
    from cclint.arguments import parse_check

    assert parse_check(args) == _typer_call(args)


@pytest.mark.parametrize("args", [
    ["-f", "xml", "a.sh"], ["--jobs", "0", "a.sh"], ["--jobs", "two"], ["a.sh", "--fix=1"], ["a.sh", "--format"],
    ["--no-such-option", "a.sh"], ["-x", "a.sh"], ["--fail-on", "ERROR", "a.sh"]])
def test_what_the_fast_parser_refuses_is_a_usage_error_for_typer(args):
    from cclint.arguments import parse_check

    assert parse_check(args) is None
    assert _typer_call(args) in ("BadParameter", "NoSuchOption", "BadOptionUsage", "UsageError")


@pytest.mark.parametrize("args", [["rules"], ["config", "a.sh"], ["--help"], ["-h"], ["--version"], ["-V"],
                                  ["cluster", "narval"], ["--install-completion"]])
def test_subcommands_and_help_go_to_typer(args):
    from cclint.arguments import parse_check

    assert parse_check(args) is None


def test_one_table_declares_the_options_of_check_for_both_routes():
    import inspect

    import typer.main

    from cclint.arguments import CHECK_OPTIONS, COMMANDS
    from cclint.check import run_check
    from cclint.cli import app

    assert set(COMMANDS) == {c.name for c in app.registered_commands}
    keywords = inspect.signature(run_check).parameters
    assert {o.dest for o in CHECK_OPTIONS} | {"paths"} == set(keywords)
    for opt in CHECK_OPTIONS:  # run_check's own defaults (library use) are the command line's
        assert keywords[opt.dest].default == opt.default, opt.dest
    check = typer.main.get_command(app).commands["check"]
    declared = {p.name: p for p in check.params}
    for opt in CHECK_OPTIONS:
        assert set(declared[opt.dest].opts) == set(opt.names) and declared[opt.dest].help == opt.help


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


def _complete(words: str) -> list[str]:
    """What bash completion offers for the last word of `words` (typer's protocol)."""
    env = {"_CCLINT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    code, out, err = cclint(env=env)
    assert code == 0, err
    return out.split()


def test_shell_completion_of_subcommands_rules_clusters_and_formats():
    assert {"check", "config", "clusters", "cluster", "rule", "rules"} <= set(_complete("cclint "))
    assert _complete("cclint r") == ["rule", "rules"]
    assert _complete("cclint --select missing-ti") == ["missing-time"]
    assert _complete("cclint check --ignore CC101,missing-acc") == ["CC101,missing-account"]
    assert "CC202" in _complete("cclint --extend-select CC20")
    assert _complete("cclint --cluster narv") == ["narval"]
    assert _complete("cclint --format js") == ["json"]
    assert _complete("cclint --fail-on ") == ["error", "warning", "info", "never"]
    assert _complete("cclint rule salloc-in") == ["salloc-in-script"]
    assert _complete("cclint cluster trill") == ["trillium"]


def test_shell_completion_of_a_lint_option_as_the_first_word():
    # `cclint --select ...` is the usual form (`check` is implied): its options complete
    # there as after `check`, besides the group's own.
    assert _complete("cclint --sel") == ["--select"]
    assert _complete("cclint --form") == ["--format"]
    first = _complete("cclint --")
    assert {"--fix", "--select", "--version", "--show-completion"} <= set(first)
    assert len(first) == len(set(first))  # --help once


def test_another_command_can_take_options_of_the_table_by_name():
    import typer
    import typer.main
    from typer.testing import CliRunner

    from cclint.arguments import options_named
    from cclint.cli import plain, table_options

    app = typer.Typer()
    got = {}

    def preview(path: str = typer.Argument("."), **options) -> None:
        got.update(path=path, **plain(options))

    table_options(preview, options_named("cluster", "select", "fail_on"))
    app.command()(preview)
    result = CliRunner().invoke(app, ["a.sh", "--cluster", "narval", "--select", "CC1", "--fail-on", "error"])
    assert result.exit_code == 0, result.output
    assert got == {"path": "a.sh", "cluster": "narval", "select": ["CC1"], "fail_on": "error"}
