"""`--format github`: GitHub Actions workflow commands, shown as annotations on the diff.

    ::error file=job.sh,line=3,col=9,endLine=3,endColumn=21,title=CC201 multi-gpu-request::message

Chosen automatically when GITHUB_ACTIONS=true and no --format is given. Escaping follows
the runner's rules: in the message `%`, CR and LF become %25, %0D, %0A; in property values
`:` and `,` also become %3A and %2C. So nothing from a script can end the command early
or start a new one (a message never contains a raw line break). info findings are
`notice` annotations.
"""

from __future__ import annotations

from cclint.diagnostics import Severity
from cclint.output import Report, display_path, statistics_table

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(d) -> str:
    props = [("file", display_path(d.path)), ("line", str(d.line)), ("col", str(d.column))]
    if d.end_line >= d.line:
        props.append(("endLine", str(d.end_line)))
        if d.end_line > d.line or d.end_column > d.column:
            props.append(("endColumn", str(d.end_column)))
    props.append(("title", f"{d.code} {d.rule}"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{_LEVEL[d.severity]} {head}::{escape_data(d.message + chr(10) + 'Fix: ' + d.fix)}\n"


def render(report: Report, stream, color: bool = False) -> None:
    for d in report.diagnostics:
        stream.write(command(d))
    for r in report.unreadable:
        stream.write(f"::error title=cclint::{escape_data(r.error or '')}\n")
    if report.with_statistics:
        stream.write(statistics_table(report))
    from cclint.output.text import summary_line

    stream.write(summary_line(report) + "\n")
