"""The ecosystem check (benchmarks/ecosystem.py) as a ratchet: no labelled rule may fall below
its floor in benchmarks/ecosystem/floors.tsv on ../shared/realworld's real job scripts."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("ecosystem", ROOT / "benchmarks" / "ecosystem.py")
ecosystem = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ecosystem)

REALWORLD = ecosystem.DEFAULT_REALWORLD


def _realworld_or_skip():
    if (REALWORLD / "labels.tsv").exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI: the real scripts of the ecosystem check are missing ({REALWORLD})")
    pytest.skip(f"no real scripts at {REALWORLD}: the ecosystem check needs ../shared/realworld")


def test_no_rule_below_its_floor():
    _realworld_or_skip()
    failures = ecosystem.below_floor(ecosystem.run(REALWORLD), ecosystem.read_floors())
    assert not failures, "\n".join(failures)


def test_every_labelled_rule_has_a_floor():
    _realworld_or_skip()
    labels = ecosystem.read_labels(REALWORLD)
    labelled = {r for label in labels for r in label.expected}
    assert labelled <= set(ecosystem.read_floors()), sorted(labelled - set(ecosystem.read_floors()))


def test_disagreements_name_real_files_and_rules():
    _realworld_or_skip()
    from cclint.registry import all_rules

    files = {label.file for label in ecosystem.read_labels(REALWORLD)}
    rules = {r.name for r in all_rules()}
    for (file, rule), reason in ecosystem.read_disagreements().items():
        assert file in files and rule in rules and reason.strip(), (file, rule)


def test_scoring_counts_ambiguous_and_disputed_pairs_as_neither():
    class D:
        def __init__(self, rule):
            self.rule, self.line, self.message = rule, 1, ""

    labels = [ecosystem.Label("a.sh", {"r"}, set(), ""), ecosystem.Label("b.sh", set(), {"r"}, ""),
              ecosystem.Label("c.sh", set(), set(), ""), ecosystem.Label("d.sh", {"r"}, set(), "")]
    found = {"a.sh": [D("r")], "b.sh": [D("r")], "c.sh": [D("r")], "d.sh": []}
    s = ecosystem.score(labels, found, {})["r"]
    assert (s.tp, s.fp, s.fn, s.ambiguous) == (1, 1, 1, 1)
    s = ecosystem.score(labels, found, {("c.sh", "r"): "label wrong"})["r"]
    assert (s.tp, s.fp, s.fn, s.ambiguous) == (1, 0, 1, 2)
    assert ecosystem.below_floor({"r": s}, {"r": (0.9, 0.9)})
    assert not ecosystem.below_floor({"r": s}, {"r": (0.5, 0.5)})
