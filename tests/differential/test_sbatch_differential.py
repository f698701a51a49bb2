"""cclint's verdict on the header against the real sbatch's, script by script.

sbatch (from Debian's slurm-client) runs with `--test-only` and a throw-away slurm.conf whose
controller does not exist (see oracle.py): it parses and checks the directives on the
client, then fails to connect. "Accepted" means it got as far as trying to connect. cclint
says "rejected" when one of its findings is marked as refused by sbatch itself
(`Diagnostic.extra['rejected_by'] == 'sbatch'`); findings about what the controller would
refuse (job arrays, dependencies) are not part of the comparison, since sbatch never sends
the job here.

Environment-dependent cases are not generated (EXCLUDED below): `--clusters` (asks
slurmdbd), `--uid`/`--gid` (depend on who runs sbatch and on the local user database), and
missing files named by `--nodefile`, `--bbf`, `--export-file` or a `--nodelist` containing
`/` (sbatch reads them; cclint does not look). FINDINGS.md lists what sbatch 22.05 showed
that slurm-facts.md does not say, and how cclint models it by release.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from cclint.analysis.directives import REJECTED
from cclint.profile import Profile
from cclint.runner import lint_source
from cclint.settings import Settings
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile
from tests.differential import cases
from tests.differential.oracle import SBATCH, Oracle

pytestmark = pytest.mark.skipif(SBATCH is None, reason="sbatch is not installed (apt-get install "
                                "slurm-client); the differential tests against it are skipped")

HEADER_RULES = frozenset({"unknown-option", "invalid-option-value", "conflicting-options",
                          "pbs-directive", "missing-shebang", "crlf-line-endings"})

# Where sbatch 22.05 and cclint (told the target is 22.05) may legitimately disagree:
# (pattern matched against the script text, reason). Empty: every 22.05-vs-newer difference
# found is modelled by release in cclint (FINDINGS.md), so 22.05 semantics match exactly.
KNOWN_DIFFERENCES: list[tuple[str, str]] = []

EXCLUDED = re.compile(r"--(clusters?|uid|gid)\b|-M |--(nodefile|bbf|export-file)=/nonexistent"
                      r"|--(nodelist|exclude)=/")
# slurm.conf facts cclint is told through the profile: GresTypes=gpu, and the default
# CpuFreqGovernors of 22.05 (OnDemand,Performance,UserSpace).


@pytest.fixture(scope="module")
def installed_version(oracle) -> SlurmVersion:
    text = oracle.version()
    match = re.search(r"(\d+\.\d+)(?:\.\d+)?", text)
    assert match, text
    return SlurmVersion.parse(match.group(0))


@pytest.fixture(scope="module")
def oracle(tmp_path_factory) -> Oracle:
    workdir = tmp_path_factory.mktemp("sbatch")
    (workdir / "hosts").write_text("node1\n")
    return Oracle(workdir)


def cclint_rejects(text: str, version: SlurmVersion, workdir: Path) -> list[str]:
    """The messages of cclint's findings that say sbatch refuses the script."""
    profile = Profile(name="differential", slurm_version=version,
                      data={"gres_types": ["gpu"],
                            "cpu_freq_governors": ["ondemand", "performance", "userspace"]})
    settings = Settings(select=HEADER_RULES, slurm_version=version, profile=profile,
                        submit_dir=workdir)
    result = lint_source(SourceFile.from_bytes("job.sh", text.encode("utf-8")), settings)
    assert not result.internal_errors, result.internal_errors
    return [f"{d.rule}: {d.message}" for d in result.diagnostics
            if d.rule in ("missing-shebang", "crlf-line-endings") or d.extra.get(REJECTED) == "sbatch"]


def _known(text: str) -> str | None:
    for pattern, reason in KNOWN_DIFFERENCES:
        if re.search(pattern, text):
            return reason
    return None


def test_cclint_agrees_with_sbatch(oracle, installed_version):
    scripts = {name: text for name, text in cases.generate().items() if not EXCLUDED.search(text)}
    assert len(scripts) >= 2000
    started = time.monotonic()
    outcomes = oracle.run_many(scripts)
    disagreements = []
    for name, text in scripts.items():
        outcome = outcomes[name]
        found = cclint_rejects(text, installed_version, oracle.workdir)
        if bool(found) != (not outcome.accepted) and _known(text) is None:
            said = (outcome.stderr + outcome.stdout).strip().replace("\n", " | ")[:200]
            disagreements.append(f"{name}: sbatch {'accepts' if outcome.accepted else 'rejects'} "
                                 f"({said}); cclint {'rejects: ' + found[0] if found else 'accepts'}"
                                 f"\n    {text.splitlines()[1:-1]}")
    elapsed = time.monotonic() - started
    rejected = sum(not o.accepted for o in outcomes.values())
    print(f"\n{len(scripts)} scripts, sbatch rejects {rejected}, {len(disagreements)} disagreements, "
          f"{elapsed:.1f} s")
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(disagreements[:400])


def test_corpus_claim(oracle, installed_version):
    """The corpus README: sbatch rejects exactly the files expected to get missing-shebang,
    crlf-line-endings, unknown-option (except the `--tasks` abbreviation), invalid-option-value
    or conflicting-options, and accepts all the others."""
    import csv

    from tests.conftest import CORPUS

    rows = list(csv.DictReader(open(CORPUS / "expected.tsv", encoding="utf-8"), delimiter="\t",
                               quoting=csv.QUOTE_NONE))
    refusing = {"missing-shebang", "crlf-line-endings", "unknown-option", "invalid-option-value",
                "conflicting-options"}
    files = {}
    for row in rows:
        expected = set(filter(None, row["expected"].split(",")))
        claim = bool(expected & refusing) and row["file"] != "scripts/abbreviated_tasks_option.sh"
        files[row["file"]] = claim
    raw = {Path(f).name: (CORPUS / f).read_bytes() for f in files}
    outcomes = oracle.run_many(raw)
    wrong = []
    for f, claim in files.items():
        name = Path(f).name
        outcome = outcomes[name]
        ours = bool(cclint_rejects(raw[name].decode("utf-8", "replace"), installed_version, oracle.workdir))
        if claim != (not outcome.accepted) or ours != claim:
            wrong.append(f"{f}: README says {'rejected' if claim else 'accepted'}, sbatch "
                         f"{'accepts' if outcome.accepted else 'rejects'} ({outcome.stderr.strip()[:120]}), "
                         f"cclint {'rejects' if ours else 'accepts'}")
    assert not wrong, "\n".join(wrong)
