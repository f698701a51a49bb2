"""A suggested fix must not trip cclint's own rules when a student pastes it.

Every fix text (each rule's own, and the fix of every finding of every YAML case) is cut into
its `code` snippets. A header snippet (`#SBATCH ...` or `--option=value`) pasted into a
header must raise no finding of the rules that judge a value on its own, except that a `<...>` part, the one form meant for the
reader to replace, must be reported by placeholder-value (the linter treats it
consistently). A command snippet must not hold template text either.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cclint.registry import all_rules
from tests.conftest import lint

CASES = Path(__file__).parent / "cases"
_SNIPPET = re.compile(r"`([^`]+)`")
# the header rules that judge a value on its own (others need the rest of the header)
_HEADER_RULES = ["placeholder-value", "invalid-option-value", "unknown-option", "variable-in-directive",
                 "malformed-directive"]


def _fix_texts() -> dict[str, set[str]]:
    """Fix text -> the rules that gave it (class attribute, or a finding of a YAML case)."""
    texts: dict[str, set[str]] = {}
    for rule in all_rules():
        texts.setdefault(rule.fix, set()).add(rule.name)
    yaml = YAML(typ="safe", pure=True)
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.load(path.read_text("utf-8"))
        for case in data["cases"].values():
            options = {k: v for k, v in (case.get("options") or {}).items() if k in ("cluster", "slurm_version")}
            for d in lint(case["script"], select=[data["rule"]], **options):
                texts.setdefault(d.fix, set()).add(d.rule)
    return texts


FIX_TEXTS = _fix_texts()
HEADER = sorted({(s, r) for text, rules in FIX_TEXTS.items() for s in _SNIPPET.findall(text)
                 for r in rules if s.startswith("#SBATCH ") or re.match(r"--[a-z-]+=\S", s)})
BODY = sorted({(s, r) for text, rules in FIX_TEXTS.items() for s in _SNIPPET.findall(text) for r in rules
               if re.match(r"(cp|rsync|mv|tar|cd|mkdir) ", s)})


def test_snippets_were_found():
    assert len(HEADER) > 10 and len(BODY) >= 2


@pytest.mark.parametrize("snippet,rule", HEADER, ids=[f"{r}:{s}" for s, r in HEADER])
def test_header_snippet_of_a_fix_is_clean_or_a_marked_placeholder(snippet, rule):
    line = snippet if snippet.startswith("#SBATCH ") else f"#SBATCH {snippet}"
    found = lint(f"#!/bin/bash\n{line}\necho done\n", select=_HEADER_RULES)
    rules = {d.rule for d in found}
    if re.search(r"<[^<>]+>", snippet):
        assert rules == {"placeholder-value"}, [(d.rule, d.message) for d in found]
    else:
        assert not rules, [(d.rule, d.message) for d in found]


@pytest.mark.parametrize("snippet,rule", BODY, ids=[f"{r}:{s}" for s, r in BODY])
def test_command_snippet_of_a_fix_holds_no_template_text(snippet, rule):
    found = lint(f"#!/bin/bash\n#SBATCH --time=01:00:00\n{snippet}\n", select=["placeholder-value"])
    assert not found and "<" not in snippet, [d.message for d in found]
