"""Every rule's behaviour, from its YAML case file (tests/rules/cases/<rule>.yaml).

A case gives a script and the findings of that rule expected on it (line, and optionally
column, severity and words of the message). `fixed` is the text expected after applying
the rule's fixes (`unsafe: true` includes unsafe ones); the fixed text must then no longer
trigger the finding, except on the lines listed in `remaining` (findings with no fix). `dirs` creates directories in a temporary submission directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cclint.fixer import fix_source
from cclint.runner import lint_source
from cclint.source import SourceFile
from tests.conftest import make_settings

CASES = Path(__file__).parent / "cases"


def _load():
    yaml = YAML(typ="safe", pure=True)
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.load(path.read_text("utf-8"))
        for name, case in data["cases"].items():
            yield pytest.param(data["rule"], case, id=f"{data['rule']}::{name}")


def _source(case) -> SourceFile:
    text = case["script"]
    raw = text.encode(case.get("encoding", "utf-8"))
    return SourceFile.from_bytes(case.get("path", "job.sh"), raw)


@pytest.mark.parametrize("rule,case", list(_load()))
def test_case(rule, case, tmp_path):
    options = dict(case.get("options") or {})
    for d in case.get("dirs") or []:
        (tmp_path / d).mkdir(parents=True, exist_ok=True)
    options.setdefault("submit_dir", tmp_path)
    settings = make_settings(select=[rule], **options)
    source = _source(case)
    found = [d for d in lint_source(source, settings).diagnostics if d.rule == rule]
    expected = case.get("findings") or []
    assert [d.line for d in found] == [e["line"] for e in expected], \
        [(d.line, d.message) for d in found]
    for diag, want in zip(found, expected):
        if "column" in want:
            assert diag.column == want["column"], diag
        if "severity" in want:
            assert diag.severity.label == want["severity"], diag
        for words in ([want["message"]] if isinstance(want.get("message"), str) else want.get("message", [])):
            assert words in diag.message, diag.message
        for words in ([want["fix"]] if isinstance(want.get("fix"), str) else want.get("fix", [])):
            assert words in diag.fix, diag.fix
        assert diag.fix.strip(), "every finding carries a suggested fix"
    if "fixed" in case:
        def run(src):
            result = lint_source(src, settings)
            return result.diagnostics, result.incomplete

        outcome = fix_source(source, run, unsafe=bool(case.get("unsafe")))
        assert outcome.text == case["fixed"]
        again = [d for d in lint_source(SourceFile.from_bytes("job.sh", outcome.encoded()), settings).diagnostics
                 if d.rule == rule]
        # `remaining`: lines whose finding has no fix and must stay (everything else is fixed)
        assert [d.line for d in again] == case.get("remaining", []), [(d.line, d.message) for d in again]
        assert all(d.edit is None for d in again)
