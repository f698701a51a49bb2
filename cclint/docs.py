"""Documentation rendered from rule metadata: `cclint rule NAME`, the README's rule table and
its list of what makes each rule certain and what keeps it silent."""

from __future__ import annotations

import textwrap

from cclint.patterns import lazy
from cclint.registry import Rule, all_rules

_FIX_SAFETY = {"safe": "safe fix (applied by --fix)", "unsafe": "unsafe fix (needs --unsafe-fixes)",
               "suggestion": "suggestion only"}


def _block(code: str) -> str:
    return "```bash\n" + code.rstrip("\n") + "\n```"


def _options(rule: type[Rule]) -> list[str]:
    if not rule.options:
        return []
    lines = ["## Options", ""]
    for key, option in rule.options.items():
        default = list(option.default) if isinstance(option.default, tuple) else option.default
        lines.append(f"- `{key}` ({option.kind}, default `{default}`): {option.doc}")
    example = ", ".join(f"{key}: ..." for key in rule.options)
    lines += ["", f"Set them in the configuration: `options: {{{rule.name}: {{{example}}}}}`.", ""]
    return lines


def rule_markdown(rule: type[Rule]) -> str:
    default = "" if rule.enabled_by_default else " (off by default: enable with --extend-select or --select)"
    return "\n".join([
        f"# {rule.name} ({rule.code})",
        "",
        f"{rule.summary}.",
        "",
        f"- Default severity: {rule.severity.label}{default}",
        f"- Family: {rule.family}",
        f"- Fix: {_FIX_SAFETY.get(rule.fix_safety, rule.fix_safety)}",
        "",
        "## Why it matters",
        "",
        textwrap.dedent(rule.rationale).strip(),
        "",
        f"## When it is certain ({rule.severity.label} by default)",
        "",
        *_wrap(rule.certain_when),
        "",
        "## When it stays silent",
        "",
        *_wrap(rule.silent_when),
        "",
        "## How to fix it",
        "",
        rule.fix,
        "",
        "## Example" + (f" (with `--cluster {rule.example_profile}`)" if rule.example_profile != "generic" else ""),
        "",
        _block(rule.bad),
        "",
        "## Use instead",
        "",
        _block(rule.good),
        "",
        *_options(rule),
    ])


def rules_table() -> str:
    rows = ["| code | name | severity | what it finds |", "|---|---|---|---|"]
    for r in all_rules():
        note = "" if r.enabled_by_default else " (off by default)"
        rows.append(f"| {r.code} | `{r.name}` | {r.severity.label} | {r.summary}{note} |")
    return "\n".join(rows)


_FAMILIES = {"script": "Script", "header": "Header", "resources": "Resources", "storage": "Storage",
             "environment": "Environment", "execution": "Execution", "cluster": "Cluster profiles",
             "policy": "Course policy (off by default)"}


_MARKER = lazy(r"[-+*>]|#+|\d+[.)]")  # a word that would start a list or a quote


def _wrap(text: str, first: str = "", rest: str = "", width: int = 92) -> list[str]:
    """Markdown text wrapped within `width` columns; a line never starts with a word that
    Markdown would read as a list marker, a heading or a quote."""
    lines: list[str] = []
    line = first.rstrip()
    for word in text.split():
        if line.strip() and len(line) + 1 + len(word) > width and not _MARKER.fullmatch(word):
            lines.append(line)
            line = rest + word
        else:
            line += (" " if line.strip() else "") + word
    return lines + [line]


def _item(label: str, text: str) -> list[str]:
    """A sub-item of the README's list, within 100 columns."""
    return _wrap(text, first=f"  - {label}:", rest="    ", width=100)


def evidence_list() -> str:
    """Per family, each rule with its default severity, what makes it certain and what keeps
    it silent (the README's section; `cclint rule NAME` shows the same)."""
    by_family: dict[str, list[type[Rule]]] = {}
    for r in all_rules():
        by_family.setdefault(r.family, []).append(r)
    lines: list[str] = []
    for family, rules in sorted(by_family.items(), key=lambda item: item[1][0].code):
        codes = f"{rules[0].code}-{rules[-1].code}" if len(rules) > 1 else rules[0].code
        lines += [f"#### {_FAMILIES.get(family, family.title())} ({codes})", ""]
        for r in rules:
            lines.append(f"- `{r.name}` ({r.code}, {r.severity.label})")
            lines += _item("certain", r.certain_when) + _item("silent", r.silent_when)
        lines.append("")
    return "\n".join(lines).rstrip("\n")
