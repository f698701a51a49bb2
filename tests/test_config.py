"""Configuration files: discovery, extends, presets, precedence, strict validation."""

from __future__ import annotations

import json
import os

import pytest

from cclint.config import ConfigError, Resolver
from cclint.config.schema import KEYS
from cclint.diagnostics import Severity
from tests.test_cli import cclint

JOB = "#!/bin/bash\n#SBATCH --account=def-lab\nconda activate env\npython train.py\n"  # missing-time, conda-use


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(out: str) -> set[str]:
    return {d["rule"] for d in json.loads(out)["diagnostics"]}


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()  # the repository root: discovery stops here
    write(tmp_path / "jobs" / "train.sh", JOB)
    return tmp_path


def test_closest_yaml_config_applies(repo):
    write(repo / ".cclint.yaml", "ignore: [conda-use]\n")
    code, out, err = cclint("--format", "json", repo / "jobs" / "train.sh")
    assert rules_of(out) == {"missing-time"}, err
    write(repo / "jobs" / ".cclint.yml", "ignore: [missing-time]\n")  # closer: wins, no merge
    code, out, err = cclint("--format", "json", repo / "jobs" / "train.sh")
    assert rules_of(out) == {"conda-use"}, err


def test_pyproject_tool_table(repo):
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.cclint]\nignore = ["CC401"]\n'
          'fail-on = "error"\n')
    code, out, _ = cclint("--format", "json", repo / "jobs" / "train.sh")
    assert rules_of(out) == {"missing-time"} and code == 0  # a warning does not fail at fail-on=error


def test_pyproject_without_tool_table_is_not_a_config(repo):
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    code, out, _ = cclint("--format", "json", repo / "jobs" / "train.sh")
    assert rules_of(out) == {"missing-time", "conda-use"}


def test_yaml_wins_over_pyproject_in_one_directory(repo):
    write(repo / "pyproject.toml", '[tool.cclint]\nignore = ["missing-time"]\n')
    write(repo / ".cclint.yaml", "ignore: [conda-use]\n")
    assert rules_of(cclint("--format", "json", repo / "jobs" / "train.sh")[1]) == {"missing-time"}


def test_discovery_stops_at_repository_root(tmp_path):
    write(tmp_path / ".cclint.yaml", "ignore: [conda-use, missing-time]\n")
    inner = tmp_path / "project"
    (inner / ".git").mkdir(parents=True)
    job = write(inner / "job.sh", JOB)
    assert rules_of(cclint("--format", "json", job)[1]) == {"missing-time", "conda-use"}
    assert Resolver(env={}).config_for(str(job)) is None


def test_extends_relative_file_and_preset(repo):
    write(repo / "shared" / "base.yaml", "ignore: [conda-use]\nseverity:\n  missing-time: error\n")
    write(repo / "jobs" / ".cclint.yaml", "extends: ../shared/base.yaml\nfail-on: error\n")
    code, out, _ = cclint("--format", "json", repo / "jobs" / "train.sh")
    [diag] = json.loads(out)["diagnostics"]
    assert diag["rule"] == "missing-time" and diag["severity"] == "error" and code == 1
    write(repo / "jobs" / ".cclint.yaml", "extends: course-ift780\n")
    code, out, _ = cclint("--format", "json", repo / "jobs" / "train.sh")
    found = rules_of(out)
    assert {"required-account", "min-commands", "missing-time"} <= found


def test_extends_cycle_and_missing_targets(repo):
    write(repo / "a.yaml", "extends: ./b.yaml\n")
    write(repo / "b.yaml", "extends: ./a.yaml\n")
    write(repo / ".cclint.yaml", "extends: ./a.yaml\n")
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and "loops back" in err
    write(repo / ".cclint.yaml", "extends: no-such-preset\n")
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and ".cclint.yaml:1:10: unknown preset `no-such-preset`" in err and "course-ift780" in err
    write(repo / ".cclint.yaml", "extends: ./missing.yaml\n")
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and "does not exist" in err


@pytest.mark.parametrize("text,where,words", [
    ("selct: [conda-use]\n", ":1:1:", "unknown key `selct` (did you mean `select`?)"),
    ("ignore:\n  - conda-use\n  - no-such-rule\n", ":3:5:", "unknown rule in `ignore` 'no-such-rule' (see"),
    ("ignore: [conda-usage]\n", ":1:10:", "unknown rule in `ignore` 'conda-usage' (did you mean `conda-use`?)"),
    ("severity:\n  missing-time: fatal\n", ":2:17:", "must be one of error, warning, info, off"),
    ("severity:\n  nope: error\n", ":2:3:", "unknown rule `nope`"),
    ("fail-on: sometimes\n", ":1:10:", "`fail-on` must be one of"),
    ("slurm-version: 23.10\n", ":1:16:", 'as a string: `slurm-version: "23.10"` (YAML reads `23.10` as the number 23.1)'),
    ("slurm-version: 22.5  # old\n", ":1:16:", 'as a string: `slurm-version: "22.05"` (YAML reads `22.5` as a number)'),
    ("slurm-version: 'twenty'\n", ":1:16:", "not a Slurm version"),
    ("submit-dir: nowhere\n", ":1:13:", "is not a directory"),
    ("inline-config: maybe\n", ":1:16:", "takes true or false"),
    ("options:\n  min-commands:\n    threshhold: 3\n", ":3:5:", "unknown option `threshhold`"),
    ("options:\n  min-commands:\n    threshold: ten\n", ":3:16:", "must be a whole number"),
    ("options:\n  missing-time: {x: 1}\n", ":2:3:", "has no options"),
    ("per-file-ignores:\n  'old/*.sh': [bogus]\n", ":2:16:", "unknown rule"),
    ("select: [a\n", ":2:1:", "invalid YAML"),
    ("select: [conda-use]\nselect: [missing-time]\n", ":2:1:", "invalid YAML"),
    ("- just\n- a list\n", ":1:1:", "must be a mapping"),
    ("fail-on: 2024-01-01\n", ":1:10:", "unsupported value (date)"),
    ("exclude: !!python/object:os.system {}\n", ":1:10:", "YAML tags such as"),
    ("exclude: !custom [a]\n", ":1:10:", "YAML tags such as"),
    ("fail-on: !custom error\n", ":1:10:", "unsupported value"),
])
def test_config_errors_name_file_line_and_column(repo, text, where, words):
    config = write(repo / ".cclint.yaml", text)
    code, out, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2, out + err
    assert f"{config}{where}" in err, err
    assert words in err, err
    assert "Traceback" not in err


def test_toml_errors_point_at_the_line(repo):
    config = write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.cclint]\nfail-on = "error"\n'
                   'select = ["missing-time", "bogus"]\n\n[tool.cclint.severity]\nconda-use = "loud"\n')
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and f"{config}:6:1: unknown rule in `select` 'bogus'" in err
    config.write_text('[tool.cclint]\nfail-on = "error"\n\n[tool.cclint.severity]\nconda-use = "loud"\n')
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and f"{config}:5:1: severity of `conda-use`" in err
    config.write_text('[tool.cclint]\nfail-on = \n')
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and f"{config}:2:" in err and "invalid TOML" in err
    config.write_text('[tool.cclint]\nunknown-key = 1\n')
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and f"{config}:2:1: unknown key `unknown-key`" in err
    config.write_text('[tool.cclint]\nslurm-version = 23.10\n')
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and 'slurm-version = "23.10"` (TOML reads `23.10` as the number 23.1)' in err


def test_yaml_config_runs_no_code(repo, tmp_path):
    marker = tmp_path / "pwned"
    write(repo / ".cclint.yaml", f"select: !!python/object/apply:os.system ['touch {marker}']\n")
    code, _, err = cclint(repo / "jobs" / "train.sh")
    assert code == 2 and not marker.exists()


def test_precedence_file_env_cli(repo):
    write(repo / ".cclint.yaml", "fail-on: error\nignore: [conda-use]\n")
    job = repo / "jobs" / "train.sh"
    assert cclint(job)[0] == 0  # file: fail on errors only
    assert cclint(job, env={"CCLINT_FAIL_ON": "warning"})[0] == 1  # env beats file
    assert cclint(job, "--fail-on", "error", env={"CCLINT_FAIL_ON": "warning"})[0] == 0  # CLI beats env
    assert rules_of(cclint("--format", "json", job, env={"CCLINT_SELECT": "conda-use"})[1]) == {"conda-use"}
    out = cclint("--format", "json", "--select", "missing-time", job, env={"CCLINT_SELECT": "conda-use"})[1]
    assert rules_of(out) == {"missing-time"}
    code, _, err = cclint(job, env={"CCLINT_FAIL_ON": "often"})
    assert code == 2 and "environment variable CCLINT_FAIL_ON" in err


def test_explicit_config_and_isolated(repo, tmp_path):
    other = write(tmp_path / "elsewhere" / "strict.yaml", "select: [conda-use]\n")
    write(repo / ".cclint.yaml", "ignore: [conda-use]\n")
    job = repo / "jobs" / "train.sh"
    assert rules_of(cclint("--format", "json", "--config", other, job)[1]) == {"conda-use"}
    assert rules_of(cclint("--format", "json", job, env={"CCLINT_CONFIG": str(other)})[1]) == {"conda-use"}
    assert rules_of(cclint("--format", "json", "--isolated", job)[1]) == {"conda-use", "missing-time"}
    code, _, err = cclint("--config", tmp_path / "nope.yaml", job)
    assert code == 2 and "is not a file" in err


def test_per_file_ignores_and_exclude_relative_to_config(repo):
    write(repo / "jobs" / "old" / "legacy.sh", JOB)
    write(repo / ".cclint.yaml", "per-file-ignores:\n  'jobs/old/*.sh': [conda-use]\nexclude: [drafts]\n")
    write(repo / "drafts" / "wip.sh", JOB)
    code, out, _ = cclint("--format", "json", repo)
    found = {(os.path.basename(d["path"]), d["rule"]) for d in json.loads(out)["diagnostics"]}
    assert ("legacy.sh", "conda-use") not in found and ("legacy.sh", "missing-time") in found
    assert ("train.sh", "conda-use") in found
    assert not any(name == "wip.sh" for name, _ in found)
    # a file named on the command line is linted even when excluded, unless --force-exclude
    assert cclint("--format", "json", repo / "drafts" / "wip.sh")[0] == 1
    code, out, _ = cclint("--format", "json", "--force-exclude", repo / "drafts" / "wip.sh")
    assert code == 0 and json.loads(out)["summary"]["files"] == 0


def test_submit_dir_relative_to_config(repo):
    (repo / "runs" / "logs").mkdir(parents=True)
    job = write(repo / "jobs" / "log.sh", "#!/bin/bash\n#SBATCH --time=1\n#SBATCH --output=logs/%j.out\necho\n")
    assert "output-dir-missing" in rules_of(cclint("--format", "json", job, cwd=repo)[1])
    write(repo / "jobs" / ".cclint.yaml", "submit-dir: ../runs\n")
    assert "output-dir-missing" not in rules_of(cclint("--format", "json", job, cwd=repo)[1])


def test_severity_off_and_override(repo):
    write(repo / ".cclint.yaml", "severity:\n  conda-use: off\n  missing-time: info\n")
    code, out, _ = cclint("--format", "json", repo / "jobs" / "train.sh")
    [diag] = json.loads(out)["diagnostics"]
    assert diag["rule"] == "missing-time" and diag["severity"] == "info" and code == 0


def test_selection_layers_in_order():
    # select replaces the set, extend-select adds, ignore removes; later layers win
    r = Resolver(env={"CCLINT_EXTEND_SELECT": "min-commands"}, cli={"ignore": ["conda-use"]}, isolated=True)
    s = r.settings_for("job.sh")
    assert s.select is None and "min-commands" in s.extend_select and "conda-use" in s.ignore
    r = Resolver(env={"CCLINT_IGNORE": "conda-use"}, cli={"select": ["conda-use"]}, isolated=True)
    s = r.settings_for("job.sh")
    assert s.select == frozenset({"conda-use"}) and not s.ignore


def test_cluster_hook_reports_only_generic_without_profiles(repo):
    import importlib.util

    if importlib.util.find_spec("cclint.profiles") is None:
        write(repo / ".cclint.yaml", "cluster: narval\n")
        code, _, err = cclint(repo / "jobs" / "train.sh")
        assert code == 2 and ".cclint.yaml:1:10" in err and "only the `generic` profile" in err
        code, _, err = cclint(repo / "jobs" / "train.sh", env={"CCLINT_CLUSTER": "mila"}, cwd=repo)
        assert code == 2 and "CCLINT_CLUSTER" in err
    write(repo / ".cclint.yaml", "cluster: generic\n")
    assert cclint(repo / "jobs" / "train.sh")[0] == 1
    settings = Resolver(env={}).settings_for(str(repo / "jobs" / "train.sh"))
    assert settings.cluster == "generic" and settings.profile.name == "generic"


def test_config_command_shows_values_and_origins(repo):
    config = write(repo / ".cclint.yaml", "extends: course-ift780\nfail-on: error\n")
    code, out, err = cclint("config", repo / "jobs" / "train.sh", env={"CCLINT_IGNORE": "conda-use"})
    assert code == 0, err
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert f"config file {config}" in lines
    assert f"fail-on error ({config}:2)" in lines
    assert any(line.startswith("severity.missing-time error (preset course-ift780, line") for line in lines)
    assert "environment variable CCLINT_IGNORE" in out
    data = json.loads(cclint("config", "--format", "json", repo / "jobs")[1])
    assert data["config_file"] == str(config)
    assert {"key": "options.required-account", "value": "accounts=[def-sponsor00]"}.items() <= \
        next(s for s in data["settings"] if s["key"] == "options.required-account").items()
    write(repo / ".cclint.yaml", "fail-on: sometimes\n")
    code, _, err = cclint("config", repo)
    assert code == 2 and ".cclint.yaml:1:10" in err


def test_config_command_previews_the_command_line_and_the_profile_version(repo):
    def lines(*args, env=None):
        code, out, err = cclint("config", *args, repo / "jobs" / "train.sh", env=env)
        assert code == 0, err
        return [" ".join(line.split()) for line in out.splitlines()]

    shown = lines("--cluster", "mila", "--select", "CC20,conda-use", "--ignore", "CC203")
    assert "cluster mila (--cluster)" in shown
    assert "slurm-version 24.11 (profile mila)" in shown
    assert any(line.startswith("select ") and "conda-use" in line and line.endswith("(--select)") for line in shown)
    assert "ignore missing-account (--ignore)" in shown
    assert "slurm-version 24.11 (profile narval)" in lines(env={"CCLINT_CLUSTER": "narval"})
    assert "slurm-version unknown (default)" in lines()
    assert "slurm-version 23.02 (--slurm-version)" in lines("--cluster", "narval", "--slurm-version", "23.02")
    code, _, err = cclint("config", "--select", "conda-usage", repo)
    assert code == 2 and "did you mean `conda-use`" in err


def test_resolver_api_and_error_type(repo):
    write(repo / ".cclint.yaml", "fail-on: error\n")
    settings = Resolver(env={}).settings_for(str(repo / "jobs" / "train.sh"))
    assert settings.fail_on == Severity.ERROR and settings.config_file == str(repo / ".cclint.yaml")
    write(repo / ".cclint.yaml", "fail-on: []\n")
    with pytest.raises(ConfigError) as info:
        Resolver(env={}).settings_for(str(repo / "jobs" / "train.sh"))
    assert info.value.line == 1 and info.value.column == 10


def test_no_yaml_import_without_a_config(tmp_path):
    """Start-up stays fast: without a config file, ruamel.yaml is never imported."""
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    write(tmp_path / "job.sh", JOB)
    code = ("import sys\nfrom cclint.main import main\nsys.argv=['cclint', %r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'ruamel.yaml' not in sys.modules and 'ruamel' not in sys.modules, 'yaml imported'\n"
            "assert 'tomllib' not in sys.modules, 'toml imported'\n" % str(tmp_path / "job.sh"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_json_schema_for_editors():
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    from cclint.config.loader import PRESETS

    code, out, _ = cclint("config", "--schema")
    schema = json.loads(out)
    for key, (_, description) in KEYS.items():
        assert schema["properties"][key]["description"] == description, key
    validator = jsonschema.Draft7Validator(schema)
    for preset in PRESETS.glob("*.yaml"):
        validator.validate(YAML(typ="safe", pure=True).load(preset.read_text("utf-8")) or {})
    validator.validate({"select": ["CC2", "conda-use"], "severity": {"missing-time": "error"},
                        "options": {"min-commands": {"threshold": 5}}, "slurm-version": "23.02"})
    for bad in ({"selct": []}, {"severity": {"nope": "error"}}, {"fail-on": "often"},
                {"options": {"min-commands": {"threshhold": 5}}}):
        assert not validator.is_valid(bad), bad
