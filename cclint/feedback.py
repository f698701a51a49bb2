"""`--report-dir OUT`: feedback for each student, and a class page for the instructor.

- `OUT/<submission>.md`: every finding of the submission, written for the student: the
  line, the source line with a marker, the problem, why it matters and how to fix it.
- `OUT/index.html`: the class summary, one standalone page: a bar chart of the problems
  across the class drawn as inline SVG, and a table of submissions sortable by column.

Student text (folder and file names, the source lines and messages that quote them) is
escaped for each format: Markdown prose is backslash-escaped (code spans delimit quoted
script text, which holds no backtick after splitting on them), source lines sit in fences
longer than any backtick run in them, and the page goes through `html.escape`. The page
loads nothing: no external resource, and a Content-Security-Policy that lets only its own
style and script (by hash) run, so even text that escaped escaping could not.
"""

from __future__ import annotations

import html
import os
import re
import textwrap

from cclint.diagnostics import Severity
from cclint.grading import Submission, class_problems, plural, summary
from cclint.output import printable

_SEVERITY_WORDS = ("**error**: sbatch will reject the job, or it will be misconfigured or lose its results; "
                   "**warning**: it runs, but wastes the shared cluster or your own time; "
                   "**info**: good practice.")


def write_report_dir(out_dir: str, root: str, submissions: list[Submission]) -> int:
    """Write the feedback files and index.html; returns the number of feedback files."""
    os.makedirs(out_dir, exist_ok=True)
    names = file_names(submissions)
    for sub in submissions:
        _write(os.path.join(out_dir, names[sub.name]), feedback_markdown(root, sub))
    _write(os.path.join(out_dir, "index.html"), class_page(root, submissions, names))
    return len(submissions)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
        fh.write(text)


def file_names(submissions: list[Submission]) -> dict[str, str]:
    """Submission name -> its feedback file: `<name>.md`, made safe for any file system
    (other characters become `_`) and unique."""
    out: dict[str, str] = {}
    taken = {"index.html"}
    for sub in submissions:
        base = re.sub(r"[^A-Za-z0-9._-]", "_", sub.name).lstrip(".")[:100] or "submission"
        name, n = f"{base}.md", 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}.md"
        taken.add(name.lower())
        out[sub.name] = name
    return out


# -- Markdown, for the student ----------------------------------------------------------------

_MD_INLINE = set("\\*_[]<>&~|")


def md_text(text: str) -> str:
    """Prose that shows as written: markup characters escaped, one line."""
    out = []
    for ch in str(text):
        if ch in "\t\r\n":
            out.append(" ")
        elif not ch.isprintable():
            out.append("?")
        elif ch in "<>&":
            out.append(html.escape(ch))
        elif ch in _MD_INLINE:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def md_inline(text: str) -> str:
    """A message: its `quoted` parts as code spans, the rest as escaped prose."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: no code spans at all
        return md_text(text).replace("`", "\\`")
    out = []
    for i, part in enumerate(parts):
        if i % 2 and part.strip():
            out.append("`" + printable(part.replace("\n", " ")) + "`")
        else:
            out.append(md_text(part if i % 2 == 0 else f"`{part}`").replace("`", "\\`"))
    return "".join(out)


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _relative(path: str, root: str, sub: Submission) -> str:
    """A script's path inside its submission (a loose file is its own submission)."""
    parts = os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/").split("/")
    return "/".join(parts[1:]) if len(parts) > 1 and parts[0] == sub.name else parts[-1]


def feedback_markdown(root: str, sub: Submission) -> str:
    from cclint import __version__
    from cclint.output.text import excerpt
    from cclint.registry import find_rule

    out = [f"# Job script feedback: {md_text(sub.name)}", ""]
    if sub.missing:
        out += ["**No job script was found in your submission**, so nothing could be checked, and it "
                "counts as an error. cclint looks for files ending in `.sh`, `.sbatch`, `.slurm`, `.job`, "
                "`.pbs` or `.bash`, or with `#SBATCH` lines at their top. Add your job script and submit "
                "again.", ""]
        return "\n".join(out)
    counts = [plural(sub.count(s), s.label) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
              if sub.count(s)]
    out += [f"cclint {__version__} checked {plural(sub.files, 'job script')}: "
            + (", ".join(counts) + "." if counts else "no problems found. Well done!"), ""]
    if sub.diagnostics:
        out += ["Each problem shows the line of your script, why it matters on the cluster, and how to "
                "fix it. " + _SEVERITY_WORDS + " `cclint rule NAME` explains a rule in full.", ""]
    explained: dict[str, str] = {}
    for result in sub.results:
        shown = _relative(result.path, root, sub)
        out += [f"## {md_text(shown)}", ""]
        if result.error:
            out += [f"This file could not be read: {md_text(result.error)}", ""]
            continue
        if not result.diagnostics:
            out += ["No problems found in this file.", ""]
            continue
        lines = result.source.text.split("\n") if result.source is not None else []
        for d in result.diagnostics:
            out += [f"### Line {d.line}: {d.severity.label}, `{d.rule}` ({d.code})", "",
                    f"**Problem.** {md_inline(d.message)}", ""]
            found = excerpt(d, lines)
            if found is not None:
                text, prefix, width = found
                text = printable(text)
                block = f"{d.line} | {text}\n{' ' * len(str(d.line))} | {prefix}{'^' * width}"
                fence = _fence(block)
                out += [fence + "text", block, fence, ""]
            rule = find_rule(d.rule)
            where = f"{md_text(shown)}, line {d.line}"
            if rule is not None and d.rule not in explained:
                explained[d.rule] = where
                # its first paragraph: the others say how the rule decides, for `cclint rule`
                why = textwrap.dedent(rule.rationale).strip().split("\n\n")[0]
                out += ["**Why it matters.** " + why, ""]
            elif rule is not None:
                out += [f"**Why it matters.** See {explained[d.rule]}, above.", ""]
            out += [f"**How to fix it.** {md_inline(d.fix)}", ""]
    return "\n".join(out)


# -- HTML, for the instructor -----------------------------------------------------------------

_COLORS = {Severity.ERROR: "#c62828", Severity.WARNING: "#b26a00", Severity.INFO: "#1565c0"}

_STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h1 code { font-size: 20px; }
h2 { font-size: 18px; margin: 32px 0 12px; }
.meta { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.cards b { display: block; font-size: 24px; }
.cards .error b { color: #c62828; } .cards .clean b { color: #2e7d32; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--ink); }
svg .count { fill: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: var(--band); position: sticky; top: 0; }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer;
  white-space: nowrap; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
tbody tr:hover { background: var(--band); }
.student { font-weight: 600; word-break: break-all; }
.problems { color: var(--muted); }
.problems span { white-space: nowrap; }
.tag { display: inline-block; font-weight: 500; border-radius: 10px; padding: 0 8px; font-size: 13px; color: #fff; }
.tag.error { background: #c62828; } .tag.warning { background: #b26a00; } .tag.info { background: #1565c0; }
.tag.clean { background: #2e7d32; }
.legend { display: flex; gap: 16px; color: var(--muted); font-size: 13px; margin: 4px 0 8px; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 6px; }
.legend .error::before { background: #c62828; } .legend .warning::before { background: #b26a00; }
.legend .info::before { background: #1565c0; }
footer { color: var(--muted); font-size: 13px; margin-top: 32px; }
"""

# Sorts the table when a column header is clicked: numbers by their data-v, text by locale.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var numeric = th.classList.contains("num");
      rows.sort(function (a, b) {
        var x = a.cells[col], y = b.cells[col], r;
        if (numeric) r = Number(x.dataset.v) - Number(y.dataset.v);
        else r = x.textContent.localeCompare(y.textContent, undefined, {numeric: true, sensitivity: "base"});
        return up ? r : -r;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def _csp_hash(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _e(text) -> str:
    return html.escape("".join(ch if ch.isprintable() else "\ufffd" for ch in str(text)), quote=True)


def bar_chart(submissions: list[Submission]) -> str:
    """Problems across the class as an inline SVG bar chart: one bar per problem, its length
    the number of submissions that have it, coloured by severity."""
    problems = class_problems(submissions)
    total = max(1, len(submissions))
    label_w, bar_w, row, top = 250, 560, 28, 8
    width, height = label_w + bar_w + 110, top * 2 + row * len(problems)
    out = [f'<svg width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title">',
           f'<title id="chart-title">Problems across the class: submissions that have each, of {total}</title>']
    for i, p in enumerate(problems):
        y = top + i * row
        length = max(2, round(bar_w * len(p.submissions) / total))
        label = p.name if len(p.name) <= 34 else p.name[:33] + "…"
        out.append(f'<g><title>{_e(p.name)}{f" ({_e(p.code)})" if p.code else ""}, {p.severity.label}: '
                   f'{plural(len(p.submissions), "submission")}, {plural(p.findings, "finding")}</title>')
        out.append(f'<text x="{label_w - 10}" y="{y + 18}" text-anchor="end">{_e(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="17" rx="3" fill="#eef1f4"/>')
        out.append(f'<rect x="{label_w}" y="{y + 5}" width="{length}" height="17" rx="3" '
                   f'fill="{_COLORS[p.severity]}"/>')
        out.append(f'<text class="count" x="{label_w + bar_w + 10}" y="{y + 18}">'
                   f'{len(p.submissions)} of {total}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def class_page(root: str, submissions: list[Submission], names: dict[str, str]) -> str:
    from cclint import __version__

    s = summary(submissions)
    style, script = _STYLE.strip(), _SCRIPT.strip()
    csp = f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}"
    cards = [(len(submissions), "submissions", ""), (s["scripts"], "job scripts", ""),
             (len(s["clean"]), "clean", "clean"), (len(s["with_errors"]), "with errors", "error")]
    if s["no_script"]:
        cards.append((len(s["no_script"]), "without a job script", "error"))
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="referrer" content="no-referrer">',
           f'<title>cclint report: {_e(root)}</title>', f'<style>{style}</style>', '</head>', '<body>', '<main>',
           f'<h1>cclint report <code>{_e(root)}</code></h1>',
           f'<p class="meta">{plural(len(submissions), "submission")}, checked by cclint {_e(__version__)}.</p>',
           '<ul class="cards">']
    out += [f'<li class="{cls}"><b>{n}</b>{label}</li>' for n, label, cls in cards]
    out += ['</ul>', '<h2>Problems across the class</h2>']
    if class_problems(submissions):
        out += ['<div class="legend"><span class="error">error</span><span class="warning">warning</span>'
                '<span class="info">info</span></div>', bar_chart(submissions)]
    else:
        out.append('<p>No problems in any submission.</p>')
    out += ['<h2>Submissions</h2>', '<table class="sortable">', '<thead><tr>']
    heads = [("Student", ""), ("Scripts", "num"), ("Errors", "num"), ("Warnings", "num"), ("Infos", "num"),
             ("Problems", ""), ("Feedback", "")]
    for label, cls in heads:
        sortable = label not in ("Problems", "Feedback")
        inner = f'<button type="button">{label}</button>' if sortable else label
        out.append(f'<th scope="col"{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{inner}</th>')
    out += ['</tr></thead>', '<tbody>']
    for sub in submissions:
        problems = sub.problems()
        tags = ", ".join(f"<span>{_e(p.name)}{f' ×{p.findings}' if p.findings > 1 else ''}</span>" for p in problems)
        worst = "clean" if sub.clean else (max(p.severity for p in problems).label if problems else "error")
        cells = [f'<td class="student">{_e(sub.name)}</td>',
                 *(f'<td class="num" data-v="{n}">{n}</td>' for n in
                   (sub.files, sub.count(Severity.ERROR), sub.count(Severity.WARNING), sub.count(Severity.INFO))),
                 f'<td class="problems"><b class="tag {worst}">{worst}</b> {tags}</td>',
                 f'<td><a href="{_e(names[sub.name])}">{_e(names[sub.name])}</a></td>']
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ['</tbody>', '</table>',
            '<footer>Click a column header to sort. Each feedback file is written for its student: '
            'every finding with its line, why it matters and how to fix it.</footer>',
            '</main>', f'<script>{script}</script>', '</body>', '</html>', '']
    return "\n".join(out)
