"""`--format text` (default): each finding with its source line, a marker and the fix."""

from __future__ import annotations

from cclint.diagnostics import Diagnostic, Severity
from cclint.output import Report, printable, statistics_table

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


class _Paint:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text


def render(report: Report, stream, color: bool = False) -> None:
    paint = _Paint(color)
    if report.with_statistics:
        stream.write(statistics_table(report))
        stream.write(_summary(report, paint))
        return
    render_findings(report, stream, color)
    stream.write(_summary(report, paint))


def render_findings(report: Report, stream, color: bool = False) -> None:
    """The findings alone, with no summary (`cclint sbatch`)."""
    paint = _Paint(color)
    for result in report.results:
        if result.error:
            continue
        lines = result.source.text.split("\n") if result.source is not None else []
        for diag in result.diagnostics:
            # a finding on sbatch's command line or environment shows that text instead
            outside = diag.extra.get("outside") if diag.path != result.path else None
            stream.write(_finding(diag, lines if outside is None else outside.split("\n"), paint))


def _finding(diag: Diagnostic, lines: list[str], paint: _Paint) -> str:
    sev = diag.severity
    head = (f"{paint(f'{printable(diag.path)}:{diag.line}:{diag.column}', '1')}: "
            f"{paint(sev.label, _COLORS[sev] + ';1')} {paint(diag.code, '1')} "
            f"{paint(diag.rule, _COLORS[sev])}: {printable(diag.message)}\n")
    out = [head]
    found = excerpt(diag, lines)
    if found is not None:
        shown, prefix, width = found
        gutter = " " * len(str(diag.line))
        out.append(f" {gutter} |\n")
        out.append(f" {paint(str(diag.line), '34')} | {printable(shown)}\n")
        out.append(f" {gutter} | {prefix}{paint('^' * width, _COLORS[sev])}\n")
    else:
        gutter = " "
    fix = diag.fix.replace("\r", "").split("\n")  # continuation lines stay inside the gutter
    out.append(f" {gutter} = {paint('fix', '32;1')}: {printable(fix[0])}\n")
    out.extend(f" {gutter} |      {printable(line)}\n" for line in fix[1:])
    out.append("\n")
    return "".join(out)


_EXCERPT = 200  # longest source line shown whole


def excerpt(diag: Diagnostic, lines: list[str]) -> tuple[str, str, int] | None:
    """The finding's source line (cut around the span when long), the blanks before the
    marker (tabs kept, so it lines up) and the marker's width; None if there is no line."""
    if not 1 <= diag.line <= len(lines):
        return None
    text = lines[diag.line - 1].replace("\r", "")
    end = diag.end_column if diag.end_line == diag.line else len(text) + 1
    start = min(diag.column, len(text) + 1)
    shown, column, width = _excerpt(text, start - 1, max(1, min(end, len(text) + 1) - start))
    return shown, "".join(ch if ch == "\t" else " " for ch in shown[:column]), width


def _excerpt(text: str, start: int, width: int) -> tuple[str, int, int]:
    """The part of a source line to show, and where the marker goes in it: a long line is
    cut to a window around the span (so the work per finding does not grow with the line)."""
    if len(text) <= _EXCERPT:
        return text, start, width
    left = max(0, min(start - 40, len(text) - _EXCERPT))
    window = text[left:left + _EXCERPT]
    lead = "..." if left else ""
    tail = "..." if left + _EXCERPT < len(text) else ""
    width = max(1, min(width, _EXCERPT - (start - left)))
    return lead + window + tail, len(lead) + start - left, width


def _summary(report: Report, paint: _Paint) -> str:
    line = summary_line(report)
    if line.startswith("All checks passed"):
        line = paint(line, "32;1")
    hint = _fix_hint(report)
    return line + "\n" + (hint + "\n" if hint else "")


def summary_line(report: Report) -> str:
    """`Found 3 problems (1 error, 2 warnings) in 2 of 5 files.`; after --fix, `Found N
    problems in 1 file (F fixed, R remaining...)`, where the counts add up. A path that
    could not be linted comes first: it is the failure."""
    s = report.summary()
    files = f"{s['files']} file{'s' if s['files'] != 1 else ''}"
    total = s["error"] + s["warning"] + s["info"]
    parts = [f"{s[k]} {k if k == 'info' else k + ('s' if s[k] != 1 else '')}"
             for k in ("error", "warning", "info") if s[k]]
    if report.fixing and s["fixed"]:
        found, fixed = s["found"], s["fixed"]
        # a fix can raise a finding (or clear one it did not target): say so, so the sum holds
        new = fixed + total - found
        change = (f", {new} of them raised by the fixes" if new > 0
                  else f", {-new} more cleared by the fixes" if new < 0 else "")
        detail = f": {', '.join(parts)}" if parts else ""
        line = (f"Found {found} problem{'s' if found != 1 else ''} in {files} "
                f"({fixed} fixed, {total} remaining{detail}{change}).")
    elif not total:
        line = f"All checks passed: {files}, no problems found."
    else:
        line = (f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in "
                f"{s['files_with_problems']} of {files}.")
    if not s["unreadable"]:
        return line
    # (a missing or binary file, a folder with no job script, a broken configuration: the
    # reason is on standard error, one line each)
    lead = f"{s['unreadable']} path{'s' if s['unreadable'] != 1 else ''} could not be linted (see above)"
    if not s["files"]:
        return f"{lead}: nothing was linted."
    if not total and not (report.fixing and s["fixed"]):
        return f"{lead}; no problems found in the {files} linted."
    return f"{lead}; {line[0].lower()}{line[1:]}"


def _fix_hint(report: Report) -> str:
    if report.fixing:
        return ""
    safe, unsafe = report.fixable()
    if not safe and not unsafe:
        return ""
    parts = []
    if safe:
        parts.append(f"{safe} fixable with `cclint --fix`")
    if unsafe:
        parts.append(f"{unsafe} {'more' if safe else 'fixable'} with `{'' if safe else 'cclint '}--fix "
                     "--unsafe-fixes` (check them: they change what the job does)")
    return "[*] " + "; ".join(parts) + "."
