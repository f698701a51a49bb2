"""The model of one job script, built once and shared by every rule.

    SourceFile (text, positions)  ->  interpreter (the `#!` line)
                                  ->  Body (bashlex commands) + data lines
                                  ->  Header (what sbatch reads)
                                  ->  Flow (commands replayed with variables and cwd)

sbatch reads the #SBATCH header of any script, but the body is run by the `#!` interpreter:
a script for Python, Perl, R... (`#!/usr/bin/env python3`) keeps its header and has an empty
body, so that no shell rule reads its code. Without a `#!` line (missing-shebang), the body
is read as shell.
"""

from __future__ import annotations

import re

from cclint.record import record

from cclint.header.model import Header
from cclint.header.scan import scan_header
from cclint.shell.expand import SUBMIT_DIR, join
from cclint.shell.flow import Flow, replay
from cclint.shell.model import Body
from cclint.shell.parse import parse_body
from cclint.slurm_version import SlurmVersion
from cclint.source import SourceFile, Span


# Bourne-family shells (`bash`, `sh`, `zsh`, `ksh93`, `bash5`...), whose code the body model reads.
_SHELL = re.compile(r"(?:ba|da|a|k|mk|pdk|z)?sh(?:93)?[0-9.]*|busybox")
# Shells that read bash's grammar, whose syntax errors bash-syntax-error reports (on the
# clusters, `sh` is bash).
BASH_GRAMMAR = frozenset({"", "bash", "sh"})


@record
class Script:
    source: SourceFile
    header: Header
    body: Body
    flow: Flow
    interpreter: str = ""  # the program the `#!` line names ('' without one)

    @classmethod
    def build(cls, source: SourceFile, version: SlurmVersion | None = None) -> "Script":
        name = interpreter(source.text)
        if is_shell(name):
            body = parse_body(source)
        else:
            body = Body()
            body.data_lines = string_lines(source.text)
        header = scan_header(source, body.data_lines, version)
        return cls(source, header, body, replay(body, initial_cwd(header)), name)

    @property
    def is_shell(self) -> bool:
        """The body is shell code (and `body` holds its commands)."""
        return is_shell(self.interpreter)

    @classmethod
    def from_text(cls, text: str, version: SlurmVersion | None = None) -> "Script":
        return cls.build(SourceFile.from_text(text), version)

    def line_of(self, span: Span) -> int:
        return self.source.position(span.start)[0]


def initial_cwd(header: Header) -> str | None:
    """The job starts in --chdir if given (resolved against the submit dir), else there."""
    chdir = header.value("chdir")
    if chdir is None:
        return SUBMIT_DIR
    if "$" in chdir or chdir.startswith("~"):
        return None  # never expanded by Slurm: an unknown literal directory
    return join(SUBMIT_DIR, chdir)


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
_COMMENT_OR_QUOTE = re.compile("#[^\n]*|'''|\"\"\"|'|\"")


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
