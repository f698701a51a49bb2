"""The release boundaries in cclint's data (boundaries.py), checked against every oracle.

For each probe, cclint told the release just before the boundary and cclint told the
boundary release must disagree (or the probe does not probe it); each oracle must then agree
with cclint told its own release, which also says on which side of the boundary it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from cclint.analysis.directives import REJECTED
from cclint.header.options import _SINCE
from cclint.slurm_version import SlurmVersion
from tests.differential.boundaries import ALL_PROBES, Probe
from tests.differential.oracle import REPO, Outcome
from tests.differential.verdict import cclint_findings, cclint_rejects

_BOUNDARY = re.compile(r"(?:newer\([\w.]+, |at_least\(|major_minor >= \()(\d+), (\d+)\)")


def _cclint(probe: Probe, version: SlurmVersion, workdir: Path) -> bool:
    if probe.kind == "unknown":  # not an abbreviation (a warning): an option sbatch does not know
        return any(d.rule == "unknown-option" and d.extra.get(REJECTED) == "sbatch"
                   for d in cclint_findings(probe.script(), version, workdir))
    return bool(cclint_rejects(probe.script(), version, workdir))


def _oracle(probe: Probe, outcome: Outcome) -> bool:
    if probe.kind == "unknown":
        return "unrecognized option" in outcome.stderr
    return not outcome.accepted


def test_every_probe_crosses_its_boundary(tmp_path):
    for probe in ALL_PROBES:
        old = _cclint(probe, probe.before(), tmp_path)
        new = _cclint(probe, SlurmVersion.parse(probe.boundary), tmp_path)
        assert old != new, f"{probe.what} ({probe.boundary}): cclint says the same on both sides"


def test_every_boundary_in_the_code_has_a_probe():
    found = set()
    for path in (REPO / "cclint" / "header").glob("*.py"):
        found |= {f"{int(a)}.{int(b):02d}" for a, b in _BOUNDARY.findall(path.read_text())}
    probed = {p.boundary for p in ALL_PROBES}
    assert found and found <= probed, f"boundaries without a probe: {sorted(found - probed)}"


def test_option_notes_name_the_same_release():
    """sbatch-options.tsv says "since X" where options.py's table says X."""
    rows = [line.split("\t") for line in (REPO / "cclint" / "data" / "sbatch-options.tsv").read_text().splitlines()
            if line and not line.startswith(("#", "long\t"))]
    noted = {row[0]: match.group(1) for row in rows if (match := re.search(r"\b(?:since|Only in) (\d\d\.\d\d)", row[4]))}
    table = {name: f"{a}.{b:02d}" for name, (a, b) in _SINCE.items()}
    assert noted == table


def test_boundaries_against_the_oracle(oracle, installed_version):
    scripts = {f"probe{k:03d}.sh": p.script() for k, p in enumerate(ALL_PROBES)}
    outcomes = oracle.run_many(scripts)
    wrong, sides = [], []
    for k, probe in enumerate(ALL_PROBES):
        outcome = outcomes[f"probe{k:03d}.sh"]
        seen = _oracle(probe, outcome)
        if seen != _cclint(probe, installed_version, oracle.workdir):
            wrong.append(f"{probe.what} ({probe.boundary}): sbatch {installed_version} "
                         f"{'refuses' if seen else 'accepts'}: {outcome.stderr.strip()[:160]}")
        else:
            old = seen == _cclint(probe, probe.before(), oracle.workdir)
            sides.append(f"  {probe.boundary} {probe.what}: {'old' if old else 'new'} side")
    print(f"\nsbatch {installed_version}:\n" + "\n".join(sides))
    assert not wrong, "\n".join(wrong)
