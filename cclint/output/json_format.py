"""`--format json`: one object with a schema version, every diagnostic, errors and totals.

Version 1 keys: version, cclint_version, diagnostics, errors, summary; `statistics` is
added with --statistics, `summary.fixed` and `summary.found` (findings before
the fixes) with --fix (additions only, no key changes).
"""

from __future__ import annotations

import json

from cclint import __version__
from cclint.output import Report

SCHEMA_VERSION = 1


def render(report: Report, stream, color: bool = False) -> None:
    data = {
        "version": SCHEMA_VERSION,
        "cclint_version": __version__,
        "diagnostics": [d.to_dict() for d in report.diagnostics],
        "errors": [{"path": r.path, "message": r.error} for r in report.unreadable],
        "summary": report.summary(),
    }
    if report.with_statistics:
        data["statistics"] = report.statistics()
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
