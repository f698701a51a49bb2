"""Who runs the body of a job script: the interpreter its `#!` line names.

sbatch reads the #SBATCH header of any script, but the body is run by the `#!` interpreter.
A script for Python, Perl, R... (`#!/usr/bin/env python3`) is a valid job script: its body
is not shell, so it is not read as shell (no shell rule reads its code), and #SBATCH lines
inside its multi-line strings are text, not directives it forgot. Bourne shells (`bash`,
`sh`, `zsh`, `ksh`...) and a script without `#!` (missing-shebang) are read as shell.
"""

from __future__ import annotations

from cclint.patterns import lazy

# Bourne-family shells (`bash`, `sh`, `zsh`, `ksh93`, `bash5`...), whose code the body model reads.
_SHELL = lazy(r"(?:ba|da|a|k|mk|pdk|z)?sh(?:93)?[0-9.]*|busybox")
# Shells that read bash's grammar, whose syntax errors bash-syntax-error reports (on the
# clusters, `sh` is bash).
BASH_GRAMMAR = frozenset({"", "bash", "sh"})


def interpreter(text: str) -> str:
    """The program a `#!` line runs: `bash` for `#!/bin/bash -l`, `python3` for
    `#!/usr/bin/env python3` (options and VAR=value of env skipped); '' without `#!`."""
    if not text.startswith("#!"):
        return ""
    words = text[2:text.find("\n") if "\n" in text else len(text)].split()
    if not words:
        return ""
    name = words[0].rsplit("/", 1)[-1]
    if name == "env":
        name = next((w.rsplit("/", 1)[-1] for w in words[1:] if not w.startswith("-") and "=" not in w), "")
    return name


def is_shell(name: str) -> bool:
    return not name or _SHELL.fullmatch(name) is not None


# In a script for another interpreter: a `#` comment, or a quote that may open a multi-line string.
_COMMENT_OR_QUOTE = lazy("#[^\n]*|'''|\"\"\"|'|\"")


def string_lines(text: str) -> frozenset[int]:
    """The lines inside multi-line strings ('...', "...", and tripled) of a script in a
    language with `#` comments (Python, Perl, R, Julia, Ruby...): an #SBATCH line there is
    text the program writes, not a directive it forgot."""
    lines: set[int] = set()
    i, n = 0, len(text)
    while i < n:
        m = _COMMENT_OR_QUOTE.search(text, i)
        if m is None:
            break
        quote = m.group()
        if quote[0] == "#":
            i = m.end()
            continue
        j = m.end()
        while True:  # the closing quote, not escaped
            j = text.find(quote, j)
            if j < 0 or text[j - 1] != "\\":
                break
            j += 1
        end = n if j < 0 else j
        first = text.count("\n", 0, m.start()) + 1
        lines.update(range(first + 1, text.count("\n", 0, end) + 2))
        i = end + len(quote)
    return frozenset(lines)
