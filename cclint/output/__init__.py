"""Step 5: output formats. Each module renders a `Report` (all files' results) to a stream.

Every format module has `render(report, stream, color=False)`; it is imported only when
chosen. Formats that embed text in a markup language (SARIF is JSON, JUnit is XML) escape
everything that comes from a script: a student's file may hold markup aimed at the
grader's report.
"""

from __future__ import annotations

import importlib
import os
from cclint.record import field, record

from cclint.diagnostics import Severity
from cclint.runner import FileResult

FORMATS = {
    "text": "text",  # findings with the source line, a marker and the fix (default)
    "concise": "concise",  # path:line:col: severity: message [code name]
    "json": "json_format",  # versioned JSON document
    "sarif": "sarif",  # SARIF 2.1.0 (GitHub code scanning, editors)
    "github": "github",  # GitHub Actions workflow commands (annotations)
    "gitlab": "gitlab",  # GitLab Code Quality report
    "junit": "junit",  # JUnit XML (CI test views, autograders)
}


@record
class Report:
    results: list[FileResult] = field(default_factory=list)
    fail_on: Severity | None = Severity.WARNING
    fixing: bool = False  # --fix ran: summaries say "N fixed, M remaining"
    with_statistics: bool = False  # --statistics: counts per rule instead of (text) or with findings

    @property
    def diagnostics(self):
        return [d for r in self.results for d in r.diagnostics]

    @property
    def unreadable(self) -> list[FileResult]:
        return [r for r in self.results if r.error]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def threshold(self, result: FileResult) -> Severity | None:
        """The fail-on level of one file (its configuration may set its own)."""
        return result.settings.fail_on if result.settings is not None else self.fail_on

    def failing(self, result: FileResult, diag) -> bool:
        level = self.threshold(result)
        return level is not None and diag.severity >= level

    @property
    def failed(self) -> bool:
        return any(self.failing(r, d) for r in self.results for d in r.diagnostics)

    @property
    def fixed(self) -> int:
        return sum(r.fixed for r in self.results)

    def summary(self) -> dict:
        linted = [r for r in self.results if not r.error]
        data = {
            "files": len(linted),
            "files_with_problems": sum(1 for r in linted if r.diagnostics),
            "unreadable": len(self.unreadable),
            "error": self.count(Severity.ERROR),
            "warning": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
        }
        if self.fixing:
            data["fixed"] = self.fixed
            data["found"] = sum(len(r.diagnostics) if r.found is None else r.found for r in linted)
        return data

    def statistics(self) -> list[dict]:
        """Findings per rule, most frequent first (`--statistics`)."""
        rows: dict[str, dict] = {}
        for d in self.diagnostics:
            row = rows.setdefault(d.rule, {"code": d.code, "rule": d.rule, "count": 0, "files": set(),
                                           "severity": d.severity, "fixable": 0, "fixable_safe": 0,
                                           "fixable_unsafe": 0})
            row["count"] += 1
            row["files"].add(d.path)
            row["severity"] = max(row["severity"], d.severity)
            if d.edit is not None and d.edit.applicability in ("safe", "unsafe"):
                row["fixable"] += 1
                row[f"fixable_{d.edit.applicability}"] += 1
        out = []
        for row in sorted(rows.values(), key=lambda r: (-r["count"], r["code"])):
            out.append({**row, "files": len(row["files"]), "severity": row["severity"].label})
        return out

    def fixable(self) -> tuple[int, int]:
        """(safe, unsafe): findings `--fix` and `--fix --unsafe-fixes` would change."""
        safe = sum(1 for d in self.diagnostics if d.edit is not None and d.edit.applicability == "safe")
        unsafe = sum(1 for d in self.diagnostics if d.edit is not None and d.edit.applicability == "unsafe")
        return safe, unsafe


def renderer(name: str):
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
    return importlib.import_module(f"cclint.output.{FORMATS[name]}")


def printable(text: str) -> str:
    """Text for a terminal: a control character (a line break or escape sequence in a
    student's folder name or script) shows as `?`, one for one, so markers still line up."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\t" else "?" for ch in text)


def display_path(path: str) -> str:
    """A path as CI tools want it: relative to the current directory when inside it, `/`."""
    if path.startswith("<"):
        return path
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path.replace(os.sep, "/")
        if not rel.startswith(".."):
            path = rel
    path = path.replace(os.sep, "/")
    return path[2:] if path.startswith("./") else path


def statistics_table(report: Report) -> str:
    rows = report.statistics()
    if not rows:
        return "No findings.\n"
    width = max(len(str(r["count"])) for r in rows)
    name_width = max(len(r["rule"]) for r in rows)
    lines = []
    for r in rows:
        fix = _fix_kind(r["fixable_safe"], r["fixable_unsafe"])
        lines.append(f"{r['count']:>{width}}  {r['code']}  {r['rule']:<{name_width}}  {r['severity']:<7}  "
                     f"in {r['files']} file{'s' if r['files'] != 1 else ''}{fix}")
    return "\n".join(lines) + "\n"


def _fix_kind(safe: int, unsafe: int) -> str:
    """` [fixable: safe]` (--fix applies it), ` [fixable: unsafe]` (only with --unsafe-fixes)."""
    if safe and unsafe:
        return f" [fixable: {safe} safe, {unsafe} unsafe]"
    return " [fixable: safe]" if safe else " [fixable: unsafe]" if unsafe else ""


_XML_BAD = None


def xml_safe(text: str) -> str:
    """Text XML 1.0 can hold: control characters (other than tab, LF, CR), lone
    surrogates and U+FFFE/U+FFFF become U+FFFD. (Escaping of <, & and quotes is left to
    the XML writer.)"""
    global _XML_BAD
    if _XML_BAD is None:
        import re

        _XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
    return _XML_BAD.sub("\ufffd", text)
