"""cclint's verdict on the header against real sbatch clients', script by script, per release.

Every release available (oracle.py: Debian's 22.05, and 24.11.7 and 25.11.7 built from
source) runs `sbatch --test-only` with a throw-away slurm.conf and a stand-in controller:
it parses and checks the directives on the client, then its request is dropped. "Accepted"
means it got as far as sending the request. cclint, told `--slurm-version` of that release
and the profile of that slurm.conf (SITE), says "rejected" when one of its findings is
marked as refused by sbatch itself (`Diagnostic.extra['rejected_by'] == 'sbatch'`);
findings about what the controller would refuse (job arrays, dependencies, GRES types) are
not part of the comparison, since sbatch never sends the job here.

Environment-dependent cases are not generated (EXCLUDED below): `--clusters` (asks
slurmdbd), `--uid`/`--gid` (depend on who runs sbatch and on the local user database), and
missing files named by `--nodefile`, `--bbf`, `--export-file` or a `--nodelist` containing
`/` (sbatch reads them; cclint does not look). FINDINGS.md lists what the clients showed
that slurm-facts.md does not say, how cclint models it by release, and each remaining
difference (KNOWN_DIFFERENCES) with its reason.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from cclint.slurm_version import SlurmVersion
from tests.differential import cases
from tests.differential.verdict import cclint_rejects

# Where a client and cclint (told that release) may legitimately disagree, per release
# ("major.minor"): (pattern matched against the script text, reason). Each is in FINDINGS.md.
KNOWN_DIFFERENCES: dict[str, list[tuple[str, str]]] = {}

EXCLUDED = re.compile(r"--(clusters?|uid|gid)\b|-M |--(nodefile|bbf|export-file)=/nonexistent"
                      r"|--(nodelist|exclude)=/")


def _known(text: str, version: SlurmVersion) -> str | None:
    for pattern, reason in KNOWN_DIFFERENCES.get(f"{version.major}.{version.minor:02d}", []):
        if re.search(pattern, text):
            return reason
    return None


def test_cclint_agrees_with_sbatch(oracle, installed_version):
    scripts = {name: text for name, text in cases.generate().items() if not EXCLUDED.search(text)}
    assert len(scripts) >= 2000
    started = time.monotonic()
    outcomes = oracle.run_many(scripts)
    ran = time.monotonic() - started
    disagreements, explained = [], 0
    for name, text in scripts.items():
        outcome = outcomes[name]
        found = cclint_rejects(text, installed_version, oracle.workdir)
        if bool(found) == (not outcome.accepted):
            continue
        if _known(text, installed_version) is not None:
            explained += 1
            continue
        said = (outcome.stderr + outcome.stdout).strip().replace("\n", " | ")[:200]
        disagreements.append(f"{name}: sbatch {'accepts' if outcome.accepted else 'rejects'} "
                             f"({said}); cclint {'rejects: ' + found[0] if found else 'accepts'}"
                             f"\n    {text.splitlines()[1:-1]}")
    elapsed = time.monotonic() - started
    rejected = sum(not o.accepted for o in outcomes.values())
    print(f"\nsbatch {installed_version}: {len(scripts)} scripts, sbatch rejects {rejected}, "
          f"{len(disagreements)} disagreements, {explained} explained (FINDINGS.md); "
          f"sbatch {ran:.1f} s, in all {elapsed:.1f} s")
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
