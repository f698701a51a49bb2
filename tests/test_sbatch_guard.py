"""`cclint sbatch`: lint as sbatch will see the script, then run the real sbatch (here a
fake one on PATH that records its arguments and standard input) or refuse to."""

from __future__ import annotations

import os

import pytest

from tests.test_cli import cclint

NO_TIME = "#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --mem=4G\npython train.py\n"
SALLOC = "#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --time=01:00:00\nsalloc -n 1\npython train.py\n"
FAKE = """#!/bin/sh
for arg in "$@"; do printf '%s\\n' "$arg"; done > "$(dirname "$0")/args"
cat > "$(dirname "$0")/stdin"
echo "Submitted batch job 42"
echo "sbatch: a note" >&2
exit ${FAKE_STATUS:-0}
"""


@pytest.fixture
def site(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "sbatch"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    (tmp_path / "job.sh").write_text(NO_TIME)
    (tmp_path / "salloc.sh").write_text(SALLOC)
    (tmp_path / ".git").mkdir()
    return tmp_path


def guard(site, *args, env=None, stdin=b""):
    path = f"{site / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return cclint("sbatch", *args, cwd=site, env={"PATH": path, **(env or {})}, stdin=stdin)


def submitted(site) -> list[str] | None:
    args = site / "bin" / "args"
    return args.read_text().splitlines() if args.exists() else None


def test_the_command_line_overrides_the_header_and_sbatch_gets_exactly_the_same_arguments(site):
    code, out, err = guard(site, "--time=01:00:00", "job.sh")
    assert code == 0 and "missing-time" not in err
    assert submitted(site) == ["--time=01:00:00", "job.sh"]
    assert out == "Submitted batch job 42\n" and "sbatch: a note" in err  # sbatch's own output


def test_without_the_option_the_warning_is_shown_and_the_job_still_goes(site):
    code, out, err = guard(site, "job.sh", "arg 1")
    assert code == 0 and "job.sh:3:1: warning CC202 missing-time" in err
    assert submitted(site) == ["job.sh", "arg 1"] and out == "Submitted batch job 42\n"


def test_an_error_stops_the_submission(site):
    code, out, err = guard(site, "salloc.sh")
    assert code == 1 and submitted(site) is None and out == ""
    assert "salloc-in-script" in err and "not submitted" in err


def test_force_submits_anyway_and_is_not_passed_on(site):
    code, out, err = guard(site, "--force", "-p", "x", "salloc.sh", "--force")
    assert code == 0 and "salloc-in-script" in err
    assert submitted(site) == ["-p", "x", "salloc.sh", "--force"]  # after the script: its argument


def test_sbatch_exit_status_is_kept(site):
    code, _, _ = guard(site, "--time=5", "job.sh", env={"FAKE_STATUS": "3"})
    assert code == 3 and submitted(site) == ["--time=5", "job.sh"]


def test_options_are_checked_like_directives_with_findings_on_the_command_line(site):
    code, _, err = guard(site, "--time=01:00:00", "--mem-per-cpu=lots", "job.sh")
    assert code == 1 and submitted(site) is None
    assert "command line:1:" in err and "invalid-option-value" in err
    assert "sbatch --time=01:00:00 --mem-per-cpu=lots job.sh" in err  # the excerpt is the command line
    code, _, err = guard(site, "--time=01:00:00", "--mem-per-cpu=1G", "job.sh")  # and the header's --mem
    assert code == 1 and "conflicting-options" in err and "command line:1:24: error CC108" in err


def test_the_cluster_and_the_environment_apply(site):
    code, _, err = guard(site, "--gres=gpu:v100:1", "--time=1:00:00", "job.sh", env={"CC_CLUSTER": "narval"})
    assert code == 1 and "gpu-type-unknown" in err and submitted(site) is None
    code, _, err = guard(site, "job.sh", env={"SBATCH_TIMELIMIT": "1:00:00", "CCLINT_NO_ENV": "1"})
    assert code == 0 and "missing-time" not in err  # what sbatch reads, whatever the configuration


def test_a_script_on_standard_input_is_checked_and_handed_on(site):
    code, _, err = guard(site, "--time=1:00:00", stdin=SALLOC.encode())
    assert code == 1 and "<stdin>:4:1: error CC501" in err
    code, _, _ = guard(site, "--time=1:00:00", stdin=NO_TIME.encode())
    assert code == 0 and submitted(site) == ["--time=1:00:00"]
    assert (site / "bin" / "stdin").read_text() == NO_TIME


def test_help_goes_to_sbatch_and_no_sbatch_is_an_error(site):
    code, out, _ = guard(site, "--usage")
    assert code == 0 and submitted(site) == ["--usage"]
    code, _, err = cclint("sbatch", "job.sh", cwd=site, env={"PATH": str(site / "nowhere")})
    assert code == 2 and "no `sbatch` on PATH" in err
    code, out, _ = cclint("sbatch", "--help")
    assert code == 0 and "--force" in out and "alias sbatch='cclint sbatch'" in out


def test_the_command_line_is_split_as_sbatch_getopt_does():
    from cclint.header.external import split_command_line

    assert split_command_line(["-t", "10", "-N2", "--exclusive", "job.sh", "-t", "5"]) == (
        ["-t", "10", "-N2", "--exclusive"], ["job.sh", "-t", "5"])
    assert split_command_line(["--tim", "10", "job.sh"]) == (["--tim", "10"], ["job.sh"])  # ambiguous
    assert split_command_line(["-Hv", "--", "job.sh"]) == (["-Hv", "--"], ["job.sh"])
    assert split_command_line(["--wrap=hostname"]) == (["--wrap=hostname"], [])


def test_command_line_only_options_are_not_reported_as_ignored_on_the_command_line(site):
    # --wrap and -v are what sbatch's command line is for; only in an #SBATCH line are they dropped
    code, _, err = guard(site, "-v", "--time=1:00:00", "--account=def-lab", "--wrap", "hostname")
    assert code == 0 and "ignored-option" not in err and "only on its command line" not in err
    assert submitted(site) == ["-v", "--time=1:00:00", "--account=def-lab", "--wrap", "hostname"]
    code, _, err = guard(site, "--verbose", "--time=1:00:00", "job.sh")
    assert code == 0 and "ignored-option" not in err


def test_a_refused_command_line_option_is_an_error_whatever_the_release(site):
    # the releases are asked about the command line itself, not about an empty script header
    code, _, err = guard(site, "--bogus", "--time=1:00:00", "job.sh")
    assert code == 1 and submitted(site) is None
    assert "command line:1:8: error CC105 unknown-option" in err and "accepts it" not in err
    code, _, err = guard(site, "--power=level", "--time=1:00:00", "job.sh")  # removed after 23.11
    assert "Slurm 22.05 accepts it" in err and submitted(site) is not None
