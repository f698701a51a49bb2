"""Course grading: `cclint --report submissions/` (one sub-folder per student).

Every job script under the folder is linted as usual; the results are grouped by
submission (the first folder below the root; a loose file at the root is a submission of
its own). Each submission has its errors, warnings and problems (rule names, most severe
and most frequent first); a submission with no job script, or a script that cannot be
read, is an error of the report (never a silent pass). The class statistics count the
submissions that have each problem, and name the clean ones.

Rendered as text (at most 100 columns), Markdown (for a CI job summary:
`>> $GITHUB_STEP_SUMMARY`) or JSON; `--report-dir` writes feedback files and a class page
(`cclint.feedback`). Submissions are data: their names are made printable in text,
escaped in Markdown (a folder named like a link or an HTML tag shows as text) and written
as plain JSON strings.
"""

from __future__ import annotations

import os

from cclint.diagnostics import Severity
from cclint.record import field, record
from cclint.runner import FileResult

FORMATS = ("text", "markdown", "json")
JSON_VERSION = 1
WIDTH = 100  # the text report never exceeds this many columns
NO_SCRIPT = "no job script"  # the problems of a submission that are not a rule's findings
UNREADABLE = "unreadable script"


@record
class Problem:
    name: str  # a rule name, or NO_SCRIPT / UNREADABLE
    code: str  # the rule's code ("" for the report's own problems)
    severity: Severity
    findings: int = 0
    submissions: list[str] = field(default_factory=list)  # names of the submissions that have it


@record
class Submission:
    name: str
    results: list[FileResult] = field(default_factory=list)

    @property
    def diagnostics(self):
        return [d for r in self.results for d in r.diagnostics]

    @property
    def files(self) -> int:
        return sum(1 for r in self.results if not r.error)

    @property
    def unreadable(self) -> list[str]:
        return [r.error for r in self.results if r.error]

    @property
    def missing(self) -> bool:
        """No job script at all: an error of the report."""
        return not self.results

    def count(self, severity: Severity) -> int:
        own = len(self.unreadable) + self.missing if severity == Severity.ERROR else 0
        return own + sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def clean(self) -> bool:
        return not self.missing and not self.unreadable and not self.diagnostics

    @property
    def worst(self) -> str:
        if self.missing:
            return "no script"
        levels = [d.severity for d in self.diagnostics]
        if levels:
            return max(levels).label
        return "unreadable" if self.unreadable else "clean"

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.diagnostics:
            out[d.rule] = out.get(d.rule, 0) + 1
        return out

    def problems(self) -> list[Problem]:
        """Its problems, most severe first, then most frequent, then by name."""
        found: dict[str, Problem] = {}
        if self.missing:
            found[NO_SCRIPT] = Problem(NO_SCRIPT, "", Severity.ERROR, 1)
        if self.unreadable:
            found[UNREADABLE] = Problem(UNREADABLE, "", Severity.ERROR, len(self.unreadable))
        for d in self.diagnostics:
            p = found.setdefault(d.rule, Problem(d.rule, d.code, d.severity))
            p.findings += 1
            p.severity = max(p.severity, d.severity)
        return sorted(found.values(), key=lambda p: (-p.severity, -p.findings, p.name))


def collect(root: str, results: list[FileResult]) -> list[Submission]:
    """Group results by submission. Every sub-folder is one, even with no job script in
    it; the root's own "no job scripts here" is not a submission."""
    by_name: dict[str, Submission] = {}
    base = os.path.abspath(root)
    try:
        for entry in sorted(os.listdir(base)):
            if not entry.startswith(".") and os.path.isdir(os.path.join(base, entry)):
                by_name[entry] = Submission(entry)
    except OSError:
        pass
    for result in results:
        rel = os.path.relpath(os.path.abspath(result.path), base).replace(os.sep, "/")
        if rel == ".":
            continue
        name = rel.split("/", 1)[0] if not rel.startswith("..") else result.path
        by_name.setdefault(name, Submission(name)).results.append(result)
    return [by_name[k] for k in sorted(by_name)]


def class_problems(submissions: list[Submission]) -> list[Problem]:
    """Each problem over the class: most submissions first, then most severe, then findings."""
    rows: dict[str, Problem] = {}
    for sub in submissions:
        for p in sub.problems():
            row = rows.setdefault(p.name, Problem(p.name, p.code, p.severity))
            row.findings += p.findings
            row.severity = max(row.severity, p.severity)
            row.submissions.append(sub.name)
    return sorted(rows.values(), key=lambda r: (-len(r.submissions), -r.severity, -r.findings, r.name))


def summary(submissions: list[Submission]) -> dict:
    worst: dict[str, int] = {}
    for sub in submissions:
        worst[sub.worst] = worst.get(sub.worst, 0) + 1
    return {"submissions": len(submissions), "scripts": sum(s.files for s in submissions),
            "findings": sum(len(s.diagnostics) for s in submissions),
            "clean": [s.name for s in submissions if s.clean],
            "with_errors": [s.name for s in submissions if s.count(Severity.ERROR)],
            "no_script": [s.name for s in submissions if s.missing],
            "worst": dict(sorted(worst.items(), key=lambda kv: _worst_order(kv[0])))}


def _worst_order(label: str) -> int:
    return {"error": 0, "unreadable": 1, "no script": 2, "warning": 3, "info": 4, "clean": 5}.get(label, 6)


def failed(submissions: list[Submission]) -> bool:
    """A submission without a job script fails the report, whatever --fail-on says."""
    return any(s.missing for s in submissions)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


# -- rendering ------------------------------------------------------------------------------


def render(fmt: str, root: str, submissions: list[Submission], stream) -> None:
    {"text": _text, "markdown": _markdown, "json": _json}[fmt](root, submissions, stream)


def _columns(text: str) -> int:
    """How many terminal columns text takes: a wide (CJK) character two, a combining one none."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _columns(text))


def _fit(items: list[str], width: int, sep: str = ", ") -> str:
    """As many items as fit in `width` columns, then `+N more` (the first one cut if needed)."""
    shown: list[str] = []
    for i, item in enumerate(items):
        more = f"{sep}+{len(items) - i - 1} more" if i < len(items) - 1 else ""
        if _columns(sep.join([*shown, item])) + len(more) > width:
            break
        shown.append(item)
    rest = len(items) - len(shown)
    if not rest:
        return sep.join(shown)
    if shown:
        return sep.join(shown) + f"{sep}+{rest} more"
    tail = f"{sep}+{rest - 1} more" if rest > 1 else ""
    return _cut(items[0], width - len(tail)) + tail


def _take(text: str, width: int) -> str:
    """The longest start of text within `width` columns."""
    used = 0
    for i, ch in enumerate(text):
        used += _columns(ch)
        if used > width:
            return text[:i]
    return text


def _cut(text: str, width: int) -> str:
    return text if _columns(text) <= width else _take(text, max(1, width - 1)) + "…"


def _cut_name(text: str, width: int) -> str:
    """A submission's name cut in the middle: GitHub Classroom names every repository
    `<assignment>-<username>`, so the end is what tells students apart."""
    if _columns(text) <= width:
        return text
    head = _take(text, (width - 1) // 2)
    tail = _take(text[::-1], width - 1 - _columns(head))[::-1]
    return head + "…" + tail


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """Words (split on spaces) in lines of at most `width` columns; a longer word is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if line and _columns(joined) > width:
            lines.append(line)
            joined = indent + word
        line = _cut(joined, width)
    return [*lines, line] if line else lines


def _text(root, submissions, stream) -> None:
    s = summary(submissions)
    head = f"cclint report: {plural(len(submissions), 'submission')}, {plural(s['scripts'], 'job script')} in "
    room = WIDTH - len(head)
    shown = _plain(root)
    out = [head + (shown if len(shown) <= room else "…" + shown[len(shown) - room + 1:]), ""]
    if not submissions:
        out.append("No submissions: the folder holds no sub-folder and no job script.")
        stream.write("\n".join(out) + "\n")
        return
    name_w = max(7, min(24, max(_columns(_plain(sub.name)) for sub in submissions)))
    head = f"{'student':<{name_w}}  errors  warnings  "
    top_w = WIDTH - len(head)
    out.append(head + "top problems")
    out.append(f"{'-' * name_w}  ------  --------  {'-' * top_w}")
    for sub in submissions:
        names = [p.name for p in sub.problems()] or ["clean"]
        out.append(f"{_pad(_cut_name(_plain(sub.name), name_w), name_w)}  {sub.count(Severity.ERROR):>6}  "
                   f"{sub.count(Severity.WARNING):>8}  {_fit(names, top_w)}".rstrip())
    parts = [plural(len(submissions), "submission"), f"{len(s['clean'])} clean",
             f"{len(s['with_errors'])} with errors"]
    if s["no_script"]:
        parts.append(f"{len(s['no_script'])} without a job script")
    out += ["", "Class: " + ", ".join(parts) + "."]
    problems = class_problems(submissions)
    if problems:
        out += ["", "Problems across the class (submissions that have each):"]
        label_w = min(30, max(len(p.name) for p in problems))
        count_w = len(str(len(submissions)))
        for p in problems:
            lead = (f"  {p.code or '-':<5}  {_cut(p.name, label_w):<{label_w}}  {p.severity.label:<7}  "
                    f"{len(p.submissions):>{count_w}}/{len(submissions)}  ")
            out.append(lead + _fit([_plain(n) for n in p.submissions], WIDTH - len(lead)))
    out.append("")
    clean = ", ".join(_plain(n) for n in s["clean"]) or "none"
    out += _wrap(f"Clean: {clean}", WIDTH, "  ")
    stream.write("\n".join(out) + "\n")


def _plain(text: str) -> str:
    """Terminal-safe: no control characters (a folder name cannot move the cursor)."""
    return "".join(ch if ch.isprintable() else "?" for ch in str(text))


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~")


def md(text: str) -> str:
    """Escape text for a Markdown table cell: markup shows as text."""
    out = []
    for ch in _plain(text):
        if ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _markdown(root, submissions, stream) -> None:
    s = summary(submissions)
    out = [f"## cclint report: {plural(len(submissions), 'submission')}", ""]
    parts = [f"{len(s['clean'])} clean", f"{len(s['with_errors'])} with errors"]
    if s["no_script"]:
        parts.append(f"{len(s['no_script'])} without a job script")
    out += [f"{plural(s['scripts'], 'job script')}; " + ", ".join(parts) + ".", ""]
    if submissions:
        out += ["| student | errors | warnings | problems |", "|---|--:|--:|---|"]
        for sub in submissions:
            problems = ", ".join(f"`{p.name}`" if p.code else md(p.name) for p in sub.problems()) or "clean"
            errors = sub.count(Severity.ERROR)
            out.append(f"| {md(sub.name)} | {f'**{errors}**' if errors else 0} | "
                       f"{sub.count(Severity.WARNING)} | {problems} |")
    problems = class_problems(submissions)
    if problems:
        out += ["", "### Problems across the class", "",
                "| code | problem | severity | submissions | findings |", "|---|---|---|--:|--:|"]
        for p in problems:
            name = f"`{p.name}`" if p.code else md(p.name)
            out.append(f"| {f'`{p.code}`' if p.code else ''} | {name} | {p.severity.label} | "
                       f"{len(p.submissions)} | {p.findings} |")
    out += ["", "Clean: " + (", ".join(md(n) for n in s["clean"]) or "none") + "."]
    stream.write("\n".join(out) + "\n")


def _json(root, submissions, stream) -> None:
    import json

    data = {
        "version": JSON_VERSION,
        "root": root,
        "submissions": [{
            "name": sub.name,
            "scripts": sub.files,
            "worst": sub.worst,
            "errors": sub.count(Severity.ERROR),
            "warnings": sub.count(Severity.WARNING),
            "infos": sub.count(Severity.INFO),
            "problems": [p.name for p in sub.problems()],
            "findings": len(sub.diagnostics),
            "per_rule": dict(sorted(sub.counts().items())),
            "unreadable": sub.unreadable,
            "diagnostics": [d.to_dict() for d in sub.diagnostics],
        } for sub in submissions],
        "rules": [{"code": p.code, "rule": p.name, "severity": p.severity.label, "findings": p.findings,
                   "submissions": len(p.submissions), "names": p.submissions}
                  for p in class_problems(submissions) if p.code],
        "summary": summary(submissions),
    }
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
