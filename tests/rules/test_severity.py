"""Findings whose evidence differs get their own severity, and a profile's severity for a
rule still governs them: it lowers partial and certain findings alike, and a rule it raises
keeps its partial findings at warning."""

from __future__ import annotations

import pytest

from tests.conftest import lint

SCRIPT = ("#!/bin/bash\n#SBATCH --account=def-xxx\n#SBATCH --job-name={exp_name}\n"
          "#SBATCH -partition=gpu\n#SBATCH -output=x.out\npython x.py\n")


def _severities(tmp_path, severity: str | None) -> dict[tuple[str, int], str]:
    cluster = None
    if severity is not None:
        path = tmp_path / "course.yaml"
        path.write_text(f"extends: generic\nseverity:\n  placeholder-value: {severity}\n"
                        f"  misleading-value: {severity}\n", encoding="utf-8")
        cluster = str(path)
    found = lint(SCRIPT, select=["placeholder-value", "misleading-value"], cluster=cluster)
    return {(d.rule, d.line): d.severity.label for d in found}


@pytest.mark.parametrize("severity,expected", [
    # certain (an account the controller refuses, a partition that cannot exist) / partial
    (None, ["error", "warning", "error", "warning"]),
    ("info", ["info", "info", "info", "info"]),
    ("warning", ["warning", "warning", "warning", "warning"]),
    ("error", ["error", "warning", "error", "error"]),
])
def test_profile_severity_governs_findings_of_each_evidence(tmp_path, severity, expected):
    found = _severities(tmp_path, severity)
    assert [found[("placeholder-value", 2)], found[("placeholder-value", 3)],
            found[("misleading-value", 4)], found[("misleading-value", 5)]] == expected
