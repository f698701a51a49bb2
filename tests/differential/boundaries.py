"""The release boundaries in cclint's data, each with a probe that behaves differently on
either side of it (test_boundaries.py runs every probe on every oracle).

A boundary `B` means "from release B on": releases before B behave the old way. With oracles
at 22.05, 24.11 and 25.11 only, a boundary between two of them is observed on both sides but
placed by inference (the first release after the older oracle, as Slurm's release notes or
source suggest): SIDES says which side each oracle is on and what is therefore inferred.

Option existence (options.py `_SINCE`, `_UNTIL`, `_MISSING_IN`) gets a generated probe per
option; the value grammars and cross-option checks (`newer(version, X, Y)` in cclint/header)
get the hand-written PROBES, and a test checks that every boundary found in that code has one.
"""

from __future__ import annotations

from cclint.header.options import _MISSING_IN, _SINCE, _UNTIL, option_table
from cclint.record import record
from cclint.slurm_version import SlurmVersion

# Every release line: the one before a boundary is where the old behaviour last held.
RELEASES = ("20.11", "21.08", "22.05", "23.02", "23.11", "24.05", "24.11", "25.05", "25.11",
            "26.05", "26.11")


@record(frozen=True)
class Probe:
    boundary: str  # "23.02": the first release with the new behaviour
    lines: tuple[str, ...]  # the #SBATCH (or #PBS) lines of the script
    what: str  # the behaviour that changes
    kind: str = "refused"  # what differs: 'refused' (sbatch refuses the script) | 'unknown' (the option)
    # (File name symbols such as %b (24.11) change what sbatch writes, not what it accepts:
    # `--test-only` cannot observe them, so they have no probe here.)

    def script(self) -> str:
        return "#!/bin/bash\n" + "\n".join(self.lines) + "\necho done\n"

    def before(self) -> SlurmVersion:
        return SlurmVersion.parse(RELEASES[RELEASES.index(self.boundary) - 1])


PROBES: list[Probe] = [
    # 23.02 (22.05 observed on the old side, 24.11 on the new)
    Probe("23.02", ("#SBATCH --ntasks=99999999999",), "counts above INT_MAX refused (parse_int)"),
    Probe("23.02", ("#SBATCH --nodes=99999999999",), "node counts above INT_MAX refused (str_to_nodes)"),
    Probe("23.02", ("#SBATCH --nodes=1,2,4",), "node count lists (`1,2,4`, `1-15:4`)"),
    Probe("23.02", ("#SBATCH --cpus-per-gpu=2",), "--cpus-per-gpu without a GPU refused"),
    Probe("23.02", ("#SBATCH --signal=CHLD",), "signal names CHLD and PIPE"),
    Probe("23.02", ("#SBATCH --begin=elevenses",), "`elevenses` in dates"),
    Probe("23.02", ("#SBATCH --gres=gres/gpu:1",), "`gres/` prefix and `name=count` in --gres"),
    Probe("23.02", ("#SBATCH --gres=gpu::1",), "GRES items read by slurm_get_next_tres (empty type, 4 fields)"),
    Probe("23.02", ("#SBATCH --gpus-per-task=x:y:1",), "--gpus-per-task read into --tres-per-task"),
    Probe("23.02", ("#SBATCH --gpus-per-task=1 --ntasks-per-node=2",),
          "GRES task count: --ntasks-per-node counts only with a fixed --nodes"),
    Probe("23.02", ("#SBATCH --nodelist=node[",), "a host list with `[` and no `]` refused"),
    Probe("23.02", ("#SBATCH --cpu-freq=1x",), "--cpu-freq numbers: trailing text refused"),
    Probe("23.02", ("#SBATCH --cpu-freq=low:userspace",), "--cpu-freq: userspace without a maximum"),
    Probe("23.02", ("#SBATCH --gpu-bind=c",), "--gpu-bind: whole `closest`/`none` prefixes"),
    Probe("23.02", ("#SBATCH --exclusive --oversubscribe",), "--exclusive with --oversubscribe refused"),
    Probe("23.02", ("#SBATCH --ntasks-per-core=2 --threads-per-core=1",),
          "--ntasks-per-core above --threads-per-core refused"),
    Probe("23.02", ("#PBS -d /tmp",), "#PBS -d and -w translated"),
    # 23.11
    Probe("23.11", ("#SBATCH --gres-flags=enforce-binding,",), "--gres-flags as a comma list"),
    Probe("23.11", ("#SBATCH -m arbitrary -N 2 -w node1",), "--nodes with an arbitrary distribution refused"),
    # 24.05
    Probe("24.05", ("#SBATCH --exclusive=topo",), "--exclusive=topo"),
    Probe("24.05", ("#SBATCH -J a\\ b",), "`\\ ` keeps the space in a directive word"),
    # 25.05 (24.11 observed on the old side, 25.11 on the new)
    Probe("25.05", ("#SBATCH --get-user-env=10L",), "--get-user-env takes no value"),
    Probe("25.05", ("#SBATCH --mem-bind=sort",), "--mem-bind sort/nosort removed"),
    Probe("25.05", ("#SBATCH --hint=foo --sockets-per-node=2",),
          "--cores-per-socket and --sockets-per-node drop --hint"),
    # 25.11
    Probe("25.11", ("#SBATCH --requeue=expedite",), "--requeue takes a value"),
    # 26.05 (no oracle on the new side: every observed release is on the old side)
    Probe("26.05", ("#SBATCH --exclusive=allocation",), "--exclusive=allocation"),
    Probe("26.05", ("#SBATCH --gres=gpu:1 --gpus-per-node=1",), "--gres=gpu with --gpus-per-node refused"),
    Probe("26.05", ("#SBATCH --segment=3 -N 4",), "--segment must divide the node count"),
]


# Before 23.02, `--extra` is getopt's abbreviation of --extra-node-info: a value that
# option refuses (and --extra takes) shows the boundary.
_AS_ABBREVIATION = {"extra": "#SBATCH --extra=x"}


def _existence_probes() -> list[Probe]:
    table = option_table()
    probes = []
    for name, bound in _SINCE.items():
        release = f"{bound[0]}.{bound[1]:02d}"
        if name in _AS_ABBREVIATION:
            probes.append(Probe(release, (_AS_ABBREVIATION[name],), f"--{name} added"))
        else:
            probes.append(Probe(release, (_line(table[name]),), f"--{name} added", "unknown"))
    for name, bound in _UNTIL.items():
        after = RELEASES[RELEASES.index(f"{bound[0]}.{bound[1]:02d}") + 1]
        probes.append(Probe(after, (_line(table[name]),), f"--{name} removed", "unknown"))
    for name, missing in _MISSING_IN.items():
        for bound in missing:
            release = f"{bound[0]}.{bound[1]:02d}"
            probes.append(Probe(release, (_line(table[name]),), f"--{name} missing in {release} only",
                                "unknown"))
            probes.append(Probe(RELEASES[RELEASES.index(release) + 1], (_line(table[name]),),
                                f"--{name} back after {release}", "unknown"))
    return probes


def _line(spec) -> str:
    value = {"none": "", "optional": ""}.get(spec.arg, "=hosts" if spec.kind == "filename" else "=1")
    return f"#SBATCH --{spec.long}{value}"


ALL_PROBES = PROBES + _existence_probes()
