"""`--format sarif`: a SARIF 2.1.0 log (GitHub code scanning, VS Code's SARIF viewer).

One run; the driver lists every rule that ran (id = code, name, short and full
description, help as text and Markdown, default level, fix safety); each result points at
a rule by id and index, with a region in Unicode code points (`columnKind`), end column
exclusive as SARIF wants, and the fix as a SARIF `fixes` entry when it has edits. Files
that could not be read become tool execution notifications. Paths are relative URIs
(percent-encoded) against `%SRCROOT%` when under the current directory.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from cclint import REPOSITORY, __version__
from cclint.diagnostics import Severity
from cclint.output import Report, display_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = REPOSITORY
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> tuple[str, str | None]:
    if path.startswith("<"):
        return quote(path.strip("<>")), None
    shown = display_path(path)
    if os.path.isabs(shown):
        from pathlib import Path

        return Path(shown).as_uri(), None
    return quote(shown, safe="/"), "%SRCROOT%"


def _rule_entry(rule) -> dict:
    from cclint.docs import rule_markdown

    rationale = " ".join(rule.rationale.split())
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rationale},
        "help": {"text": f"{rationale}\n\nFix: {rule.fix}", "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": bool(rule.enabled_by_default)},
        "properties": {"tags": [rule.family, "slurm"], "fix-safety": rule.fix_safety},
    }


def build(report: Report) -> dict:
    from cclint.registry import find_rule

    used: dict[str, int] = {}
    rules: list[dict] = []
    results: list[dict] = []
    for result in report.results:
        for d in result.diagnostics:
            if d.code not in used:
                rule = find_rule(d.rule)
                used[d.code] = len(rules)
                rules.append(_rule_entry(rule) if rule is not None else {"id": d.code, "name": d.rule})
            uri, base = _uri(d.path)
            location = {"uri": uri}
            if base:
                location["uriBaseId"] = base
            region = {"startLine": d.line, "startColumn": d.column, "endLine": max(d.end_line, d.line),
                      "endColumn": max(d.end_column, 1)}
            if region["endLine"] == region["startLine"] and region["endColumn"] < region["startColumn"]:
                region["endColumn"] = region["startColumn"]
            line_text = result.source.line(d.line) if result.source is not None else ""
            if line_text:
                region["snippet"] = {"text": line_text}
            entry = {
                "ruleId": d.code,
                "ruleIndex": used[d.code],
                "level": _LEVEL[d.severity],
                "message": {"text": f"{d.message}\nFix: {d.fix}"},
                "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
                "partialFingerprints": {"cclint/v1": _fingerprint(d, line_text)},
                "properties": {"rule": d.rule},
            }
            fix = _fix(d, result, location)
            if fix:
                entry["fixes"] = [fix]
            results.append(entry)
    notifications = [{"level": "error", "message": {"text": r.error},
                      "descriptor": {"id": "unreadable"}} for r in report.unreadable]
    for r in report.results:
        for message in r.internal_errors:
            notifications.append({"level": "error", "message": {"text": f"{r.path}: {message}"},
                                  "descriptor": {"id": "internal-error"}})
    run = {
        "tool": {"driver": {"name": "cclint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _cwd_uri()}},
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _cwd_uri() -> str:
    from pathlib import Path

    uri = Path.cwd().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _fingerprint(d, line_text: str) -> str:
    from cclint.output.gitlab import fingerprint_base

    return fingerprint_base(d, line_text)


def _fix(d, result, location) -> dict | None:
    if d.edit is None or not d.edit.edits or result.source is None:
        return None
    source = result.source
    replacements = []
    for e in d.edit.edits:
        start_line, start_col = source.position(e.start)
        end_line, end_col = source.position(e.end)
        replacement = {"deletedRegion": {"startLine": start_line, "startColumn": start_col,
                                         "endLine": end_line, "endColumn": end_col}}
        if e.text:
            replacement["insertedContent"] = {"text": e.text}
        replacements.append(replacement)
    return {"description": {"text": f"{d.edit.title} ({d.edit.applicability} fix)"},
            "artifactChanges": [{"artifactLocation": dict(location), "replacements": replacements}]}


def render(report: Report, stream, color: bool = False) -> None:
    json.dump(build(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
