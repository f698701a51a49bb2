"""Findings: what a rule reports, where, how bad it is, and how to fix it."""

from __future__ import annotations

from cclint.record import Record, record
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[str(text).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Applicability:
    SAFE = "safe"  # keeps the script's meaning; applied by --fix
    UNSAFE = "unsafe"  # changes behaviour; applied by --fix --unsafe-fixes
    SUGGESTION = "suggestion"  # shown only: a human has to choose


@record(frozen=True)
class Edit:
    """Replace text[start:end] (normalised-text offsets) with `text`."""

    start: int
    end: int
    text: str


@record(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...] = ()
    applicability: str = Applicability.SAFE
    drop_bom: bool = False  # write the file without its UTF-8 byte-order mark
    to_lf: bool = False  # write \n line ends (the text is already normalised)


class Diagnostic(Record):
    """One finding (a few per script, built by `Rule.report`: a slotted class)."""

    __slots__ = ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                 "message", "fix", "edit", "offset", "extra")

    def __init__(self, path: str, line: int, column: int, end_line: int, end_column: int, code: str,
                 rule: str, severity: Severity, message: str, fix: str, edit: Fix | None = None,
                 offset: int = 0, extra: dict | None = None):
        self.path = path
        self.line, self.column = line, column
        self.end_line, self.end_column = end_line, end_column  # end column exclusive
        self.code, self.rule = code, rule
        self.severity = severity
        self.message = message
        self.fix = fix  # the suggestion shown to the student
        self.edit = edit
        self.offset = offset  # start offset in the normalised text (for fixes and suppressions)
        self.extra = extra if extra is not None else {}

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict:
        data = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix,
        }
        if self.edit is not None:
            data["fix_applicability"] = self.edit.applicability
        return data
