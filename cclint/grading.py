"""Course grading: `cclint --report submissions/` (one sub-folder per student).

Every job script under the folder is linted as usual; the results are grouped by
submission (the first folder below the root; a loose file at the root is a submission of
its own) into one table: each submission's number of scripts, worst severity, total, and
findings per rule, then the class-wide count of each rule (findings, and submissions where
it fired). Rendered as text, Markdown (for a CI job summary: `>> $GITHUB_STEP_SUMMARY`)
or JSON. A sub-folder with no job script is listed as `no script`.

Submissions are data: their names are escaped in Markdown (a folder named like a link or
an HTML tag shows as text) and written as plain JSON strings.
"""

from __future__ import annotations

import os
from cclint.record import field, record

from cclint.diagnostics import Severity
from cclint.runner import FileResult

FORMATS = ("text", "markdown", "json")
JSON_VERSION = 1


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
    def worst(self) -> str:
        if not self.results:
            return "no script"
        levels = [d.severity for d in self.diagnostics]
        if levels:
            return max(levels).label
        return "unreadable" if self.unreadable and not self.files else "clean"

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.diagnostics:
            out[d.rule] = out.get(d.rule, 0) + 1
        return out


def collect(root: str, results: list[FileResult]) -> list[Submission]:
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
        name = rel.split("/", 1)[0] if not rel.startswith("..") else result.path
        by_name.setdefault(name, Submission(name)).results.append(result)
    return [by_name[k] for k in sorted(by_name)]


def class_counts(submissions: list[Submission]) -> list[dict]:
    from cclint.registry import find_rule

    rows: dict[str, dict] = {}
    for sub in submissions:
        for rule, count in sub.counts().items():
            found = find_rule(rule)
            row = rows.setdefault(rule, {"code": found.code if found else "", "rule": rule,
                                         "findings": 0, "submissions": 0})
            row["findings"] += count
            row["submissions"] += 1
    return sorted(rows.values(), key=lambda r: (-r["submissions"], -r["findings"], r["code"]))


def _worst_order(label: str) -> int:
    return {"error": 0, "unreadable": 1, "no script": 2, "warning": 3, "info": 4, "clean": 5}.get(label, 6)


def summary(submissions: list[Submission]) -> dict:
    worst: dict[str, int] = {}
    for sub in submissions:
        worst[sub.worst] = worst.get(sub.worst, 0) + 1
    return {"submissions": len(submissions), "scripts": sum(s.files for s in submissions),
            "findings": sum(len(s.diagnostics) for s in submissions),
            "worst": dict(sorted(worst.items(), key=lambda kv: _worst_order(kv[0])))}


# -- rendering ------------------------------------------------------------------------------


def render(fmt: str, root: str, submissions: list[Submission], stream) -> None:
    {"text": _text, "markdown": _markdown, "json": _json}[fmt](root, submissions, stream)


def _table_rows(submissions, rules) -> list[list[str]]:
    rows = []
    for sub in submissions:
        counts = sub.counts()
        rows.append([sub.name, str(sub.files), sub.worst, str(len(sub.diagnostics)),
                     *[str(counts.get(r["rule"], "")) if counts.get(r["rule"]) else "." for r in rules]])
    return rows


def _text(root, submissions, stream) -> None:
    rules = class_counts(submissions)
    head = ["submission", "scripts", "worst", "findings", *[r["code"] or r["rule"] for r in rules]]
    rows = _table_rows(submissions, rules)
    total = ["class total", str(sum(s.files for s in submissions)), "",
             str(sum(len(s.diagnostics) for s in submissions)), *[str(r["findings"]) for r in rules]]
    affected = ["submissions", "", "", "", *[str(r["submissions"]) for r in rules]]
    table = [head, *rows, total, affected]
    safe = [[_plain(c) for c in row] for row in table]
    widths = [max(len(row[i]) for row in safe) for i in range(len(head))]
    rule_line = "  ".join("-" * w for w in widths)
    out = [f"cclint report for {_plain(root)}: {len(submissions)} submission"
           f"{'s' if len(submissions) != 1 else ''}", ""]
    for i, row in enumerate(safe):
        if i == 1 or i == len(safe) - 2:
            out.append(rule_line)
        cells = [c.ljust(w) if j < 3 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells).rstrip())
    if rules:
        out += ["", "Rules:"]
        for r in rules:
            out.append(f"  {r['code']}  {r['rule']}: {r['findings']} finding{'s' if r['findings'] != 1 else ''} "
                       f"in {r['submissions']} submission{'s' if r['submissions'] != 1 else ''}")
    worst = summary(submissions)["worst"]
    out += ["", "Worst severity: " + ", ".join(f"{v} {k}" for k, v in worst.items())]
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
    rules = class_counts(submissions)
    s = summary(submissions)
    out = [f"## cclint report: {len(submissions)} submission{'s' if len(submissions) != 1 else ''}", ""]
    out.append("Worst severity: " + ", ".join(f"{v} {md(k)}" for k, v in s["worst"].items()) + ".")
    out.append("")
    head = ["submission", "scripts", "worst", "findings", *[f"`{r['code']}`" for r in rules]]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---", "--:", "---", "--:"] + ["--:"] * len(rules)) + "|")
    for row in _table_rows(submissions, rules):
        name, *rest = row
        worst = f"**{rest[1]}**" if rest[1] == "error" else md(rest[1])
        out.append("| " + " | ".join([md(name), rest[0], worst, *rest[2:]]) + " |")
    out.append("| **class total** | " + " | ".join(
        [str(s["scripts"]), "", str(s["findings"]), *[str(r["findings"]) for r in rules]]) + " |")
    if rules:
        out += ["", "### Findings per rule", "", "| code | rule | findings | submissions |", "|---|---|--:|--:|"]
        for r in rules:
            out.append(f"| `{r['code']}` | `{r['rule']}` | {r['findings']} | {r['submissions']} |")
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
            "findings": len(sub.diagnostics),
            "per_rule": dict(sorted(sub.counts().items())),
            "unreadable": sub.unreadable,
            "diagnostics": [d.to_dict() for d in sub.diagnostics],
        } for sub in submissions],
        "rules": class_counts(submissions),
        "summary": summary(submissions),
    }
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def worst_severity(submissions: list[Submission]) -> Severity | None:
    levels = [d.severity for s in submissions for d in s.diagnostics]
    return max(levels) if levels else None
