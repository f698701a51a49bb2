"""Step 5: output formats. Each module renders a `Report` (all files' results) to a stream."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from cclint.diagnostics import Severity
from cclint.runner import FileResult

FORMATS = {"text": "text", "json": "json_format"}


@dataclass
class Report:
    results: list[FileResult] = field(default_factory=list)
    fail_on: Severity | None = Severity.WARNING

    @property
    def diagnostics(self):
        return [d for r in self.results for d in r.diagnostics]

    @property
    def unreadable(self) -> list[FileResult]:
        return [r for r in self.results if r.error]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def failed(self) -> bool:
        return self.fail_on is not None and any(d.severity >= self.fail_on for d in self.diagnostics)

    def summary(self) -> dict:
        linted = [r for r in self.results if not r.error]
        return {
            "files": len(linted),
            "files_with_problems": sum(1 for r in linted if r.diagnostics),
            "unreadable": len(self.unreadable),
            "error": self.count(Severity.ERROR),
            "warning": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
        }


def renderer(name: str):
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
    return importlib.import_module(f"cclint.output.{FORMATS[name]}")
