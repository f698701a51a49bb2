"""`--format concise`: one line per finding, `path:line:col: severity: message [code name]`.

The gcc-like shape editors (vim's errorformat, Emacs compile mode) read without setup.
"""

from __future__ import annotations

from cclint.output import Report, printable, statistics_table
from cclint.output.text import summary_line


def render(report: Report, stream, color: bool = False) -> None:
    if report.with_statistics:
        stream.write(statistics_table(report))
    else:
        for d in report.diagnostics:
            message = printable(d.message.replace("\n", " "))
            stream.write(f"{printable(d.path)}:{d.line}:{d.column}: {d.severity.label}: {message} "
                         f"[{d.code} {d.rule}]\n")
    stream.write(summary_line(report) + "\n")
