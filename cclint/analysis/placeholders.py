"""Template text: what counts as a placeholder (placeholder-value reports it, and the
suggested fixes of other rules rely on it):

- text in angle brackets: `<username>`, `<your account>`, `<path/to/env>`, `def-<pi>`. In a
  directive any `<` followed by a letter is one, closed or not (sbatch cuts `<your account>`
  at the space); in a command, a quoted `<...>`, or `<name>` that bash reads as two
  redirections (`cp out/<to_save> dest`);
- a `{name}` field: `{exp_name}`, `{Your ID}` (not `${VAR}`, `{}`, `{1}`, `{a,b}`);
- the template accounts and words: `def-someuser`, `def-xxx`, `def-yourpi`, `your-account`,
  `your_username`, `CHANGEME`, an `@example.com` address, an account ending in `-`;
- an ALL-CAPS word where the option's grammar admits only numbers: `--array=ARRAY`,
  `--time=HH:MM:SS`, `--nodes=NODES`.
So a suggested fix that must be completed by hand writes its blanks as `<...>`.
"""

from __future__ import annotations

import re

from cclint.patterns import lazy

# Template text people leave in scripts copied from documentation.
_PLACEHOLDER = lazy(
    r"(?=[<dycr{])(?:"  # the first letters of the alternatives: halves the cost of a search
    r"<[A-Za-z][A-Za-z0-9_ .@/-]*>"  # <username>, <your account>, <path/to/env>
    r"|(?<![$\w])\{[A-Za-z][A-Za-z0-9_ .-]*\}"  # {exp_name}
    r"|\bdef-(?:some[a-z]*|user(?:name)?|your[a-z_-]*|x{2,}|pi|prof(?:essor)?|supervisor|group"
    r"|account|name|sponsor|labname|allocation)\b"
    r"|\byour[-_.]?(?:account|project|group|user(?:name)?|email|e-mail|name|lab|pi|allocation"
    r"|netid|id|partition)\b"
    r"|\b(?:change[-_]?me|replace[-_]?me)\b)",
    re.IGNORECASE | re.ASCII)  # ASCII: Unicode case folding made it 3 times as long to compile
# In a directive value, an opening bracket is enough: sbatch cut the rest off at a space.
_OPEN_BRACKET = lazy(r"<[A-Za-z][^<>]*>?|(?<![$\w])\{[A-Za-z][^{}]*\}?")
OPEN_FIELD, CLOSE_FIELD = lazy(r"\{[A-Za-z][\w.-]*"), lazy(r"[\w.-]*\}")
# One search for the first test of a script's words: any placeholder, or a field's start.
ANYWHERE = lazy(_PLACEHOLDER.pattern[:-1] + r"|(?<![$\w])\{[A-Za-z])", _PLACEHOLDER.flags)
# Searched apart, only in text with an `@`: tried at every letter, it tripled the cost.
EXAMPLE_EMAIL = lazy(r"\b[\w.+-]*@example\.(?:com|org|net)\b", re.IGNORECASE)
# Value kinds whose grammar has numbers only, and the words it does accept.
_NUMERIC_KINDS = {"count", "count-optional", "memory", "time", "array", "node-count-range",
                  "signed-int-optional"}
_CAPS_TEMPLATE = lazy(r"[A-Z_]*[A-Z]{2}[A-Z_]*(?:[-:,%][A-Z_]+)*")
_KEYWORDS = {"UNLIMITED", "INFINITE"}


def may_hold_placeholder(text: str) -> bool:
    """False only when nothing in `text` can be a placeholder or `EXAMPLE_EMAIL`: every form
    above needs one of these pieces. Substring tests run in C, several times faster than a
    search that tries the pattern at every character of a script."""
    low = text.lower()
    return "<" in low or "def-" in low or "your" in low or "change" in low or "replace" in low \
        or "@example." in low or low.count("{") > low.count("${")  # a `{` with no `$` before it


def placeholder(text: str):
    """The first piece of template text in `text` (the leftmost; at equal starts, not the e-mail)."""
    found = _PLACEHOLDER.search(text)
    if "@" in text:
        email = EXAMPLE_EMAIL.search(text)
        if email and (found is None or email.start() < found.start()):
            return email
    return found


def directive_placeholder(d, source_text: str = "") -> str | None:
    """The template text in a directive's value, or None. `source_text` (the script) shows
    where a bracket that sbatch cut at a space closes."""
    value = d.value
    found = placeholder(value)
    if found:
        return found.group()
    opened = _OPEN_BRACKET.search(value) if "<" in value or "{" in value else None
    if opened:
        text = opened.group()
        closer = ">" if text[0] == "<" else "}"
        if not text.endswith(closer) and d.value_span is not None and d.origin in ("sbatch", "slurm"):
            end = d.value_span.end
            rest = source_text[end:source_text.find("\n", end) % (len(source_text) + 1)].split("#", 1)[0]
            if closer in rest:
                text += rest.split(closer, 1)[0] + closer
        return text
    if d.name == "account" and value.endswith("-") and len(value) > 1:
        return value
    if value[:1].isupper() and d.spec is not None and d.spec.kind in _NUMERIC_KINDS \
            and value not in _KEYWORDS and _CAPS_TEMPLATE.fullmatch(value):
        return value
    return None
