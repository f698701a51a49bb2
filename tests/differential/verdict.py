"""cclint's side of the differential tests: what it says of a script, told a release and the
profile of the oracles' slurm.conf (oracle.SLURM_CONF)."""

from __future__ import annotations

from pathlib import Path

from cclint.analysis.directives import REJECTED
from cclint.diagnostics import Diagnostic
from cclint.profile import GresPolicy, Profile
from cclint.runner import lint_source
from cclint.settings import Settings
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile

HEADER_RULES = frozenset({"unknown-option", "invalid-option-value", "conflicting-options",
                          "pbs-directive", "missing-shebang", "crlf-line-endings"})

# The test slurm.conf (oracle.SLURM_CONF) as a cclint profile: GresTypes=gpu; the default
# CpuFreqGovernors (OnDemand,Performance,UserSpace, the same in every release); no CpuFreqDef,
# no SelectTypeParameters=MULTIPLE_SHARING_GRES_PJ, no SlurmctldParameters=enable_stepmgr.
SITE = {"gres": GresPolicy(("gpu",), complete=True),
        "data": {"cpu_freq_governors": ["ondemand", "performance", "userspace"], "cpu_freq_def": False,
                 "multiple_sharing_gres": False, "stepmgr": False}}


def cclint_findings(text: str, version: SlurmVersion, workdir: Path) -> list[Diagnostic]:
    profile = Profile(name="differential", slurm_version=version, **SITE)
    settings = Settings(select=HEADER_RULES, slurm_version=version, profile=profile,
                        submit_dir=workdir)
    result = lint_source(SourceFile.from_bytes("job.sh", text.encode("utf-8")), settings)
    assert not result.internal_errors, result.internal_errors
    return result.diagnostics


def cclint_rejects(text: str, version: SlurmVersion, workdir: Path) -> list[str]:
    """The messages of cclint's findings that say sbatch refuses the script."""
    return [f"{d.rule}: {d.message}" for d in cclint_findings(text, version, workdir)
            if d.rule in ("missing-shebang", "crlf-line-endings") or d.extra.get(REJECTED) == "sbatch"]
