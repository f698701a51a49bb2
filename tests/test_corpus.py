"""The shared corpus contract: for every row of expected.tsv, the rule names found on the
file with the row's profile (submission directory: corpus/scripts) equal the expected set,
and each `rule:line` pair is found on that line."""

from __future__ import annotations

import csv

import pytest

from cclint.registry import all_rules
from cclint.runner import lint_path
from tests.conftest import CORPUS, make_settings

ROWS = list(csv.DictReader(open(CORPUS / "expected.tsv", encoding="utf-8"), delimiter="\t",
                           quoting=csv.QUOTE_NONE))
KNOWN = {r.name for r in all_rules()}


def _id(row):
    return f"{row['file'].split('/')[-1]}[{row['cluster']}]"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_expected_findings(row):
    options = {"submit_dir": CORPUS / "scripts"}
    if row["cluster"] != "generic":
        options["cluster"] = row["cluster"]
    result = lint_path(str(CORPUS / row["file"]), make_settings(**options))
    assert result.error is None
    found = {d.rule for d in result.diagnostics}
    expected = {name for name in row["expected"].split(",") if name}
    assert found == expected, f"missing {sorted(expected - found)}, extra {sorted(found - expected)}"
    for pair in filter(None, row["lines"].split(",")):
        rule, line = pair.split(":")
        lines = sorted(d.line for d in result.diagnostics if d.rule == rule)
        assert int(line) in lines, f"{rule} expected on line {line}, found on {lines}"


def test_every_expected_rule_exists():
    named = {n for row in ROWS for n in row["expected"].split(",") if n}
    assert named <= KNOWN, sorted(named - KNOWN)
