"""The ecosystem check: cclint on real job scripts written by other people, scored per rule.

Like ruff's ecosystem check, it measures what a rule does on scripts nobody here wrote:
../shared/realworld holds 258 public job scripts and an analyst's labels (which rules should
fire on each file, and which are ambiguous). This script lints every file the way
`cclint FILE` does from inside `scripts/` (generic profile, no configuration file) and
prints, per labelled rule, TP/FP/FN, precision and recall, then each disagreement with the
finding's message.

Labels are judgements. Where we are sure one is wrong, `ecosystem/disagreements.tsv` says
so (file, rule, reason) and the pair is scored as ambiguous: neither way. The floors in
`ecosystem/floors.tsv` only go up (`--update-floors` raises them to today's figures);
`--check` (and tests/test_ecosystem.py) fails when a rule falls below its floor.

    python benchmarks/ecosystem.py                  # the table and every disagreement
    python benchmarks/ecosystem.py --rule untarred-dataset --show fp
    python benchmarks/ecosystem.py --check          # exit 1 below a floor
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_REALWORLD = ROOT.parent / "shared" / "realworld"
DISAGREEMENTS = HERE / "ecosystem" / "disagreements.tsv"
FLOORS = HERE / "ecosystem" / "floors.tsv"


class Label:
    __slots__ = ("file", "expected", "ambiguous", "notes")

    def __init__(self, file: str, expected: set[str], ambiguous: set[str], notes: str):
        self.file, self.expected, self.ambiguous, self.notes = file, expected, ambiguous, notes


def _names(cell: str) -> set[str]:
    return {n.strip() for n in cell.split(",") if n.strip()}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_labels(realworld: Path) -> list[Label]:
    return [Label(r["file"], _names(r.get("expected_rules") or ""), _names(r.get("ambiguous") or ""),
                  r.get("notes") or "") for r in _rows(realworld / "labels.tsv")]


def read_disagreements(path: Path = DISAGREEMENTS) -> dict[tuple[str, str], str]:
    """(file, rule) -> why we believe the label is wrong: scored as ambiguous."""
    if not path.exists():
        return {}
    return {(r["file"], r["rule"]): r["reason"] for r in _rows(path)}


def read_floors(path: Path = FLOORS) -> dict[str, tuple[float, float]]:
    if not path.exists():
        return {}
    return {r["rule"]: (float(r["precision"]), float(r["recall"])) for r in _rows(path)}


def lint_all(realworld: Path, labels: list[Label]) -> dict[str, list]:
    """file -> its diagnostics, linted as `cclint FILE` from inside scripts/ would."""
    sys.path.insert(0, str(ROOT))
    from cclint.runner import lint_path
    from cclint.settings import Settings

    scripts = realworld / "scripts"
    settings = Settings(submit_dir=scripts)
    found: dict[str, list] = {}
    cwd = os.getcwd()
    os.chdir(scripts)  # relative paths in scripts are relative to the submission directory
    try:
        for label in labels:
            result = lint_path(label.file, settings)
            found[label.file] = [] if result.error else result.diagnostics
    finally:
        os.chdir(cwd)
    return found


class Score:
    __slots__ = ("tp", "fp", "fn", "ambiguous", "fps", "fns")

    def __init__(self):
        self.tp = self.fp = self.fn = self.ambiguous = 0
        self.fps: list[tuple[str, list]] = []  # (file, the rule's findings there)
        self.fns: list[str] = []

    @property
    def labelled(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(labels: list[Label], found: dict[str, list],
          disagreements: dict[tuple[str, str], str]) -> dict[str, Score]:
    rules = sorted({r for label in labels for r in label.expected | label.ambiguous})
    scores = {r: Score() for r in rules}
    for label in labels:
        by_rule = defaultdict(list)
        for diag in found[label.file]:
            by_rule[diag.rule].append(diag)
        for rule, s in scores.items():
            if rule in label.ambiguous or (label.file, rule) in disagreements:
                s.ambiguous += 1
                continue
            want, got = rule in label.expected, rule in by_rule
            if want and got:
                s.tp += 1
            elif got:
                s.fp += 1
                s.fps.append((label.file, by_rule[rule]))
            elif want:
                s.fn += 1
                s.fns.append(label.file)
    return scores


def below_floor(scores: dict[str, Score], floors: dict[str, tuple[float, float]]) -> list[str]:
    out = []
    for rule, (p_min, r_min) in sorted(floors.items()):
        s = scores.get(rule)
        if s is None:
            out.append(f"{rule}: has a floor but no label any more")
            continue
        if round(s.precision, 3) < p_min or round(s.recall, 3) < r_min:
            out.append(f"{rule}: precision {s.precision:.3f} (floor {p_min:.3f}), "
                       f"recall {s.recall:.3f} (floor {r_min:.3f})")
    return out


def write_floors(scores: dict[str, Score], floors: dict[str, tuple[float, float]], path: Path = FLOORS):
    """Ratchet: a floor rises to today's figure and never goes down."""
    rows = []
    for rule, s in sorted(scores.items()):
        p_old, r_old = floors.get(rule, (0.0, 0.0))
        rows.append(f"{rule}\t{max(p_old, _down(s.precision)):.3f}\t{max(r_old, _down(s.recall)):.3f}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Per-rule floors of benchmarks/ecosystem.py (only ever raised: --update-floors)\n"
                    "rule\tprecision\trecall\n" + "".join(rows), encoding="utf-8")


def _down(x: float) -> float:
    return int(x * 1000) / 1000


def report(scores: dict[str, Score], labels: list[Label], show: set[str], only: str | None) -> str:
    notes = {label.file: label.notes for label in labels}
    out = [f"{'rule':<28} {'files':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'amb':>4} {'precision':>9} {'recall':>7}"]
    for rule, s in sorted(scores.items()):
        if only and rule != only:
            continue
        flag = "" if s.precision >= 0.97 and s.recall >= 0.95 else "  <"
        out.append(f"{rule:<28} {s.labelled:>5} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.ambiguous:>4} "
                   f"{s.precision:>9.2f} {s.recall:>7.2f}{flag}")
    for rule, s in sorted(scores.items()):
        if only and rule != only:
            continue
        if "fp" in show:
            for file, diags in s.fps:
                for d in diags:
                    out.append(f"FP {rule} {file}:{d.line}: {d.message}")
        if "fn" in show:
            for file in s.fns:
                note = f"  ({notes[file]})" if notes.get(file) else ""
                out.append(f"FN {rule} {file}{note}")
    return "\n".join(out)


def run(realworld: Path = DEFAULT_REALWORLD) -> dict[str, Score]:
    labels = read_labels(realworld)
    return score(labels, lint_all(realworld, labels), read_disagreements())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--realworld", type=Path, default=DEFAULT_REALWORLD, help="the labelled scripts")
    ap.add_argument("--rule", help="only this rule")
    ap.add_argument("--show", default="fp,fn", help="disagreements to list: fp, fn, both (fp,fn) or none")
    ap.add_argument("--check", action="store_true", help="exit 1 if a rule is below its floor")
    ap.add_argument("--update-floors", action="store_true", help="raise the floors to today's figures")
    args = ap.parse_args(argv)
    if not (args.realworld / "labels.tsv").exists():
        print(f"ecosystem: no labels at {args.realworld}/labels.tsv", file=sys.stderr)
        return 2
    labels = read_labels(args.realworld)
    scores = score(labels, lint_all(args.realworld, labels), read_disagreements())
    print(report(scores, labels, set(args.show.split(",")), args.rule))
    floors = read_floors()
    if args.update_floors:
        write_floors(scores, floors)
        print(f"floors written to {FLOORS.relative_to(ROOT)}")
    failures = below_floor(scores, floors)
    for line in failures:
        print("below floor: " + line)
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
