"""What sbatch gets besides the script: the cluster the shell runs on (CC_CLUSTER), its
SBATCH_* input variables, and (tests/test_sbatch_guard.py) its command line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_settings
from tests.test_cli import cclint

V100 = "#!/bin/bash\n#SBATCH --gres=gpu:v100:1\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\npython train.py\n"
BARE = "#!/bin/bash\n#SBATCH --mem=4G\npython analyse.py\n"


def rules_of(out: str) -> list[str]:
    return [d["rule"] for d in json.loads(out)["diagnostics"]]


@pytest.fixture
def job(tmp_path):
    (tmp_path / "gpu.sh").write_text(V100)
    (tmp_path / "bare.sh").write_text(BARE)
    (tmp_path / ".git").mkdir()  # configuration discovery stops here
    return tmp_path


# -- CC_CLUSTER ------------------------------------------------------------------------------

def test_cc_cluster_picks_the_profile_when_none_is_configured(job):
    code, out, _ = cclint("--format", "json", job / "gpu.sh", env={"CC_CLUSTER": "narval"})
    assert "gpu-type-unknown" in rules_of(out) and code == 1
    assert "gpu-type-unknown" not in rules_of(cclint("--format", "json", job / "gpu.sh")[1])


@pytest.mark.parametrize("explicit", [
    {"args": ["--cluster", "generic"]}, {"env": {"CCLINT_CLUSTER": "generic"}}, {"config": "cluster: generic\n"},
    {"args": ["--no-env"]}, {"env": {"CCLINT_NO_ENV": "1"}}, {"config": "env: false\n"}])
def test_an_explicit_cluster_or_no_env_wins_over_cc_cluster(job, explicit):
    if "config" in explicit:
        (job / ".cclint.yaml").write_text(explicit["config"])
    env = {"CC_CLUSTER": "narval", **explicit.get("env", {})}
    out = cclint("--format", "json", *explicit.get("args", []), job / "gpu.sh", env=env)[1]
    assert "gpu-type-unknown" not in rules_of(out)


def test_a_cc_cluster_without_a_profile_is_generic_and_no_error(job):
    code, out, err = cclint("--format", "json", job / "gpu.sh", env={"CC_CLUSTER": "arbutus"})
    assert code == 0 and rules_of(out) == [] and not err


def test_cclint_config_says_where_the_cluster_came_from(job):
    out = cclint("config", job / "gpu.sh", env={"CC_CLUSTER": "narval"})[1]
    assert "cluster" in out and "narval" in out and "environment variable CC_CLUSTER" in out
    out = cclint("config", "--format", "json", job / "gpu.sh", env={"CC_CLUSTER": "narval", "CCLINT_CLUSTER": "fir"})[1]
    [line] = [s for s in json.loads(out)["settings"] if s["key"] == "cluster"]
    assert line["value"] == "fir" and line["origin"] == "environment variable CCLINT_CLUSTER"


# -- SBATCH_* variables -------------------------------------------------------------------------

def test_sbatch_account_and_timelimit_count_as_given_and_no_env_restores_the_findings(job):
    assert {"missing-time", "missing-account"} <= set(rules_of(cclint("--format", "json", job / "bare.sh")[1]))
    env = {"SBATCH_ACCOUNT": "def-lab", "SBATCH_TIMELIMIT": "1:00:00"}
    code, out, _ = cclint("--format", "json", job / "bare.sh", env=env)
    assert code == 0 and rules_of(out) == []
    out = cclint("--no-env", "--format", "json", job / "bare.sh", env=env)[1]
    assert {"missing-time", "missing-account"} <= set(rules_of(out))
    out = cclint("--format", "json", job / "bare.sh", env={**env, "CCLINT_NO_ENV": "1"})[1]
    assert {"missing-time", "missing-account"} <= set(rules_of(out))


def test_slurm_account_is_not_read_by_sbatch(job):
    out = cclint("--format", "json", job / "bare.sh", env={"SLURM_ACCOUNT": "def-lab"})[1]
    assert "missing-account" in rules_of(out)


def test_cclint_config_lists_the_sbatch_variables_it_applies(job):
    out = cclint("config", job / "bare.sh", env={"SBATCH_ACCOUNT": "def-lab"})[1]
    assert "sbatch environment  SBATCH_ACCOUNT=def-lab" in out
    out = cclint("config", job / "bare.sh", env={"SBATCH_ACCOUNT": "def-lab", "CCLINT_NO_ENV": "1"})[1]
    assert "ignored: SBATCH_ACCOUNT=def-lab" in out


def lint_with(text: str, environment=(), command_line=(), cluster=None):
    from cclint.runner import lint_source
    from cclint.source import SourceFile

    settings = make_settings(cluster=cluster)
    settings.environment, settings.command_line = tuple(environment), tuple(command_line)
    return lint_source(SourceFile.from_text(text, "job.sh"), settings).diagnostics


def test_the_environment_overrides_the_script_and_a_finding_about_it_points_there():
    script = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\npython x.py\n"
    found = lint_with(script, [("SBATCH_TIMELIMIT", "30-00:00:00")], cluster="narval")
    [limit] = [d for d in found if d.rule == "time-exceeds-limit"]
    assert (limit.path, limit.line, limit.column) == ("environment", 1, 1)
    assert not [d for d in lint_with(script, [("SBATCH_TIMELIMIT", "2:00:00")], cluster="narval")
                if d.rule == "time-exceeds-limit"]


def test_a_memory_option_of_the_script_drops_the_environments_instead_of_conflicting():
    """sbatch's _validate_memory_options: the script's memory option wins (facts §2.5)."""
    script = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\n#SBATCH --mem-per-cpu=2G\nx\n"
    assert not [d for d in lint_with(script, [("SBATCH_MEM_PER_NODE", "4G")]) if d.rule == "conflicting-options"]
    script_mem = script.replace("--mem-per-cpu=2G", "--mem=4G")
    found = lint_with(script_mem, command_line=["--mem-per-cpu=1G", "job.sh"])
    assert [d.path for d in found if d.rule == "conflicting-options"] == ["command line"]


@pytest.mark.parametrize("value, on", [("", True), ("yes", True), ("1", True), ("0", False), ("no", False)])
def test_a_flag_variable_is_on_for_empty_yes_or_a_number_other_than_zero(value, on):
    from cclint.header.external import environment_directives

    assert bool(environment_directives((("SBATCH_OVERCOMMIT", value),), None)) is on


def test_variables_a_release_does_not_read_are_left_out():
    from cclint.header.external import environment_directives
    from cclint.slurm_version import SlurmVersion

    env = (("SBATCH_OUTPUT", "logs/%j.out"),)
    assert environment_directives(env, SlurmVersion.parse("21.08")) == []
    assert [d.name for d in environment_directives(env, SlurmVersion.parse("22.05"))] == ["output"]


def test_the_text_output_shows_the_variable_not_a_line_of_the_script(job):
    out = cclint("--cluster", "narval", job / "gpu.sh", env={"SBATCH_PARTITION": "gpubase_bygpu_b1"})[1]
    assert "environment:1:1: warning CC608 partition-discouraged" in out
    assert " 1 | SBATCH_PARTITION=gpubase_bygpu_b1\n" in out and " 1 | #!/bin/bash" not in out


# -- --stdin-filename -----------------------------------------------------------------------

def test_stdin_filename_names_the_findings_and_finds_the_configuration(job):
    (job / "sub").mkdir()
    (job / "sub" / ".cclint.yaml").write_text("ignore: [missing-account]\n")
    code, out, _ = cclint("--stdin-filename", "sub/job.sh", "-", "--format", "json", stdin=BARE.encode(), cwd=job)
    found = json.loads(out)["diagnostics"]
    assert [d["path"] for d in found] == ["sub/job.sh"] and [d["rule"] for d in found] == ["missing-time"]
    code, out, _ = cclint("--stdin-filename", "sub/job.sh", "--format", "concise", stdin=BARE.encode(), cwd=job)
    assert out.startswith("sub/job.sh:2:1: warning") and code == 1
    code, _, err = cclint("--stdin-filename", "sub/job.sh", "bare.sh", cwd=job)
    assert code == 2 and "add `-`" in err
