"""`--format gitlab`: a GitLab Code Quality report (JSON array, for `artifacts:reports:codequality`).

Fingerprints must stay the same when lines move, or every edit above a finding makes
GitLab show it as fixed and new again. So a fingerprint hashes the path, the rule, the
message (with line numbers in it blanked) and the stripped content of the finding's
source line, never its line number; identical findings are told apart by their
occurrence index in the file.
"""

from __future__ import annotations

import hashlib
import json
import re

from cclint.diagnostics import Severity
from cclint.output import Report, display_path
from cclint.patterns import lazy

_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
_LINE_NUMBERS = lazy(r"\b(lines?) \d+(?:\s*-\s*\d+)?", re.I)


def fingerprint_base(d, line_text: str) -> str:
    message = _LINE_NUMBERS.sub(r"\1 N", d.message)
    key = "\0".join((display_path(d.path), d.code, message, line_text.strip()))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def build(report: Report) -> list[dict]:
    issues = []
    for result in report.results:
        seen: dict[str, int] = {}
        for d in result.diagnostics:
            line_text = result.source.line(d.line) if result.source is not None else ""
            base = fingerprint_base(d, line_text)
            index = seen.get(base, 0)
            seen[base] = index + 1
            fingerprint = base if index == 0 else hashlib.sha256(f"{base}:{index}".encode()).hexdigest()
            issues.append({
                "type": "issue",
                "check_name": f"{d.code} {d.rule}",
                "description": f"{d.message} Fix: {d.fix}",
                "categories": ["Bug Risk"] if d.severity == Severity.ERROR else ["Style"],
                "severity": _SEVERITY[d.severity],
                "fingerprint": fingerprint,
                "location": {"path": display_path(d.path),
                             "lines": {"begin": d.line, "end": max(d.end_line, d.line)}},
                "engine_name": "cclint",
            })
    return issues


def render(report: Report, stream, color: bool = False) -> None:
    json.dump(build(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
