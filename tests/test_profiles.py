"""Cluster profiles: the shipped YAML data, inheritance, retired names, profile files of
one's own, clear errors for bad files, the severities a profile changes, and the
`--cluster`, `clusters` and `cluster` commands."""

from __future__ import annotations

import json
import textwrap

import pytest

from cclint.profile import GENERIC
from cclint.profiles import ProfileError, builtin_names, list_profiles, load_profile
from cclint.registry import all_rules
from tests.conftest import lint
from tests.test_cli import cclint

CLUSTERS = ["fir", "narval", "nibi", "rorqual", "trillium", "killarney", "tamia", "vulcan", "mila"]
POLICIES = ["generic", "alliance", "paice"]
RETIRED = {"cedar": "fir", "graham": "nibi", "beluga": "rorqual", "niagara": "trillium", "mist": "trillium"}
RETIRED_WITHOUT_SUCCESSOR = ["helios", "hades"]  # checked as they were
# Rules of rules.md that another issue adds; a profile may already set their severity.


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


# -- the shipped profiles ---------------------------------------------------------------------

def test_every_profile_is_shipped_and_loads():
    assert set(builtin_names()) == set(CLUSTERS) | set(POLICIES) | set(RETIRED) | set(RETIRED_WITHOUT_SUCCESSOR)
    for name in builtin_names():
        profile = load_profile(name)
        assert profile.description
        known = {r.name for r in all_rules()}
        assert set(profile.severity) <= known, name


def test_list_profiles_gives_status_and_description():
    found = {p.name: p for p in list_profiles()}
    for name in CLUSTERS:
        assert found[name].status == "active" and found[name].description
    for name in POLICIES:
        assert found[name].status == "policy"
    for name, replacement in RETIRED.items():
        assert found[name].status == "retired" and found[name].replaced_by == replacement
    for name in RETIRED_WITHOUT_SUCCESSOR:
        assert found[name].status == "retired" and found[name].replaced_by == ""


def test_generic_yaml_is_the_built_in_default():
    profile = load_profile("generic")
    for field in ("name", "description", "status", "slurm_version", "internet", "wheelhouse", "severity",
                  "time", "account", "partitions", "gpus", "nodes", "gres"):
        assert getattr(profile, field) == getattr(GENERIC, field), field


def test_names_are_case_insensitive():
    assert load_profile("Narval").name == "narval"


@pytest.mark.parametrize("name", CLUSTERS + ["alliance", "paice"])
def test_every_site_profile_sets_a_slurm_release_and_a_documentation_url(name):
    profile = load_profile(name)
    assert profile.slurm_version is not None and profile.slurm_version.at_least(23, 2)
    assert profile.url.startswith("https://")


FACTS = [
    # name, max walltime (min), time required, internet, GPUs per node of the main model
    ("fir", 7 * 1440, True, True, ("h100", 4)),
    ("narval", 7 * 1440, True, False, ("a100", 4)),
    ("nibi", 7 * 1440, True, True, ("h100", 8)),
    ("rorqual", 7 * 1440, True, False, ("h100", 4)),
    ("trillium", 1440, True, False, ("h100", 4)),
    ("tamia", 1440, True, False, ("h200", 8)),
    ("vulcan", 7 * 1440, True, None, ("l40s", 4)),
    ("killarney", None, False, None, ("h100", 8)),
    ("mila", 7 * 1440, False, True, ("l40s", 4)),
]


@pytest.mark.parametrize("name,max_time,required,internet,gpu", FACTS, ids=[f[0] for f in FACTS])
def test_cluster_facts(name, max_time, required, internet, gpu):
    profile = load_profile(name)
    assert profile.time.max == max_time
    assert profile.time.required == required
    assert profile.internet is internet
    model, per_node = gpu
    assert profile.gpus.models[model].per_node == per_node


def test_account_prefixes_and_missing_account_severity():
    for name in ("alliance", "fir", "narval", "nibi", "rorqual", "trillium"):
        profile = load_profile(name)
        assert profile.account.prefixes == ("def-", "rrg-", "rpp-", "ctb-")
        assert profile.severity["missing-account"] == "warning"
    for name in ("killarney", "tamia", "vulcan"):
        profile = load_profile(name)
        assert profile.account.prefixes == ("aip-",)
        assert profile.severity["missing-account"] == "error"
    assert "missing-account" not in load_profile("mila").severity  # rules.md default: info


def test_special_gpu_rules():
    assert load_profile("trillium").gpus.models["h100"].allowed_counts == (1, 4)
    tamia = load_profile("tamia").gpus.models
    assert tamia["h100"].allowed_counts == (4,) and tamia["h200"].allowed_counts == (8,)
    assert load_profile("fir").gpus.models["h100"].allowed_counts == (1, 2, 3, 4)
    assert load_profile("narval").gpus.find("a100_3g.20gb").of == "a100"
    assert load_profile("nibi").gpus.find("h100_1.10").name == "h100_1g.10gb"
    assert not load_profile("trillium").gpus.slices
    for name in ("fir", "narval", "nibi", "rorqual", "mila", "vulcan"):
        assert load_profile(name).gpus.max_slices_per_job == 1


# -- inheritance ------------------------------------------------------------------------------

def test_clusters_inherit_the_shared_policy():
    fir = load_profile("fir")
    assert fir.chain == ("fir", "alliance", "generic")
    assert fir.time.required and fir.time.min == 60 and fir.wheelhouse
    assert fir.severity["missing-time"] == "error"
    trillium = load_profile("trillium")
    assert trillium.time.max == 1440 and trillium.time.min == 15
    assert trillium.time.min_test is None  # null removes the inherited value
    assert load_profile("tamia").chain == ("tamia", "paice", "alliance", "generic")


def test_profile_file_extends_a_built_in_profile(tmp_path):
    path = write(tmp_path, "course.yaml", """
        extends: narval
        description: IFT780 course on Narval
        time:
          max: 3:00:00
        severity:
          network-in-job: warning
          CC403: off
        """)
    profile = load_profile(str(path))
    assert profile.name == "course" and profile.description == "IFT780 course on Narval"
    assert profile.time.max == 180 and profile.time.required  # the rest is inherited
    assert profile.internet is False and profile.gpus.models["a100"].per_node == 4
    assert profile.severity["network-in-job"] == "warning"
    assert profile.severity["virtualenv-without-no-download"] == "off"  # codes become names
    assert profile.severity["pip-without-no-index"] == "error"
    assert profile.chain == ("course", "narval", "alliance", "generic")
    found = {d.rule: d for d in lint("#!/bin/bash\n#SBATCH --time=04:00:00\n#SBATCH --account=def-x\n"
                                     "wget https://x.org/a\n", cluster=str(path))}
    assert set(found) == {"time-exceeds-limit", "network-in-job"}
    assert "3 h maximum walltime on course" in found["time-exceeds-limit"].message
    assert found["network-in-job"].severity.label == "warning"


def test_profile_file_extends_another_file_relative_to_itself(tmp_path):
    (tmp_path / "base").mkdir()
    write(tmp_path / "base", "site.yaml", """
        description: Our site
        internet: false
        time: {max: 2-00:00:00, required: true}
        """)
    path = write(tmp_path, "lab.yaml", """
        extends: base/site.yaml
        account: {prefixes: [lab-]}
        """)
    profile = load_profile(str(path))
    assert profile.time.max == 2880 and profile.internet is False
    assert profile.account.prefixes == ("lab-",)
    assert profile.description.startswith("Custom profile based on")


def test_a_profile_file_may_extend_a_retired_name(tmp_path):
    path = write(tmp_path, "old.yaml", "extends: cedar\n")
    profile = load_profile(str(path))
    assert profile.chain[1] == "fir"
    assert any("retired" in w and "fir" in w for w in profile.warnings)


# -- retired clusters -------------------------------------------------------------------------

@pytest.mark.parametrize("old,new", RETIRED.items())
def test_retired_cluster_resolves_to_its_replacement(old, new):
    profile = load_profile(old)
    assert profile.name == new
    assert profile.retired is not None and profile.retired.name == old
    notice = profile.retired.notice()
    assert old in notice and new in notice and "retired" in notice


@pytest.mark.parametrize("name", RETIRED_WITHOUT_SUCCESSOR)
def test_retired_cluster_without_successor_is_checked_as_it_was(name):
    profile = load_profile(name)
    assert profile.name == name and profile.status == "retired" and profile.chain == (name, "generic")
    notice = profile.retired.notice()
    assert "no successor" in notice and "not a documented migration" in notice
    assert "narval or rorqual" in notice and f"against {name} as it was" in notice
    assert profile.data["schedulers"] and "storage" in profile.data


def test_helios_profile_carries_its_gpus_eras_and_storage():
    profile = load_profile("helios")
    assert set(profile.gpus.models) == {"k20", "k80"}
    assert profile.gpus.models["k80"].per_node == 16 and profile.gpus.models["k20"].per_node == 8
    assert [e["name"] for e in profile.data["schedulers"]] == ["Moab over Torque", "Slurm (Compute Canada software stack)"]
    kinds = {k: v["kind"] for k, v in profile.data["storage"].items()}
    assert kinds == {"$RAP": "shared", "$LSCRATCH": "node-local", "$RAMDISK": "node-local"}
    assert profile.time.max is None  # the Slurm era's limit was not found
    # k80 is a GPU type of Hélios; under Rorqual it is not
    script = "#!/bin/bash\n#SBATCH --time=1:00:00\n#SBATCH --gres=gpu:k80:2\npython a.py\n"
    assert "gpu-type-unknown" not in {d.rule for d in lint(script, cluster="helios")}
    assert "gpu-type-unknown" in {d.rule for d in lint(script, cluster="rorqual")}


def test_cli_cluster_helios_describes_it(tmp_path):
    code, out, err = cclint("cluster", "helios")
    assert code == 0, err
    assert "Université Laval" in out and "k80" in out and "$LSCRATCH" in out and "Moab" in out
    assert "# note: helios is retired" in out and "no successor" in out


def test_retired_gpu_types_are_explained():
    [d] = [d for d in lint("#!/bin/bash\n#SBATCH --gres=gpu:v100l:1\npython a.py\n", cluster="cedar")
           if d.rule == "gpu-type-unknown"]
    assert "not offered on fir" in d.message and "Cedar" in d.message


# -- bad profile files ------------------------------------------------------------------------

BAD = {
    "syntax": ("time:\n  max: [1, 2\n", 2, "YAML syntax error"),
    "unknown_key": ("description: x\ntime:\n  maximum: 24:00:00\n", 3, "time.maximum: unknown key 'maximum' (did you mean 'max'?)"),
    "bad_time": ("time:\n  max: two days\n", 2, "time.max: expected a time"),
    "bad_memory": ("nodes:\n  types:\n    cpu: {cores: 64, memory: 250 GB}\n", 3, "nodes.types.cpu.memory"),
    "bad_bool": ("internet: maybe\n", 1, "internet: expected true or false"),
    "bad_severity": ("severity:\n  conda-use: fatal\n", 2, "severity.conda-use: expected one of error, warning, info, off"),
    "bad_count": ("gpus:\n  models:\n    h100: {per_node: 0}\n", 3, "gpus.models.h100.per_node"),
    "bad_version": ("slurm_version: twenty\n", 1, "not a Slurm version"),
    "not_a_mapping": ("- fir\n- narval\n", 1, "a profile is a mapping"),
    "unknown_parent": ("extends: narvall\n", 1, "did you mean 'narval'?"),
    "slice_of_unknown_model": ("extends: narval\ngpus:\n  slices:\n    x_1g.5gb: {of: v100}\n", 4, "'v100' is not one of the GPU models"),
    "counts_above_per_node": ("gpus:\n  models:\n    h100: {per_node: 4, counts: [1, 8]}\n", 3, "more than per_node"),
    "retired_with_limits": ("retired: {replaced_by: fir}\ntime: {max: 1}\n", 2, "only names its replacement"),
    "gres_unknown_key": ("gres:\n  type: [gpu]\n", 2, "gres.type: unknown key 'type' (did you mean 'types'?)"),
    "gres_bad_name": ("gres:\n  types: [gpu, 'tmp fs']\n", 2, "expected a GRES name"),
    "retired_with_nothing": ("retired: {note: gone}\n", 1, "needs replaced_by: NAME, or, when no successor"),
    "storage_kind": ("storage:\n  $X: {kind: fast}\n", 2, "storage.$X.kind: expected one of node-local, shared"),
    "python_tag_is_not_run": ("description: !!python/object/apply:os.system ['echo hacked']\n", 1, "YAML"),
}


@pytest.mark.parametrize("name", BAD, ids=list(BAD))
def test_bad_profile_file_gives_file_line_and_key(tmp_path, name):
    text, line, words = BAD[name]
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message, message


def test_gres_names_are_inherited_listed_or_unknown(tmp_path):
    assert load_profile("narval").gres.types == ("gpu", "mps", "shard")  # from generic
    assert not load_profile("narval").gres.complete
    site = load_profile(str(write(tmp_path, "site.yaml", "extends: narval\ngres: {types: [gpu, nvme], complete: true}\n")))
    assert site.gres.types == ("gpu", "nvme") and site.gres.complete
    unknown = load_profile(str(write(tmp_path, "unknown.yaml", "extends: narval\ngres: {types: null}\n")))
    assert unknown.gres.types is None  # not known: no name is checked


def test_error_in_a_parent_file_points_at_the_parent(tmp_path):
    parent = write(tmp_path, "parent.yaml", "gpus:\n  slices:\n    a_1g.5gb: {of: a100}\n")
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\n")
    with pytest.raises(ProfileError) as info:
        load_profile(str(child))
    assert str(info.value).startswith(f"{parent}:3:")


def test_circular_inheritance(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "description: b\nextends: a.yaml\n")
    with pytest.raises(ProfileError) as info:
        load_profile(str(tmp_path / "a.yaml"))
    assert str(info.value).startswith(f"{b}:2:") and "circular" in str(info.value)


def test_missing_file_and_unknown_name():
    with pytest.raises(ProfileError, match="not found"):
        load_profile("./no-such-profile.yaml")
    with pytest.raises(ProfileError, match="did you mean 'trillium'"):
        load_profile("trilium")


def test_unknown_rule_name_is_a_warning_not_an_error(tmp_path):
    path = write(tmp_path, "p.yaml", "severity:\n  pip-without-noindex: error\n")
    profile = load_profile(str(path))
    assert any("pip-without-noindex" in w for w in profile.warnings)


# -- what a profile changes -------------------------------------------------------------------

CONDA_PIP = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\n"
             "module load anaconda/3\nconda activate x\npip install timm\n")


def severities(text, **options):
    return {d.rule: d.severity.label for d in lint(text, **options)}


def test_severities_follow_the_profile():
    assert severities(CONDA_PIP) == {"conda-use": "warning", "pip-without-no-index": "warning"}
    assert severities(CONDA_PIP, cluster="narval") == {"conda-use": "warning", "pip-without-no-index": "error"}
    assert severities(CONDA_PIP, cluster="nibi")["pip-without-no-index"] == "warning"
    assert severities(CONDA_PIP, cluster="mila") == {}  # conda is supported; no wheelhouse
    no_time = "#!/bin/bash\n#SBATCH --mem=1G\npython a.py\n"
    assert severities(no_time)["missing-time"] == "warning"
    assert severities(no_time, cluster="alliance")["missing-time"] == "error"
    assert severities(no_time, cluster="mila")["missing-time"] == "warning"


def test_select_turns_a_rule_back_on_where_the_profile_turns_it_off():
    assert "conda-use" in severities(CONDA_PIP, cluster="mila", select=["conda-use"])


def test_profile_rules_are_silent_on_generic():
    text = ("#!/bin/bash\n#SBATCH --time=30-00:00:00\n#SBATCH --partition=x\n#SBATCH --account=me\n"
            "#SBATCH --gpus-per-node=v100:16\n#SBATCH --mem=9000G\n#SBATCH -c 128\n"
            "virtualenv env\ntorchrun --nproc_per_node=16 a.py\n")
    cluster_rules = {r.name for r in all_rules() if r.family == "cluster"} | {"virtualenv-without-no-download"}
    assert not cluster_rules & {d.rule for d in lint(text)}


FINDINGS = [
    ("trillium", "#SBATCH --time=2-00:00:00\n", "time-exceeds-limit", "24 h"),
    ("trillium", "#SBATCH --time=5\n", "time-below-minimum", "15 min"),
    ("fir", "#SBATCH --gpus-per-node=v100:1\n", "gpu-type-unknown", "h100"),
    ("trillium", "#SBATCH --gpus-per-node=2\n", "gpu-count-not-allowed", "1 or 4"),
    ("narval", "#SBATCH --gpus-per-node=a100_1g.5gb:2\n", "multiple-mig-instances", "at most 1"),
    ("narval", "#SBATCH --gpus-per-node=a100:1\n#SBATCH -c 48\n", "resources-per-gpu-high", "12"),
    ("mila", "#SBATCH --mem=2000G\n", "memory-exceeds-node", "1024 GiB"),
    ("rorqual", "#SBATCH --partition=gpu\n", "partition-discouraged", "partition"),
    ("mila", "#SBATCH --partition=main\n#SBATCH -c 12\n", "partition-limit-exceeded", "8 CPUs"),
    ("killarney", "#SBATCH --account=def-lab\n", "account-prefix-invalid", "aip-"),
]


@pytest.mark.parametrize("cluster,header,rule,limit", FINDINGS, ids=[f[2] for f in FINDINGS])
def test_every_profile_finding_names_the_cluster_the_limit_and_the_source(cluster, header, rule, limit):
    text = "#!/bin/bash\n" + header + "torchrun --nproc_per_node=2 a.py\n"
    [d] = [d for d in lint(text, cluster=cluster) if d.rule == rule]
    assert cluster in d.message and limit in d.message
    assert "https://" in d.message, d.message


def test_cli_slurm_version_overrides_the_profile(tmp_path):
    script = write(tmp_path, "job.sh", "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-x\n"
                                       "#SBATCH --output=nowhere/%j.out\necho hi\n")
    _, out, _ = cclint("--cluster", "fir", "--submit-dir", tmp_path, script)
    assert "info CC302" in out and "fir's release" in out
    _, out, _ = cclint("--cluster", "fir", "--slurm-version", "22.05", "--submit-dir", tmp_path, script)
    assert "error CC302" in out


# -- command line -----------------------------------------------------------------------------

JOB = "#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --time=36:00:00\necho hi\n"


def test_cli_cluster_option_and_environment_variable(tmp_path):
    script = write(tmp_path, "job.sh", JOB)
    assert cclint(script)[0] == 0
    code, out, _ = cclint("--cluster", "trillium", script)
    assert code == 1 and "time-exceeds-limit" in out
    code, out, _ = cclint(script, env={"CCLINT_CLUSTER": "trillium"})
    assert code == 1 and "time-exceeds-limit" in out
    assert cclint("--cluster", "fir", script, env={"CCLINT_CLUSTER": "trillium"})[0] == 0


def test_cli_retired_cluster_note(tmp_path):
    script = write(tmp_path, "job.sh", JOB)
    code, _, err = cclint("--cluster", "niagara", script)
    assert code == 1
    assert "cclint: note: niagara was retired on 2025-09-30" in err and "trillium" in err


def test_cli_profile_file(tmp_path):
    script = write(tmp_path, "job.sh", JOB)
    write(tmp_path, "course.yaml", "extends: fir\ntime: {max: 12:00:00}\n")
    code, out, _ = cclint("--cluster", "./course.yaml", script, cwd=tmp_path)
    assert code == 1 and "12 h maximum walltime on course" in out


def test_cli_bad_profile_exits_2_with_file_and_line(tmp_path):
    script = write(tmp_path, "job.sh", JOB)
    bad = write(tmp_path, "bad.yaml", "extends: fir\ntime:\n  max: forever\n")
    code, out, err = cclint("--cluster", bad, script)
    assert code == 2 and out == ""
    assert f"{bad}:3: time.max: expected a time" in err
    code, _, err = cclint("--cluster", "cedarr", script)
    assert code == 2 and "did you mean 'cedar'" in err


def test_cli_clusters_lists_every_profile():
    code, out, _ = cclint("clusters")
    assert code == 0
    for name in builtin_names():
        assert f"  {name} " in out
    assert "Retired clusters" in out
    code, out, _ = cclint("clusters", "--format", "json")
    data = {p["name"]: p for p in json.loads(out)}
    assert data["cedar"]["replaced_by"] == "fir" and data["fir"]["status"] == "active"


def test_cli_cluster_shows_the_merged_profile():
    code, out, _ = cclint("cluster", "trillium")
    assert code == 0
    assert "trillium -> alliance -> generic" in out
    assert "max: 24:00:00" in out and "prefixes:" in out and "def-" in out  # inherited
    code, out, _ = cclint("cluster", "graham", "--format", "json")
    data = json.loads(out)
    assert data["name"] == "nibi" and "graham was retired" in data["notices"][0]
    assert data["gpus"]["models"]["h100"]["per_node"] == 8
    assert data["gres"] == {"types": ["gpu", "mps", "shard"], "complete": False}  # from generic
    code, _, err = cclint("cluster", "nowhere")
    assert code == 2 and "unknown cluster" in err
    for command in (("cluster", "narval"), ("clusters",)):  # they print text or JSON, nothing else
        code, out, _ = cclint(*command, "-h")
        assert "<text|json>" in out and "sarif" not in out
        code, _, err = cclint(*command, "--format", "sarif")
        assert code == 2 and "'sarif' is not one of 'text', 'json'" in err


# -- every profile rule, on every cluster, from the cluster's own numbers ------------------------

def _profile_cases(name):
    """(rule, header that must trigger it, header that must not) built from the profile's data."""
    from cclint.header.values import format_minutes

    p = load_profile(name)
    cases = []
    if p.time.max:
        cases.append(("time-exceeds-limit", f"--time={format_minutes(p.time.max + 1)}",
                      f"--time={format_minutes(p.time.max)}"))
    if p.time.min and p.time.min > 1:
        cases.append(("time-below-minimum", f"--time={p.time.min - 1}", f"--time={p.time.min}"))
    for model in p.gpus.models.values():
        counts = model.allowed_counts
        if not counts:
            continue
        cases.append(("gpu-type-unknown", "--gpus-per-node=nosuchgpu:1", f"--gpus-per-node={model.name}:{counts[0]}"))
        cases.append(("gpu-count-not-allowed", f"--gpus-per-node={model.name}:{model.per_node + 1}",
                      f"--gpus-per-node={model.name}:{counts[-1]}"))
        if model.cores:
            cases.append(("resources-per-gpu-high", f"--gpus-per-node={model.name}:{counts[0]} --cpus-per-gpu={model.cores + 1}",
                          f"--gpus-per-node={model.name}:{counts[0]} --cpus-per-gpu={model.cores}"))
        if model.node_memory and not p.nodes.memory_ignored:
            cases.append(("memory-exceeds-node", f"--gpus-per-node={model.name}:{counts[0]} --mem={model.node_memory + 1024}M",
                          f"--gpus-per-node={model.name}:{counts[0]} --mem={model.node_memory}M"))
    for piece in p.gpus.slices.values():
        if p.gpus.max_slices_per_job:
            cases.append(("multiple-mig-instances", f"--gres=gpu:{piece.name}:{p.gpus.max_slices_per_job + 1}",
                          f"--gres=gpu:{piece.name}:1"))
    sizes = [t.memory for t in p.nodes.types.values() if t.memory]
    if sizes and not p.nodes.memory_ignored:
        cases.append(("memory-exceeds-node", f"--mem={max(sizes) + 1024}M", f"--mem={max(sizes)}M"))
    if p.partitions.policy == "discouraged":
        cases.append(("partition-discouraged", "--partition=somewhere", "--time=01:00:00"))
    for part in p.partitions.limits.values():
        if part.cpus:
            cases.append(("partition-limit-exceeded", f"--partition={part.name} --cpus-per-task={part.cpus + 1}",
                          f"--partition={part.name} --cpus-per-task={part.cpus}"))
        if part.time:
            cases.append(("partition-limit-exceeded", f"--partition={part.name} --time={format_minutes(part.time + 1)}",
                          f"--partition={part.name} --time={format_minutes(part.time)}"))
    if p.account.prefixes:
        cases.append(("account-prefix-invalid", "--account=zzz-lab", f"--account={p.account.prefixes[-1]}lab"))
    return [(name, *case) for case in cases]


PROFILE_CASES = [case for name in CLUSTERS for case in _profile_cases(name)]


@pytest.mark.parametrize("cluster,rule,bad,good", PROFILE_CASES,
                         ids=[f"{c[0]}-{c[1]}-{k}" for k, c in enumerate(PROFILE_CASES)])
def test_profile_rule_fails_and_passes_on_the_cluster_numbers(cluster, rule, bad, good):
    def header(options):
        return "".join(f"#SBATCH {o}\n" for o in options.split())

    text = "#!/bin/bash\n{}torchrun --nproc_per_node=8 a.py\n"
    found = [d for d in lint(text.format(header(bad)), cluster=cluster, select=[rule])]
    assert found and cluster in found[0].message, (bad, found)
    assert not lint(text.format(header(good)), cluster=cluster, select=[rule]), good


def test_every_cluster_has_cases_for_its_rules():
    rules_by_cluster = {name: {c[1] for c in PROFILE_CASES if c[0] == name} for name in CLUSTERS}
    assert {"time-exceeds-limit", "gpu-type-unknown", "gpu-count-not-allowed", "account-prefix-invalid",
            "partition-discouraged", "memory-exceeds-node", "resources-per-gpu-high",
            "multiple-mig-instances", "time-below-minimum"} <= rules_by_cluster["narval"]
    assert {"partition-limit-exceeded", "time-exceeds-limit", "memory-exceeds-node"} <= rules_by_cluster["mila"]
    assert len(PROFILE_CASES) > 80


@pytest.mark.parametrize("name", CLUSTERS)
def test_cluster_command_output_is_a_profile_file(tmp_path, name):
    code, out, _ = cclint("cluster", name)
    assert code == 0
    copy = tmp_path / f"{name}-copy.yaml"
    copy.write_text(out, "utf-8")
    original, again = load_profile(name), load_profile(str(copy))
    for field in ("slurm_version", "internet", "wheelhouse", "severity", "time", "account", "partitions",
                  "gpus", "nodes", "notes", "description", "status", "url"):
        assert getattr(again, field) == getattr(original, field), field
