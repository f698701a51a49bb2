"""The contract every rule keeps: metadata, documented examples that behave, case files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cclint.diagnostics import Applicability, Severity
from cclint.docs import rule_markdown
from cclint.registry import all_rules, find_rule
from tests.conftest import lint

RULES = all_rules()
CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_metadata(rule):
    assert re.fullmatch(r"CC\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert isinstance(rule.severity, Severity)
    assert rule.fix_safety in (Applicability.SAFE, Applicability.UNSAFE, Applicability.SUGGESTION)
    for attr in ("summary", "rationale", "certain_when", "silent_when", "fix", "bad", "good", "family"):
        assert getattr(rule, attr, "").strip(), f"{rule.name}.{attr} is empty"
    assert find_rule(rule.name) is rule and find_rule(rule.code) is rule
    page = rule_markdown(rule)
    assert rule.name in page and rule.fix in page and rule.bad.strip() in page
    flat = " ".join(page.split())  # the page wraps them
    assert rule.certain_when in flat and rule.silent_when in flat


def test_codes_and_names_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_bad_example_fires_and_good_example_does_not(rule, tmp_path):
    options = {"select": [rule.name], "submit_dir": tmp_path}
    if rule.example_profile != "generic":
        options["cluster"] = rule.example_profile
    bad = [d for d in lint(rule.bad, **options, **rule.example_settings) if d.rule == rule.name]
    assert bad, f"the documented bad example of {rule.name} does not trigger it"
    assert all(d.fix for d in bad)
    good_settings = rule.example_settings if rule.good_settings is None else rule.good_settings
    good = [d for d in lint(rule.good, **options, **good_settings) if d.rule == rule.name]
    assert not good, [d.message for d in good]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_case_file_has_failing_and_passing_cases(rule):
    path = CASES / f"{rule.name}.yaml"
    assert path.exists(), f"missing {path}"
    data = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
    assert data["rule"] == rule.name
    cases = data["cases"].values()
    assert any(c.get("findings") for c in cases), "no failing case"
    assert any(not c.get("findings") for c in cases), "no passing case"
    if rule.fix_safety != Applicability.SUGGESTION:
        assert any("fixed" in c for c in cases), "a fixable rule needs a case testing its fix"
