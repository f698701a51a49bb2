"""Documentation rendered from rule metadata: `cclint rule NAME` and the README's rule table."""

from __future__ import annotations

import textwrap

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
