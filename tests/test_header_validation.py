"""The value grammars and cross-option checks without the real sbatch (which the differential
tests in tests/differential/ compare against): facts observed on sbatch 22.05, the release
differences of slurm-facts.md §6, and robustness on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cclint.header import grammars as g
from cclint.header.combos import conflicts, ineffective
from cclint.header.timespec import parse_datetime
from cclint.header.validate import value_issues
from cclint.header.values import (
    count_hosts, parse_count, parse_gpus, parse_gpus_per_task, parse_gres, parse_memory, parse_nodes,
    parse_time,
)
from cclint.profile import GresPolicy, Profile
from cclint.runner import lint_source
from cclint.script import Script
from cclint.settings import Settings
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile
from tests.conftest import rules_found
from tests.robustness.strategies import PROFILE

V2205, V2405 = SlurmVersion.parse("22.05"), SlurmVersion.parse("24.05")
V2411, V2511 = SlurmVersion.parse("24.11"), SlurmVersion.parse("25.11")


def rejects(value_check, value, *args):
    try:
        value_check(value, *args)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("value,minutes", [
    ("10", 10), ("1:30", 2), ("1:30:00", 90), ("1-", 1440), ("2-12", 3600), ("0:30", 1),
    ("INFINITE", None), ("0", None), ("1:90:00", 150),
])
def test_time_values(value, minutes):
    assert parse_time(value).minutes == minutes


@pytest.mark.parametrize("value", ["90m", "1.5", "", "-", "1::", ":5", "1-2-3", "1:2:3:4", "-1:00", " 10"])
def test_time_rejections(value):
    assert rejects(parse_time, value)


@pytest.mark.parametrize("value,mib", [("4096", 4096), ("4G", 4096), ("4gb", 4096), ("+1T", 1048576),
                                       ("1K", 1), ("0", 0)])
def test_memory_values(value, mib):
    assert parse_memory(value) == mib


@pytest.mark.parametrize("value", ["4.5G", "4GiB", "4P", "-1", "", "1B", "G", "9223372036854775808"])
def test_memory_rejections(value):
    assert rejects(parse_memory, value)


def test_counts_and_the_release_that_added_an_upper_bound():
    assert parse_count("+4", "ntasks") == 4
    assert rejects(parse_count, "0", "ntasks") and not rejects(parse_count, "", "core-spec", True)
    assert not rejects(parse_count, "99999999999", "ntasks", False, V2205)
    assert rejects(parse_count, "99999999999", "ntasks", False, None)


def test_node_counts():
    assert parse_nodes("2-4") == (2, 4) and parse_nodes("-3") == (1, 3) and parse_nodes("1k") == (1024, 1024)
    assert rejects(parse_nodes, "2-") and rejects(parse_nodes, "2147483648")
    assert rejects(parse_nodes, "1,2,4", V2205) and parse_nodes("1,2,4", None) == (1, 4)


def test_gres_grammar_of_22_05():
    assert [(i.name, i.type, i.count) for i in parse_gres("gpu:a100:2,gpu:1.5", V2205)] == \
        [("gpu", "a100", 2), ("gpu", "1.5", 1)]
    assert parse_gres("gpu:0,x:m,:k", V2205) == []  # zero counts are dropped before names are read
    for bad in ("gpu:", "gpu:2:a100", "gpu::1", "gpu:a:1.5", ":1"):
        assert rejects(parse_gres, bad, V2205), bad
    assert rejects(parse_gres, "gres/gpu:1", V2205) and not rejects(parse_gres, "gres/gpu:1", None)
    assert [(i.type, i.count) for i in parse_gpus("a100:2,3")] == [("a100", 2), ("", 3)]


def test_gres_grammar_of_24_11():
    # slurm_get_next_tres: the count follows the last ':', the type is all between the first
    # ':' and it; an empty type is a type; an item without a name ends the list.
    assert [(i.name, i.type, i.count) for i in parse_gres("gpu:h100:1:2", V2411)] == [("gpu", "h100:1", 2)]
    assert [(i.type, i.empty_type) for i in parse_gres("gpu::1", V2411)] == [("", True)]
    assert [(i.name, i.type) for i in parse_gres("gpu:k", V2411)] == [("gpu", "k")]  # a type, not 0
    assert parse_gres(":1,foo:1", V2411) == [] and parse_gres("0,foo:1", V2411) == []
    for bad in ("gpu:", "gpu:a:b", "gpu=x", "gpu:a:"):
        assert rejects(parse_gres, bad, V2411), bad
    notes = []
    parse_gres("gpu:h100:1:2,gpu::1", V2411, notes)
    assert len(notes) == 2 and "h100:1" in notes[0] and "empty type" in notes[1]
    assert [(i.type, i.count) for i in parse_gpus_per_task("a100:2,v100:1", V2411)] == [("a100", 2)]
    assert parse_gpus_per_task("x:y:1", V2411) == [] and parse_gpus_per_task("1k", V2411)[0].count == 1


def test_node_counts_of_24_11():
    assert rejects(parse_nodes, "3000000m", V2411) and rejects(parse_nodes, "99999999999", V2411)
    assert not rejects(parse_nodes, "99999999999", V2205)  # 22.05 keeps a truncated int
    assert parse_nodes("1,,", V2411) == (0, 1) and parse_nodes("1-15:4", V2411) == (1, 13)
    assert rejects(parse_nodes, "0:40", V2411) and rejects(parse_nodes, "1k,2", V2411)


def test_host_lists_by_release():
    for text in ("node[", "a]b[", "n[1-2],m["):
        assert g.hostlist_valid(text, V2205) and not g.hostlist_valid(text, V2411), text
    for text in ("node[a]", "node[2-1]", "node[]", "node[1-3-4]"):
        assert not g.hostlist_valid(text, V2205) and not g.hostlist_valid(text, V2411), text
    for text in ("node]", "node[1-2]x", "node[01-2]", "node[1-2][3-4]", "n1,n2"):
        assert g.hostlist_valid(text, V2411), text


def test_newer_grammars():
    assert rejects(g.check_gpu_bind, "c", V2411) and not rejects(g.check_gpu_bind, "closest", V2411)
    assert not rejects(g.check_gpu_bind, "map_gpu:", V2411) and rejects(g.check_gpu_bind, "", V2411)
    assert not rejects(g.check_tres_per_task, "1", V2411) and rejects(g.check_tres_per_task, "cpu=0", V2411)
    assert rejects(g.check_tres_per_task, "fsx=1", V2411)  # a prefix of fs
    # cpu_freq_verify_cmdline: a governor alone needs userspace; a range needs a governor unless
    # CpuFreqDef is set (not known: a note), and userspace cannot take a range.
    assert not rejects(g.check_cpu_freq, "low:userspace", None, V2411)
    assert rejects(g.check_cpu_freq, "low:userspace", None, V2205)
    assert rejects(g.check_cpu_freq, "low-high:userspace", None, V2411)
    assert rejects(g.check_cpu_freq, "1000-2000", None, V2411, False)
    assert g.check_cpu_freq("1000-2000", None, V2411) and not rejects(g.check_cpu_freq, "1000-2000", None, V2411)
    assert not g.check_cpu_freq("1000-2000", None, V2411, True)
    assert rejects(g.check_cpu_freq, "1x", None, V2411) and not rejects(g.check_cpu_freq, "1x", None, V2205)
    assert not rejects(g.check_gres_flags, "enforce-binding,", V2411) and not rejects(g.check_gres_flags, "", V2411)
    assert rejects(g.check_gres_flags, "one-task-per-sharing", V2411, False)


def test_signals_as_22_05_reads_them():
    assert g.parse_signal("B:USR1@300") == ("B", 10, 300)
    assert g.parse_signal("RR:6")[1] == 6 and g.parse_signal("999999")[1] == 999999 & 0xFFFF
    for bad in ("BUS", "BB:USR1", "RRR6", "USR1@70000", "65536", "B"):
        assert rejects(g.parse_signal, bad), bad
    assert rejects(g.parse_signal, "CHLD", V2205) and not rejects(g.parse_signal, "CHLD", None)


def test_dates():
    assert parse_datetime("now+1hour", "begin", V2205) is not None
    for bad in ("now+1h", "Tomorrow", "25:00", "10:5", "2025-1-1", "T", "uts999"):
        assert rejects(parse_datetime, bad, "begin", V2205), bad
    assert rejects(parse_datetime, "elevenses", "begin", V2205)
    assert not rejects(parse_datetime, "elevenses", "begin", None)


@pytest.mark.parametrize("check,good,bad", [
    (g.check_mail_type, ["END,FAILED", "all"], ["FAILED", ""]),
    (g.check_distribution, ["block:cyclic,pack", ":*", "plane=4"], ["plane=4,pack", "fcyclic", "arbitrary:block"]),
    (g.check_acctg_freq, ["30", "xtask=5", "-2"], ["-1", "tasks=5", "4294967295"]),
    (g.check_mem_bind, ["verbose,local", "map_mem:0,1"], ["map_mem", "foo", ""]),
    (lambda v: g.check_gpu_bind(v, V2205), ["c", "nn1pop", "single:x", "mask_gpu:0x1*2"],
     ["s", "verbose", "mask_gpu:0X1"]),
    (g.check_gpu_freq, ["0,", "memory=high,verbose"], ["", "HIGH", "1x"]),
    (g.check_propagate, ["", "NONE", "RLIMIT_STACK,,CORE"], ["all", "stack", "STACK,ALL"]),
    (g.check_profile, ["ealle", "task"], ["foo", ""]),
    (g.check_extra_node_info, ["2:4:1", "1-2-3", "*:*:1"], ["-1", "1-0", "2-", "1x"]),
    (g.check_get_user_env, ["10L", "Lx", "-5"], ["5x", "xS"]),
    (lambda v: g.check_cpu_freq(v, None, V2205), ["low-high:performance", "1x", "1000-2000-3000"],
     ["low:", "high-low", "performance-2000"]),
])
def test_small_grammars(check, good, bad):
    for value in good:
        assert not rejects(check, value), value
    for value in bad:
        assert rejects(check, value), value


def test_governors_depend_on_the_site():
    assert g.check_cpu_freq("conservative") and not rejects(g.check_cpu_freq, "conservative")
    assert rejects(g.check_cpu_freq, "conservative", g.DEFAULT_GOVERNORS)


def test_gres_flags_and_host_lists_by_release():
    assert rejects(g.check_gres_flags, "disable-binding,enforce-binding", V2205)
    assert rejects(g.check_gres_flags, "one-task-per-sharing", V2205)
    assert not rejects(g.check_gres_flags, "one-task-per-sharing", None)
    assert count_hosts("n[1-4,7],gpu2") == 6 and count_hosts("a,a") == 1
    assert count_hosts("a,a", unique=False) == 2 and count_hosts("node[") == 1
    assert count_hosts("/etc/hosts") is None


def _header(body: str, version=None):
    return Script.from_text("#!/bin/bash\n" + body + "\necho\n", version).header


def _messages(found):
    return " | ".join(c.message for c in found)


def test_gres_validation_follows_sbatch():
    cases = {
        "--gpus=3 --gpus-per-node=2": "not multiple",
        "--gpus-per-task=1 -N 1-2": "used without",
        "--gpus=4 --gpus-per-task=1 -N 2": "differ from -n",
        "--gpus=4 --gpus-per-task=1 -N 2 -c 8": "",
        "-w node1,node2 --gpus=1": "--gpus < -N",
        "--gres=gpu:2 --gpus-per-node=3 --gpus=2": "",
        "--ntasks-per-gpu=2 -n 3": "multiple of --ntasks-per-gpu",
        "--ntasks=1 --ntasks-per-gpu=2": "",
        "--hint=compute_bound --sockets-per-node=2 --gpus-per-socket=1": "requires --sockets-per-node",
        "-B 2 --gpus-per-socket=1": "",
        "-m plane=4 -N 2 -n 4": "Too few processes",
    }
    for line, expected in cases.items():
        found = _messages(conflicts(_header("#SBATCH " + line, V2205), V2205))
        assert (expected in found) if expected else not found, (line, found)


def test_release_differences():
    # `\ ` joins words from 24.05; before, it splits them and the second is a stray word.
    assert "invalid-option-value" in rules_found("#!/bin/bash\n#SBATCH -J a\\ b\necho\n", slurm_version="23.11")
    assert "invalid-option-value" not in rules_found("#!/bin/bash\n#SBATCH -J a\\ b\necho\n", slurm_version="24.05")
    for line, old, new in [("--get-user-env=10L", "24.11", "25.05"), ("--exclusive=topo", "24.05", "23.11"),
                           ("--requeue=expedite", "25.11", "25.05")]:
        script = f"#!/bin/bash\n#SBATCH {line}\necho\n"
        assert "invalid-option-value" not in rules_found(script, slurm_version=old), line
        assert "invalid-option-value" in rules_found(script, slurm_version=new), line
    assert "unknown-option" in rules_found("#!/bin/bash\n#SBATCH --power=x\necho\n", slurm_version="24.05")
    # --sockets-per-node drops --hint in 25.11, not in 24.11 (both observed)
    assert not ineffective(_header("#SBATCH --hint=compute_bound --sockets-per-node=2", V2411), V2411)
    assert ineffective(_header("#SBATCH --hint=compute_bound --sockets-per-node=2", V2511), V2511)


def test_site_facts_from_the_profile():
    script = "#!/bin/bash\n#SBATCH --gres=shard:1 --cpu-freq=conservative --container-image=x\necho\n"
    generic = Settings()
    site = Settings(profile=Profile(name="site", gres=GresPolicy(("gpu",), complete=True),
                                    data={"extra_options": ["container-image"], "cpu_freq_governors": ["ondemand"]}))
    found = {d.rule: d for d in lint_source(SourceFile.from_text(script), generic).diagnostics}
    assert "invalid-option-value" not in found and "unknown-option" in found
    assert "misleading-value" in found  # the governor depends on the cluster
    found = lint_source(SourceFile.from_text(script), site).diagnostics
    assert sum(d.rule == "invalid-option-value" for d in found) == 2
    assert not any(d.rule == "unknown-option" for d in found)


_PIECES = list("-=:,@%#'\"\\ \tabcdegmnpstuvxABGKMNT0129[]*+/._$~\u2014\u00a0é") + [
    "hetjob", "--gpus", "--time", "-N", "--gres", "--mem", "--hint", "--nodelist", "-B",
    "--ntasks-per-gpu", "--begin", "-m", "--signal", "--array", "--exclusive"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


@settings(PROFILE, max_examples=400)
@given(lines=st.lists(_TEXT, min_size=1, max_size=4), version=st.sampled_from([None, "21.08", "22.05", "24.05", "26.05"]))
def test_any_header_is_linted_without_an_internal_error(lines, version):
    text = "#!/bin/bash\n" + "\n".join("#SBATCH " + line for line in lines) + "\necho\n"
    parsed = SlurmVersion.parse(version)
    header = Script.from_text(text, parsed).header
    value_issues(header, parsed)  # anything but ValueError would escape here
    conflicts(header, parsed)
    ineffective(header, parsed)
    result = lint_source(SourceFile.from_text(text), Settings(slurm_version=parsed))
    assert not result.internal_errors, result.internal_errors
